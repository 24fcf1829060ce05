"""Video-only and audio-only pushes (cameras without a microphone, radio):
players start at once over RTMP and HTTP-FLV instead of waiting for a track
that never comes.

Before: the FLV header always announced audio and video, and FFmpeg (5.1)
waits for every announced track for its whole analysis window: ffprobe of a
video-only HTTP-FLV stream took ~40 s, audio-only ~12 s, and ~5 s over RTMP.
Now the header carries the stream's real tracks, and single-track metadata
marks the absent track the way FFmpeg's FLV demuxer reads it
(src/media/metadata.hpp). The time bound here is loose (not a benchmark):
3 s, against 5 s and more before."""

import subprocess
import threading
import time
import unittest
import urllib.request

import harness
from harness import E2ETestCase, FFMPEG, FFPROBE, read_text

FIRST_FRAME_BOUND_S = 3.0


def single_track_publisher(url, workdir, track, seconds=60):
    """ffmpeg pushing only video (-an) or only audio (-vn)."""
    log_path = harness._log_name(workdir, f"publisher-{track}")
    cmd = [FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-re"]
    if track == "video":
        cmd += ["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", str(seconds),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
                "-pix_fmt", "yuv420p", "-an"]
    else:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", str(seconds),
                "-c:a", "aac", "-b:a", "64k", "-vn"]
    cmd += ["-f", "flv", url]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=log)
    proc.log_path = log_path
    return proc


class SingleTrackTest(E2ETestCase):
    CONFIG = harness.config_toml(play_wait_timeout_ms=10000)

    def tearDown(self):
        self.assertServerAlive()

    def timed_probe(self, url):
        started = time.monotonic()
        cp = harness.run([FFPROBE, "-v", "error", "-show_entries", "stream=codec_type,codec_name",
                          "-of", "csv=p=0", url], 30)
        return time.monotonic() - started, cp

    def flv_header_flags(self, stream):
        with urllib.request.urlopen(self.server.flv_url(stream), timeout=10) as response:
            head = response.read(13)
        self.assertEqual(head[:3], b"FLV", head)
        return head[4]

    def check_stream(self, name, track, codec):
        publisher = self.track(single_track_publisher(self.server.rtmp_url(name), self.tmp, track))
        # Live once a player gets media: a video frame or, for audio, any.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if self.flv_header_flags(name) in (1, 4):
                    break
            except OSError:
                pass
            time.sleep(0.2)
        self.assertIsNone(publisher.poll(), read_text(publisher.log_path, 1000))

        # The FLV header announces only the track the stream has.
        self.assertEqual(self.flv_header_flags(name), 1 if track == "video" else 4)
        for url in (self.server.rtmp_url(name), self.server.flv_url(name)):
            seconds, cp = self.timed_probe(url)
            out = cp.stdout.decode(errors="replace").split()
            self.assertEqual(cp.returncode, 0, cp.stderr.decode(errors="replace")[-800:])
            self.assertEqual(out, [f"{codec},{track}"], f"{url}: {out}")
            self.assertLess(seconds, FIRST_FRAME_BOUND_S,
                            f"ffprobe of {track}-only {url} took {seconds:.2f} s")

    def test_a_video_only_push_plays_at_once_over_rtmp_and_http_flv(self):
        self.check_stream("cam-no-mic", "video", "h264")

    def test_an_audio_only_push_plays_at_once_over_rtmp_and_http_flv(self):
        self.check_stream("radio", "audio", "aac")

    def test_a_player_waiting_for_a_video_only_push_gets_the_right_header(self):
        # The player asks first; its header is written once the publish's
        # tracks are known, not at the publish command.
        name = "late-cam"
        result = {}

        def play():
            started = time.monotonic()
            with urllib.request.urlopen(self.server.flv_url(name), timeout=20) as response:
                result["head"] = response.read(13)
            result["seconds"] = time.monotonic() - started

        player = threading.Thread(target=play, daemon=True)
        player.start()
        time.sleep(0.5)
        self.track(single_track_publisher(self.server.rtmp_url(name), self.tmp, "video"))
        player.join(20)
        self.assertIn("head", result, "the waiting HTTP-FLV player got no answer")
        self.assertEqual(result["head"][4], 1, result["head"])


if __name__ == "__main__":
    unittest.main()
