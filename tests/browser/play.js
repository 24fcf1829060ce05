// Opens a test page in headless Chromium and reports, as one JSON line, how
// the page's <video> played:
//   node play.js PAGE_URL SECONDS [INTERVAL_MS] [-- CHROMIUM_ARG...]
//   {"mse": true, "currentTime": 3.2, "samples": [...], "errors": [...],
//    "ticks": [...], "responses": [...], ...}
// Every INTERVAL_MS (500) it samples the video's currentTime into "samples",
// and, when the page defines window.sample(), that object into "ticks". At the
// end, window.report() (if defined) is merged into the result. "responses"
// lists every HTTP response the page got after load (url, status, protocol
// such as "h2", redirect Location), taken from the DevTools protocol so that
// redirects and the negotiated HTTP version are seen as the browser saw them.
// CHROMIUM_BIN names the browser (default /usr/bin/chromium).
"use strict";
const puppeteer = require("puppeteer-core");

async function watchResponses(page, responses) {
  const cdp = await page.createCDPSession();
  await cdp.send("Network.enable");
  const keep = (entry) => responses.length < 400 && responses.push(entry);
  cdp.on("Network.requestWillBeSent", (e) => {
    if (e.redirectResponse) {
      keep({url: e.redirectResponse.url, status: e.redirectResponse.status,
            protocol: e.redirectResponse.protocol,
            location: e.redirectResponse.headers.location || e.redirectResponse.headers.Location});
    }
  });
  cdp.on("Network.responseReceived", (e) =>
    keep({url: e.response.url, status: e.response.status, protocol: e.response.protocol}));
}

async function main() {
  const argv = process.argv.slice(2);
  const dashes = argv.indexOf("--");
  const [pageUrl, secondsArg, intervalArg] = dashes < 0 ? argv : argv.slice(0, dashes);
  const extraArgs = dashes < 0 ? [] : argv.slice(dashes + 1);
  const seconds = Number(secondsArg || "6");
  const intervalMs = Number(intervalArg || "500");
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
           "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage", ...extraArgs],
  });
  try {
    const page = await browser.newPage();
    const console_lines = [];
    page.on("console", (m) => console_lines.length < 50 && console_lines.push(m.text()));
    const responses = [];
    await watchResponses(page, responses);
    await page.goto(pageUrl, {waitUntil: "load", timeout: 15000});
    const samples = [];
    const ticks = [];
    const rounds = Math.round((seconds * 1000) / intervalMs);
    for (let i = 0; i < rounds; ++i) {
      await new Promise((r) => setTimeout(r, intervalMs));
      const now = await page.evaluate(() => ({
        currentTime: document.getElementById("video").currentTime,
        tick: typeof window.sample === "function" ? window.sample() : null,
      }));
      samples.push(now.currentTime);
      if (now.tick !== null) ticks.push(now.tick);
    }
    const state = await page.evaluate(() => ({
      mse: window.mseSupported,
      errors: window.playerErrors,
      width: document.getElementById("video").videoWidth,
      ...(typeof window.report === "function" ? window.report() : {}),
    }));
    console.log(JSON.stringify({...state, currentTime: samples[samples.length - 1], samples, ticks,
                                responses, console: console_lines}));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.log(JSON.stringify({fatal: String(e)}));
  process.exit(1);
});
