"""Shared helpers for sluice's end-to-end tests.

The tests drive the real `sluice` binary (path in $SLUICE_BIN) with the real
ffmpeg/ffprobe, on loopback ports the server picks itself (port 0).  Every
process started here is bounded by a timeout and killed through its Popen
handle when the test ends, also on failure.

Contents:
  * Server         - start/stop sluice, capture its log to a file, parse ports
  * E2ETestCase    - unittest base class: process cleanup, failure messages
                     that carry the tail of the server log
  * ffmpeg helpers - start_publisher, probe, capture, count_video_packets,
                     first_video_packets / first_video_packet_is_key
  * raw RTMP       - plain handshake, chunk encoding, AMF0, a small RTMP
                     connection (RtmpConn) and a threaded player (RawPlayer)
                     that records when each message arrived
  * management API - NodeApi (Volcengine's Node.js SDK via node/call.js), a
                     request signer written from the wire contract with
                     python_sdk_request / raw_api_request, ApiServer
                     (restartable on one data dir, stdout kept apart),
                     cheap publishers (start_flv_publisher, RawPublisher)
"""

import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURES_DIR = os.path.join(REPO_ROOT, "tests", "fixtures", "rtmp")

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
FFPROBE = shutil.which("ffprobe") or "/usr/bin/ffprobe"

LISTEN_RE = re.compile(r"(rtmp|http|api|metrics) listening on ([\d.]+):(\d+)")


def sluice_bin():
    path = os.environ.get("SLUICE_BIN")
    if not path:
        path = os.path.join(REPO_ROOT, "build", "src", "sluice")
    return path


def wait_until(predicate, timeout, interval=0.05):
    """Polls predicate() until it returns a truthy value or timeout passes.
    Returns the last value (falsy on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def next_signing_second():
    """Sleeps into the next whole second.

    A signed request carries its X-Date to the second, so the same write sent
    twice within one second is the same signed request and is answered from
    the replay cache (docs/api.md, "Replay-safe writes"). A test that means to
    run a write again signs it in the next second.
    """
    time.sleep(1.05 - time.time() % 1)


def kill_process(proc, grace=3.0):
    """Terminates a Popen we started (SIGTERM, then SIGKILL) and reaps it."""
    if proc is None:
        return None
    if proc.poll() is None:
        try:
            proc.terminate()
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            try:
                proc.kill()
            except ProcessLookupError:
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass
    return proc.returncode


def read_text(path, limit=None):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace")
    return text if limit is None else text[-limit:]


def tail_lines(text, n=40):
    lines = text.splitlines()
    return "\n".join(lines[-n:])


def run(cmd, timeout, **kwargs):
    """Runs a command to completion with a hard timeout.  Returns a
    CompletedProcess; on timeout the process is killed and returncode is None
    (stdout/stderr hold what was produced)."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)
    try:
        out, err = proc.communicate(timeout=timeout)
        return subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    except subprocess.TimeoutExpired:
        proc.kill()
        try:
            out, err = proc.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            out, err = b"", b""
        cp = subprocess.CompletedProcess(cmd, None, out, err)
        cp.timed_out = True
        return cp


# Set (by tests/CMakeLists.txt) when the binaries under test are built with
# ASan + UBSan. Memory figures then run higher: redzones around every block,
# and freed blocks held in quarantine instead of being reused at once.
SANITIZED = "ASAN_OPTIONS" in os.environ
# Set (by tests/CMakeLists.txt) when they are built with ThreadSanitizer (GCC's
# libtsan): every 8 bytes of application memory the server touches are
# shadowed by 32 (four 8-byte shadow cells), so RSS grows by about 5x what
# the server itself holds (a 32 MiB hold measured as 160 MiB of peak RSS).
TSAN_BUILD = os.environ.get("SLUICE_TSAN_BUILD") == "1"
SANITIZED_RSS_FACTOR = 3 if SANITIZED else 5 if TSAN_BUILD else 1

# What AddressSanitizer, LeakSanitizer and UBSan print on stderr (the server
# log) when sluice is built with -DSLUICE_SANITIZE=ON.
SANITIZER_REPORT_RE = re.compile(r"ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer|runtime error:")


def build_dir():
    """The build directory under test (set by ctest), or "" when run by hand."""
    return os.environ.get("SLUICE_BUILD_DIR", "")


def sluice_load_bin():
    """The load tool (a client: any build of it serves): SLUICE_LOAD_BIN (set by
    ctest when the bench is built), else the build under test's, else the
    default build's (the sanitized build has no bench); may not exist."""
    if os.environ.get("SLUICE_LOAD_BIN"):
        return os.environ["SLUICE_LOAD_BIN"]
    for build in (build_dir(), os.path.join(REPO_ROOT, "build")):
        path = os.path.join(build, "bench", "sluice-load") if build else ""
        if path and os.access(path, os.X_OK):
            return path
    return os.path.join(REPO_ROOT, "build", "bench", "sluice-load")


def must(cmd, timeout, **kwargs):
    """Runs cmd; its stdout as text, or an AssertionError with both outputs."""
    cp = run(cmd, timeout, **kwargs)
    if cp.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} -> {cp.returncode}\n"
                             f"{cp.stdout.decode(errors='replace')}\n{cp.stderr.decode(errors='replace')}")
    return cp.stdout.decode(errors="replace")


def sanitizer_reports(text, context_lines=30):
    """The sanitizer reports in a log, with the lines after each, or ""."""
    lines = text.splitlines()
    found = [i for i, line in enumerate(lines) if SANITIZER_REPORT_RE.search(line)]
    return "\n...\n".join("\n".join(lines[i:i + context_lines]) for i in found[:3])


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------

class ServerError(AssertionError):
    pass


