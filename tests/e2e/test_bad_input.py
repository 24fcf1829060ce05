"""Hostile or broken RTMP input, shutdown by signal, bad configuration, `sluice version`."""

import os
import shutil
import signal
import socket
import struct
import tempfile
import time
import unittest

import harness
from harness import (E2ETestCase, RawPlayer, Server, chunk_fmt0, connect_tcp, count_video_packets,
                     plain_handshake, read_text, run, start_capture, wait_closed)

HANDSHAKE_TIMEOUT_MS = 2000
MAX_MESSAGE_SIZE = 1024 * 1024
CLOSE_LIMIT = HANDSHAKE_TIMEOUT_MS / 1000 + 3.0   # seconds a bad connection may stay open
LIVE_CHECK_SECONDS = 2


class BadInputTest(E2ETestCase):
    """Each test opens a bad connection while another stream (live/healthy,
    published by ffmpeg for the whole class) is being played with ffmpeg."""

    CONFIG = harness.config_toml(handshake_timeout_ms=HANDSHAKE_TIMEOUT_MS,
                                 max_message_size=MAX_MESSAGE_SIZE)
    HEALTHY = "healthy"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pub_dir = os.path.join(cls.server.workdir, "publisher")
        os.makedirs(cls.pub_dir, exist_ok=True)
        cls.publisher = harness.start_publisher(cls.server.rtmp_url(cls.HEALTHY), cls.pub_dir, seconds=150)
        ok, detail = harness.wait_stream_live(cls.server.rtmp_port, "live", cls.HEALTHY, timeout=15)
        if not ok:
            pub_log = read_text(cls.publisher.log_path, 2000)
            harness.kill_process(cls.publisher)
            cls.server.cleanup()
            raise AssertionError(f"healthy publisher never went live: {detail}\n{pub_log}")

    @classmethod
    def tearDownClass(cls):
        harness.kill_process(getattr(cls, "publisher", None))
        super().tearDownClass()

    def run_bad_connection(self, label, attack, min_close=None):
        """Opens a connection, starts an ffmpeg player of the healthy stream,
        runs attack(sock) and checks: the server closes the bad connection in
        time and logs it as closed, the player receives its frames, the
        publisher and the server keep running."""
        log_offset = self.server.log_size()
        sock = connect_tcp(self.server.rtmp_port)
        self.addCleanup(sock.close)
        port = sock.getsockname()[1]
        out = self.path("healthy.flv")
        player = self.track(start_capture(self.server.rtmp_url(self.HEALTHY), LIVE_CHECK_SECONDS, out, self.tmp))

        started = time.monotonic()
        try:
            attack(sock)
            closed_after = wait_closed(sock, CLOSE_LIMIT)
            if closed_after is not None:
                closed_after = time.monotonic() - started
        except TimeoutError as e:
            self.fail(f"{label}: the server did not answer in time: {e}")
        except OSError:
            closed_after = time.monotonic() - started  # dropped while we were sending: a close too
        self.assertIsNotNone(closed_after,
                             f"{label}: the server kept the connection open for more than {CLOSE_LIMIT:.1f}s")
        if min_close is not None:
            self.assertGreaterEqual(closed_after, min_close,
                                    f"{label}: closed after {closed_after:.2f}s, before the "
                                    f"{HANDSHAKE_TIMEOUT_MS} ms handshake timeout")

        port_rx = rf"(?=.*\bclosed\b)(?=.*:{port}(?!\d))"
        line = self.server.wait_log(port_rx, 3.0, log_offset)
        self.assertIsNotNone(line, f"{label}: no log line containing 'closed' for 127.0.0.1:{port}")

        try:
            rc = player.wait(timeout=LIVE_CHECK_SECONDS + 20)
        except Exception:
            rc = None
        self.assertEqual(rc, 0, f"{label}: ffmpeg player of the healthy stream failed (rc={rc}): "
                                f"{read_text(player.log_path, 800)}")
        frames = count_video_packets(out)
        self.assertIsNotNone(frames, f"{label}: healthy capture unreadable")
        self.assertGreaterEqual(frames, 25 * LIVE_CHECK_SECONDS * 0.9,
                                f"{label}: healthy stream capture has only {frames} frames")
        self.assertIsNone(self.publisher.poll(), f"{label}: the healthy publisher stopped: "
                                                 f"{read_text(self.publisher.log_path, 800)}")
        self.assertServerAlive()
        return closed_after

    def test_random_bytes(self):
        def attack(sock):
            data = bytearray(os.urandom(8192))
            data[0] = 0xA7  # not the RTMP version byte 3
            sock.sendall(bytes(data))
        self.run_bad_connection("random bytes", attack)

    def test_random_bytes_after_version_byte(self):
        """C0 is right, then garbage: C1 and a garbage C2, then garbage chunks."""
        def attack(sock):
            sock.sendall(b"\x03" + os.urandom(1536))
            plain_handshake_rest = harness.recv_exact(sock, 1 + 1536 + 1536, 10)
            self.assertEqual(plain_handshake_rest[0], 3, "S0 is not version 3")
            sock.sendall(os.urandom(1536))          # C2
            sock.sendall(os.urandom(64 * 1024))     # garbage chunk stream
        self.run_bad_connection("garbage after handshake", attack)

    def test_truncated_handshake(self):
        def attack(sock):
            sock.sendall(b"\x03" + harness.make_c1()[:768])
        self.run_bad_connection("truncated handshake", attack, min_close=HANDSHAKE_TIMEOUT_MS / 1000 - 0.5)

    def test_silent_connection(self):
        self.run_bad_connection("silent connection", lambda sock: None,
                                min_close=HANDSHAKE_TIMEOUT_MS / 1000 - 0.5)

    def test_set_chunk_size_2_pow_31(self):
        def attack(sock):
            s0, _s1, _s2 = plain_handshake(sock)
            self.assertEqual(s0, b"\x03")
            sock.sendall(chunk_fmt0(2, 0, 4, 1, 0) + struct.pack(">I", 0x80000000))
        self.run_bad_connection("Set Chunk Size 2^31", attack)

    def test_message_longer_than_max_message_size(self):
        def attack(sock):
            plain_handshake(sock)
            # Header only: 0xFFFFFF (16 MiB) > max_message_size (1 MiB).
            sock.sendall(chunk_fmt0(3, 0, 0xFFFFFF, 9, 1))
        self.run_bad_connection("oversize message", attack)

    def test_server_still_serves_new_publishers_after_abuse(self):
        """After a burst of bad connections, a new publish+play works."""
        socks = []
        try:
            for i in range(20):
                s = connect_tcp(self.server.rtmp_port)
                socks.append(s)
                s.sendall(os.urandom(100 + i * 200))
        finally:
            for s in socks:
                s.close()
        name = "after-abuse"
        self.start_publisher(name, size="320x240", seconds=30)
        self.wait_live(name)
        player = self.track(RawPlayer(self.server.rtmp_port, "live", name).start())
        self.assertTrue(player.wait_video_frames(25, 10), player.describe())
        self.assertServerAlive()


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="e2e-cli-")
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def start_server_with_traffic(self):
        server = Server(workdir=os.path.join(self.tmp, "srv"))
        os.makedirs(server.workdir)
        self.addCleanup(server.cleanup)
        server.start()
        pub = harness.start_publisher(server.rtmp_url("sig"), self.tmp, size="320x240", seconds=30)
        self.addCleanup(harness.kill_process, pub)
        ok, detail = harness.wait_stream_live(server.rtmp_port, "live", "sig", 15)
        self.assertTrue(ok, f"stream did not go live: {detail}\n{server.log_tail()}")
        player = RawPlayer(server.rtmp_port, "live", "sig").start()
        self.addCleanup(player.close)
        self.assertTrue(player.wait_video_frames(5, 10), player.describe())
        return server, pub, player

    def check_signal_stop(self, sig):
        server, _pub, player = self.start_server_with_traffic()
        rc, took = server.stop(sig, timeout=5.0)
        self.assertIsNotNone(rc, f"sluice did not exit within 5 s of {sig.name}\n{server.log_tail()}")
        self.assertEqual(rc, 0, f"sluice exited {rc} on {sig.name}\n{server.log_tail()}")
        self.assertTrue(harness.wait_until(player.is_closed, 3), f"player not disconnected: {player.describe()}")
        # The listeners are gone too.
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", server.rtmp_port), timeout=2).close()

    def test_sigterm_exits_0(self):
        self.check_signal_stop(signal.SIGTERM)

    def test_sigint_exits_0(self):
        self.check_signal_stop(signal.SIGINT)

    def test_bad_config_value_names_the_key(self):
        cases = [
            ("media.play_wait_timeout_ms", '[media]\nplay_wait_timeout_ms = "abc"\n'),
            ("rtmp.max_message_size", '[rtmp]\nmax_message_size = "big"\n'),
            ("media.unpublish_grace_ms", "[media]\nunpublish_grace_ms = -1\n"),
            ("rtmp.handshake_timeout_ms", "[rtmp]\nhandshake_timeout_ms = true\n"),
        ]
        for key, text in cases:
            with self.subTest(key=key):
                path = os.path.join(self.tmp, key + ".toml")
                with open(path, "w") as f:
                    f.write(text)
                cmd = [harness.sluice_bin(), "serve", "--rtmp-listen", "127.0.0.1:0",
                       "--http-listen", "127.0.0.1:0", "--data-dir", os.path.join(self.tmp, "data"),
                       "--config", path]
                cp = run(cmd, timeout=10)
                output = (cp.stdout + cp.stderr).decode(errors="replace")
                self.assertIsNotNone(cp.returncode, f"sluice kept running with a bad config:\n{output}")
                self.assertNotEqual(cp.returncode, 0, f"exit 0 with a bad {key}:\n{output}")
                self.assertIn(key, output, f"the error does not name {key}:\n{output}")
                self.assertNotRegex(output, r"listening on", "it started listening anyway")

    def test_version(self):
        cp = run([harness.sluice_bin(), "version"], timeout=10)
        output = (cp.stdout + cp.stderr).decode(errors="replace")
        self.assertEqual(cp.returncode, 0, output)
        self.assertRegex(output, r"\d+\.\d+\.\d+", f"no version number in {output!r}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
