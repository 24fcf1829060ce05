"""Replays byte streams recorded from real RTMP publishers (ffmpeg with the
digest handshake, GStreamer rtmp2sink with the plain one) and plays them."""

import json
import os
import socket
import subprocess
import threading
import time
import unittest

import harness
from harness import (FFPROBE, E2ETestCase, RawPlayer, connect_tcp, parse_c2s_file, recv_exact,
                     stream_summary)

HANDSHAKE = harness.HANDSHAKE_SIZE


class Replayer:
    """Sends a recorded client-to-server stream: C0+C1, reads S0+S1+S2, then
    the recorded C2 and the commands up to `publish` at once, the media at
    recorded (real-time) pace, and the trailing FCUnpublish/deleteStream only
    when finish() is called.  A reader thread discards what the server sends."""

    def __init__(self, port, path):
        self.data, self.messages = parse_c2s_file(path)
        self.port = port
        self.sock = None
        self.received = 0
        self.server_closed = False
        self.error = None
        self.media_done = threading.Event()
        self.publish_sent = threading.Event()
        self._stop = False
        # Offsets: end of the publish command; start of the trailing commands.
        self.publish_end = next(off for m, off in self.messages
                                if m.type == 20 and m.command()[:1] == ["publish"])
        tail_start = len(self.data)
        prev_end = 1 + 2 * HANDSHAKE
        for m, off in self.messages:
            if m.type == 20 and m.command()[:1] in (["FCUnpublish"], ["deleteStream"]):
                tail_start = prev_end
                break
            prev_end = off
        self.tail_start = tail_start
        self.media = [(m, off) for m, off in self.messages
                      if self.publish_end < off <= self.tail_start]

    def stream_name(self):
        for m, _ in self.messages:
            if m.type == 20 and m.command()[:1] == ["publish"]:
                return m.command()[3]
        return None

    def coded_video_frames(self):
        return [m for m, _ in self.media if m.is_coded_video()]

    def start(self):
        self.sock = connect_tcp(self.port)
        self.sock.sendall(self.data[:1 + HANDSHAKE])
        reply = recv_exact(self.sock, 1 + 2 * HANDSHAKE, timeout=10)
        if reply[0] != 3:
            raise AssertionError(f"S0 is {reply[0]}, expected 3")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.sender = threading.Thread(target=self._send, daemon=True)
        self.sender.start()
        return self

    def _read(self):
        while not self._stop:
            try:
                self.sock.settimeout(0.5)
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except OSError:
                self.server_closed = True
                return
            if not data:
                self.server_closed = True
                return
            self.received += len(data)

    def _send(self):
        try:
            # Recorded C2 (it will not match our S1) and the commands up to publish.
            self.sock.sendall(self.data[1 + HANDSHAKE:self.publish_end])
            self.publish_sent.set()
            start = time.monotonic()
            sent = self.publish_end
            first_ts = None
            for msg, end in self.media:
                if self._stop:
                    return
                if msg.type in (8, 9):
                    if first_ts is None:
                        first_ts = msg.timestamp
                    due = start + (msg.timestamp - first_ts) / 1000.0
                    delay = due - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                if end > sent:
                    self.sock.sendall(self.data[sent:end])
                    sent = end
            if self.tail_start > sent:
                self.sock.sendall(self.data[sent:self.tail_start])
        except OSError as e:
            self.error = e
        finally:
            self.publish_sent.set()
            self.media_done.set()

    def finish(self):
        """Sends the recorded FCUnpublish/deleteStream."""
        try:
            self.sock.sendall(self.data[self.tail_start:])
        except OSError as e:
            self.error = self.error or e

    def close(self):
        self._stop = True
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass


