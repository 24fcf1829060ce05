// A headless Chromium (Debian's, through puppeteer-core) driven one step at a
// time: one JSON command per line on stdin, one JSON answer per line on
// stdout. tests/e2e/test_console.py runs the console with it while it starts
// and stops ffmpeg pushes itself.
//   {"op": "goto", "url": U}               {"op": "click", "selector": S}
//   {"op": "fill", "selector": S, "value": V}   {"op": "select", "selector": S, "value": V}
//   {"op": "wait", "selector": S, "hidden": bool, "timeout": ms}
//   {"op": "eval", "expr": "JS expression"}      {"op": "screenshot", "path": P}
//   {"op": "viewport", "width": W, "height": H}
//   {"op": "press", "key": K}  (a key on the focused element: "Tab", "Enter")
//   {"op": "type", "text": T}  (typed into the focused element)
//   {"op": "log"}  (console messages, page errors, failed requests so far)
//   {"op": "quit"}
// Answers: {"ok": true, "value": ...} or {"ok": false, "error": "..."}.
// CHROMIUM_BIN names the browser (default /usr/bin/chromium).
"use strict";
const readline = require("node:readline");
const puppeteer = require("puppeteer-core");

async function main() {
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_BIN || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
           "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"],
  });
  const page = await browser.newPage();
  await page.setViewport({width: Number(process.env.VIEWPORT_WIDTH || 1100), height: 800});
  const log = [];
  page.on("console", (m) => log.length < 200 && log.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => log.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));

  const steps = {
    goto: (c) => page.goto(c.url, {waitUntil: "load", timeout: c.timeout || 15000}).then((r) => r.status()),
    click: (c) => page.click(c.selector),
    fill: async (c) => {
      await page.$eval(c.selector, (el) => { el.value = ""; });
      await page.type(c.selector, c.value);
    },
    select: (c) => page.select(c.selector, c.value),
    wait: (c) => page.waitForSelector(c.selector, {visible: !c.hidden, hidden: Boolean(c.hidden),
                                                   timeout: c.timeout || 15000}).then(() => true),
    eval: (c) => page.evaluate(c.expr),
    screenshot: (c) => page.screenshot({path: c.path, fullPage: true}).then(() => c.path),
    viewport: (c) => page.setViewport({width: c.width, height: c.height || 800}),
    press: (c) => page.keyboard.press(c.key),
    type: (c) => page.keyboard.type(c.text),
    log: () => log.slice(),
  };

  const lines = readline.createInterface({input: process.stdin});
  for await (const line of lines) {
    if (!line.trim()) continue;
    let answer;
    try {
      const command = JSON.parse(line);
      if (command.op === "quit") break;
      const step = steps[command.op];
      if (!step) throw new Error(`unknown op ${command.op}`);
      const value = await step(command);
      answer = {ok: true, value: value === undefined ? null : value};
    } catch (e) {
      answer = {ok: false, error: String(e && e.message || e)};
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  }
  await browser.close();
}

main().catch((e) => {
  process.stdout.write(JSON.stringify({ok: false, fatal: String(e)}) + "\n");
  process.exit(1);
});
