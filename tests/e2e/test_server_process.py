"""The server process in a user's first hour: the start-up banner, reload on
SIGHUP, JSON logs and a log file reopened on SIGUSR1.

* Banner: the URLs sluice prints work as printed (ffmpeg pushes to the RTMP
  one, ffprobe plays the RTMP and the HTTP-FLV one, /healthz answers on the
  API one); the listeners are said to be loopback only; --quiet and
  `banner = false` leave it out.
* SIGHUP: a changed API key takes effect (the old one is refused with 401
  InvalidAccessKey 100009, the new one accepted) and a new vhost applies on
  both threads (API and publish) while an ffmpeg publish and an RTMP viewer
  carry on without a reconnect; a changed [media] setting or listen address
  is logged as needing a restart and not applied; a new log level applies;
  a broken file, or one where two vhosts claim a domain, is refused with one
  line and the old config kept; without --config the log says there is
  nothing to reload.
* --log-format json --log-file: every line is one JSON object (Python's json
  parses each), a refused name with quotes, a newline and control bytes
  included; renaming the file and sending SIGUSR1 starts a new file at the
  path.
"""

import json
import os
import re
import signal
import time
import unittest
import urllib.parse

import harness
from harness import E2ETestCase, Server, api_keys_toml, python_sdk_request

AK1, SK1 = "AKLTfirstkey", "first-secret-0123456789"
AK2, SK2 = "AKLTsecondkey", "second-secret-0123456789"

PUSH_RE = re.compile(r"push \(RTMP\):\s+(rtmp://\S+)")
PLAY_RTMP_RE = re.compile(r"play \(RTMP\):\s+(rtmp://\S+)")
PLAY_FLV_RE = re.compile(r"play \(HTTP-FLV\):\s+(http://\S+)")
API_RE = re.compile(r"management API:\s+(http://\S+)")


class ExtraArgsServer(Server):
    """A Server started with extra command-line arguments."""

    def __init__(self, config_text=None, extra=()):
        super().__init__(config_text)
        self.extra = list(extra)

    def command(self):
        return super().command() + self.extra


class FileLogServer(ExtraArgsServer):
    """sluice logging to --log-file (self.log_path); stdout and stderr go to
    console.log."""

    def command(self):
        return super().command() + ["--log-file", self.log_path]

    def _open_output(self):
        console = os.path.join(self.workdir, "console.log")
        self.log_paths = [self.log_path, console]
        self._log_file = open(console, "wb")
        return self._log_file, self._log_file


def stream_state(port, ak, sk, vhost, stream, app="live"):
    return python_sdk_request(port, ak, sk, "DescribeLiveStreamState",
                              {"Vhost": vhost, "App": app, "Stream": stream})


class BannerTest(E2ETestCase):
    CONFIG = api_keys_toml(AK1, SK1)

    def banner(self):
        """The banner, from stdout (never the log); it follows the listeners."""
        self.server.wait_stdout("is up", 10)
        return self.server.stdout()

    def banner_url(self, rx):
        match = rx.search(self.banner())
        self.assertIsNotNone(match, f"no {rx.pattern} in the banner")
        return match.group(1)

    def test_printed_urls_work(self):
        push = self.banner_url(PUSH_RE)
        play_rtmp = self.banner_url(PLAY_RTMP_RE)
        play_flv = self.banner_url(PLAY_FLV_RE)
        api = self.banner_url(API_RE)
        self.assertEqual(urllib.parse.urlsplit(push).port, self.server.rtmp_port)
        self.assertEqual(urllib.parse.urlsplit(play_flv).port, self.server.http_port)
        self.assertEqual(urllib.parse.urlsplit(api).port, self.server.api_port)

        publisher = self.track(harness.start_publisher(push, self.tmp, size="320x180", rate=15,
                                                       gop=15))
        for url in (play_flv, play_rtmp):
            streams = harness.wait_until(lambda: harness.probe(url, timeout=15)[0], 20, 0.5)
            self.assertTrue(streams, f"ffprobe {url} found no streams; publisher log: "
                                     f"{harness.read_text(publisher.log_path)[-500:]}")
            kinds = {(s["codec_type"], s["codec_name"]) for s in streams}
            self.assertIn(("video", "h264"), kinds, url)
            self.assertIn(("audio", "aac"), kinds, url)

        res = harness.raw_api_request(self.server.api_port, "GET",
                                      urllib.parse.urlsplit(api).path + "healthz")
        self.assertEqual(res.status, 200, res.describe())

    def test_listeners_are_said_to_be_loopback_only(self):
        log = self.banner()
        for name, port in (("rtmp", self.server.rtmp_port), ("http", self.server.http_port),
                           ("api", self.server.api_port)):
            self.assertRegex(log, rf"\n  {name} +127\.0\.0\.1:{port} +loopback only")
        self.assertNotIn("reachable from other machines", log)

    def test_quiet_flag_and_config_key_leave_the_banner_out(self):
        for config, extra in ((api_keys_toml(AK1, SK1), ["--quiet"]),
                              ("banner = false\n" + api_keys_toml(AK1, SK1), [])):
            server = ExtraArgsServer(config, extra)
            try:
                server.start()
                # The banner comes right after the "serving" line, when it comes.
                self.assertTrue(server.wait_log(r"sluice \S+ serving", 10))
                time.sleep(0.3)
                self.assertNotIn("push (RTMP)", server.stdout())
                self.assertNotIn("rtmp://", server.stdout())
            finally:
                server.cleanup()


