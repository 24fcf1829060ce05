"""Headless Chromium for the browser tests: Debian's chromium driven by
tests/browser/play.js (puppeteer-core), test pages and the npm players served
from tests/browser by a loopback http.server (another origin than sluice's, so
CORS is exercised too).

`missing(*npm_packages)` says what is absent, for a skip that names it;
`PageServer` serves the pages; `play()` runs one page and returns play.js's
JSON result."""

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
import urllib.parse

import harness

BROWSER_DIR = os.path.join(harness.REPO_ROOT, "tests", "browser")
CHROMIUM = os.environ.get("CHROMIUM_BIN") or shutil.which("chromium") or "/usr/bin/chromium"
NODE = shutil.which("node")
INSTALL_HINT = "(scripts/install-deps.sh --test)"


def missing(*npm_packages):
    """What the browser tests need and this machine lacks ("" if nothing)."""
    absent = []
    if not os.path.exists(CHROMIUM):
        absent.append("chromium")
    if NODE is None:
        absent.append("node")
    for package in ("puppeteer-core", *npm_packages):
        if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", package)):
            absent.append(f"tests/browser/node_modules/{package}")
    return f"{', '.join(absent)} missing {INSTALL_HINT}" if absent else ""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class PageServer:
    """tests/browser over http://127.0.0.1:PORT/, in a thread."""

    def __init__(self):
        handler = functools.partial(_QuietHandler, directory=BROWSER_DIR)
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def url(self, page, src):
        return (f"http://127.0.0.1:{self._httpd.server_address[1]}/{page}?src="
                + urllib.parse.quote(src, safe=""))

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()


def play(page_url, seconds, home, interval_ms=500, chromium_args=()):
    """Runs play.js on page_url for `seconds`; its result as a dict. Raises
    AssertionError when play.js printed no result."""
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, CHROMIUM_BIN=CHROMIUM, HOME=home)
    cmd = [NODE, os.path.join(BROWSER_DIR, "play.js"), page_url, str(seconds), str(interval_ms)]
    if chromium_args:
        cmd += ["--", *chromium_args]
    proc = subprocess.run(cmd, cwd=BROWSER_DIR, env=env, capture_output=True, text=True,
                          timeout=seconds + 60)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise AssertionError(f"play.js said nothing (rc {proc.returncode}): {proc.stderr[-2000:]}")
    return json.loads(lines[-1])


# --------------------------------------------------------------------------
# HLS in the browser: what "plays smoothly" means (test_browser_hls.py and
# test_hls_behind_nginx.py)
# --------------------------------------------------------------------------

# The HLS flavours the browser tests play, one entry each (the servers under
# test use a 1 s GOP and hls.target_duration_ms = 1000): the query that
# selects the flavour on the playlist URL, and the bound on hls.latency (the
# playlist's live edge minus currentTime) in seconds.
# TS: hls.js stays liveSyncDurationCount (3) target durations = 3 s behind
# the live edge; a playlist reload (every target duration) can find the edge
# up to 1 s late, so hls.latency reads 3-4 s (3.3-3.7 s measured). 6 s is
# issue 12's target for TS and leaves room for a loaded machine.
HLS_FLAVOURS = {
    "ts": {"query": "", "latency_bound_s": 6.0},
    # LL-HLS: PART-HOLD-BACK is 0.6 s with 200 ms parts; measured 0.8-0.9 s
    # on loopback; 2 s leaves room for a loaded CI machine and sanitizers.
    "ll": {"query": "?hls=ll", "latency_bound_s": 2.0},
}

# Playback may take this long to start: the first playlist waits for the
# stream's first segment (one GOP), then hls.js loads and buffers it.
HLS_STARTUP_S = 6.0


