// The OpenAPI from the browser: signed requests to the console's own origin
// (docs/api.md), answers unwrapped from the Volcengine envelope.
import {buildQuery, signedHeaders} from "./signer.js";

const VERSION = "2023-01-01";

// An answer with an Error in its envelope (Code, Message), or a transport
// failure (code "NetworkError": the server did not answer).
export class ApiError extends Error {
  constructor(code, message, status) {
    super(`${code}: ${message}`);
    this.code = code;
    this.apiMessage = message;
    this.status = status;
  }
}

export class ApiClient {
  // credentials: {accessKey, secretKey, region}
  constructor(credentials, fetchImpl = (...args) => fetch(...args)) {
    this.credentials = {...credentials, service: "live"};
    this.fetch = fetchImpl;
  }

  // GET actions: params in the query; POST actions: a JSON body.
  async call(action, params = {}, method = "GET") {
    const get = method === "GET";
    const query = buildQuery({Action: action, Version: VERSION, ...(get ? params : {})});
    const body = get ? "" : JSON.stringify(params);
    const headers = await signedHeaders({method, path: "/", query, body}, this.credentials);
    if (!get) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await this.fetch(`/?${query}`, {method, headers, body: get ? undefined : body,
                                                  cache: "no-store", credentials: "omit"});
    } catch (e) {
      throw new ApiError("NetworkError", `the server did not answer (${e.message})`, 0);
    }
    let envelope;
    try {
      envelope = await response.json();
    } catch {
      throw new ApiError("BadResponse", `HTTP ${response.status}, not a JSON envelope`,
                         response.status);
    }
    const error = envelope?.ResponseMetadata?.Error ?? envelope?.Error;
    if (error || !response.ok) {
      throw new ApiError(String(error?.Code ?? `HTTP${response.status}`),
                         String(error?.Message ?? "request failed"), response.status);
    }
    return envelope.Result ?? {};
  }
}