class Server:
    """One sluice process with its own data dir and log file. The log
    (stderr) and stdout (the banner, generated keys: for a person, never
    the log) are kept apart, as a service manager keeps them: log() and
    stdout()."""

    def __init__(self, config_text=None, workdir=None):
        self.own_workdir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="sluice-e2e-")
        self.config_text = config_text
        self.proc = None
        self.rtmp_port = None
        self.http_port = None
        self.api_port = None
        self.metrics_port = None
        self.log_path = os.path.join(self.workdir, "sluice.log")
        self.stdout_path = os.path.join(self.workdir, "sluice.stdout")
        self.data_dir = os.path.join(self.workdir, "data")
        self.config_path = None

    def command(self):
        cmd = [sluice_bin(), "serve",
               "--rtmp-listen", "127.0.0.1:0",
               "--http-listen", "127.0.0.1:0",
               "--api-listen", "127.0.0.1:0",
               "--metrics-listen", "127.0.0.1:0",
               "--data-dir", self.data_dir,
               "--log-level", "debug"]
        if self.config_text is not None:
            self.config_path = os.path.join(self.workdir, "sluice.toml")
            with open(self.config_path, "w") as f:
                f.write(self.config_text)
            cmd += ["--config", self.config_path]
        return cmd

    def start(self, timeout=10.0):
        binary = sluice_bin()
        if not os.path.isfile(binary) or not os.access(binary, os.X_OK):
            raise ServerError(f"sluice binary not found or not executable: {binary} "
                              f"(set SLUICE_BIN)")
        os.makedirs(self.data_dir, exist_ok=True)
        stdout, stderr = self._open_output()
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                     stdout=stdout, stderr=stderr, cwd=self.workdir)
        return self._wait_listening(timeout)

    def _open_output(self):
        """(stdout, stderr) files for the next start: stdout apart from the log."""
        self._log_file = open(self.log_path, "wb")
        self._stdout_file = open(self.stdout_path, "wb")
        return self._stdout_file, self._log_file

    def _wait_listening(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ports = {}
            for kind, _addr, port in LISTEN_RE.findall(self.log()):
                ports[kind] = int(port)
            if "rtmp" in ports and "http" in ports and "api" in ports:
                self.rtmp_port = ports["rtmp"]
                self.http_port = ports["http"]
                self.api_port = ports["api"]
                self.metrics_port = ports.get("metrics")
                return self
            if self.proc.poll() is not None:
                raise ServerError(f"sluice exited with {self.proc.returncode} during startup:\n"
                                  f"{self.log_tail()}")
            time.sleep(0.05)
        self.kill()
        raise ServerError(f"sluice did not log 'rtmp/http/api listening on' "
                          f"within {timeout}s:\n{self.log_tail()}")

    def log(self):
        return read_text(self.log_path)

    def stdout(self):
        """What sluice printed on stdout (the banner), never part of log()."""
        return read_text(self.stdout_path)

    def wait_stdout(self, text, timeout):
        """Waits until stdout holds `text` (the banner comes after the listeners)."""
        return wait_until(lambda: text in self.stdout(), timeout)

    def log_size(self):
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def log_since(self, offset):
        try:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def log_tail(self, n=40):
        return f"--- tail of server log {self.log_path} ---\n{tail_lines(self.log(), n)}\n--- end ---"

    def wait_log(self, pattern, timeout, since=0):
        """Waits for a log line (after byte offset `since`) matching the regex.
        Returns the line or None."""
        rx = re.compile(pattern)

        def find():
            for line in self.log_since(since).splitlines():
                if rx.search(line):
                    return line
            return None
        return wait_until(find, timeout, 0.05)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=5.0):
        """Sends `sig` and waits up to `timeout`; returns (exit code, seconds)
        or (None, timeout) if it did not exit (it is then killed)."""
        if self.proc is None:
            return None, 0.0
        if self.proc.poll() is not None:
            return self.proc.returncode, 0.0
        start = time.monotonic()
        self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
            return rc, time.monotonic() - start
        except subprocess.TimeoutExpired:
            self.kill()
            return None, timeout

    def kill(self):
        if self.proc is not None:
            kill_process(self.proc, grace=2.0)
        for attr in ("_log_file", "_stdout_file"):
            f = getattr(self, attr, None)
            if f is not None:
                f.close()
                setattr(self, attr, None)

    def log_paths_written(self):
        return getattr(self, "log_paths", None) or [self.log_path]

    def cleanup(self):
        self.kill()
        # Read before the workdir goes: a sanitizer report fails the test.
        reports = sanitizer_reports("".join(read_text(p) for p in self.log_paths_written()))
        if self.own_workdir and not os.environ.get("SLUICE_E2E_KEEP"):
            shutil.rmtree(self.workdir, ignore_errors=True)
        if reports:
            raise ServerError(f"sluice reported memory errors or undefined behaviour:\n{reports}")

    def rtmp_url(self, stream, app="live"):
        return f"rtmp://127.0.0.1:{self.rtmp_port}/{app}/{stream}"

    def flv_url(self, stream, app="live"):
        return f"http://127.0.0.1:{self.http_port}/{app}/{stream}.flv"


def api_keys_toml(access_key, secret_key):
    """The [[api.keys]] table that gives a test server one known key pair."""
    return f'[[api.keys]]\naccess_key = "{access_key}"\nsecret_key = "{secret_key}"\n'


def config_toml(play_wait_timeout_ms=None, unpublish_grace_ms=None,
                handshake_timeout_ms=None, max_message_size=None):
    media, rtmp = [], []
    if play_wait_timeout_ms is not None:
        media.append(f"play_wait_timeout_ms = {play_wait_timeout_ms}")
    if unpublish_grace_ms is not None:
        media.append(f"unpublish_grace_ms = {unpublish_grace_ms}")
    if handshake_timeout_ms is not None:
        rtmp.append(f"handshake_timeout_ms = {handshake_timeout_ms}")
    if max_message_size is not None:
        rtmp.append(f"max_message_size = {max_message_size}")
    text = ""
    if media:
        text += "[media]\n" + "\n".join(media) + "\n"
    if rtmp:
        text += "[rtmp]\n" + "\n".join(rtmp) + "\n"
    return text


# --------------------------------------------------------------------------
# unittest base
# --------------------------------------------------------------------------

class E2ETestCase(unittest.TestCase):
    """Base class: one server per test class (config in CONFIG), a scratch
    directory per test, and cleanup of every process a test spawns."""

    CONFIG = None          # TOML text for the class's server, or None
    server = None

    @classmethod
    def setUpClass(cls):
        cls._class_dirs = []
        cls.server = Server(cls.CONFIG)
        try:
            cls.server.start()
            cls.prepare_class()
        except Exception:
            cls.tearDownClass()
            raise

    @classmethod
    def prepare_class(cls):
        """Class-wide set-up once the server is up (media files, peers);
        if it raises, everything made so far is torn down."""

    @classmethod
    def class_dir(cls, prefix):
        """A scratch directory for the whole class, removed in tearDownClass."""
        path = tempfile.mkdtemp(prefix=prefix)
        cls._class_dirs.append(path)
        return path

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.server is not None:
                cls.server.cleanup()
        finally:
            for path in getattr(cls, "_class_dirs", []):
                shutil.rmtree(path, ignore_errors=True)

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="e2e-" + self._testMethodName[:40] + "-")
        self._procs = []
        self.addCleanup(self._dump_log_on_error)
        self.addCleanup(self._cleanup_tmp)
        self.addCleanup(self._cleanup_procs)

    def _cleanup_procs(self):
        for proc in reversed(self._procs):
            try:
                proc.close() if isinstance(proc, (RawPlayer, RtmpConn)) else kill_process(proc)
            except Exception:
                pass

    def _cleanup_tmp(self):
        if not os.environ.get("SLUICE_E2E_KEEP"):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def track(self, proc):
        """Registers a Popen / RawPlayer / RtmpConn to be closed at test end."""
        self._procs.append(proc)
        return proc

    def publish_refused(self, url):
        """Runs an ffmpeg publisher to url; asserts it is refused (exits non-zero
        within 15 s); returns its log."""
        proc = self.track(start_publisher(url, self.tmp, seconds=20))
        try:
            rc = proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            rc = None
        log = read_text(proc.log_path, 1500)
        self.assertIsNotNone(rc, f"a push to {url} was not refused within 15 s: {log}")
        self.assertNotEqual(rc, 0, f"a push to {url} exited 0: {log}")
        return log

    # Every assertion failure carries the tail of the server log; for other
    # errors (exceptions) the tail is written to stderr.
    _LOG_MARK = "--- tail of server log"

    def _formatMessage(self, msg, standardMsg):
        text = super()._formatMessage(msg, standardMsg)
        if self.server is not None and self._LOG_MARK not in text:
            text += "\n" + self.server.log_tail(30)
        return text

    def fail(self, msg=None):
        if self.server is not None and (msg is None or self._LOG_MARK not in str(msg)):
            msg = f"{msg}\n{self.server.log_tail(30)}"
        raise self.failureException(msg)

    def _dump_log_on_error(self):
        outcome = getattr(self, "_outcome", None)
        errored = False
        if outcome is not None:
            result = getattr(outcome, "result", None)
            errored = any(test is self for test, _ in (getattr(result, "errors", None) or []))
            for _test, exc_info in (getattr(outcome, "errors", None) or []):  # Python < 3.11
                if exc_info is not None and not issubclass(exc_info[0], self.failureException):
                    errored = True
        if errored and self.server is not None:
            sys.stderr.write(f"\n{self.id()} raised an error; {self.server.log_tail(40)}\n")

    def path(self, name):
        return os.path.join(self.tmp, name)

    def run_sdk_program(self, path, *args, access_key, secret_key, expect_rc=0):
        """Runs a program built on the C++ SDK the way the examples read their
        set-up (SLUICE_ENDPOINT, VOLC_ACCESSKEY, VOLC_SECRETKEY) against this
        class's server; asserts its exit status and returns (stdout, stderr)."""
        env = dict(os.environ, SLUICE_ENDPOINT=f"127.0.0.1:{self.server.api_port}",
                   VOLC_ACCESSKEY=access_key, VOLC_SECRETKEY=secret_key)
        cp = run([path, *args], 15, env=env)
        out, err = cp.stdout.decode(errors="replace"), cp.stderr.decode(errors="replace")
        self.assertEqual(cp.returncode, expect_rc, f"{path} {args}: rc {cp.returncode}\n{out}\n{err}")
        return out, err

    def assertServerAlive(self):
        if not self.server.alive():
            self.fail(f"sluice is no longer running (exit code {self.server.proc.returncode})")

    def start_publisher(self, stream, **kwargs):
        return self.track(start_publisher(self.server.rtmp_url(stream), self.tmp, **kwargs))

    def wait_live(self, stream, timeout=15.0, app="live"):
        """Waits until a raw RTMP player of the stream receives a video frame."""
        ok, detail = wait_stream_live(self.server.rtmp_port, app, stream, timeout)
        if not ok:
            self.fail(f"stream {app}/{stream} did not go live within {timeout}s: {detail}")


