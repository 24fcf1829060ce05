"""A user's first hour with the `sluice` command line and the SDK examples,
against a real server started from its own config file: a pasted RTMP or
HTTP-FLV URL where a stream is expected, `--config` pointing at that same
file (endpoint and generated keys found through it), `--version`, an
unknown command, each command's `--json` shape, and the examples refusing
to run without keys and naming the cause of a network error."""

import json
import os
import socket
import time
import unittest

import harness
from harness import E2ETestCase, wait_until


def free_port():
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CLEAN_ENV = {k: v for k, v in os.environ.items()
             if k not in ("VOLC_ACCESSKEY", "VOLC_SECRETKEY", "SLUICE_ENDPOINT")}


class ConfigFileServer(harness.Server):
    """A server whose listeners and data dir come from its config file only,
    as a user's would: the CLI then reads the same file."""

    def __init__(self):
        super().__init__()
        self.api_listen_port = free_port()
        self.config_text = (f'data_dir = "{self.data_dir}"\nlog_level = "debug"\n'
                            '[rtmp]\nlisten = "127.0.0.1:0"\n'
                            '[http]\nlisten = "127.0.0.1:0"\n'
                            f'[api]\nlisten = "127.0.0.1:{self.api_listen_port}"\n'
                            '[metrics]\nlisten = "127.0.0.1:0"\n')

    def command(self):
        self.config_path = os.path.join(self.workdir, "sluice.toml")
        with open(self.config_path, "w") as f:
            f.write(self.config_text)
        return [harness.sluice_bin(), "serve", "--config", self.config_path]


