"""HTTP-FLV in a real browser: mpegts.js in headless Chromium.

The page (tests/browser/page.html) and mpegts.js are served by a small
Python http.server on 127.0.0.1 (another origin than sluice's, so the CORS
headers are exercised too); tests/browser/play.js drives Debian's chromium
through puppeteer-core and reports the <video>'s currentTime. The test
passes when playback advances. Skipped when chromium or the npm packages
(scripts/install-deps.sh --test) are missing.
"""

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
import unittest
import urllib.parse

import harness
from harness import E2ETestCase

BROWSER_DIR = os.path.join(harness.REPO_ROOT, "tests", "browser")
CHROMIUM = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or "/usr/bin/chromium"
NODE = shutil.which("node")
READY = (os.path.exists(CHROMIUM) and NODE is not None
         and os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "mpegts.js"))
         and os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "puppeteer-core")))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@unittest.skipUnless(READY, "chromium, node or tests/browser/node_modules missing "
                            "(scripts/install-deps.sh --test)")
class BrowserFlvTest(E2ETestCase):

    @classmethod
    def prepare_class(cls):
        handler = functools.partial(QuietHandler, directory=BROWSER_DIR)
        cls.pages = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=cls.pages.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "pages", None):
            cls.pages.shutdown()
            cls.pages.server_close()
        super().tearDownClass()

    def play_in_browser(self, flv_url, seconds):
        page = (f"http://127.0.0.1:{self.pages.server_address[1]}/page.html?src="
                + urllib.parse.quote(flv_url, safe=""))
        env = dict(os.environ, CHROMIUM_BIN=CHROMIUM, HOME=self.path("home"))
        os.makedirs(env["HOME"], exist_ok=True)
        proc = subprocess.run([NODE, os.path.join(BROWSER_DIR, "play.js"), page, str(seconds)],
                              cwd=BROWSER_DIR, env=env, capture_output=True, text=True,
                              timeout=seconds + 60)
        lines = [l for l in proc.stdout.splitlines() if l.startswith("{")]
        self.assertTrue(lines, f"play.js said nothing (rc {proc.returncode}): {proc.stderr[-2000:]}")
        return json.loads(lines[-1])

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
