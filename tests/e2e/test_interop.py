"""Interop matrix: real RTMP stacks other than ffmpeg against sluice.

Publishers {ffmpeg, GStreamer rtmp2sink, an OBS-like command sequence} x
players {ffmpeg, rtmpdump --live, GStreamer rtmp2src, HTTP-FLV}: every player
records decodable H.264 and ends the way that client expects once the
publisher unpublishes (ffmpeg and rtmpdump exit 0 on UnpublishNotify,
rtmp2src reaches EOS, the HTTP-FLV body ends cleanly after the grace).
One publisher feeds all four players at once.

And the play command's Start and Duration (RTMP spec 7.2.2.1): rtmpdump
--stop N gets N seconds of media and exits 0, --start plays live, Duration 0
is a single frame.
"""

import os
import shutil
import struct
import subprocess
import threading
import time
import unittest
import urllib.request

import harness
from harness import (FFPROBE, Amf0, E2ETestCase, RawPlayer, RtmpConn, first_video_packets,
                     kill_process, make_small_flv, read_flv_tags, read_text, run, start_capture,
                     start_flv_publisher, wait_until)

GST_LAUNCH = shutil.which("gst-launch-1.0") or "/usr/bin/gst-launch-1.0"
RTMPDUMP = shutil.which("rtmpdump") or "/usr/bin/rtmpdump"

GRACE_MS = 1000
PUBLISH_SECONDS = 8   # media each matrix publisher sends
PLAYER_END_TIMEOUT = 20  # after the publisher is done: grace + slack on a loaded machine


def _popen_logged(cmd, workdir, prefix, env=None):
    log_path = harness._log_name(workdir, prefix)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=env)
    proc.log_path = log_path
    return proc


def video_probe(path):
    """(codec names by type, video packet count, video media seconds) of a recording."""
    cp = run([FFPROBE, "-v", "error", "-show_entries", "stream=codec_type,codec_name",
              "-of", "csv=p=0", path], 30)
    codecs = {}
    for line in cp.stdout.decode(errors="replace").split():
        parts = line.split(",")
        if len(parts) >= 2:
            codecs[parts[1]] = parts[0]
    cp = run([FFPROBE, "-v", "error", "-select_streams", "v", "-show_entries",
              "packet=pts_time,duration_time", "-of", "csv=p=0", path], 30)
    times = []
    for line in cp.stdout.decode(errors="replace").split():
        parts = line.split(",")
        try:
            times.append((float(parts[0]), _float_or_zero(parts[1] if len(parts) > 1 else "")))
        except ValueError:
            continue  # a packet without a timestamp
    span = (max(t for t, _ in times) - min(t for t, _ in times) + times[-1][1]) if times else 0.0
    return codecs, len(times), span


def _float_or_zero(text):
    try:
        return float(text)
    except ValueError:
        return 0.0


# --------------------------------------------------------------------------
# Publishers
# --------------------------------------------------------------------------

def gstreamer_publisher(url, workdir, seconds=PUBLISH_SECONDS):
    """videotestsrc ! x264enc ! flvmux ! rtmp2sink with AAC audio; -e sends
    EOS at the end, on which rtmp2sink unpublishes (FCUnpublish, deleteStream)."""
    frames = seconds * 25
    audio_buffers = seconds * 44100 // 1024
    cmd = [GST_LAUNCH, "-e",
           "videotestsrc", "is-live=true", f"num-buffers={frames}", "!",
           "video/x-raw,width=320,height=180,framerate=25/1", "!",
           "x264enc", "speed-preset=ultrafast", "tune=zerolatency", "key-int-max=25", "!",
           "h264parse", "!", "queue", "!", "flvmux", "name=mux", "streamable=true", "!",
           "rtmp2sink", f"location={url}",
           "audiotestsrc", "is-live=true", "samplesperbuffer=1024", f"num-buffers={audio_buffers}", "!",
           "audioconvert", "!", "voaacenc", "!", "aacparse", "!", "queue", "!", "mux."]
    return _popen_logged(cmd, workdir, "gst-publisher")


