"""Low-Latency HLS (fMP4 parts) from memory, with ffmpeg pushing a 1 s GOP:
ffprobe and ffmpeg read the LL playlist, the playlist carries the LL tags,
a blocking reload for the preload-hinted part answers as soon as the part
exists, bad _HLS_msn/_HLS_part values and hostile names get clean 4xx, and a
late joiner's init section plus first segment start with a keyframe, and a
publisher restart is a discontinuity with a new init section."""

import re
import time
import unittest

import harness
from harness import E2ETestCase, FFMPEG, http_fetch


def preload_hint(text):
    """(msn, part) of the playlist's EXT-X-PRELOAD-HINT."""
    m = re.search(r'^#EXT-X-PRELOAD-HINT:TYPE=PART,URI="[^"]*\.(\d+)_(\d+)\.m4s', text, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else None


class LlHlsTest(E2ETestCase):
    CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) +
              "[hls]\nsession_timeout_ms = 10000\n")

    def tearDown(self):
        self.assertServerAlive()

    def base(self, app="live"):
        return f"http://127.0.0.1:{self.server.http_port}/{app}"

    def ll_url(self, stream):
        return f"{self.base()}/{stream}.m3u8?hls=ll"

    def open_session(self, stream):
        status, headers, _ = http_fetch(self.ll_url(stream), follow=False)
        self.assertEqual(status, 302)
        location = headers["Location"]
        self.assertRegex(location, rf"^{stream}\.m3u8\?hls=ll&hls_ctx=[A-Za-z0-9]{{16}}$")
        return f"{self.base()}/{location}"

    def publish(self, stream):
        # 25 fps with a keyframe every 25 frames: a 1 s GOP.
        self.start_publisher(stream, gop=25, size="320x240")
        self.wait_live(stream)

    def test_ffprobe_and_ffmpeg_read_the_ll_playlist(self):
        self.publish("ll1")
        streams, cp = harness.probe(self.ll_url("ll1"), timeout=30)
        self.assertIsNotNone(streams, cp.stderr.decode(errors="replace"))
        summary = harness.stream_summary(streams)
        self.assertIn(("video", "h264", 320, 240), summary)
        self.assertIn("aac", [s[1] for s in summary])

        out = self.path("ten-seconds.mp4")
        cp = harness.run([FFMPEG, "-nostdin", "-v", "error", "-i", self.ll_url("ll1"),
                          "-t", "10", "-c", "copy", "-f", "matroska", "-y", out], 60)
        self.assertEqual(cp.returncode, 0, cp.stderr.decode(errors="replace"))
        self.assertEqual(cp.stderr.decode(errors="replace").strip(), "")
        frames = harness.count_video_packets(out)
        self.assertIsNotNone(frames)
        self.assertGreaterEqual(frames, 225)  # 10 s at 25 fps, ±10 %
        self.assertLessEqual(frames, 275)
        cp = harness.run([FFMPEG, "-nostdin", "-v", "error", "-i", out, "-f", "null", "-"], 60)
        self.assertEqual(cp.stderr.decode(errors="replace").strip(), "")

    def test_the_playlist_its_parts_and_a_late_joiner(self):
        self.publish("ll2")
        url = self.open_session("ll2")
        status, headers, body = http_fetch(url)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["Content-Type"], "application/vnd.apple.mpegurl")
        self.assertEqual(headers["Access-Control-Allow-Origin"], "*")
        self.assertIn("no-cache", headers["Cache-Control"])
        text = body.decode()
        self.assertTrue(text.startswith("#EXTM3U\n#EXT-X-VERSION:9\n#EXT-X-TARGETDURATION:1\n"
                                        "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,"
                                        "PART-HOLD-BACK=0.600,CAN-SKIP-UNTIL=6.0\n"
                                        "#EXT-X-PART-INF:PART-TARGET=0.200\n"), text)
        self.assertIn("#EXT-X-PROGRAM-DATE-TIME:", text)
        ctx = url.split("hls_ctx=")[1]
        init = re.search(r'^#EXT-X-MAP:URI="(ll2\.init\d+\.mp4\?hls=ll&hls_ctx=\w+)"$', text, re.M)
        self.assertIsNotNone(init, text)
        parts = re.findall(r'^#EXT-X-PART:DURATION=(\d\.\d{3}),URI="(ll2\.\d+_\d+\.m4s\?[^"]+)"'
                           r'(,INDEPENDENT=YES)?$', text, re.M)
        self.assertTrue(parts, text)
        for duration, _, _ in parts:
            self.assertLessEqual(float(duration), 0.2)
        self.assertTrue(any(independent for _, _, independent in parts), text)
        self.assertIsNotNone(preload_hint(text), text)
        segments = re.findall(r"^(ll2\.\d+\.m4s\?hls=ll&hls_ctx=\w+)$", text, re.M)
        self.assertTrue(segments, text)
        self.assertNotIn("_HLS_", text)

        status, headers, init_bytes = http_fetch(f"{self.base()}/{init.group(1)}")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "video/mp4")
        self.assertEqual(init_bytes[4:8], b"ftyp")
        status, headers, part = http_fetch(f"{self.base()}/{parts[-1][1]}")
        self.assertEqual(status, 200)
        self.assertIn("max-age", headers["Cache-Control"])
        self.assertEqual(part[4:8], b"moof")
        # A late joiner: the init section and the newest segment decode from a keyframe.
        status, _, segment = http_fetch(f"{self.base()}/{segments[-1]}")
        self.assertEqual(status, 200)
        self.assertEqual(segment[4:8], b"moof")
        path = self.path("late-joiner.mp4")
        with open(path, "wb") as f:
            f.write(init_bytes + segment)
        ok, detail = harness.first_video_packet_is_key(path)
        self.assertTrue(ok, detail)
        cp = harness.run([FFMPEG, "-nostdin", "-v", "error", "-i", path, "-f", "null", "-"], 30)
        self.assertEqual(cp.stderr.decode(errors="replace").strip(), "")

        # Not without the session.
        status, _, body = http_fetch(f"{self.base()}/{segments[-1].split('?')[0]}")
        self.assertEqual(status, 403, body)
        # A delta update leaves old segments out (or says so when it cannot yet).
        status, _, body = http_fetch(url + "&_HLS_skip=YES")
        self.assertEqual(status, 200)

    def test_a_blocking_reload_answers_when_the_hinted_part_is_ready(self):
        self.publish("ll3")
        url = self.open_session("ll3")
        status, _, body = http_fetch(url)
        self.assertEqual(status, 200, body)
        hint = preload_hint(body.decode())
        waits = []
        for _ in range(10):
            msn, part = hint
            started = time.monotonic()
            status, _, body = http_fetch(f"{url}&_HLS_msn={msn}&_HLS_part={part}", timeout=10)
            waits.append(time.monotonic() - started)
            self.assertEqual(status, 200, body)
            text = body.decode()
            # The part asked for is now listed; the hint has moved past it.
            self.assertIn(f'URI="ll3.{msn}_{part}.m4s?', text)
            hint = preload_hint(text)
            self.assertGreater(hint, (msn, part))
        # Each reload was held until its part was cut: about one part
        # duration (200 ms), never the 3 s timeout.
        print(f"blocking reload waits (s): {[round(w, 3) for w in waits]}")
        self.assertLess(max(waits), 1.5, waits)
        self.assertGreater(sum(waits) / len(waits), 0.05, waits)  # they did wait
        # The hinted part itself is held too, then served.
        msn, part = hint
        started = time.monotonic()
        ctx = url.split("hls_ctx=")[1]
        status, _, body = http_fetch(f"{self.base()}/ll3.{msn}_{part}.m4s?hls_ctx={ctx}", timeout=10)
        self.assertEqual(status, 200, body)
        self.assertEqual(body[4:8], b"moof")
        self.assertLess(time.monotonic() - started, 1.5)

    def test_a_blocking_reload_is_held_while_the_publisher_is_away(self):
        """Within the unpublish grace the publisher may come back, so a reload for
        the next part is held (up to three target durations) as while it was live,
        not answered at once: an immediate answer that lists nothing new sends a
        player into a tight reload loop."""
        publisher = self.start_publisher("ll6", gop=25, size="320x240", seconds=6)
        self.wait_live("ll6")
        url = self.open_session("ll6")
        status, _, body = http_fetch(url)  # starts the LL segmenter (hls.flavour is ts)
        self.assertEqual(status, 200, body)
        publisher.wait(timeout=30)
        time.sleep(0.5)  # sluice sees the publisher's end
        status, _, body = http_fetch(url)
        self.assertEqual(status, 200, body)
        text = body.decode()
        self.assertNotIn("#EXT-X-PRELOAD-HINT", text)  # nothing is being built
        # The next part: after the last listed one, or the first of the next segment.
        last_part = max((int(m), int(p)) for m, p in re.findall(r'URI="ll6\.(\d+)_(\d+)\.m4s', text))
        last_segment = max(int(m) for m in re.findall(r"(?m)^ll6\.(\d+)\.m4s", text))
        msn, part = ((last_segment + 1, 0) if last_segment >= last_part[0]
                     else (last_part[0], last_part[1] + 1))
        started = time.monotonic()
        status, _, body = http_fetch(f"{url}&_HLS_msn={msn}&_HLS_part={part}", timeout=10)
        held = time.monotonic() - started
        self.assertEqual(status, 200, body)
        self.assertGreater(held, 2.0, "answered at once while the publisher was away")
        self.assertLess(held, 4.5)

    def test_bad_reload_values_and_names_get_clean_4xx(self):
        self.publish("ll4")
        url = self.open_session("ll4")
        status, _, body = http_fetch(url)
        self.assertEqual(status, 200, body)
        msn, _ = preload_hint(body.decode())
        for query, expected in [("_HLS_msn=-1", 400),
                                ("_HLS_msn=abc", 400),
                                ("_HLS_msn=1.5", 400),
                                ("_HLS_msn=99999999999999999999999", 400),
                                ("_HLS_msn=18446744073709551615", 400),
                                (f"_HLS_msn={msn + 3}", 400),  # far beyond the live edge
                                (f"_HLS_msn={msn}&_HLS_part=-2", 400),
                                (f"_HLS_msn={msn}&_HLS_part=100000", 400),
                                ("_HLS_part=1", 400),
                                ("_HLS_skip=maybe", 400)]:
            started = time.monotonic()
            status, _, body = http_fetch(f"{url}&{query}")
            self.assertEqual(status, expected, f"{query}: {body[:200]!r}")
            self.assertLess(time.monotonic() - started, 1.0, query)
        status, _, _ = http_fetch(f"{self.base()}/ll4.m3u8?hls=dash", follow=False)
        self.assertEqual(status, 400)
        ctx = url.split("hls_ctx=")[1]
        for path, expected in [(f"ll4.0_x.m4s?hls_ctx={ctx}", 404),
                               (f"ll4.-1.m4s?hls_ctx={ctx}", 404),
                               (f"ll4.99999999999999999999999.m4s?hls_ctx={ctx}", 404),
                               (f"ll4.0_99999999999999999999.m4s?hls_ctx={ctx}", 404),
                               (f"ll4.initx.mp4?hls_ctx={ctx}", 404),
                               (f"ll4.init99.mp4?hls_ctx={ctx}", 404),
                               ("ll4.init1.mp4", 403),  # no session
                               (f"other.init1.mp4?hls_ctx={ctx}", 403),  # another stream's
                               (f"other.0_0.m4s?hls_ctx={ctx}", 403),
                               ("..%2f..%2fetc%2fpasswd.0.m4s", 400),
                               ("%2e%2e.init1.mp4", 400)]:
            status, _, body = http_fetch(f"{self.base()}/{path}")
            self.assertEqual(status, expected, f"{path}: {body[:200]!r}")
        # Nothing else was affected.
        status, _, body = http_fetch(url)
        self.assertEqual(status, 200)

    def test_a_publisher_restart_is_a_discontinuity_with_a_new_init_section(self):
        first = self.start_publisher("ll5", gop=25, size="320x240")
        self.wait_live("ll5")
        url = self.open_session("ll5")
        status, _, body = http_fetch(url)
        self.assertEqual(status, 200, body)
        self.assertIn('#EXT-X-MAP:URI="ll5.init1.mp4?', body.decode())
        harness.kill_process(first)
        # Within the grace (5 s), with another picture size.
        self.start_publisher("ll5", gop=25, size="160x120")

        def new_segment(text):
            """The first complete segment after the new init section, if any."""
            at = text.find("ll5.init2.mp4")
            m = re.search(r"^(ll5\.\d+\.m4s\?\S+)$", text[at:], re.M) if at >= 0 else None
            return m.group(1) if m else None

        text, segment = "", None
        deadline = time.monotonic() + 20
        while segment is None and time.monotonic() < deadline:
            status, _, body = http_fetch(url)
            self.assertEqual(status, 200, body)
            text = body.decode()
            segment = new_segment(text)
            time.sleep(0.3)
        self.assertIsNotNone(segment, text)
        self.assertIn('#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="ll5.init2.mp4?', text)
        # The new publisher's segments decode with their own init section.
        _, _, init = http_fetch(f"{self.base()}/ll5.init2.mp4?{url.split('?')[1]}")
        _, _, data = http_fetch(f"{self.base()}/{segment}")
        path = self.path("after-restart.mp4")
        with open(path, "wb") as f:
            f.write(init + data)
        streams, cp = harness.probe(path)
        self.assertIsNotNone(streams, cp.stderr.decode(errors="replace"))
        self.assertIn(("video", "h264", 160, 120), harness.stream_summary(streams))