# --------------------------------------------------------------------------
# ffmpeg / ffprobe
# --------------------------------------------------------------------------

def publisher_command(url, size="640x360", rate=25, gop=50, seconds=60, extra_out=None):
    cmd = [FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
           "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}",
           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
           "-t", str(seconds),
           "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
           "-g", str(gop), "-pix_fmt", "yuv420p",
           "-c:a", "aac", "-b:a", "64k"]
    if extra_out:
        cmd += extra_out
    cmd += ["-f", "flv", url]
    return cmd


_counter = [0]


def _log_name(workdir, prefix):
    _counter[0] += 1
    return os.path.join(workdir, f"{prefix}-{_counter[0]}.log")


def start_publisher(url, workdir, size="640x360", rate=25, gop=50, seconds=60):
    """Starts an ffmpeg pushing a generated test pattern (h264+aac) to url.
    The Popen has .log_path (its stderr)."""
    log_path = _log_name(workdir, "publisher")
    log = open(log_path, "wb")
    proc = subprocess.Popen(publisher_command(url, size, rate, gop, seconds),
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    proc.log_path = log_path
    return proc


def start_capture(url, seconds, out_path, workdir, stdin_pipe=False):
    """Starts `ffmpeg -i url -t seconds -c copy -f flv out_path` in the
    background.  With stdin_pipe, ffmpeg reads commands from stdin (write
    b"q" to stop it gracefully).  The Popen has .log_path."""
    log_path = _log_name(workdir, "capture")
    log = open(log_path, "wb")
    cmd = [FFMPEG, "-hide_banner", "-loglevel", "error", "-y"]
    if not stdin_pipe:
        cmd.append("-nostdin")
    cmd += ["-i", url]
    if seconds is not None:
        cmd += ["-t", str(seconds)]
    cmd += ["-c", "copy", "-f", "flv", out_path]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin_pipe else subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    proc.log_path = log_path
    return proc


def capture(url, seconds, out_path, timeout=None):
    """Records `seconds` of url into an FLV file (stream copy)."""
    if timeout is None:
        timeout = seconds + 20
    cmd = [FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
           "-i", url, "-t", str(seconds), "-c", "copy", "-f", "flv", out_path]
    return run(cmd, timeout)


def probe(url, timeout=20):
    """ffprobe -show_streams on url.  Returns (streams list or None, CompletedProcess)."""
    cmd = [FFPROBE, "-hide_banner", "-v", "error", "-show_streams", "-of", "json", url]
    cp = run(cmd, timeout)
    if cp.returncode != 0:
        return None, cp
    try:
        return json.loads(cp.stdout.decode("utf-8", "replace")).get("streams", []), cp
    except ValueError:
        return None, cp


def stream_summary(streams):
    """[(codec_type, codec_name, width, height)] for display and checks."""
    return [(s.get("codec_type"), s.get("codec_name"), s.get("width"), s.get("height"))
            for s in (streams or [])]


def count_video_packets(path, timeout=30):
    cmd = [FFPROBE, "-v", "error", "-count_packets", "-select_streams", "v",
           "-show_entries", "stream=nb_read_packets", "-of", "csv=p=0", path]
    cp = run(cmd, timeout)
    if cp.returncode != 0:
        return None
    text = cp.stdout.decode().strip().splitlines()
    try:
        return int(text[0].strip().rstrip(","))
    except (IndexError, ValueError):
        return None


def first_video_packets(source, count=5, timeout=20):
    """The first `count` video packets of a file or URL, as ffprobe dicts
    (with 'flags', 'pts_time', ...).  Returns (packets or None, CompletedProcess)."""
    cmd = [FFPROBE, "-v", "error", "-select_streams", "v", "-show_packets",
           "-read_intervals", f"%+#{count}", "-of", "json", source]
    cp = run(cmd, timeout)
    if cp.returncode != 0:
        return None, cp
    try:
        return json.loads(cp.stdout.decode("utf-8", "replace")).get("packets", []), cp
    except ValueError:
        return None, cp


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http_fetch(url, follow=True, timeout=15):
    """(status, headers, body) of a GET, without raising on 4xx/5xx; with
    follow=False a 3xx is returned as it is (the HLS session redirect)."""
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def first_video_packet_is_key(source, timeout=20):
    packets, cp = first_video_packets(source, 5, timeout)
    if not packets:
        return False, f"no packets (rc={cp.returncode}): {cp.stderr.decode(errors='replace')[-500:]}"
    flags = packets[0].get("flags", "")
    return flags.startswith("K"), f"first video packet flags={flags!r} packets={[p.get('flags') for p in packets]}"


# --------------------------------------------------------------------------
# Raw RTMP
# --------------------------------------------------------------------------

HANDSHAKE_SIZE = 1536


def make_c1():
    return struct.pack(">I", int(time.time()) & 0xFFFFFFFF) + b"\x00" * 4 + os.urandom(HANDSHAKE_SIZE - 8)


def recv_exact(sock, n, timeout=10.0):
    """Reads exactly n bytes or raises (ConnectionError on EOF, socket.timeout)."""
    buf = bytearray()
    deadline = time.monotonic() + timeout
    while len(buf) < n:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise socket.timeout(f"read {len(buf)} of {n} bytes")
        sock.settimeout(remaining)
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError(f"connection closed after {len(buf)} of {n} bytes")
        buf += chunk
    return bytes(buf)


def plain_handshake(sock, timeout=10.0):
    """Client side of the plain RTMP handshake. Returns (S0, S1, S2)."""
    c1 = make_c1()
    sock.sendall(b"\x03" + c1)
    s0 = recv_exact(sock, 1, timeout)
    s1 = recv_exact(sock, HANDSHAKE_SIZE, timeout)
    s2 = recv_exact(sock, HANDSHAKE_SIZE, timeout)
    sock.sendall(s1)  # C2 echoes S1
    return s0, s1, s2


def connect_tcp(port, timeout=5.0):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def wait_closed(sock, timeout):
    """Reads and discards until the peer closes (b'' or reset).  Returns the
    seconds it took, or None if the connection is still open at timeout."""
    start = time.monotonic()
    deadline = start + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        sock.settimeout(min(remaining, 0.5))
        try:
            data = sock.recv(65536)
        except socket.timeout:
            continue
        except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError):
            return time.monotonic() - start
        except OSError:
            return time.monotonic() - start
        if not data:
            return time.monotonic() - start


