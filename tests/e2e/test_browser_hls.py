"""HLS in a real browser: hls.js in headless Chromium plays each HLS flavour
of a stream pushed by ffmpeg for 20 s.

tests/browser/hls.html (served from loopback by browser_harness.PageServer,
another origin than sluice's, so CORS is exercised) plays the stream's
.m3u8 URL with hls.js; play.js samples the <video> and hls.js every second.
The browser follows the playlist's 302 to ?hls_ctx= itself and resolves the
segment URIs against the final URL (asserted from the requests it made).
Smooth means: playback starts, currentTime advances at every sample at about
real-time pace, no hls.js ERROR (BUFFER_STALLED_ERROR among them), no
`waiting` on the <video> after it started, and hls.latency under the
flavour's bound. The flavours and their bounds are browser_harness.HLS_FLAVOURS
(a new flavour is one entry there; test_hls_behind_nginx.py plays it too).
Skipped only when chromium, node or the npm packages (scripts/install-deps.sh
--test) are missing.
"""

import json
import unittest

import browser_harness
import harness
from harness import E2ETestCase

MISSING = browser_harness.missing("hls.js")
SECONDS = 20


@unittest.skipIf(MISSING, MISSING)
class BrowserHlsTest(E2ETestCase):
    CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) +
              "[hls]\ntarget_duration_ms = 1000\n")

    @classmethod
    def prepare_class(cls):
        cls.pages = browser_harness.PageServer()

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "pages", None):
            cls.pages.close()
        super().tearDownClass()

    def tearDown(self):
        self.assertServerAlive()

    def test_hls_js_plays_every_flavour_smoothly(self):
        for name, flavour in browser_harness.HLS_FLAVOURS.items():
            with self.subTest(flavour=name):
                stream = f"browser-{name}"
                self.start_publisher(stream, gop=25, rate=25)  # a keyframe every second
                self.wait_live(stream)
                url = f"http://127.0.0.1:{self.server.http_port}/live/{stream}.m3u8{flavour['query']}"
                browser_harness.warm_up_hls(self, url)
                result = browser_harness.play(self.pages.url("hls.html", url), SECONDS,
                                              self.path(f"home-{name}"), interval_ms=1000)
                numbers = browser_harness.assert_hls_played_smoothly(
                    self, result, SECONDS, flavour["latency_bound_s"])
                browser_harness.assert_redirected_to_a_session(self, result, stream)
                self.assertEqual(result["width"], 640, result["levels"])
                print(f"hls.js {name}: {json.dumps(numbers)}", flush=True)


if __name__ == "__main__":
    unittest.main()
