"""Descriptors, connection caps and oversized requests.

* Under a low descriptor limit (`prlimit --nofile=N:N`), more idle
  connections than the limit to the HTTP-FLV and RTMP ports leave the server
  idle (no accept spin), its log short, and the management API answering a
  signed request within 100 ms; once they go, new viewers play again.
* A low soft limit under a higher hard one is raised at start (and logged),
  so more connections than the soft limit are all served.
* The per-address cap holds one client address while another is served
  (loopback has the whole 127.0.0.0/8: clients bind 127.0.0.1 or 127.0.0.2).
* A request header over the limit is answered 431 (HTTP-FLV and API), an API
  body over api.max_body_bytes a 413 error envelope, read by a client that
  is still sending instead of a reset.
"""

import http.client
import json
import os
import shutil
import socket
import tempfile
import time
import unittest

import harness
from harness import E2ETestCase, Server, api_keys_toml, python_sdk_request, wait_until

AK = "AKLTlimitstest"
SK = "limits-test-secret-key-0123456789"
CLK_TCK = os.sysconf("SC_CLK_TCK")


class LimitedServer(Server):
    """sluice started under `prlimit --nofile=SOFT:HARD` (util-linux): prlimit
    execs sluice, so the Popen's pid is sluice's."""

    def __init__(self, config_text, soft, hard):
        super().__init__(config_text)
        self.soft, self.hard = soft, hard

    def command(self):
        return ["prlimit", f"--nofile={self.soft}:{self.hard}", "--"] + super().command()


def cpu_seconds(pid):
    """utime + stime of a process, in seconds (/proc/PID/stat fields 14, 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def open_connections(port, count, source="127.0.0.1", first_bytes=b""):
    """`count` TCP connections to the port from `source` (each sends
    first_bytes). The kernel completes them into the listen backlog whether
    or not the server accepts them."""
    socks = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(5.0)
            s.bind((source, 0))
            s.connect(("127.0.0.1", port))
            if first_bytes:
                s.sendall(first_bytes)
            socks.append(s)
    except BaseException:
        close_all(socks)
        raise
    return socks


def close_all(socks):
    for s in socks:
        try:
            s.close()
        except OSError:
            pass


def http_get(port, path, source="127.0.0.1", timeout=5.0):
    """One HTTP/1.1 GET from `source`; returns the status code or a string
    saying how the connection ended without one."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.bind((source, 0))
        s.connect(("127.0.0.1", port))
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                return "closed without a response"
            data += chunk
        return int(data.split(b" ", 2)[1])
    except (ConnectionResetError, BrokenPipeError):
        return "reset"
    except socket.timeout:
        return "no answer within the timeout"
    finally:
        s.close()


def closed_by_server(sock, timeout):
    """True when the server closes (EOF or reset) within the timeout
    without sending anything."""
    sock.settimeout(timeout)
    try:
        return sock.recv(1) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def signed_state_request(port):
    """A signed DescribeLiveStreamState, shaped like the Python SDK's;
    returns (ApiResult, seconds it took)."""
    start = time.monotonic()
    res = python_sdk_request(port, AK, SK, "DescribeLiveStreamState",
                             {"Vhost": "__defaultVhost__", "App": "live", "Stream": "none"},
                             timeout=5.0)
    return res, time.monotonic() - start


