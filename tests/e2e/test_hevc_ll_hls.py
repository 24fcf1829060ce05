"""H.265 over Enhanced RTMP, end to end: libx265 (Debian's ffmpeg) encodes a
few seconds with a 1 s GOP, B-frames and AAC; a converter here turns the MP4
into an Enhanced-RTMP FLV (ExVideoTagHeader 'hvc1': SequenceStart with the
hvcC record, CodedFrames with a composition time where PTS != DTS and
CodedFramesX where they are equal, one Metadata packet); `sluice-load publish`
sends its tags as they are over real RTMP. Then ffprobe and ffmpeg read the
LL-HLS (fMP4) playlist as HEVC and decode it, the TS playlist carries HEVC
too, and HTTP-FLV and RTMP viewers get the enhanced tags byte for byte,
starting at a keyframe (the GOP cache). The same stream with the legacy
FLV codec id 12 (SRS, Chinese CDNs) gives the same LL-HLS."""

import json
import os
import struct
import subprocess
import time
import unittest

import harness
from harness import E2ETestCase, FFMPEG, FFPROBE

FPS = 25
SECONDS = 4
SIZE = (320, 240)
HVC1 = b"hvc1"
EX_HEADER = 0x80
KEY, INTER = 1 << 4, 2 << 4
SEQUENCE_START, CODED_FRAMES, CODED_FRAMES_X, METADATA = 0, 1, 3, 4


# ---- MP4 (what libx265 output is read from) --------------------------------

# Boxes whose children are read, and where the children start in their body.
CHILDREN_AT = {b"moov": 0, b"trak": 0, b"mdia": 0, b"minf": 0, b"stbl": 0, b"stsd": 8,
               b"hvc1": 78, b"mp4a": 28}


def mp4_boxes(data, start, end):
    """(type, body start, end) of every box in data[start:end], depth first."""
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = pos + 8
        if size == 1:
            size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            body += 8
        if size < 8 or pos + size > end:
            raise ValueError(f"bad MP4 box {kind!r} at {pos}")
        yield kind, body, pos + size
        if kind in CHILDREN_AT:
            yield from mp4_boxes(data, body + CHILDREN_AT[kind], pos + size)
        pos += size


def descriptor(data, pos):
    """(tag, body start, body end) of an MPEG-4 descriptor (ISO/IEC 14496-1)."""
    tag, length, pos = data[pos], 0, pos + 1
    for _ in range(4):
        length = length << 7 | (data[pos] & 0x7F)
        pos += 1
        if not data[pos - 1] & 0x80:
            break
    return tag, pos, pos + length


def audio_specific_config(esds):
    tag, pos, _ = descriptor(esds, 4)  # after version and flags
    assert tag == 0x03, "esds without ES_Descriptor"
    flags = esds[pos + 2]
    pos += 3 + (2 if flags & 0x80 else 0) + (2 if flags & 0x20 else 0)
    if flags & 0x40:
        pos += 1 + esds[pos]
    tag, pos, _ = descriptor(esds, pos)
    assert tag == 0x04, "esds without DecoderConfigDescriptor"
    tag, pos, end = descriptor(esds, pos + 13)
    assert tag == 0x05, "esds without DecoderSpecificInfo"
    return esds[pos:end]


def encode_hevc_mp4(path):
    cmd = [FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
           "-f", "lavfi", "-i", f"testsrc=size={SIZE[0]}x{SIZE[1]}:rate={FPS}",
           "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
           "-t", str(SECONDS), "-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
           "-x265-params", f"keyint={FPS}:min-keyint={FPS}:scenecut=0:bframes=2:log-level=error",
           "-tag:v", "hvc1", "-c:a", "aac", "-ac", "1", "-b:a", "48k", path]
    harness.must(cmd, 120)


def mp4_packets(path):
    """[(codec_type, dts_ms, cto_ms, key, bytes)] in file order, from ffprobe."""
    entries = "stream=index,codec_type:packet=stream_index,pts_time,dts_time,size,pos,flags"
    out = harness.must([FFPROBE, "-v", "error", "-show_entries", entries, "-of", "json", path], 60)
    info = json.loads(out)
    kinds = {s["index"]: s["codec_type"] for s in info["streams"]}
    with open(path, "rb") as f:
        data = f.read()
    packets = []
    for p in info["packets"]:
        dts = round(float(p["dts_time"]) * 1000)
        pts = round(float(p["pts_time"]) * 1000)
        pos, size = int(p["pos"]), int(p["size"])
        packets.append((kinds[p["stream_index"]], dts, pts - dts, p["flags"].startswith("K"),
                        data[pos:pos + size]))
    return packets


