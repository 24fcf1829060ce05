"""Prometheus metrics: a real Prometheus server scrapes sluice's /metrics
every second while ffmpeg publishes and an RTMP and an HTTP-FLV viewer play;
its query API must see the stream's two viewers (one per protocol), its
ingest bytes grow and the store's latency histogram.
`promtool check metrics` must accept a scrape, and nothing of a client's
query string may appear in one."""

import json
import os
import shutil
import socket
import subprocess
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import harness
from harness import E2ETestCase, Server

PROMETHEUS = shutil.which("prometheus")
PROMTOOL = shutil.which("promtool")
STREAM = "metered"
SECRET = "s3cr3t-token-value"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.headers, response.read().decode()


class MetricsEndpointTest(E2ETestCase):

    def scrape(self):
        status, headers, body = http_get(f"http://127.0.0.1:{self.server.metrics_port}/metrics")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8")
        return body

    def test_promtool_accepts_a_scrape_with_live_traffic_and_no_client_secret_shows(self):
        if not PROMTOOL:
            self.skipTest("promtool not installed (Debian package prometheus; "
                          "scripts/install-deps.sh --test)")
        self.track(harness.start_publisher(self.server.rtmp_url(STREAM) + "?token=" + SECRET,
                                           self.tmp))
        self.wait_live(STREAM)
        # An API request, so the API's series are in the scrape too.
        api = f"http://127.0.0.1:{self.server.api_port}/?Action=KillStream&Version=2023-01-01"
        with self.assertRaises(urllib.error.HTTPError):  # unsigned: refused
            http_get(api)
        body = self.scrape()
        self.assertRegex(body, r'sluice_api_requests_total\{action="KillStream",code="[A-Za-z.]+"\} 1')
        self.assertRegex(body, r'sluice_api_request_duration_seconds_count\{action="KillStream"\} 1')
        self.assertRegex(body, r'sluice_publishes_started_total\{protocol="rtmp"\} [1-9]')
        self.assertRegex(body, r'sluice_connections_open\{protocol="rtmp"\} [1-9]')
        # The publish's open record was written through the timed store.
        self.assertRegex(body, r'sluice_store_query_seconds_count\{operation="open_publish"\} 1\n')
        self.assertRegex(body, r'sluice_store_query_seconds_bucket\{operation="open_publish",'
                               r'le="\+Inf"\} 1\n')
        self.assertRegex(body, r'sluice_stream_viewers\{vhost="__defaultVhost__",app="live",'
                               rf'stream="{STREAM}",protocol="http_flv"\}} 0\n')
        self.assertNotIn(SECRET, body)
        check = subprocess.run([PROMTOOL, "check", "metrics"], input=body.encode(),
                               capture_output=True, timeout=20)
        self.assertEqual(check.returncode, 0,
                         f"promtool check metrics: {check.stdout.decode()} {check.stderr.decode()}")

    def test_other_paths_are_404(self):
        with self.assertRaises(urllib.error.HTTPError) as caught:
            http_get(f"http://127.0.0.1:{self.server.metrics_port}/")
        self.assertEqual(caught.exception.code, 404)


class MetricsOffTest(unittest.TestCase):

    def test_listen_off_opens_no_listener(self):
        class OffServer(Server):
            def command(self):
                cmd = super().command()
                at = cmd.index("--metrics-listen")
                return cmd[:at + 1] + ["off"] + cmd[at + 2:]

        server = OffServer()
        self.addCleanup(server.cleanup)
        server.start()
        self.assertIsNone(server.metrics_port)
        self.assertNotIn("metrics listening", server.log())


@unittest.skipUnless(PROMETHEUS, "prometheus not installed (Debian package prometheus; "
                                 "scripts/install-deps.sh --test)")
