// The console's pages: login, online streams, history, forbidden, server.
// State lives in this tab only; the credentials in sessionStorage.
import {ApiClient, ApiError} from "./api.js";
import {button, durationText, el, fillTable, pager, timeCell} from "./dom.js";
import {Preview} from "./preview.js";
import {plainUrls, serverUrls} from "./urls.js";

const $ = (id) => document.getElementById(id);
const CREDENTIALS = "sluice.console.credentials";
const PAGE_SIZE = 20;
const REFRESH_MS = 5000;
const DURATIONS = [["10 minutes", 600], ["1 hour", 3600], ["1 day", 86400],
                   ["7 days", 7 * 86400], ["30 days", 30 * 86400], ["90 days", 90 * 86400]];

const state = {
  client: null,
  server: {version: "?", media_port: 0, rtmp_port: 0, hls: false},
  page: "online",
  online: {pageNum: 1, timer: null},
  history: {pageNum: 1},
  forbidden: {pageNum: 1},
  preview: null,
  previewing: null,  // the stream in the preview
};

// ---- errors and the reconnecting banner

function errorText(error) {
  return error instanceof ApiError ? `${error.code}: ${error.apiMessage}` : String(error.message || error);
}

function showError(error) {
  $("error").textContent = error ? errorText(error) : "";
}

function setReconnecting(on) {
  const banner = $("banner");
  banner.hidden = !on;
  banner.textContent = on ? "The server is not answering; reconnecting…" : "";
}

// Runs an API call for a page: shows its error, or the banner when the
// server went away, and clears both on success.
async function guarded(work) {
  try {
    const result = await work();
    setReconnecting(false);
    showError(null);
    return result;
  } catch (error) {
    if (error instanceof ApiError && error.code === "NetworkError") setReconnecting(true);
    else showError(error);
    if (error instanceof ApiError && error.status === 401) logout("Your keys were refused: " + errorText(error));
    return undefined;
  }
}

// ---- login

function savedCredentials() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(CREDENTIALS) || "null");
    return saved?.accessKey && saved?.secretKey ? saved : null;
  } catch {
    return null;
  }
}

async function login(event) {
  event.preventDefault();
  const credentials = {accessKey: $("login-ak").value.trim(), secretKey: $("login-sk").value,
                       region: $("login-region").value.trim() || "cn-north-1"};
  const client = new ApiClient(credentials);
  $("login-error").textContent = "";
  $("login-submit").disabled = true;
  try {
    await client.call("DescribeLiveStreamInfoByPage", {PageNum: 1, PageSize: 1});
  } catch (error) {
    $("login-error").textContent = `Login failed. ${errorText(error)}`;
    return;
  } finally {
    $("login-submit").disabled = false;
  }
  sessionStorage.setItem(CREDENTIALS, JSON.stringify(credentials));
  $("login-sk").value = "";
  start(credentials);
}

function logout(message = "") {
  sessionStorage.removeItem(CREDENTIALS);
  state.client = null;
  stopAutoRefresh();
  stopPreview();
  for (const id of ["online-table", "history-table", "forbidden-table"]) $(id).replaceChildren();
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-sk").value = "";
  $("login-error").textContent = message;
  setReconnecting(false);
}

function start(credentials) {
  state.client = new ApiClient(credentials);
  $("who").textContent = credentials.accessKey;
  $("login").hidden = true;
  $("app").hidden = false;
  route();
}

// ---- pages