class CliFirstHourTest(E2ETestCase):

    @classmethod
    def setUpClass(cls):
        cp = harness.run([harness.sluice_bin(), "--help"], 10)
        if b"streams" not in (cp.stdout or b""):
            raise unittest.SkipTest("this sluice was built without the management commands (no SDK)")
        cls._class_dirs = []
        cls.server = ConfigFileServer()
        try:
            cls.server.start()
            cls.flv = harness.make_small_flv(os.path.join(cls.class_dir("e2e-cli1h-media-"), "small.flv"),
                                             seconds=2)
            if not wait_until(lambda: os.path.isfile(os.path.join(cls.server.data_dir, "api-key.toml")), 5):
                raise AssertionError("the server wrote no api-key.toml")
            cls.ak, cls.sk = harness.read_api_key_file(cls.server.data_dir)
        except Exception:
            cls.tearDownClass()
            raise

    def tearDown(self):
        self.assertServerAlive()

    def cli(self, *args, env=None, timeout=15):
        """`sluice <args> --config <the server's file>` unless told otherwise,
        in a scratch directory (no ./sluice-data) with no keys in the environment."""
        cmd = [harness.sluice_bin(), *args]
        cp = harness.run(cmd, timeout, env=dict(CLEAN_ENV, **(env or {})), cwd=self.tmp)
        self.assertIsNotNone(cp.returncode, f"{cmd} did not finish within {timeout}s")
        cp.out = cp.stdout.decode(errors="replace")
        cp.err = cp.stderr.decode(errors="replace")
        cp.what = f"{' '.join(args)} -> {cp.returncode}\nstdout:\n{cp.out}\nstderr:\n{cp.err}"
        self.assertNotIn(self.sk, cp.out + cp.err, "the secret key was printed")
        return cp

    def ok(self, *args, **kwargs):
        cp = self.cli(*args, "--config", self.server.config_path, **kwargs)
        self.assertEqual(cp.returncode, 0, cp.what)
        return cp

    def json_of(self, *args):
        cp = self.ok(*args, "--json")
        try:
            return json.loads(cp.out)
        except ValueError:
            self.fail(f"not JSON: {cp.what}")

    def push(self, stream):
        pub = self.track(harness.start_flv_publisher(self.server.rtmp_url(stream), self.flv, self.tmp))
        self.wait_live(stream)
        return pub

    # -- tests -----------------------------------------------------------------

    def test_pasted_urls_and_the_servers_own_config(self):
        self.push("url1")
        rtmp = self.server.rtmp_url("url1")  # rtmp://127.0.0.1:PORT/live/url1, as pushed
        # --config alone: endpoint from api.listen, keys from its data_dir's key file
        out = self.ok("state", rtmp).out
        self.assertEqual(out.strip(), "127.0.0.1/live/url1: online (push)")
        self.assertIn(": online (push)", self.ok("state", rtmp + "?token=abc&vhost=__defaultVhost__").out)
        self.assertIn(": online (push)", self.ok("state", self.server.flv_url("url1")).out)
        self.assertIn(": online (push)", self.ok("state", self.server.flv_url("url1").replace(".flv", ".m3u8")).out)
        # the stream named where its file was meant: a hint, not another stream's state
        cp = self.cli("state", "live/url1.flv", "--config", self.server.config_path)
        self.assertEqual(cp.returncode, 2, cp.what)
        self.assertIn("did you mean live/url1?", cp.err, cp.what)
        cp = self.cli("state", rtmp.replace("rtmp://", "rtsp://"), "--config", self.server.config_path)
        self.assertEqual(cp.returncode, 2, cp.what)
        # flags win over --config: a closed port given as --endpoint is the one tried
        port = free_port()
        cp = self.cli("state", "live/url1", "--config", self.server.config_path, "--endpoint", f"127.0.0.1:{port}")
        self.assertEqual(cp.returncode, 3, cp.what)
        # a config file that is not one is a usage error naming it
        bad = os.path.join(self.tmp, "bad.toml")
        with open(bad, "w") as f:
            f.write('[api]\nlisten = "nowhere"\n')
        cp = self.cli("state", "live/url1", "--config", bad)
        self.assertEqual(cp.returncode, 2, cp.what)
        self.assertIn("api.listen", cp.err, cp.what)

    def test_version_and_unknown_command(self):
        version = self.cli("--version")
        self.assertEqual(version.returncode, 0, version.what)
        self.assertRegex(version.out.strip(), r"^sluice \d+\.\d+\.\d+$")
        self.assertEqual(version.out, self.cli("version").out)

        cp = self.cli("stats")
        self.assertEqual(cp.returncode, 2, cp.what)
        self.assertIn('unknown command "stats"', cp.err, cp.what)
        for name in ("serve", "streams", "state", "kill", "forbid", "resume", "history", "forbidden"):
            self.assertIn(name, cp.err, cp.what)
        self.assertNotIn("A subcommand is required", cp.err, cp.what)
        cp = self.cli("st\x1b[31mate")  # a terminal escape is shown escaped
        self.assertEqual(cp.returncode, 2, cp.what)
        self.assertNotIn("\x1b", cp.err, cp.what)
        self.assertIn("\\x1b", cp.err, cp.what)

    def test_json_shapes(self):
        pub = self.push("shape1")
        address = {"Vhost": "__defaultVhost__", "App": "live", "Stream": "shape1"}

        listed = self.json_of("streams", "--stream", "shape1")
        self.assertEqual(set(listed), {"RoughCount", "StreamInfoList"}, listed)
        self.assertEqual(listed["RoughCount"], 1, listed)
        self.assertEqual(listed["StreamInfoList"][0]["Stream"], "shape1", listed)

        state = self.json_of("state", "live/shape1")
        self.assertEqual(state, dict(address, stream_state="online", type="push"), state)
        by_url = self.json_of("state", self.server.rtmp_url("shape1"))
        self.assertEqual(by_url, {"Domain": "127.0.0.1", "App": "live", "Stream": "shape1",
                                  "stream_state": "online", "type": "push"}, by_url)

        killed = self.json_of("kill", "live/shape1")
        self.assertEqual(killed, dict(address, Action="KillStream"), killed)
        self.assertTrue(wait_until(lambda: pub.poll() is not None, 5), "ffmpeg still pushing after kill")

        history = self.json_of("history", "--stream", "shape1")
        self.assertEqual(set(history), {"RoughCount", "StreamInfoList"}, history)
        self.assertEqual([i["EndReason"] for i in history["StreamInfoList"]], ["killed"], history)

        until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
        forbade = self.json_of("forbid", "live/shape1", "--until", until)
        self.assertEqual(forbade, dict(address, Action="ForbidStream", EndTime=until), forbade)
        harness.next_signing_second()
        forbade = self.json_of("forbid", "live/shape1")
        self.assertEqual(forbade, dict(address, Action="ForbidStream", EndTime=None), forbade)

        forbidden = self.json_of("forbidden", "--stream", "shape1")
        self.assertEqual(set(forbidden), {"RoughCount", "StreamInfoList"}, forbidden)
        self.assertEqual(forbidden["RoughCount"], 1, forbidden)

        resumed = self.json_of("resume", "live/shape1")
        self.assertEqual(resumed, dict(address, Action="ResumeStream"), resumed)

    def test_network_error_names_its_cause(self):
        port = free_port()
        cp = self.cli("streams", "--endpoint", f"127.0.0.1:{port}", "--ak", "AKLTx", "--sk", "y")
        self.assertEqual(cp.returncode, 3, cp.what)
        self.assertIn(f"cannot reach http://127.0.0.1:{port}", cp.err, cp.what)
        self.assertRegex(cp.err, r"(?i)connection refused", cp.what)


