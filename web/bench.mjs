// Page benchmarks on the release build in dist/ (run `trunk build --release` first):
//   - first-load sizes: raw, gzip -9 and brotli (quality 11) of every file the page loads;
//   - first analysis: milliseconds from navigation until the first container card is on screen
//     (in the DOM and painted: the later of the two), over fresh browser contexts (empty caches,
//     no service worker), served on loopback; opened plainly (the card is in the HTML, rendered at
//     build time), with the moment the live app has replaced it, and from a share link (the
//     WebAssembly computes it);
//   - typing, on the default example and on a 2,000-line input, one keystroke's worth of change
//     each time: the main-thread work in the frame of the change (the editor, and the analysis and
//     render where the page analyses by itself), the main thread's task when the analysis
//     worker's answer arrives (reading it and drawing it) with the reading alone, and the time
//     until the new analysis is on screen.
// Usage: node web/bench.mjs [runs=9]. Prints Markdown for BENCHMARKS.md.
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "dist");
const runs = Number(process.argv[2] || 9);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => (n / 1024).toFixed(1);

// 1. Sizes of what the first visit loads (the service worker's own fetches come later).
const files = readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f) && f !== "sw.js" && f !== "analysis-worker.js");
// The editor bundle is fetched after the first analysis (index.html names it in a <meta>), and the
// second WebAssembly module (`_later.wasm`, crates/split) and the editor's extras (editor-more.js)
// once the editor is in place, so the page's critical path is everything but them.
const sum = { all: { raw: 0, gz: 0, br: 0 }, first: { raw: 0, gz: 0, br: 0 }, editor: { raw: 0, gz: 0, br: 0 }, plain: { raw: 0, gz: 0, br: 0 } };
const add = (t, raw, gz, br) => { t.raw += raw; t.gz += gz; t.br += br; };
const row = (label, t) => `| ${label} | ${t.raw} | ${t.gz} (${kb(t.gz)} KiB) | ${t.br} (${kb(t.br)} KiB) |`;
console.log("| file | bytes | gzip -9 | brotli 11 |\n|---|---:|---:|---:|");
for (const f of files.sort()) {
  const b = readFileSync(join(dist, f));
  const gz = gzipSync(b, { level: 9 }).length;
  const br = brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  add(sum.all, b.length, gz, br);
  // After the editor is in place: the second module, and the editor's extras (editor-more.js).
  const later = f.endsWith("_later.wasm") || f === "editor-more.js";
  if (f !== "editor.js" && !later) add(sum.first, b.length, gz, br);
  if (!later) add(sum.editor, b.length, gz, br);
  if (/\.(html|css)$/.test(f)) add(sum.plain, b.length, gz, br);
  console.log(`| ${f.replace(/-[0-9a-f]{16}/, "")} | ${b.length} | ${gz} | ${br} |`);
}
console.log(row("**everything**", sum.all));
console.log(row("**before the first analysis, plain open** (html and css: the first view is in the html)", sum.plain));
console.log(row("**before the first analysis, share link** (without editor.js and the second module)", sum.first));
console.log(row("**the same with the editor** (editor.js, before the second module and the editor's extras)", sum.editor));
// What the service worker stores besides, once the page has loaded (examples, icon, its own script).
let rest = 0;
const walk = (d) => readdirSync(d, { withFileTypes: true }).forEach((e) => {
  const p = join(d, e.name);
  if (e.isDirectory()) walk(p);
  else if (d !== dist || !files.includes(e.name)) rest += gzipSync(readFileSync(p), { level: 9 }).length;
});
walk(dist);
console.log(`\nThe service worker then stores the site's other files: ${rest} bytes gzip.\n`);

