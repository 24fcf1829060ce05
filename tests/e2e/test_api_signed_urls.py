"""GeneratePushURL and GeneratePlayURL end to end: the server signs URLs with
the vhost's push and play keys, called through Volcengine's own Node.js SDK
(@volcengine/openapi's createJSONAPI, as for the other POST actions: version
1.36 has no typed live methods) and a Python-SDK-shaped request; real ffmpeg
pushes to the returned RTMP URL with push auth required (127.0.0.1 is not
trusted here), real ffprobe plays the returned HTTP-FLV, RTMP and HLS URLs
with play auth on, and the same URLs without their signature are refused."""

import re
import time
import urllib.error
import urllib.request

import harness
from harness import NodeApiTestCase, probe, read_text

AK = "AKLTE2ESIGNEDURLS001"
SK = "e2e-signed-urls-secret-0123456789"
PUSH_KEY = "push-key-for-generated-urls-31c9"
PLAY_KEY = "play-key-for-generated-urls-8e02"

CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) + f"""
[push_auth]
trusted = ["::1"]
[[api.keys]]
access_key = "{AK}"
secret_key = "{SK}"
[[vhost]]
name = "__defaultVhost__"
push_key = "{PUSH_KEY}"
play_key = "{PLAY_KEY}"
""")


class GeneratedUrlsTest(NodeApiTestCase):
    CONFIG = CONFIG
    AK, SK = AK, SK

    @classmethod
    def prepare_class(cls):
        super().prepare_class()


    def ok(self, res, what):
        self.assertTrue(res.ok, f"{what}: {res.describe()}")
        return res.result

    def test_generated_push_url_publishes_and_play_urls_play(self):
        name = "gen1"
        push = self.ok(self.api.post("GeneratePushURL", Vhost="__defaultVhost__", App="live",
                                     Stream=name, ValidDuration=600), "GeneratePushURL")
        self.assertEqual(len(push["PushURLList"]), 1, push)
        push_url = push["PushURLList"][0]
        # The API's host (the SDK reached it at 127.0.0.1), the RTMP listener's port.
        self.assertRegex(push_url, rf"^rtmp://127\.0\.0\.1:{self.server.rtmp_port}/live/{name}"
                                   r"\?volcTime=\d+&volcSecret=[0-9a-f]{32}$")
        expiry = int(re.search(r"volcTime=(\d+)", push_url).group(1))
        self.assertAlmostEqual(expiry, time.time() + 600, delta=5)
        detail = push["PushURLListDetail"][0]
        self.assertEqual(detail["URL"], push_url)
        self.assertEqual(detail["DomainApp"] + detail["StreamSign"], push_url)
        for empty in ("TsOverSrtURLList", "RtmpOverSrtURLList", "RtmURLList", "WebTransportURLList"):
            self.assertEqual(push[empty], [], empty)

        # Push auth is required: the bare URL is refused, the generated one admitted.
        self.publish_refused(self.server.rtmp_url(name))
        publisher = self.track(harness.start_publisher(push_url, self.tmp))
        # Play auth is on, so the harness's unsigned player cannot watch: ask the API.
        online = harness.wait_until(lambda: self.api.get("DescribeLiveStreamState", Vhost="__defaultVhost__",
                                                App="live", Stream=name).result
                           == {"stream_state": "online", "type": "push"}, 15, interval=0.3)
        self.assertTrue(online, read_text(publisher.log_path, 1500))
        self.assertIsNone(publisher.poll(), read_text(publisher.log_path, 1500))

        play = self.ok(self.api.post("GeneratePlayURL", Domain="", Vhost="__defaultVhost__",
                                     App="live", Stream=name), "GeneratePlayURL")
        urls = {u["Protocol"]: u["URL"] for u in play["URLList"]}
        self.assertEqual(sorted(urls), ["flv", "hls", "rtmp"], play)
        self.assertTrue(all(u["CDN"] == "fcdn" and u["Type"] == "pull" for u in play["URLList"]))
        self.assertTrue(urls["flv"].startswith(self.server.flv_url(name) + "?volcTime="), urls)
        # Signed with the play key: each plays; without the signature it is refused.
        for protocol in ("flv", "rtmp", "hls"):
            streams, cp = probe(urls[protocol])
            self.assertIsNotNone(streams, f"{urls[protocol]}: "
                                          f"{cp.stderr.decode(errors='replace')[-500:]}")
            self.assertIn("video", [s.get("codec_type") for s in streams])
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(self.server.flv_url(name), timeout=10).close()
        self.assertEqual(refused.exception.code, 403)
        # The push key does not sign play URLs (nor the reverse).
        self.assertNotEqual(re.search(r"volcSecret=(\w+)", urls["rtmp"]).group(1),
                            re.search(r"volcSecret=(\w+)", push_url).group(1))
        self.assertNotIn(PUSH_KEY, self.server.log())
        self.assertNotIn(PLAY_KEY, self.server.log())

    def test_expired_time_wins_and_bad_parameters_get_invalid_param(self):
        until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 7200))
        play = self.ok(self.api.post("GeneratePlayURL", Vhost="__defaultVhost__", App="live",
                                     Stream="later", ValidDuration=60, ExpiredTime=until),
                       "GeneratePlayURL")
        expiry = int(re.search(r"volcTime=(\d+)", play["URLList"][0]["URL"]).group(1))
        self.assertEqual(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expiry)), until)
        past = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60))
        cases = [
            ("GeneratePushURL", {"ValidDuration": 0}, "InvalidParam.ValidDuration"),
            ("GeneratePushURL", {"ValidDuration": "seven"}, "InvalidParam.ValidDuration"),
            ("GeneratePushURL", {"ExpiredTime": "tomorrow"}, "InvalidParam.ExpiredTime"),
            ("GeneratePlayURL", {"ExpiredTime": past}, "InvalidParam.ExpiredTime"),
            ("GeneratePlayURL", {"App": None}, "InvalidParam.App"),
            ("GeneratePushURL", {"Stream": None}, "InvalidParam.Stream"),
            ("GeneratePushURL", {"Vhost": None}, "InvalidParam.Vhost"),
            ("GeneratePlayURL", {"Suffix": "_hd"}, "InvalidParam.Suffix"),
        ]
        for action, change, code in cases:
            with self.subTest(action=action, change=change):
                params = {"Vhost": "__defaultVhost__", "App": "live", "Stream": "s"}
                params.update(change)
                params = {k: v for k, v in params.items() if v is not None}
                res = self.api.post(action, **params)
                self.assertEqual(res.status, 400, res.describe())
                self.assertEqual(res.code, code, res.describe())
                self.assertEqual(res.coden, 400001, res.describe())

    def test_a_python_sdk_shaped_request_gets_the_same_urls(self):
        res = harness.python_sdk_request(self.server.api_port, AK, SK, "GeneratePushURL",
                                         {"Vhost": "__defaultVhost__", "App": "live",
                                          "Stream": "py"}, method="POST")
        self.assertTrue(res.ok, res.describe())
        url = res.result["PushURLList"][0]
        self.assertRegex(url, rf"^rtmp://127\.0\.0\.1:{self.server.rtmp_port}/live/py\?volcTime=")
        # Default lifetime: 7 days, as Volcengine's.
        expiry = int(re.search(r"volcTime=(\d+)", url).group(1))
        self.assertAlmostEqual(expiry, time.time() + 7 * 86400, delta=10)


if __name__ == "__main__":
    import unittest
    unittest.main()