function route() {
  if (!state.client) return;
  const page = (location.hash || "#online").slice(1);
  state.page = ["online", "history", "forbidden", "server"].includes(page) ? page : "online";
  for (const section of document.querySelectorAll(".page")) section.hidden = section.id !== `page-${state.page}`;
  for (const link of document.querySelectorAll("nav a")) {
    if (link.id === `nav-${state.page}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  showError(null);
  stopAutoRefresh();
  if (state.page !== "online") stopPreview();
  ({online: loadOnline, history: loadHistory, forbidden: loadForbidden, server: loadServer})[state.page]();
}

function formParams(form) {
  const params = {};
  for (const [key, value] of new FormData(form)) if (String(value).trim() !== "") params[key] = String(value).trim();
  return params;
}

function durationSelect() {
  return el("select", {class: "duration", "aria-label": "forbid for"},
            ...DURATIONS.map(([label, seconds]) => el("option", {value: seconds}, label)));
}

function endTimeAfter(seconds) {
  return new Date(Date.now() + Number(seconds) * 1000).toISOString();
}

// Online streams

function stopAutoRefresh() {
  clearTimeout(state.online.timer);
  state.online.timer = null;
}

function scheduleRefresh() {
  stopAutoRefresh();
  if (state.page === "online" && $("online-auto").checked && state.client) {
    state.online.timer = setTimeout(() => loadOnline({auto: true}), REFRESH_MS);
  }
}

async function loadOnline({auto = false} = {}) {
  // A redraw would reset a duration being picked: wait for the next tick.
  const picking = document.activeElement?.tagName === "SELECT" && $("online-table").contains(document.activeElement);
  if (auto && picking) {
    scheduleRefresh();
    return;
  }
  const params = {...formParams($("online-filter")), PageNum: state.online.pageNum,
                  PageSize: Number($("online-size").value)};
  if (!params.Stream) delete params.QueryType;
  const began = performance.now();
  const result = await guarded(() => state.client.call("DescribeLiveStreamInfoByPage", params));
  if (result) {
    const answered = performance.now();
    renderOnline(result);
    const built = performance.now();
    // Measured by the browser tests: request to rows laid out, the drawing
    // alone, and the DOM building in it (reading offsetHeight makes the
    // browser lay the table out now, so the layout is counted too).
    void $("online-table").offsetHeight;
    const drawn = performance.now();
    $("online-table").dataset.buildMs = String(Math.round(built - answered));
    $("online-table").dataset.renderMs = String(Math.round(drawn - began));
    $("online-table").dataset.drawMs = String(Math.round(drawn - answered));
  }
  scheduleRefresh();
}

function renderOnline(result) {
  const list = result.StreamInfoList || [];
  const rows = list.map((s) => {
    const forbidFor = durationSelect();
    const name = `${s.App}/${s.Stream}`;
    return el("tr", {dataset: {stream: name}},
      el("td", {}, button(name, () => showDetails(s), {class: "link", "data-action": "details",
                                                       title: "state and URLs"})),
      el("td", {text: s.Vhost}),
      el("td", {text: s.Domain || "-"}),
      timeCell(s.SessionStartTime),
      el("td", {text: s.SourceType}),
      el("td", {text: s.Viewers ?? "-"}),
      el("td", {class: "actions"},
        button("Preview", () => startPreview(s), {class: "secondary", "data-action": "preview"}),
        button("Kill", () => act("KillStream", {Vhost: s.Vhost, App: s.App, Stream: s.Stream}, loadOnline),
               {class: "danger", "data-action": "kill"}),
        forbidFor,
        button("Forbid", () => act("ForbidStream", {Vhost: s.Vhost, App: s.App, Stream: s.Stream,
                                                    EndTime: endTimeAfter(forbidFor.value)}, loadOnline),
               {class: "danger", "data-action": "forbid"})));
  });
  fillTable($("online-table"), ["Stream", "Vhost", "Domain", "Started", "Source", "Viewers", ""],
            rows, "No stream is online.");
  pager($("online-pager"), state.online.pageNum, Number($("online-size").value),
        result.RoughCount ?? list.length, (n) => {
    state.online.pageNum = n;
    loadOnline();
  });
}

async function act(action, body, reload) {
  const done = await guarded(() => state.client.call(action, body, "POST"));
  if (done !== undefined) await reload();
}

// Stream details: state and the URLs to push and play it

function streamUrls(stream) {
  return plainUrls(stream, state.server, location.hostname);
}

function copyable(text) {
  const copy = button("Copy", () => navigator.clipboard?.writeText(text).then(
    () => { copy.textContent = "Copied"; }, () => { copy.textContent = "Copy failed"; }),
    {class: "secondary", "data-action": "copy"});
  return el("dd", {}, el("code", {text}), copy);
}

function signedUrls(stream) {
  return serverUrls(state.client, stream, state.server, location.hostname, errorText);
}

async function showDetails(stream) {
  const name = `${stream.App}/${stream.Stream}`;
  $("details").hidden = false;
  $("details-title").textContent = name;
  const list = $("details-list");
  list.replaceChildren(el("dt", {text: "State"}), el("dd", {id: "details-state", text: "…"}));
  const [urls, result] = await Promise.all([signedUrls(stream), guarded(() => state.client.call(
    "DescribeLiveStreamState", {Vhost: stream.Vhost, App: stream.App, Stream: stream.Stream}))]);
  if ($("details-title").textContent !== name) return;
  if (result) $("details-state").textContent = `${result.stream_state} (${result.type})`;
  for (const [label, url] of [["Push (RTMP)", urls.push], ["OBS server", urls.obsServer],
                              ["OBS stream key", urls.obsKey], ["Play (RTMP)", urls.rtmp],
                              ["Play (HTTP-FLV)", urls.flv], ["Play (HLS)", urls.hls]]) {
    if (url) list.append(el("dt", {text: label}), copyable(url));
  }
  list.append(el("dt", {text: "URLs"}), el("dd", {id: "details-note", text: urls.note}));
}

// Preview

function stopPreview() {
  state.preview?.stop();
  state.previewing = null;
  $("preview").hidden = true;
}

async function startPreview(stream) {
  state.preview ??= new Preview($("preview-video"));
  state.previewing = stream;
  const kindSelect = $("preview-kind");
  kindSelect.querySelector('option[value="hls"]').disabled = !state.server.hls;
  if (!state.server.hls) kindSelect.value = "flv";
  const kind = kindSelect.value;
  $("preview").hidden = false;
  $("preview-title").textContent = `${stream.App}/${stream.Stream}`;
  $("preview-note").textContent = "…";
  // Signed when the vhost has a play key; plain otherwise.
  const url = (await signedUrls(stream))[kind] ?? streamUrls(stream)[kind];
  if (state.previewing !== stream) return;
  $("preview-note").textContent = url;
  try {
    await state.preview.play(url, kind);
  } catch (error) {
    $("preview-note").textContent = `No preview: ${error.message}`;
  }
}

// History

function localInputValue(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}

async function loadHistory() {
  const form = $("history-filter");
  if (!form.From.value) form.From.value = localInputValue(new Date(Date.now() - 86400000));
  if (!form.To.value) form.To.value = localInputValue(new Date(Date.now() + 3600000));
  const {From, To, ...rest} = formParams(form);
  const params = {...rest, EndTimeFrom: new Date(From).toISOString(), EndTimeTo: new Date(To).toISOString(),
                  PageNum: state.history.pageNum, PageSize: PAGE_SIZE};
  if (params.Stream) params.QueryType = "fuzzy";
  const result = await guarded(() => state.client.call("DescribeClosedStreamInfoByPage", params));
  if (!result) return;
  const list = result.StreamInfoList || [];
  const rows = list.map((s) => el("tr", {dataset: {stream: `${s.App}/${s.Stream}`}},
    el("td", {text: `${s.App}/${s.Stream}`}),
    el("td", {text: s.Vhost}),
    timeCell(s.StartTime),
    timeCell(s.EndTime),
    el("td", {text: durationText((new Date(s.EndTime) - new Date(s.StartTime)) / 1000)}),
    el("td", {class: "reason", text: s.EndReason ?? "-"}),
    el("td", {text: s.BytesIn ?? "-"})));
  fillTable($("history-table"), ["Stream", "Vhost", "Started", "Ended", "Duration", "End reason", "Bytes in"],
            rows, "No stream ended in this window.");
  pager($("history-pager"), state.history.pageNum, PAGE_SIZE, result.RoughCount ?? list.length, (n) => {
    state.history.pageNum = n;
    loadHistory();
  });
}

// Forbidden

async function loadForbidden() {
  const params = {PageNum: state.forbidden.pageNum, PageSize: PAGE_SIZE};
  const result = await guarded(() => state.client.call("DescribeForbiddenStreamInfoByPage", params));
  if (!result) return;
  const list = result.StreamInfoList || [];
  const rows = list.map((s) => el("tr", {dataset: {stream: `${s.App}/${s.Stream}`}},
    el("td", {text: `${s.App}/${s.Stream}`}),
    el("td", {text: s.Vhost}),
    timeCell(s.CreateTime),
    timeCell(s.EndTime),
    el("td", {class: "actions"},
      button("Resume", () => act("ResumeStream", {Vhost: s.Vhost, App: s.App, Stream: s.Stream}, loadForbidden),
             {"data-action": "resume"}))));
  fillTable($("forbidden-table"), ["Stream", "Vhost", "Forbidden at", "Until", ""], rows,
            "No stream is forbidden.");
  pager($("forbidden-pager"), state.forbidden.pageNum, PAGE_SIZE, result.RoughCount ?? list.length, (n) => {
    state.forbidden.pageNum = n;
    loadForbidden();
  });
}

async function forbidFromForm(event) {
  event.preventDefault();
  const {Duration, Until, ...stream} = formParams(event.target);
  // An end time, when given, wins over the duration (the API refuses one in the past).
  const EndTime = Until ? new Date(Until).toISOString() : endTimeAfter(Duration);
  await act("ForbidStream", {...stream, EndTime}, loadForbidden);
}

// Server

async function loadServer() {
  // Fetched again for the uptime (by the server's clock).
  await fetchServerInfo();
  const list = $("server-info");
  const started = state.server.started;
  const rows = [["Version", state.server.version], ["API (this origin)", location.origin],
                ["Uptime", state.server.uptime_s === undefined ? "-" : durationText(state.server.uptime_s)],
                ["HTTP-FLV port", state.server.media_port || "-"],
                ["RTMP port", state.server.rtmp_port || "-"],
                ["HLS", state.server.hls ? "on" : "off"],
                ["Play URL", `http://${location.hostname}:${state.server.media_port}/<app>/<stream>.flv`],
                ["Region", state.client.credentials.region], ["Access key", state.client.credentials.accessKey]];
  list.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {text: k}), el("dd", {text: v})]));
  if (started) {
    const at = list.querySelectorAll("dd")[2];
    at.id = "server-uptime";
    at.title = `since ${new Date(started).toLocaleString()} (${started})`;
  }
}

