"""Classic HLS (MPEG-TS segments) from memory, read by the real ffprobe and
ffmpeg: the playlist request is admitted and redirected to a session, every
segment starts with a keyframe, 10 s decode cleanly, hostile names and
segment requests without a session get clean 4xx answers, and the session
is reported as a play (started, then ended when the viewer stops asking)."""

import re
import time
import unittest

import harness
from harness import E2ETestCase, FFMPEG, http_fetch


class HlsTest(E2ETestCase):
    CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) +
              "[hls]\ntarget_duration_ms = 1000\nsession_timeout_ms = 5000\n")

    def tearDown(self):
        self.assertServerAlive()

    def hls_url(self, stream, app="live"):
        return f"http://127.0.0.1:{self.server.http_port}/{app}/{stream}.m3u8"

    def open_session(self, stream):
        status, headers, _ = http_fetch(self.hls_url(stream), follow=False)
        self.assertEqual(status, 302)
        location = headers["Location"]
        self.assertRegex(location, rf"^{stream}\.m3u8\?hls_ctx=[A-Za-z0-9]{{16}}$")
        return self.hls_url(stream) + location[location.index("?"):]

    def test_ffmpeg_reads_and_decodes_the_playlist(self):
        self.start_publisher("hls1", gop=25, size="320x240")
        self.wait_live("hls1")
        streams, cp = harness.probe(self.hls_url("hls1"), timeout=30)
        self.assertIsNotNone(streams, cp.stderr.decode(errors="replace"))
        summary = harness.stream_summary(streams)
        self.assertIn(("video", "h264", 320, 240), summary)
        self.assertIn("aac", [s[1] for s in summary])

        out = self.path("ten-seconds.ts")
        cp = harness.run([FFMPEG, "-nostdin", "-v", "error", "-i", self.hls_url("hls1"),
                          "-t", "10", "-c", "copy", "-y", out], 60)
        self.assertEqual(cp.returncode, 0, cp.stderr.decode(errors="replace"))
        self.assertEqual(cp.stderr.decode(errors="replace").strip(), "")
        frames = harness.count_video_packets(out)
        self.assertIsNotNone(frames)
        self.assertGreaterEqual(frames, 225)  # 10 s at 25 fps, ±10 %
        self.assertLessEqual(frames, 275)
        cp = harness.run([FFMPEG, "-nostdin", "-v", "error", "-i", out, "-f", "null", "-"], 60)
        self.assertEqual(cp.stderr.decode(errors="replace").strip(), "")

    def test_the_playlist_and_its_segments(self):
        self.start_publisher("hls2", gop=25, size="320x240")
        self.wait_live("hls2")
        url = self.open_session("hls2")
        status, headers, body = http_fetch(url)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "application/vnd.apple.mpegurl")
        self.assertEqual(headers["Access-Control-Allow-Origin"], "*")
        self.assertIn("no-cache", headers["Cache-Control"])
        text = body.decode()
        self.assertTrue(text.startswith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n"),
                        text)
        self.assertIn("#EXT-X-PROGRAM-DATE-TIME:", text)
        uris = re.findall(r"^(hls2\.\d+\.ts\?hls_ctx=\w+)$", text, re.M)
        self.assertTrue(uris, text)
        base = self.hls_url("hls2").rsplit("/", 1)[0]
        # A late joiner's segments each start with a keyframe.
        for uri in uris[-2:]:
            status, headers, segment = http_fetch(f"{base}/{uri}")
            self.assertEqual(status, 200)
            self.assertEqual(headers["Content-Type"], "video/mp2t")
            self.assertEqual(segment[0], 0x47)
            self.assertEqual(len(segment) % 188, 0)
            path = self.path("segment.ts")
            with open(path, "wb") as f:
                f.write(segment)
            ok, detail = harness.first_video_packet_is_key(path)
            self.assertTrue(ok, detail)

        # Without the session, or with another stream's, no segment.
        sequence = re.search(r"\.(\d+)\.ts", uris[-1]).group(1)
        status, _, body = http_fetch(f"{base}/hls2.{sequence}.ts")
        self.assertEqual(status, 403, body)
        ctx = url.split("hls_ctx=")[1]
        # A session serves only the stream it was opened for, by app and name.
        for other in [f"{base}/other.{sequence}.ts?hls_ctx={ctx}",
                      f"{base.replace('/live', '/live2')}/hls2.{sequence}.ts?hls_ctx={ctx}"]:
            status, _, body = http_fetch(other)
            self.assertEqual(status, 403, other)
        # Another stream's playlist with it opens a session of its own.
        status, headers, _ = http_fetch(f"{base}/other.m3u8?hls_ctx={ctx}", follow=False)
        self.assertEqual(status, 302)
        self.assertNotIn(ctx, headers["Location"])
        # Segments not (yet) in the window, hostile names: clean 4xx.
        # (Eviction from the window: TsSegmenterTest.)
        for path, expected in [(f"hls2.99999999.ts?hls_ctx={ctx}", 404),
                               (f"hls2.99999999999999999999999.ts?hls_ctx={ctx}", 404),
                               (f"hls2.-1.ts?hls_ctx={ctx}", 404),
                               ("hls2.ts", 404),
                               ("%2e%2e.m3u8", 400),
                               ("..%2f..%2fetc%2fpasswd.0.ts", 400)]:
            status, _, body = http_fetch(f"{base}/{path}")
            self.assertEqual(status, expected, f"{path}: {body[:200]!r}")

    def test_a_session_is_a_play_that_ends_when_the_viewer_stops_asking(self):
        self.start_publisher("hls3", gop=25, size="320x240")
        self.wait_live("hls3")
        since = self.server.log_size()
        url = self.open_session("hls3")
        status, _, _ = http_fetch(url)
        self.assertEqual(status, 200)
        self.server.wait_log(r"hls 127\.0\.0\.1:\d+ __defaultVhost__/live/hls3 playing", 10,
                             since=since)
        # session_timeout_ms = 5000: the play ends by itself.
        self.server.wait_log(r"hls 127\.0\.0\.1:\d+ __defaultVhost__/live/hls3 play ended "
                             r"\(viewer left\) after \d+\.\d+ s, \d+ bytes out", 15, since=since)
        # The old session is gone: its playlist URL opens a new one.
        status, headers, _ = http_fetch(url, follow=False)
        self.assertEqual(status, 302)
        self.assertNotIn(url.split("hls_ctx=")[1], headers["Location"])

    def test_the_first_viewer_finds_a_full_window(self):
        # Segments are cut from the start of the publish, not from the first
        # viewer on: a viewer arriving after 4 s finds several at once (with
        # segmenting on demand it found one and players stalled at start).
        self.start_publisher("early", gop=25, size="320x240")
        self.wait_live("early")
        time.sleep(4.5)
        started = time.monotonic()
        status, _, body = http_fetch(self.open_session("early"))
        self.assertEqual(status, 200)
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertGreaterEqual(body.decode().count("#EXTINF"), 3, body)

    def test_a_stream_not_published_is_404_after_the_wait(self):
        url = self.open_session("nobody")
        started = time.monotonic()
        status, _, body = http_fetch(url, timeout=20)
        self.assertEqual(status, 404, body)
        self.assertIn(b"not being published", body)
        self.assertGreaterEqual(time.monotonic() - started, 7)


class HlsSessionCapTest(E2ETestCase):
    CONFIG = harness.config_toml(play_wait_timeout_ms=3000) + "[hls]\nmax_sessions = 2\n"

    def test_viewers_past_max_sessions_get_503(self):
        base = f"http://127.0.0.1:{self.server.http_port}/live/capped.m3u8"
        for _ in range(2):
            status, _, _ = http_fetch(base, follow=False)
            self.assertEqual(status, 302)
        status, headers, body = http_fetch(base, follow=False)
        self.assertEqual(status, 503, body)
        self.assertEqual(headers["Retry-After"], "5")
        self.assertIn(b"hls.max_sessions", body)
        self.assertTrue(self.server.alive())


if __name__ == "__main__":
    unittest.main()
