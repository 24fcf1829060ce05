"""Durable push / push_end callbacks, end to end: a real sluice, real ffmpeg
publishers, and a real HTTP receiver (Python's http.server on 127.0.0.1)
that fails, is down, or comes up late.

What a receiver can rely on (README, "Callbacks"): every event arrives at
least once, with a 2xx answered exactly once per event_id here (a
receiver dedupes by event_id); a stream's push_end never before its push;
`t` is about now + 600 and `sign` = md5(callback_auth_key + t); failed
tries are retried 3 s apart; the outbox survives kill -9."""

import hashlib
import http.server
import json
import os
import re
import signal
import socket
import threading
import time
import unittest
import urllib.request

import harness
from harness import E2ETestCase, Server

VHOST = "__defaultVhost__"
AUTH_KEY = "e2e-callback-key"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """Answers POST /cb; the first `fail_first` tries of each event_id get
    a 500. Records (arrival monotonic time, body, status)."""

    def __init__(self, port=0, fail_first=0, stall=0.0):
        self.port = port or free_port()
        self.fail_first = fail_first
        self.stall = stall  # seconds to sit on each request before answering
        self.lock = threading.Lock()
        self.got = []
        self.tries = {}
        self.httpd = None

    def url(self):
        return f"http://127.0.0.1:{self.port}/cb"

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length))
                time.sleep(receiver.stall)
                with receiver.lock:
                    n = receiver.tries.get(body["event_id"], 0) + 1
                    receiver.tries[body["event_id"]] = n
                    status = 500 if n <= receiver.fail_first else 200
                    receiver.got.append((time.monotonic(), time.time(), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def snapshot(self):
        with self.lock:
            return list(self.got)

    def delivered(self):
        """Bodies answered 2xx, in arrival order."""
        return [body for _, _, body, status in self.snapshot() if status == 200]

    def wait_delivered(self, count, timeout):
        return harness.wait_until(lambda: len(self.delivered()) >= count, timeout, 0.1)


def callbacks_config(url, extra=""):
    return (extra + f'[[vhost]]\nname = "{VHOST}"\n'
            f'push_callback_urls = ["{url}"]\npush_end_callback_urls = ["{url}"]\n'
            f'callback_auth_key = "{AUTH_KEY}"\n')


class CallbacksTest(E2ETestCase):
    # Each test starts its own server: the receiver's URL is in its config.
    @classmethod
    def setUpClass(cls):
        cls._class_dirs = []
        cls.server = None

    def setUp(self):
        super().setUp()
        self.receivers = []
        self.servers = []
        self.addCleanup(self._stop_everything)

    def _stop_everything(self):
        for r in self.receivers:
            r.stop()
        for s in self.servers:
            s.cleanup()

    def receiver(self, **kwargs):
        r = Receiver(**kwargs)
        self.receivers.append(r)
        return r

    def serve(self, url, workdir=None, extra=""):
        self.server = Server(callbacks_config(url, extra), workdir=workdir)
        self.servers.append(self.server)
        return self.server.start()

    def publish(self, stream, seconds):
        """Publishes for `seconds` and waits for ffmpeg to end."""
        proc = self.start_publisher(stream, seconds=seconds)
        self.wait_live(stream)
        proc.wait(timeout=seconds + 30)

    def check_signed(self, got):
        """Every try carries t ≈ now + 600 and a valid sign."""
        for _, wall, body, _ in got:
            self.assertAlmostEqual(body["t"], wall + 600, delta=5, msg=body)
            self.assertEqual(body["sign"],
                             hashlib.md5(f"{AUTH_KEY}{body['t']}".encode()).hexdigest(), body)

    def check_once_each_in_order(self, receiver, stream):
        """Per event_id exactly one 2xx; the stream's push_start before its push_end."""
        got = receiver.snapshot()
        ok_by_id = {}
        for _, _, body, status in got:
            if status == 200:
                ok_by_id[body["event_id"]] = ok_by_id.get(body["event_id"], 0) + 1
        self.assertTrue(all(n == 1 for n in ok_by_id.values()), ok_by_id)
        events = [b["event_type"] for b in receiver.delivered() if b["stream"] == stream]
        self.assertEqual(events, ["push_start", "push_end"])
        # Nothing of the push_end went out before the push_start's 2xx.
        start_ok = next(t for t, _, b, s in got
                        if b["stream"] == stream and b["event_type"] == "push_start" and s == 200)
        end_first = min(t for t, _, b, _ in got
                        if b["stream"] == stream and b["event_type"] == "push_end")
        self.assertGreaterEqual(end_first, start_ok)
        self.check_signed(got)

    def metric(self, name):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.server.metrics_port}/metrics",
                                    timeout=5) as response:
            text = response.read().decode()
        match = re.search(rf"^{name} (\S+)$", text, re.M)
        self.assertIsNotNone(match, f"{name} not in /metrics")
        return float(match.group(1))

    def test_a_failing_receiver_gets_each_event_after_retries_3s_apart(self):
        receiver = self.receiver(fail_first=2).start()
        self.serve(receiver.url())
        self.publish("retried", seconds=3)
        self.assertTrue(receiver.wait_delivered(2, 60), receiver.snapshot())
        got = receiver.snapshot()
        self.assertEqual(len(got), 6, [(b["event_type"], s) for _, _, b, s in got])
        for event in ("push_start", "push_end"):
            times = [t for t, _, b, _ in got if b["event_type"] == event]
            gaps = [b - a for a, b in zip(times, times[1:])]
            self.assertEqual(len(gaps), 2)
            for gap in gaps:
                self.assertGreater(gap, 2.5, f"{event} retried {gaps}")
                self.assertLess(gap, 6.0, f"{event} retried {gaps}")
        self.check_once_each_in_order(receiver, "retried")
        end = receiver.delivered()[1]
        self.assertEqual(end["reason"], "finished")
        self.assertEqual(end["session_id"], receiver.delivered()[0]["session_id"])
        # The counters move once the answers are written, just after the receiver saw them.
        self.assertTrue(harness.wait_until(
            lambda: self.metric("sluice_callback_deliveries_total") == 2, 10))
        self.assertEqual(self.metric("sluice_callback_retries_total"), 4)
        self.assertEqual(self.metric("sluice_callback_failures_total"), 0)
        self.assertEqual(self.metric("sluice_callback_queue_depth"), 0)

    def test_a_receiver_that_is_down_gets_the_events_once_it_is_up(self):
        receiver = self.receiver()  # not listening yet
        self.serve(receiver.url())
        self.publish("late", seconds=2)
        # Both events wait in the outbox while nobody listens.
        self.assertTrue(harness.wait_until(
            lambda: self.metric("sluice_callback_retries_total") >= 2, 20))
        self.assertEqual(self.metric("sluice_callback_queue_depth"), 2)
        receiver.start()
        self.assertTrue(receiver.wait_delivered(2, 30), receiver.snapshot())
        self.check_once_each_in_order(receiver, "late")
        self.assertTrue(harness.wait_until(
            lambda: self.metric("sluice_callback_queue_depth") == 0, 10))

    def test_kill_9_before_delivery_then_restart_delivers_with_push_end_interrupted(self):
        receiver = self.receiver()  # down while sluice runs the first time
        workdir = self.path("server")
        os.makedirs(workdir)
        server = self.serve(receiver.url(), workdir=workdir)
        publisher = self.start_publisher("crashed", seconds=60)
        self.wait_live("crashed")
        self.assertTrue(harness.wait_until(
            lambda: self.metric("sluice_callback_retries_total") >= 1, 20))
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=10)
        server.kill()  # closes its log
        publisher.kill()
        publisher.wait(timeout=10)

        receiver.start()
        self.serve(receiver.url(), workdir=workdir)
        self.assertTrue(receiver.wait_delivered(2, 30), receiver.snapshot())
        self.check_once_each_in_order(receiver, "crashed")
        start, end = receiver.delivered()
        self.assertEqual(end["reason"], "interrupted")
        self.assertEqual(end["session_id"], start["session_id"])
        self.assertLess(start["event_id"], end["event_id"])

    def test_a_stalled_receiver_delays_no_publisher_and_no_viewer(self):
        # Every try hangs until sluice's 1 s timeout gives up on it.
        receiver = self.receiver(stall=30).start()
        self.serve(receiver.url(), extra="[callbacks]\ntimeout = 1000\n")
        for n in range(3):
            started = time.monotonic()
            self.start_publisher(f"busy{n}", seconds=60)
            self.wait_live(f"busy{n}", timeout=10)
            self.assertLess(time.monotonic() - started, 8, f"publish {n} went live late")
        self.assertTrue(harness.wait_until(
            lambda: self.metric("sluice_callback_retries_total") >= 3, 20))
        # A viewer starts at once from the GOP cache while the tries time out.
        started = time.monotonic()
        packets, cp = harness.first_video_packets(self.server.flv_url("busy0"), 5, timeout=10)
        self.assertTrue(packets, cp.stderr)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(self.metric("sluice_callback_deliveries_total"), 0)


if __name__ == "__main__":
    unittest.main()