def chunk_fmt0(csid, timestamp, length, type_id, stream_id):
    """A fmt-0 chunk header (csid < 64, timestamp < 0xFFFFFF)."""
    assert 2 <= csid < 64
    return (bytes([csid]) + timestamp.to_bytes(3, "big") + length.to_bytes(3, "big") +
            bytes([type_id]) + struct.pack("<I", stream_id))


def encode_message(csid, type_id, stream_id, payload, timestamp=0, chunk_size=128):
    """Splits one RTMP message into chunks: fmt 0 first, fmt 3 continuations."""
    ts = min(timestamp, 0xFFFFFF)
    out = bytearray(chunk_fmt0(csid, ts, len(payload), type_id, stream_id))
    ext = struct.pack(">I", timestamp) if ts == 0xFFFFFF else b""
    out += ext
    out += payload[:chunk_size]
    pos = chunk_size
    while pos < len(payload):
        out += bytes([0xC0 | csid]) + ext
        out += payload[pos:pos + chunk_size]
        pos += chunk_size
    return bytes(out)


# AMF0 ---------------------------------------------------------------------

class Amf0:
    @staticmethod
    def encode(value):
        if value is None:
            return b"\x05"
        if isinstance(value, bool):
            return b"\x01" + (b"\x01" if value else b"\x00")
        if isinstance(value, (int, float)):
            return b"\x00" + struct.pack(">d", float(value))
        if isinstance(value, str):
            data = value.encode()
            if len(data) > 0xFFFF:
                return b"\x0c" + struct.pack(">I", len(data)) + data
            return b"\x02" + struct.pack(">H", len(data)) + data
        if isinstance(value, dict):
            out = bytearray(b"\x03")
            for k, v in value.items():
                kb = k.encode()
                out += struct.pack(">H", len(kb)) + kb + Amf0.encode(v)
            out += b"\x00\x00\x09"
            return bytes(out)
        raise TypeError(f"cannot AMF0-encode {type(value)}")

    @staticmethod
    def encode_all(*values):
        return b"".join(Amf0.encode(v) for v in values)

    @staticmethod
    def decode_all(data):
        values, pos = [], 0
        while pos < len(data):
            try:
                value, pos = Amf0._decode(data, pos)
            except (IndexError, struct.error, ValueError):
                break
            values.append(value)
        return values

    @staticmethod
    def _props(data, pos):
        obj = {}
        while True:
            (klen,) = struct.unpack_from(">H", data, pos)
            pos += 2
            if klen == 0 and data[pos] == 0x09:
                return obj, pos + 1
            key = data[pos:pos + klen].decode("utf-8", "replace")
            pos += klen
            obj[key], pos = Amf0._decode(data, pos)

    @staticmethod
    def _decode(data, pos):
        marker = data[pos]
        pos += 1
        if marker == 0x00:
            return struct.unpack_from(">d", data, pos)[0], pos + 8
        if marker == 0x01:
            return data[pos] != 0, pos + 1
        if marker == 0x02:
            (n,) = struct.unpack_from(">H", data, pos)
            return data[pos + 2:pos + 2 + n].decode("utf-8", "replace"), pos + 2 + n
        if marker == 0x0C:
            (n,) = struct.unpack_from(">I", data, pos)
            return data[pos + 4:pos + 4 + n].decode("utf-8", "replace"), pos + 4 + n
        if marker == 0x03:
            return Amf0._props(data, pos)
        if marker == 0x08:
            return Amf0._props(data, pos + 4)
        if marker in (0x05, 0x06):
            return None, pos
        if marker == 0x0A:
            (n,) = struct.unpack_from(">I", data, pos)
            pos += 4
            arr = []
            for _ in range(n):
                v, pos = Amf0._decode(data, pos)
                arr.append(v)
            return arr, pos
        if marker == 0x0B:
            return struct.unpack_from(">d", data, pos)[0], pos + 10
        raise ValueError(f"unsupported AMF0 marker {marker:#x}")


class RtmpMessage:
    __slots__ = ("type", "stream_id", "timestamp", "payload", "csid", "recv_time")

    def __init__(self, type_id, stream_id, timestamp, payload, csid, recv_time):
        self.type = type_id
        self.stream_id = stream_id
        self.timestamp = timestamp
        self.payload = payload
        self.csid = csid
        self.recv_time = recv_time

    def command(self):
        """Decoded AMF0 values for a command/data message (type 20/18/17/15)."""
        data = self.payload
        if self.type in (15, 17) and data[:1] == b"\x00":
            data = data[1:]
        return Amf0.decode_all(data)

    def status_code(self):
        if self.type not in (20, 17):
            return None
        values = self.command()
        if len(values) >= 4 and values[0] == "onStatus" and isinstance(values[3], dict):
            return values[3].get("code")
        return None

    def is_video_keyframe(self):
        return self.type == 9 and len(self.payload) >= 1 and (self.payload[0] >> 4) == 1

    def is_avc_sequence_header(self):
        return self.type == 9 and len(self.payload) >= 2 and (self.payload[0] & 0x0F) == 7 and self.payload[1] == 0

    def is_aac_sequence_header(self):
        return self.type == 8 and len(self.payload) >= 2 and (self.payload[0] >> 4) == 10 and self.payload[1] == 0

    def is_coded_video(self):
        """A video frame that is not a sequence header."""
        return self.type == 9 and len(self.payload) >= 2 and not self.is_avc_sequence_header()

    def __repr__(self):
        return (f"RtmpMessage(type={self.type}, sid={self.stream_id}, ts={self.timestamp}, "
                f"len={len(self.payload)}, head={self.payload[:2].hex()})")


