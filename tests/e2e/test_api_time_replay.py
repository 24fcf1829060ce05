"""The management API over real HTTP: times across years 0001-9999 (2038,
2262, 2611, 9999), replay-safe writes (the exact bytes of a captured
ForbidStream sent again after a ResumeStream change nothing; a retried write
gets the first answer), and bad input echoed only as a short escaped prefix
(a 15,000-character access key, control characters).  Requests are signed
from the wire contract (harness.volc_sign) and sent as raw bytes, so a replay
is byte for byte; reads also go through Volcengine's Node.js SDK."""

import http.client
import json
import os
import socket
import time
import unittest
from datetime import datetime, timedelta, timezone

import harness
from harness import NodeApiTestCase, read_text, rfc3339, wait_until

AK = "AKLTE2EREPLAYTEST001"
SK = "e2e-replay-secret-0123456789abcdef"
DEFAULT_VHOST = "__defaultVhost__"
CONFIG = harness.api_keys_toml(AK, SK)


def signed_bytes(port, action, params, method="POST", ak=AK, sk=SK, x_date=None, query_action=None):
    """The bytes of one HTTP request signed as Volcengine's Python SDK signs
    (harness.signed_api_call), closing the connection after it."""
    target, headers, body = harness.signed_api_call(action, params, ak, sk, method=method,
                                                    host=f"127.0.0.1:{port}", x_date=x_date,
                                                    query_action=query_action)
    headers["Content-Length"] = str(len(body))
    head = f"{method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode("latin-1") + b"Connection: close\r\n\r\n" + body