RELOAD_BASE = api_keys_toml(AK1, SK1)
# The listen addresses come from the command line (harness), which a reload
# keeps; [media] stands for the settings that need a restart.
RELOAD_NEW = ('[media]\ngop_cache = false\n' + api_keys_toml(AK2, SK2)
              + '[[vhost]]\nname = "v2.example"\nplay_domains = ["play.v2.example"]\n')


class ReloadTest(E2ETestCase):
    CONFIG = RELOAD_BASE

    def write_config(self, text):
        with open(self.server.config_path, "w") as f:
            f.write(text)

    def reload(self, pattern):
        since = self.server.log_size()
        self.server.proc.send_signal(signal.SIGHUP)
        line = self.server.wait_log(pattern, 10, since=since)
        self.assertTrue(line, f"no log line /{pattern}/ after SIGHUP")
        return self.server.log_since(since)

    def assertAccepted(self, ak, sk):
        res = stream_state(self.server.api_port, ak, sk, "__defaultVhost__", "nobody")
        self.assertEqual(res.status, 200, res.describe())

    def assertRefusedKey(self, ak, sk):
        res = stream_state(self.server.api_port, ak, sk, "__defaultVhost__", "nobody")
        self.assertEqual((res.status, res.code, res.coden), (401, "InvalidAccessKey", 100009),
                         res.describe())

    def test_a_new_key_and_vhost_apply_while_a_publish_and_a_viewer_carry_on(self):
        self.addCleanup(self.write_config, RELOAD_BASE)
        publisher = self.track(harness.start_publisher(self.server.rtmp_url("reload"), self.tmp,
                                                       size="320x180", rate=15, gop=15))
        self.wait_live("reload")
        viewer = self.track(harness.RawPlayer(self.server.rtmp_port, "live", "reload").start())
        self.assertTrue(viewer.wait_video_frames(10, 15), viewer.describe())
        self.assertAccepted(AK1, SK1)
        # Before the reload, v2.example does not own play.v2.example.
        res = python_sdk_request(self.server.api_port, AK1, SK1, "DescribeLiveStreamState",
                                 {"Vhost": "v2.example", "Domain": "play.v2.example",
                                  "App": "live", "Stream": "x"})
        self.assertNotEqual(res.status, 200, res.describe())

        self.write_config(RELOAD_NEW)
        reloaded_at = time.monotonic()
        text = self.reload(r"config reloaded from")
        self.assertRegex(text, r"config reload: \[media\] changed; needs a restart, not applied")

        self.assertRefusedKey(AK1, SK1)
        self.assertAccepted(AK2, SK2)
        res = python_sdk_request(self.server.api_port, AK2, SK2, "DescribeLiveStreamState",
                                 {"Vhost": "v2.example", "Domain": "play.v2.example",
                                  "App": "live", "Stream": "x"})
        self.assertEqual(res.status, 200, res.describe())
        # The media side has the vhost too: a push naming its domain lands in it.
        flv = harness.make_small_flv(os.path.join(self.tmp, "small.flv"))
        self.track(harness.start_flv_publisher(
            self.server.rtmp_url("second") + "?domain=play.v2.example", flv, self.tmp))
        online = harness.wait_until(
            lambda: (stream_state(self.server.api_port, AK2, SK2, "v2.example", "second")
                     .result or {}).get("stream_state") == "online", 15, 0.2)
        self.assertTrue(online, "the push to play.v2.example did not land in vhost v2.example")

        # The first publish and its viewer never noticed.
        self.assertTrue(viewer.wait_video_frames(20, 15, since=reloaded_at), viewer.describe())
        self.assertFalse(viewer.is_closed(), viewer.describe())
        self.assertEqual([c for _, c in viewer.statuses()].count("NetStream.Play.Start"), 1,
                         viewer.describe())
        self.assertIsNone(publisher.poll(), harness.read_text(publisher.log_path))
        log = self.server.log()
        self.assertNotIn("/live/reload unpublished", log)
        self.assertEqual(log.count("/live/reload publishing"), 1)
        # The listener did not move.
        self.assertTrue(harness.probe(self.server.flv_url("reload"), timeout=15)[0])

    def test_a_broken_file_is_refused_and_the_old_config_kept(self):
        self.addCleanup(self.write_config, RELOAD_BASE)
        for broken, reason in (
                ("[rtmp\nlisten = ", r"\S*sluice\.toml: .* at line \d"),
                (api_keys_toml(AK2, SK2) + '[[vhost]]\nname = "a.example"\n'
                 '[[vhost]]\nname = "b.example"\npush_domains = ["a.example"]\n',
                 r'\S*sluice\.toml: vhost\[1\]: domain "a\.example" is claimed by two vhosts: "a\.example" .* and "b\.example"')):
            self.write_config(broken)
            text = self.reload(r"config reload refused")
            refusals = [l for l in text.splitlines() if "config reload refused" in l]
            self.assertEqual(len(refusals), 1, text)
            self.assertRegex(refusals[0], r"the running config is kept: " + reason)
            self.assertNotIn("config reloaded", text)
            self.assertAccepted(AK1, SK1)
            self.assertRefusedKey(AK2, SK2)
        self.assertServerAlive()
        flv = harness.make_small_flv(os.path.join(self.tmp, "small.flv"))
        self.track(harness.start_flv_publisher(self.server.rtmp_url("after"), flv, self.tmp))
        self.wait_live("after")


