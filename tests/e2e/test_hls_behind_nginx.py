"""HLS deployed behind nginx terminating TLS with HTTP/2, as
docs/deploy-nginx.md describes (the config below is the one there, with test
paths and ports): a private CA and a server certificate for 127.0.0.1 made
by openssl, Debian's nginx unprivileged on a loopback port
(`listen ... ssl http2`, nginx 1.22), `proxy_pass` to sluice's HTTP listener
with `proxy_buffering off`, HTTP/1.1 and keep-alive upstream, Host passed.

- curl --http2 --cacert: the playlist URL answers HTTP/2 302 with a relative
  Location to ?hls_ctx=, which curl follows to an HTTP/2 200 playlist, and its
  segments come through as video/mp2t.
- headless Chromium plays the HTTPS URL with hls.js for 15 s without stalls,
  every playlist and segment over h2 (the protocol Chromium negotiated, as
  its DevTools report it). Chromium trusts the server's key through
  --ignore-certificate-errors-spki-list (headless Chromium reads no CA file;
  the pin is the server certificate's SubjectPublicKeyInfo).
Skipped only when nginx, openssl, curl, chromium, node or the npm packages
are absent (scripts/install-deps.sh --test installs them).
"""

import json
import os
import re
import shutil
import unittest

import browser_harness
import harness
import tls_proxy
from harness import E2ETestCase

CURL = shutil.which("curl")
MISSING = tls_proxy.missing() or ("" if CURL else "curl not installed (scripts/install-deps.sh --test)")
BROWSER_MISSING = browser_harness.missing("hls.js")
SECONDS = 15

# docs/deploy-nginx.md's server, on test paths and ports.
SERVERS = """
    upstream sluice_http {{
        server 127.0.0.1:{http};
        keepalive 32;
        keepalive_timeout 5s;  # under sluice's http.idle_timeout_ms (10 s)
    }}
    server {{
        listen 127.0.0.1:{port} ssl http2;
        ssl_certificate {d}/local.pem;
        ssl_certificate_key {d}/local.key;
        location / {{
            proxy_pass http://sluice_http;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_buffering off;
            proxy_read_timeout 60s;
        }}
    }}
"""


@unittest.skipIf(MISSING, MISSING)
class HlsBehindNginxTest(E2ETestCase):
    CONFIG = (harness.config_toml(play_wait_timeout_ms=8000) +
              "[hls]\ntarget_duration_ms = 1000\n")

    @classmethod
    def prepare_class(cls):
        cls.nginx = None
        cls.dir = cls.class_dir("e2e-hls-nginx-")
        tls_proxy.make_certificates(cls.dir, {"local": "IP:127.0.0.1"})
        cls.port = tls_proxy.free_port()
        servers = SERVERS.format(d=cls.dir, http=cls.server.http_port, port=cls.port)
        cls.nginx = tls_proxy.start_nginx(cls.dir, tls_proxy.nginx_conf(cls.dir, servers), [cls.port])
        cls.pages = browser_harness.PageServer()

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "nginx", None) is not None:
            harness.kill_process(cls.nginx)
        if getattr(cls, "pages", None):
            cls.pages.close()
        super().tearDownClass()

    def tearDown(self):
        self.assertServerAlive()
        self.assertIsNone(self.nginx.poll(), "nginx exited")

    def https_url(self, path):
        return f"https://127.0.0.1:{self.port}/{path}"

    def curl(self, url, *extra):
        """(http_version, status, headers, body) of one HTTP/2 GET through nginx."""
        headers_path, body_path = self.path("curl.headers"), self.path("curl.body")
        cp = harness.run([CURL, "-sS", "--http2", "--cacert", os.path.join(self.dir, "ca.pem"),
                          "-D", headers_path, "-o", body_path, "-w", "%{http_version} %{http_code}",
                          *extra, url], 30)
        self.assertEqual(cp.returncode, 0, cp.stderr.decode(errors="replace"))
        version, status = cp.stdout.decode().split()
        with open(headers_path, encoding="latin-1") as f:
            # With -L, the headers of the last answer.
            blocks = f.read().strip().split("\r\n\r\n")
        headers = {}
        for line in blocks[-1].splitlines()[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        with open(body_path, "rb") as f:
            return version, int(status), headers, f.read()

    def test_curl_gets_the_redirect_playlist_and_segments_over_http2(self):
        self.start_publisher("viaproxy", gop=25, size="320x240")
        self.wait_live("viaproxy")
        version, status, headers, _ = self.curl(self.https_url("live/viaproxy.m3u8"))
        self.assertEqual((version, status), ("2", 302), headers)
        self.assertRegex(headers["location"], r"^viaproxy\.m3u8\?hls_ctx=[A-Za-z0-9]{16}$")

        version, status, headers, body = self.curl(self.https_url("live/viaproxy.m3u8"), "-L")
        self.assertEqual((version, status), ("2", 200), body[:300])
        self.assertEqual(headers["content-type"], "application/vnd.apple.mpegurl")
        text = body.decode()
        self.assertTrue(text.startswith("#EXTM3U\n"), text)
        uris = re.findall(r"^(viaproxy\.\d+\.ts\?hls_ctx=\w+)$", text, re.M)
        self.assertTrue(uris, text)
        version, status, headers, segment = self.curl(self.https_url(f"live/{uris[-1]}"))
        self.assertEqual((version, status), ("2", 200), segment[:300])
        self.assertEqual(headers["content-type"], "video/mp2t")
        self.assertEqual(segment[0], 0x47)
        self.assertEqual(len(segment) % 188, 0)

    @unittest.skipIf(BROWSER_MISSING, BROWSER_MISSING)
    def test_hls_js_plays_through_the_proxy_over_h2(self):
        pin = tls_proxy.spki_sha256_base64(self.dir, "local.pem")
        for name, flavour in browser_harness.HLS_FLAVOURS.items():
            with self.subTest(flavour=name):
                stream = f"proxied-{name}"
                self.start_publisher(stream, gop=25, rate=25)  # a keyframe every second
                self.wait_live(stream)
                # The warm-up goes to sluice directly: it only starts the
                # stream's segmenter (see browser_harness.warm_up_hls).
                browser_harness.warm_up_hls(
                    self, f"http://127.0.0.1:{self.server.http_port}/live/{stream}.m3u8{flavour['query']}")
                url = self.https_url(f"live/{stream}.m3u8{flavour['query']}")
                result = browser_harness.play(
                    self.pages.url("hls.html", url), SECONDS, self.path(f"home-{name}"), interval_ms=1000,
                    chromium_args=[f"--ignore-certificate-errors-spki-list={pin}"])
                numbers = browser_harness.assert_hls_played_smoothly(
                    self, result, SECONDS, flavour["latency_bound_s"])
                media = browser_harness.assert_redirected_to_a_session(self, result, stream)
                self.assertTrue(all(r["url"].startswith(f"https://127.0.0.1:{self.port}/") for r in media),
                                media)
                self.assertEqual({r["protocol"] for r in media}, {"h2"}, media)
                print(f"hls.js {name} through nginx (h2): {json.dumps(numbers)}, "
                      f"{len(media)} responses", flush=True)

if __name__ == "__main__":
    unittest.main()
