#!/usr/bin/env python3
"""Names and domains from clients: what a client names is checked before
anything is logged, stored or looked up.

  * an invalid stream name full of CR/LF/NUL and 60 KB long is refused and
    logged as one short, escaped line (no forged log lines);
  * a ?domain= of 3,000 characters with newlines is refused and nothing is
    stored: the API's history and online list show nothing of it, while a
    publish with a proper ?domain= is recorded with that domain;
  * "." and ".." are no app or stream names on RTMP publish and play,
    HTTP-FLV (also percent-encoded), the API and the CLI."""
import http.client
import os
import time
import unittest

import harness
from harness import (E2ETestCase, RawPublisher, RtmpConn, api_keys_toml, python_sdk_request, rfc3339,
                     wait_closed)

AK = "AKLTE2ENAMESTEST0001"
SK = "e2e-names-secret-0123456789abcdef"
CONFIG = api_keys_toml(AK, SK)


class ClientNamesTest(E2ETestCase):
    CONFIG = CONFIG

    @classmethod
    def prepare_class(cls):
        media = cls.class_dir("e2e-names-media-")
        flv = harness.make_small_flv(os.path.join(media, "small.flv"), seconds=2)
        cls.tags = harness.read_flv_tags(flv)

    def api(self, action, **params):
        method = "GET" if action.startswith("Describe") else "POST"
        return python_sdk_request(self.server.api_port, AK, SK, action, params, method)

    def publish(self, app, name, timeout=10.0):
        pub = RawPublisher(self.server.rtmp_port, app, name, self.tags)
        self.addCleanup(pub.close)
        return pub, pub.publish(timeout)

    def history(self, **filters):
        now = time.time()
        res = self.api("DescribeClosedStreamInfoByPage", PageNum=1, PageSize=100,
                       EndTimeFrom=rfc3339(now - 600), EndTimeTo=rfc3339(now + 60), **filters)
        self.assertTrue(res.ok, res.describe())
        return res.result["StreamInfoList"]

    def online(self, **filters):
        res = self.api("DescribeLiveStreamInfoByPage", PageNum=1, PageSize=100, **filters)
        self.assertTrue(res.ok, res.describe())
        return res.result["StreamInfoList"]

    def test_hostile_stream_name_is_refused_and_logged_as_one_short_line(self):
        offset = self.server.log_size()
        forged = "\r\n[2026-01-01 00:00:00.000] [error] forged by a client\x00"
        name = "cam" + forged + "A" * 60000
        pub, status = self.publish("live", name)
        self.assertEqual(status, "NetStream.Publish.BadName")
        self.assertIsNotNone(wait_closed(pub.conn.sock, 5), "the connection stayed open")
        line = self.server.wait_log(r"publish refused: invalid stream name", 5, offset)
        self.assertIsNotNone(line, "no refusal line in the log")
        self.assertLess(len(line), 400, f"refusal line of {len(line)} characters")
        self.assertIn("cam\\x0d\\x0a[2026-01-01", line)
        logged = self.server.log_since(offset)
        self.assertNotIn("\x00", logged)
        forged_lines = [l for l in logged.splitlines() if "forged by a client" in l]
        self.assertTrue(forged_lines)
        for l in forged_lines:  # the client's text only ever inside a line, escaped
            self.assertIn("cam\\x0d\\x0a[2026-01-01", l)
        self.assertLess(len(logged), 4000, "the refusal took more than a few lines of log")

    def test_domain_parameter_must_be_a_domain_and_nothing_is_stored(self):
        bad_domain = ("evil\n" * 600)[:3000]
        pub, status = self.publish("live", "domained?domain=" + bad_domain.replace("\n", "%0A"))
        self.assertEqual(status, "NetStream.Publish.BadName")
        self.assertIsNotNone(wait_closed(pub.conn.sock, 5), "the connection stayed open")
        # A proper domain is accepted and recorded as given.
        good, status = self.publish("live", "domained?domain=push.names.example")
        self.assertEqual(status, "NetStream.Publish.Start")
        self.assertEqual([s["Domain"] for s in self.online(Stream="domained")], ["push.names.example"])
        good.close()
        records = harness.wait_until(lambda: self.history(Stream="domained"), 5)
        self.assertEqual([r["Domain"] for r in records], ["push.names.example"],
                         "history must hold the good publish only")
        self.assertEqual(self.online(Stream="domained"), [])

    def test_vhost_parameter_must_be_configured_or_a_domain(self):
        _, status = self.publish("live", "vh?vhost=bad%0D%0Avhost")
        self.assertEqual(status, "NetStream.Publish.BadName")
        ok, status = self.publish("live", "vh?vhost=__defaultVhost__")
        self.assertEqual(status, "NetStream.Publish.Start")

    def test_dot_names_are_refused_on_rtmp(self):
        for app, stream in (("..", "cam1"), (".", "cam1"), ("live", ".."), ("live", "."),
                            ("live", "..?token=x")):
            _, status = self.publish(app, stream)
            self.assertEqual(status, "NetStream.Publish.BadName", f"publish {app}/{stream}")
        conn = self.track(RtmpConn(self.server.rtmp_port))
        conn.handshake()
        conn.connect("live", self.server.rtmp_port)
        sid = conn.create_stream()
        conn.play(sid, "..")
        codes = []
        try:
            while True:
                code = conn.read_message(5).status_code()
                if code:
                    codes.append(code)
        except (ConnectionError, OSError):
            pass
        self.assertEqual(codes, ["NetStream.Play.StreamNotFound"])

    def test_dot_names_are_refused_on_http_flv(self):
        for path in ("/%2e%2e/x.flv", "/%2E%2E/x.flv", "/../x.flv", "/live/%2e%2e.flv", "/live/..flv",
                     "/./x.flv", "/live/%2e.flv"):
            conn = http.client.HTTPConnection("127.0.0.1", self.server.http_port, timeout=10)
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                body = resp.read()
            finally:
                conn.close()
            self.assertEqual(resp.status, 400, f"GET {path}: {resp.status} {body!r}")
            self.assertIn(b"invalid", body)

    def test_dot_names_are_refused_by_the_api_and_the_cli(self):
        for params, field in (({"App": "..", "Stream": "s"}, "InvalidParam.App"),
                              ({"App": "live", "Stream": "."}, "InvalidParam.Stream")):
            res = self.api("DescribeLiveStreamState", Vhost="__defaultVhost__", **params)
            self.assertEqual((res.status, res.code), (400, field), res.describe())
        res = self.api("ForbidStream", Domain="bad\ndomain", App="live", Stream="s")
        self.assertEqual((res.status, res.code), (400, "InvalidParam.Domain"), res.describe())
        for address in ("live/..", "../cam1"):
            cp = harness.run([harness.sluice_bin(), "state", address, "--endpoint",
                              f"127.0.0.1:{self.server.api_port}", "--ak", AK, "--sk", SK], 15)
            err = cp.stderr.decode(errors="replace")
            self.assertEqual(cp.returncode, 2, f"sluice state {address}: {err}")
            self.assertIn("not . or ..", err)


if __name__ == "__main__":
    unittest.main()