class FileSettingsServer(Server):
    """A Server whose log level and RTMP address come from its config file alone."""

    def command(self):
        cmd = super().command()
        for flag in ("--log-level", "--rtmp-listen"):
            at = cmd.index(flag)
            cmd = cmd[:at] + cmd[at + 2:]
        return cmd


FILE_SETTINGS = '[rtmp]\nlisten = "127.0.0.1:0"\n' + api_keys_toml(AK1, SK1)


class FileSettingsReloadTest(E2ETestCase):
    CONFIG = 'log_level = "info"\n' + FILE_SETTINGS

    @classmethod
    def setUpClass(cls):
        cls._class_dirs = []
        cls.server = FileSettingsServer(cls.CONFIG)
        try:
            cls.server.start()
        except Exception:
            cls.tearDownClass()
            raise

    def api_call_logged_at_debug(self):
        since = self.server.log_size()
        res = stream_state(self.server.api_port, AK1, SK1, "__defaultVhost__", "nobody")
        self.assertEqual(res.status, 200, res.describe())
        time.sleep(0.2)
        return "[debug] api 127.0.0.1" in self.server.log_since(since)

    def test_a_new_log_level_applies_and_a_new_listen_address_waits_for_a_restart(self):
        self.assertFalse(self.api_call_logged_at_debug())
        with open(self.server.config_path, "w") as f:
            f.write('log_level = "debug"\n' + FILE_SETTINGS.replace("127.0.0.1:0", "127.0.0.1:1"))
        since = self.server.log_size()
        self.server.proc.send_signal(signal.SIGHUP)
        self.assertTrue(self.server.wait_log(r"config reloaded from .*, log level debug", 10,
                                             since=since))
        self.assertRegex(self.server.log_since(since),
                         r"\[warning\] config reload: rtmp\.listen \(127\.0\.0\.1:0 -> "
                         r"127\.0\.0\.1:1\) changed; needs a restart, not applied")
        self.assertTrue(self.api_call_logged_at_debug())
        # Still on the port it had.
        conn = harness.RtmpConn(self.server.rtmp_port)
        self.addCleanup(conn.close)
        conn.handshake()


