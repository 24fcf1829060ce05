#!/usr/bin/env python3
"""The C++ SDK end to end: the seven example programs of examples/ (one per
action of Volcengine's stream-management documentation, built on
sluice::LiveService) run against a real sluice with a real ffmpeg push."""
import os
import time
import unittest

import harness
from harness import E2ETestCase, wait_until

AK = "AKLTexamplesaccesskey"
SK = "examples-secret-key-0123456789"
CONFIG = harness.api_keys_toml(AK, SK)
VHOST = "__defaultVhost__"


def examples_dir():
    return os.environ.get("SLUICE_EXAMPLES_DIR", "")


class SdkExamplesTest(E2ETestCase):
    CONFIG = CONFIG

    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(os.path.join(examples_dir(), "describe_live_stream_state")):
            raise unittest.SkipTest("examples not built (SLUICE_EXAMPLES_DIR)")
        super().setUpClass()

    @classmethod
    def prepare_class(cls):
        cls.flv = harness.make_small_flv(os.path.join(cls.class_dir("e2e-sdk-media-"), "small.flv"), seconds=2)

    def example(self, name, *args, expect_rc=0):
        return self.run_sdk_program(os.path.join(examples_dir(), name), *args, access_key=AK, secret_key=SK,
                                    expect_rc=expect_rc)

    def push(self, stream):
        pub = self.track(harness.start_flv_publisher(self.server.rtmp_url(stream), self.flv, self.tmp))
        self.wait_live(stream)
        return pub

    def test_all_seven_actions(self):
        name = "sdk-cam"
        started = time.time()
        pub = self.push(name)

        out, _ = self.example("describe_live_stream_state", VHOST, "live", name)
        self.assertEqual(out.strip(), "online push")
        out, _ = self.example("describe_live_stream_info_by_page", "sdk-")
        self.assertIn("online: 1", out)
        self.assertIn(f"{VHOST}/live/{name} since ", out)

        out, _ = self.example("kill_stream", VHOST, "live", name)
        self.assertIn("KillStream done", out)
        self.assertIsNotNone(wait_until(lambda: pub.poll() is not None, 5), "ffmpeg still pushing after the kill")
        out, _ = self.example("describe_live_stream_state", VHOST, "live", name)
        self.assertEqual(out.strip(), "offline push")
        since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started - 60))
        until = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 60))
        out, _ = self.example("describe_closed_stream_info_by_page", since, until)
        self.assertIn("closed: 1", out)
        self.assertIn(f"{VHOST}/live/{name} ", out)
        self.assertIn("(killed)", out)

        out, _ = self.example("forbid_stream", VHOST, "live", name)
        self.assertIn("ForbidStream done", out)
        out, _ = self.example("describe_live_stream_state", VHOST, "live", name)
        self.assertEqual(out.strip(), "forbidden push")
        out, _ = self.example("describe_forbidden_stream_info_by_page")
        self.assertIn("forbidden: 1", out)
        self.assertIn(f"{VHOST}/live/{name} until ", out)

        out, _ = self.example("resume_stream", VHOST, "live", name)
        self.assertIn("ResumeStream done", out)
        out, _ = self.example("describe_live_stream_state", VHOST, "live", name)
        self.assertEqual(out.strip(), "offline push")

    def test_errors_carry_code_and_status(self):
        _, err = self.example("kill_stream", VHOST, "live", "nobody-here", expect_rc=1)
        self.assertIn("NotFound.Stream (404001, HTTP 404)", err)
        _, err = self.example("resume_stream", VHOST, "live", "never-forbidden", expect_rc=1)
        self.assertIn("NotFound.ForbiddenStream (404002, HTTP 404)", err)
        _, err = self.example("describe_live_stream_state", VHOST, "bad app!", "x", expect_rc=1)
        self.assertIn("InvalidParam.App (400001, HTTP 400)", err)


if __name__ == "__main__":
    unittest.main()
