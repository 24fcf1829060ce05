"""The HTTP server's router and keep-alive (issue 9), with raw sockets.

* API listener: several requests on one TCP connection (GET /healthz, signed
  GET and POST OpenAPI calls) are each answered; "Connection: close" ends
  the connection after its answer; HTTP/1.0 keeps it only when asked.
* GET /healthz answers 200 {"status":"ok","version":...} on the API listener.
* Unknown routes answer 404 at once (< 0.5 s) on both listeners, and the
  connection stays usable; a known path with another method answers 405
  with Allow.
* Media listener: an unknown route, then HTTP-FLV on the same connection
  (the streaming route takes the connection over and plays).
"""

import json
import socket
import time
import unittest

import harness
from harness import E2ETestCase, api_keys_toml

AK = "AKLTroutertest"
SK = "router-test-secret-key-0123456789"
FAST = 0.5  # seconds: "at once", far below any read timeout (10 s / 30 s)


class Connection:
    """One client TCP connection that sends requests and reads answers
    (Content-Length bodies only, as every ordinary answer has)."""

    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.file = self.sock.makefile("rb")

    def close(self):
        self.file.close()
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def read_response(self, head_only=False):
        """-> (status, {lower-case header: value}, body bytes)."""
        status_line = self.file.readline()
        if not status_line:
            raise EOFError("connection closed before an answer")
        status = int(status_line.split()[1])
        headers = {}
        while True:
            line = self.file.readline().decode("latin-1").rstrip("\r\n")
            if not line:
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = 0 if head_only else int(headers.get("content-length", "0"))
        body = self.file.read(length) if length else b""
        return status, headers, body

    def request(self, method, target, headers=None, body=b"", version="HTTP/1.1", head_only=False):
        lines = [f"{method} {target} {version}", "Host: 127.0.0.1"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        if body:
            lines.append(f"Content-Length: {len(body)}")
        self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        return self.read_response(head_only)

    def closed_by_server(self, timeout=2.0):
        """True when the server ends the connection within the timeout."""
        self.sock.settimeout(timeout)
        try:
            return self.file.read(1) == b""
        except (socket.timeout, TimeoutError):
            return False
        except ConnectionResetError:
            return True


def signed_request(port, action, params, method):
    """(target, headers, body) of an OpenAPI call signed as Volcengine's
    Python SDK signs it, without Host (Connection.request sends it)."""
    target, headers, body = harness.signed_api_call(action, params, AK, SK, method=method)
    del headers["Host"]
    return target, headers, body


class ApiRouterTest(E2ETestCase):
    CONFIG = api_keys_toml(AK, SK)

    def connect(self):
        conn = Connection(self.server.api_port)
        self.addCleanup(conn.close)
        return conn

    def test_health(self):
        status, headers, body = self.connect().request("GET", "/healthz")
        self.assertEqual(status, 200, body)
        # The version is the binary's own (`sluice version`), and nothing else is shown.
        version = harness.run([harness.sluice_bin(), "version"], timeout=10).stdout.decode().split()[-1]
        self.assertEqual(json.loads(body), {"status": "ok", "version": version})
        self.assertTrue(headers["content-type"].startswith("application/json"), headers)

    def test_keep_alive_serves_several_requests(self):
        conn = self.connect()
        state = {"Vhost": "example.com", "App": "live", "Stream": "nobody"}
        for round_ in range(3):
            status, headers, body = conn.request("GET", "/healthz")
            self.assertEqual((status, json.loads(body)["status"]), (200, "ok"), f"round {round_}")
            self.assertNotEqual(headers.get("connection", "").lower(), "close", headers)
            target, hdrs, payload = signed_request(self.server.api_port, "DescribeLiveStreamState",
                                                   state, "GET")
            status, headers, body = conn.request("GET", target, hdrs, payload)
            self.assertEqual(status, 200, body)
            self.assertEqual(json.loads(body)["Result"]["stream_state"], "offline", body)
            harness.next_signing_second()  # a new signature for the write below
            target, hdrs, payload = signed_request(self.server.api_port, "ResumeStream", state, "POST")
            status, headers, body = conn.request("POST", target, hdrs, payload)
            # Resuming a stream that is not forbidden is an API error, answered in the envelope.
            self.assertEqual(json.loads(body)["ResponseMetadata"]["Action"], "ResumeStream", body)
            self.assertIn(status, (200, 404), body)
        status, headers, _ = conn.request("GET", "/healthz", {"Connection": "close"})
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("connection", "").lower(), "close", headers)
        self.assertTrue(conn.closed_by_server(), "the server kept the connection after Connection: close")

    def test_http10_keeps_alive_only_when_asked(self):
        conn = self.connect()
        status, headers, _ = conn.request("GET", "/healthz", {"Connection": "keep-alive"},
                                          version="HTTP/1.0")
        self.assertEqual((status, headers.get("connection", "").lower()), (200, "keep-alive"))
        status, _, _ = conn.request("GET", "/healthz", version="HTTP/1.0")
        self.assertEqual(status, 200)
        self.assertTrue(conn.closed_by_server(), "HTTP/1.0 without keep-alive stayed open")

    def test_unknown_route_is_404_at_once(self):
        conn = self.connect()
        for target in ("/nope", "/healthz/x", "/favicon.ico",
                       "/v2?Action=DescribeLiveStreamState&Version=2023-01-01"):
            started = time.monotonic()
            status, headers, body = conn.request("GET", target)
            elapsed = time.monotonic() - started
            self.assertEqual(status, 404, (target, body))
            self.assertLess(elapsed, FAST, target)
            error = json.loads(body)["ResponseMetadata"]["Error"]
            self.assertEqual((error["Code"], error["CodeN"]), ("InvalidActionOrVersion", 100008), body)
        status, _, _ = conn.request("GET", "/healthz")
        self.assertEqual(status, 200, "the connection did not survive a 404")

    def test_wrong_method_is_405_with_allow(self):
        conn = self.connect()
        status, headers, body = conn.request("PUT", "/?Action=KillStream&Version=2023-01-01", body=b"{}")
        self.assertEqual(status, 405, body)
        self.assertEqual(headers.get("allow"), "GET, POST", headers)
        error = json.loads(body)["ResponseMetadata"]["Error"]
        self.assertEqual((error["Code"], error["CodeN"]), ("MethodNotAllowed", 405001), body)
        self.assertEqual(json.loads(body)["ResponseMetadata"]["Action"], "KillStream", body)
        status, headers, _ = conn.request("DELETE", "/healthz")
        self.assertEqual((status, headers.get("allow")), (405, "GET"))