class ChunkReader:
    """Incremental RTMP chunk stream parser (either direction).  feed() bytes,
    then next_message() returns complete messages, or None when more bytes are
    needed.  Set Chunk Size messages in the stream are applied.  .offset is
    the number of bytes consumed so far."""

    def __init__(self):
        self.buf = bytearray()
        self.offset = 0
        self.chunk_size = 128
        self.state = {}

    def feed(self, data):
        self.buf += data

    def next_message(self, now=None):
        while True:
            result = self._one_chunk()
            if result is None:
                return None
            if result is not True:
                msg = result
                if now is not None:
                    msg.recv_time = now
                if msg.type == 1 and len(msg.payload) >= 4:
                    self.chunk_size = struct.unpack(">I", msg.payload[:4])[0] & 0x7FFFFFFF
                return msg

    def _one_chunk(self):
        """Parses one whole chunk if buffered.  Returns None (need more),
        True (chunk consumed, message incomplete) or the completed message."""
        buf, pos = self.buf, 0
        if len(buf) < 1:
            return None
        b0 = buf[0]
        fmt, csid = b0 >> 6, b0 & 0x3F
        pos = 1
        if csid == 0:
            if len(buf) < 2:
                return None
            csid, pos = 64 + buf[1], 2
        elif csid == 1:
            if len(buf) < 3:
                return None
            csid, pos = 64 + buf[1] + buf[2] * 256, 3
        prev = self.state.get(csid)
        st = dict(prev) if prev else {"ts": 0, "delta": 0, "len": 0, "type": 0, "sid": 0,
                                       "buf": b"", "ext": False}
        new_message = len(st["buf"]) == 0
        header_len = {0: 11, 1: 7, 2: 3, 3: 0}[fmt]
        if len(buf) < pos + header_len:
            return None
        h = bytes(buf[pos:pos + header_len])
        pos += header_len
        if fmt == 0:
            ts = int.from_bytes(h[0:3], "big")
            st["len"] = int.from_bytes(h[3:6], "big")
            st["type"] = h[6]
            st["sid"] = struct.unpack("<I", h[7:11])[0]
            st["ext"] = ts == 0xFFFFFF
        elif fmt in (1, 2):
            ts = int.from_bytes(h[0:3], "big")
            if fmt == 1:
                st["len"] = int.from_bytes(h[3:6], "big")
                st["type"] = h[6]
            st["ext"] = ts == 0xFFFFFF
        else:
            ts = None
        if st["ext"]:
            if len(buf) < pos + 4:
                return None
            ext_value = struct.unpack(">I", bytes(buf[pos:pos + 4]))[0]
            pos += 4
            if ts is not None:
                ts = ext_value
        if fmt == 0:
            st["ts"], st["delta"] = ts, 0
        elif fmt in (1, 2):
            st["delta"] = ts
            st["ts"] = (st["ts"] + ts) & 0xFFFFFFFF
        elif new_message:
            st["ts"] = (st["ts"] + st["delta"]) & 0xFFFFFFFF
        need = min(self.chunk_size, st["len"] - len(st["buf"]))
        if len(buf) < pos + need:
            return None
        st["buf"] = st["buf"] + bytes(buf[pos:pos + need])
        pos += need
        del self.buf[:pos]
        self.offset += pos
        if len(st["buf"]) < st["len"]:
            self.state[csid] = st
            return True
        msg = RtmpMessage(st["type"], st["sid"], st["ts"], st["buf"], csid, time.monotonic())
        st["buf"] = b""
        self.state[csid] = st
        return msg


def parse_c2s_file(path):
    """Parses a recorded client-to-server byte stream (C0+C1+C2, then
    chunks).  Returns (data, [(message, end_offset_in_file)])."""
    with open(path, "rb") as f:
        data = f.read()
    start = 1 + 2 * HANDSHAKE_SIZE
    reader = ChunkReader()
    reader.feed(data[start:])
    out = []
    while True:
        msg = reader.next_message()
        if msg is None:
            break
        out.append((msg, start + reader.offset))
    return data, out


class RtmpConn:
    """A minimal RTMP client connection: plain handshake, chunk (de)muxing,
    protocol control handling (chunk size, acknowledgements, pings)."""

    def __init__(self, port, timeout=5.0):
        self.sock = connect_tcp(port, timeout)
        self.out_chunk_size = 128
        self.window = 0
        self.received = 0
        self.acked = 0
        self.reader = ChunkReader()
        self.closed = False
        self.txn = 0
        self._send_lock = threading.Lock()

    def close(self):
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass

    def handshake(self, timeout=10.0):
        return plain_handshake(self.sock, timeout)

    def send(self, csid, type_id, stream_id, payload, timestamp=0):
        data = encode_message(csid, type_id, stream_id, payload, timestamp, self.out_chunk_size)
        with self._send_lock:
            self.sock.sendall(data)

    def set_chunk_size(self, size):
        self.send(2, 1, 0, struct.pack(">I", size))
        self.out_chunk_size = size

    def command(self, name, *args, stream_id=0, csid=3):
        self.txn += 1
        self.send(csid, 20, stream_id, Amf0.encode_all(name, float(self.txn), *args))
        return self.txn

    # reading ---------------------------------------------------------------
    def read_message(self, timeout=10.0):
        """Returns the next complete message (protocol control messages are
        handled here, and returned too).  Raises socket.timeout or
        ConnectionError."""
        deadline = time.monotonic() + timeout
        while True:
            msg = self.reader.next_message()
            if msg is not None:
                self._handle_control(msg)
                return msg
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise socket.timeout("read timeout")
            self.sock.settimeout(min(remaining, 1.0))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                raise ConnectionError("connection closed by server")
            self.received += len(data)
            self.reader.feed(data)
            if self.window and self.received - self.acked >= self.window // 2:
                self.acked = self.received
                self.send(2, 3, 0, struct.pack(">I", self.received & 0xFFFFFFFF))

    def _handle_control(self, msg):
        if msg.type == 5 and len(msg.payload) >= 4:
            self.window = struct.unpack(">I", msg.payload[:4])[0]
        elif msg.type == 4 and len(msg.payload) >= 6:
            event = struct.unpack(">H", msg.payload[:2])[0]
            if event == 6:  # ping request -> ping response
                self.send(2, 4, 0, struct.pack(">H", 7) + msg.payload[2:6])

    def wait_result(self, txn, timeout=10.0):
        """Reads until the _result/_error of transaction txn. Returns the AMF values."""
        deadline = time.monotonic() + timeout
        while True:
            msg = self.read_message(max(0.01, deadline - time.monotonic()))
            if msg.type in (20, 17):
                values = msg.command()
                if len(values) >= 2 and values[0] in ("_result", "_error") and values[1] == txn:
                    return values

    def connect(self, app, port=None, timeout=10.0):
        tc_url = f"rtmp://127.0.0.1:{port or 1935}/{app}"
        txn = self.command("connect", {
            "app": app, "flashVer": "LNX 9,0,124,2", "tcUrl": tc_url, "fpad": False,
            "capabilities": 15.0, "audioCodecs": 4071.0, "videoCodecs": 252.0,
            "videoFunction": 1.0})
        values = self.wait_result(txn, timeout)
        if values[0] != "_result":
            raise ConnectionError(f"connect refused: {values}")
        return values

    def create_stream(self, timeout=10.0):
        txn = self.command("createStream", None)
        values = self.wait_result(txn, timeout)
        if values[0] != "_result" or len(values) < 4:
            raise ConnectionError(f"createStream failed: {values}")
        return int(values[3])

    def play(self, stream_id, name, play_args=(-2000.0,)):
        """play(name, *play_args): Start and Duration in milliseconds, as
        clients put them on the wire (ffmpeg's default is Start -2000)."""
        # Set Buffer Length (user control event 3) as real players do.
        self.send(2, 4, 0, struct.pack(">HII", 3, stream_id, 3000))
        self.txn += 1
        self.send(8, 20, stream_id, Amf0.encode_all("play", 0.0, None, name, *play_args))