class DescriptorLimitTest(E2ETestCase):
    """soft = hard = 400 descriptors; 350 HTTP-FLV viewers waiting for a
    stream plus 100 silent RTMP connections hold more than that."""

    LIMIT = 400
    CONFIG = api_keys_toml(AK, SK) + (
        "[media]\nplay_wait_timeout_ms = 60000\n"
        "[rtmp]\nhandshake_timeout_ms = 60000\n")

    @classmethod
    def setUpClass(cls):
        cls._class_dirs = []
        cls.server = LimitedServer(cls.CONFIG, cls.LIMIT, cls.LIMIT)
        try:
            cls.server.start()
            media = cls.class_dir("e2e-limits-media-")
            cls.flv = harness.make_small_flv(os.path.join(media, "small.flv"), seconds=2)
        except Exception:
            cls.tearDownClass()
            raise

    def test_flooded_media_ports_leave_the_server_idle_and_the_api_answering(self):
        pid = self.server.proc.pid
        log_lines_before = len(self.server.log().splitlines())

        viewer_request = b"GET /live/absent.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        held = open_connections(self.server.http_port, 350, first_bytes=viewer_request)
        self.addCleanup(close_all, held)
        held += open_connections(self.server.rtmp_port, 100)
        self.assertGreater(len(held), self.LIMIT)
        time.sleep(1.0)  # every connection has reached the server by now

        cpu_start, wall_start = cpu_seconds(pid), time.monotonic()
        time.sleep(3.0)
        cpu = cpu_seconds(pid) - cpu_start
        wall = time.monotonic() - wall_start
        self.assertLess(cpu / wall, 0.10,
                        f"the server used {cpu:.2f} CPU-s in {wall:.1f} s while holding "
                        f"{len(held)} connections\n{self.server.log_tail()}")

        timings = []
        for _ in range(3):
            res, seconds = signed_state_request(self.server.api_port)
            self.assertTrue(res.ok, f"signed request while flooded: {res.describe()}\n"
                                    f"{self.server.log_tail()}")
            timings.append(seconds)
        self.assertLess(min(timings), 0.100, f"API answered in {timings} s while flooded")

        # Each admitted viewer has its own "playing (waiting for the publisher)"
        # line (the lifecycle log, one per play, bounded by the connection cap);
        # what must not grow with the flood is everything else: one line per
        # refused connection or per failed accept is the bug this guards.
        all_lines = self.server.log().splitlines()[log_lines_before:]
        plays = [l for l in all_lines if "playing (waiting for the publisher)" in l]
        self.assertLessEqual(len(plays), self.LIMIT)
        flood_lines = [l for l in all_lines if l not in plays]
        self.assertLess(len(flood_lines), 40,
                        "the log grew by %d lines during the flood:\n%s" %
                        (len(flood_lines), "\n".join(flood_lines[:20])))
        self.assertTrue(any("refused connections over limits.max_connections" in l
                            for l in flood_lines), "\n".join(flood_lines[:20]))

        self.assertIn(f"open files limit: soft {self.LIMIT}, hard {self.LIMIT}", self.server.log())

        close_all(held)
        publisher = harness.start_flv_publisher(self.server.rtmp_url("back"), self.flv, self.tmp)
        self._procs.append(publisher)

        def plays(url):
            streams, _ = harness.probe(url, timeout=15)
            return any(s.get("codec_type") == "video" for s in streams or [])

        self.assertTrue(wait_until(lambda: plays(self.server.flv_url("back")), 30, 0.5),
                        f"HTTP-FLV viewer after the flood\n{self.server.log_tail()}")
        self.assertTrue(plays(self.server.rtmp_url("back")),
                        f"RTMP viewer after the flood\n{self.server.log_tail()}")


class SoftLimitRaisedTest(E2ETestCase):
    """soft 256 under hard 2048: raised at start, so 400 viewers from
    127.0.0.1 (exempt from the per-address cap by default) are all held and
    the next request is still answered."""

    CONFIG = "[media]\nplay_wait_timeout_ms = 60000\n"

    @classmethod
    def setUpClass(cls):
        cls._class_dirs = []
        cls.server = LimitedServer(cls.CONFIG, 256, 2048)
        try:
            cls.server.start()
        except Exception:
            cls.tearDownClass()
            raise

    def test_soft_limit_is_raised_and_more_connections_than_it_are_served(self):
        viewer_request = b"GET /live/absent.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        held = open_connections(self.server.http_port, 400, first_bytes=viewer_request)
        self.addCleanup(close_all, held)
        # Connections are accepted in order: an answer to the next one means
        # all 400 before it were taken.
        self.assertEqual(http_get(self.server.http_port, "/nothing-here", timeout=10), 404,
                         f"no answer after 400 waiting viewers\n{self.server.log_tail()}")
        self.assertFalse(any(closed_by_server(s, 0.01) for s in held),
                         "a waiting viewer was closed")
        self.assertIn("open files limit: soft 256 raised to the hard limit 2048", self.server.log())