class ApiIdleTimeoutTest(E2ETestCase):
    """[api] idle_timeout_ms bounds reading a request, however it trickles
    in, and a keep-alive connection left silent; a client that keeps asking
    stays connected (http/connection_deadline.hpp)."""
    IDLE = 0.5
    CONFIG = "[api]\nidle_timeout_ms = 500\n" + api_keys_toml(AK, SK)

    def connect(self):
        conn = Connection(self.server.api_port)
        self.addCleanup(conn.close)
        return conn

    def assert_closed_after_the_timeout(self, conn, started):
        self.assertTrue(conn.closed_by_server(timeout=5), "the connection outlived its timeout")
        elapsed = time.monotonic() - started
        self.assertGreaterEqual(elapsed, self.IDLE * 0.8)
        self.assertLess(elapsed, self.IDLE + 1.5)

    def test_a_request_whose_header_never_ends_is_cut(self):
        conn = self.connect()
        started = time.monotonic()
        conn.send(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.assert_closed_after_the_timeout(conn, started)

    def test_a_header_trickled_byte_by_byte_is_cut_at_the_same_time(self):
        conn = self.connect()
        started = time.monotonic()
        for byte in b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: yes":
            try:
                conn.send(bytes([byte]))
            except OSError:
                break  # closed by the server
            time.sleep(0.05)
            if time.monotonic() - started > self.IDLE + 1.5:
                break
        self.assert_closed_after_the_timeout(conn, started)

    def test_a_silent_keep_alive_connection_is_closed(self):
        conn = self.connect()
        status, _, _ = conn.request("GET", "/healthz")
        self.assertEqual(status, 200)
        self.assert_closed_after_the_timeout(conn, time.monotonic())

    def test_a_client_that_keeps_asking_stays_connected(self):
        conn = self.connect()
        until = time.monotonic() + 4 * self.IDLE
        asked = 0
        while time.monotonic() < until:
            status, _, _ = conn.request("GET", "/healthz")
            self.assertEqual(status, 200, f"request {asked}")
            asked += 1
            time.sleep(self.IDLE / 3)
        self.assertGreaterEqual(asked, 8)


class MediaRouterTest(E2ETestCase):
    CONFIG = harness.config_toml(play_wait_timeout_ms=1000)

    def connect(self):
        conn = Connection(self.server.http_port)
        self.addCleanup(conn.close)
        return conn

    def test_unknown_route_is_404_at_once_and_keeps_the_connection(self):
        conn = self.connect()
        for target in ("/", "/nope", "/favicon.ico", "/live/x.mp4", "/healthz"):
            started = time.monotonic()
            status, headers, body = conn.request("GET", target)
            self.assertEqual(status, 404, (target, body))
            self.assertLess(time.monotonic() - started, FAST, target)
            self.assertEqual(headers.get("access-control-allow-origin"), "*", headers)
        status, _, _ = conn.request("HEAD", "/nope", head_only=True)
        self.assertEqual(status, 404)
        status, _, body = conn.request("GET", "/nope", {"Connection": "close"})
        self.assertEqual(status, 404, body)
        self.assertTrue(conn.closed_by_server())

    def test_wrong_method_is_405_with_allow(self):
        status, headers, body = self.connect().request("POST", "/live/s.flv", body=b"")
        self.assertEqual(status, 405, body)
        self.assertEqual(headers.get("allow"), "GET, HEAD", headers)

    def test_cors_preflight(self):
        status, headers, _ = self.connect().request("OPTIONS", "/live/s.flv")
        self.assertEqual(status, 204)
        self.assertEqual(headers.get("access-control-allow-methods"), "GET, HEAD, OPTIONS")
        self.assertEqual(headers.get("access-control-allow-origin"), "*")
        self.assertEqual(headers.get("access-control-allow-headers"), "*")
        self.assertEqual(headers.get("access-control-max-age"), "86400")

    def test_flv_after_another_request_on_the_same_connection(self):
        self.start_publisher("router")
        self.wait_live("router")
        conn = self.connect()
        status, _, _ = conn.request("GET", "/nope")
        self.assertEqual(status, 404)
        conn.send(b"GET /live/router.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        status, headers, _ = conn.read_response(head_only=True)
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("content-type"), "video/x-flv", headers)
        self.assertEqual(headers.get("transfer-encoding"), "chunked", headers)
        size = int(conn.file.readline().strip(), 16)
        self.assertEqual(conn.file.read(size)[:3], b"FLV")
        conn.file.readline()
        # Then video tags follow (chunk after chunk).
        size = int(conn.file.readline().strip(), 16)
        self.assertGreater(size, 0)
        self.assertGreater(len(conn.file.read(size)), 0)

    def test_unpublished_stream_still_404_after_the_wait(self):
        conn = self.connect()
        started = time.monotonic()
        status, headers, body = conn.request("GET", "/live/absent.flv")
        self.assertEqual(status, 404, body)
        self.assertGreaterEqual(time.monotonic() - started, 0.9)  # play_wait_timeout_ms
        self.assertIn(b"is not being published", body)
        self.assertEqual(headers.get("connection"), "close", headers)


if __name__ == "__main__":
    unittest.main()
