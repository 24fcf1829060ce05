#!/usr/bin/env python3
"""The C++ SDK over HTTPS, the way a self-hosted sluice is reached from
elsewhere: real nginx terminates TLS in front of sluice's management API with
a certificate from a private CA, and the `sluice` CLI (on LiveService, over
libcurl) talks to it.

- `--ca-file` with the private CA: every kind of request works over TLS.
- the system's CA store alone: refused (the peer is verified), exit 3.
- a certificate for another name: refused (the host is verified), exit 3.
- a proxy that rewrites Host: SignatureDoesNotMatch, because the SDK signs
  Host as the Python SDK does (why README says `proxy_set_header Host
  $http_host`); signing as the Node.js SDK does (`--signed-headers
  date-body`) gets through it, and sluice accepts that signature."""
import os
import unittest

import harness
import tls_proxy
from harness import E2ETestCase, wait_until

AK = "AKLThttpsaccesskey"
SK = "https-secret-key-0123456789abcdef"
CONFIG = harness.api_keys_toml(AK, SK)

SERVERS = """
    # the deployment README describes: Host passed through as the client sent it
    server {{
        listen 127.0.0.1:{good} ssl;
        ssl_certificate {d}/local.pem;
        ssl_certificate_key {d}/local.key;
        location / {{ proxy_pass http://127.0.0.1:{api}; proxy_set_header Host $http_host; }}
    }}
    # a certificate for another name
    server {{
        listen 127.0.0.1:{wrong_name} ssl;
        ssl_certificate {d}/elsewhere.pem;
        ssl_certificate_key {d}/elsewhere.key;
        location / {{ proxy_pass http://127.0.0.1:{api}; proxy_set_header Host $http_host; }}
    }}
    # nginx's default: Host becomes the upstream's address
    server {{
        listen 127.0.0.1:{rewrites_host} ssl;
        ssl_certificate {d}/local.pem;
        ssl_certificate_key {d}/local.key;
        location / {{ proxy_pass http://127.0.0.1:{api}; }}
    }}
"""


