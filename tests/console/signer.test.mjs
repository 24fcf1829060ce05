// The console's browser signer (console/signer.js) against the requests the
// real Node.js and Python SDKs signed (tests/fixtures/sign/sign-vectors.json):
// the same Authorization, byte for byte, from WebCrypto.
//   node --test tests/console/
import assert from "node:assert/strict";
import {readFileSync} from "node:fs";
import {test} from "node:test";

import {authorization, buildQuery, canonicalQuery, signedHeaders, signingKey, xDateOf}
  from "../../console/signer.js";

const fixtures = JSON.parse(readFileSync(
  new URL("../fixtures/sign/sign-vectors.json", import.meta.url), "utf8"));
const credentials = {accessKey: fixtures.access_key, secretKey: fixtures.secret_key,
                     region: fixtures.region, service: fixtures.service};

const hex = (bytes) => Buffer.from(bytes).toString("hex");

test("signing key of the test secret for 20240101", async () => {
  const key = await signingKey(fixtures.secret_key, "20240101", fixtures.region, fixtures.service);
  assert.equal(hex(key), fixtures.signing_key_hex_20240101);
});

for (const vector of fixtures.vectors) {
  test(`vector: ${vector.name}`, async () => {
    const [path, query] = vector.raw_path.split("?");
    const names = /SignedHeaders=([^,]+)/.exec(vector.expected)[1].split(";");
    const got = await authorization(
      {method: vector.method, path, query, headers: vector.headers, body: vector.body},
      credentials, names);
    assert.equal(got, vector.expected);
  });
}

test("a wrong secret gives another signature", async () => {
  const vector = fixtures.vectors[0];
  const [path, query] = vector.raw_path.split("?");
  const got = await authorization(
    {method: vector.method, path, query, headers: vector.headers, body: vector.body},
    {...credentials, secretKey: credentials.secretKey + "x"}, ["x-date"]);
  assert.notEqual(got, vector.expected);
});

test("the query the console sends is canonical, so Node's and Python's wire forms agree", () => {
  const built = buildQuery({Action: "DescribeLiveStreamInfoByPage", Version: "2023-01-01",
                           PageNum: 1, PageSize: 10, App: "live", QueryType: "fuzzy",
                           Stream: "my stream+1*é"});
  assert.equal(built, canonicalQuery(built));
  assert.equal(canonicalQuery(fixtures.vectors[2].raw_path.split("?")[1]),
               canonicalQuery(fixtures.vectors[5].raw_path.split("?")[1]));
  assert.match(built, /Stream=my%20stream%2B1%2A%C3%A9/);
});

test("signedHeaders reproduces the Node SDK's POST (x-content-sha256;x-date)", async () => {
  const vector = fixtures.vectors[1];
  const [path, query] = vector.raw_path.split("?");
  const headers = await signedHeaders({method: "POST", path, query, body: vector.body},
                                      credentials, new Date("2024-01-01T00:00:00Z"));
  assert.equal(headers["X-Date"], "20240101T000000Z");
  assert.equal(headers.Authorization, vector.expected);
  assert.equal(xDateOf(new Date("2031-12-31T23:59:58.999Z")), "20311231T235958Z");
});
