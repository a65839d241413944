// What a first visit costs on the wire. The site is served gzip-compressed, as static hosts serve
// it, with no HTTP caching that spares a download (`no-cache`, no validator); a fresh browser
// context opens it. Opened plainly, the first analysis is in the HTML (rendered at build time,
// src/bin/prerender.rs, with the stylesheet inlined): it needs the page only, held to PLAIN_BUDGET. Opened
// from a share link, it needs the page's own files (the WebAssembly computes it), each once; the
// service worker, which installs later, must not download any file the page already has.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { gzipSync, deflateRawSync } from "node:zlib";
import { createHash } from "node:crypto";
import { launch } from "../chromium.mjs";
import { serve } from "../serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "..", "dist");
const BASE = "/podlab/";
// Gzip bytes before the first analysis of a plain open: index.html (with the first view) and the CSS.
const PLAIN_BUDGET = 60 * 1024;
// From a share link: the page's own files, the first WebAssembly module the largest (what runs
// before the editor is in place: crates/split, scripts/split-profile). Issue 20's budget.
const LINK_BUDGET = 350 * 1000;
// The same with the editor in place (editor.js; its extras, editor-more.js, come after). Issue 20's budget.
const EDITOR_BUDGET = 450 * 1000;

let server, browser, origin;
let sent = [];

before(async () => {
  server = await serve({ dir: dist, port: 0, base: BASE, gzip: true, onSend: (s) => sent.push(s) });
  origin = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
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

test("opened plainly, the first analysis needs only the page and its stylesheet", async () => {
  sent = [];
  // Without JavaScript nothing but what the first view needs is fetched.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(origin + BASE);
  await page.waitForSelector('[data-testid="container-card"][data-container="log-shipper"]', { state: "visible" });
  await page.waitForLoadState("load");
  await context.close();
  // The stylesheet is inlined into index.html (one request); a linked one would count too.
  const css = ownFiles().filter((f) => f.endsWith(".css"));
  const counted = sent.filter((s) => file(s) !== "favicon.svg");
  assert.deepEqual(counted.map(file).sort(), ["", ...css].sort(), "the page and its stylesheet, each once");
  const bytes = counted.reduce((n, s) => n + s.bytes, 0);
  assert.equal(bytes, [""].concat(css).reduce((n, f) => n + gzipped(f), 0));
  assert.match(readFileSync(join(dist, "index.html"), "utf8"), /<style>|<link[^>]*stylesheet/, "the page has its style");
  console.log(`plain open, gzip on the wire before the first analysis: ${bytes} bytes (${(bytes / 1024).toFixed(1)} KiB; budget ${PLAIN_BUDGET / 1024} KiB)`);
  assert.ok(bytes <= PLAIN_BUDGET, `${bytes} bytes > ${PLAIN_BUDGET}`);
});

test("from a share link, a first visit downloads the page's own files once, and the service worker downloads nothing again", async () => {
  sent = [];
  const manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: linked}\nspec:\n  containers:\n  - {name: from-link, image: example/app:1}\n";
  const link = BASE + "#v1/" + deflateRawSync(JSON.stringify({ manifest })).toString("base64url");
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_, o) => {
      if (document.querySelector('[data-testid="container-card"][data-container="from-link"]')) {
        window.podlabFirstAnalysis = Date.now();
        o.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(origin + link);
  await page.waitForSelector('[data-testid="container-card"][data-container="from-link"]');
  await page.waitForFunction(() => document.documentElement.dataset.offlineReady === "true", null, { timeout: 30000 });
  // The analysis worker starts after the store is complete; its files must come from the store.
  await page.waitForFunction(() => document.documentElement.dataset.analysisWorker === "ready", null, { timeout: 30000 });
  const firstAnalysis = await page.evaluate(() => window.podlabFirstAnalysis);
  // The editor marks the moment it is in place, before it asks for its extras (src/editor.js).
  const editorInPlace = await page.evaluate(() => performance.timeOrigin + performance.getEntriesByName("podlab-editor")[0].startTime);
  await context.close();

  const own = ownFiles();
  assert.ok(own.some((f) => f.endsWith(".wasm")), `own files: ${own}`);
  // The icon is the browser's business (headless Chromium may or may not ask for it).
  const counted = sent.filter((s) => file(s) !== "favicon.svg");
  const early = counted.filter((s) => s.arrived <= firstAnalysis);
  assert.deepEqual(
    early.map(file).sort(),
    [...own].sort(),
    "before the first analysis: the page's own files, each once (a second WebAssembly module here means the profile is stale: run scripts/split-profile)",
  );
  const earlyBytes = early.reduce((n, s) => n + s.bytes, 0);
  assert.equal(earlyBytes, own.reduce((n, f) => n + gzipped(f), 0));

  const times = new Map();
  for (const s of counted) times.set(file(s), (times.get(file(s)) || 0) + 1);
  const twice = [...times].filter(([, n]) => n > 1).map(([f]) => f || "index.html");
  assert.deepEqual(twice, [], "no file is sent twice");
  assert.ok(times.get("editor.js") === 1, "the editor bundle is sent once");
  assert.ok(times.get("editor-more.js") === 1, "the editor's extras are sent once");
  // With the editor in place: the same files and editor.js; the extras and the second module after.
  const withEditor = counted.filter((s) => s.arrived <= editorInPlace);
  assert.deepEqual(withEditor.map(file).sort(), [...own, "editor.js"].sort(), "with the editor in place: the page's own files and editor.js");
  const editorBytes = withEditor.reduce((n, s) => n + s.bytes, 0);
  assert.equal(editorBytes, earlyBytes + gzipped("editor.js"));
  assert.ok(times.get("sw.js") === 1, "the service worker installed");
  // The functions a first visit does not run (crates/split): loaded once, after the first analysis.
  const later = readdirSync(dist).filter((f) => f.endsWith("_later.wasm"));
  assert.equal(later.length, 1, "the site has a second WebAssembly module");
  assert.equal(times.get(later[0]), 1, "the second module is sent once");
  // Both named after both contents: no cache can pair one build's first module with another's second.
  const stem = later[0].replace(/_later\.wasm$/, "");
  const digest = createHash("sha256").update(readFileSync(join(dist, `${stem}_bg.wasm`))).update(readFileSync(join(dist, later[0]))).digest("hex");
  assert.equal(stem.slice(-16), digest.slice(0, 16), "the two modules' names carry a hash of their contents");
  const total = counted.reduce((n, s) => n + s.bytes, 0);
  console.log(`first visit from a share link, gzip on the wire: ${earlyBytes} bytes (${(earlyBytes / 1024).toFixed(1)} KiB) before the first analysis, ${total} bytes (${(total / 1024).toFixed(1)} KiB) in all once the offline store is complete`);
  console.log(`with the editor in place: ${editorBytes} bytes (budget ${EDITOR_BUDGET})`);
  assert.ok(earlyBytes <= LINK_BUDGET, `${earlyBytes} bytes > ${LINK_BUDGET} before the first analysis`);
  assert.ok(editorBytes <= EDITOR_BUDGET, `${editorBytes} bytes > ${EDITOR_BUDGET} with the editor in place`);
  assert.deepEqual(problems, []);
});
