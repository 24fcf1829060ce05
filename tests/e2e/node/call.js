#!/usr/bin/env node
// Calls actions of sluice's management API with Volcengine's own Node.js SDK
// (@volcengine/openapi) and prints one JSON line per call on stdout:
//
//   {"status": <HTTP status or null>, "body": <the JSON envelope or null>, "error": <text or null>}
//
// Usage: node call.js '<request JSON>'   one call, then exit
//        node call.js --serve            one request JSON per stdin line, one answer line
//                                        each, in order, until stdin closes
//
// Request fields:
//   host       "127.0.0.1:PORT"                       (required)
//   ak, sk     access key / secret key                (required)
//   action     e.g. "DescribeLiveStreamState"         (required)
//   method     "GET" (createAPI, query) or "POST" (createJSONAPI, JSON body); default GET
//   params     object of request parameters           (default {})
//   version    default "2023-01-01"
//   region     default "cn-north-1"
//   sessionToken       optional STS token (the SDK sends X-Security-Token)
//   dateOffsetSeconds  optional: the SDK signs with a clock shifted by this many seconds
//                      (the SDK takes X-Date from `new Date()`; the global clock is
//                      shifted for the duration of the call)
//   showHeaders        optional: also print the request headers the SDK sent
//
// One-call mode exits 0 when an HTTP response arrived (whatever its status), 2 otherwise.
"use strict";

const path = require("path");
const readline = require("readline");
const { Service } = require("@volcengine/openapi");

// The SDK's fetch returns only the body; the HTTP status (and the headers it
// sent) are read with interceptors on the very axios instance the SDK uses.
const axios = require(require.resolve("axios", {
  paths: [path.dirname(require.resolve("@volcengine/openapi"))],
}));
let lastStatus = null;
let lastHeaders = null;
axios.interceptors.request.use((config) => {
  lastHeaders = config.headers;
  return config;
});
axios.interceptors.response.use((res) => {
  lastStatus = res.status;
  return res;
});

const RealDate = Date;
function withShiftedClock(offsetMs, fn) {
  if (!offsetMs) return fn();
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(RealDate.now() + offsetMs);
      else super(...args);
    }
    static now() {
      return RealDate.now() + offsetMs;
    }
  }
  global.Date = ShiftedDate;
  // The SDK reads the clock synchronously while it signs, before the first await.
  try {
    return fn();
  } finally {
    global.Date = RealDate;
  }
}

async function call(req) {
  lastStatus = null;
  lastHeaders = null;
  const svc = new Service({
    host: req.host,
    protocol: "http:",
    serviceName: "live",
    region: req.region || "cn-north-1",
    accessKeyId: req.ak,
    secretKey: req.sk,
    sessionToken: req.sessionToken,
  });
  const version = req.version || "2023-01-01";
  const method = (req.method || "GET").toUpperCase();
  const api = method === "GET"
    ? svc.createAPI(req.action, { Version: version, method: "GET" })
    : svc.createJSONAPI(req.action, { Version: version });
  const out = { status: null, body: null, error: null };
  try {
    const pending = withShiftedClock(Math.round((req.dateOffsetSeconds || 0) * 1000),
                                     () => api(req.params || {}));
    out.body = await pending;
  } catch (e) {
    out.error = String((e && e.stack) || e);
  }
  out.status = lastStatus;
  if (req.showHeaders && lastHeaders) {
    const h = {};
    for (const k of Object.keys(lastHeaders)) {
      if (typeof lastHeaders[k] === "string") h[k] = lastHeaders[k];
    }
    out.headers = h;
  }
  return out;
}

function errorLine(e) {
  return JSON.stringify({ status: null, body: null, error: String((e && e.stack) || e) }) + "\n";
}

async function serve() {
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    if (!line.trim()) continue;
    try {
      process.stdout.write(JSON.stringify(await call(JSON.parse(line))) + "\n");
    } catch (e) {
      process.stdout.write(errorLine(e));
    }
  }
}

async function once(text) {
  const out = await call(JSON.parse(text));
  process.stdout.write(JSON.stringify(out) + "\n");
  process.exitCode = out.status === null ? 2 : 0;
}

(process.argv[2] === "--serve" ? serve() : once(process.argv[2])).catch((e) => {
  process.stdout.write(errorLine(e));
  process.exitCode = 2;
});
