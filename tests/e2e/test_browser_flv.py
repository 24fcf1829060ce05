"""HTTP-FLV in a real browser: mpegts.js in headless Chromium.

The page (tests/browser/page.html) and mpegts.js are served from loopback by
browser_harness.PageServer (another origin than sluice's, so the CORS headers
are exercised too); tests/browser/play.js drives Debian's chromium through
puppeteer-core and reports the <video>'s currentTime. The test passes when
playback advances. Skipped when chromium or the npm packages
(scripts/install-deps.sh --test) are missing.
"""

import json
import unittest

import browser_harness
from harness import E2ETestCase

MISSING = browser_harness.missing("mpegts.js")


@unittest.skipIf(MISSING, MISSING)
class BrowserFlvTest(E2ETestCase):

    @classmethod
    def prepare_class(cls):
        cls.pages = browser_harness.PageServer()

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "pages", None):
            cls.pages.close()
        super().tearDownClass()

    def play_in_browser(self, flv_url, seconds):
        return browser_harness.play(self.pages.url("page.html", flv_url), seconds, self.path("home"))

    def test_mpegts_js_plays_http_flv(self):
        self.start_publisher("browser")
        self.wait_live("browser")
        result = self.play_in_browser(self.server.flv_url("browser"), seconds=8)
        print(f"browser: {json.dumps(result)[:600]}", flush=True)
        self.assertNotIn("fatal", result, result)
        self.assertTrue(result["mse"], f"no MSE live playback in this chromium: {result}")
        self.assertEqual(result["errors"], [], result)
        # The <video> advances: at least 3 s of media played in the 8 s.
        self.assertGreater(result["currentTime"], 3.0, result)
        self.assertGreater(result["samples"][-1], result["samples"][len(result["samples"]) // 2],
                           f"playback stalled: {result['samples']}")
        self.assertEqual(result["width"], 640, result)


if __name__ == "__main__":
    unittest.main()