// 2. and 3. In headless Chromium.
const server = await serve({ dir: dist, port: 0, base: "/podlab/" });
const url = `http://127.0.0.1:${server.address().port}/podlab/`;
const browser = await launch();
// A share link to a one-container Pod (src/share.rs's format: deflate-raw JSON, base64url).
const { deflateRawSync } = await import("node:zlib");
const linkManifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: linked}\nspec:\n  containers:\n  - {name: from-link, image: example/app:1}\n";
const link = url + "#v1/" + deflateRawSync(JSON.stringify({ manifest: linkManifest })).toString("base64url");
async function firstAnalysis(address, card) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript((card) => {
    new MutationObserver((_, o) => {
      if (document.querySelector(card) && !performance.getEntriesByName("first-analysis").length) performance.mark("first-analysis");
      // The live app's card: not in the view rendered at build time.
      if ([...document.querySelectorAll(card)].some((e) => !e.closest("#podlab-prerender"))) {
        performance.mark("podlab-live");
        o.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }, card);
  await page.goto(address);
  await page.waitForSelector(card, { state: "visible" });
  await page.waitForSelector("#podlab-prerender", { state: "detached" });
  await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0);
  const [shown, painted, live] = await page.evaluate(() => [
    performance.getEntriesByName("first-analysis")[0].startTime,
    performance.getEntriesByName("first-contentful-paint")[0].startTime,
    performance.getEntriesByName("podlab-live")[0]?.startTime,
  ]);
  await ctx.close();
  return [Math.max(shown, painted), live];
}
const spread = (xs) => `median ${median(xs).toFixed(0)} ms, min ${Math.min(...xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
const plain = [], live = [], shared = [];
for (let i = 0; i < runs; i++) {
  const [p, l] = await firstAnalysis(url, '[data-testid="container-card"]');
  plain.push(p);
  if (l !== undefined) live.push(l);
  shared.push((await firstAnalysis(link, '[data-testid="container-card"][data-container="from-link"]'))[0]);
}
console.log(`First analysis on screen, opened plainly: ${spread(plain)}; the live app in its place: ${live.length ? spread(live) : "not marked"} (${runs} fresh contexts).`);
console.log(`First analysis on screen, from a share link: ${spread(shared)} (${runs} fresh contexts).`);

const page = await browser.newPage();
// Times the main thread's task for each message from the analysis worker: from the message's
// arrival until a task queued behind it runs (the reading, the state change and the render).
await page.addInitScript(() => {
  const W = window.Worker;
  window.podlabAnswerTasks = [];
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      this.addEventListener("message", () => {
        const t0 = performance.now();
        const ch = new MessageChannel();
        ch.port1.onmessage = () => window.podlabAnswerTasks.push(performance.now() - t0);
        ch.port2.postMessage(0);
      });
    }
  };
});
await page.goto(url);
await page.waitForSelector(".cm-editor");
await page.waitForFunction(() => document.documentElement.dataset.analysisWorker === "ready", null, { timeout: 30000 });
async function typing(doc, label) {
  await page.evaluate((d) => window.podlabEditor.setDoc(d), doc);
  await page.waitForFunction(() => document.querySelector('[data-testid="container-card"]'));
  await page.waitForTimeout(500);
  await page.evaluate(() => { window.podlabAnswerTasks = []; performance.clearMeasures("podlab-answer-read"); });
  const times = [];
  const work = [];
  for (let i = 0; i < 21; i++) {
    const [total, busy] = await page.evaluate(async (n) => {
      // One keystroke's worth: the digits of the first `replicas:` replaced in place.
      const doc = window.podlabEditor.getDoc();
      const m = /replicas: (\d+)/.exec(doc);
      const from = m.index + "replicas: ".length;
      const t0 = performance.now();
      window.podlabEditor.applyChangesJson(JSON.stringify([{ from, to: from + m[1].length, insert: String(n) }]));
      // The editor hands changes over once per frame, in an animation-frame callback; this one
      // runs after it in the same frame, so its distance from the frame's start is the work the
      // change cost before the browser could lay out and paint.
      const busy = await new Promise((r) => requestAnimationFrame((frame) => r(performance.now() - frame)));
      // Wait for the analysis to show.
      while (!document.body.innerText.includes(`× ${n} replicas`)) {
        if (performance.now() - t0 > 5000) throw new Error("the analysis did not update");
        await new Promise((r) => requestAnimationFrame(r));
      }
      return [performance.now() - t0, busy];
    }, i + 5);
    times.push(total);
    work.push(busy);
  }
  const [tasks, reads] = await page.evaluate(() => [window.podlabAnswerTasks, performance.getEntriesByName("podlab-answer-read").map((e) => e.duration)]);
  const answers = tasks.length
    ? ` The worker answered ${tasks.length} times: the main thread's task per answer median ${median(tasks).toFixed(1)} ms, max ${Math.max(...tasks).toFixed(1)} ms, of which reading the answer median ${median(reads).toFixed(1)} ms, max ${Math.max(...reads).toFixed(1)} ms.`
    : " Analysed by the page itself (no worker answer).";
  console.log(`Typing, ${label} (${doc.split("\n").length} lines): main-thread work in the frame of a change median ${median(work).toFixed(1)} ms, max ${Math.max(...work).toFixed(1)} ms; analysis on screen after median ${median(times).toFixed(1)} ms.${answers}`);
}
const example = await page.evaluate(() => window.podlabEditor.getDoc());
await typing(example, "the default example");
const big = Array.from({ length: Math.ceil(2000 / example.split("\n").length) }, (_, i) =>
  example.replace("name: storefront\nspec", `name: storefront-${i}\nspec`)).join("---\n");
await typing(big, "2,000 lines");
await browser.close();
server.close();