class PrometheusScrapesTest(E2ETestCase):

    @classmethod
    def prepare_class(cls):
        workdir = cls.class_dir("sluice-prometheus-")
        cls.prometheus_port = free_port()
        config = os.path.join(workdir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                    "scrape_configs:\n  - job_name: sluice\n    scrape_interval: 1s\n"
                    "    scrape_timeout: 1s\n    static_configs:\n"
                    f"      - targets: ['127.0.0.1:{cls.server.metrics_port}']\n")
        log = open(os.path.join(workdir, "prometheus.log"), "wb")
        cls.prometheus_log = log.name
        cls.prometheus = subprocess.Popen(
            [PROMETHEUS, f"--config.file={config}",
             f"--storage.tsdb.path={os.path.join(workdir, 'data')}",
             f"--web.listen-address=127.0.0.1:{cls.prometheus_port}"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=workdir)
        log.close()

        def ready():
            try:
                return http_get(f"http://127.0.0.1:{cls.prometheus_port}/-/ready", 2)[0] == 200
            except OSError:
                return False
        if not harness.wait_until(ready, 30):
            harness.kill_process(cls.prometheus)
            raise RuntimeError("prometheus did not become ready in 30 s:\n"
                               + harness.read_text(cls.prometheus_log)[-3000:])

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "prometheus", None) is not None:
            harness.kill_process(cls.prometheus)
        super().tearDownClass()

    def query(self, expression):
        """The values of an instant query, as floats (empty when no series)."""
        url = (f"http://127.0.0.1:{self.prometheus_port}/api/v1/query?"
               + urllib.parse.urlencode({"query": expression}))
        _, _, body = http_get(url)
        answer = json.loads(body)
        self.assertEqual(answer["status"], "success", body)
        return [float(r["value"][1]) for r in answer["data"]["result"]]

    def wait_query(self, expression, predicate, timeout):
        last = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.query(expression)
            if predicate(last):
                return last
            time.sleep(0.5)
        self.fail(f"prometheus: {expression} gave {last} for {timeout} s\n"
                  + harness.read_text(self.prometheus_log)[-2000:])

    def test_prometheus_sees_two_viewers_and_growing_ingest_bytes(self):
        self.start_publisher(STREAM, seconds=120)
        self.wait_live(STREAM)
        self.track(harness.start_capture(self.server.rtmp_url(STREAM), None,
                                         self.path("rtmp.flv"), self.tmp))
        self.track(harness.start_capture(self.server.flv_url(STREAM), None,
                                         self.path("http.flv"), self.tmp))
        selector = f'sluice_stream_viewers{{stream="{STREAM}",app="live"'
        self.wait_query(f'sum({selector}}})', lambda v: v == [2.0], 30)
        self.wait_query(selector + ',protocol="rtmp"}', lambda v: v == [1.0], 10)
        self.wait_query(selector + ',protocol="http_flv"}', lambda v: v == [1.0], 10)
        self.wait_query('up{job="sluice"}', lambda v: v == [1.0], 10)
        ingest = f'sluice_stream_ingest_bytes_total{{stream="{STREAM}"}}'
        first = self.wait_query(ingest, lambda v: len(v) == 1 and v[0] > 0, 10)[0]
        self.wait_query(ingest, lambda v: len(v) == 1 and v[0] > first, 10)
        self.wait_query("sluice_ingest_bytes_total", lambda v: v and v[0] > first, 10)
        # What the stream's two viewers were sent, counted as it is written.
        sent = f'sluice_stream_sent_bytes_total{{stream="{STREAM}"}}'
        first_sent = self.wait_query(sent, lambda v: len(v) == 1 and v[0] > 0, 10)[0]
        self.wait_query(sent, lambda v: len(v) == 1 and v[0] > first_sent, 10)
        self.wait_query('sluice_plays_open{protocol="http_flv"}', lambda v: v == [1.0], 10)
        self.wait_query('sluice_connections_open{protocol="http"}', lambda v: v and v[0] >= 1, 10)
        # Store latency: the publish's open record, and a quantile Prometheus
        # computes from the buckets (a durable write: well under a second).
        self.wait_query('sluice_store_query_seconds_count{operation="open_publish"}',
                        lambda v: v and v[0] >= 1, 10)
        self.wait_query('histogram_quantile(0.5, sluice_store_query_seconds_bucket'
                        '{operation="open_publish"})', lambda v: len(v) == 1 and 0 < v[0] < 1, 10)


if __name__ == "__main__":
    unittest.main()
