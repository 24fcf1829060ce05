"""Publish with ffmpeg, play over RTMP and HTTP-FLV."""

import os
import socket
import threading
import time
import unittest

import harness
from harness import (E2ETestCase, RawPlayer, capture, count_video_packets, first_video_packet_is_key,
                     probe, stream_summary, wait_until)

FPS = 25
CAPTURE_SECONDS = 5
EXPECTED_FRAMES = FPS * CAPTURE_SECONDS


class PublishPlayTest(E2ETestCase):
    """One ffmpeg publisher (live/main, 640x360, GOP 50) shared by the tests."""

    CONFIG = harness.config_toml(play_wait_timeout_ms=3000)
    STREAM = "main"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pub_dir = os.path.join(cls.server.workdir, "publisher")
        os.makedirs(cls.pub_dir, exist_ok=True)
        cls.publisher = harness.start_publisher(cls.server.rtmp_url(cls.STREAM), cls.pub_dir, seconds=150)
        ok, detail = harness.wait_stream_live(cls.server.rtmp_port, "live", cls.STREAM, timeout=15)
        if not ok:
            pub_log = harness.read_text(cls.publisher.log_path, 2000)
            harness.kill_process(cls.publisher)
            cls.server.cleanup()
            raise AssertionError(f"publisher never went live: {detail}\npublisher log:\n{pub_log}\n"
                                 f"{cls.server.log_tail()}")

    @classmethod
    def tearDownClass(cls):
        harness.kill_process(getattr(cls, "publisher", None))
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        if self.publisher.poll() is not None:
            self.fail(f"the shared publisher exited early ({self.publisher.returncode}): "
                      f"{harness.read_text(self.publisher.log_path, 2000)}")

    def tearDown(self):
        self.assertServerAlive()

    def assert_h264_aac_640x360(self, streams, cp, url):
        self.assertIsNotNone(streams, f"ffprobe {url} failed (rc={cp.returncode}): "
                                      f"{cp.stderr.decode(errors='replace')[-800:]}")
        summary = stream_summary(streams)
        video = [s for s in streams if s.get("codec_type") == "video"]
        audio = [s for s in streams if s.get("codec_type") == "audio"]
        self.assertEqual(len(video), 1, f"{url}: expected one video stream, got {summary}")
        self.assertEqual(len(audio), 1, f"{url}: expected one audio stream, got {summary}")
        self.assertEqual(video[0].get("codec_name"), "h264", f"{url}: {summary}")
        self.assertEqual((video[0].get("width"), video[0].get("height")), (640, 360), f"{url}: {summary}")
        self.assertEqual(audio[0].get("codec_name"), "aac", f"{url}: {summary}")

    def test_probe_rtmp(self):
        url = self.server.rtmp_url(self.STREAM)
        streams, cp = probe(url)
        self.assert_h264_aac_640x360(streams, cp, url)

    def test_ffmpeg_plays_rtmp_without_protocol_warnings(self):
        # ffmpeg asks getStreamLength before play and wants a number back.
        url = self.server.rtmp_url(self.STREAM)
        cp = harness.run([harness.FFPROBE, "-v", "warning", "-show_entries", "stream=codec_type",
                          "-of", "csv=p=0", url], 30)
        err = cp.stderr.decode(errors="replace")
        self.assertEqual(cp.returncode, 0, err[-800:])
        self.assertNotIn("Unexpected reply", err)

    def test_probe_http_flv(self):
        url = self.server.flv_url(self.STREAM)
        streams, cp = probe(url)
        self.assert_h264_aac_640x360(streams, cp, url)

    def test_capture_frame_count_rtmp_and_http_flv(self):
        """5 s captures over both protocols (run concurrently) hold ~125 frames."""
        results = {}
        urls = {"rtmp": self.server.rtmp_url(self.STREAM), "http-flv": self.server.flv_url(self.STREAM)}

        def worker(kind, url):
            out = self.path(f"capture-{kind}.flv")
            results[kind] = (capture(url, CAPTURE_SECONDS, out, timeout=CAPTURE_SECONDS + 25), out)

        threads = [threading.Thread(target=worker, args=item) for item in urls.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=CAPTURE_SECONDS + 40)
        for kind, url in urls.items():
            with self.subTest(kind=kind):
                self.assertIn(kind, results, f"{kind} capture did not finish")
                cp, out = results[kind]
                self.assertEqual(cp.returncode, 0, f"capture of {url} failed (rc={cp.returncode}): "
                                                   f"{cp.stderr.decode(errors='replace')[-800:]}")
                frames = count_video_packets(out)
                self.assertIsNotNone(frames, f"could not count video packets in {out}")
                self.assertGreaterEqual(frames, EXPECTED_FRAMES * 0.9,
                                        f"{kind}: {frames} video frames in a {CAPTURE_SECONDS}s capture")
                self.assertLessEqual(frames, EXPECTED_FRAMES * 1.1,
                                     f"{kind}: {frames} video frames in a {CAPTURE_SECONDS}s capture")
                ok, detail = first_video_packet_is_key(out)
                self.assertTrue(ok, f"{kind} capture does not start with a keyframe: {detail}")

    def test_late_joiner_starts_with_cached_gop(self):
        """A player joining mid-GOP gets metadata, sequence headers, then the
        cached GOP from its keyframe, immediately (not at the next keyframe)."""
        # Watch the stream to learn when keyframes arrive, then join ~1 s
        # (25 frames) after one: the GOP cache then holds ~25 frames.
        watcher = self.track(RawPlayer(self.server.rtmp_port, "live", self.STREAM).start())
        self.assertTrue(watcher.wait_video_frames(1, 10), f"watcher got no video: {watcher.describe()}")
        # Find a keyframe that arrives after the watcher's own GOP burst.
        settle = time.monotonic() + 0.3

        def next_key():
            keys = [m for m in watcher.coded_video(settle) if m.is_video_keyframe()]
            return keys[0] if keys else None
        key = wait_until(next_key, 5)
        self.assertIsNotNone(key, f"no keyframe within 5 s with -g 50 at 25 fps: {watcher.describe()}")
        time.sleep(max(0.0, key.recv_time + 1.0 - time.monotonic()))
        watcher.close()

        joiner = self.track(RawPlayer(self.server.rtmp_port, "live", self.STREAM).start())
        self.assertTrue(wait_until(lambda: joiner.play_sent_at is not None, 10), joiner.describe())
        # The cached GOP (about 25 frames) must arrive in a burst; at 25 fps
        # live delivery alone would need ~1 s for 15 frames.
        got = joiner.wait_video_frames(15, 10)
        self.assertTrue(got, f"late joiner got too few frames: {joiner.describe()}")
        frames = joiner.coded_video()
        burst = frames[14].recv_time - joiner.play_sent_at
        self.assertLess(burst, 0.5, f"late joiner needed {burst:.2f}s for its first 15 frames: "
                                    f"no GOP cache burst? {joiner.describe()}")
        first_frame_delay = frames[0].recv_time - joiner.play_sent_at
        self.assertLess(first_frame_delay, 0.5, f"first video frame after {first_frame_delay:.2f}s")
        self.assertTrue(frames[0].is_video_keyframe(), f"first coded video frame is not a keyframe: {frames[0]!r}")

        msgs = joiner.snapshot()
        media = [m for m in msgs if m.type in (8, 9, 18)]
        self.assertTrue(media, joiner.describe())
        # Data messages (onMetaData, possibly |RtmpSampleAccess) come before any audio/video.
        leading_data = []
        for m in media:
            if m.type != 18:
                break
            leading_data.append(m)
        self.assertTrue(leading_data, f"first media message should be metadata, got {media[:3]}")
        self.assertTrue(any("onMetaData" in m.command() for m in leading_data),
                        f"no onMetaData before audio/video: {[m.command()[:1] for m in leading_data]}")
        videos = [m for m in media if m.type == 9]
        audios = [m for m in media if m.type == 8]
        self.assertTrue(videos[0].is_avc_sequence_header(), f"first video message is not the AVC sequence header: {videos[0]!r}")
        self.assertTrue(audios and audios[0].is_aac_sequence_header(),
                        f"first audio message is not the AAC sequence header: {audios[:1]!r}")
        # Cached frames come in order with non-decreasing timestamps.
        stamps = [m.timestamp for m in frames[:15]]
        self.assertEqual(stamps, sorted(stamps), f"GOP timestamps out of order: {stamps}")

    def test_late_joiner_first_packet_is_key_ffprobe(self):
        url = self.server.rtmp_url(self.STREAM)
        start = time.monotonic()
        ok, detail = first_video_packet_is_key(url, timeout=20)
        elapsed = time.monotonic() - start
        self.assertTrue(ok, f"ffprobe on {url}: {detail}")
        self.assertLess(elapsed, 6.0, f"ffprobe needed {elapsed:.1f}s for the first 5 video packets")
        ok, detail = first_video_packet_is_key(self.server.flv_url(self.STREAM), timeout=20)
        self.assertTrue(ok, f"ffprobe on HTTP-FLV: {detail}")

    def test_query_parameters_are_not_part_of_the_name(self):
        name = "qs1"
        pub = self.track(harness.start_publisher(self.server.rtmp_url(name) + "?token=secret&x=1",
                                                 self.tmp, size="320x240", seconds=40))
        self.wait_live(name)
        for url in (self.server.rtmp_url(name), self.server.rtmp_url(name) + "?token=other",
                    self.server.flv_url(name), self.server.flv_url(name) + "?token=other"):
            streams, cp = probe(url)
            self.assertIsNotNone(streams, f"ffprobe {url} failed (rc={cp.returncode}): "
                                          f"{cp.stderr.decode(errors='replace')[-800:]}")
            video = [s for s in streams if s.get("codec_type") == "video"]
            self.assertTrue(video, f"{url}: no video in {stream_summary(streams)}")
            self.assertEqual((video[0].get("width"), video[0].get("height")), (320, 240),
                             f"{url}: {stream_summary(streams)}")
        self.assertIsNone(pub.poll(), "the publisher with a query string stopped")

    def test_rtmp_player_of_a_stream_that_never_appears_gives_up(self):
        player = self.track(RawPlayer(self.server.rtmp_port, "live", "never-published-rtmp").start())
        self.assertTrue(wait_until(lambda: player.play_sent_at is not None or player.is_closed(), 10),
                        player.describe())
        self.assertIsNotNone(player.play_sent_at, f"could not ask to play: {player.describe()}")

        def gave_up():
            failed = [c for _, c in player.statuses()
                      if any(word in c for word in ("NotFound", "Failed", "Stop", "Unpublish"))]
            return player.is_closed() or failed
        self.assertTrue(wait_until(gave_up, 3.0 + 5.0), f"player still waiting 8 s after asking for a stream "
                                                        f"that never appeared: {player.describe()}")
        waited = time.monotonic() - player.play_sent_at
        self.assertGreaterEqual(waited, 2.5, f"gave up after {waited:.2f}s; expected the 3 s play wait timeout")
        self.assertFalse(player.coded_video(), player.describe())

    def http_get(self, path, timeout):
        """Raw HTTP/1.1 GET; returns (status line, headers dict (lower-case), socket, leftover body bytes)."""
        sock = socket.create_connection(("127.0.0.1", self.server.http_port), timeout=timeout)
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.server.http_port}\r\n"
                     f"User-Agent: sluice-e2e\r\nAccept: */*\r\n\r\n".encode())
        buf = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                sock.close()
                self.fail(f"no complete HTTP response head for {path} within {timeout}s: {buf[:300]!r}")
            sock.settimeout(remaining)
            data = sock.recv(4096)
            if not data:
                break
            buf += data
        head, _, rest = buf.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        return lines[0], headers, sock, rest

    def test_http_flv_response_headers_and_chunked_body(self):
        status, headers, sock, rest = self.http_get(f"/live/{self.STREAM}.flv", timeout=10)
        try:
            self.assertRegex(status, r"^HTTP/1\.1 200\b", f"status line {status!r}, headers {headers}")
            self.assertEqual(headers.get("transfer-encoding", "").lower(), "chunked", f"headers {headers}")
            self.assertEqual(headers.get("access-control-allow-origin"), "*", f"headers {headers}")
            self.assertTrue(headers.get("content-type", "").startswith("video/x-flv"), f"headers {headers}")
            self.assertNotIn("content-length", headers, f"headers {headers}")
            # Decode chunked framing for >= 64 KiB of body; it must be an FLV
            # stream (signature, then tags).
            body = bytearray()
            raw = bytearray(rest)
            deadline = time.monotonic() + 10

            def need(n):
                while len(raw) < n:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self.fail(f"HTTP-FLV body stalled after {len(body)} bytes")
                    sock.settimeout(remaining)
                    data = sock.recv(65536)
                    if not data:
                        self.fail(f"HTTP-FLV connection closed after {len(body)} bytes")
                    raw.extend(data)
            while len(body) < 65536:
                need(3)
                while b"\r\n" not in raw:
                    need(len(raw) + 1)
                line, _, _ = bytes(raw).partition(b"\r\n")
                size = int(line.split(b";")[0], 16)
                self.assertGreater(size, 0, "HTTP-FLV stream ended (zero-size chunk)")
                del raw[:len(line) + 2]
                need(size + 2)
                body += raw[:size]
                self.assertEqual(bytes(raw[size:size + 2]), b"\r\n", "chunk not terminated by CRLF")
                del raw[:size + 2]
            self.assertEqual(bytes(body[:3]), b"FLV", f"body starts with {bytes(body[:16])!r}")
            self.assertEqual(body[4] & 0x05, 0x05, f"FLV header flags {body[4]:#x}: expected audio+video")
            # First tag after the 9-byte header and PreviousTagSize0.
            first_tag_type = body[13]
            self.assertIn(first_tag_type, (8, 9, 18), f"first FLV tag type {first_tag_type}")
        finally:
            sock.close()

    def test_http_flv_404_for_a_stream_that_never_appears(self):
        start = time.monotonic()
        status, headers, sock, _ = self.http_get("/live/never-published.flv", timeout=15)
        elapsed = time.monotonic() - start
        sock.close()
        self.assertRegex(status, r"^HTTP/1\.[01] 404\b", f"status line {status!r} after {elapsed:.1f}s")
        # play_wait_timeout_ms = 3000: the request waits for the publisher first.
        self.assertGreaterEqual(elapsed, 2.5, f"404 after only {elapsed:.2f}s; expected a ~3 s wait")
        self.assertLess(elapsed, 8.0, f"404 after {elapsed:.2f}s; expected ~3 s")


if __name__ == "__main__":
    unittest.main(verbosity=2)
