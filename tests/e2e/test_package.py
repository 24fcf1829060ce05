#!/usr/bin/env python3
"""The Debian packages as CPack builds them from the build directory under
test (scripts/package.sh does the same), inspected, never installed:
file lists and control data with dpkg-deb, the maintainer scripts run
against logging stand-ins for adduser, systemctl and the rest (nothing on
this machine changes), the unit checked by systemd-analyze where it exists,
and the packaged binary, config and man page tried for real.

Also `cmake --install --prefix` of the same build: the binary lands in
PREFIX/bin and nothing outside the prefix is written."""
import gzip
import os
import re
import shutil
import stat
import subprocess
import tempfile
import unittest

import harness
from harness import E2ETestCase

SYSTEMD_RUNNING = os.path.isdir("/run/systemd/system")
# What the maintainer scripts may call; each stand-in logs its arguments.
STAND_INS = ("adduser", "addgroup", "getent", "dpkg-statoverride", "mkdir", "chown", "chmod", "rm",
             "deb-systemd-helper", "deb-systemd-invoke", "systemctl")


def control_fields(text):
    """dpkg-deb -I's control part as {field: value} (continuation lines joined)."""
    fields, last = {}, None
    for line in text.splitlines():
        m = re.match(r"^ ([A-Za-z-]+): ?(.*)$", line)
        if m:
            last = m.group(1)
            fields[last] = m.group(2)
        elif last and line.startswith("  "):
            fields[last] += "\n" + line.strip()
    return fields


def listing(deb):
    """dpkg-deb -c as {path: (mode string, owner)}."""
    entries = {}
    for line in harness.must(["dpkg-deb", "-c", deb], 30).splitlines():
        parts = line.split()
        path = parts[5].lstrip(".")
        entries[path.rstrip("/") or "/"] = (parts[0], parts[1])
    return entries


def unit_settings(text):
    """[Section] Key=Value lines of a unit file as {(section, key): [values]}."""
    settings, section = {}, None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        settings.setdefault((section, key), []).append(value)
    return settings


