"""Lifecycle events as the log shows them: one line per publish and play start
and end (with the reason, the duration and the bytes) and per refusal, for
real ffmpeg publishers, an RTMP player and HTTP-FLV players.

The lines come from one subscriber of the access gate's event stream
(src/manage/event_log.cpp), not from the sessions, so they also prove what
metrics and callbacks will see."""

import re
import time
import unittest
import urllib.error
import urllib.request

import harness
from harness import E2ETestCase, RawPlayer, kill_process

VHOST = "__defaultVhost__"
NUMBER = r"([0-9]+(?:\.[0-9]+)?)"


class LifecycleEventsTest(E2ETestCase):
    CONFIG = harness.config_toml(play_wait_timeout_ms=1500, unpublish_grace_ms=500)

    def tearDown(self):
        self.assertServerAlive()

    def wait_line(self, pattern, since, timeout=10):
        line = self.server.wait_log(pattern, timeout, since)
        self.assertIsNotNone(line, f"no log line matching {pattern!r}")
        return re.search(pattern, line)

    def read_flv(self, stream, seconds):
        """Reads an HTTP-FLV play for `seconds`, then hangs up; returns the bytes."""
        got = 0
        deadline = time.monotonic() + seconds
        with urllib.request.urlopen(self.server.flv_url(stream), timeout=10) as response:
            while time.monotonic() < deadline:
                chunk = response.read1(65536)
                if not chunk:
                    break
                got += len(chunk)
        return got

    def test_publish_and_plays_are_told_with_reason_duration_and_bytes(self):
        name = "events"
        key = f"{VHOST}/live/{name}"
        start = self.server.log_size()
        publisher = self.start_publisher(name, seconds=60)
        self.wait_live(name)
        publish = self.wait_line(rf"^.*rtmp \S+ {key} publishing \(publish ([0-9]+)\)", start)
        self.assertGreater(int(publish.group(1)), 0)

        # An RTMP viewer for ~2 s, then it hangs up.
        mark = self.server.log_size()
        player = self.track(RawPlayer(self.server.rtmp_port, "live", name).start())
        self.assertTrue(player.wait_video_frames(10, 10), player.describe())
        # This player's lines, by its address (wait_live's probe ends meanwhile).
        me = rf"127\.0\.0\.1:{player.conn.sock.getsockname()[1]}"
        self.wait_line(rf"rtmp {me} {key} playing$", mark)
        time.sleep(1.5)
        player.close()
        ended = self.wait_line(
            rf"rtmp {me} {key} play ended \(viewer left\) after {NUMBER} s, ([0-9]+) bytes out", mark)
        self.assertGreaterEqual(float(ended.group(1)), 1.5)
        self.assertGreater(int(ended.group(2)), 20_000, "an RTMP viewer of ~2 s got bytes")

        # An HTTP-FLV viewer: the bytes the server counts are the bytes it sent.
        mark = self.server.log_size()
        received = self.read_flv(name, 2.0)
        self.assertGreater(received, 20_000)
        ended = self.wait_line(
            rf"http-flv \S+ {key} play ended \(viewer left\) after {NUMBER} s, ([0-9]+) bytes out",
            mark)
        self.assertGreaterEqual(float(ended.group(1)), 1.9)
        # The server may have written a little more than the client read
        # before it saw the hang-up, never less.
        self.assertGreaterEqual(int(ended.group(2)), received)

        # A second publisher is refused, and the refusal says why.
        mark = self.server.log_size()
        second = self.start_publisher(name, seconds=10)
        second.wait(timeout=15)
        self.wait_line(rf"rtmp \S+ {key} publish refused \(duplicate\): stream {key} is already "
                       r"being published", mark)

        # The publisher leaves: the publish ends normally, with its bytes in.
        mark = self.server.log_size()
        kill_process(publisher)
        unpublished = self.wait_line(
            rf"rtmp \S+ {key} unpublished \(normal\) after {NUMBER} s, ([0-9]+) bytes in", mark)
        self.assertGreater(float(unpublished.group(1)), 2.0)
        self.assertGreater(int(unpublished.group(2)), 50_000)

    def test_a_play_that_never_sees_a_publisher_ends_as_not_published(self):
        key = f"{VHOST}/live/nobody"
        mark = self.server.log_size()
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(self.server.flv_url("nobody"), timeout=10)
        self.assertEqual(caught.exception.code, 404)
        self.wait_line(rf"http-flv \S+ {key} playing \(waiting for the publisher\)", mark)
        self.wait_line(rf"http-flv \S+ {key} play ended \(not published\) after {NUMBER} s", mark)

    def test_a_name_refused_before_the_gate_is_told_escaped(self):
        mark = self.server.log_size()
        # A newline in the name must not start a forged log line.
        url = f"http://127.0.0.1:{self.server.http_port}/live/bad%0A%5Berror%5D%20forged.flv"
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url, timeout=10)
        self.assertEqual(caught.exception.code, 400)
        line = self.wait_line(r"http-flv \S+ live/bad\\x0a\[error\] forged play refused \(bad name\)",
                              mark)
        self.assertIsNotNone(line)
        forged = [l for l in self.server.log_since(mark).splitlines() if l.startswith("[error] forged")]
        self.assertEqual(forged, [])


if __name__ == "__main__":
    unittest.main()
