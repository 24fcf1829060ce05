// Opens page.html in headless Chromium and reports, as one JSON line, how far
// the <video> played:  node play.js PAGE_URL SECONDS
//   {"mse": true, "currentTime": 3.2, "samples": [...], "errors": [...]}
// CHROMIUM_BIN names the browser (default /usr/bin/chromium).
"use strict";
const puppeteer = require("puppeteer-core");

async function main() {
  const [pageUrl, secondsArg] = process.argv.slice(2);
  const seconds = Number(secondsArg || "6");
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
           "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    const console_lines = [];
    page.on("console", (m) => console_lines.length < 50 && console_lines.push(m.text()));
    await page.goto(pageUrl, {waitUntil: "load", timeout: 15000});
    const samples = [];
    for (let i = 0; i < seconds * 2; ++i) {
      await new Promise((r) => setTimeout(r, 500));
      samples.push(await page.evaluate(() => document.getElementById("video").currentTime));
    }
    const state = await page.evaluate(() => ({
      mse: window.mseSupported,
      errors: window.playerErrors,
      width: document.getElementById("video").videoWidth,
    }));
    console.log(JSON.stringify({...state, currentTime: samples[samples.length - 1], samples,
                                console: console_lines}));
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.log(JSON.stringify({fatal: String(e)}));
  process.exit(1);
});
