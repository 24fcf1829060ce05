#!/usr/bin/env python3
"""Memory per connection: a client that opens many large messages and never
finishes them is closed once the bytes it makes the server hold, over all its
chunk streams, pass rtmp.max_partial_bytes_before_publish (a client that has
not published, or a player) or rtmp.max_partial_bytes (a publisher). The
server's peak RSS does not grow by anything like the hundreds of MB the
per-message and per-count limits alone would allow, and other streams play on."""
import os
import struct
import time
import unittest

import harness
from harness import (Amf0, E2ETestCase, RawPlayer, RawPublisher, RtmpConn, chunk_fmt0, connect_tcp,
                     plain_handshake, wait_closed)

BEFORE_PUBLISH = 256 * 1024
PUBLISHING = 32 * 1024 * 1024
MAX_MESSAGE = 8 * 1024 * 1024
CONFIG = f"""
[rtmp]
max_message_size = {MAX_MESSAGE}
max_partial_bytes_before_publish = {BEFORE_PUBLISH}
max_partial_bytes = {PUBLISHING}
"""
MIB = 1024 * 1024
BIG_FRAME = 2 * MIB


def memory_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def send_partial_messages(sock, streams, each):
    """Sets the chunk size to `each`, then opens `streams` chunk streams (4,
    5, ...) with one chunk each of a MAX_MESSAGE-long video message that
    never completes. Returns the bytes sent before the server closed the
    connection (or all)."""
    assert 4 + streams <= 64
    sent = 0
    first_csid = 4
    try:
        sock.sendall(chunk_fmt0(2, 0, 4, 1, 0) + struct.pack(">I", each))
        payload = os.urandom(each)
        for csid in range(first_csid, first_csid + streams):
            sock.sendall(chunk_fmt0(csid, 0, MAX_MESSAGE, 9, 1) + payload)
            sent += each
    except OSError:
        pass  # closed by the server while we were sending
    return sent


def publishing_connection(port, name, timeout=10.0):
    """An RtmpConn that has published `name` and sends nothing on its own
    (RawPublisher's media thread would interleave with the raw bytes sent here)."""
    conn = RtmpConn(port, timeout)
    conn.handshake(timeout)
    conn.connect("live", port, timeout)
    conn.sid = conn.create_stream(timeout)
    conn.txn += 1
    conn.send(8, 20, conn.sid, Amf0.encode_all("publish", float(conn.txn), None, name, "live"))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code = conn.read_message(deadline - time.monotonic()).status_code()
        if code:
            return conn, code
    return conn, None


