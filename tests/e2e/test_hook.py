"""The authorization hook (on_publish / on_play) against a real HTTP receiver.

The receiver is Python's http.server in a thread on 127.0.0.1, an ephemeral
port. It answers by the stream's name: ok* admits, slowok* admits after
0.8 s, deny* refuses (403 with a JSON message), stall* answers only after the
hook's timeout, garbage* answers bytes that are not HTTP, huge* a 10 MB body.
Publishers are real ffmpeg processes, or the harness's raw RTMP client where
the test needs to see every onStatus a publisher gets.
"""

import hashlib
import json
import shutil
import signal
import socket
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import harness
from harness import E2ETestCase, RawPlayer, RtmpConn, probe, read_text

PUSH_KEY = "hook-test-push-key-41c7"
STALL_SECONDS = 5.0  # well past the hooks' timeouts (1 s, 0.5 s)
SLOW_OK_SECONDS = 0.8
HUGE_BYTES = 10 * 1024 * 1024


def signed_query(stream, key, expiry, app="live"):
    secret = hashlib.md5(f"/{app}/{stream}{key}{expiry}".encode()).hexdigest()
    return f"volcTime={expiry}&volcSecret={secret}", secret


class HookReceiver:
    """An HTTP server recording every hook request and answering by stream name."""

    def __init__(self):
        self.requests = []  # {"path", "headers", "body", "received_at"}
        self.answered_at = {}  # stream -> monotonic time its admitting answer was sent
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                with receiver.lock:
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                              "body": body, "raw": raw,
                                              "received_at": time.monotonic()})
                stream = body.get("stream", "") if isinstance(body, dict) else ""
                try:
                    receiver.answer(self, stream)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # sluice hung up, as it should on a stall or a huge answer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.closed = False

    def answer(self, handler, stream):
        def send(status, payload):
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)

        if stream.startswith("slowok"):
            time.sleep(SLOW_OK_SECONDS)
        if stream.startswith("ok") or stream.startswith("slowok"):
            with self.lock:
                self.answered_at[stream] = time.monotonic()
            send(200, b'{"code": 0}')
        elif stream.startswith("deny"):
            send(403, json.dumps({"code": 403,
                                  "message": f"stream {stream} is not allowed here"}).encode())
        elif stream.startswith("stall"):
            time.sleep(STALL_SECONDS)
            send(200, b"{}")
        elif stream.startswith("garbage"):
            handler.wfile.write(b"\x00\x01\x02 this is not HTTP at all\r\n\r\n")
            handler.close_connection = True
        elif stream.startswith("huge"):
            handler.send_response(200)
            if stream.startswith("hugestream"):
                # No length announced: sluice must read up to its limit to know.
                handler.send_header("Connection", "close")
                handler.close_connection = True
            else:
                handler.send_header("Content-Length", str(HUGE_BYTES))
            handler.end_headers()
            chunk = b"x" * 65536
            for _ in range(HUGE_BYTES // len(chunk)):
                handler.wfile.write(chunk)
        else:
            send(500, b"unexpected stream")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def bodies(self, stream, action=None):
        with self.lock:
            return [r["body"] for r in self.requests
                    if isinstance(r["body"], dict) and r["body"].get("stream") == stream
                    and (action is None or r["body"].get("action") == action)]

    def requests_for(self, stream):
        with self.lock:
            return [r for r in self.requests
                    if isinstance(r["body"], dict) and r["body"].get("stream") == stream]

    def close(self):
        if self.closed:
            return
        self.closed = True
        self.httpd.shutdown()
        self.httpd.server_close()


def raw_publish(port, stream, timeout=10.0):
    """Publishes `stream` with the raw RTMP client and reads until the first
    publish onStatus or the end of the connection. Returns (conn, statuses)
    with statuses [(arrival time, code)]; the caller closes conn."""
    conn = RtmpConn(port, timeout)
    conn.handshake(timeout)
    conn.connect("live", port, timeout)
    sid = conn.create_stream(timeout)
    conn.command("publish", None, stream, "live", stream_id=sid, csid=8)
    statuses = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                msg = conn.read_message(timeout=max(0.05, deadline - time.monotonic()))
            except socket.timeout:
                break
            code = msg.status_code()
            if code:
                statuses.append((msg.recv_time, code))
                if code.startswith("NetStream.Publish."):
                    break
    except ConnectionError:
        pass
    return conn, statuses


class HookCase(E2ETestCase):
    """A server whose config points at a receiver started before it."""

    @classmethod
    def config_for(cls, receiver):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.receiver = HookReceiver()
        cls.CONFIG = cls.config_for(cls.receiver)
        try:
            super().setUpClass()
        except Exception:
            cls.receiver.close()
            raise

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            cls.receiver.close()

    def tearDown(self):
        self.assertServerAlive()

    def assertRefusal(self, stream, kind, reason, since, action="publish", timeout=10):
        line = self.server.wait_log(rf"live/{stream} {action} refused \({kind}\): {reason}",
                                    timeout, since=since)
        self.assertTrue(line, f"no '{action} refused ({kind})' line for live/{stream} "
                              f"with {reason!r}")
        return line

    def raw_publish(self, stream):
        conn, statuses = raw_publish(self.server.rtmp_port, stream)
        self.track(conn)
        return conn, statuses


class HookTest(HookCase):
    @classmethod
    def config_for(cls, receiver):
        return (harness.config_toml(play_wait_timeout_ms=8000) +
                '[hooks]\ntimeout = 1000\n'
                '[[vhost]]\nname = "__defaultVhost__"\n'
                f'push_key = "{PUSH_KEY}"\n'
                f'on_publish = "{receiver.url("/hooks/publish?from=sluice")}"\n'
                f'on_play = "{receiver.url("/hooks/play")}"\n')

    def test_admitted_publish_plays_and_the_receiver_gets_the_request_without_secrets(self):
        name = "okpub"
        query, secret = signed_query(name, PUSH_KEY, int(time.time()) + 600)
        url = (self.server.rtmp_url(name) + "?" + query +
               "&room=7&token=tok-abc-123&Signature=sig-xyz-789")
        publisher = self.track(harness.start_publisher(url, self.tmp, seconds=60))
        self.wait_live(name)  # a raw RTMP play: on_play admits ok*
        streams, cp = probe(self.server.flv_url(name) + "?viewer=v1")
        self.assertIsNotNone(streams, cp.stderr.decode(errors="replace")[-500:])
        self.assertIsNone(publisher.poll(), read_text(publisher.log_path, 1500))

        published = self.receiver.requests_for(name)
        publishes = [r for r in published if r["body"]["action"] == "publish"]
        self.assertEqual(len(publishes), 1, published)
        request = publishes[0]
        self.assertEqual(request["path"], "/hooks/publish?from=sluice")
        self.assertTrue(request["headers"].get("Content-Type", "").startswith("application/json"))
        body = request["body"]
        self.assertEqual({k: body[k] for k in ("action", "vhost", "app", "stream", "ip",
                                               "protocol")},
                         {"action": "publish", "vhost": "__defaultVhost__", "app": "live",
                          "stream": name, "ip": "127.0.0.1", "protocol": "rtmp"})
        self.assertIn("domain", body)
        self.assertRegex(body["client_address"], r"^127\.0\.0\.1:\d+$")
        self.assertEqual(body["query"], {"volcTime": query.split("&")[0].split("=")[1],
                                         "room": "7"})
        self.assertRegex(body["request_id"], r"^[0-9a-f]{32}$")
        self.assertEqual(request["headers"].get("X-Request-Id"), body["request_id"])
        for raw in (r["raw"] for r in published):
            for secret_text in (secret.encode(), b"volcSecret", b"tok-abc-123", b"sig-xyz-789"):
                self.assertNotIn(secret_text, raw)

        plays = self.receiver.bodies(name, "play")
        self.assertIn("rtmp", [p["protocol"] for p in plays], plays)
        flv = [p for p in plays if p["protocol"] == "http-flv"]
        self.assertEqual(len(flv), 1, plays)
        self.assertEqual(flv[0]["query"], {"viewer": "v1"})
        ids = [b["request_id"] for b in self.receiver.bodies(name)]
        self.assertEqual(len(set(ids)), len(ids), "request ids repeat")

    def test_refused_publish_fails_with_the_receivers_message(self):
        since = self.server.log_size()
        self.publish_refused(self.server.rtmp_url("deny1") + "?room=1")
        self.assertRefusal("deny1", "denied",
                           r"on_publish hook refused \(HTTP 403\): stream deny1 is not allowed "
                           r"here", since)
        self.assertEqual(len(self.receiver.bodies("deny1", "publish")), 1)

    def test_a_bad_signature_never_reaches_the_hook(self):
        name = "okbadsig"
        since = self.server.log_size()
        query, _ = signed_query(name, "not-the-push-key", int(time.time()) + 600)
        self.publish_refused(self.server.rtmp_url(name) + "?" + query)
        self.assertRefusal(name, "denied", "push signature does not match", since)
        self.assertEqual(self.receiver.requests_for(name), [])

    def test_no_publish_start_before_the_hook_answers(self):
        # Admitted after 0.8 s: Publish.Start comes only once the receiver answered.
        conn, statuses = self.raw_publish("slowok1")
        codes = [c for _, c in statuses]
        self.assertEqual(codes, ["NetStream.Publish.Start"], codes)
        answered = self.receiver.answered_at.get("slowok1")
        self.assertIsNotNone(answered)
        self.assertGreaterEqual(statuses[0][0], answered,
                                "Publish.Start arrived before the hook answered")
        conn.close()
        # Refused: the publisher is told Rejected, never Start, and is closed.
        conn, statuses = self.raw_publish("deny2")
        codes = [c for _, c in statuses]
        self.assertEqual(codes, ["NetStream.Publish.Rejected"], codes)
        self.assertIsNotNone(harness.wait_closed(conn.sock, 5), "refused publisher left open")

    def test_stalled_hook_refuses_after_the_timeout(self):
        # Had sluice waited for the stalled receiver, its late 200 would admit:
        # Rejected with the timeout's reason shows the timeout decided.
        since = self.server.log_size()
        _conn, statuses = self.raw_publish("stall1")
        codes = [c for _, c in statuses]
        self.assertEqual(codes, ["NetStream.Publish.Rejected"], codes)
        self.assertRefusal("stall1", "unavailable",
                           r"on_publish hook failed: no answer within 1000 ms", since)
        # An ffmpeg publisher is refused the same way.
        since = self.server.log_size()
        self.publish_refused(self.server.rtmp_url("stall2"))
        self.assertRefusal("stall2", "unavailable", "on_publish hook failed: no answer", since)

    def test_on_play_refuses_rtmp_and_http_flv(self):
        since = self.server.log_size()
        player = self.track(RawPlayer(self.server.rtmp_port, "live", "denyplay1").start())
        self.assertIsNotNone(player.wait_status("NetStream.Play.Failed", 10), player.describe())
        self.assertNotIn("NetStream.Play.Start", [c for _, c in player.statuses()])
        self.assertRefusal("denyplay1", "denied",
                           r"on_play hook refused \(HTTP 403\): stream denyplay1 is not allowed",
                           since, action="play")
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(self.server.flv_url("denyplay2"), timeout=10)
        self.assertEqual(refused.exception.code, 403)
        self.assertIn("on_play hook refused (HTTP 403): stream denyplay2 is not allowed here",
                      refused.exception.read().decode(errors="replace"))
        bodies = self.receiver.bodies("denyplay1") + self.receiver.bodies("denyplay2")
        self.assertEqual([(b["action"], b["protocol"]) for b in bodies],
                         [("play", "rtmp"), ("play", "http-flv")])


class HookAnswerLimitsTest(HookCase):
    """Broken receivers, on a fresh server so that its peak memory is small."""

    @classmethod
    def config_for(cls, receiver):
        return ('[hooks]\ntimeout = 5000\n'
                '[[vhost]]\nname = "__defaultVhost__"\n'
                f'on_publish = "{receiver.url("/publish")}"\n')

    def peak_rss_kib(self):
        with open(f"/proc/{self.server.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def test_garbage_and_a_10_mb_answer_refuse_promptly_in_bounded_memory(self):
        since = self.server.log_size()
        _conn, statuses = self.raw_publish("garbage1")
        self.assertEqual([c for _, c in statuses], ["NetStream.Publish.Rejected"])
        self.assertRefusal("garbage1", "unavailable",
                           r"on_publish hook failed: its answer is not HTTP", since)

        # Announced by Content-Length, and streamed until the connection ends.
        for name in ("huge1", "hugestream1"):
            peak_before = self.peak_rss_kib()
            since = self.server.log_size()
            started = time.monotonic()
            _conn, statuses = self.raw_publish(name)
            self.assertEqual([c for _, c in statuses], ["NetStream.Publish.Rejected"])
            self.assertRefusal(name, "unavailable",
                               r"on_publish hook failed: its answer is longer than 65536 bytes",
                               since)
            self.assertLess(time.monotonic() - started, 4.0, "the huge answer stalled the publish")
            grown_kib = self.peak_rss_kib() - peak_before
            self.assertLess(grown_kib, 4 * 1024,
                            f"peak RSS grew {grown_kib} KiB reading the answer")

        # Still serving: an admitted publish goes live.
        self.start_publisher("ok-after")
        self.wait_live("ok-after")


class FailOpenTest(HookCase):
    @classmethod
    def config_for(cls, receiver):
        # A port nothing listens on: bound, then closed.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            cls.dead_port = s.getsockname()[1]
        return ('[hooks]\ntimeout = 500\nfail_open = true\n'
                '[[vhost]]\nname = "__defaultVhost__"\n'
                f'on_publish = "{receiver.url("/publish")}"\n'
                f'on_play = "http://127.0.0.1:{cls.dead_port}/play"\n')

    def test_a_stalled_or_unreachable_hook_admits_and_a_refusal_still_refuses(self):
        since = self.server.log_size()
        publisher = self.start_publisher("stall-open")
        self.wait_live("stall-open")  # the play hook is unreachable: admitted too
        self.assertIsNone(publisher.poll(), read_text(publisher.log_path, 1500))
        for hook, stream in (("on_publish", "stall-open"), ("on_play", "stall-open")):
            line = self.server.wait_log(rf"{hook} hook for \S+/live/{stream} .*admitted because "
                                        r"hooks.fail_open is true", 10, since)
            self.assertTrue(line, f"no fail_open warning for {hook}")

        _conn, statuses = self.raw_publish("deny-open")
        self.assertEqual([c for _, c in statuses], ["NetStream.Publish.Rejected"])
        self.assertRefusal("deny-open", "denied", r"on_publish hook refused \(HTTP 403\)", since)


class HookReloadTest(HookCase):
    """SIGHUP puts a new hook URL in force for the next request."""

    @classmethod
    def config_for(cls, receiver):
        return '[[vhost]]\nname = "__defaultVhost__"\n'

    def test_reloaded_hook_url_applies_to_new_publishes(self):
        conn, statuses = self.raw_publish("deny-before")
        self.assertEqual([c for _, c in statuses], ["NetStream.Publish.Start"])
        conn.close()
        self.assertEqual(self.receiver.requests_for("deny-before"), [])

        with open(self.server.config_path, "w") as f:
            f.write('[[vhost]]\nname = "__defaultVhost__"\n'
                    f'on_publish = "{self.receiver.url("/publish")}"\n')
        since = self.server.log_size()
        self.server.proc.send_signal(signal.SIGHUP)
        self.assertTrue(self.server.wait_log("config reloaded", 10, since))
        _conn, statuses = self.raw_publish("deny-after")
        self.assertEqual([c for _, c in statuses], ["NetStream.Publish.Rejected"])
        self.assertEqual(len(self.receiver.bodies("deny-after", "publish")), 1)

        # A reload with an unusable hook URL is refused and changes nothing.
        with open(self.server.config_path, "w") as f:
            f.write('[[vhost]]\nname = "__defaultVhost__"\non_publish = "https://x.example/p"\n')
        since = self.server.log_size()
        self.server.proc.send_signal(signal.SIGHUP)
        line = self.server.wait_log("config reload refused", 10, since)
        self.assertTrue(line)
        self.assertIn("vhost[0].on_publish", line)
        _conn, statuses = self.raw_publish("deny-kept")
        self.assertEqual([c for _, c in statuses], ["NetStream.Publish.Rejected"])


class HookConfigTest(unittest.TestCase):
    def test_an_unusable_hook_url_stops_the_start_naming_its_key(self):
        workdir = tempfile.mkdtemp(prefix="sluice-e2e-hookcfg-")
        server = harness.Server('[[vhost]]\nname = "v"\non_play = "ftp://h.example/x"\n',
                                workdir=workdir)
        try:
            with self.assertRaises(harness.ServerError) as failed:
                server.start(timeout=10)
            self.assertIn("vhost[0].on_play", str(failed.exception))
            self.assertIn("only http:// URLs are supported", str(failed.exception))
        finally:
            server.cleanup()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