class ReloadWithoutConfigTest(E2ETestCase):
    CONFIG = None

    def test_sighup_says_there_is_nothing_to_reload(self):
        since = self.server.log_size()
        self.server.proc.send_signal(signal.SIGHUP)
        self.assertTrue(self.server.wait_log(r"started without --config; there is nothing to reload",
                                             10, since=since))
        time.sleep(0.2)
        self.assertServerAlive()
        res = harness.raw_api_request(self.server.api_port, "GET", "/healthz")
        self.assertEqual(res.status, 200, res.describe())


class JsonLogFileTest(E2ETestCase):
    CONFIG = api_keys_toml(AK1, SK1)

    @classmethod
    def setUpClass(cls):
        cls._class_dirs = []
        cls.server = FileLogServer(cls.CONFIG, ["--log-format", "json", "--quiet"])
        try:
            cls.server.start()
        except Exception:
            cls.tearDownClass()
            raise

    def records(self, path=None):
        with open(path or self.server.log_path, "rb") as f:
            lines = f.read().decode("utf-8").splitlines()
        records = []
        for line in lines:
            record = json.loads(line)  # one object per line, or the test fails here
            self.assertIsInstance(record, dict, line)
            self.assertEqual(set(record), {"time", "level", "message"}, line)
            self.assertRegex(record["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
            records.append(record)
        return records

    def test_every_line_is_one_json_object_with_client_text_escaped(self):
        name = 'we"ird\n\x01\x7f\\name'
        player = self.track(harness.RawPlayer(self.server.rtmp_port, "live", name).start())
        player.wait_status_matching(lambda c: c and "Play" in c, 10)
        path = "/live/" + urllib.parse.quote('bad"one\n\x02', safe="") + ".flv"
        harness.raw_api_request(self.server.http_port, "GET", path)
        ok = harness.wait_until(
            lambda: any('we"ird' in r["message"] for r in self.records()), 10)
        records = self.records()
        self.assertTrue(ok, [r["message"] for r in records][-10:])
        self.assertTrue(any(r["level"] == "info" and "rtmp listening on" in r["message"]
                            for r in records))
        refused = [r["message"] for r in records if 'we"ird' in r["message"]]
        # The quote and the backslash survive as themselves; the control bytes
        # stay the escaped text sluice logs in both formats.
        self.assertTrue(any(r'live/we"ird\x0a\x01\x7f\\name play refused' in m for m in refused),
                        refused)
        self.assertTrue(all("\n" not in m and "\x01" not in m for m in refused), refused)
        self.assertTrue(harness.wait_until(lambda: any(
            r'bad"one\x0a\x02 play refused' in r["message"] for r in self.records()), 10))

    def test_rename_and_sigusr1_start_a_new_file(self):
        rotated = self.server.log_path + ".1"
        self.addCleanup(lambda: os.path.exists(rotated) and os.remove(rotated))
        os.rename(self.server.log_path, rotated)
        self.server.proc.send_signal(signal.SIGUSR1)
        self.assertTrue(harness.wait_until(lambda: os.path.exists(self.server.log_path), 10),
                        "no new log file after SIGUSR1")
        self.assertTrue(harness.wait_until(
            lambda: any("log file reopened" in r["message"] for r in self.records()), 10))
        # A new line after the reopen goes to the new file, not the renamed one.
        RawRtmp = harness.RawPlayer(self.server.rtmp_port, "live", "after-rotation")
        self.track(RawRtmp.start())
        self.assertTrue(harness.wait_until(
            lambda: any("after-rotation" in r["message"] for r in self.records()), 15))
        old = self.records(rotated)
        self.assertTrue(any("rtmp listening on" in r["message"] for r in old))
        self.assertFalse(any("after-rotation" in r["message"] for r in old))
        self.assertFalse(any("log file reopened" in r["message"] for r in old))


if __name__ == "__main__":
    unittest.main()
