#!/usr/bin/env python3
"""Writes the committed seed corpora of tests/fuzz/corpus/<target>/ from the
repository's fixtures: the recorded RTMP client streams (tests/fixtures/rtmp),
the captured signing vectors (tests/fixtures/sign) and the example config.
Deterministic; run it again after changing a fixture. Seeds are kept small
(the whole corpus well under 2 MB) so libFuzzer mutates them quickly."""

import hashlib
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
import harness  # noqa: E402  (its RTMP chunk parser and AMF0 codec)

RTMP_FIXTURES = os.path.join(ROOT, "tests", "fixtures", "rtmp")
SIGN_VECTORS = os.path.join(ROOT, "tests", "fixtures", "sign", "sign-vectors.json")
CORPUS = os.path.join(HERE, "corpus")
STREAM_PREFIX = 8 * 1024  # handshake, connect, publish/play, metadata, sequence headers
MAX_MEDIA_SEED = 2048


def write(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def rtmp_seeds():
    for file in sorted(os.listdir(RTMP_FIXTURES)):
        if not file.endswith(".c2s"):
            continue
        path = os.path.join(RTMP_FIXTURES, file)
        with open(path, "rb") as f:
            write("fuzz_rtmp_session_input", f.read()[:STREAM_PREFIX], file)
        _data, messages = harness.parse_c2s_file(path)
        kinds_seen = {}
        names = {}
        aggregate = bytearray()
        for msg, _end in messages:
            if msg.type in (18, 20):
                write("fuzz_amf0", msg.payload)
            if msg.type == 20:
                values = msg.command()
                if values and values[0] == "connect" and len(values) > 2:
                    names["app"] = values[2].get("app", "")
                    names["tcUrl"] = values[2].get("tcUrl", "")
                if values and values[0] in ("publish", "play") and len(values) > 3:
                    names["stream"] = values[3]
            if msg.type in (8, 9, 18) and len(msg.payload) <= MAX_MEDIA_SEED:
                # At most three of each kind: sequence headers and a few frames.
                if kinds_seen.get(msg.type, 0) < 3:
                    kinds_seen[msg.type] = kinds_seen.get(msg.type, 0) + 1
                    write("fuzz_media", bytes([msg.type]) + struct.pack(">I", msg.timestamp) +
                          msg.payload)
                    if len(aggregate) < 4096:
                        body = msg.payload
                        aggregate += bytes([msg.type]) + len(body).to_bytes(3, "big")
                        aggregate += (msg.timestamp & 0xFFFFFF).to_bytes(3, "big")
                        aggregate += bytes([msg.timestamp >> 24]) + b"\0\0\0" + body
                        aggregate += struct.pack(">I", 11 + len(body))
        if aggregate:
            write("fuzz_media", bytes([22]) + struct.pack(">I", 1000) + bytes(aggregate))
        if names:
            write("fuzz_rtmp_names", f"{names.get('app', '')}\n{names.get('tcUrl', '')}\n"
                                     f"{names.get('stream', '')}")
    for text in ["live\nrtmp://push.example.com/live\ncam1?token=abc",
                 "live?vhost=v1\nrtmp://192.0.2.10:1935/live?vhost=v1\ncam1",
                 "live\nrtmp://[::1]:1935/live\ncam1?domain=play.example.com&x=%20y",
                 "live/sub\n\ncam1"]:
        write("fuzz_rtmp_names", text)


def codec_seeds():
    """fuzz_codec: a selector byte (0 video, 1 audio sequence header) and the
    FLV message body: the sequence headers of the ffmpeg-made fixtures, the
    libx265 records behind a legacy codec-id-12 header, HE-AAC configs."""
    folder = os.path.join(ROOT, "tests", "fixtures", "codec")
    for file in sorted(os.listdir(folder)):
        path = os.path.join(folder, file)
        with open(path, "rb") as f:
            data = f.read()
        if file.endswith(".hvcC"):
            write("fuzz_codec", b"\0\x1c\0\0\0\0" + data)
            # The same record in an Enhanced RTMP SequenceStart ('hvc1').
            write("fuzz_codec", b"\0\x90hvc1" + data)
            write("fuzz_media", b"\x09\0\0\0\0\x90hvc1" + data)
        if not file.endswith(".flv"):
            continue
        pos = struct.unpack(">I", data[5:9])[0] + 4
        while pos + 11 <= len(data):
            kind = data[pos]
            size = int.from_bytes(data[pos + 1:pos + 4], "big")
            body = data[pos + 11:pos + 11 + size]
            if kind in (8, 9) and len(body) > 1 and body[1] == 0:
                write("fuzz_codec", bytes([0 if kind == 9 else 1]) + body)
            pos += 11 + size + 4
    # Enhanced RTMP packets around one IDR NAL unit: CodedFrames (+40 ms
    # composition time), CodedFramesX, SequenceEnd, Metadata (AMF0), a
    # command frame, and the refused av01 / MPEG2TSSequenceStart / ModEx.
    nal = b"\0\0\0\3\x26\x01\xaf"
    for body in [b"\x91hvc1\0\0\x28" + nal, b"\xa3hvc1" + nal, b"\x92hvc1",
                 b"\x94hvc1\x02\0\x09colorInfo\x03\0\0\x09", b"\xd0\x01",
                 b"\x90av01\x81\0\x0c\0", b"\x95hvc1\x01", b"\x97hvc1\0"]:
        write("fuzz_codec", b"\0" + body)
        write("fuzz_media", b"\x09\0\0\x03\xe8" + body)
    for asc in [b"\x2b\x11\x88", b"\xeb\x09\x88", b"\xf9\x48\x40", b"\x17\x80\x56\x22\x10"]:
        write("fuzz_codec", b"\1\xaf\0" + asc)


def http_seeds():
    requests = [
        "GET /live/cam1.flv HTTP/1.1\r\nHost: play.example.com:8080\r\n\r\n",
        "GET /live/cam1.flv?vhost=v1&token=a%20b HTTP/1.1\r\nHost: [::1]:8080\r\n"
        "Connection: close\r\n\r\n",
        "HEAD /live/cam1.flv?domain=push.example.com HTTP/1.0\r\n\r\n",
        "OPTIONS /live/cam1.flv HTTP/1.1\r\nHost: x\r\nOrigin: http://a\r\n\r\n",
        "GET /a/b/c.flv HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ]
    for r in requests:
        write("fuzz_http_play", r)


def sign_seeds():
    with open(SIGN_VECTORS) as f:
        vectors = json.load(f)
    for v in vectors["vectors"]:
        headers = list(v["headers"]) + [["Authorization", v["expected"]]]
        body = v.get("body", "")
        if body:
            headers.append(["Content-Length", str(len(body.encode()))])
        head = f"{v['method']} {v['raw_path']} HTTP/1.1\r\n"
        head += "".join(f"{k}: {val}\r\n" for k, val in headers)
        write("fuzz_api_request", head + "\r\n" + body)
        write("fuzz_sign_text", b"\0" + v["expected"].encode())
        query = v["raw_path"].partition("?")[2]
        if query:
            write("fuzz_sign_text", b"\3" + query.encode())
    write("fuzz_sign_text", b"\1" + vectors["x_date"].encode())
    for t in ["2024-03-01T08:00:00+08:00", "2024-01-01T00:00:00.123Z", "1970-01-01T00:00:00Z",
              "9999-12-31T23:59:59.999999999-23:59"]:
        write("fuzz_sign_text", b"\2" + t.encode())
    base = ("POST /?Action=ForbidStream&Version=2023-01-01 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "X-Date: 20240101T000000Z\r\nContent-Type: application/json\r\n")
    bodies = ['{"Vhost":"v1","App":"live","Stream":"cam1","EndTime":"2024-02-01T00:00:00Z",'
              '"Priority":1}',
              '{"Domain":"push.example.com","App":"live","Stream":"cam1"}',
              '{"PageNum":1,"PageSize":1000,"QueryType":"fuzzy","Sort":"asc",'
              '"EndTimeFrom":"2023-12-31T00:00:00+08:00","StreamType":"origin"}']
    for b in bodies:
        write("fuzz_api_request", f"{base}Content-Length: {len(b)}\r\n\r\n{b}")


def config_seeds():
    with open(os.path.join(ROOT, "config", "sluice.example.toml")) as f:
        write("fuzz_config", f.read(), "sluice.example.toml")
    write("fuzz_config", '[rtmp]\nlisten = "[::1]:1935"\nmax_message_size = 1048576\n'
                         '[[vhost]]\nname = "v1"\npush_domains = ["push.example.com"]\n'
                         '[[api.keys]]\naccess_key = "AK"\nsecret_key = "SK"\n')
    write("fuzz_config", "[media]\nplay_wait_timeout_ms = -1\n")


if __name__ == "__main__":
    rtmp_seeds()
    codec_seeds()
    http_seeds()
    sign_seeds()
    config_seeds()