// ---- wiring

async function fetchServerInfo() {
  try {
    const response = await fetch("server.json", {cache: "no-store"});
    if (response.ok) state.server = await response.json();
    if (state.server.region && !savedCredentials()) $("login-region").value = state.server.region;
  } catch {
    // The pages work without it; previews and the server page show less.
  }
}

function init() {
  $("login-form").addEventListener("submit", login);
  $("logout").addEventListener("click", () => logout());
  $("online-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    state.online.pageNum = 1;
    loadOnline();
  });
  $("online-auto").addEventListener("change", scheduleRefresh);
  $("online-size").addEventListener("change", () => {
    state.online.pageNum = 1;
    loadOnline();
  });
  $("history-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    state.history.pageNum = 1;
    loadHistory();
  });
  $("forbid-form").Duration.append(...durationSelect().children);
  $("forbid-form").addEventListener("submit", forbidFromForm);
  $("preview-close").addEventListener("click", stopPreview);
  $("preview-kind").addEventListener("change", () => {
    if (state.previewing) startPreview(state.previewing);
  });
  $("details-close").addEventListener("click", () => { $("details").hidden = true; });
  window.addEventListener("hashchange", route);
  fetchServerInfo();
  const saved = savedCredentials();
  if (saved) start(saved);
  else $("login").hidden = false;
}

init();