# ---- FLV ---------------------------------------------------------------------

def flv_tag(kind, timestamp, body):
    head = bytes([kind]) + len(body).to_bytes(3, "big") + (timestamp & 0xFFFFFF).to_bytes(3, "big")
    head += bytes([timestamp >> 24 & 0xFF]) + b"\0\0\0"
    return head + body + struct.pack(">I", 11 + len(body))


def sequence_headers(mp4_path, legacy):
    with open(mp4_path, "rb") as f:
        data = f.read()
    boxes = {}
    for kind, body, end in mp4_boxes(data, 0, len(data)):
        boxes.setdefault(kind, data[body:end])
    video = (b"\x1c\x00\x00\x00\x00" if legacy
             else bytes([EX_HEADER | KEY | SEQUENCE_START]) + HVC1)
    return video + boxes[b"hvcC"], b"\xaf\x00" + audio_specific_config(boxes[b"esds"])


def video_tag(cto, key, nal_units, legacy):
    frame = KEY if key else INTER
    si24 = (cto & 0xFFFFFF).to_bytes(3, "big")
    if legacy:  # codec id 12, AVCPacketType 1, composition time
        return bytes([frame | 12, 1]) + si24 + nal_units
    if cto:
        return bytes([EX_HEADER | frame | CODED_FRAMES]) + HVC1 + si24 + nal_units
    return bytes([EX_HEADER | frame | CODED_FRAMES_X]) + HVC1 + nal_units


def write_hevc_flv(mp4_path, flv_path, legacy=False):
    """The MP4 as an Enhanced-RTMP FLV (or, with legacy, one with codec id
    12); returns (video sequence header body, count of CodedFrames and
    CodedFramesX tags)."""
    video_start, audio_start = sequence_headers(mp4_path, legacy)
    packets = mp4_packets(mp4_path)
    shift = max(0, -min(dts for _, dts, _, _, _ in packets))
    # sluice-load loops the file with a period of its last tag time plus one
    # frame: audio past the last video frame would put a gap in the video.
    last_video = max(dts for kind, dts, _, _, _ in packets if kind == "video")
    packets = [p for p in packets if p[0] == "video" or p[1] <= last_video]
    metadata = harness.Amf0.encode_all("onMetaData", {
        "width": SIZE[0], "height": SIZE[1], "framerate": FPS,
        "videocodecid": float(int.from_bytes(HVC1, "big")), "audiocodecid": 10.0})
    # HDR-style colour metadata (Metadata packet, AMF0): carries no picture.
    color = harness.Amf0.encode_all("colorInfo", {"colorConfig": {"transferCharacteristics": 1.0}})
    tags = [(0, 18, metadata), (0, 9, video_start), (0, 8, audio_start)]
    if not legacy:
        tags.insert(2, (0, 9, bytes([EX_HEADER | KEY | METADATA]) + HVC1 + color))
    counts = {CODED_FRAMES: 0, CODED_FRAMES_X: 0}
    for kind, dts, cto, key, data in packets:
        if kind == "video":
            body = video_tag(cto, key, data, legacy)
            if not legacy:
                counts[body[0] & 0x0F] += 1
            tags.append((dts + shift, 9, body))
        elif kind == "audio":
            tags.append((dts + shift, 8, b"\xaf\x01" + data))
    tags.sort(key=lambda t: t[0])  # stable: headers stay first
    with open(flv_path, "wb") as f:
        f.write(b"FLV\x01\x05" + struct.pack(">II", 9, 0))
        for ts, kind, body in tags:
            f.write(flv_tag(kind, ts, body))
    return video_start, counts


