// The console's stream URLs (console/urls.js): the server's signed ones read
// from Volcengine-shaped answers, and the plain fallback when the server
// gives none (an older sluice without the actions, a server gone away). The
// answers come through the console's real ApiClient (signing included); the
// real server's side is tests/e2e/test_console.py and test_api_signed_urls.py.
//   node --test tests/console/
import assert from "node:assert/strict";
import {test} from "node:test";

import {ApiClient} from "../../console/api.js";
import {plainUrls, serverUrls} from "../../console/urls.js";

const server = {rtmp_port: 1935, media_port: 8080, hls: true};
const stream = {Vhost: "__defaultVhost__", App: "live", Stream: "cam1"};
const credentials = {accessKey: "AK", secretKey: "SK", region: "cn-north-1"};

function answering(reply) {
  const seen = [];
  const client = new ApiClient(credentials, async (url, init) => {
    const action = new URLSearchParams(url.split("?")[1]).get("Action");
    seen.push({action, method: init.method, body: init.body, auth: init.headers.Authorization});
    return reply(action);
  });
  return {client, seen};
}

const envelope = (action, result, status = 200, error = null) => new Response(JSON.stringify({
  ResponseMetadata: {RequestId: "r", Action: action, Version: "2023-01-01", Service: "live",
                     Region: "cn-north-1", ...(error ? {Error: error} : {})},
  ...(result ? {Result: result} : {})}), {status});

test("plain URLs: ports from server.json, ?vhost= outside the default vhost, HLS only when on", () => {
  assert.deepEqual(plainUrls(stream, server, "example.com"), {
    push: "rtmp://example.com:1935/live/cam1", rtmp: "rtmp://example.com:1935/live/cam1",
    flv: "http://example.com:8080/live/cam1.flv", hls: "http://example.com:8080/live/cam1.m3u8"});
  const other = plainUrls({...stream, Vhost: "v.example"}, {...server, hls: false}, "h");
  assert.equal(other.flv, "http://h:8080/live/cam1.flv?vhost=v.example");
  assert.equal(other.hls, null);
});

test("signed URLs from GeneratePushURL and GeneratePlayURL", async () => {
  const push = "rtmp://h/live/cam1?volcTime=1893456000&volcSecret=0123456789abcdef0123456789abcdef";
  const play = "http://h:8080/live/cam1.flv?volcTime=1893456000&volcSecret=fedcba9876543210fedcba9876543210";
  const {client, seen} = answering((action) => envelope(action, action === "GeneratePushURL"
    ? {PushURLList: [push], PushURLListDetail: [{URL: push, DomainApp: "rtmp://h/live/",
                                                  StreamSign: push.slice("rtmp://h/live/".length)}]}
    : {URLList: [{URL: play, CDN: "fcdn", Protocol: "flv", Type: "pull"}]}));
  const urls = await serverUrls(client, stream, server, "h");
  assert.equal(urls.push, push);
  assert.equal(urls.obsServer + urls.obsKey, push);
  assert.equal(urls.flv, play);
  assert.equal(urls.hls, null);  // not in the answer: not shown
  assert.equal(urls.signed, true);
  assert.match(urls.note, /^Signed URLs, valid until /);
  // The two calls run concurrently (Promise.all) and each signs with WebCrypto
  // first, so the order they reach fetch in is not fixed: compare as a set.
  assert.deepEqual(seen.map((s) => [s.action, s.method, JSON.parse(s.body)])
                       .sort((a, b) => a[0].localeCompare(b[0])), [
    ["GeneratePlayURL", "POST", {Vhost: "__defaultVhost__", App: "live", Stream: "cam1"}],
    ["GeneratePushURL", "POST", {Vhost: "__defaultVhost__", App: "live", Stream: "cam1"}]]);
  assert.ok(seen.every((s) => s.auth.startsWith("HMAC-SHA256 Credential=AK/")));
});

test("an API error (a server without the actions): plain URLs and the error's code", async () => {
  const {client} = answering((action) => envelope(action, null, 404, {
    CodeN: 100008, Code: "InvalidActionOrVersion", Message: `unknown action ${action}`}));
  const urls = await serverUrls(client, stream, server, "h", (e) => `${e.code}: ${e.apiMessage}`);
  assert.equal(urls.signed, false);
  assert.equal(urls.push, "rtmp://h:1935/live/cam1");
  assert.equal(urls.hls, "http://h:8080/live/cam1.m3u8");
  assert.match(urls.note, /^Unsigned URLs \(the server gave none: InvalidActionOrVersion: unknown action/);
});

test("no answer at all: plain URLs, the reason given", async () => {
  const client = new ApiClient(credentials, async () => { throw new TypeError("fetch failed"); });
  const urls = await serverUrls(client, stream, server, "h", (e) => e.code);
  assert.equal(urls.flv, "http://h:8080/live/cam1.flv");
  assert.equal(urls.note, "Unsigned URLs (the server gave none: NetworkError)");
});