class RawPlayer:
    """An RTMP player in a background thread recording every message it gets
    (with arrival time), status codes, and when the connection closed."""

    def __init__(self, port, app, stream, connect_timeout=10.0, play_args=(-2000.0,)):
        self.port, self.app, self.stream = port, app, stream
        self.play_args = play_args
        self.messages = []
        self.lock = threading.Lock()
        self.error = None
        self.closed_at = None
        self.play_sent_at = None
        self.conn = None
        self._stop = False
        self._connect_timeout = connect_timeout
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def _run(self):
        try:
            self.conn = RtmpConn(self.port, self._connect_timeout)
            self.conn.handshake(self._connect_timeout)
            self.conn.connect(self.app, self.port, self._connect_timeout)
            sid = self.conn.create_stream(self._connect_timeout)
            self.play_sent_at = time.monotonic()
            self.conn.play(sid, self.stream, self.play_args)
            while not self._stop:
                try:
                    msg = self.conn.read_message(timeout=0.5)
                except socket.timeout:
                    continue
                with self.lock:
                    self.messages.append(msg)
        except (ConnectionError, OSError) as e:
            if not self._stop:
                self.error = e
        except Exception as e:  # noqa: BLE001 - recorded for the test to report
            self.error = e
        finally:
            if self.closed_at is None and not self._stop:
                self.closed_at = time.monotonic()

    def close(self):
        self._stop = True
        if self.conn is not None:
            self.conn.close()
        self.thread.join(timeout=3)

    def snapshot(self):
        with self.lock:
            return list(self.messages)

    def is_closed(self):
        return self.closed_at is not None

    def video(self, since=None):
        return [m for m in self.snapshot() if m.type == 9 and (since is None or m.recv_time >= since)]

    def coded_video(self, since=None):
        return [m for m in self.video(since) if m.is_coded_video()]

    def statuses(self):
        return [(m.recv_time, m.status_code()) for m in self.snapshot() if m.status_code()]

    def wait_video_frames(self, n, timeout, since=None):
        """Waits for n coded video frames (received at/after `since`)."""
        wait_until(lambda: len(self.coded_video(since)) >= n or self.is_closed(), timeout, 0.02)
        return len(self.coded_video(since)) >= n

    def wait_status(self, code, timeout):
        def find():
            for t, c in self.statuses():
                if c == code:
                    return t
            return None
        return wait_until(find, timeout, 0.02)

    def wait_status_matching(self, predicate, timeout):
        """Waits for an onStatus whose code satisfies predicate; returns its arrival time or None."""
        def find():
            for t, c in self.statuses():
                if predicate(c):
                    return t
            return None
        return wait_until(find, timeout, 0.02)

    def describe(self):
        msgs = self.snapshot()
        kinds = {}
        for m in msgs:
            kinds[m.type] = kinds.get(m.type, 0) + 1
        return (f"RawPlayer({self.app}/{self.stream}): {len(msgs)} messages by type {kinds}, "
                f"statuses={[c for _, c in self.statuses()]}, closed={self.is_closed()}, error={self.error!r}")


def wait_stream_live(port, app, stream, timeout=15.0):
    """Plays the stream with RawPlayers until one gets a coded video frame.
    Returns (True, detail) or (False, detail)."""
    deadline = time.monotonic() + timeout
    detail = "no attempt"
    while time.monotonic() < deadline:
        player = RawPlayer(port, app, stream).start()
        try:
            wait_until(lambda: player.coded_video() or player.is_closed(),
                            max(0.1, deadline - time.monotonic()), 0.02)
            if player.coded_video():
                return True, player.describe()
            detail = player.describe()
        finally:
            player.close()
        time.sleep(0.2)
    return False, detail


# --------------------------------------------------------------------------
# Management API (Volcengine Live OpenAPI 2023-01-01): clients and helpers
# --------------------------------------------------------------------------
#
#   * NodeApi         - calls an action with Volcengine's own Node.js SDK
#                       (@volcengine/openapi, through node/call.js), one short
#                       Node process per call
#   * volc_* signer   - the request signature written from the wire contract
#                       (docs/api-contract.md), and python_sdk_request(): a
#                       request shaped like Volcengine's Python SDK's
#   * ApiServer       - a Server that can be restarted on the same data dir
#                       and keeps stdout (a generated key is printed there)
#                       apart from the log (stderr)
#   * make_small_flv / read_flv_tags / start_flv_publisher / RawPublisher -
#                       cheap publishers for tests that need many streams

import hashlib
import hmac
import http.client
import urllib.parse
from datetime import datetime, timezone

NODE = shutil.which("node") or "/usr/bin/node"
NPM = shutil.which("npm") or "/usr/bin/npm"
NODE_DIR = os.path.join(HERE, "node")
NODE_CALL = os.path.join(NODE_DIR, "call.js")
API_VERSION = "2023-01-01"


def ensure_node_sdk(timeout=300):
    """Makes sure node/node_modules holds @volcengine/openapi (runs `npm ci`
    once if it is missing).  Raises AssertionError with the reason otherwise."""
    if not os.path.isfile(NODE):
        raise AssertionError(f"node not found ({NODE}); run scripts/install-deps.sh --test")
    sdk = os.path.join(NODE_DIR, "node_modules", "@volcengine", "openapi", "package.json")
    if os.path.isfile(sdk):
        return
    cp = run([NPM, "ci", "--no-audit", "--no-fund", "--loglevel=error"], timeout, cwd=NODE_DIR)
    if cp.returncode != 0 or not os.path.isfile(sdk):
        raise AssertionError(f"npm ci in {NODE_DIR} failed (rc={cp.returncode}): "
                             f"{(cp.stdout + cp.stderr).decode(errors='replace')[-1500:]}")


def rfc3339(t):
    """Unix seconds -> 'YYYY-MM-DDTHH:MM:SSZ' (UTC)."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def parse_rfc3339(text):
    """An RFC 3339 time (any offset, optional fraction) -> Unix seconds (float)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"RFC 3339 time without an offset: {text!r}")
    return value.timestamp()


class ApiResult:
    """One API response: HTTP status and the decoded JSON envelope."""

    def __init__(self, status, body, error=None, raw=None, headers=None):
        self.status = status
        self.body = body
        self.error = error          # transport/SDK error text, if any
        self.raw = raw              # raw response bytes/text when known
        self.headers = headers      # request headers the client sent, when known

    @property
    def metadata(self):
        if not isinstance(self.body, dict):
            return {}
        return self.body.get("ResponseMetadata") or {}

    @property
    def api_error(self):
        return self.metadata.get("Error")

    @property
    def code(self):
        err = self.api_error
        return err.get("Code") if isinstance(err, dict) else None

    @property
    def coden(self):
        err = self.api_error
        return err.get("CodeN") if isinstance(err, dict) else None

    @property
    def result(self):
        return self.body.get("Result") if isinstance(self.body, dict) else None

    @property
    def ok(self):
        return self.status == 200 and isinstance(self.body, dict) and self.api_error is None

    def describe(self, limit=1500):
        text = json.dumps(self.body, sort_keys=True) if self.body is not None else repr(self.raw)
        if len(text) > limit:
            text = text[:limit] + "..."
        extra = f" error={self.error[-600:]!r}" if self.error else ""
        return f"HTTP {self.status}: {text}{extra}"

    def __repr__(self):
        return f"ApiResult({self.describe(400)})"