class ObsLikePublisher:
    """OBS's publish sequence (libobs rtmp-stream over its librtmp): connect
    with an FMLE flashVer, Set Chunk Size 4096, releaseStream, FCPublish,
    createStream, publish, @setDataFrame onMetaData, media at real-time pace,
    then FCUnpublish and deleteStream before closing."""

    def __init__(self, port, app, name, tags, seconds=PUBLISH_SECONDS):
        self.port, self.app, self.name, self.tags, self.seconds = port, app, name, tags, seconds
        self.status = None
        self.error = None
        self.done = threading.Event()
        self.conn = None
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def _call(self, name, *args, stream_id=0):
        return self.conn.command(name, *args, stream_id=stream_id)

    def _run(self):
        try:
            self.conn = RtmpConn(self.port, 10)
            self.conn.handshake(10)
            tc_url = f"rtmp://127.0.0.1:{self.port}/{self.app}"
            txn = self._call("connect", {
                "app": self.app, "type": "nonprivate",
                "flashVer": "FMLE/3.0 (compatible; FMSc/1.0)", "swfUrl": tc_url, "tcUrl": tc_url})
            if self.conn.wait_result(txn, 10)[0] != "_result":
                raise ConnectionError("connect refused")
            self.conn.set_chunk_size(4096)
            self._call("releaseStream", None, self.name)
            self._call("FCPublish", None, self.name)
            sid = int(self.conn.wait_result(self._call("createStream", None), 10)[3])
            self.conn.txn += 1
            self.conn.send(4, 20, sid, Amf0.encode_all("publish", float(self.conn.txn), None,
                                                       self.name, "live"))
            deadline = time.monotonic() + 10
            while self.status is None and time.monotonic() < deadline:
                self.status = self.conn.read_message(10).status_code()
            if self.status != "NetStream.Publish.Start":
                raise ConnectionError(f"publish answered {self.status}")
            self._send_metadata(sid)
            self._send_media(sid)
            self._call("FCUnpublish", None, self.name)
            self._call("deleteStream", None, float(sid))
            time.sleep(0.2)  # as OBS does not wait for replies either
        except (OSError, ConnectionError) as e:
            self.error = e
        finally:
            if self.conn is not None:
                self.conn.close()
            self.done.set()

    def _send_metadata(self, sid):
        props = [("duration", 0.0), ("width", 320.0), ("height", 180.0), ("videocodecid", 7.0),
                 ("audiocodecid", 10.0), ("framerate", 25.0), ("encoder", "obs-output module")]
        body = b"".join(struct.pack(">H", len(k)) + k.encode() + Amf0.encode(v) for k, v in props)
        ecma = b"\x08" + struct.pack(">I", len(props)) + body + b"\x00\x00\x09"
        self.conn.send(5, 18, sid, Amf0.encode_all("@setDataFrame", "onMetaData") + ecma)

    def _send_media(self, sid):
        tags = self.tags
        loop_ms = tags[-1][1] + 40
        start = time.monotonic()
        i, loops = 0, 0
        while not self._stop:
            kind, ts, payload = tags[i]
            ts += loops * loop_ms
            if ts >= self.seconds * 1000:
                return
            delay = start + ts / 1000.0 - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.conn.send(6 if kind == 9 else 4, kind, sid, payload, ts)
            i += 1
            if i == len(tags):
                i, loops = 0, loops + 1

    def poll(self):
        return 0 if self.done.is_set() else None

    def close(self):
        self._stop = True
        self.thread.join(timeout=5)
        if self.conn is not None:
            self.conn.close()


# --------------------------------------------------------------------------
# Players
# --------------------------------------------------------------------------