def warm_up_hls(test, playlist_url, segments=3, timeout=15.0):
    """Opens an HLS session (urllib follows the 302) and polls its playlist
    until it lists `segments` segments: the live window of a stream that has
    been published for a few target durations, which is what a viewer
    arriving at a live stream finds (the default flavour is segmented from
    the start of the publish; the other flavour from its first session on,
    which this call is then)."""
    import urllib.request

    def listed():
        with urllib.request.urlopen(playlist_url, timeout=10) as r:
            return r.read().decode().count("#EXTINF") >= segments
    if not harness.wait_until(listed, timeout, interval=0.5):
        test.fail(f"{playlist_url} did not list {segments} segments within {timeout} s")


def assert_hls_played_smoothly(test, result, seconds, latency_bound_s):
    """play.js's result for hls.html sampled every second: playback started,
    then currentTime advanced at every sample at about real-time pace, hls.js
    reported no error (BUFFER_STALLED_ERROR among them) and the <video> never
    waited, and hls.latency stayed under latency_bound_s."""
    summary = {k: result.get(k) for k in ("errors", "waitingAfterStart", "startedAt", "levels",
                                          "fatal", "console")}
    summary["ticks"] = [(t["at"], round(t["currentTime"], 2), t["latency"] and round(t["latency"], 2))
                        for t in result.get("ticks", [])]
    test.assertNotIn("fatal", result, summary)
    test.assertTrue(result["mse"], f"no MSE in this chromium: {summary}")
    test.assertEqual(result["errors"], [], summary)
    test.assertIsNotNone(result["startedAt"], f"playback never started: {summary}")
    test.assertLessEqual(result["startedAt"], HLS_STARTUP_S, summary)
    test.assertEqual(result["waitingAfterStart"], [], f"the video stalled: {summary}")

    playing = [t for t in result["ticks"] if t["at"] >= result["startedAt"] + 1.0]
    test.assertGreaterEqual(len(playing), seconds - HLS_STARTUP_S - 1, summary)
    # Steady: every sample is ahead of the one before, and over the whole run
    # media time advances with wall-clock time (±15 %; no rate change is
    # configured in hls.js, so more is a jump and less is stalling).
    for before, after in zip(playing, playing[1:]):
        test.assertGreater(after["currentTime"], before["currentTime"] + 0.3,
                           f"playback froze between {before['at']} s and {after['at']} s: {summary}")
    pace = ((playing[-1]["currentTime"] - playing[0]["currentTime"]) /
            (playing[-1]["at"] - playing[0]["at"]))
    test.assertGreater(pace, 0.85, summary)
    test.assertLess(pace, 1.15, summary)
    latencies = [t["latency"] for t in playing]
    test.assertTrue(all(isinstance(l, (int, float)) and 0 < l < latency_bound_s for l in latencies),
                    f"hls.latency not always under {latency_bound_s} s: {summary}")
    return {"startup_s": result["startedAt"], "pace": round(pace, 3),
            "latency_min": round(min(latencies), 2), "latency_max": round(max(latencies), 2)}


def assert_redirected_to_a_session(test, result, stream):
    """The browser's own requests: the playlist URL answered 302 to
    ?hls_ctx=…, and the segments it then loaded (resolved against the final
    URL) carried that session and were 200. Returns those responses."""
    responses = result.get("responses", [])
    redirects = [r for r in responses if r.get("location") and f"/{stream}.m3u8" in r["url"]]
    test.assertTrue(redirects, f"no 302 for the playlist: {responses[:20]}")
    test.assertEqual(redirects[0]["status"], 302, redirects)
    # The query the playlist was asked with (?hls=ll) is kept, the session added.
    test.assertRegex(redirects[0]["location"], rf"{stream}\.m3u8\?(hls=\w+&)?hls_ctx=\w+$")
    ctx = redirects[0]["location"].split("hls_ctx=")[1]
    media = [r for r in responses if f"/{stream}." in r["url"] and not r.get("location")]
    segments = [r for r in media if ".ts?" in r["url"] or ".m4s?" in r["url"]]
    test.assertTrue(segments, f"no segment loaded: {responses[:20]}")
    for r in media:
        test.assertIn(f"hls_ctx={ctx}", r["url"], media)
        test.assertEqual(r["status"], 200, r)
    return media
