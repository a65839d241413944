// Which WebAssembly functions a first visit runs (scripts/split-profile): Chromium compiles each
// function at its first call (lazy compilation) and traces it (`wasm.CompileLazy`, with its
// index). Opens the site plainly and from a share link, twice each, in fresh contexts, until the
// live app's first card and the editor are in place, and writes the indices, sorted, as JSON.
// Usage: node web/split-trace.mjs DIST OUT.json
import { deflateRawSync } from "node:zlib";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const dist = resolve(process.argv[2]);
const server = await serve({ dir: dist, port: 0, base: "/podlab/" });
const url = `http://127.0.0.1:${server.address().port}/podlab/`;
const manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: linked}\nspec:\n  containers:\n  - {name: from-link, image: example/app:1}\n";
const link = url + "#v1/" + deflateRawSync(JSON.stringify({ manifest })).toString("base64url");
const browser = await launch();
const seen = new Map();
for (const address of [url, link, url, link]) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await browser.startTracing(page, { categories: ["disabled-by-default-v8.wasm.detailed", "v8.wasm"] });
  await page.goto(address);
  await page.waitForSelector('[data-testid="container-card"]:not(#podlab-prerender *)');
  await page.waitForSelector(".cm-editor", { timeout: 30000 });
  await page.waitForTimeout(500);
  const trace = JSON.parse((await browser.stopTracing()).toString());
  const events = trace.traceEvents.filter((e) => e.name === "wasm.CompileLazy");
  if (!events.length) console.error("no wasm.CompileLazy events; names seen:", [...new Set(trace.traceEvents.map((e) => e.name))].slice(0, 60));
  else console.error(address === url ? "plain" : "link", events.length, "functions; first:", JSON.stringify(events[0]));
  for (const e of events) {
    const i = e.args?.func_index ?? e.args?.data?.func_index;
    seen.set(i, (seen.get(i) || 0) + 1);
  }
  await ctx.close();
}
await browser.close();
server.close();
writeFileSync(process.argv[3], JSON.stringify([...seen.keys()].sort((a, b) => a - b)));
console.error(seen.size, "functions in all");
