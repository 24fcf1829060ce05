#!/usr/bin/env python3
"""Timestamps: a publisher whose clock wraps at 2^32 and then jumps back.
An RTMP and an HTTP-FLV viewer both see, per track, time that never goes
back (32-bit on the wire, wrapping naturally), audio and video stay as close
as the publisher had them, and the server logs the jump once."""
import http.client
import os
import threading
import time
import unittest

import harness
from harness import Amf0, E2ETestCase, RawPlayer, RtmpConn

WRAP = 1 << 32
START = WRAP - 1500          # the wrap comes 1.5 s into the stream
JUMP_BACK_MS = 30000         # the second pass restarts 30 s earlier


def serial_diff(a, b):
    """b - a in RTMP's 32-bit serial arithmetic, as a signed number."""
    d = (b - a) % WRAP
    return d - WRAP if d >= WRAP // 2 else d


class FlvReader(threading.Thread):
    """An HTTP-FLV viewer recording (tag type, 32-bit timestamp) per tag."""

    def __init__(self, port, path):
        super().__init__(daemon=True)
        self.port, self.path = port, path
        self.tags = []
        self.status = None
        self.error = None
        self._halt = False

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            conn.request("GET", self.path)
            resp = conn.getresponse()
            self.status = resp.status
            if resp.status != 200:
                return
            header = resp.read(13)  # FLV header + PreviousTagSize0
            if header[:3] != b"FLV":
                raise ValueError(f"not FLV: {header!r}")
            while not self._halt:
                head = resp.read(11)
                if len(head) < 11:
                    return
                size = int.from_bytes(head[1:4], "big")
                ts = int.from_bytes(head[4:7], "big") | (head[7] << 24)
                body = resp.read(size + 4)
                if len(body) < size + 4:
                    return
                self.tags.append((head[0] & 0x1F, ts))
        except (OSError, http.client.HTTPException, ValueError) as e:
            if not self._halt:
                self.error = e
        finally:
            conn.close()

    def stop(self):
        self._halt = True
        self.join(timeout=5)


class TimestampTest(E2ETestCase):
    @classmethod
    def prepare_class(cls):
        media = cls.class_dir("e2e-timestamps-media-")
        flv = harness.make_small_flv(os.path.join(media, "small.flv"), seconds=2, rate=25, gop=25)
        cls.tags = harness.read_flv_tags(flv)

    def publish(self, name):
        conn = self.track(RtmpConn(self.server.rtmp_port))
        conn.handshake()
        conn.connect("live", self.server.rtmp_port)
        conn.set_chunk_size(65536)
        sid = conn.create_stream()
        conn.txn += 1
        conn.send(8, 20, sid, Amf0.encode_all("publish", float(conn.txn), None, name, "live"))
        deadline = time.monotonic() + 10
        status = None
        while status is None and time.monotonic() < deadline:
            status = conn.read_message(deadline - time.monotonic()).status_code()
        self.assertEqual(status, "NetStream.Publish.Start")
        return conn, sid

    def send_pass(self, conn, sid, base, pace_start):
        """The FLV's tags once, at real-time pace, stamped base + tag time (mod 2^32)."""
        for ttype, ts, payload in self.tags:
            due = pace_start + ts / 1000.0
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            conn.send(6 if ttype == 9 else 4, ttype, sid, payload, (base + ts) % WRAP)
        return self.tags[-1][1]

    def check_track(self, label, stamps):
        """Per track: never back (serial arithmetic), and the wrap was crossed."""
        self.assertGreater(len(stamps), 20, f"{label}: only {len(stamps)} frames")
        backs = [(i, a, b) for i, (a, b) in enumerate(zip(stamps, stamps[1:])) if serial_diff(a, b) < 0]
        self.assertEqual(backs, [], f"{label}: time went back at (index, from, to)")
        self.assertTrue(any(b < a for a, b in zip(stamps, stamps[1:])),
                        f"{label}: the 32-bit wrap never showed: {stamps[:3]}...{stamps[-3:]}")
        elapsed = sum(serial_diff(a, b) for a, b in zip(stamps, stamps[1:]))
        self.assertLess(elapsed, 2 * 2000 + 500, f"{label}: {elapsed} ms of media time for 4 s sent")
        return elapsed

    def test_wrap_and_jump_back_reach_viewers_monotonic(self):
        name = "clock"
        offset = self.server.log_size()
        rtmp_viewer = self.track(RawPlayer(self.server.rtmp_port, "live", name).start())
        flv_viewer = FlvReader(self.server.http_port, f"/live/{name}.flv")
        flv_viewer.start()
        self.addCleanup(flv_viewer.stop)
        time.sleep(0.5)  # both wait for the publisher

        conn, sid = self.publish(name)
        start = time.monotonic()
        last = self.send_pass(conn, sid, START, start)
        self.send_pass(conn, sid, START - JUMP_BACK_MS, start + (last + 40) / 1000.0)
        time.sleep(1.0)
        conn.close()
        harness.wait_until(lambda: rtmp_viewer.is_closed() or len(rtmp_viewer.snapshot()) > 0, 2)
        flv_viewer.stop()

        for label, tags in (("rtmp", [(m.type, m.timestamp) for m in rtmp_viewer.snapshot()]),
                            ("http-flv", flv_viewer.tags)):
            self.assertIsNone(flv_viewer.error, f"http-flv viewer failed: {flv_viewer.error}")
            video = [ts for t, ts in tags if t == 9]
            audio = [ts for t, ts in tags if t == 8]
            v = self.check_track(f"{label} video", video)
            a = self.check_track(f"{label} audio", audio)
            # A/V sync: both tracks end as close together as the publisher sent them.
            skew = serial_diff(audio[-1], video[-1])
            self.assertLess(abs(skew), 200, f"{label}: audio and video end {skew} ms apart")
            self.assertGreater(min(v, a), 2 * 2000 - 500, f"{label}: media time lost ({v}, {a} ms)")

        warnings = [line for line in self.server.log_since(offset).splitlines()
                    if "time went back" in line]
        self.assertEqual(len(warnings), 1, f"expected one 'time went back' line: {warnings}")
        self.assertIn("live/clock", warnings[0])


if __name__ == "__main__":
    unittest.main()
