"""Who may publish, several streams, waiting players, publisher leaving/returning."""

import os
import signal
import threading
import time
import unittest

import harness
from harness import (E2ETestCase, RawPlayer, count_video_packets, kill_process, probe, read_text,
                     start_capture, stream_summary, wait_until)

GRACE_MS = 1500


def is_unpublish_notice(code):
    return bool(code) and "unpublish" in code.lower()


class PublisherRulesTest(E2ETestCase):
    CONFIG = harness.config_toml(play_wait_timeout_ms=8000, unpublish_grace_ms=GRACE_MS)

    def tearDown(self):
        self.assertServerAlive()

    def video_size(self, url):
        streams, cp = probe(url)
        self.assertIsNotNone(streams, f"ffprobe {url} failed (rc={cp.returncode}): "
                                      f"{cp.stderr.decode(errors='replace')[-800:]}")
        video = [s for s in streams if s.get("codec_type") == "video"]
        self.assertEqual(len(video), 1, f"{url}: {stream_summary(streams)}")
        self.assertEqual(video[0].get("codec_name"), "h264", f"{url}: {stream_summary(streams)}")
        return video[0].get("width"), video[0].get("height")

    def test_duplicate_publish_is_refused_and_first_continues(self):
        name = "dup"
        first = self.start_publisher(name, size="640x360", seconds=60)
        self.wait_live(name)
        player = self.track(RawPlayer(self.server.rtmp_port, "live", name).start())
        self.assertTrue(player.wait_video_frames(5, 10), f"player got no video: {player.describe()}")

        second = self.start_publisher(name, size="320x240", seconds=30)
        try:
            rc = second.wait(timeout=15)
        except Exception:
            rc = None
        refused_at = time.monotonic()
        second_log = read_text(second.log_path, 1500)
        self.assertIsNotNone(rc, f"second publisher of live/{name} was not refused within 15 s "
                                 f"(still pushing); its log: {second_log}")
        self.assertNotEqual(rc, 0, f"second publisher exited 0; expected a refusal. log: {second_log}")

        self.assertIsNone(first.poll(), f"the first publisher stopped (rc={first.returncode}): "
                                        f"{read_text(first.log_path, 1500)}")
        # The existing player keeps receiving frames after the refusal.
        got = player.wait_video_frames(25, 10, since=refused_at)
        self.assertTrue(got, f"player stopped receiving after the refused publish: "
                             f"{len(player.coded_video(refused_at))} frames since; {player.describe()}")
        self.assertFalse(player.is_closed(), player.describe())
        # And the stream is still the first publisher's (640x360, not 320x240).
        self.assertEqual(self.video_size(self.server.rtmp_url(name)), (640, 360))
        self.assertIsNone(first.poll(), "the first publisher stopped")

    def test_several_streams_at_once(self):
        sizes = {"multi-a": (640, 360), "multi-b": (320, 240)}
        for name, (w, h) in sizes.items():
            self.start_publisher(name, size=f"{w}x{h}", seconds=40)
        for name in sizes:
            self.wait_live(name)
        urls = []
        for name in sizes:
            urls += [(name, self.server.rtmp_url(name)), (name, self.server.flv_url(name))]
        results = {}

        def worker(name, url):
            results[url] = probe(url)
        threads = [threading.Thread(target=worker, args=item) for item in urls]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=40)
        for name, url in urls:
            with self.subTest(url=url):
                self.assertIn(url, results, f"ffprobe of {url} did not finish")
                streams, cp = results[url]
                self.assertIsNotNone(streams, f"ffprobe {url} failed (rc={cp.returncode}): "
                                              f"{cp.stderr.decode(errors='replace')[-800:]}")
                video = [s for s in streams if s.get("codec_type") == "video"]
                self.assertTrue(video, f"{url}: {stream_summary(streams)}")
                self.assertEqual((video[0].get("width"), video[0].get("height")), sizes[name],
                                 f"{url} shows another stream's picture: {stream_summary(streams)}")

    def test_player_waits_for_the_publisher(self):
        name = "later"
        seconds = 4
        rtmp_out, flv_out = self.path("rtmp.flv"), self.path("http.flv")
        rtmp_cap = self.track(start_capture(self.server.rtmp_url(name), seconds, rtmp_out, self.tmp))
        flv_cap = self.track(start_capture(self.server.flv_url(name), seconds, flv_out, self.tmp))
        raw = self.track(RawPlayer(self.server.rtmp_port, "live", name).start())
        time.sleep(1.5)  # the players are now waiting for a stream that does not exist yet
        for label, proc in (("rtmp", rtmp_cap), ("http-flv", flv_cap)):
            self.assertIsNone(proc.poll(), f"{label} player gave up before the publisher came "
                                           f"(rc={proc.returncode}): {read_text(proc.log_path, 800)}")
        self.assertFalse(raw.is_closed(), f"raw player was disconnected while waiting: {raw.describe()}")
        self.assertFalse(raw.coded_video(), "video before anyone published?")

        self.start_publisher(name, seconds=40)
        self.assertTrue(raw.wait_video_frames(1, 10), f"waiting raw player got no video: {raw.describe()}")
        self.assertTrue(raw.coded_video()[0].is_video_keyframe(), "first frame is not a keyframe")
        for label, proc, out in (("rtmp", rtmp_cap, rtmp_out), ("http-flv", flv_cap, flv_out)):
            with self.subTest(player=label):
                try:
                    rc = proc.wait(timeout=seconds + 20)
                except Exception:
                    rc = None
                self.assertEqual(rc, 0, f"{label} waiting player: rc={rc}: {read_text(proc.log_path, 800)}")
                frames = count_video_packets(out)
                self.assertIsNotNone(frames, f"{label}: no readable capture")
                self.assertGreaterEqual(frames, 25 * seconds * 0.9, f"{label}: {frames} frames in {seconds}s")
                self.assertLessEqual(frames, 25 * seconds * 1.1, f"{label}: {frames} frames in {seconds}s")

    def test_killed_publisher_ends_players_after_grace(self):
        name = "killed"
        pub = self.start_publisher(name, seconds=60)
        self.wait_live(name)
        rtmp_cap = self.track(start_capture(self.server.rtmp_url(name), 60, self.path("rtmp.flv"), self.tmp))
        flv_cap = self.track(start_capture(self.server.flv_url(name), 60, self.path("http.flv"), self.tmp))
        raw = self.track(RawPlayer(self.server.rtmp_port, "live", name).start())
        self.assertTrue(raw.wait_video_frames(10, 10), f"raw player got no video: {raw.describe()}")
        got_output = wait_until(lambda: all(os.path.exists(p) and os.path.getsize(p) > 0
                                            for p in (self.path("rtmp.flv"), self.path("http.flv"))), 10)
        self.assertTrue(got_output, "ffmpeg players wrote nothing: "
                                    f"{read_text(rtmp_cap.log_path, 500)} {read_text(flv_cap.log_path, 500)}")

        pub.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        pub.wait(timeout=5)

        notice_at = raw.wait_status_matching(is_unpublish_notice, GRACE_MS / 1000 + 5)
        self.assertIsNotNone(notice_at, f"no unpublish notice (onStatus *Unpublish*): {raw.describe()}")
        self.assertLess(notice_at - killed_at, GRACE_MS / 1000,
                        "the unpublish notice should come when the publisher leaves, not after the grace period")

        limit = GRACE_MS / 1000 + 4
        self.assertTrue(wait_until(raw.is_closed, limit), f"raw player still connected {limit}s after "
                                                          f"the publisher died: {raw.describe()}")
        closed_after = raw.closed_at - killed_at
        self.assertGreaterEqual(closed_after, GRACE_MS / 1000 - 0.5,
                                f"player disconnected {closed_after:.2f}s after the publisher died; "
                                f"it should be kept for the {GRACE_MS} ms grace period")
        for label, proc in (("rtmp", rtmp_cap), ("http-flv", flv_cap)):
            remaining = max(0.1, killed_at + limit - time.monotonic())
            try:
                proc.wait(timeout=remaining)
            except Exception:
                pass
            self.assertIsNotNone(proc.poll(), f"{label} ffmpeg player still running {limit}s after the "
                                              f"publisher was killed")