class HttpFlvRecorder:
    """Reads an HTTP-FLV body into a file until the server ends it;
    .clean is True when the chunked body ended properly (no reset, no cut)."""

    def __init__(self, url, path):
        self.url, self.path = url, path
        self.clean = None
        self.error = None
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self._response = None

    def start(self):
        self.thread.start()
        return self

    def _run(self):
        try:
            with urllib.request.urlopen(self.url, timeout=30) as response, \
                    open(self.path, "wb") as out:
                self._response = response
                while True:
                    data = response.read(65536)
                    if not data:
                        break
                    out.write(data)
            self.clean = True
        except Exception as e:  # noqa: BLE001 - recorded for the test to report
            self.error = e
            self.clean = False
        finally:
            self.done.set()

    def close(self):
        if self._response is not None and not self.done.is_set():
            try:
                self._response.close()
            except Exception:  # noqa: BLE001
                pass


def rtmpdump_command(url, out_path, *extra):
    return [RTMPDUMP, "-q", "-r", url, "-o", out_path, *extra]


def gst_player_command(url, out_path):
    # rtmp2src hands out the FLV stream itself; the file is what it received.
    return [GST_LAUNCH, "-e", "rtmp2src", f"location={url}", "!", "filesink",
            f"location={out_path}"]


# rtmp2src (1.22) also turns a dropped connection into EOS; its INFO log
# tells the clean end (the server's Stream EOF) apart.
GST_PLAYER_ENV = dict(os.environ, GST_DEBUG="rtmp2src:4", GST_DEBUG_NO_COLOR="1")


