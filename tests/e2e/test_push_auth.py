"""Signed push and play URLs (Volcengine volcTime/volcSecret) with real ffmpeg.

The push class trusts only ::1, so its publishers on 127.0.0.1 count as
remote and need a signature. Signatures are computed here with hashlib, not
by sluice.
"""

import hashlib
import os
import re
import time
import unittest
import urllib.error
import urllib.request

import harness
from harness import E2ETestCase, probe, read_text

PUSH_KEY = "push-primary-5b2c9e"
PUSH_KEY_2 = "push-secondary-77d1a0"
PLAY_KEY = "play-primary-c3f80e"
OTHER_VHOST = "push.example.com"
OTHER_KEY = "other-vhost-key-19af"


def signature(app, stream, key, expiry):
    return hashlib.md5(f"/{app}/{stream}{key}{expiry}".encode()).hexdigest()


def signed_query(stream, key, expiry, app="live"):
    return f"volcTime={expiry}&volcSecret={signature(app, stream, key, expiry)}"


class SignedUrlCase(E2ETestCase):
    def tearDown(self):
        self.assertServerAlive()

    def assertRefusalLogged(self, stream, reason, since, action="publish"):
        line = self.server.wait_log(rf"live/{stream} {action} refused \(denied\): {reason}", 10,
                                    since=since)
        self.assertTrue(line, f"no '{action} refused' line for live/{stream} with '{reason}'")

    def assertNoSecretsLogged(self, *secrets):
        log = self.server.log()
        for secret in secrets:
            self.assertNotIn(secret, log, "a key or a volcSecret reached the server log")


