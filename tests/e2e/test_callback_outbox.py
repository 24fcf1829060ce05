"""Push callbacks are queued durably, with the publish's history record:
a real sluice, a real ffmpeg publisher, the real SQLite file read back.
The receivers' URLs point at a closed loopback port, so nothing is
delivered and every queued message stays in the outbox for inspection
(delivery and retries are tested with a receiver in test_callbacks*).

- a publish queues one push_start per push_callback_urls URL, its
  fp_user_url carrying the URL's parameters without the secret ones;
- a clean end queues a push_end per push_end_callback_urls URL (reason
  finished), behind the push_start of the same stream;
- a publish cut by SIGKILL gets its push_end (reason interrupted, the same
  session_id and fp_user_url) when sluice starts again."""

import json
import os
import signal
import sqlite3
import unittest

from harness import E2ETestCase, Server, wait_until

PUSH_A = "http://127.0.0.1:9/push-a"
PUSH_B = "http://127.0.0.1:9/push-b"
END = "http://127.0.0.1:9/end"

CONFIG = f"""
[[vhost]]
name = "__defaultVhost__"
push_callback_urls = ["{PUSH_A}", "{PUSH_B}"]
push_end_callback_urls = ["{END}"]
"""


class CallbackOutboxTest(E2ETestCase):
    CONFIG = CONFIG

    @classmethod
    def setUpClass(cls):
        cls.server = None  # each test runs (and restarts) its own

    def setUp(self):
        super().setUp()
        self.server = Server(CONFIG)
        self.addCleanup(self.server.cleanup)
        self.server.start()

    def outbox(self):
        """Every message in the outbox, by id, with its payload parsed."""
        db = sqlite3.connect(f"file:{os.path.join(self.server.data_dir, 'sluice.db')}?mode=ro",
                             uri=True, timeout=5)
        try:
            rows = db.execute("SELECT id, order_key, url, payload FROM callbacks ORDER BY id").fetchall()
        finally:
            db.close()
        return [{"id": i, "order_key": k, "url": u, **json.loads(p)} for i, k, u, p in rows]

    def wait_outbox(self, count, timeout=10.0):
        if not wait_until(lambda: len(self.outbox()) >= count, timeout, 0.1):
            self.fail(f"outbox has {len(self.outbox())} messages, not {count}: {self.outbox()}")
        return self.outbox()

    def test_a_publish_and_its_end_are_queued_in_order(self):
        pub = self.start_publisher("cam?room=7&token=abc&mySecret=s", seconds=3)
        self.wait_live("cam")
        starts = self.wait_outbox(2)
        self.assertEqual([m["url"] for m in starts], [PUSH_A, PUSH_B])
        for m in starts:
            self.assertEqual(m["event_type"], "push_start")
            self.assertEqual(m["order_key"], "__defaultVhost__/live/cam")
            self.assertEqual(m["stream"], "cam")
            self.assertEqual(m["fp_user_url"], "room=7")  # token and mySecret left out
            self.assertEqual(m["fp_client_ip"], "127.0.0.1")
            self.assertNotIn("sign", m)
        pub.wait(timeout=30)
        messages = self.wait_outbox(3)
        end = messages[2]
        self.assertEqual((end["url"], end["event_type"], end["reason"]), (END, "push_end", "finished"))
        self.assertEqual(end["session_id"], starts[0]["session_id"])
        self.assertGreater(end["id"], starts[1]["id"])
        self.assertGreaterEqual(end["duration_ms"], 1000)

    def test_a_publish_cut_by_sigkill_gets_its_push_end_at_the_next_start(self):
        self.start_publisher("cam?room=9", seconds=60)
        self.wait_live("cam")
        starts = self.wait_outbox(2)
        self.server.stop(signal.SIGKILL)
        self.server.kill()  # closes its log file; the process is gone already
        self.server.start()
        messages = self.wait_outbox(3)
        end = messages[2]
        self.assertEqual((end["url"], end["event_type"], end["reason"]), (END, "push_end", "interrupted"))
        self.assertEqual(end["session_id"], starts[0]["session_id"])
        self.assertEqual(end["fp_user_url"], "room=9")
        # Once: a second restart finds nothing more to announce.
        self.server.stop()
        self.server.kill()
        self.server.start()  # returns once listening: recovery has run
        self.assertEqual(len(self.outbox()), 3, self.outbox())


if __name__ == "__main__":
    unittest.main()
