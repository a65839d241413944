// What a first visit costs on the wire. The site is served gzip-compressed, as static hosts serve
// it, with no HTTP caching that spares a download (`no-cache`, no validator); a fresh browser
// context opens it. Before the first analysis shows, the server may send only the page's own
// files, each once; the service worker, which installs later, must not download any file the
// page already has.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { serve } from "../serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "..", "dist");
const BASE = "/podlab/";

let server, browser, origin;
let sent = [];

before(async () => {
  server = await serve({ dir: dist, port: 0, base: BASE, gzip: true, onSend: (s) => sent.push(s) });
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
});

after(async () => {
  await browser?.close();
  server?.close();
});

// The files index.html loads before the first analysis, read from the built page.
function ownFiles() {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
  const wasm = html.match(/fetch\("\.\/([^"]+\.wasm)"\)/);
  assert.ok(wasm, "the loader names the WebAssembly");
  const files = [...refs, wasm[1]].map((r) => r.replace(/^\.\//, "").split("?")[0]);
  return ["", ...new Set(files.filter((f) => f !== "favicon.svg"))];
}

const gzipped = (f) => gzipSync(readFileSync(join(dist, f || "index.html")), { level: 9 }).length;
const file = (s) => s.path.slice(BASE.length).split("?")[0];

test("a first visit downloads the page's own files once, and the service worker downloads nothing again", async () => {
  sent = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_, o) => {
      if (document.querySelector('[data-testid="container-card"]')) {
        window.podlabFirstAnalysis = Date.now();
        o.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(origin + BASE);
  await page.waitForSelector('[data-testid="container-card"]');
  await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "true", null, { timeout: 30000 });
  // The analysis worker starts after the store is complete; its files must come from the store.
  await page.waitForFunction(() => document.documentElement.dataset.analysisWorker === "ready", null, { timeout: 30000 });
  const firstAnalysis = await page.evaluate(() => window.podlabFirstAnalysis);
  await context.close();

  const own = ownFiles();
  assert.ok(own.some((f) => f.endsWith(".wasm")) && own.some((f) => f.endsWith(".css")), `own files: ${own}`);
  // The icon is the browser's business (headless Chromium may or may not ask for it).
  const counted = sent.filter((s) => file(s) !== "favicon.svg");
  const early = counted.filter((s) => s.arrived <= firstAnalysis);
  assert.deepEqual(early.map(file).sort(), [...own].sort(), "before the first analysis: the page's own files, each once");
  const earlyBytes = early.reduce((n, s) => n + s.bytes, 0);
  assert.equal(earlyBytes, own.reduce((n, f) => n + gzipped(f), 0));

  const times = new Map();
  for (const s of counted) times.set(file(s), (times.get(file(s)) || 0) + 1);
  const twice = [...times].filter(([, n]) => n > 1).map(([f]) => f || "index.html");
  assert.deepEqual(twice, [], "no file is sent twice");
  assert.ok(times.get("editor.js") === 1, "the editor bundle is sent once");
  assert.ok(times.get("sw.js") === 1, "the service worker installed");
  const total = counted.reduce((n, s) => n + s.bytes, 0);
  console.log(`first visit, gzip on the wire: ${earlyBytes} bytes (${(earlyBytes / 1024).toFixed(1)} KiB) before the first analysis, ${total} bytes (${(total / 1024).toFixed(1)} KiB) in all once the offline store is complete`);
  assert.deepEqual(problems, []);
});
