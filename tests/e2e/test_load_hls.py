"""The load tool's HLS viewers (bench/load: `sluice-load play URL.m3u8`)
against a real sluice: the LL-HLS viewer (`--hls ll`) follows a stream that
ffmpeg pushes with a 1 s GOP, part by part at real time; with the bench's
wall-clock stamps in the frames (`sluice-load publish --stamp-wallclock` of
an ffmpeg-made file) it reports publish -> receive latency, well under 3 s
for LL-HLS; the classic viewer reads the MPEG-TS flavour of the same stream.
Bench runs measure at scale (bench/hls-vs-nginx.sh); this keeps the players
working."""

import json
import os
import subprocess
import unittest

import harness
from harness import E2ETestCase


def load_bin():
    return harness.sluice_load_bin()


@unittest.skipUnless(os.path.exists(load_bin()), "sluice-load not built")
class LoadToolHlsTest(E2ETestCase):
    CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) +
              "[hls]\nsession_timeout_ms = 10000\n")

    def tearDown(self):
        self.assertServerAlive()

    def url(self, stream, flavour):
        return f"http://127.0.0.1:{self.server.http_port}/live/{stream}.m3u8?hls={flavour}"

    def play(self, url, *args, sessions=2, warmup=3, duration=4, timeout=60):
        """One `sluice-load play` run; its JSON summary."""
        cmd = [load_bin(), "play", url, "-n", str(sessions), "--ramp", "0.5",
               "--warmup", str(warmup), "--duration", str(duration), "--json", *args]
        cp = harness.run(cmd, timeout)
        self.assertEqual(cp.returncode, 0, cp.stderr.decode(errors="replace") +
                         cp.stdout.decode(errors="replace")[-2000:])
        return json.loads(cp.stdout)

    def stamped_publisher(self, stream):
        """sluice-load publishes an ffmpeg-made 1 s GOP file with a wall-clock
        SEI in every video frame, looping for a minute."""
        flv = harness.make_small_flv(self.path("gop1.flv"), seconds=4, size="320x240", rate=25,
                                     gop=25)
        log = open(self.path("stamped-publisher.log"), "wb")
        proc = subprocess.Popen([load_bin(), "publish", self.server.rtmp_url(stream), "--file",
                                 flv, "--loop", "--duration", "60", "--stamp-wallclock"],
                                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        log.close()
        self.track(proc)
        self.wait_live(stream)

    def test_ll_viewer_follows_an_ffmpeg_stream_part_by_part(self):
        self.start_publisher("ff", gop=25, size="320x240")  # 25 fps, 1 s GOP
        self.wait_live("ff")
        s = self.play(self.url("ff", "ll"), "--hls", "ll")
        self.assertEqual((s["ok"], s["failed"]), (2, 0), s["failure_reasons"])
        # 200 ms parts: about 20 per viewer in 4 s; whole segments are never fetched.
        self.assertGreaterEqual(s["window_parts"], 2 * 12, s)
        self.assertEqual(s["window_segments"], 0)
        # Real time: 25 frames a second reach each viewer, none falls behind.
        self.assertGreaterEqual(s["media_progress"]["min"], 0.8, s)
        self.assertLessEqual(s["media_progress"]["max"], 1.2, s)
        self.assertEqual(s["sessions_fell_behind"], 0, s)
        self.assertEqual(s["first_video_keyframe_fraction"], 1.0)
        # ffmpeg's frames carry no wall-clock stamp: no latency is made up.
        self.assertIsNone(s["latency_ms"])

    def test_ll_latency_is_well_under_three_seconds_and_ts_plays_too(self):
        self.stamped_publisher("stamped")
        ll = self.play(self.url("stamped", "ll"), "--hls", "ll")
        self.assertEqual((ll["ok"], ll["failed"]), (2, 0), ll["failure_reasons"])
        self.assertGreaterEqual(ll["window_parts"], 2 * 12, ll)
        lat = ll["latency_ms"]
        self.assertIsNotNone(lat, ll)
        self.assertGreaterEqual(lat["n"], 2 * 80, lat)  # 25 stamped frames a second
        self.assertGreater(lat["min"], 0, lat)
        self.assertLess(lat["p99"], 3000, lat)

        # The classic viewer on the TS flavour: whole 2 s segments, so a frame
        # waits for its segment and the next reload (README: TS <= 6 s).
        ts = self.play(self.url("stamped", "ts"), "--stall", "5", warmup=7, duration=5)
        self.assertEqual((ts["ok"], ts["failed"]), (2, 0), ts["failure_reasons"])
        self.assertGreaterEqual(ts["window_segments"], 2, ts)
        self.assertEqual(ts["window_parts"], 0)
        self.assertIsNotNone(ts["latency_ms"], ts)
        self.assertLess(ts["latency_ms"]["p99"], 8000, ts["latency_ms"])
        # Whole segments arrive at once: their frames are older than LL's parts.
        self.assertGreater(ts["latency_ms"]["p50"], ll["latency_ms"]["p50"])


if __name__ == "__main__":
    unittest.main()