class NodeApi:
    """Calls sluice's API with Volcengine's Node.js SDK.  GET actions go
    through service.createAPI(..., {method: "GET"}), POST ones through
    service.createJSONAPI.  One `node call.js --serve` process answers the
    calls in order (a call that takes longer than `timeout` kills it; the next
    call starts a new one).  close() ends it."""

    GET_ACTIONS = {"DescribeLiveStreamInfoByPage", "DescribeClosedStreamInfoByPage",
                   "DescribeForbiddenStreamInfoByPage", "DescribeLiveStreamState"}

    def __init__(self, port, ak, sk, region="cn-north-1", timeout=20.0):
        self.port, self.ak, self.sk, self.region, self.timeout = port, ak, sk, region, timeout
        self.proc = None
        self._buf = b""
        self._stderr_path = None

    def _start(self):
        fd, self._stderr_path = tempfile.mkstemp(prefix="node-call-", suffix=".log")
        with os.fdopen(fd, "wb") as err:
            self.proc = subprocess.Popen([NODE, NODE_CALL, "--serve"], cwd=NODE_DIR,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        self._buf = b""

    def _stderr(self):
        return read_text(self._stderr_path, 800) if self._stderr_path else ""

    def close(self):
        if self.proc is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                pass
            kill_process(self.proc)
            self.proc = None
        if self._stderr_path:
            try:
                os.unlink(self._stderr_path)
            except OSError:
                pass
            self._stderr_path = None

    def _read_line(self, deadline):
        import select
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buf:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            readable, _, _ = select.select([fd], [], [], remaining)
            if readable:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return None
                self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return line

    def call(self, action, params=None, method=None, **overrides):
        """overrides: ak, sk, region, sessionToken, dateOffsetSeconds, version,
        showHeaders (see node/call.js)."""
        if method is None:
            method = "GET" if action in self.GET_ACTIONS else "POST"
        req = {"host": f"127.0.0.1:{self.port}", "ak": self.ak, "sk": self.sk,
               "region": self.region, "action": action, "method": method,
               "params": params if params is not None else {}}
        req.update(overrides)
        if self.proc is None or self.proc.poll() is not None:
            self.close()
            self._start()
        try:
            self.proc.stdin.write((json.dumps(req) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except OSError as e:
            err = self._stderr()
            self.close()
            return ApiResult(None, None, f"node call.js is gone ({e}); stderr: {err}")
        line = self._read_line(time.monotonic() + self.timeout)
        if line is None:
            err = self._stderr()
            self.close()
            return ApiResult(None, None, f"node call.js gave no answer within {self.timeout}s "
                                         f"for {action}; stderr: {err}")
        try:
            data = json.loads(line.decode("utf-8", "replace"))
        except ValueError:
            return ApiResult(None, None, f"node call.js printed {line[-500:]!r}")
        return ApiResult(data.get("status"), data.get("body"), data.get("error"),
                         headers=data.get("headers"))

    def get(self, action, **params):
        return self.call(action, params, "GET")

    def post(self, action, **params):
        return self.call(action, params, "POST")


# The signature, from the wire contract ------------------------------------

class NodeApiTestCase(E2ETestCase):
    """An E2ETestCase whose class has `api`: a NodeApi (Volcengine's Node.js
    SDK) signing with the class's AK and SK, closed after the class."""

    AK = None
    SK = None

    @classmethod
    def setUpClass(cls):
        ensure_node_sdk()
        cls.api = None
        super().setUpClass()

    @classmethod
    def prepare_class(cls):
        cls.api = NodeApi(cls.server.api_port, cls.AK, cls.SK)

    @classmethod
    def tearDownClass(cls):
        if cls.api is not None:
            cls.api.close()
        super().tearDownClass()

    def tearDown(self):
        self.assertServerAlive()


def volc_rfc3986(text):
    """RFC 3986 encoding: only A-Z a-z 0-9 - _ . ~ stay bare; UTF-8, upper-case hex."""
    return urllib.parse.quote(text, safe="-_.~")


def volc_canonical_query(pairs):
    """pairs: DECODED (key, value) pairs -> sorted, re-encoded, '&'-joined."""
    encoded = sorted((volc_rfc3986(k), volc_rfc3986(v)) for k, v in pairs)
    return "&".join(f"{k}={v}" for k, v in encoded)


def _hmac_sha256(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def volc_signing_key(sk, date, region, service="live"):
    """HMAC chain from the raw secret (no prefix): date -> region -> service -> 'request'."""
    key = _hmac_sha256(sk.encode("utf-8"), date)
    for part in (region, service, "request"):
        key = _hmac_sha256(key, part)
    return key


def volc_sign(method, path, query_pairs, headers, signed_headers, body, ak, sk,
              region="cn-north-1", service="live", scope_date=None):
    """Returns (Authorization value, canonical request, string to sign).
    headers: {name: value} as sent (must hold X-Date); signed_headers: the
    lower-case names to sign; query_pairs: DECODED pairs; body: bytes."""
    lower = {k.lower(): v for k, v in headers.items()}
    x_date = lower["x-date"]
    names = sorted(h.lower() for h in signed_headers)
    canon_headers = "".join(f"{n}:{' '.join(str(lower.get(n, '')).split())}\n" for n in names)
    canonical = "\n".join([method.upper(), path, volc_canonical_query(query_pairs), canon_headers,
                           ";".join(names), hashlib.sha256(body).hexdigest()])
    date = scope_date or x_date[:8]
    scope = f"{date}/{region}/{service}/request"
    to_sign = "\n".join(["HMAC-SHA256", x_date, scope,
                         hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    signature = hmac.new(volc_signing_key(sk, date, region, service), to_sign.encode("utf-8"),
                         hashlib.sha256).hexdigest()
    auth = f"HMAC-SHA256 Credential={ak}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}"
    return auth, canonical, to_sign


def volc_x_date(t=None):
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if t is None else t))


def signed_api_call(action, params, ak, sk, method="POST", host="127.0.0.1", x_date=None,
                    query_action=None):
    """(target, headers, body) of one OpenAPI call signed as Volcengine's
    Python SDK signs it: content-type (POST), host, x-content-sha256, x-date.
    query_action puts another Action in the query than the one meant (tests
    of a mismatched action); the headers include Host."""
    query = [("Action", query_action if query_action is not None else action),
             ("Version", API_VERSION)]
    body = b""
    if method == "GET":
        query += [(k, str(v)) for k, v in params.items()]
    else:
        body = json.dumps(params).encode("utf-8")
    headers = {"Host": host, "X-Date": x_date or volc_x_date(),
               "X-Content-Sha256": hashlib.sha256(body).hexdigest()}
    signed = ["host", "x-content-sha256", "x-date"]
    if method == "POST":
        headers["Content-Type"] = "application/json"
        signed = ["content-type"] + signed
    headers["Authorization"] = volc_sign(method, "/", query, headers, signed, body, ak, sk)[0]
    return "/?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote), headers, body


def raw_api_request(port, method, path_and_query, headers=None, body=b"", timeout=10.0):
    """One plain HTTP request to the API listener -> ApiResult (body decoded
    as JSON when it is JSON)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        hdrs = dict(headers or {})
        if not any(k.lower() == "host" for k in hdrs):
            hdrs["Host"] = f"127.0.0.1:{port}"
        conn.request(method, path_and_query, body=body if body else None, headers=hdrs)
        resp = conn.getresponse()
        raw = resp.read()
        status = resp.status
    except (OSError, http.client.HTTPException) as e:
        return ApiResult(None, None, f"{type(e).__name__}: {e}")
    finally:
        conn.close()
    try:
        body_json = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        body_json = None
    return ApiResult(status, body_json, raw=raw)


def python_sdk_request(port, ak, sk, action, params=None, method="GET", region="cn-north-1",
                       x_date=None, version=API_VERSION, sign_sk=None, sign=True, timeout=10.0):
    """A request shaped like the one Volcengine's Python SDK sends: query not
    sorted (Action, Version, then the parameters in order), '+' for a space
    and %2A for '*'; GET signs host;x-content-sha256;x-date, POST signs
    content-type;host;x-content-sha256;x-date over a JSON body."""
    params = params or {}
    method = method.upper()
    query = [("Action", action), ("Version", version)]
    if method == "GET":
        query += [(k, str(v)) for k, v in params.items()]
        body = b""
    else:
        body = json.dumps(params).encode("utf-8")
    wire_query = urllib.parse.urlencode(query)  # quote_plus: ' ' -> '+', '*' -> %2A
    headers = {"Host": f"127.0.0.1:{port}", "X-Date": x_date or volc_x_date(),
               "X-Content-Sha256": hashlib.sha256(body).hexdigest()}
    signed = ["host", "x-content-sha256", "x-date"]
    if method != "GET":
        headers["Content-Type"] = "application/json"
        signed = ["content-type"] + signed
    if sign:
        headers["Authorization"] = volc_sign(method, "/", query, headers, signed, body, ak,
                                             sign_sk if sign_sk is not None else sk, region)[0]
    return raw_api_request(port, method, "/?" + wire_query, headers, body, timeout)


def read_api_key_file(data_dir):
    """(access_key, secret_key) from <data_dir>/api-key.toml, or (None, None)."""
    text = read_text(os.path.join(data_dir, "api-key.toml"))
    ak = re.search(r'^\s*access_key\s*=\s*"([^"]*)"', text, re.M)
    sk = re.search(r'^\s*secret_key\s*=\s*"([^"]*)"', text, re.M)
    return (ak.group(1) if ak else None), (sk.group(1) if sk else None)


class ApiServer(Server):
    """A Server that can be started again on the same data dir: each start
    gets its own log file (stderr) and stdout file (sluice prints a generated
    API key on stdout), kept in log_paths / stdout_paths."""

    def __init__(self, config_text=None, workdir=None):
        super().__init__(config_text, workdir)
        self.starts = 0
        self.log_paths = []
        self.stdout_paths = []
        self._stdout_file = None

    def _open_output(self):
        self._close_files()
        self.starts += 1
        self.log_path = os.path.join(self.workdir, f"sluice-{self.starts}.log")
        self.stdout_path = os.path.join(self.workdir, f"sluice-{self.starts}.stdout")
        self.log_paths.append(self.log_path)
        self.stdout_paths.append(self.stdout_path)
        self._log_file = open(self.log_path, "wb")
        self._stdout_file = open(self.stdout_path, "wb")
        return self._stdout_file, self._log_file

    def _close_files(self):
        for attr in ("_log_file", "_stdout_file"):
            f = getattr(self, attr, None)
            if f is not None:
                try:
                    f.close()
                except OSError:
                    pass
                setattr(self, attr, None)

    def sigkill(self, timeout=5.0):
        """SIGKILL (no chance to clean up); returns the exit status."""
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGKILL)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def all_logs(self):
        return "".join(read_text(p) for p in self.log_paths)

    def all_stdout(self):
        return "".join(read_text(p) for p in self.stdout_paths)

    def kill(self):
        super().kill()
        self._close_files()


# Cheap publishers -------------------------------------------------------------

def make_small_flv(path, seconds=2, size="160x90", rate=10, gop=10, audio=True, timeout=60):
    """Encodes a tiny H.264(+AAC) FLV once, for stream-copy or raw publishers."""
    cmd = [FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
           "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}"]
    if audio:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"]
    cmd += ["-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", str(gop),
            "-pix_fmt", "yuv420p"]
    cmd += ["-c:a", "aac", "-b:a", "32k"] if audio else ["-an"]
    cmd += ["-f", "flv", path]
    cp = run(cmd, timeout)
    if cp.returncode != 0 or not os.path.isfile(path):
        raise AssertionError(f"ffmpeg could not make {path} (rc={cp.returncode}): "
                             f"{cp.stderr.decode(errors='replace')[-800:]}")
    return path


def start_flv_publisher(url, flv_path, workdir, loop=True):
    """ffmpeg -re [-stream_loop -1] -i flv -c copy -f flv url: a real ffmpeg
    push that costs almost no CPU.  The Popen has .log_path."""
    log_path = _log_name(workdir, "flvpub")
    log = open(log_path, "wb")
    cmd = [FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-re"]
    if loop:
        cmd += ["-stream_loop", "-1"]
    cmd += ["-i", flv_path, "-c", "copy", "-f", "flv", url]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log)
    log.close()
    proc.log_path = log_path
    return proc


def read_flv_tags(path):
    """[(type, timestamp_ms, payload)] of an FLV file's audio/video tags."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:3] != b"FLV":
        raise ValueError(f"{path} is not FLV")
    pos = struct.unpack(">I", data[5:9])[0] + 4
    tags = []
    while pos + 11 <= len(data):
        tag_type = data[pos] & 0x1F
        size = int.from_bytes(data[pos + 1:pos + 4], "big")
        ts = int.from_bytes(data[pos + 4:pos + 7], "big") | (data[pos + 7] << 24)
        payload = data[pos + 11:pos + 11 + size]
        if len(payload) < size:
            break
        if tag_type in (8, 9):
            tags.append((tag_type, ts, payload))
        pos += 11 + size + 4
    return tags


class RawPublisher:
    """A minimal RTMP publisher (plain handshake, connect, createStream,
    publish) that sends the audio/video tags of an FLV at real-time pace in a
    loop from a background thread.  Cheap enough for dozens of streams.
    .status is the onStatus code the publish got; .closed_at is set when the
    server closes the connection."""

    def __init__(self, port, app, name, tags):
        self.port, self.app, self.name, self.tags = port, app, name, tags
        self.status = None
        self.closed_at = None
        self.error = None
        self.conn = None
        self._stop = False
        self.thread = None

    def publish(self, timeout=10.0):
        """Connects and publishes; returns the onStatus code (also on refusal).
        On NetStream.Publish.Start the media thread starts."""
        deadline = time.monotonic() + timeout
        self.conn = RtmpConn(self.port, timeout)
        self.conn.handshake(timeout)
        self.conn.connect(self.app, self.port, timeout)
        self.conn.set_chunk_size(65536)
        sid = self.conn.create_stream(timeout)
        self.sid = sid
        self.conn.txn += 1
        self.conn.send(8, 20, sid, Amf0.encode_all("publish", float(self.conn.txn), None, self.name, "live"))
        while self.status is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise socket.timeout(f"no onStatus for publish {self.app}/{self.name} within {timeout}s")
            try:
                msg = self.conn.read_message(remaining)
            except ConnectionError:
                self.closed_at = time.monotonic()
                self.status = "closed-before-status"
                break
            code = msg.status_code()
            if code:
                self.status = code
        if self.status == "NetStream.Publish.Start":
            self.thread = threading.Thread(target=self._run, daemon=True)
            self.thread.start()
        return self.status

    def _run(self):
        import select
        tags = self.tags
        duration = (tags[-1][1] + 100) if tags else 1000
        start = time.monotonic()
        loop = 0
        i = 0
        try:
            while not self._stop:
                ttype, ts, payload = tags[i]
                ts_out = ts + loop * duration
                due = start + ts_out / 1000.0
                # wait until due, watching for the server closing the connection
                while not self._stop:
                    wait = due - time.monotonic()
                    readable, _, _ = select.select([self.conn.sock], [], [], max(0.0, min(wait, 0.2)))
                    if readable:
                        data = self.conn.sock.recv(65536)
                        if not data:
                            raise ConnectionError("closed by server")
                        self.conn.reader.feed(data)
                        while self.conn.reader.next_message() is not None:
                            pass
                    if wait <= 0:
                        break
                if self._stop:
                    break
                self.conn.send(6 if ttype == 9 else 4, ttype, self.sid, payload, ts_out)
                i += 1
                if i == len(tags):
                    i = 0
                    loop += 1
        except (OSError, ConnectionError) as e:
            if not self._stop:
                self.closed_at = time.monotonic()
                self.error = e

    def is_closed(self):
        return self.closed_at is not None

    def close(self):
        self._stop = True
        if self.conn is not None:
            self.conn.close()
        if self.thread is not None:
            self.thread.join(timeout=3)


if __name__ == "__main__":
    sys.exit("harness.py is a library; run the test_*.py files")
