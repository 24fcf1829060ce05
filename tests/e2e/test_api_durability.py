"""Management API state across restarts: closed-stream history and forbids
survive SIGKILL and SIGTERM; a publish cut by SIGKILL is recorded as
`interrupted`; the generated API key is reused, private (0600) and never
logged.  Every check goes through Volcengine's Node.js SDK."""

import json
import os
import shutil
import stat
import tempfile
import time
import unittest

import harness
from harness import (ApiServer, E2ETestCase, NodeApi, read_text, rfc3339, wait_until)

DEFAULT_VHOST = "__defaultVhost__"
END_REASONS = {"normal", "killed", "forbidden", "error", "timeout", "interrupted"}


class ApiDurabilityTest(E2ETestCase):
    CONFIG = None

    @classmethod
    def setUpClass(cls):
        # No class-wide server: each test starts (and restarts) its own ApiServer.
        harness.ensure_node_sdk()
        cls.server = None
        cls.media_dir = tempfile.mkdtemp(prefix="e2e-api-durability-")
        cls.flv = harness.make_small_flv(os.path.join(cls.media_dir, "small.flv"), seconds=2)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.media_dir, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.server = ApiServer(None)
        self.addCleanup(self.server.cleanup)
        self.apis = []
        self.addCleanup(lambda: [a.close() for a in self.apis])
        self.t_begin = time.time()

    # -- helpers ---------------------------------------------------------------

    def start_server(self):
        self.server.start()
        ak, sk = harness.read_api_key_file(self.server.data_dir)
        self.assertTrue(ak and sk, f"no key in {self.server.data_dir}/api-key.toml: "
                                   f"{read_text(os.path.join(self.server.data_dir, 'api-key.toml'))!r}")
        self.api = NodeApi(self.server.api_port, ak, sk)
        self.apis.append(self.api)
        return ak, sk

    def ok(self, res, what):
        self.assertEqual((res.status, res.code), (200, None), f"{what}: {res.describe()}")
        return res.result

    def state(self, app, stream):
        return self.ok(self.api.get("DescribeLiveStreamState", Vhost=DEFAULT_VHOST, App=app, Stream=stream),
                       f"state of {app}/{stream}")

    def wait_state(self, app, stream, want, timeout):
        if not wait_until(lambda: self.state(app, stream).get("stream_state") == want, timeout, 0.05):
            self.fail(f"{app}/{stream} not {want!r} within {timeout}s: {self.state(app, stream)}")

    def history(self, app):
        result = self.ok(self.api.get("DescribeClosedStreamInfoByPage", PageNum=1, PageSize=1000, App=app,
                                      Sort="asc", EndTimeFrom=rfc3339(self.t_begin - 60),
                                      EndTimeTo=rfc3339(time.time() + 60)),
                         "DescribeClosedStreamInfoByPage")
        self.assertEqual(result["RoughCount"], len(result["StreamInfoList"]))
        return result["StreamInfoList"]

    def forbids(self, app):
        result = self.ok(self.api.get("DescribeForbiddenStreamInfoByPage", PageNum=1, PageSize=1000, App=app),
                         "DescribeForbiddenStreamInfoByPage")
        return sorted(result["StreamInfoList"], key=lambda i: i["Stream"])

    def push(self, app, stream, loop=True):
        return self.track(harness.start_flv_publisher(self.server.rtmp_url(stream, app=app), self.flv,
                                                      self.tmp, loop=loop))

    def push_live(self, app, stream):
        proc = self.push(app, stream)
        self.wait_state(app, stream, "online", 15)
        self.wait_live(stream, app=app)
        return proc

    def assert_push_refused(self, app, stream):
        proc = self.push(app, stream)
        try:
            rc = proc.wait(timeout=10)
        except Exception:
            rc = None
        self.assertIsNotNone(rc, f"push of forbidden {app}/{stream} was not refused within 10 s")
        self.assertNotEqual(rc, 0, f"push of forbidden {app}/{stream}: {read_text(proc.log_path, 800)}")

    def make_history_and_forbids(self, app):
        """Three ended publishes (normal, killed, forbidden) and two forbids
        in force; returns (history records, forbid records) as listed."""
        one_shot = self.push(app, "ended-normal", loop=False)   # the 2 s file, once: ends normally
        self.assertTrue(wait_until(lambda: one_shot.poll() is not None, 20, 0.1), "the one-shot push never ended")
        self.assertEqual(one_shot.returncode, 0, read_text(one_shot.log_path, 800))

        self.push_live(app, "ended-killed")
        self.ok(self.api.post("KillStream", Vhost=DEFAULT_VHOST, App=app, Stream="ended-killed"), "KillStream")

        self.push_live(app, "ended-forbidden")
        self.ok(self.api.post("ForbidStream", Vhost=DEFAULT_VHOST, App=app, Stream="ended-forbidden",
                              EndTime=rfc3339(int(time.time()) + 86400)), "ForbidStream (live)")
        self.ok(self.api.post("ForbidStream", Vhost=DEFAULT_VHOST, App=app, Stream="never-live",
                              EndTime=rfc3339(int(time.time()) + 7200)), "ForbidStream (offline)")

        def three_ended():
            return len(self.history(app)) == 3
        self.assertTrue(wait_until(three_ended, 5, 0.1), f"history: {self.history(app)}")
        history = self.history(app)
        self.assertEqual(sorted((r["Stream"], r["EndReason"]) for r in history),
                         [("ended-forbidden", "forbidden"), ("ended-killed", "killed"), ("ended-normal", "normal")],
                         json.dumps(history))
        forbids = self.forbids(app)
        self.assertEqual([f["Stream"] for f in forbids], ["ended-forbidden", "never-live"], json.dumps(forbids))
        return history, forbids

    # -- tests -------------------------------------------------------------------

    def test_sigkill_during_publish_keeps_history_and_forbids(self):
        app = "dur"
        self.start_server()
        history, forbids = self.make_history_and_forbids(app)

        live = self.push_live(app, "live-at-kill")
        live_since = time.time()
        time.sleep(1.2)  # its start and the kill fall in different seconds
        rc = self.server.sigkill()
        killed_at = time.time()
        self.assertEqual(rc, -9, "sluice did not die of SIGKILL")
        self.assertTrue(wait_until(lambda: live.poll() is not None, 5, 0.05),
                        "ffmpeg kept running after the server died")

        self.start_server()
        after = self.history(app)
        self.assertEqual(len(after), 4, f"history after the restart: {json.dumps(after)}")
        for rec in history:
            self.assertIn(rec, after, f"a record from before the SIGKILL changed or vanished: {json.dumps(after)}")
        interrupted = [r for r in after if r["Stream"] == "live-at-kill"]
        self.assertEqual(len(interrupted), 1, json.dumps(after))
        rec = interrupted[0]
        self.assertEqual((rec.get("EndReason"), rec.get("Vhost"), rec.get("App"), rec.get("SourceType")),
                         ("interrupted", DEFAULT_VHOST, app, "push"), json.dumps(rec))
        start, end = harness.parse_rfc3339(rec["StartTime"]), harness.parse_rfc3339(rec["EndTime"])
        self.assertLessEqual(abs(start - live_since), 2.5, f"StartTime {rec['StartTime']}")
        self.assertLessEqual(start, end, json.dumps(rec))
        self.assertLessEqual(end, time.time() + 1, json.dumps(rec))
        self.assertGreaterEqual(end, killed_at - 10, json.dumps(rec))

        self.assertEqual(self.forbids(app), forbids, "forbids changed across the SIGKILL")
        self.assertEqual(self.state(app, "never-live").get("stream_state"), "forbidden")
        self.assertEqual(self.state(app, "live-at-kill").get("stream_state"), "offline",
                         "the stream cut by SIGKILL is still reported after the restart")
        online = self.ok(self.api.get("DescribeLiveStreamInfoByPage", PageNum=1, PageSize=100, App=app), "online")
        self.assertEqual(online["StreamInfoList"], [])
        self.assert_push_refused(app, "ended-forbidden")
        self.push_live(app, "live-at-kill")  # may publish again

    def test_sigterm_restart_keeps_history_and_forbids(self):
        app = "term"
        self.start_server()
        history, forbids = self.make_history_and_forbids(app)
        live = self.push_live(app, "live-at-term")
        rc, took = self.server.stop()
        self.assertEqual(rc, 0, f"SIGTERM exit status {rc} after {took:.1f}s")
        self.assertTrue(wait_until(lambda: live.poll() is not None, 5, 0.05), "ffmpeg still running")

        self.start_server()
        after = self.history(app)
        for rec in history:
            self.assertIn(rec, after, f"a record from before the restart changed or vanished: {json.dumps(after)}")
        at_term = [r for r in after if r["Stream"] == "live-at-term"]
        self.assertEqual(len(at_term), 1, f"the publish live at SIGTERM is not in history: {json.dumps(after)}")
        self.assertIn(at_term[0].get("EndReason"), END_REASONS, json.dumps(at_term))
        self.assertEqual(len(after), 4, json.dumps(after))
        self.assertEqual(self.forbids(app), forbids, "forbids changed across the restart")
        self.assertEqual(self.state(app, "never-live").get("stream_state"), "forbidden")
        self.assert_push_refused(app, "ended-forbidden")

    def test_generated_key_reused_private_and_never_logged(self):
        ak, sk = self.start_server()
        key_path = os.path.join(self.server.data_dir, "api-key.toml")
        key_text = read_text(key_path)
        mode = stat.S_IMODE(os.stat(key_path).st_mode)
        self.assertEqual(mode, 0o600, f"api-key.toml has mode {oct(mode)}")
        self.assertGreaterEqual(len(sk), 16)
        # Printed once, on stdout, at the first start.
        self.assertEqual(read_text(self.server.stdout_paths[0]).count(sk), 1,
                         "the generated secret should be printed once on stdout at the first start")
        # The key works, a wrong secret does not; the failure must not log the secret.
        self.assertEqual(self.state("live", "x"), {"stream_state": "offline", "type": "push"})
        bad = self.api.call("DescribeLiveStreamState", {"Vhost": DEFAULT_VHOST, "App": "live", "Stream": "x"},
                            sk=sk[::-1])
        self.assertEqual((bad.status, bad.code), (401, "SignatureDoesNotMatch"), bad.describe())

        # SIGTERM restart, then a SIGKILL restart: same file, same key, still 0600, no new banner.
        rc, _ = self.server.stop()
        self.assertEqual(rc, 0)
        self.assertEqual(self.start_server(), (ak, sk), "a new key was generated on restart")
        self.assertEqual(self.state("live", "x").get("stream_state"), "offline")
        self.assertEqual(self.server.sigkill(), -9)
        self.assertEqual(self.start_server(), (ak, sk), "a new key was generated after SIGKILL")
        self.assertEqual(self.state("live", "x").get("stream_state"), "offline")
        self.assertEqual(read_text(key_path), key_text, "api-key.toml was rewritten")
        self.assertEqual(stat.S_IMODE(os.stat(key_path).st_mode), 0o600)
        for path in self.server.stdout_paths[1:]:
            self.assertNotIn(sk, read_text(path), f"the secret was printed again on a restart ({path})")

        self.server.stop()
        logs = self.server.all_logs()
        self.assertIn("api listening on", logs)  # we are reading the right files
        self.assertEqual(len(self.server.log_paths), 3)
        self.assertNotIn(sk, logs, "the secret key appears in the server log")
        self.assertNotIn(sk[::-1], logs, "a client's wrong secret appears in the server log")


if __name__ == "__main__":
    unittest.main(verbosity=2)
