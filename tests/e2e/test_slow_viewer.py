#!/usr/bin/env python3
"""Slow viewers: a viewer that stops reading is skipped to keyframes and then
disconnected, while the publisher and a viewer that keeps up are untouched.

The stalled viewers shrink their socket receive buffer and never read, so the
kernel can hold only a fraction of a second of media for them and the
server-side backlog builds up at the publisher's real-time rate."""
import socket
import time
import unittest

from harness import (E2ETestCase, RawPlayer, RtmpConn, connect_tcp, wait_closed)

# A 1 s backlog limit and 2 skips allowed: a stalled viewer must be gone
# within a few GOPs (2 s each here).
CONFIG = """
[media]
viewer_queue_max_ms = 1000
viewer_max_skips = 2
viewer_skip_window_ms = 60000
"""


def shrink_receive_buffer(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)


class SlowViewerTest(E2ETestCase):
    CONFIG = CONFIG

    def start_source(self, name):
        # 720p at 25 fps: enough bits per second to fill small buffers quickly.
        self.start_publisher(name, size="1280x720", seconds=60)
        self.wait_live(name)

    def assert_good_viewer_kept_up(self, good, since, seconds):
        frames = good.coded_video(since)
        self.assertGreaterEqual(len(frames), int(seconds * 25 * 0.8),
                                f"the viewer that reads got too few frames: {good.describe()}")
        gaps = [b.recv_time - a.recv_time for a, b in zip(frames, frames[1:])]
        self.assertLess(max(gaps), 1.0, "the viewer that reads saw a stall of more than 1 s")

    def test_stalled_rtmp_viewer_is_dropped_and_others_keep_up(self):
        name = "slow-rtmp"
        self.start_source(name)
        good = self.track(RawPlayer(self.server.rtmp_port, "live", name).start())
        self.assertTrue(good.wait_video_frames(5, 10), good.describe())

        stalled = self.track(RtmpConn(self.server.rtmp_port))
        shrink_receive_buffer(stalled.sock)
        stalled.handshake()
        stalled.connect("live", self.server.rtmp_port)
        stream_id = stalled.create_stream()
        stalled.play(stream_id, name)
        port = stalled.sock.getsockname()[1]
        started = time.monotonic()
        # From here on the stalled viewer reads nothing.
        line = self.server.wait_log(rf"127\.0\.0\.1:{port} .*closed: player too slow", timeout=30)
        self.assertIsNotNone(line, "the stalled RTMP viewer was not dropped as too slow")
        elapsed = time.monotonic() - started
        self.assert_good_viewer_kept_up(good, started, elapsed)
        self.assertFalse(good.is_closed(), good.describe())
        self.assertServerAlive()

    def test_stalled_http_flv_viewer_is_dropped(self):
        name = "slow-flv"
        self.start_source(name)
        good = self.track(RawPlayer(self.server.rtmp_port, "live", name).start())
        self.assertTrue(good.wait_video_frames(5, 10), good.describe())

        sock = connect_tcp(self.server.http_port)
        self.addCleanup(sock.close)
        shrink_receive_buffer(sock)
        sock.sendall(f"GET /live/{name}.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        port = sock.getsockname()[1]
        started = time.monotonic()
        line = self.server.wait_log(rf"127\.0\.0\.1:{port} .*closed: player too slow", timeout=30)
        self.assertIsNotNone(line, "the stalled HTTP-FLV viewer was not dropped as too slow")
        self.assertIsNotNone(wait_closed(sock, 5), "the server did not close the stalled HTTP-FLV socket")
        self.assert_good_viewer_kept_up(good, started, time.monotonic() - started)
        self.assertServerAlive()


if __name__ == "__main__":
    unittest.main()
