#!/usr/bin/env python3
"""Media never waits for control: while every store call takes 1 s (the
test-only SLUICE_TEST_STORE_DELAY_MS, standing in for an fsync on a busy disk
or a heavy history query), 20 RTMP viewers of a live push see no gap between
video frames above 0.2 s, and the API still answers correctly, just slowly.

With one thread for everything (sluice before issue 9) each slow store call
froze every viewer for its whole duration."""
import os
import threading
import time
import unittest

from harness import (E2ETestCase, RawPlayer, Server, api_keys_toml, python_sdk_request,
                     rfc3339, wait_until)

AK = "AKLTmediaisolation"
SK = "media-isolation-secret-0123456789"
STORE_DELAY_S = 1.0
VIEWERS = 20
MAX_GAP_S = 0.2
SLOW_CALLS = 4


class MediaIsolationTest(E2ETestCase):
    CONFIG = api_keys_toml(AK, SK)

    @classmethod
    def setUpClass(cls):
        # The server inherits the environment; the delay applies to it only.
        os.environ["SLUICE_TEST_STORE_DELAY_MS"] = str(int(STORE_DELAY_S * 1000))
        try:
            super().setUpClass()
        finally:
            del os.environ["SLUICE_TEST_STORE_DELAY_MS"]

    def api(self, action, params, timeout=30.0):
        return python_sdk_request(self.server.api_port, AK, SK, action, params, timeout=timeout)

    def history(self):
        now = time.time()
        return self.api("DescribeClosedStreamInfoByPage",
                        {"PageNum": 1, "PageSize": 10, "EndTimeFrom": rfc3339(now - 3600),
                         "EndTimeTo": rfc3339(now + 3600)})

    def test_viewers_keep_up_while_every_store_call_is_slow(self):
        # One closed publish for the history to return.
        earlier = self.start_publisher("earlier", size="160x90", seconds=2)
        earlier.wait(timeout=30)
        self.assertTrue(wait_until(lambda: (self.history().body or {}).get("Result", {})
                                   .get("RoughCount") == 1, 30, 0.2),
                        "the earlier publish never reached the history")

        self.start_publisher("main", size="320x180", seconds=60)
        self.wait_live("main", timeout=30)
        viewers = [self.track(RawPlayer(self.server.rtmp_port, "live", "main").start())
                   for _ in range(VIEWERS)]
        for v in viewers:
            self.assertTrue(v.wait_video_frames(10, 20), v.describe())

        # The control side is now busy: each call holds it for >= 1 s.
        answers = []
        durations = []

        def slow_control():
            for _ in range(SLOW_CALLS):
                started = time.monotonic()
                answers.append(self.history())
                durations.append(time.monotonic() - started)

        since = time.monotonic()
        worker = threading.Thread(target=slow_control, daemon=True)
        worker.start()
        worker.join(timeout=SLOW_CALLS * STORE_DELAY_S * 10)
        until = time.monotonic()
        self.assertFalse(worker.is_alive(), "the API calls did not finish")

        # The control side really was slow...
        self.assertEqual(len(answers), SLOW_CALLS)
        for d in durations:
            self.assertGreaterEqual(d, STORE_DELAY_S * 0.9,
                                    f"an API call took {d:.2f} s: the store delay is not in force")
        # ...and still answered correctly.
        for a in answers:
            self.assertEqual(a.status, 200, a.describe())
            result = a.body["Result"]
            self.assertEqual(result["RoughCount"], 1, a.describe())
            self.assertEqual(result["StreamInfoList"][0]["Stream"], "earlier", a.describe())

        worst = []
        for v in viewers:
            frames = [f for f in v.coded_video(since) if f.recv_time <= until]
            self.assertGreaterEqual(len(frames), int((until - since) * 25 * 0.5), v.describe())
            gaps = [b.recv_time - a.recv_time for a, b in zip(frames, frames[1:])]
            worst.append(max(gaps))
        print(f"\nlargest inter-frame gap per viewer over {until - since:.1f} s of slow control: "
              f"max {max(worst):.3f} s, median {sorted(worst)[len(worst) // 2]:.3f} s",
              flush=True)
        self.assertLessEqual(max(worst), MAX_GAP_S,
                             f"a viewer saw a media gap of {max(worst):.3f} s while the store "
                             f"was slow (per viewer: {[round(w, 3) for w in worst]})")


if __name__ == "__main__":
    unittest.main()