class InteropMatrixTest(E2ETestCase):
    CONFIG = harness.config_toml(play_wait_timeout_ms=10000, unpublish_grace_ms=GRACE_MS)

    @classmethod
    def prepare_class(cls):
        for tool in (GST_LAUNCH, RTMPDUMP):
            if not os.access(tool, os.X_OK):
                raise AssertionError(f"{tool} is missing: run scripts/install-deps.sh --test")
        cls.media_dir = cls.class_dir("interop-media-")
        flv = make_small_flv(os.path.join(cls.media_dir, "obs.flv"), seconds=4, size="320x180",
                             rate=25, gop=25)
        cls.obs_tags = read_flv_tags(flv)

    def tearDown(self):
        self.assertServerAlive()

    def play_all(self, name, publisher, expect_audio=True):
        """Starts the four players on a live stream, lets the publisher end,
        and checks what each recorded and how each ended."""
        self.wait_live(name, timeout=20)
        url, flv_url = self.server.rtmp_url(name), self.server.flv_url(name)
        out = {p: self.path(f"{p}.flv") for p in ("ffmpeg", "rtmpdump", "gst", "httpflv")}
        players = {
            "ffmpeg": self.track(start_capture(url, None, out["ffmpeg"], self.tmp)),
            "rtmpdump": self.track(_popen_logged(rtmpdump_command(url, out["rtmpdump"], "--live"),
                                                 self.tmp, "rtmpdump")),
            "gst": self.track(_popen_logged(gst_player_command(url, out["gst"]), self.tmp,
                                            "gst-player", GST_PLAYER_ENV)),
        }
        http = HttpFlvRecorder(flv_url, out["httpflv"]).start()
        self.addCleanup(http.close)

        self.assertTrue(wait_until(lambda: publisher.poll() is not None, PUBLISH_SECONDS + 25),
                        f"{name}: the publisher did not finish")
        publisher_done = time.monotonic()
        if hasattr(publisher, "log_path"):
            self.assertEqual(publisher.returncode, 0,
                             f"{name} publisher: {read_text(publisher.log_path, 1500)}")
        self.assertTrue(self.server.wait_log(rf"live/{name} unpublished \(normal\)", 10),
                        f"{name}: the server saw no clean unpublish")

        ended = {}
        for player, proc in players.items():
            try:
                proc.wait(timeout=max(1, publisher_done + PLAYER_END_TIMEOUT - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            ended[player] = proc.returncode
        self.assertTrue(http.done.wait(max(1, publisher_done + PLAYER_END_TIMEOUT - time.monotonic())),
                        f"{name}: the HTTP-FLV body did not end")
        logs = {p: read_text(proc.log_path) for p, proc in players.items()}

        # How each client ends when the publisher leaves.
        self.assertEqual(ended["ffmpeg"], 0, f"{name}/ffmpeg player: {logs['ffmpeg'][-1500:]}")
        self.assertEqual(ended["rtmpdump"], 0, f"{name}/rtmpdump: {logs['rtmpdump'][-1500:]}")
        self.assertEqual(ended["gst"], 0, f"{name}/rtmp2src: {logs['gst'][-1500:]}")
        self.assertIn("went EOS", logs["gst"],
                      f"{name}/rtmp2src got no Stream EOF: {logs['gst'][-1500:]}")
        self.assertIn("Got EOS from element", logs["gst"], f"{name}/rtmp2src: {logs['gst'][-1500:]}")
        self.assertTrue(http.clean, f"{name}/HTTP-FLV body did not end cleanly: {http.error!r}")

        # What each recorded: decodable H.264 (and AAC), several seconds of it.
        for player, path in out.items():
            codecs, packets, span = video_probe(path)
            self.assertEqual(codecs.get("video"), "h264", f"{name}/{player}: streams {codecs}")
            if expect_audio:
                self.assertEqual(codecs.get("audio"), "aac", f"{name}/{player}: streams {codecs}")
            self.assertGreaterEqual(packets, 25, f"{name}/{player}: {packets} video packets")
            first, cp = first_video_packets(path, 1)
            self.assertTrue(first and first[0].get("flags", "").startswith("K"),
                            f"{name}/{player}: first video packet is not a keyframe: {first}")

    def test_ffmpeg_publisher(self):
        name = "ix-ffmpeg"
        publisher = self.start_publisher(name, size="320x180", rate=25, gop=25,
                                         seconds=PUBLISH_SECONDS)
        self.play_all(name, publisher)

    def test_gstreamer_rtmp2sink_publisher(self):
        name = "ix-gst"
        publisher = self.track(gstreamer_publisher(self.server.rtmp_url(name), self.tmp))
        self.play_all(name, publisher)

    def test_obs_like_publisher(self):
        name = "ix-obs"
        publisher = ObsLikePublisher(self.server.rtmp_port, "live", name, self.obs_tags).start()
        self.addCleanup(publisher.close)
        self.play_all(name, publisher)
        self.assertIsNone(publisher.error, f"OBS-like publisher: {publisher.error!r}")
        self.assertEqual(publisher.status, "NetStream.Publish.Start")


class PlayRangeTest(E2ETestCase):
    """The play command's Start and Duration against a live stream."""

    CONFIG = harness.config_toml(play_wait_timeout_ms=10000, unpublish_grace_ms=GRACE_MS)
    NAME = "range"

    @classmethod
    def prepare_class(cls):
        if not os.access(RTMPDUMP, os.X_OK):
            raise AssertionError(f"{RTMPDUMP} is missing: run scripts/install-deps.sh --test")
        media = cls.class_dir("interop-range-")
        flv = make_small_flv(os.path.join(media, "range.flv"), seconds=4, size="160x90", rate=25,
                             gop=25)
        cls.publisher = start_flv_publisher(cls.server.rtmp_url(cls.NAME), flv, media)
        ok, detail = harness.wait_stream_live(cls.server.rtmp_port, "live", cls.NAME, 20)
        if not ok:
            raise AssertionError(f"the looping publisher did not go live: {detail}")

    @classmethod
    def tearDownClass(cls):
        kill_process(getattr(cls, "publisher", None))
        super().tearDownClass()

    def tearDown(self):
        self.assertServerAlive()

    def rtmpdump(self, *args, timeout=20):
        out = self.path("rtmpdump.flv")
        started = time.monotonic()
        cp = run(rtmpdump_command(self.server.rtmp_url(self.NAME), out, *args), timeout)
        elapsed = time.monotonic() - started
        self.assertIsNotNone(cp.returncode, f"rtmpdump {args} still running after {timeout}s")
        return cp, out, elapsed

    def test_rtmpdump_live_stop_gets_that_much_media_and_exits_0(self):
        since = self.server.log_size()
        cp, out, elapsed = self.rtmpdump("--live", "--stop", "3")
        self.assertEqual(cp.returncode, 0, f"rtmpdump --live --stop 3: {cp.stderr.decode()[-1500:]}")
        codecs, packets, span = video_probe(out)
        self.assertEqual(codecs.get("video"), "h264", codecs)
        # 3 s of media at 25 fps: 75 frames from a keyframe, then the stop.
        self.assertGreaterEqual(span, 2.8, f"{packets} packets, {span:.2f} s")
        self.assertLessEqual(span, 3.1, f"{packets} packets, {span:.2f} s")
        self.assertTrue(self.server.wait_log(r"play complete after \d+ ms", 5, since))
        print(f"\nrtmpdump --live --stop 3: {packets} video packets, {span:.2f} s of media, "
              f"{elapsed:.2f} s wall", flush=True)

    def test_rtmpdump_start_plays_live_for_stop_minus_start(self):
        # Without --live librtmp sends Start 2000 and Duration 5000 - 2000.
        cp, out, _ = self.rtmpdump("--start", "2", "--stop", "5")
        self.assertEqual(cp.returncode, 0, f"rtmpdump --start 2 --stop 5: {cp.stderr.decode()[-1500:]}")
        codecs, packets, span = video_probe(out)
        self.assertEqual(codecs.get("video"), "h264", codecs)
        self.assertGreaterEqual(span, 2.8, f"{packets} packets, {span:.2f} s")
        self.assertLessEqual(span, 3.1, f"{packets} packets, {span:.2f} s")
        # Live from the GOP cache: the recording starts at a keyframe.
        first, _ = first_video_packets(out, 1)
        self.assertTrue(first and first[0].get("flags", "").startswith("K"), first)

    def raw_play(self, play_args):
        player = self.track(RawPlayer(self.server.rtmp_port, "live", self.NAME,
                                      play_args=play_args).start())
        return player

    def test_duration_zero_is_one_keyframe_then_play_stop(self):
        player = self.raw_play((-1000.0, 0.0))
        self.assertTrue(wait_until(player.is_closed, 10), f"not closed: {player.describe()}")
        msgs = player.snapshot()
        coded = [m for m in msgs if m.type in (8, 9) and not m.is_avc_sequence_header()
                 and not m.is_aac_sequence_header()]
        self.assertEqual(len(coded), 1, player.describe())
        self.assertTrue(coded[0].is_video_keyframe(), repr(coded[0]))
        self.assertTrue([m for m in msgs if m.is_avc_sequence_header()], player.describe())
        codes = [c for _, c in player.statuses()]
        self.assertEqual(codes[-1], "NetStream.Play.Stop", codes)
        play_status = [m.command() for m in msgs if m.type == 18 and m.command()[:1] == ["onPlayStatus"]]
        self.assertEqual([v[1].get("code") for v in play_status], ["NetStream.Play.Complete"])

    def test_every_start_plays_the_live_stream_from_a_keyframe(self):
        players = {start: self.raw_play((start,)) for start in (-2000.0, -1000.0, 0.0, 5000.0)}
        for start, player in players.items():
            self.assertTrue(player.wait_video_frames(10, 10), f"Start {start}: {player.describe()}")
            self.assertTrue(player.coded_video()[0].is_video_keyframe(), f"Start {start}")
            self.assertFalse(player.is_closed(), f"Start {start}: {player.describe()}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