def send_bytes(port, data, timeout=10.0):
    """Sends raw request bytes on a fresh connection -> (status, body bytes)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.read()


class ApiTimeReplayTest(NodeApiTestCase):
    CONFIG = CONFIG
    AK, SK = AK, SK

    @classmethod
    def prepare_class(cls):
        super().prepare_class()
        cls.flv = harness.make_small_flv(os.path.join(cls.class_dir("e2e-replay-media-"), "small.flv"),
                                         seconds=2)


    # -- helpers -------------------------------------------------------------

    def ok(self, res, what):
        self.assertEqual((res.status, res.code), (200, None), f"{what}: {res.describe()}")
        return res.result

    def state(self, app, stream):
        return self.ok(self.api.get("DescribeLiveStreamState", Vhost=DEFAULT_VHOST, App=app, Stream=stream),
                       f"state of {app}/{stream}")["stream_state"]

    def send(self, data):
        status, body = send_bytes(self.server.api_port, data)
        try:
            return status, body, json.loads(body)
        except ValueError:
            self.fail(f"HTTP {status}: not JSON: {body[:300]!r}")

    def push(self, app, stream, loop=True):
        return self.track(harness.start_flv_publisher(self.server.rtmp_url(stream, app=app), self.flv,
                                                      self.tmp, loop=loop))

    # -- replay-safe writes --------------------------------------------------

    def test_replayed_forbid_does_not_undo_a_resume(self):
        port = self.server.api_port
        target = {"Vhost": DEFAULT_VHOST, "App": "replay", "Stream": "cam"}
        forbid = signed_bytes(port, "ForbidStream", target)
        status, first_body, first = self.send(forbid)
        self.assertEqual(status, 200, first_body)
        self.assertEqual(self.state("replay", "cam"), "forbidden")
        self.ok(self.api.post("ResumeStream", **target), "ResumeStream (Node SDK)")
        self.assertEqual(self.state("replay", "cam"), "offline")

        status, replay_body, _ = self.send(forbid)   # the captured bytes again
        self.assertEqual(status, 200, replay_body)
        self.assertEqual(replay_body, first_body, "a replay must get the first answer, byte for byte")
        self.assertEqual(self.state("replay", "cam"), "offline", "the replayed ForbidStream ran again")
        self.assertEqual(self.ok(self.api.get("DescribeForbiddenStreamInfoByPage", PageNum=1, PageSize=100,
                                              App="replay"), "forbidden list")["RoughCount"], 0)
        # And a real publisher is let in.
        self.push("replay", "cam")
        self.assertTrue(wait_until(lambda: self.state("replay", "cam") == "online", 15, 0.1),
                        f"push after the replay did not go online: {self.state('replay', 'cam')}")
        self.assertIn("answered as the first time", self.server.log())

    def test_retried_write_gets_the_same_answer(self):
        port = self.server.api_port
        target = {"Vhost": DEFAULT_VHOST, "App": "replay", "Stream": "retried"}
        self.push("replay", "retried")
        self.assertTrue(wait_until(lambda: self.state("replay", "retried") == "online", 15, 0.1))
        kill = signed_bytes(port, "KillStream", target)
        answers = [self.send(kill) for _ in range(3)]
        self.assertEqual(answers[0][0], 200, answers[0][1])
        self.assertEqual({a[1] for a in answers}, {answers[0][1]}, "retries got different answers")
        self.assertEqual(answers[0][2]["ResponseMetadata"]["Action"], "KillStream")
        history = self.ok(self.api.get("DescribeClosedStreamInfoByPage", PageNum=1, PageSize=100, App="replay",
                                       Stream="retried", EndTimeFrom=rfc3339(time.time() - 600),
                                       EndTimeTo="9999-12-31T23:59:59Z"), "history")
        self.assertEqual([r["EndReason"] for r in history["StreamInfoList"]], ["killed"],
                         "one kill, however often it was sent")
        # An error answer is kept too: ResumeStream of a stream not forbidden, sent twice.
        resume = signed_bytes(port, "ResumeStream", target)
        first = self.send(resume)
        self.assertEqual((first[0], first[2]["ResponseMetadata"]["Error"]["Code"]),
                         (404, "NotFound.ForbiddenStream"))
        self.assertEqual(self.send(resume)[1], first[1])

    def test_reads_are_run_every_time(self):
        port = self.server.api_port
        params = {"Vhost": DEFAULT_VHOST, "App": "replay", "Stream": "read"}
        state = signed_bytes(port, "DescribeLiveStreamState", params, method="GET")
        _, _, before = self.send(state)
        self.ok(self.api.post("ForbidStream", **params), "ForbidStream")
        _, _, after = self.send(state)
        self.assertEqual((before["Result"]["stream_state"], after["Result"]["stream_state"]),
                         ("offline", "forbidden"))
        self.assertNotEqual(before["ResponseMetadata"]["RequestId"], after["ResponseMetadata"]["RequestId"])
        self.ok(self.api.post("ResumeStream", **params), "ResumeStream")

    # -- times ----------------------------------------------------------------

    def test_history_up_to_year_9999(self):
        one_shot = self.push("times", "ended", loop=False)
        self.assertTrue(wait_until(lambda: one_shot.poll() is not None, 20, 0.1), "the push never ended")
        self.assertEqual(one_shot.returncode, 0, read_text(one_shot.log_path, 800))

        def history(end_from, end_to):
            return self.api.get("DescribeClosedStreamInfoByPage", PageNum=1, PageSize=100, App="times",
                                EndTimeFrom=end_from, EndTimeTo=end_to)
        self.assertTrue(wait_until(lambda: (history("2024-01-01T00:00:00Z", "9999-12-31T23:59:59Z").result
                                            or {}).get("RoughCount") == 1, 5, 0.1),
                        history("2024-01-01T00:00:00Z", "9999-12-31T23:59:59Z").describe())
        for end_from, end_to in (("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"),
                                 ("1970-01-01T00:00:00Z", "2262-04-12T00:00:00Z"),
                                 ("2024-01-01T00:00:00+08:00", "9999-12-31T23:59:60Z")):
            with self.subTest(end_from=end_from, end_to=end_to):
                result = self.ok(history(end_from, end_to), f"{end_from} .. {end_to}")
                self.assertEqual([r["Stream"] for r in result["StreamInfoList"]], ["ended"])
        for end_from, end_to in (("2038-01-19T03:14:08Z", "9999-12-31T23:59:59Z"),
                                 ("2262-04-12T00:00:00Z", "9999-12-31T23:59:59Z")):
            with self.subTest(end_from=end_from, end_to=end_to):
                self.assertEqual(self.ok(history(end_from, end_to), end_from)["RoughCount"], 0)
        res = history("2024-01-01T00:00:00Z", "10000-01-01T00:00:00Z")
        self.assertEqual((res.status, res.code), (400, "InvalidParam.EndTimeTo"), res.describe())
        self.assertIn("9999-12-31T23:59:59Z", res.api_error["Message"])

    def test_far_future_forbid_is_refused_not_stored_wrong(self):
        for end in ("2611-06-24T00:00:00Z", "2262-04-12T00:00:00Z", "9999-12-31T23:59:59Z"):
            with self.subTest(end=end):
                res = self.api.post("ForbidStream", Vhost=DEFAULT_VHOST, App="times", Stream="far", EndTime=end)
                self.assertEqual((res.status, res.code), (400, "InvalidParam.EndTime"), res.describe())
                self.assertIn("at most 90 days ahead", res.api_error["Message"])
        self.assertEqual(self.state("times", "far"), "offline")
        listed = self.ok(self.api.get("DescribeForbiddenStreamInfoByPage", PageNum=1, PageSize=100, App="times"),
                         "forbidden list")
        self.assertEqual(listed["StreamInfoList"], [])

    def test_x_date_far_from_now_is_an_invalid_timestamp(self):
        port = self.server.api_port
        params = {"Vhost": DEFAULT_VHOST, "App": "times", "Stream": "s"}
        # 2^64 ns after now: a 64-bit nanosecond clock wraps it to exactly now (the
        # issue's 26110622T232649Z was that instant when it was found).
        wraps_to_now = (datetime.now(timezone.utc) + timedelta(seconds=2**64 / 1e9)).strftime("%Y%m%dT%H%M%SZ")
        for x_date in (wraps_to_now, "26110622T232649Z", "22620412T000000Z", "99991231T235959Z",
                       "00010101T000000Z"):
            with self.subTest(x_date=x_date):
                res = harness.python_sdk_request(port, AK, SK, "DescribeLiveStreamState", params, x_date=x_date)
                self.assertEqual((res.status, res.code), (400, "InvalidTimestamp"), res.describe())
        # A write signed in 2611 is refused before anything runs.
        status, body, parsed = self.send(signed_bytes(port, "ForbidStream", params, x_date=wraps_to_now))
        self.assertEqual((status, parsed["ResponseMetadata"]["Error"]["Code"]), (400, "InvalidTimestamp"), body)
        self.assertEqual(self.state("times", "s"), "offline")

    # -- bad input echoed short ----------------------------------------------

    def test_huge_access_key_and_control_characters_are_not_echoed(self):
        port = self.server.api_port
        params = {"Vhost": DEFAULT_VHOST, "App": "live", "Stream": "s"}
        huge_ak = "AK" + "x" * 14_998
        res = harness.python_sdk_request(port, huge_ak, SK, "DescribeLiveStreamState", params)
        self.assertEqual((res.status, res.code), (401, "InvalidAccessKey"), res.describe(300))
        self.assertLess(len(res.raw), 1000, res.raw[:300])
        self.assertIn("...(+14936 bytes)", res.api_error["Message"])

        # Control characters and length in the Action (query) and in a JSON key.
        action = "Kill\x01\x1b[2J" + "y" * 15_000
        status, body, parsed = self.send(signed_bytes(port, "KillStream", params, method="GET",
                                                      query_action=action))
        self.assertEqual((status, parsed["ResponseMetadata"]["Error"]["Code"]), (404, "InvalidActionOrVersion"))
        self.assertLess(len(body), 1000, body[:300])
        self.assertTrue(parsed["ResponseMetadata"]["Action"].startswith("Kill\\x01\\x1b[2Jyyy"),
                        parsed["ResponseMetadata"])
        for text in (parsed["ResponseMetadata"]["Action"], parsed["ResponseMetadata"]["Error"]["Message"]):
            self.assertFalse(any(ord(c) < 0x20 for c in text), repr(text))

        key = "\x1b]0;pwned\x07" + "k" * 15_000
        status, body, parsed = self.send(signed_bytes(port, "ForbidStream", dict(params, **{key: [1]})))
        error = parsed["ResponseMetadata"]["Error"]
        self.assertEqual(status, 400, body[:300])
        self.assertTrue(error["Code"].startswith("InvalidParam.\\x1b]0;pwned\\x07kkk"), error)
        self.assertLess(len(body), 1000, body[:300])
        self.assertFalse(any(ord(c) < 0x20 for c in error["Code"] + error["Message"]), error)
        # The server log holds no 15,000-character line either.
        self.assertFalse([line for line in self.server.log().splitlines() if len(line) > 2000])


if __name__ == "__main__":
    unittest.main(verbosity=2)
