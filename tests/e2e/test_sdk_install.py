#!/usr/bin/env python3
"""The C++ SDK as a user gets it: `cmake --install --component sdk` into a
fresh prefix, then programs built only against that prefix, both ways a
user's build finds it (CMake `find_package(sluice)` → `sluice::sdk`, and
pkg-config's `sluice.pc`), run against a real sluice with a real push.

The consumer is examples/ itself, configured as a project of its own."""
import os
import unittest

import harness
from harness import E2ETestCase, wait_until

AK = "AKLTinstallaccesskey"
SK = "install-secret-key-0123456789"
CONFIG = harness.api_keys_toml(AK, SK)
VHOST = "__defaultVhost__"
EXAMPLES = ("describe_live_stream_info_by_page", "describe_closed_stream_info_by_page",
            "describe_forbidden_stream_info_by_page", "kill_stream", "forbid_stream", "resume_stream",
            "describe_live_stream_state")


class SdkInstallTest(E2ETestCase):
    CONFIG = CONFIG

    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(os.path.join(harness.build_dir(), "CMakeCache.txt")):
            raise unittest.SkipTest("SLUICE_BUILD_DIR is not a configured build")
        super().setUpClass()

    @classmethod
    def prepare_class(cls):
        d = cls.class_dir("e2e-install-")
        cls.prefix = os.path.join(d, "prefix")
        harness.must(["cmake", "--install", harness.build_dir(), "--component", "sdk", "--prefix", cls.prefix], 120)
        cls.cmake_build = os.path.join(d, "cmake-consumer")
        # Only the prefix: no package registry, nothing from the source tree.
        harness.must(["cmake", "-S", os.path.join(harness.REPO_ROOT, "examples"), "-B", cls.cmake_build, "-G", "Ninja",
              f"-DCMAKE_PREFIX_PATH={cls.prefix}", "-DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF",
              "-DCMAKE_BUILD_TYPE=Release"], 120)
        harness.must(["cmake", "--build", cls.cmake_build, "-j2"], 600)
        cls.pkgconfig_program = os.path.join(d, "state-via-pkg-config")
        env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(cls.prefix, "lib", "pkgconfig"))
        flags = harness.must(["pkg-config", "--cflags", "--libs", "sluice"], 30, env=env).split()
        harness.must(["c++", "-std=c++20", "-o", cls.pkgconfig_program,
              os.path.join(harness.REPO_ROOT, "examples", "describe_live_stream_state.cpp"), *flags], 300)
        cls.flv = harness.make_small_flv(os.path.join(d, "small.flv"), seconds=2)

    def run_program(self, path, *args, expect_rc=0):
        return self.run_sdk_program(path, *args, access_key=AK, secret_key=SK, expect_rc=expect_rc)

    def test_installs_only_the_sdk(self):
        installed = sorted(os.path.relpath(os.path.join(root, f), self.prefix)
                           for root, _, files in os.walk(self.prefix) for f in files)
        for want in ("include/sluice/live_service.hpp", "lib/libsluice_sdk.a", "lib/libsluice_sign.a",
                     "lib/cmake/sluice/sluiceConfig.cmake", "lib/cmake/sluice/sluiceConfigVersion.cmake",
                     "lib/cmake/sluice/sluiceTargets.cmake", "lib/pkgconfig/sluice.pc"):
            self.assertIn(want, installed)
        self.assertFalse([f for f in installed if f.startswith("bin/")], installed)
        # The public header stands alone: it includes nothing of sluice's sources.
        with open(os.path.join(self.prefix, "include", "sluice", "live_service.hpp")) as f:
            includes = [line for line in f if line.startswith("#include")]
        self.assertTrue(all("<" in line and "sluice" not in line for line in includes), includes)

    def test_find_package_consumer_runs_every_action(self):
        program = lambda name: os.path.join(self.cmake_build, name)
        for name in EXAMPLES:
            self.assertTrue(os.access(program(name), os.X_OK), f"{name} was not built")
        pub = self.track(harness.start_flv_publisher(self.server.rtmp_url("inst1"), self.flv, self.tmp))
        self.wait_live("inst1")
        out, _ = self.run_program(program("describe_live_stream_state"), VHOST, "live", "inst1")
        self.assertEqual(out.strip(), "online push")
        out, _ = self.run_program(program("describe_live_stream_info_by_page"), "inst")
        self.assertIn(f"{VHOST}/live/inst1 since ", out)
        out, _ = self.run_program(program("kill_stream"), VHOST, "live", "inst1")
        self.assertIn("KillStream done", out)
        self.assertIsNotNone(wait_until(lambda: pub.poll() is not None, 5), "ffmpeg still pushing after the kill")
        harness.next_signing_second()  # else the same signed request: the first answer again
        _, err = self.run_program(program("kill_stream"), VHOST, "live", "inst1", expect_rc=1)
        self.assertIn("NotFound.Stream (404001, HTTP 404)", err)

    def test_pkg_config_consumer_runs(self):
        out, _ = self.run_program(self.pkgconfig_program, VHOST, "live", "nobody-here")
        self.assertEqual(out.strip(), "offline push")
        _, err = self.run_sdk_program(self.pkgconfig_program, VHOST, "live", "x", access_key=AK,
                                      secret_key=SK + "x", expect_rc=1)
        self.assertIn("SignatureDoesNotMatch", err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