class LlHlsByVhostTest(E2ETestCase):
    """A vhost's hls_flavour picks what its plain .m3u8 serves (hls.flavour
    stays ts); ?hls= still overrides it."""
    CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) +
              '[[vhost]]\nname = "__defaultVhost__"\nhls_flavour = "ll"\n')

    def tearDown(self):
        self.assertServerAlive()

    def playlist(self, query=""):
        url = f"http://127.0.0.1:{self.server.http_port}/live/v1.m3u8{query}"
        status, _, body = http_fetch(url)
        self.assertEqual(status, 200, body)
        return body.decode()

    def test_the_vhosts_flavour_is_the_default_and_hls_overrides_it(self):
        self.start_publisher("v1", gop=25, size="320x240")
        self.wait_live("v1")
        deadline = time.monotonic() + 20
        text = ""
        while "#EXT-X-PART:" not in text and time.monotonic() < deadline:
            text = self.playlist()
            time.sleep(0.3)
        self.assertIn("#EXT-X-PART:", text)  # LL-HLS without asking for it
        self.assertIn("#EXT-X-MAP:", text)
        ts = self.playlist("?hls=ts")
        self.assertNotIn("#EXT-X-PART", ts)
        self.assertRegex(ts, r"(?m)^v1\.\d+\.ts\?")


if __name__ == "__main__":
    unittest.main()