class ConnectionMemoryTest(E2ETestCase):
    CONFIG = CONFIG
    HEALTHY = "healthy"

    @classmethod
    def prepare_class(cls):
        media = cls.class_dir("e2e-memory-media-")
        flv = harness.make_small_flv(os.path.join(media, "small.flv"), seconds=4)
        cls.tags = harness.read_flv_tags(flv)
        cls.healthy = RawPublisher(cls.server.rtmp_port, "live", cls.HEALTHY, cls.tags)
        status = cls.healthy.publish()
        if status != "NetStream.Publish.Start":
            cls.healthy.close()
            raise AssertionError(f"healthy publisher refused: {status}")

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "healthy", None) is not None:
            cls.healthy.close()
        super().tearDownClass()

    def assert_healthy_stream_plays(self):
        player = self.track(RawPlayer(self.server.rtmp_port, "live", self.HEALTHY).start())
        self.assertTrue(player.wait_video_frames(5, 10), f"healthy stream stalled: {player.describe()}")
        self.assertFalse(self.healthy.is_closed(), f"healthy publisher was closed: {self.healthy.error}")
        self.assertServerAlive()

    def attack_and_measure(self, sock, streams, each):
        pid = self.server.proc.pid
        rss_before = memory_kib(pid, "VmRSS")
        sent = send_partial_messages(sock, streams, each)
        closed = wait_closed(sock, 5.0)
        peak = memory_kib(pid, "VmHWM")
        return sent, closed, (peak - rss_before) / 1024.0

    def closing_line(self, port, since):
        return self.server.wait_log(rf":{port}\b.*closed: incomplete messages would hold", 3.0, since)

    def test_client_that_has_not_published_is_held_to_the_small_limit(self):
        offset = self.server.log_size()
        sock = connect_tcp(self.server.rtmp_port)
        self.addCleanup(sock.close)
        plain_handshake(sock)
        port = sock.getsockname()[1]
        # 60 partial messages of 128 KiB each, every one under the limit on
        # its own: 7.5 MiB in all if nothing added them up.
        sent, closed, growth_mib = self.attack_and_measure(sock, 60, 128 * 1024)
        self.assertIsNotNone(closed, f"connection still open after {sent} bytes of partial messages")
        self.assertLess(sent, 60 * 128 * 1024, "every partial message was accepted")
        self.assertLess(growth_mib, 16 * harness.SANITIZED_RSS_FACTOR,
                        f"server peak RSS grew by {growth_mib:.1f} MiB")
        line = self.closing_line(port, offset)
        self.assertIsNotNone(line, "no 'closed: incomplete messages would hold' line for the connection")
        self.assertIn(str(BEFORE_PUBLISH), line)
        self.assert_healthy_stream_plays()

    def test_publisher_is_held_to_its_limit(self):
        offset = self.server.log_size()
        conn, status = publishing_connection(self.server.rtmp_port, "greedy")
        self.addCleanup(conn.close)
        self.assertEqual(status, "NetStream.Publish.Start")
        sock = conn.sock
        port = sock.getsockname()[1]
        # 60 partial 4 MiB messages on fresh chunk streams: 240 MiB unchecked,
        # a 32 MiB budget with the limit.
        sent, closed, growth_mib = self.attack_and_measure(sock, 60, 4 * MIB)
        self.assertIsNotNone(closed, f"publisher still connected after {sent} bytes of partial messages")
        self.assertLess(sent, 60 * 4 * MIB, "every partial message was accepted")
        self.assertLess(growth_mib, 64 * harness.SANITIZED_RSS_FACTOR,
                        f"server peak RSS grew by {growth_mib:.1f} MiB")
        line = self.closing_line(port, offset)
        self.assertIsNotNone(line, "no 'closed: incomplete messages would hold' line for the publisher")
        self.assertIn(str(PUBLISHING), line)
        self.assert_healthy_stream_plays()

    def test_publisher_with_large_frames_is_not_disturbed(self):
        """A real publisher interleaving several large frames stays under the limit."""
        conn, status = publishing_connection(self.server.rtmp_port, "bigframes")
        self.addCleanup(conn.close)
        self.assertEqual(status, "NetStream.Publish.Start")
        player = self.track(RawPlayer(self.server.rtmp_port, "live", "bigframes").start())
        time.sleep(0.5)
        conn.set_chunk_size(4096)
        # Three 2 MiB keyframes, chunks interleaved on three chunk streams.
        frames = [b"\x17\x01\x00\x00\x00" + os.urandom(BIG_FRAME - 5) for _ in range(3)]
        # 100 ms apart: a viewer's writer wakes once 100 ms of media is queued.
        wire = [harness.encode_message(csid, 9, conn.sid, f, 100 * i, 4096)
                for i, (csid, f) in enumerate(zip((6, 7, 8), frames))]
        step = 4096 + 1
        first = 12 + 4096
        pieces = [[w[:first]] + [w[j:j + step] for j in range(first, len(w), step)] for w in wire]
        for group in zip(*pieces):
            conn.sock.sendall(b"".join(group))
        big = lambda: len([m for m in player.video() if len(m.payload) == BIG_FRAME])  # noqa: E731
        harness.wait_until(lambda: big() >= 3, 15, 0.05)
        self.assertEqual(big(), 3, player.describe())
        self.assertIsNone(wait_closed(conn.sock, 0.5), "the publisher was disconnected")


if __name__ == "__main__":
    unittest.main()
