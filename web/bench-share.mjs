// Where a share link's first analysis goes, on the release build in dist/: fresh browser contexts
// open a share link to a one-container Pod and mark, in the page's clock, when the WebAssembly has
// arrived and is compiled, when the app has started, when the link's container card is in the DOM
// and when the page's first contentful paint came (the view rendered at build time is hidden for
// a link, so that is the live app's first frame, the card's); then, traced, the main thread's
// work before that paint, by kind.
// Usage: node web/bench-share.mjs [runs=9] [dist=dist]. Prints Markdown for BENCHMARKS.md.
import { deflateRawSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const runs = Number(process.argv[2] || 9);
const dist = process.argv[3] ? resolve(process.argv[3]) : join(here, "..", "dist");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => xs.length ? `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})` : "—";

const server = await serve({ dir: dist, port: 0, base: "/podlab/" });
const url = `http://127.0.0.1:${server.address().port}/podlab/`;
const manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: linked}\nspec:\n  containers:\n  - {name: from-link, image: example/app:1}\n";
const link = url + "#v1/" + deflateRawSync(JSON.stringify({ manifest })).toString("base64url");
const card = '[data-testid="container-card"][data-container="from-link"]';
const browser = await launch();

// Marks: the loader's promise is wrapped as the page sets it, and the card watched in the DOM.
function marks() {
  let loader;
  Object.defineProperty(window, "podlabWasm", {
    configurable: true,
    get: () => loader,
    set: (p) => { loader = p.then((m) => { performance.mark("compiled"); return m; }); },
  });
  addEventListener("TrunkApplicationStarted", () => performance.mark("app-started"));
  new MutationObserver((_, o) => {
    if (document.querySelector('[data-testid="container-card"][data-container="from-link"]')) {
      performance.mark("card");
      o.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
}

const rows = [];
for (let i = 0; i < runs; i++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(marks);
  await page.goto(link);
  await page.waitForSelector(card, { state: "visible" });
  await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length);
  rows.push(await page.evaluate(() => {
    const at = (n) => performance.getEntriesByName(n)[0]?.startTime;
    const wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
    return {
      html: performance.getEntriesByType("navigation")[0].responseEnd,
      wasmStart: wasm?.requestStart,
      wasm: wasm?.responseEnd,
      compiled: at("compiled"),
      app: at("app-started"),
      card: at("card"),
      painted: at("first-contentful-paint"),
    };
  }));
  await ctx.close();
}
const col = (k) => fmt(rows.map((r) => r[k]).filter((x) => x !== undefined));
console.log(`| share link, ms (${runs} fresh contexts) | html arrived | wasm requested | wasm arrived | compiled | app started | card in the DOM | first contentful paint |`);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
console.log(`| ${dist.split("/").slice(-2).join("/")} | ${col("html")} | ${col("wasmStart")} | ${col("wasm")} | ${col("compiled")} | ${col("app")} | ${col("card")} | ${col("painted")} |`);

// Traced (a separate pass: tracing slows the page): the renderer's main thread before the first
// contentful paint, by the trace's event names: running scripts (the JavaScript and the WebAssembly,
// the lazy compilation of WebAssembly functions at their first call included), that lazy
// compilation alone, HTML parsing, style, layout and paint.
const KINDS = {
  "scripts": ["FunctionCall", "v8.evaluateModule", "EvaluateScript", "TimerFire", "FireAnimationFrame", "RunMicrotasks"],
  "wasm functions compiled at first call": ["wasm.CompileLazy"],
  "parse HTML": ["ParseHTML"],
  "style": ["UpdateLayoutTree"],
  "layout": ["Layout"],
  "paint": ["PrePaint", "Paint"],
};
const traced = Object.fromEntries(Object.keys(KINDS).map((k) => [k, []]));
const lazy = [];
const tracedRuns = Math.max(5, Math.ceil(runs / 2));
for (let i = 0; i < tracedRuns; i++) {
  const page = await browser.newPage();
  await page.addInitScript(marks);
  await browser.startTracing(page, { categories: ["devtools.timeline", "blink", "blink.user_timing", "v8.wasm", "disabled-by-default-v8.wasm.detailed"] });
  await page.goto(link);
  await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length);
  const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
  const end = events.find((e) => e.name === "firstContentfulPaint")?.ts;
  if (end === undefined) throw new Error("no first contentful paint in the trace");
  const main = events.find((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  const before = events.filter((e) => e.ph === "X" && e.pid === main.pid && e.tid === main.tid && e.ts <= end);
  for (const [kind, names] of Object.entries(KINDS)) {
    traced[kind].push(before.filter((e) => names.includes(e.name)).reduce((t, e) => t + e.dur / 1000, 0));
  }
  lazy.push(before.filter((e) => e.name === "wasm.CompileLazy").length);
  await page.close();
}
await browser.close();
server.close();
console.log(`\n| main thread before the first contentful paint, ms (traced, median of ${tracedRuns}) | ${Object.keys(KINDS).join(" | ")} | functions compiled at first call |`);
console.log(`|---|${Object.keys(KINDS).map(() => "---:").join("|")}|---:|`);
console.log(`| ${dist.split("/").slice(-2).join("/")} | ${Object.values(traced).map((xs) => median(xs).toFixed(1)).join(" | ")} | ${median(lazy)} |`);