class PackageTest(E2ETestCase):

    @classmethod
    def setUpClass(cls):
        build = harness.build_dir()
        if not os.path.isfile(os.path.join(build, "CPackConfig.cmake")):
            raise unittest.SkipTest("SLUICE_BUILD_DIR is not a configured build (no CPackConfig.cmake)")
        for tool in ("cpack", "dpkg-deb", "dpkg-shlibdeps", "dpkg"):
            if not shutil.which(tool):
                raise unittest.SkipTest(f"{tool} is not installed (scripts/install-deps.sh)")
        cls.work = tempfile.mkdtemp(prefix="e2e-package-")
        try:
            cls.make_packages(build)
        except Exception:
            shutil.rmtree(cls.work, ignore_errors=True)
            raise
        # The class's server runs on the packaged config (ports and data dir
        # overridden by the harness's flags): the conffile is a valid config.
        cls.CONFIG = harness.read_text(os.path.join(cls.root, "etc", "sluice", "sluice.toml"))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        try:
            super().tearDownClass()
        finally:
            shutil.rmtree(cls.work, ignore_errors=True)

    @classmethod
    def make_packages(cls, build):
        out = os.path.join(cls.work, "out")
        harness.must(["cpack", "-G", "DEB", "--config", os.path.join(build, "CPackConfig.cmake"), "-B", out], 180)
        cls.version = harness.must([harness.sluice_bin(), "version"], 10).split()[-1]
        cls.arch = harness.must(["dpkg", "--print-architecture"], 10).strip()
        cls.debs = sorted(f for f in os.listdir(out) if f.endswith(".deb"))
        cls.deb = os.path.join(out, f"sluice_{cls.version}_{cls.arch}.deb")
        cls.dev_deb = os.path.join(out, f"sluice-dev_{cls.version}_{cls.arch}.deb")
        cls.root = os.path.join(cls.work, "root")
        cls.control = os.path.join(cls.work, "control")
        if os.path.isfile(cls.deb):
            harness.must(["dpkg-deb", "-x", cls.deb, cls.root], 60)
            harness.must(["dpkg-deb", "-e", cls.deb, cls.control], 30)

    def test_packages_are_named_name_version_arch(self):
        self.assertEqual(self.debs, [f"sluice-dev_{self.version}_{self.arch}.deb",
                                     f"sluice_{self.version}_{self.arch}.deb"])

    def test_server_package_holds_the_binary_unit_config_man_page_and_copyright(self):
        files = listing(self.deb)
        for path, mode in (("/usr/bin/sluice", "-rwxr-xr-x"),
                           ("/lib/systemd/system/sluice.service", "-rw-r--r--"),
                           ("/etc/sluice/sluice.toml", "-rw-r--r--"),
                           ("/usr/share/man/man1/sluice.1.gz", "-rw-r--r--"),
                           ("/usr/share/doc/sluice/copyright", "-rw-r--r--")):
            self.assertIn(path, files)
            self.assertEqual(files[path], (mode, "root/root"), path)
        # The SDK is sluice-dev's; a server host gets no headers or archives.
        self.assertFalse([p for p in files if p.startswith("/usr/include") or p.endswith(".a")], files)

    def test_packaged_binary_runs_and_has_the_package_version(self):
        out = harness.must([os.path.join(self.root, "usr", "bin", "sluice"), "version"], 10)
        self.assertEqual(out.strip(), f"sluice {self.version}")

    def test_control_names_the_package_and_its_dependencies(self):
        fields = control_fields(harness.must(["dpkg-deb", "-I", self.deb], 30))
        self.assertEqual(fields["Package"], "sluice")
        self.assertEqual(fields["Version"], self.version)
        self.assertEqual(fields["Architecture"], self.arch)
        self.assertTrue(fields.get("Maintainer"))
        self.assertIn("live-streaming", fields["Description"])
        depends = [d.strip().split()[0] for d in fields.get("Depends", "").split(",") if d.strip()]
        # dpkg-shlibdeps found the libraries the binary links; postinst needs adduser.
        for package in ("libc6", "libstdc++6", "libsqlite3-0", "libcurl4", "libssl3", "adduser"):
            self.assertIn(package, depends, fields.get("Depends"))

    def test_unit_runs_sluice_as_its_own_user_hardened(self):
        with open(os.path.join(self.root, "lib", "systemd", "system", "sluice.service")) as f:
            unit = unit_settings(f.read())
        want = {
            "User": "sluice",
            "ExecStart": "/usr/bin/sluice serve --config /etc/sluice/sluice.toml",
            "ReadWritePaths": "/var/lib/sluice",
            "NoNewPrivileges": "yes",
            "ProtectSystem": "strict",
            "PrivateTmp": "yes",
            "Restart": "on-failure",
            "StandardError": "journal",
        }
        for key, value in want.items():
            self.assertEqual(unit.get(("Service", key)), [value], key)
        self.assertGreaterEqual(int(unit[("Service", "LimitNOFILE")][0]), 65536)
        self.assertEqual(unit.get(("Install", "WantedBy")), ["multi-user.target"])

    def test_systemd_analyze_accepts_the_unit(self):
        analyze = shutil.which("systemd-analyze")
        if not analyze:
            self.skipTest("systemd-analyze is not installed")
        # The package is not installed, so ExecStart points at the packaged
        # binary where it was unpacked; every other line is verified as shipped.
        with open(os.path.join(self.root, "lib", "systemd", "system", "sluice.service")) as f:
            unit = f.read()
        packaged_binary = os.path.join(self.root, "usr", "bin", "sluice")
        unit = unit.replace("ExecStart=/usr/bin/sluice ", f"ExecStart={packaged_binary} ")
        self.assertIn(packaged_binary, unit)
        path = self.path("sluice.service")
        with open(path, "w") as f:
            f.write(unit)
        cp = harness.run([analyze, "verify", "--man=no", path], 60)
        text = (cp.stdout + cp.stderr).decode(errors="replace")
        self.assertEqual(cp.returncode, 0, text)
        # Unknown keys and bad values are only warnings: none may name the unit.
        self.assertNotIn("sluice.service", text)

    def test_config_is_the_documented_example_with_data_in_var_lib(self):
        with open(os.path.join(harness.REPO_ROOT, "config", "sluice.example.toml")) as f:
            example = f.read().splitlines()
        packaged = self.CONFIG.splitlines()
        differing = [(a, b) for a, b in zip(example, packaged) if a != b]
        self.assertEqual(len(example), len(packaged))
        self.assertEqual(differing, [('data_dir = "./sluice-data"      # state lives here (created if missing)',
                                      'data_dir = "/var/lib/sluice"      # state lives here (created if missing)')])
        self.assertServerAlive()  # started on that file

    def test_conffiles_and_script_modes(self):
        with open(os.path.join(self.control, "conffiles")) as f:
            self.assertEqual(f.read().split(), ["/etc/sluice/sluice.toml"])
        for script in ("postinst", "prerm", "postrm"):
            mode = stat.S_IMODE(os.stat(os.path.join(self.control, script)).st_mode)
            self.assertEqual(mode, 0o755, script)
            harness.must(["sh", "-n", os.path.join(self.control, script)], 10)

    def run_script(self, script, *args, users_exist=False):
        """Runs a maintainer script with only the logging stand-ins on PATH;
        returns the commands it ran, one string each."""
        bin_dir = os.path.join(self.tmp, "bin")
        os.makedirs(bin_dir, exist_ok=True)
        log = os.path.join(self.tmp, "calls.log")
        for name in STAND_INS:
            status = 0
            if name == "getent" and not users_exist:
                status = 2  # getent's "no such key"
            if name == "dpkg-statoverride":
                status = 1  # no override
            if name == "deb-systemd-helper":
                status = 0  # was-enabled: true on a first install
            path = os.path.join(bin_dir, name)
            with open(path, "w") as f:
                f.write(f'#!/bin/sh\necho "${{0##*/}} $*" >> "{log}"\nexit {status}\n')
            os.chmod(path, 0o755)
        if os.path.exists(log):
            os.remove(log)
        cp = harness.run(["/bin/sh", os.path.join(self.control, script), *args], 10,
                         env={"PATH": bin_dir}, cwd=self.tmp)
        self.assertEqual(cp.returncode, 0, (cp.stdout + cp.stderr).decode(errors="replace"))
        return harness.read_text(log).splitlines()

    def test_postinst_creates_the_system_user_and_its_data_dir(self):
        calls = self.run_script("postinst", "configure", "")
        self.assertIn("addgroup --system --quiet sluice", calls)
        adduser = [c for c in calls if c.startswith("adduser ")]
        self.assertEqual(len(adduser), 1, calls)
        for part in ("--system", "--ingroup sluice", "--home /var/lib/sluice", "--no-create-home",
                     "--shell /usr/sbin/nologin"):
            self.assertIn(part, adduser[0])
        self.assertTrue(adduser[0].endswith(" sluice"), adduser[0])
        self.assertIn("chown sluice:sluice /var/lib/sluice", calls)
        self.assertIn("chmod 0750 /var/lib/sluice", calls)
        self.assertIn("deb-systemd-helper enable sluice.service", calls)
        # daemon-reload and start only where systemd runs.
        self.assertEqual("systemctl --system daemon-reload" in calls, SYSTEMD_RUNNING, calls)
        self.assertEqual("deb-systemd-invoke start sluice.service" in calls, SYSTEMD_RUNNING, calls)

    def test_postinst_again_keeps_the_existing_user(self):
        calls = self.run_script("postinst", "configure", "0.0.1", users_exist=True)
        self.assertFalse([c for c in calls if c.startswith(("adduser", "addgroup"))], calls)
        self.assertIn("chown sluice:sluice /var/lib/sluice", calls)

    def test_postrm_deletes_the_data_only_on_purge(self):
        removed = self.run_script("postrm", "remove")
        self.assertFalse([c for c in removed if c.startswith("rm ")], removed)
        purged = self.run_script("postrm", "purge")
        self.assertIn("rm -rf /var/lib/sluice", purged)
        # The system user stays (Debian keeps them: its uid may still own files).
        self.assertFalse([c for c in removed + purged if "deluser" in c or "userdel" in c])

    def test_man_page_covers_every_serve_flag_and_subcommand(self):
        with gzip.open(os.path.join(self.root, "usr", "share", "man", "man1", "sluice.1.gz"), "rt") as f:
            page = f.read().replace("\\-", "-")
        serve_help = harness.must([harness.sluice_bin(), "serve", "--help"], 10)
        flags = set(re.findall(r"(--[a-z][a-z-]+)", serve_help)) - {"--help"}
        self.assertIn("--config", flags)
        self.assertEqual(sorted(f for f in flags if f not in page), [])
        top_help = harness.must([harness.sluice_bin(), "--help"], 10)
        subcommands = re.findall(r"^\s{2}([a-z]+)\s{2,}", top_help.split("Subcommands:")[-1], re.M)
        self.assertIn("serve", subcommands)
        self.assertEqual(sorted(s for s in subcommands if f"sluice {s}" not in page), [])
        for sub in subcommands:
            sub_help = harness.must([harness.sluice_bin(), sub, "--help"], 10)
            undocumented = sorted(set(re.findall(r"(--[a-z][a-z-]+)", sub_help)) - {"--help"} - set(
                re.findall(r"(--[a-z][a-z-]+)", page)))
            self.assertEqual(undocumented, [], f"sluice {sub}")
        groff = shutil.which("groff")
        if groff:
            cp = harness.run([groff, "-man", "-ww", "-z", "-Tutf8",
                              os.path.join(harness.REPO_ROOT, "docs", "sluice.1")], 30)
            self.assertEqual((cp.returncode, cp.stderr.decode(errors="replace")), (0, ""))

    def test_copyright_is_the_mit_licence(self):
        with open(os.path.join(harness.REPO_ROOT, "LICENSE")) as f:
            licence = f.read()
        self.assertIn("Copyright (c) 2026 the sluice authors", licence)
        self.assertTrue(licence.startswith("MIT License"))
        with open(os.path.join(self.root, "usr", "share", "doc", "sluice", "copyright")) as f:
            self.assertEqual(f.read(), licence)

    def test_dev_package_holds_the_sdk_and_nothing_of_the_server(self):
        files = listing(self.dev_deb)
        for path in ("/usr/include/sluice/live_service.hpp", "/usr/lib/libsluice_sdk.a",
                     "/usr/lib/libsluice_sign.a", "/usr/lib/cmake/sluice/sluiceConfig.cmake",
                     "/usr/lib/pkgconfig/sluice.pc", "/usr/share/doc/sluice-dev/copyright"):
            self.assertIn(path, files)
        # Both can be installed together: no file is in both.
        server_files = {p for p, (mode, _) in listing(self.deb).items() if not mode.startswith("d")}
        self.assertEqual({p for p, (mode, _) in files.items() if not mode.startswith("d")} & server_files,
                         set())
        fields = control_fields(harness.must(["dpkg-deb", "-I", self.dev_deb], 30))
        self.assertEqual(fields["Package"], "sluice-dev")
        self.assertIn("libcurl4-openssl-dev", fields["Depends"])

    def test_cmake_install_prefix_puts_sluice_in_bin_and_nothing_outside(self):
        destdir = os.path.join(self.tmp, "destdir")
        prefix = os.path.join(self.tmp, "prefix")
        harness.must(["cmake", "--install", harness.build_dir(), "--prefix", prefix], 120,
             env=dict(os.environ, DESTDIR=destdir))
        written = sorted(os.path.relpath(os.path.join(d, f), destdir)
                         for d, _, names in os.walk(destdir) for f in names)
        inside = os.path.relpath(prefix, "/") + os.sep
        self.assertEqual([w for w in written if not w.startswith(inside)], [])
        installed = {w[len(inside):] for w in written}
        for path in ("bin/sluice", "share/man/man1/sluice.1.gz", "share/doc/sluice/copyright",
                     "include/sluice/live_service.hpp"):
            self.assertIn(path, installed)
        out = harness.must([os.path.join(destdir, inside, "bin", "sluice"), "version"], 10)
        self.assertEqual(out.strip(), f"sluice {self.version}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
