"""The stream-management API (Volcengine Live OpenAPI 2023-01-01) end to end:
Volcengine's own Node.js SDK (@volcengine/openapi, through node/call.js) and
real ffmpeg pushes against the real server; plus requests signed the way
Volcengine's Python SDK signs them (harness.python_sdk_request)."""

import json
import os
import re
import time
import unittest
import urllib.parse

import harness
from harness import (NodeApiTestCase, RawPublisher, kill_process, parse_rfc3339, read_text,
                     rfc3339, wait_until)

AK = "AKLTE2ENODETEST0001"
SK = "e2e-node-secret-0123456789abcdef"
DEFAULT_VHOST = "__defaultVhost__"
PUSH_VHOST = "push.example.com"

CONFIG = f"""
[api]
region = "cn-north-1"
[[api.keys]]
access_key = "{AK}"
secret_key = "{SK}"

[[vhost]]
name = "{PUSH_VHOST}"
push_domains = ["{PUSH_VHOST}"]
play_domains = ["play.example.com"]
"""

SESSION_START_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
SECONDS_TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
SIGN_VECTORS = os.path.join(harness.REPO_ROOT, "tests", "fixtures", "sign", "sign-vectors.json")


class ApiNodeTest(NodeApiTestCase):
    CONFIG = CONFIG
    AK, SK = AK, SK

    @classmethod
    def prepare_class(cls):
        super().prepare_class()
        media_dir = cls.class_dir("e2e-api-media-")
        # A tiny H.264+AAC file pushed with `-c copy` (real ffmpeg, little CPU), and a
        # video-only 5 fps one for the raw publishers of the paging test.
        cls.flv = harness.make_small_flv(os.path.join(media_dir, "small.flv"), seconds=2)
        cls.raw_tags = harness.read_flv_tags(harness.make_small_flv(
            os.path.join(media_dir, "raw.flv"), seconds=2, rate=5, gop=5, audio=False))


    # -- helpers -------------------------------------------------------------

    def ok(self, res, what):
        """Asserts a successful envelope and returns its Result (None if absent)."""
        self.assertEqual(res.status, 200, f"{what}: {res.describe()}")
        self.assertIsNone(res.api_error, f"{what}: {res.describe()}")
        meta = res.metadata
        self.assertEqual(meta.get("Service"), "live", f"{what}: {res.describe()}")
        self.assertEqual(meta.get("Version"), "2023-01-01", f"{what}: {res.describe()}")
        self.assertTrue(meta.get("RequestId"), f"{what}: no RequestId: {res.describe()}")
        return res.result

    def api_error(self, res, status, code, coden, what):
        """Asserts an error envelope with exactly this HTTP status, Code and CodeN."""
        self.assertEqual((res.status, res.code, res.coden), (status, code, coden),
                         f"{what}: expected HTTP {status} {code} ({coden}), got {res.describe()}")
        self.assertNotIn("Result", res.body, f"{what}: an error must carry no Result: {res.describe()}")
        self.assertTrue(res.api_error.get("Message"), f"{what}: empty Message: {res.describe()}")
        self.assertEqual(res.metadata.get("Service"), "live", f"{what}: {res.describe()}")
        self.assertTrue(res.metadata.get("RequestId"), f"{what}: {res.describe()}")

    def online(self, **filters):
        params = {"PageNum": 1, "PageSize": 1000}
        params.update(filters)
        result = self.ok(self.api.get("DescribeLiveStreamInfoByPage", **params),
                         f"DescribeLiveStreamInfoByPage {filters}")
        return result

    def closed(self, start, end, **filters):
        params = {"PageNum": 1, "PageSize": 1000, "EndTimeFrom": rfc3339(start), "EndTimeTo": rfc3339(end)}
        params.update(filters)
        return self.ok(self.api.get("DescribeClosedStreamInfoByPage", **params),
                       f"DescribeClosedStreamInfoByPage {params}")

    def forbidden(self, **filters):
        params = {"PageNum": 1, "PageSize": 1000}
        params.update(filters)
        return self.ok(self.api.get("DescribeForbiddenStreamInfoByPage", **params),
                       f"DescribeForbiddenStreamInfoByPage {filters}")

    def state(self, app, stream, vhost=DEFAULT_VHOST):
        res = self.api.get("DescribeLiveStreamState", Vhost=vhost, App=app, Stream=stream)
        return self.ok(res, f"DescribeLiveStreamState {vhost}/{app}/{stream}")

    def wait_state(self, app, stream, want, timeout, vhost=DEFAULT_VHOST):
        last = {}

        def check():
            last["r"] = self.state(app, stream, vhost)
            return last["r"].get("stream_state") == want
        if not wait_until(check, timeout, 0.05):
            self.fail(f"{vhost}/{app}/{stream} not {want!r} within {timeout}s: {last.get('r')}")

    def push(self, app, stream, loop=True, query=""):
        """A real ffmpeg push (stream copy of the small file)."""
        return self.track(harness.start_flv_publisher(self.server.rtmp_url(stream + query, app=app),
                                                      self.flv, self.tmp, loop=loop))

    def assert_push_refused(self, app, stream, what):
        started = time.monotonic()
        proc = self.push(app, stream)
        try:
            rc = proc.wait(timeout=10)
        except Exception:
            rc = None
        elapsed = time.monotonic() - started
        log = read_text(proc.log_path, 1000)
        self.assertIsNotNone(rc, f"{what}: ffmpeg push of {app}/{stream} was not refused within 10 s; "
                                 f"state={self.state(app, stream)}")
        self.assertNotEqual(rc, 0, f"{what}: ffmpeg exited 0; expected a refused publish. log: {log}")
        self.assertLess(elapsed, 5, f"{what}: the refusal took {elapsed:.1f}s. log: {log}")
        return log

    def raw_publisher(self, app, name):
        pub = RawPublisher(self.server.rtmp_port, app, name, self.raw_tags)
        self.addCleanup(pub.close)
        status = pub.publish()
        self.assertEqual(status, "NetStream.Publish.Start", f"raw publish of {app}/{name} refused")
        return pub

    # -- signature vectors ----------------------------------------------------

    def test_python_signer_matches_sdk_vectors(self):
        """The harness's signer (written from the contract) reproduces the six
        Authorization headers captured from the real Node and Python SDKs."""
        with open(SIGN_VECTORS) as f:
            doc = json.load(f)
        self.assertEqual(harness.volc_signing_key(doc["secret_key"], "20240101", doc["region"]).hex(),
                         doc["signing_key_hex_20240101"])
        self.assertEqual(len(doc["vectors"]), 6)
        for vec in doc["vectors"]:
            with self.subTest(vector=vec["name"]):
                split = urllib.parse.urlsplit(vec["raw_path"])
                pairs = urllib.parse.parse_qsl(split.query, keep_blank_values=True)
                signed = re.search(r"SignedHeaders=([^,]+)", vec["expected"]).group(1).split(";")
                auth, _canonical, _sts = harness.volc_sign(
                    vec["method"], split.path, pairs, dict(vec["headers"]), signed,
                    vec["body"].encode("utf-8"), doc["access_key"], doc["secret_key"], doc["region"])
                self.assertEqual(auth, vec["expected"])
                # and a wrong secret does not
                bad = harness.volc_sign(vec["method"], split.path, pairs, dict(vec["headers"]), signed,
                                        vec["body"].encode("utf-8"), doc["access_key"],
                                        doc["secret_key"] + "x", doc["region"])[0]
                self.assertNotEqual(bad, vec["expected"])

    # -- online streams -------------------------------------------------------

    def test_live_stream_listed_with_fields(self):
        app, name = "info", "cam1"
        before = time.time()
        self.track(harness.start_publisher(self.server.rtmp_url(name, app=app), self.tmp,
                                           size="320x180", rate=15, gop=15))
        self.wait_state(app, name, "online", 15)
        became_online = time.time()
        self.assertEqual(self.state(app, name), {"stream_state": "online", "type": "push"})

        first = self.online(App=app)
        self.assertEqual(first.get("RoughCount"), 1, json.dumps(first))
        self.assertEqual(len(first["StreamInfoList"]), 1, json.dumps(first))
        item = first["StreamInfoList"][0]
        expected = {"Vhost": DEFAULT_VHOST, "Domain": "127.0.0.1", "App": app, "Stream": name,
                    "SourceType": "push"}
        self.assertEqual({k: item.get(k) for k in expected}, expected, json.dumps(item))
        if "StreamType" in item:
            self.assertEqual(item["StreamType"], "origin", json.dumps(item))
        stream_id = item.get("ID")
        self.assertIsInstance(stream_id, int, json.dumps(item))
        self.assertNotIsInstance(stream_id, bool)
        self.assertTrue(0 < stream_id < 2 ** 53, f"ID {stream_id} outside (0, 2^53)")
        start_text = item.get("SessionStartTime", "")
        self.assertRegex(start_text, SESSION_START_RE, "SessionStartTime must be UTC with milliseconds")
        started = parse_rfc3339(start_text)
        self.assertGreaterEqual(started, before - 1.0, f"SessionStartTime {start_text} before the push began")
        self.assertLessEqual(started, became_online + 1.0, f"SessionStartTime {start_text} after it was online")

        second = self.online(App=app)
        self.assertEqual(len(second["StreamInfoList"]), 1, json.dumps(second))
        again = second["StreamInfoList"][0]
        self.assertEqual(again.get("ID"), stream_id, "ID changed between two calls")
        self.assertEqual(again.get("SessionStartTime"), start_text, "SessionStartTime changed")

        # The filters find it (strict name, vhost) or not (other vhost, other name).
        self.assertEqual([i["ID"] for i in self.online(App=app, Stream=name)["StreamInfoList"]], [stream_id])
        self.assertEqual([i["ID"] for i in self.online(Vhost=DEFAULT_VHOST, App=app)["StreamInfoList"]],
                         [stream_id])
        self.assertEqual(self.online(Vhost=PUSH_VHOST, App=app)["StreamInfoList"], [])
        self.assertEqual(self.online(App=app, Stream="cam")["StreamInfoList"], [])  # strict by default
        self.assertEqual(self.online(App=app, StreamType="origin", SourceType="push")["RoughCount"], 1)

        # A request signed like Volcengine's Python SDK's sees the same stream.
        res = harness.python_sdk_request(self.server.api_port, AK, SK, "DescribeLiveStreamInfoByPage",
                                         {"PageNum": 1, "PageSize": 10, "App": app})
        result = self.ok(res, "python-signed DescribeLiveStreamInfoByPage")
        self.assertEqual([(i.get("ID"), i.get("Stream")) for i in result["StreamInfoList"]],
                         [(stream_id, name)], res.describe())

    # -- KillStream ------------------------------------------------------------

    def test_kill_stream(self):
        app, name = "kill", "k1"
        pub = self.push(app, name)
        self.wait_state(app, name, "online", 15)
        self.wait_live(name, app=app)  # media is flowing
        self.assertEqual(len(self.online(App=app, Stream=name)["StreamInfoList"]), 1)

        killed_at = time.time()
        t0 = time.monotonic()
        res = self.api.post("KillStream", Vhost=DEFAULT_VHOST, App=app, Stream=name)
        self.ok(res, "KillStream")
        self.assertNotIn("Result", res.body, f"KillStream succeeds with no Result: {res.describe()}")

        # Offline (by state and list) within 1 s of the call, and ffmpeg's push ends.
        def gone():
            return (self.state(app, name).get("stream_state") == "offline"
                    and not self.online(App=app, Stream=name)["StreamInfoList"])
        self.assertTrue(wait_until(gone, 1.0, 0.05),
                        f"still online 1 s after KillStream: {self.state(app, name)}")
        self.assertTrue(wait_until(lambda: pub.poll() is not None, 1.0 - (time.monotonic() - t0), 0.02),
                        "the ffmpeg publisher was still pushing 1 s after KillStream")
        self.assertNotEqual(pub.returncode, 0, "ffmpeg should see its connection closed")

        history = self.closed(killed_at - 10, time.time() + 10, App=app, Stream=name)
        self.assertEqual(history.get("RoughCount"), 1, json.dumps(history))
        rec = history["StreamInfoList"][0]
        expected = {"Vhost": DEFAULT_VHOST, "Domain": "127.0.0.1", "App": app, "Stream": name,
                    "SourceType": "push", "EndReason": "killed"}
        self.assertEqual({k: rec.get(k) for k in expected}, expected, json.dumps(rec))
        self.assertRegex(rec.get("EndTime", ""), SECONDS_TIME_RE)
        self.assertRegex(rec.get("StartTime", ""), SECONDS_TIME_RE)
        end = parse_rfc3339(rec["EndTime"])
        self.assertLessEqual(abs(end - killed_at), 2.0, f"EndTime {rec['EndTime']} is not the kill time")
        self.assertLessEqual(parse_rfc3339(rec["StartTime"]), end)
        self.assertGreater(rec.get("BytesIn", 0), 0, json.dumps(rec))

        # The publisher may push again at once.
        again_at = time.time()
        self.push(app, name)
        self.wait_state(app, name, "online", 10)
        items = self.online(App=app, Stream=name)["StreamInfoList"]
        self.assertEqual(len(items), 1, json.dumps(items))
        self.assertGreaterEqual(parse_rfc3339(items[0]["SessionStartTime"]), again_at - 1.0,
                                "the new session's SessionStartTime is older than the new push")

    # -- ForbidStream / ResumeStream --------------------------------------------

    def test_forbid_live_stream_then_resume(self):
        app, name = "forbid", "f1"
        pub = self.push(app, name)
        self.wait_state(app, name, "online", 15)
        self.wait_live(name, app=app)  # media is flowing

        forbid_at = time.time()
        end1 = int(forbid_at) + 3600
        res = self.api.post("ForbidStream", Vhost=DEFAULT_VHOST, App=app, Stream=name, EndTime=rfc3339(end1))
        self.ok(res, "ForbidStream")
        self.assertNotIn("Result", res.body, f"ForbidStream succeeds with no Result: {res.describe()}")

        self.assertTrue(wait_until(lambda: pub.poll() is not None, 3.0, 0.02),
                        "the live publisher was not disconnected within 3 s of ForbidStream")
        self.assertEqual(self.state(app, name), {"stream_state": "forbidden", "type": "push"})
        self.assertEqual(self.online(App=app)["StreamInfoList"], [])
        history = self.closed(forbid_at - 10, time.time() + 10, App=app, Stream=name)
        self.assertEqual([r.get("EndReason") for r in history["StreamInfoList"]], ["forbidden"],
                         json.dumps(history))

        self.assert_push_refused(app, name, "push of a forbidden stream")
        self.assertEqual(self.online(App=app)["StreamInfoList"], [], "a refused push was listed")

        listed = self.forbidden(App=app)
        self.assertEqual(listed.get("RoughCount"), 1, json.dumps(listed))
        item = listed["StreamInfoList"][0]
        self.assertEqual({k: item.get(k) for k in ("Vhost", "App", "Stream", "Status")},
                         {"Vhost": DEFAULT_VHOST, "App": app, "Stream": name, "Status": True}, json.dumps(item))
        self.assertEqual(item.get("EndTime"), rfc3339(end1), json.dumps(item))
        self.assertRegex(item.get("CreateTime", ""), SECONDS_TIME_RE)
        self.assertLessEqual(abs(parse_rfc3339(item["CreateTime"]) - forbid_at), 2.0, json.dumps(item))

        # Forbidding again updates EndTime (still one entry).
        end2 = end1 + 3600
        self.ok(self.api.post("ForbidStream", Vhost=DEFAULT_VHOST, App=app, Stream=name,
                              EndTime=rfc3339(end2)), "second ForbidStream")
        listed = self.forbidden(App=app)
        self.assertEqual([i.get("EndTime") for i in listed["StreamInfoList"]], [rfc3339(end2)],
                         f"EndTime not updated by the second forbid: {json.dumps(listed)}")
        self.assertEqual(listed.get("RoughCount"), 1)

        # ResumeStream lifts it at once.
        res = self.api.post("ResumeStream", Vhost=DEFAULT_VHOST, App=app, Stream=name)
        self.ok(res, "ResumeStream")
        self.assertNotIn("Result", res.body, f"ResumeStream succeeds with no Result: {res.describe()}")
        self.assertEqual(self.forbidden(App=app)["StreamInfoList"], [])
        self.assertEqual(self.state(app, name).get("stream_state"), "offline")
        self.push(app, name)
        self.wait_state(app, name, "online", 10)

    def test_forbid_with_end_time_expires_on_time(self):
        app, name = "forbid", "f2"
        end = int(time.time()) + 5
        self.ok(self.api.post("ForbidStream", Vhost=DEFAULT_VHOST, App=app, Stream=name,
                              EndTime=rfc3339(end)), "ForbidStream with a near EndTime")
        self.assertEqual(self.state(app, name).get("stream_state"), "forbidden")
        self.assert_push_refused(app, name, "push before EndTime")
        self.assertLess(time.time(), end - 0.5, "the refusal check ran too late to mean anything")
        self.assertEqual([i.get("Stream") for i in self.forbidden(App=app, Stream=name)["StreamInfoList"]],
                         [name])

        # After EndTime, without a restart: not forbidden, unlisted, and a push goes live.
        wait_until(lambda: time.time() >= end + 0.3, 10, 0.05)
        self.assertTrue(wait_until(lambda: self.state(app, name).get("stream_state") == "offline", 2.0, 0.1),
                        f"state after EndTime: {self.state(app, name)}")
        self.assertEqual(self.forbidden(App=app, Stream=name)["StreamInfoList"], [],
                         "an expired forbid is still listed")
        self.push(app, name)
        self.wait_state(app, name, "online", 10)

    def test_forbid_and_resume_by_domain(self):
        app, name = "bydomain", "d1"
        forbid_at = time.time()
        self.ok(self.api.post("ForbidStream", Domain=PUSH_VHOST, App=app, Stream=name, Priority=0),
                "ForbidStream by Domain (no EndTime)")
        res = self.api.get("DescribeLiveStreamState", Domain=PUSH_VHOST, App=app, Stream=name)
        self.assertEqual(self.ok(res, "state by Domain"), {"stream_state": "forbidden", "type": "push"})
        self.assertEqual(self.state(app, name, vhost=PUSH_VHOST).get("stream_state"), "forbidden")
        self.assertEqual(self.state(app, name).get("stream_state"), "offline",
                         "a forbid in push.example.com must not touch the default vhost")
        listed = self.forbidden(Vhost=PUSH_VHOST, App=app)
        self.assertEqual([(i.get("Vhost"), i.get("Stream")) for i in listed["StreamInfoList"]],
                         [(PUSH_VHOST, name)], json.dumps(listed))
        default_end = forbid_at + 90 * 86400
        self.assertLessEqual(abs(parse_rfc3339(listed["StreamInfoList"][0]["EndTime"]) - default_end), 5,
                             f"default EndTime should be now + 90 days: {json.dumps(listed)}")

        refused = RawPublisher(self.server.rtmp_port, app, f"{name}?domain={PUSH_VHOST}", self.raw_tags)
        self.addCleanup(refused.close)
        self.assertEqual(refused.publish(), "NetStream.Publish.Rejected")
        refused.close()
        other = self.raw_publisher(app, name)   # same name in the default vhost: allowed
        other.close()

        self.api_error(self.api.post("ResumeStream", Vhost=DEFAULT_VHOST, Domain=PUSH_VHOST, App=app,
                                     Stream=name),
                       400, "InvalidParam.Domain", 400001, "ResumeStream with a Domain of another Vhost")
        self.api_error(self.api.post("ResumeStream", App=app, Stream=name),
                       400, "InvalidParam.Vhost", 400001, "ResumeStream with neither Vhost nor Domain")
        # Both given and consistent (as Volcengine's documentation examples do): accepted.
        self.ok(self.api.post("ResumeStream", Vhost=PUSH_VHOST, Domain=PUSH_VHOST, App=app, Stream=name),
                "ResumeStream with Vhost and its Domain")
        self.assertEqual(self.forbidden(Vhost=PUSH_VHOST, App=app)["StreamInfoList"], [])
        self.raw_publisher(app, f"{name}?domain={PUSH_VHOST}")
        self.wait_state(app, name, "online", 5, vhost=PUSH_VHOST)

    # -- paging and search over many streams -------------------------------------

    def test_paging_and_search_over_many_streams(self):
        app = "paging"
        default_names = [f"room-{i:02d}" for i in range(1, 31)] + ["hall-1", "hall-2"]
        push_names = ["room-31", "room-32", "hall-3"]
        pubs = [self.raw_publisher(app, n) for n in default_names]
        pubs += [self.raw_publisher(app, f"{n}?domain={PUSH_VHOST}") for n in push_names]
        everything = {(DEFAULT_VHOST, n) for n in default_names} | {(PUSH_VHOST, n) for n in push_names}
        self.assertTrue(wait_until(lambda: self.online(App=app)["RoughCount"] == 35, 5, 0.1),
                        f"RoughCount {self.online(App=app)['RoughCount']}, expected 35")

        def names(result):
            return [(i["Vhost"], i["Stream"]) for i in result["StreamInfoList"]]

        for size, pages in ((7, [7, 7, 7, 7, 7]), (10, [10, 10, 10, 5]), (35, [35]), (1000, [35])):
            with self.subTest(PageSize=size):
                seen = []
                for num, want in enumerate(pages, start=1):
                    page = self.online(App=app, PageSize=size, PageNum=num)
                    self.assertEqual(page["RoughCount"], 35, f"page {num}: RoughCount")
                    self.assertEqual(len(page["StreamInfoList"]), want, f"page {num} of size {size}")
                    seen += names(page)
                self.assertEqual(len(seen), len(set(seen)), f"duplicates across pages: {seen}")
                self.assertEqual(set(seen), everything, "streams missing across pages")
                past = self.online(App=app, PageSize=size, PageNum=len(pages) + 1)
                self.assertEqual(past["StreamInfoList"], [], "a page past the end must be []")
                self.assertEqual(past["RoughCount"], 35)

        def find(**filters):
            result = self.online(App=app, **filters)
            self.assertEqual(result["RoughCount"], len(result["StreamInfoList"]), json.dumps(result)[:500])
            return sorted(names(result))

        self.assertEqual(find(Stream="room-0", QueryType="fuzzy"),
                         sorted((DEFAULT_VHOST, f"room-0{i}") for i in range(1, 10)))
        self.assertEqual(find(Stream="oom-3", QueryType="fuzzy"),
                         sorted([(DEFAULT_VHOST, "room-30"), (PUSH_VHOST, "room-31"), (PUSH_VHOST, "room-32")]))
        self.assertEqual(find(Stream="hall", QueryType="fuzzy"),
                         sorted([(DEFAULT_VHOST, "hall-1"), (DEFAULT_VHOST, "hall-2"), (PUSH_VHOST, "hall-3")]))
        self.assertEqual(find(Stream="room-1"), [], "strict (default) matched a prefix")
        self.assertEqual(find(Stream="room-1", QueryType="strict"), [])
        self.assertEqual(find(Stream="room-12"), [(DEFAULT_VHOST, "room-12")])
        self.assertEqual(find(Stream="room-12", QueryType="strict"), [(DEFAULT_VHOST, "room-12")])
        push_set = sorted((PUSH_VHOST, n) for n in push_names)
        self.assertEqual(find(Vhost=PUSH_VHOST), push_set)
        self.assertEqual(find(Domain=PUSH_VHOST), push_set)
        self.assertEqual(find(Vhost=PUSH_VHOST, Domain=PUSH_VHOST), push_set)
        self.assertEqual(find(Vhost=DEFAULT_VHOST), sorted((DEFAULT_VHOST, n) for n in default_names))
        self.assertEqual(find(Vhost=PUSH_VHOST, Stream="room", QueryType="fuzzy"),
                         [(PUSH_VHOST, "room-31"), (PUSH_VHOST, "room-32")])
        for item in self.online(App=app, Vhost=PUSH_VHOST)["StreamInfoList"]:
            self.assertEqual(item.get("Domain"), PUSH_VHOST, json.dumps(item))
        ids = [i["ID"] for i in self.online(App=app)["StreamInfoList"]]
        self.assertEqual(len(set(ids)), 35, f"IDs are not unique: {ids}")

        dead = [p.name for p in pubs if p.is_closed()]
        self.assertEqual(dead, [], "raw publishers were disconnected during the test")

    # -- history -------------------------------------------------------------------

    def test_history_paging_sort_and_time_filter(self):
        app = "hist"
        names = [f"h{i}" for i in range(1, 6)]
        t_begin = time.time()
        pubs = {n: self.raw_publisher(app, n) for n in names}
        self.assertTrue(wait_until(lambda: self.online(App=app)["RoughCount"] == 5, 5, 0.1))
        # End them about 2 s apart, so each has its own EndTime second with a gap between.
        ends = {}
        for i, n in enumerate(names):
            if i:
                time.sleep(2.05)
            pubs[n].close()
            ends[n] = time.time()
        self.assertTrue(wait_until(lambda: self.online(App=app)["RoughCount"] == 0, 5, 0.1))

        window = (t_begin - 5, time.time() + 5)
        desc = self.closed(*window, App=app)
        self.assertEqual(desc["RoughCount"], 5, json.dumps(desc))
        self.assertEqual([r["Stream"] for r in desc["StreamInfoList"]], names[::-1],
                         "default order must be by EndTime, newest first")
        end_times = {r["Stream"]: r["EndTime"] for r in desc["StreamInfoList"]}
        for n in names:
            self.assertLessEqual(abs(parse_rfc3339(end_times[n]) - ends[n]), 1.5,
                                 f"{n}: EndTime {end_times[n]} vs closed at {rfc3339(ends[n])}")
        self.assertEqual(len(set(end_times.values())), 5, f"EndTimes not distinct: {end_times}")
        self.assertEqual([r["Stream"] for r in self.closed(*window, App=app, Sort="desc")["StreamInfoList"]],
                         names[::-1])
        self.assertEqual([r["Stream"] for r in self.closed(*window, App=app, Sort="asc")["StreamInfoList"]],
                         names)

        pages = []
        for num in (1, 2, 3, 4):
            page = self.closed(*window, App=app, Sort="asc", PageSize=2, PageNum=num)
            self.assertEqual(page["RoughCount"], 5)
            pages.append([r["Stream"] for r in page["StreamInfoList"]])
        self.assertEqual(pages, [["h1", "h2"], ["h3", "h4"], ["h5"], []])

        # EndTimeFrom/EndTimeTo: a window strictly around h2..h4 (1 s clear of h1 and h5).
        lo = parse_rfc3339(end_times["h2"]) - 1
        hi = parse_rfc3339(end_times["h4"]) + 1
        self.assertLess(parse_rfc3339(end_times["h1"]), lo)
        self.assertGreater(parse_rfc3339(end_times["h5"]), hi)
        mid = self.closed(lo, hi, App=app, Sort="asc")
        self.assertEqual([r["Stream"] for r in mid["StreamInfoList"]], ["h2", "h3", "h4"], json.dumps(mid))
        self.assertEqual(mid["RoughCount"], 3)
        self.assertEqual(self.closed(t_begin - 600, t_begin - 300, App=app)["StreamInfoList"], [])
        # a time with another offset means the same instant
        res = self.api.get("DescribeClosedStreamInfoByPage", PageNum=1, PageSize=100, App=app, Sort="asc",
                           EndTimeFrom=time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(lo + 8 * 3600)),
                           EndTimeTo=time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(hi + 8 * 3600)))
        self.assertEqual([r["Stream"] for r in self.ok(res, "+08:00 window")["StreamInfoList"]],
                         ["h2", "h3", "h4"])
        for r in desc["StreamInfoList"]:
            self.assertEqual((r.get("Vhost"), r.get("Domain"), r.get("App"), r.get("SourceType")),
                             (DEFAULT_VHOST, "127.0.0.1", app, "push"), json.dumps(r))
            self.assertRegex(r.get("StartTime", ""), SECONDS_TIME_RE)

    # -- errors --------------------------------------------------------------------

    def test_errors_through_the_sdk(self):
        api = self.api
        state = {"Vhost": DEFAULT_VHOST, "App": "live", "Stream": "nobody"}
        cases = [
            ("wrong secret", api.call("DescribeLiveStreamState", state, sk=SK + "x"),
             401, "SignatureDoesNotMatch", 100010),
            ("wrong secret on POST", api.call("KillStream", state, sk="not-the-secret-at-all"),
             401, "SignatureDoesNotMatch", 100010),
            ("unknown access key", api.call("DescribeLiveStreamState", state, ak="AKLTNOSUCHKEY000"),
             401, "InvalidAccessKey", 100009),
            ("STS session token", api.call("DescribeLiveStreamState", state, sessionToken="STS2eyJmYWtlIjoxfQ=="),
             401, "InvalidAccessKey", 100009),
            ("X-Date an hour old", api.call("DescribeLiveStreamState", state, dateOffsetSeconds=-3600),
             400, "InvalidTimestamp", 100006),
            ("X-Date an hour ahead", api.call("KillStream", state, dateOffsetSeconds=3600),
             400, "InvalidTimestamp", 100006),
            ("unknown action", api.call("DescribeNothing", {}, method="GET"),
             404, "InvalidActionOrVersion", 100008),
            ("unknown version", api.call("DescribeLiveStreamState", state, version="2020-08-01"),
             404, "InvalidActionOrVersion", 100008),
            ("no App", api.get("DescribeLiveStreamState", Vhost=DEFAULT_VHOST, Stream="s"),
             400, "InvalidParam.App", 400001),
            ("no Stream", api.get("DescribeLiveStreamState", Vhost=DEFAULT_VHOST, App="live"),
             400, "InvalidParam.Stream", 400001),
            ("neither Vhost nor Domain", api.get("DescribeLiveStreamState", App="live", Stream="s"),
             400, "InvalidParam.Vhost", 400001),
            ("PageSize 0", api.get("DescribeLiveStreamInfoByPage", PageNum=1, PageSize=0),
             400, "InvalidParam.PageSize", 400001),
            ("PageSize 1001", api.get("DescribeLiveStreamInfoByPage", PageNum=1, PageSize=1001),
             400, "InvalidParam.PageSize", 400001),
            ("PageNum 0", api.get("DescribeLiveStreamInfoByPage", PageNum=0, PageSize=10),
             400, "InvalidParam.PageNum", 400001),
            ("no EndTimeFrom", api.get("DescribeClosedStreamInfoByPage", PageNum=1, PageSize=10,
                                       EndTimeTo=rfc3339(time.time())),
             400, "InvalidParam.EndTimeFrom", 400001),
            ("KillStream of an offline stream", api.post("KillStream", Vhost=DEFAULT_VHOST, App="live",
                                                         Stream="nobody"),
             404, "NotFound.Stream", 404001),
            ("ResumeStream of a stream not forbidden", api.post("ResumeStream", Vhost=DEFAULT_VHOST,
                                                                App="live", Stream="nobody"),
             404, "NotFound.ForbiddenStream", 404002),
            ("ForbidStream with EndTime in the past", api.post("ForbidStream", Vhost=DEFAULT_VHOST, App="live",
                                                               Stream="nobody",
                                                               EndTime=rfc3339(time.time() - 60)),
             400, "InvalidParam.EndTime", 400001),
        ]
        for what, res, status, code, coden in cases:
            with self.subTest(case=what):
                self.api_error(res, status, code, coden, what)
        # the missing field is named in the message
        res = api.get("DescribeLiveStreamState", Vhost=DEFAULT_VHOST, Stream="s")
        self.assertIn("App", res.api_error.get("Message", ""), res.describe())
        # Boundaries that are fine: PageSize 1 and 1000, and an X-Date 2 minutes off.
        self.ok(api.get("DescribeLiveStreamInfoByPage", PageNum=1, PageSize=1), "PageSize 1")
        self.ok(api.get("DescribeLiveStreamInfoByPage", PageNum=1, PageSize=1000), "PageSize 1000")
        self.ok(api.call("DescribeLiveStreamState", state, dateOffsetSeconds=-120), "X-Date 2 min old")
        self.assertEqual(self.state("live", "never-seen"), {"stream_state": "offline", "type": "push"})

    def test_errors_without_the_sdk(self):
        port = self.server.api_port
        query = "/?Action=DescribeLiveStreamState&Version=2023-01-01&Vhost=__defaultVhost__&App=live&Stream=s"
        self.api_error(harness.raw_api_request(port, "GET", query), 401, "MissingAuthenticationToken", 100003,
                       "unsigned request")
        stale = harness.volc_x_date(time.time() - 20 * 60)
        self.api_error(harness.python_sdk_request(port, AK, SK, "DescribeLiveStreamState",
                                                  {"Vhost": DEFAULT_VHOST, "App": "live", "Stream": "s"},
                                                  x_date=stale),
                       400, "InvalidTimestamp", 100006, "python-signed request with X-Date 20 min old")
        self.api_error(harness.python_sdk_request(port, AK, SK, "DescribeLiveStreamState",
                                                  {"Vhost": DEFAULT_VHOST, "App": "live", "Stream": "s"},
                                                  sign_sk=SK[:-1]),
                       401, "SignatureDoesNotMatch", 100010, "python-signed request, wrong secret")
        self.api_error(harness.python_sdk_request(port, AK, SK, "KillStream",
                                                  {"Vhost": DEFAULT_VHOST, "App": "live", "Stream": "s"},
                                                  method="POST", sign_sk="wrong-secret-0123456789"),
                       401, "SignatureDoesNotMatch", 100010, "python-signed POST, wrong secret")

    # -- Python-SDK-shaped requests -------------------------------------------------

    def test_python_sdk_style_requests(self):
        """Unsorted query, '+' and %2A on the wire, host;x-content-sha256;x-date
        signed on GET and content-type;... on POST: all accepted."""
        port = self.server.api_port
        app, name = "pysdk", "py-1"
        target = {"Vhost": DEFAULT_VHOST, "App": app, "Stream": name}

        res = harness.python_sdk_request(port, AK, SK, "DescribeLiveStreamState",
                                         {"Vhost": DEFAULT_VHOST, "App": app, "Stream": name})
        self.assertEqual(self.ok(res, "python GET state"), {"stream_state": "offline", "type": "push"})

        end = int(time.time()) + 600
        res = harness.python_sdk_request(port, AK, SK, "ForbidStream", dict(target, EndTime=rfc3339(end)),
                                         method="POST")
        self.ok(res, "python POST ForbidStream")
        self.assertEqual(self.state(app, name).get("stream_state"), "forbidden")
        self.assertEqual([i.get("EndTime") for i in self.forbidden(App=app)["StreamInfoList"]], [rfc3339(end)])
        self.ok(harness.python_sdk_request(port, AK, SK, "ResumeStream", target, method="POST"),
                "python POST ResumeStream")
        self.assertEqual(self.state(app, name).get("stream_state"), "offline")

        # A value with a space and '*': on the wire as '+' and %2A.  Not a valid stream name,
        # so the server may refuse the parameter, but the signature must verify.
        res = harness.python_sdk_request(port, AK, SK, "DescribeLiveStreamInfoByPage",
                                         {"PageNum": 1, "PageSize": 10, "App": app,
                                          "Stream": "py 1*", "QueryType": "fuzzy"})
        self.assertNotIn(res.code, ("SignatureDoesNotMatch", "InvalidAccessKey", "MissingAuthenticationToken"),
                         res.describe())
        if res.status == 200:
            self.assertEqual(res.result.get("StreamInfoList"), [], res.describe())
        else:
            self.assertEqual(res.status, 400, res.describe())
            self.assertTrue((res.code or "").startswith("InvalidParam."), res.describe())
        # The same through the Node SDK (%20 and a bare '*', sorted): the same answer.
        node = self.api.get("DescribeLiveStreamInfoByPage", PageNum=1, PageSize=10, App=app,
                            Stream="py 1*", QueryType="fuzzy")
        self.assertEqual((node.status, node.code), (res.status, res.code), node.describe())

    def test_node_sdk_request_shape(self):
        """The Node SDK really signs what the contract says it signs (x-date on
        GET, x-content-sha256;x-date on POST), so the other tests exercise that
        path of the server's verifier."""
        get = self.api.call("DescribeLiveStreamState", {"Vhost": DEFAULT_VHOST, "App": "live", "Stream": "shape"},
                            showHeaders=True)
        self.ok(get, "GET")
        self.assertIn(f"Credential={AK}/", get.headers.get("Authorization", ""))
        self.assertIn("SignedHeaders=x-date,", get.headers.get("Authorization", ""))
        post = self.api.call("ResumeStream", {"Vhost": DEFAULT_VHOST, "App": "live", "Stream": "shape"},
                             showHeaders=True)
        self.api_error(post, 404, "NotFound.ForbiddenStream", 404002, "POST")
        self.assertIn("SignedHeaders=x-content-sha256;x-date,", post.headers.get("Authorization", ""))
        self.assertTrue(post.headers.get("X-Content-Sha256"), post.headers)


if __name__ == "__main__":
    unittest.main(verbosity=2)
