// Volcengine V4 request signing (HMAC-SHA256) with WebCrypto, as the SDKs
// sign and sluice verifies (docs/api.md, "Signature"). Checked against the
// SDKs' captured requests in tests/fixtures/sign/ by tests/console/signer.test.mjs.
//
// The console signs as the Node.js SDK does: x-date on GET, and
// x-content-sha256;x-date with a body; a browser may not set Host itself.

const encoder = new TextEncoder();

function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

function bytesOf(data) {
  return typeof data === "string" ? encoder.encode(data) : data;
}

export async function sha256Hex(data) {
  return hex(await crypto.subtle.digest("SHA-256", bytesOf(data)));
}

async function hmac(key, data) {
  const cryptoKey = await crypto.subtle.importKey(
    "raw", bytesOf(key), {name: "HMAC", hash: "SHA-256"}, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, bytesOf(data)));
}

// The HMAC chain from the raw secret: date → region → service → "request".
export async function signingKey(secretKey, date, region, service) {
  let key = await hmac(secretKey, date);
  key = await hmac(key, region);
  key = await hmac(key, service);
  return hmac(key, "request");
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

// RFC 3986 over bytes: only A-Z a-z 0-9 - _ . ~ stay bare, hex upper-case.
function uriEncodeBytes(bytes) {
  let out = "";
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && UNRESERVED.test(c) ? c : "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

export function uriEncode(text) {
  return uriEncodeBytes(encoder.encode(text));
}

// Form decoding to bytes ('+' and %20 are both a space), as the server reads
// a query; a stray '%' stays itself.
function formDecode(text) {
  const bytes = [];
  const raw = encoder.encode(text);
  for (let i = 0; i < raw.length; ++i) {
    const b = raw[i];
    const pair = i + 2 < raw.length ? String.fromCharCode(raw[i + 1], raw[i + 2]) : "";
    if (b === 0x2b) {
      bytes.push(0x20);
    } else if (b === 0x25 && /^[0-9A-Fa-f]{2}$/.test(pair)) {
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else {
      bytes.push(b);
    }
  }
  return new Uint8Array(bytes);
}

// The canonical query of a raw query string (without '?'): every parameter
// decoded, re-encoded, sorted by key then value.
export function canonicalQuery(rawQuery) {
  const pairs = rawQuery.split("&").filter((p) => p !== "").map((part) => {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? "" : part.slice(eq + 1);
    return [uriEncodeBytes(formDecode(key)), uriEncodeBytes(formDecode(value))];
  });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join("&");
}

// A query string in canonical form from an object (what the console sends,
// so the wire and the signature agree).
export function buildQuery(params) {
  return canonicalQuery(Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `${uriEncode(k)}=${uriEncode(String(v))}`).join("&"));
}

function canonicalPath(path) {
  return (path || "/").split("/").map(uriEncode).join("/");
}

// The Authorization header value for one request.
//   request: {method, path, query (raw, no '?'), headers: [[name, value]...], body}
//   credentials: {accessKey, secretKey, region, service}
//   signedHeaders: lower-case names, e.g. ["x-content-sha256", "x-date"]
export async function authorization(request, credentials, signedHeaders) {
  const headerValue = (name) => {
    const found = request.headers.find(([k]) => k.toLowerCase() === name);
    return found ? found[1].trim().replace(/\s+/g, " ") : "";
  };
  const xDate = headerValue("x-date");
  const date = xDate.slice(0, 8);
  const names = [...signedHeaders].sort();
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.path),
    canonicalQuery(request.query || ""),
    names.map((n) => `${n}:${headerValue(n)}\n`).join(""),
    names.join(";"),
    await sha256Hex(request.body || ""),
  ].join("\n");
  const scope = `${date}/${credentials.region}/${credentials.service}/request`;
  const stringToSign = ["HMAC-SHA256", xDate, scope, await sha256Hex(canonicalRequest)].join("\n");
  const key = await signingKey(credentials.secretKey, date, credentials.region, credentials.service);
  const signature = hex(await hmac(key, stringToSign));
  return `HMAC-SHA256 Credential=${credentials.accessKey}/${scope}, ` +
         `SignedHeaders=${names.join(";")}, Signature=${signature}`;
}

// YYYYMMDDTHHMMSSZ in UTC.
export function xDateOf(when) {
  return when.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

// The headers a fetch() needs for a signed request: X-Date, Authorization,
// and with a body X-Content-Sha256 (Node.js SDK coverage).
export async function signedHeaders({method, path, query, body}, credentials, now = new Date()) {
  const headers = [["X-Date", xDateOf(now)]];
  const names = ["x-date"];
  if (body) {
    headers.push(["X-Content-Sha256", await sha256Hex(body)]);
    names.push("x-content-sha256");
  }
  const auth = await authorization({method, path, query, headers, body}, credentials, names);
  return Object.fromEntries([...headers, ["Authorization", auth]]);
}