class PublisherReturnTest(E2ETestCase):
    """The publisher comes back within the grace period: players continue."""

    RETURN_GRACE_MS = 4000
    CONFIG = harness.config_toml(play_wait_timeout_ms=8000, unpublish_grace_ms=RETURN_GRACE_MS)

    def tearDown(self):
        self.assertServerAlive()

    def test_publisher_returning_within_grace_keeps_players(self):
        name = "comeback"
        pub = self.start_publisher(name, seconds=60)
        self.wait_live(name)
        raw = self.track(RawPlayer(self.server.rtmp_port, "live", name).start())
        # ffmpeg as an HTTP-FLV player (ffmpeg's RTMP client itself stops on
        # NetStream.Play.UnpublishNotify, so it cannot ride through a gap).
        out = self.path("http.flv")
        flv_cap = self.track(start_capture(self.server.flv_url(name), None, out, self.tmp, stdin_pipe=True))
        self.assertTrue(raw.wait_video_frames(10, 10), f"raw player got no video: {raw.describe()}")
        self.assertTrue(wait_until(lambda: os.path.exists(out) and os.path.getsize(out) > 0, 10),
                        f"HTTP-FLV player wrote nothing: {read_text(flv_cap.log_path, 500)}")

        pub.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        pub.wait(timeout=5)
        time.sleep(1.0)
        frames_in_gap = [m for m in raw.coded_video(killed_at + 0.5)]
        self.assertFalse(frames_in_gap, "frames arrived although the publisher was dead")

        returned_at = time.monotonic()
        self.start_publisher(name, seconds=60)
        frames_at_return = count_video_packets(out) or 0
        got = raw.wait_video_frames(50, 15, since=returned_at)
        self.assertTrue(got, f"player received {len(raw.coded_video(returned_at))} frames after the "
                             f"publisher returned: {raw.describe()}")
        self.assertFalse(raw.is_closed(), f"raw player was disconnected: {raw.describe()}")
        self.assertIsNone(raw.error, raw.describe())
        after = raw.coded_video(returned_at)
        self.assertTrue(after[0].is_video_keyframe(), f"first frame after the return is not a keyframe: {after[0]!r}")

        # The HTTP-FLV ffmpeg player is still the same process and keeps
        # writing frames of the returned publisher (50 = 2 s at 25 fps, more
        # than ffmpeg's output buffer can hold back from before the gap).
        frames_now = [frames_at_return]

        def grew():
            frames_now[0] = count_video_packets(out) or 0
            return frames_now[0] >= frames_at_return + 50
        self.assertTrue(wait_until(grew, 15, 0.5),
                        f"HTTP-FLV capture: {frames_at_return} video frames when the publisher returned, "
                        f"{frames_now[0]} later; player rc={flv_cap.poll()}: {read_text(flv_cap.log_path, 800)}")
        self.assertIsNone(flv_cap.poll(), f"HTTP-FLV player exited (rc={flv_cap.returncode}): "
                                          f"{read_text(flv_cap.log_path, 800)}")

        # Past the end of the grace period counted from the kill, the players
        # are still there and still fed (the return cancelled the grace timer).
        past_grace = killed_at + self.RETURN_GRACE_MS / 1000 + 1.5
        time.sleep(max(0.0, past_grace - time.monotonic()))
        self.assertFalse(raw.is_closed(), f"player dropped at the end of the grace period although the "
                                          f"publisher had returned: {raw.describe()}")
        recent = raw.coded_video(past_grace - 1.0)
        self.assertGreaterEqual(len(recent), 15, f"only {len(recent)} frames in the last second: {raw.describe()}")
        self.assertIsNone(flv_cap.poll(), f"HTTP-FLV player ended at the end of the grace period "
                                          f"(rc={flv_cap.returncode}): {read_text(flv_cap.log_path, 800)}")
        try:
            flv_cap.stdin.write(b"q")
            flv_cap.stdin.flush()
        except OSError:
            pass
        try:
            rc = flv_cap.wait(timeout=10)
        except Exception:
            kill_process(flv_cap)
            rc = None
        self.assertEqual(rc, 0, f"HTTP-FLV player did not stop cleanly: {read_text(flv_cap.log_path, 800)}")
        self.assertIsNone(raw.error, raw.describe())
        self.assertFalse(raw.is_closed(), raw.describe())


if __name__ == "__main__":
    unittest.main(verbosity=2)
