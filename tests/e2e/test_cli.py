"""The `sluice` management subcommands (streams, history, forbidden, state,
kill, forbid, resume; src/cli/, on the C++ SDK) against a real server and
real ffmpeg pushes: tables and --json, keys from the generated key file
(--data-dir) and from the environment, filters and paging, and the exit
statuses (1 API error, 2 usage error, 3 unreachable endpoint)."""

import json
import os
import re
import socket
import subprocess
import time
import unittest

import harness
from harness import E2ETestCase, read_text, wait_until

ERROR_RE = re.compile(r"^error: (\S+) \((\d+)\): .+ \[request [^\]]+\]$", re.M)


def free_port():
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CliTest(E2ETestCase):
    CONFIG = None  # no [[api.keys]]: the server generates <data_dir>/api-key.toml

    @classmethod
    def setUpClass(cls):
        cp = harness.run([harness.sluice_bin(), "--help"], 10)
        if b"streams" not in (cp.stdout or b""):
            raise unittest.SkipTest("this sluice was built without the management commands (no SDK)")
        super().setUpClass()

    @classmethod
    def prepare_class(cls):
        cls.flv = harness.make_small_flv(os.path.join(cls.class_dir("e2e-cli-media-"), "small.flv"), seconds=2)
        if not wait_until(lambda: os.path.isfile(os.path.join(cls.server.data_dir, "api-key.toml")), 5):
            raise AssertionError("the server wrote no api-key.toml")
        cls.ak, cls.sk = harness.read_api_key_file(cls.server.data_dir)

    def tearDown(self):
        self.assertServerAlive()

    # -- helpers -------------------------------------------------------------

    def endpoint(self):
        return f"http://127.0.0.1:{self.server.api_port}"

    def cli(self, *args, env=None, endpoint=True, data_dir=True, timeout=15):
        """Runs `sluice <args>` (with --endpoint and --data-dir unless told
        not to) in a clean environment plus `env`."""
        cmd = [harness.sluice_bin(), *args]
        if endpoint:
            cmd += ["--endpoint", self.endpoint()]
        if data_dir:
            cmd += ["--data-dir", self.server.data_dir]
        full_env = {k: v for k, v in os.environ.items()
                    if k not in ("VOLC_ACCESSKEY", "VOLC_SECRETKEY", "SLUICE_ENDPOINT")}
        full_env.update(env or {})
        cp = harness.run(cmd, timeout, env=full_env, cwd=self.tmp)
        self.assertIsNotNone(cp.returncode, f"{cmd} did not finish within {timeout}s")
        cp.out = cp.stdout.decode(errors="replace")
        cp.err = cp.stderr.decode(errors="replace")
        cp.what = f"{' '.join(args)} -> {cp.returncode}\nstdout:\n{cp.out}\nstderr:\n{cp.err}"
        for text in (cp.out, cp.err):
            self.assertNotIn(self.sk, text, "the secret key was printed")
        return cp

    def ok(self, *args, **kwargs):
        cp = self.cli(*args, **kwargs)
        self.assertEqual(cp.returncode, 0, cp.what)
        return cp

    def json_of(self, *args, **kwargs):
        cp = self.ok(*args, "--json", **kwargs)
        try:
            return json.loads(cp.out)
        except ValueError:
            self.fail(f"not JSON: {cp.what}")

    def api_error(self, cp, code):
        self.assertEqual(cp.returncode, 1, cp.what)
        m = ERROR_RE.search(cp.err)
        self.assertIsNotNone(m, f"no 'error: <Code> (<CodeN>): <Message> [request <id>]': {cp.what}")
        self.assertEqual(m.group(1), code, cp.what)
        self.assertNotEqual(m.group(2), "0", cp.what)

    def state(self, address):
        return self.json_of("state", address).get("stream_state")

    def wait_state(self, address, want, timeout=15):
        last = {}

        def check():
            last["s"] = self.state(address)
            return last["s"] == want
        if not wait_until(check, timeout, 0.2):
            self.fail(f"{address} not {want} within {timeout}s (last: {last.get('s')})")

    def push(self, app, stream):
        return self.track(harness.start_flv_publisher(self.server.rtmp_url(stream, app=app), self.flv,
                                                      self.tmp))

    @staticmethod
    def rows(table_text):
        """The table's data rows (header and footer dropped), split on whitespace."""
        lines = [line.split() for line in table_text.strip().splitlines()]
        return lines[1:-1]

    # -- tests -----------------------------------------------------------------

    def test_online_state_kill_history(self):
        pub = self.push("live", "cli1")
        self.wait_state("live/cli1", "online")
        self.assertRegex(self.ok("state", "live/cli1").out, r"__defaultVhost__/live/cli1: online \(push\)")
        self.assertRegex(self.ok("state", "__defaultVhost__/live/cli1").out, r": online")

        table = self.ok("streams", "--app", "live", "--stream", "cli1").out
        lines = table.strip().splitlines()
        self.assertEqual(lines[0].split(), ["ID", "VHOST", "DOMAIN", "APP", "STREAM", "SOURCE", "STARTED"], table)
        self.assertEqual([r[1:6] for r in self.rows(table)],
                         [["__defaultVhost__", "127.0.0.1", "live", "cli1", "push"]], table)
        self.assertTrue(lines[-1].startswith("1 of 1"), table)
        # aligned: every column starts at the header's offset
        self.assertEqual(lines[1].index("__defaultVhost__"), lines[0].index("VHOST"), table)

        listed = self.json_of("streams", "--app", "live", "--stream", "cli1")
        self.assertEqual(listed["RoughCount"], 1, listed)
        self.assertEqual([(i["App"], i["Stream"]) for i in listed["StreamInfoList"]], [("live", "cli1")])
        self.assertIsInstance(listed["StreamInfoList"][0]["ID"], int)
        fuzzy = self.json_of("streams", "--stream", "li1", "--fuzzy")
        self.assertIn("cli1", [i["Stream"] for i in fuzzy["StreamInfoList"]], fuzzy)
        self.assertEqual(self.json_of("streams", "--stream", "li1")["StreamInfoList"], [])  # strict
        self.assertEqual(self.json_of("streams", "--stream", "cli1", "--vhost", "other")["RoughCount"], 0)
        self.assertEqual(self.json_of("streams", "--stream", "cli1", "--source", "push",
                                      "--type", "origin")["RoughCount"], 1)

        kill = self.ok("kill", "live/cli1")
        self.assertIn("killed __defaultVhost__/live/cli1", kill.out, kill.what)
        self.assertTrue(wait_until(lambda: pub.poll() is not None, 5), "ffmpeg still pushing after kill")
        self.assertEqual(self.state("live/cli1"), "offline")

        history = self.json_of("history", "--app", "live", "--stream", "cli1")
        self.assertEqual([r.get("EndReason") for r in history["StreamInfoList"]], ["killed"], history)
        table = self.ok("history", "--app", "live", "--stream", "cli1", "--from", "1h").out
        self.assertIn("killed", table)
        self.assertTrue(table.strip().splitlines()[-1].startswith("1 of 1"), table)
        # a window in the past holds nothing
        old = self.json_of("history", "--app", "live", "--stream", "cli1",
                           "--from", "2000-01-01T00:00:00Z", "--to", "2000-01-02T00:00:00+08:00")
        self.assertEqual(old["StreamInfoList"], [], old)

        # killing an offline stream is an API error (signed a second after the first kill,
        # which would otherwise be the same signed request, answered from the replay cache)
        harness.next_signing_second()
        self.api_error(self.cli("kill", "live/cli1"), "NotFound.Stream")

    def test_forbid_refuses_pushes_until_resumed(self):
        pub = self.push("live", "cli2")
        self.wait_state("live/cli2", "online")
        before = time.time()
        out = self.ok("forbid", "live/cli2", "--for", "1h").out
        self.assertIn("forbade __defaultVhost__/live/cli2 until", out)
        self.assertTrue(wait_until(lambda: pub.poll() is not None, 5), "ffmpeg still pushing after forbid")
        self.assertEqual(self.state("live/cli2"), "forbidden")

        listed = self.json_of("forbidden", "--app", "live", "--stream", "cli2")
        self.assertEqual(listed["RoughCount"], 1, listed)
        end = harness.parse_rfc3339(listed["StreamInfoList"][0]["EndTime"])
        self.assertLess(abs(end - (before + 3600)), 10, listed)
        table = self.ok("forbidden").out
        self.assertIn(["__defaultVhost__", "-", "live", "cli2"], [r[:4] for r in self.rows(table)], table)

        refused = self.push("live", "cli2")
        try:
            rc = refused.wait(timeout=10)
        except subprocess.TimeoutExpired:
            rc = None
        self.assertIsNotNone(rc, "a push of a forbidden stream was not refused within 10 s")
        self.assertNotEqual(rc, 0, read_text(refused.log_path, 800))

        # --until with an offset; forbidding again updates EndTime
        until = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 7200))
        self.ok("forbid", "live/cli2", "--until", until)
        listed = self.json_of("forbidden", "--stream", "cli2")
        self.assertEqual(listed["StreamInfoList"][0]["EndTime"], until.replace("+00:00", "Z"), listed)

        self.assertIn("resumed __defaultVhost__/live/cli2", self.ok("resume", "live/cli2").out)
        self.assertEqual(self.state("live/cli2"), "offline")
        self.assertEqual(self.json_of("forbidden", "--stream", "cli2")["StreamInfoList"], [])
        # A second resume signed in the same second (X-Date) would be the same signed
        # request, answered from the replay cache as the first was: sign it a second later.
        harness.next_signing_second()
        self.api_error(self.cli("resume", "live/cli2"), "NotFound.ForbiddenStream")
        self.push("live", "cli2")
        self.wait_state("live/cli2", "online")

    def test_paging_and_all(self):
        for name in ("pg1", "pg2", "pg3"):
            self.push("paging", name)
        if not wait_until(lambda: self.json_of("streams", "--app", "paging")["RoughCount"] == 3, 15, 0.2):
            self.fail("three paging streams not online within 15 s")
        first = self.ok("streams", "--app", "paging", "--page-size", "2").out
        self.assertEqual(len(self.rows(first)), 2, first)
        self.assertRegex(first.strip().splitlines()[-1], r"^2 of 3 .*--page 2", first)
        second = self.json_of("streams", "--app", "paging", "--page-size", "2", "--page", "2")
        self.assertEqual(len(second["StreamInfoList"]), 1, second)
        every = self.json_of("streams", "--app", "paging", "--all", "--page-size", "1")
        self.assertEqual(sorted(i["Stream"] for i in every["StreamInfoList"]), ["pg1", "pg2", "pg3"], every)
        table = self.ok("streams", "--app", "paging", "--all", "--page-size", "2").out
        self.assertEqual(len(self.rows(table)), 3, table)
        self.assertTrue(table.strip().splitlines()[-1].startswith("3 of 3"), table)
        self.assertEqual(self.cli("streams", "--all", "--page", "2").returncode, 2)
        self.assertEqual(self.cli("streams", "--page-size", "0").returncode, 2)

    def test_keys_and_endpoint_from_environment(self):
        env = {"VOLC_ACCESSKEY": self.ak, "VOLC_SECRETKEY": self.sk,
               "SLUICE_ENDPOINT": f"127.0.0.1:{self.server.api_port}"}  # no scheme: http for loopback
        cp = self.cli("state", "live/nobody", "--data-dir", self.path("nowhere"), env=env,
                      endpoint=False, data_dir=False)
        self.assertEqual(cp.returncode, 0, cp.what)
        self.assertIn("offline", cp.out)
        # flags win over the environment
        cp = self.cli("streams", "--ak", self.ak, "--sk", self.sk, "--data-dir", self.path("nowhere"),
                      env={"VOLC_ACCESSKEY": "AKLTwrong", "VOLC_SECRETKEY": "wrong"}, data_dir=False)
        self.assertEqual(cp.returncode, 0, cp.what)

        wrong = self.cli("streams", env={"VOLC_ACCESSKEY": self.ak, "VOLC_SECRETKEY": self.sk + "x"})
        self.assertNotEqual(wrong.returncode, 0, wrong.what)
        self.api_error(wrong, "SignatureDoesNotMatch")
        unknown = self.cli("streams", "--ak", "AKLTnobody", "--sk", "whatever")
        self.api_error(unknown, "InvalidAccessKey")

        # no keys anywhere: a usage error naming the key file
        none = self.cli("streams", "--data-dir", self.path("nowhere"), data_dir=False)
        self.assertEqual(none.returncode, 2, none.what)
        self.assertIn("api-key.toml", none.err)

    def test_usage_and_network_errors(self):
        for args in (["state", "cli1"], ["kill", "a/b/c/d"], ["state", "live/bad name"],
                     ["state", "live/"], ["kill"], ["forbid", "live/x", "--for", "soon"],
                     ["forbid", "live/x", "--for", "1h", "--until", "2099-01-01T00:00:00Z"],
                     ["forbid", "live/x", "--until", "tomorrow"], ["streams", "--source", "udp"],
                     ["history", "--from", "yesterday"], ["state", "vh/live/x", "--domain", "d.example"],
                     ["streams", "--endpoint", "ftp://127.0.0.1:1"], ["bogus"]):
            with self.subTest(args=args):
                cp = self.cli(*args)
                self.assertEqual(cp.returncode, 2, cp.what)
                self.assertTrue(cp.err.strip(), cp.what)

        port = free_port()
        cp = self.cli("streams", "--endpoint", f"http://127.0.0.1:{port}", endpoint=False)
        self.assertEqual(cp.returncode, 3, cp.what)
        self.assertIn(f"cannot reach http://127.0.0.1:{port}", cp.err, cp.what)

        # serve and version still work as before
        self.assertRegex(self.cli("version", endpoint=False, data_dir=False).out, r"^sluice \d+\.\d+\.\d+")


if __name__ == "__main__":
    unittest.main(verbosity=2)