def flv_tags(data):
    """[(type, payload)] of the complete tags in an FLV byte stream."""
    pos = struct.unpack(">I", data[5:9])[0] + 4
    out = []
    while pos + 11 <= len(data):
        size = int.from_bytes(data[pos + 1:pos + 4], "big")
        if pos + 11 + size > len(data):
            break
        out.append((data[pos] & 0x1F, data[pos + 11:pos + 11 + size]))
        pos += 11 + size + 4
    return out


def read_http_flv(url, want_bytes, timeout):
    import urllib.request
    data = b""
    deadline = time.monotonic() + timeout
    with urllib.request.urlopen(url, timeout=timeout) as r:
        while len(data) < want_bytes and time.monotonic() < deadline:
            chunk = r.read1(65536)
            if not chunk:
                break
            data += chunk
    return data


def is_coded_frame(payload):
    return payload[0] & 0x80 and payload[0] & 0x0F in (CODED_FRAMES, CODED_FRAMES_X)


@unittest.skipUnless(os.access(harness.sluice_load_bin(), os.X_OK),
                     "sluice-load not built (SLUICE_BUILD_BENCH=ON)")
class HevcEnhancedRtmpTest(E2ETestCase):
    CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) +
              "[hls]\nsession_timeout_ms = 10000\n")
    STREAM = "hevc1"
    LEGACY_STREAM = "hevc12"
    publishers = ()

    @classmethod
    def prepare_class(cls):
        tool = harness.sluice_load_bin()
        if not os.access(tool, os.X_OK):
            raise AssertionError(f"sluice-load not built at {tool} (SLUICE_BUILD_BENCH=ON)")
        work = cls.class_dir("e2e-hevc-")
        mp4 = os.path.join(work, "x265.mp4")
        encode_hevc_mp4(mp4)
        enhanced, legacy = os.path.join(work, "enhanced.flv"), os.path.join(work, "legacy12.flv")
        cls.video_start, cls.counts = write_hevc_flv(mp4, enhanced)
        write_hevc_flv(mp4, legacy, legacy=True)
        cls.publisher_log = open(os.path.join(work, "sluice-load.log"), "wb")
        cls.publishers = [subprocess.Popen(
            [tool, "publish", cls.server.rtmp_url(stream), "--file", flv, "--loop",
             "--duration", "120"],
            stdin=subprocess.DEVNULL, stdout=cls.publisher_log, stderr=cls.publisher_log)
            for stream, flv in ((cls.STREAM, enhanced), (cls.LEGACY_STREAM, legacy))]
        for stream in (cls.STREAM, cls.LEGACY_STREAM):
            ok, detail = harness.wait_stream_live(cls.server.rtmp_port, "live", stream, 20)
            if not ok:
                raise AssertionError(f"the HEVC publish of {stream} did not go live: {detail}")

    @classmethod
    def tearDownClass(cls):
        try:
            for proc in cls.publishers:
                harness.kill_process(proc)
            if cls.publishers:
                cls.publisher_log.close()
        finally:
            super().tearDownClass()

    def tearDown(self):
        self.assertServerAlive()
        for proc in self.publishers:
            self.assertIsNone(proc.poll(), "sluice-load publish ended early")

    def url(self, flavour, stream=None):
        return (f"http://127.0.0.1:{self.server.http_port}/live/{stream or self.STREAM}.m3u8"
                f"?hls={flavour}")

    def test_the_converted_file_uses_both_coded_frame_types(self):
        # B-frames give CodedFrames with a composition time, the others CodedFramesX.
        self.assertGreater(self.counts[CODED_FRAMES], 0, self.counts)
        self.assertGreater(self.counts[CODED_FRAMES_X], 0, self.counts)

    def test_ll_hls_is_hevc_and_decodes(self):
        streams, cp = harness.probe(self.url("ll"), timeout=30)
        self.assertIsNotNone(streams, cp.stderr.decode(errors="replace"))
        summary = harness.stream_summary(streams)
        self.assertIn(("video", "hevc", *SIZE), summary)
        self.assertIn("aac", [s[1] for s in summary])
        video = next(s for s in streams if s["codec_type"] == "video")
        self.assertEqual(video.get("codec_tag_string"), "hvc1")
        self.assertRegex(self.server.log(), r"video H\.265 profile 1 level \d+ 320x240")

        cp = harness.run([FFMPEG, "-nostdin", "-v", "error", "-nostats", "-progress", "pipe:1",
                          "-i", self.url("ll"), "-t", "5", "-f", "null", "-"], 60)
        stderr = cp.stderr.decode(errors="replace").strip()
        self.assertEqual(cp.returncode, 0, stderr)
        self.assertEqual(stderr, "")
        frames = [int(line.split("=")[1]) for line in cp.stdout.decode().splitlines()
                  if line.startswith("frame=")]
        self.assertTrue(frames, cp.stdout.decode())
        self.assertGreaterEqual(frames[-1], 5 * FPS * 0.9)
        self.assertLessEqual(frames[-1], 5 * FPS * 1.1)

    def test_ll_hls_samples_keep_their_composition_offsets(self):
        packets, cp = harness.first_video_packets(self.url("ll"), 40, timeout=30)
        self.assertTrue(packets, cp.stderr.decode(errors="replace"))
        self.assertTrue(packets[0]["flags"].startswith("K"), packets[0])
        reordered = [p for p in packets if float(p["pts_time"]) > float(p["dts_time"])]
        self.assertTrue(reordered, "x265 with B-frames: some PTS > DTS in the fMP4 samples")
        # Every frame presented up to the last decode time read is in the set.
        last_dts = max(float(p["dts_time"]) for p in packets)
        pts = sorted(float(p["pts_time"]) for p in packets if float(p["pts_time"]) <= last_dts)
        self.assertGreater(len(pts), 30)
        steps = {round(b - a, 3) for a, b in zip(pts, pts[1:])}
        self.assertEqual(steps, {1 / FPS}, "presentation times one frame apart")

    def test_ts_hls_carries_hevc(self):
        streams, cp = harness.probe(self.url("ts"), timeout=30)
        self.assertIsNotNone(streams, cp.stderr.decode(errors="replace"))
        self.assertIn(("video", "hevc", *SIZE), harness.stream_summary(streams))
        cp = harness.run([FFMPEG, "-nostdin", "-v", "error", "-i", self.url("ts"), "-t", "3",
                          "-f", "null", "-"], 60)
        self.assertEqual(cp.returncode, 0)
        self.assertEqual(cp.stderr.decode(errors="replace").strip(), "")

    def test_legacy_codec_id_12_gives_the_same_ll_hls(self):
        url = self.url("ll", self.LEGACY_STREAM)
        streams, cp = harness.probe(url, timeout=30)
        self.assertIsNotNone(streams, cp.stderr.decode(errors="replace"))
        self.assertIn(("video", "hevc", *SIZE), harness.stream_summary(streams))
        cp = harness.run([FFMPEG, "-nostdin", "-v", "error", "-i", url, "-t", "3",
                          "-f", "null", "-"], 60)
        self.assertEqual(cp.returncode, 0)
        self.assertEqual(cp.stderr.decode(errors="replace").strip(), "")

    def test_http_flv_and_rtmp_viewers_get_the_enhanced_tags_as_sent(self):
        url = f"http://127.0.0.1:{self.server.http_port}/live/{self.STREAM}.flv"
        data = read_http_flv(url, 200_000, 15)
        self.assertEqual(data[:3], b"FLV")
        self.assertIn(HVC1, data)
        video = [p for kind, p in flv_tags(data) if kind == 9]
        self.assertTrue(video)
        self.assertEqual(video[0], self.video_start, "the sequence start, byte for byte")
        coded = [p for p in video if is_coded_frame(p)]
        self.assertGreater(len(coded), FPS)
        self.assertTrue(all(p[1:5] == HVC1 for p in coded))
        # The GOP cache starts the viewer at a keyframe.
        self.assertEqual(coded[0][0] & 0x70, KEY, coded[0][:8].hex())

        player = self.track(harness.RawPlayer(self.server.rtmp_port, "live", self.STREAM).start())
        self.assertTrue(player.wait_video_frames(FPS, 15), player.describe())
        rtmp_video = [m.payload for m in player.video()]
        self.assertEqual(rtmp_video[0], self.video_start)
        rtmp_coded = [p for p in rtmp_video if is_coded_frame(p)]
        self.assertTrue(rtmp_coded)
        self.assertEqual(rtmp_coded[0][0] & 0x70, KEY, rtmp_coded[0][:8].hex())


if __name__ == "__main__":
    unittest.main()