class PushAuthTest(SignedUrlCase):
    CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) +
              '[push_auth]\ntrusted = ["::1"]\n'
              '[[vhost]]\nname = "__defaultVhost__"\n'
              f'push_key = "{PUSH_KEY}"\npush_key_secondary = "{PUSH_KEY_2}"\n'
              f'[[vhost]]\nname = "{OTHER_VHOST}"\npush_key = "{OTHER_KEY}"\n')

    def test_a_configured_key_is_never_printed(self):
        self.assertTrue(self.server.wait_stdout("is up", 10), self.server.stdout())
        self.assertNotIn(PUSH_KEY, self.server.stdout())
        self.assertNotIn("push key:", self.server.stdout())

    def test_valid_signed_url_publishes_and_plays(self):
        for name, key in (("signed1", PUSH_KEY), ("signed2", PUSH_KEY_2)):
            expiry = int(time.time()) + 3600
            url = self.server.rtmp_url(name) + "?" + signed_query(name, key, expiry)
            publisher = self.start_publisher_url(url)
            self.wait_live(name)
            streams, cp = probe(self.server.flv_url(name))
            self.assertIsNotNone(streams, cp.stderr.decode(errors="replace")[-500:])
            self.assertIsNone(publisher.poll(), read_text(publisher.log_path, 1500))
        self.assertNoSecretsLogged(PUSH_KEY, PUSH_KEY_2)

    def test_expired_wrong_and_missing_signatures_are_refused(self):
        now = int(time.time())
        expired_secret = signature("live", "expired", PUSH_KEY, now - 5)
        wrong_secret = signature("live", "wrong", "not-the-key", now + 3600)
        other_name_secret = signature("live", "someone-else", PUSH_KEY, now + 3600)
        cases = [
            ("expired", f"volcTime={now - 5}&volcSecret={expired_secret}",
             r"push signature expired at \S+Z \(volcTime \d+\)"),
            ("wrong", f"volcTime={now + 3600}&volcSecret={wrong_secret}",
             "push signature does not match"),
            ("renamed", f"volcTime={now + 3600}&volcSecret={other_name_secret}",
             "push signature does not match"),
            ("missing", "", r"push signature missing"),
            ("hugetime", f"volcTime={'9' * 40}&volcSecret={wrong_secret}",
             "push signature malformed: volcTime"),
            ("badhex", f"volcTime={now + 3600}&volcSecret=zz{wrong_secret[2:]}",
             "push signature malformed: volcSecret"),
        ]
        for name, query, reason in cases:
            with self.subTest(name=name):
                since = self.server.log_size()
                url = self.server.rtmp_url(name) + ("?" + query if query else "")
                self.publish_refused(url)
                self.assertRefusalLogged(name, reason, since)
        self.assertNoSecretsLogged(PUSH_KEY, PUSH_KEY_2, expired_secret, wrong_secret,
                                   other_name_secret)

    def test_push_url_of_the_cli_publishes(self):
        cp = harness.run([harness.sluice_bin(), "push-url", "live/fromcli", "--for", "10m",
                          "--config", self.server.config_path,
                          "--rtmp-address", f"127.0.0.1:{self.server.rtmp_port}"], 10)
        out = cp.stdout.decode()
        self.assertEqual(cp.returncode, 0, cp.stderr.decode(errors="replace"))
        urls = out.split()
        self.assertEqual(len(urls), 1, out)
        self.assertRegex(urls[0], r"^rtmp://127\.0\.0\.1:\d+/live/fromcli\?volcTime=\d+"
                                  r"&volcSecret=[0-9a-f]{32}$")
        expiry = int(urls[0].split("volcTime=")[1].split("&")[0])
        self.assertAlmostEqual(expiry, time.time() + 600, delta=30)
        publisher = self.start_publisher_url(urls[0])
        self.wait_live("fromcli")
        self.assertIsNone(publisher.poll(), read_text(publisher.log_path, 1500))

    def test_each_vhost_has_its_own_key(self):
        cp = harness.run([harness.sluice_bin(), "push-url", f"{OTHER_VHOST}/live/vh",
                          "--config", self.server.config_path,
                          "--rtmp-address", f"127.0.0.1:{self.server.rtmp_port}"], 10)
        self.assertEqual(cp.returncode, 0, cp.stderr.decode(errors="replace"))
        url = cp.stdout.decode().strip()
        self.assertTrue(url.endswith(f"&vhost={OTHER_VHOST}"), url)
        publisher = self.start_publisher_url(url)
        streams, probed = probe(self.server.flv_url("vh") + f"?vhost={OTHER_VHOST}")
        self.assertIsNotNone(streams, probed.stderr.decode(errors="replace")[-500:])
        self.assertIsNone(publisher.poll(), read_text(publisher.log_path, 1500))
        # The default vhost's key does not sign for the other vhost.
        expiry = int(time.time()) + 600
        since = self.server.log_size()
        self.publish_refused(self.server.rtmp_url("vh2") + "?" + signed_query("vh2", PUSH_KEY, expiry)
                             + f"&vhost={OTHER_VHOST}")
        self.assertRefusalLogged("vh2", "push signature does not match", since)
        self.assertNoSecretsLogged(OTHER_KEY)

    def start_publisher_url(self, url):
        return self.track(harness.start_publisher(url, self.tmp, seconds=60))


