// Where a plain open's first paint goes, on the release build in dist/: the same server and
// browser load, in turn, a trivial page, the page's own HTML with every script removed (the view
// rendered at build time alone), and the page as shipped; each gives the median and range of the
// first contentful paint, the navigation's domInteractive, the start of the first frame, and, as
// shipped, when the WebAssembly has arrived and when the app has started; then, traced, the main
// thread's parse, style, layout and paint before that first paint.
// Usage: node web/bench-paint.mjs [runs=9] [rounds=2]. Prints Markdown for BENCHMARKS.md.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "dist");
const runs = Number(process.argv[2] || 9);
const rounds = Number(process.argv[3] || 2);

// The variants, each a copy of dist/ with its own index.html.
const work = mkdtempSync(join(tmpdir(), "podlab-paint-"));
const shipped = readFileSync(join(dist, "index.html"), "utf8");
const variants = {
  "a trivial page": '<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body><p>hello</p></body></html>',
  "the first view alone (no scripts)": shipped
    .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "")
    .replace(/<script\b[\s\S]*?<\/script>/g, "")
    .replace(/<link rel="modulepreload"[^>]*>/g, ""),
  "as shipped": shipped,
};
const dirs = {};
for (const [i, [name, html]] of Object.entries(variants).entries()) {
  const d = join(work, String(i));
  cpSync(dist, d, { recursive: true });
  writeFileSync(join(d, "index.html"), html);
  dirs[name] = d;
}

const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs) => xs.length ? `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})` : "—";
const results = Object.fromEntries(Object.keys(dirs).map((k) => [k, []]));
for (let round = 0; round < rounds; round++) {
  for (const [name, dir] of Object.entries(dirs)) {
    const server = await serve({ dir, port: 0, base: "/podlab/" });
    const url = `http://127.0.0.1:${server.address().port}/podlab/`;
    const scripted = name === "as shipped";
    for (let i = 0; i < runs; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.addInitScript(() => {
        addEventListener("TrunkApplicationStarted", () => performance.mark("app-started"));
        requestAnimationFrame(() => performance.mark("first-frame"));
      });
      await page.goto(url);
      await page.waitForFunction((scripted) => performance.getEntriesByName("first-contentful-paint").length
        && (!scripted || performance.getEntriesByName("app-started").length), scripted);
      results[name].push(await page.evaluate(() => {
        const at = (n) => performance.getEntriesByName(n)[0]?.startTime;
        const wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
        return {
          interactive: performance.getEntriesByType("navigation")[0].domInteractive,
          frame: at("first-frame"),
          wasm: wasm?.responseEnd,
          app: at("app-started"),
          paint: at("first-contentful-paint"),
        };
      }));
      await ctx.close();
    }
    server.close();
  }
}
// Then, traced (a separate pass: tracing slows the page), the main thread's rendering before the
// first contentful paint: HTML parsing, style, layout, pre-paint and paint.
const PHASES = ["ParseHTML", "UpdateLayoutTree", "Layout", "PrePaint", "Paint"];
const traced = {};
for (const [name, dir] of Object.entries(dirs)) {
  const server = await serve({ dir, port: 0, base: "/podlab/" });
  const url = `http://127.0.0.1:${server.address().port}/podlab/`;
  traced[name] = Object.fromEntries(PHASES.map((p) => [p, []]));
  for (let i = 0; i < Math.max(5, Math.ceil(runs / 2)); i++) {
    const page = await browser.newPage();
    await browser.startTracing(page, { categories: ["devtools.timeline", "blink"] });
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length);
    const events = JSON.parse((await browser.stopTracing()).toString()).traceEvents;
    const fcp = events.find((e) => e.name === "firstContentfulPaint")?.ts ?? Infinity;
    for (const p of PHASES) {
      traced[name][p].push(events.filter((e) => e.ph === "X" && e.name === p && e.ts <= fcp).reduce((t, e) => t + e.dur / 1000, 0));
    }
    await page.close();
  }
  server.close();
}
await browser.close();
rmSync(work, { recursive: true, force: true });

console.log(`| plain open, ms (${rounds} rounds of ${runs} fresh contexts) | domInteractive | first frame starts | wasm arrived | app started | first contentful paint |`);
console.log("|---|---:|---:|---:|---:|---:|");
for (const [name, rows] of Object.entries(results)) {
  const col = (k) => fmt(rows.map((r) => r[k]).filter((x) => x !== undefined));
  console.log(`| ${name} | ${col("interactive")} | ${col("frame")} | ${col("wasm")} | ${col("app")} | ${col("paint")} |`);
}

console.log(`\n| main-thread rendering before the first paint, ms (traced, median of ${Math.max(5, Math.ceil(runs / 2))}) | ${PHASES.join(" | ")} | sum |`);
console.log(`|---|${PHASES.map(() => "---:").join("|")}|---:|`);
for (const [name, by] of Object.entries(traced)) {
  const meds = PHASES.map((p) => median(by[p]));
  console.log(`| ${name} | ${meds.map((m) => m.toFixed(1)).join(" | ")} | ${meds.reduce((a, b) => a + b, 0).toFixed(1)} |`);
}