class FixtureReplayTest(E2ETestCase):
    def tearDown(self):
        self.assertServerAlive()

    def replay_and_play(self, fixture, expected_name, width, height):
        path = os.path.join(harness.FIXTURES_DIR, fixture)
        if not os.path.exists(path):
            self.fail(f"fixture missing: {path}")
        replayer = Replayer(self.server.rtmp_port, path)
        self.addCleanup(replayer.close)
        self.assertEqual(replayer.stream_name(), expected_name, "unexpected fixture content")
        recorded_frames = len(replayer.coded_video_frames())

        # A raw player waiting before the publish: it must see the whole recording.
        early = self.track(RawPlayer(self.server.rtmp_port, "live", expected_name).start())
        self.assertTrue(harness.wait_until(lambda: early.play_sent_at is not None or early.is_closed(), 10),
                        early.describe())

        replayer.start()
        self.assertTrue(replayer.publish_sent.wait(10), "could not send the recorded commands")
        url = self.server.rtmp_url(expected_name)
        probe_proc = self.track(subprocess.Popen(
            [FFPROBE, "-hide_banner", "-v", "error", "-show_streams", "-of", "json", url],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE))
        # A late joiner a second into the recording.
        time.sleep(1.0)
        late = self.track(RawPlayer(self.server.rtmp_port, "live", expected_name).start())

        self.assertTrue(replayer.media_done.wait(20), "replay of the media did not finish")
        self.assertIsNone(replayer.error, f"sending the recording failed: {replayer.error!r}")
        self.assertFalse(replayer.server_closed, "the server closed the replayed publisher connection")
        # Let ffprobe finish while the stream is live; then unpublish, which
        # also ends an ffprobe that still waits for more data.
        try:
            out, err = probe_proc.communicate(timeout=3)
        except subprocess.TimeoutExpired:
            replayer.finish()
            try:
                out, err = probe_proc.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                probe_proc.kill()
                out, err = probe_proc.communicate(timeout=5)
        replayer.finish()

        self.assertEqual(probe_proc.returncode, 0, f"ffprobe {url} failed: {err.decode(errors='replace')[-800:]}")
        streams = json.loads(out.decode()).get("streams", [])
        video = [s for s in streams if s.get("codec_type") == "video"]
        audio = [s for s in streams if s.get("codec_type") == "audio"]
        self.assertEqual(len(video), 1, stream_summary(streams))
        self.assertEqual(video[0].get("codec_name"), "h264", stream_summary(streams))
        self.assertEqual((video[0].get("width"), video[0].get("height")), (width, height), stream_summary(streams))
        self.assertEqual([a.get("codec_name") for a in audio], ["aac"], stream_summary(streams))

        # The early player got (nearly) every recorded frame, starting with a keyframe.
        got_all = early.wait_video_frames(recorded_frames, 5)
        frames = early.coded_video()
        self.assertGreaterEqual(len(frames), recorded_frames - 2,
                                f"early player got {len(frames)} of {recorded_frames} recorded frames "
                                f"(all={got_all}): {early.describe()}")
        self.assertTrue(frames[0].is_video_keyframe(), f"first frame not a keyframe: {frames[0]!r}")
        metadata = [m.command() for m in early.snapshot() if m.type == 18]
        meta_objects = [v for cmd in metadata if "onMetaData" in cmd for v in cmd if isinstance(v, dict)]
        self.assertTrue(meta_objects, f"no onMetaData delivered: {metadata[:2]}")
        self.assertEqual((meta_objects[0].get("width"), meta_objects[0].get("height")),
                         (float(width), float(height)), f"metadata: {meta_objects[0]}")

        # The late joiner starts at a keyframe.
        self.assertTrue(late.coded_video(), f"late joiner got no video: {late.describe()}")
        self.assertTrue(late.coded_video()[0].is_video_keyframe(), f"late joiner: {late.coded_video()[0]!r}")

        # The recorded FCUnpublish ends the stream for the players.
        notice = early.wait_status_matching(lambda c: "unpublish" in c.lower() or "stop" in c.lower(), 5)
        self.assertIsNotNone(notice, f"no unpublish notice after the recorded FCUnpublish: {early.describe()}")

    def test_ffmpeg_publish_digest_handshake(self):
        self.replay_and_play("ffmpeg-publish.c2s", "cap1", 640, 360)

    def test_gstreamer_rtmp2sink_publish_plain_handshake(self):
        self.replay_and_play("gstreamer-rtmp2sink-publish.c2s", "cap2", 320, 180)


if __name__ == "__main__":
    unittest.main(verbosity=2)