class SdkHttpsTest(E2ETestCase):
    CONFIG = CONFIG

    @classmethod
    def setUpClass(cls):
        if tls_proxy.missing():
            raise unittest.SkipTest(tls_proxy.missing())
        cls.nginx = None
        super().setUpClass()

    @classmethod
    def prepare_class(cls):
        cls.dir = cls.class_dir("e2e-https-")
        tls_proxy.make_certificates(cls.dir, {"local": "IP:127.0.0.1", "elsewhere": "DNS:elsewhere.example"})
        cls.ports = {"good": tls_proxy.free_port(), "wrong_name": tls_proxy.free_port(),
                     "rewrites_host": tls_proxy.free_port()}
        servers = SERVERS.format(d=cls.dir, api=cls.server.api_port, **cls.ports)
        cls.nginx = tls_proxy.start_nginx(cls.dir, tls_proxy.nginx_conf(cls.dir, servers), cls.ports.values())
        cls.flv = harness.make_small_flv(os.path.join(cls.dir, "small.flv"), seconds=2)

    @classmethod
    def tearDownClass(cls):
        if cls.nginx is not None:
            harness.kill_process(cls.nginx)
        super().tearDownClass()

    def cli(self, *args, port="good", ca=True, extra=()):
        cmd = [harness.sluice_bin(), *args, "--endpoint", f"https://127.0.0.1:{self.ports[port]}",
               "--ak", AK, "--sk", SK, *extra]
        if ca:
            cmd += ["--ca-file", os.path.join(self.dir, "ca.pem")]
        cp = harness.run(cmd, 15, cwd=self.tmp)
        self.assertIsNotNone(cp.returncode, f"{cmd} did not finish")
        cp.out, cp.err = cp.stdout.decode(errors="replace"), cp.stderr.decode(errors="replace")
        cp.what = f"{' '.join(args)} [{port}] -> {cp.returncode}\n{cp.out}\n{cp.err}"
        self.assertNotIn(SK, cp.out + cp.err, "the secret key was printed")
        return cp

    def test_every_kind_of_request_over_tls(self):
        pub = self.track(harness.start_flv_publisher(self.server.rtmp_url("tls1"), self.flv, self.tmp))
        self.wait_live("tls1")
        cp = self.cli("state", "live/tls1")  # GET
        self.assertEqual(cp.returncode, 0, cp.what)
        self.assertIn("online", cp.out)
        cp = self.cli("streams", "--stream", "tls1")  # GET with a page of results
        self.assertEqual(cp.returncode, 0, cp.what)
        self.assertIn("__defaultVhost__", cp.out, cp.what)
        self.assertRegex(cp.out, r"(?m)^1 of 1", cp.what)
        cp = self.cli("kill", "live/tls1")  # POST with a JSON body
        self.assertEqual(cp.returncode, 0, cp.what)
        self.assertIsNotNone(wait_until(lambda: pub.poll() is not None, 5), "ffmpeg still pushing after the kill")
        # Signed in a later second: with the same X-Date it would be the same signed
        # request, answered from the replay cache as the first kill was.
        harness.next_signing_second()
        cp = self.cli("kill", "live/tls1")  # an API error comes back through TLS intact
        self.assertEqual(cp.returncode, 1, cp.what)
        self.assertRegex(cp.err, r"^error: NotFound\.Stream \(\d+\): ", cp.what)

    def test_system_store_does_not_trust_a_private_ca(self):
        cp = self.cli("state", "live/x", ca=False)
        self.assertEqual(cp.returncode, 3, cp.what)
        self.assertRegex(cp.err, r"cannot reach https://127\.0\.0\.1:\d+: .*certificate", cp.what)

    def test_missing_ca_file_is_a_usage_error(self):
        cp = self.cli("state", "live/x", ca=False, extra=("--ca-file", os.path.join(self.tmp, "none.pem")))
        self.assertEqual(cp.returncode, 2, cp.what)
        self.assertIn("no such CA file", cp.err, cp.what)

    def test_certificate_for_another_name_is_refused(self):
        cp = self.cli("state", "live/x", port="wrong_name")
        self.assertEqual(cp.returncode, 3, cp.what)
        self.assertRegex(cp.err, r"cannot reach https://127\.0\.0\.1:\d+: .*target host name '127\.0\.0\.1'",
                         cp.what)

    def test_proxy_that_rewrites_host_breaks_the_signature(self):
        cp = self.cli("state", "live/x", port="rewrites_host")
        self.assertEqual(cp.returncode, 1, cp.what)
        self.assertRegex(cp.err, r"^error: SignatureDoesNotMatch \(\d+\): ", cp.what)

    def test_signing_without_host_passes_a_host_rewriting_proxy(self):
        node_style = ("--signed-headers", "date-body")
        cp = self.cli("state", "live/x", port="rewrites_host", extra=node_style)  # GET: x-date only
        self.assertEqual(cp.returncode, 0, cp.what)
        self.assertIn("offline", cp.out)
        cp = self.cli("forbid", "live/proxied", "--for", "1h", port="rewrites_host", extra=node_style)  # POST
        self.assertEqual(cp.returncode, 0, cp.what)
        cp = self.cli("state", "live/proxied", "--json")
        self.assertEqual(cp.returncode, 0, cp.what)
        self.assertIn('"forbidden"', cp.out)
        cp = self.cli("resume", "live/proxied", port="rewrites_host", extra=node_style)
        self.assertEqual(cp.returncode, 0, cp.what)
        cp = self.cli("state", "live/x", extra=("--signed-headers", "some"))
        self.assertEqual(cp.returncode, 2, cp.what)


if __name__ == "__main__":
    unittest.main(verbosity=2)
