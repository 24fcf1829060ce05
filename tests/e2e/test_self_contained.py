"""The repository stands on its own: no tracked file points outside it.

A user's clone has nothing beside it, so a test, a bench script or a code
comment that reads ../shared (or any sibling folder) works only on the
machine it was written on. .ci/run proves the suite passes from a fresh clone
in an empty folder; this test names the offending line at once.
"""
import os
import re
import subprocess
import unittest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUTSIDE = re.compile(r"\.\./shared\b|\.\./\.\./shared\b|/work/shared\b")


def tracked_files():
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=REPO_ROOT, check=True,
                             capture_output=True).stdout
        return [p for p in out.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for root, dirs, names in os.walk(REPO_ROOT):
            dirs[:] = [d for d in dirs if d not in (".git", "node_modules") and
                       not d.startswith("build")]
            files += [os.path.relpath(os.path.join(root, n), REPO_ROOT) for n in names]
        return files


class SelfContainedTest(unittest.TestCase):
    def test_no_file_points_outside_the_repository(self):
        offenders = []
        for rel in tracked_files():
            if rel == "tests/e2e/test_self_contained.py":
                continue
            try:
                with open(os.path.join(REPO_ROOT, rel), encoding="utf-8") as f:
                    for number, line in enumerate(f, 1):
                        if OUTSIDE.search(line):
                            offenders.append(f"{rel}:{number}: {line.strip()[:120]}")
            except (UnicodeDecodeError, IsADirectoryError, FileNotFoundError):
                continue
        self.assertEqual(offenders, [])

    def test_fixtures_the_tests_read_are_here(self):
        for rel in ("tests/fixtures/rtmp/ffmpeg-publish.c2s",
                    "tests/fixtures/rtmp/gstreamer-rtmp2sink-publish.c2s",
                    "tests/fixtures/rtmp/ffmpeg-play.c2s",
                    "tests/fixtures/rtmp/librtmp-play.c2s",
                    "tests/fixtures/sign/sign-vectors.json",
                    "bench/peers/start-nginx-rtmp.sh"):
            self.assertTrue(os.path.isfile(os.path.join(REPO_ROOT, rel)), rel)


if __name__ == "__main__":
    unittest.main()