class PerAddressCapTest(E2ETestCase):
    CONFIG = ("[media]\nplay_wait_timeout_ms = 60000\n"
              "[limits]\nmax_connections_per_ip = 4\nper_ip_exempt = []\n")

    def test_one_address_is_capped_while_another_is_served(self):
        viewer_request = b"GET /live/absent.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        held = open_connections(self.server.http_port, 4, first_bytes=viewer_request)
        self.addCleanup(close_all, held)
        for s in held:  # all four are served: they wait for the stream, still open
            self.assertFalse(closed_by_server(s, 0.3), "one of the first four was closed")

        fifth_http = open_connections(self.server.http_port, 1, first_bytes=viewer_request)[0]
        self.addCleanup(fifth_http.close)
        self.assertTrue(closed_by_server(fifth_http, 3.0),
                        f"a fifth HTTP connection from 127.0.0.1 stayed open\n"
                        f"{self.server.log_tail()}")
        fifth_rtmp = open_connections(self.server.rtmp_port, 1)[0]  # RTMP shares the cap
        self.addCleanup(fifth_rtmp.close)
        self.assertTrue(closed_by_server(fifth_rtmp, 3.0),
                        "a fifth connection from 127.0.0.1, to RTMP, stayed open")

        self.assertEqual(http_get(self.server.http_port, "/nothing-here", source="127.0.0.2"), 404,
                         f"127.0.0.2 was not served\n{self.server.log_tail()}")
        self.assertTrue(self.server.wait_log(r"refused connections over "
                                             r"limits\.max_connections_per_ip \(4\) "
                                             r"\(first from 127\.0\.0\.1\)", 3))

        held.pop().close()
        self.assertTrue(wait_until(lambda: http_get(self.server.http_port, "/nothing-here") == 404,
                                   3.0, 0.1),
                        "127.0.0.1 was not served again after one of its connections closed")


class OversizedRequestTest(E2ETestCase):
    CONFIG = api_keys_toml(AK, SK)

    def read_response(self, sock, timeout=10.0):
        """Status line, headers and body (by Content-Length) of one response."""
        sock.settimeout(timeout)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                self.fail(f"connection closed after {data[:200]!r}")
            data += chunk
        head, body = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in
                   (line.split(":", 1) for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            body += chunk
        return int(lines[0].split(" ", 2)[1]), headers, body

    def send_oversized_header(self, port):
        """A GET whose header is 64 KiB (over the 16 KiB limit), sent in full
        before reading: the answer must survive the bytes the server did not read."""
        sock = harness.connect_tcp(port)
        self.addCleanup(sock.close)
        pad = "".join(f"X-Pad-{i}: {'a' * 1000}\r\n" for i in range(64))
        sock.sendall(f"GET /live/x.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n{pad}\r\n".encode())
        return sock

    def test_http_flv_header_over_the_limit_gets_431(self):
        sock = self.send_oversized_header(self.server.http_port)
        status, headers, body = self.read_response(sock)
        self.assertEqual(status, 431, body)
        self.assertEqual(headers.get("connection"), "close")
        self.assertIsNotNone(harness.wait_closed(sock, 10), "not closed after the 431")

    def test_api_header_over_the_limit_gets_431_envelope(self):
        sock = self.send_oversized_header(self.server.api_port)
        status, headers, body = self.read_response(sock)
        self.assertEqual(status, 431, body)
        error = json.loads(body)["ResponseMetadata"]["Error"]
        self.assertEqual(error["Code"], "RequestHeaderFieldsTooLarge")
        self.assertEqual(error["CodeN"], 431001)
        self.assertIn("16384", error["Message"])

    def test_api_body_over_the_limit_gets_413_envelope_before_the_close(self):
        # http.client sends the whole 2 MB body before it reads the answer.
        # The pause after the first 64 KiB lets the server answer and close
        # while the client is still sending: a server that closes at once
        # resets the connection, and the rest of the body fails with
        # EPIPE/ECONNRESET before the answer is read.
        body = json.dumps({"Vhost": "__defaultVhost__", "App": "live", "Stream": "x",
                           "Pad": "p" * (2 * 1024 * 1024)}).encode()
        conn = http.client.HTTPConnection("127.0.0.1", self.server.api_port, timeout=10)
        self.addCleanup(conn.close)
        conn.putrequest("POST", "/?Action=KillStream&Version=2023-01-01", skip_accept_encoding=True)
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        conn.send(body[:65536])
        time.sleep(0.5)
        conn.send(body[65536:])
        resp = conn.getresponse()
        envelope = json.loads(resp.read())
        self.assertEqual(resp.status, 413, envelope)
        meta = envelope["ResponseMetadata"]
        self.assertEqual((meta["Action"], meta["Version"]), ("KillStream", "2023-01-01"))
        self.assertTrue(meta["RequestId"])
        self.assertNotIn("Result", envelope)
        self.assertEqual(meta["Error"]["Code"], "RequestEntityTooLarge")
        self.assertEqual(meta["Error"]["CodeN"], 413001)
        self.assertIn("api.max_body_bytes", meta["Error"]["Message"])

        res, _ = signed_state_request(self.server.api_port)  # and the API still serves
        self.assertTrue(res.ok, res.describe())


if __name__ == "__main__":
    unittest.main()