def examples_dir():
    return os.environ.get("SLUICE_EXAMPLES_DIR", "")


class ExamplesFirstHourTest(E2ETestCase):
    """The SDK examples without keys and against a closed port (no server
    needed for either, but the base class starts one; it stays idle)."""

    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(os.path.join(examples_dir(), "describe_live_stream_state")):
            raise unittest.SkipTest("examples not built (SLUICE_EXAMPLES_DIR)")
        super().setUpClass()

    def example(self, name, *args, env):
        cp = harness.run([os.path.join(examples_dir(), name), *args], 15, env=dict(CLEAN_ENV, **env))
        self.assertIsNotNone(cp.returncode, f"{name} did not finish")
        cp.err = cp.stderr.decode(errors="replace")
        cp.what = f"{name} {args} -> {cp.returncode}\n{cp.stdout.decode(errors='replace')}\n{cp.err}"
        return cp

    def test_examples_refuse_to_run_without_keys(self):
        endpoint = {"SLUICE_ENDPOINT": f"127.0.0.1:{self.server.api_port}"}
        for name, args in (("describe_live_stream_state", ["__defaultVhost__", "live", "x"]),
                           ("describe_live_stream_info_by_page", []),
                           ("kill_stream", ["__defaultVhost__", "live", "x"])):
            with self.subTest(example=name):
                cp = self.example(name, *args, env=endpoint)
                self.assertEqual(cp.returncode, 2, cp.what)
                self.assertIn("VOLC_ACCESSKEY", cp.err, cp.what)
                cp = self.example(name, *args, env=dict(endpoint, VOLC_ACCESSKEY="AKLTonly"))
                self.assertEqual(cp.returncode, 2, cp.what)

    def test_examples_name_the_cause_of_a_network_error(self):
        port = free_port()
        cp = self.example("describe_live_stream_state", "__defaultVhost__", "live", "x",
                          env={"SLUICE_ENDPOINT": f"http://127.0.0.1:{port}",
                               "VOLC_ACCESSKEY": "AKLTx", "VOLC_SECRETKEY": "y"})
        self.assertEqual(cp.returncode, 3, cp.what)
        self.assertNotIn("(0, HTTP 0)", cp.err, cp.what)
        self.assertIn(f"127.0.0.1:{port}", cp.err, cp.what)
        self.assertRegex(cp.err, r"(?i)connection refused", cp.what)


if __name__ == "__main__":
    unittest.main(verbosity=2)