class GeneratedPushKeyTest(SignedUrlCase):
    """No keys in the config: the default vhost's push key is generated into
    the data dir, remote publishers need a URL signed with it, and a vhost
    without any key refuses them."""
    CONFIG = '[push_auth]\ntrusted = ["::1"]\n[[vhost]]\nname = "keyless.example.com"\n'

    def test_generated_key_file_signs_and_unsigned_remote_publish_is_refused(self):
        key_file = os.path.join(self.server.data_dir, "push-key.toml")
        self.assertTrue(os.path.isfile(key_file))
        self.assertEqual(os.stat(key_file).st_mode & 0o777, 0o600)
        with open(key_file) as f:
            key = re.search(r'push_key = "([A-Za-z0-9]+)"', f.read()).group(1)
        # Shown once, to the person who started sluice: on stdout, never in the log.
        self.assertIn(f"push key: {key}\n", self.server.stdout())
        self.assertIn(key_file, self.server.stdout())
        self.assertNoSecretsLogged(key)

        since = self.server.log_size()
        self.publish_refused(self.server.rtmp_url("unsigned"))
        self.assertRefusalLogged("unsigned", "push signature missing", since)

        cp = harness.run([harness.sluice_bin(), "push-url", "live/gen",
                          "--data-dir", self.server.data_dir,
                          "--rtmp-address", f"127.0.0.1:{self.server.rtmp_port}"], 10)
        self.assertEqual(cp.returncode, 0, cp.stderr.decode(errors="replace"))
        publisher = self.track(harness.start_publisher(cp.stdout.decode().strip(), self.tmp))
        self.wait_live("gen")
        self.assertIsNone(publisher.poll(), read_text(publisher.log_path, 1500))
        self.assertNoSecretsLogged(key)

    def test_untrusted_publisher_to_a_vhost_without_a_key_is_told_so(self):
        since = self.server.log_size()
        self.publish_refused(self.server.rtmp_url("nokey") + "?vhost=keyless.example.com")
        self.assertRefusalLogged("nokey", "no push key is configured for vhost keyless.example.com",
                                 since)


class DefaultConfigTest(SignedUrlCase):
    CONFIG = None

    def test_loopback_publishes_without_a_signature(self):
        publisher = self.start_publisher("plain")
        self.wait_live("plain")
        self.assertIsNone(publisher.poll())


class PlayAuthTest(SignedUrlCase):
    CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) +
              f'[[vhost]]\nname = "__defaultVhost__"\nplay_key = "{PLAY_KEY}"\n')

    def test_play_needs_a_signed_url_over_rtmp_and_http_flv(self):
        name = "watched"
        self.start_publisher(name)  # loopback is trusted: no push signature
        expiry = int(time.time()) + 600
        query = signed_query(name, PLAY_KEY, expiry)
        rtmp = self.server.rtmp_url(name)
        flv = self.server.flv_url(name)
        for url in (f"{rtmp}?{query}", f"{flv}?{query}"):
            streams, cp = probe(url)
            self.assertIsNotNone(streams, f"{url}: {cp.stderr.decode(errors='replace')[-500:]}")
        for url in (rtmp, flv, f"{flv}?volcTime={int(time.time()) - 5}&volcSecret="
                               f"{signature('live', name, PLAY_KEY, int(time.time()) - 5)}"):
            since = self.server.log_size()
            streams, cp = probe(url, timeout=15)
            self.assertIsNone(streams, f"{url} played without a valid signature")
            self.assertRefusalLogged(name, "play signature (missing|expired)", since,
                                     action="play")
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(flv, timeout=10).close()
        self.assertEqual(refused.exception.code, 403)
        # HLS asks the same gate: an unsigned playlist is 403, not a session.
        hls = flv[:-len(".flv")] + ".m3u8"
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(hls, timeout=10).close()
        self.assertEqual(refused.exception.code, 403)
        self.assertNoSecretsLogged(PLAY_KEY)

    def test_play_url_of_the_cli_plays_over_rtmp_http_flv_and_hls(self):
        name = "clipl"
        self.start_publisher(name)
        cp = harness.run([harness.sluice_bin(), "play-url", f"live/{name}",
                          "--rtmp-address", f"127.0.0.1:{self.server.rtmp_port}",
                          "--http-address", f"127.0.0.1:{self.server.http_port}"], 10,
                         env=dict(os.environ, SLUICE_PLAY_KEY=PLAY_KEY))
        self.assertEqual(cp.returncode, 0, cp.stderr.decode(errors="replace"))
        urls = cp.stdout.decode().split()
        self.assertEqual([u.split(":")[0] for u in urls], ["rtmp", "http", "http"], urls)
        self.assertIn(".m3u8?", urls[2])
        for url in urls:
            streams, probed = probe(url)
            self.assertIsNotNone(streams, f"{url}: {probed.stderr.decode(errors='replace')[-500:]}")


if __name__ == "__main__":
    unittest.main()
