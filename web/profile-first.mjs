// Where the main thread's time goes before the first analysis is in the DOM, by function: V8's
// sampling profiler (100 µs) from the document's first script until the live app's first
// container card appears (`console.profile` / `console.profileEnd`), in fresh contexts, averaged.
// A WebAssembly function compiled lazily, at its first call, counts the compile in its caller's
// self time. Give it a site with names (`scripts/wasm-names`) to read the WebAssembly's rows.
// Usage: node web/profile-first.mjs [link|plain] [dist=target/dist-names] [runs=9] [rows=40]
import { deflateRawSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const mode = process.argv[2] || "link";
const dist = resolve(process.argv[3] || join(here, "..", "target", "dist-names"));
const runs = Number(process.argv[4] || 9);
const rows = Number(process.argv[5] || 40);
const server = await serve({ dir: dist, port: 0, base: "/podlab/" });
const url = `http://127.0.0.1:${server.address().port}/podlab/`;
// The same one-container Pod as bench.mjs and bench-share.mjs.
const manifest = "apiVersion: v1\nkind: Pod\nmetadata: {name: linked}\nspec:\n  containers:\n  - {name: from-link, image: example/app:1}\n";
const address = mode === "plain" ? url : url + "#v1/" + deflateRawSync(JSON.stringify({ manifest })).toString("base64url");
const card = mode === "plain" ? '[data-testid="container-card"]' : '[data-testid="container-card"][data-container="from-link"]';
const browser = await launch();
const self = new Map();
for (let r = 0; r < runs; r++) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
  const finished = new Promise((done) => cdp.on("Profiler.consoleProfileFinished", (e) => done(e.profile)));
  // The live app's card: the view rendered at build time (a plain open) does not count.
  await page.addInitScript((card) => {
    console.profile("first-analysis");
    new MutationObserver((_, o) => {
      if ([...document.querySelectorAll(card)].some((e) => !e.closest("#podlab-prerender"))) {
        console.profileEnd("first-analysis");
        o.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  }, card);
  await page.goto(address);
  const profile = await finished;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const f = nodes.get(id).callFrame;
    const name = f.functionName || `(${f.url.split("/").pop().split("?")[0] || "native"})`;
    self.set(name, (self.get(name) || 0) + (profile.timeDeltas[i + 1] || 0) / 1000 / runs);
  });
  await ctx.close();
}
await browser.close();
server.close();
const sorted = [...self].sort((a, b) => b[1] - a[1]);
const wasm = sorted.filter(([n]) => /::h[0-9a-f]{16}$/.test(n)).reduce((t, [, v]) => t + v, 0);
console.log(`${mode === "plain" ? "plain open" : "share link"}, ${runs} fresh contexts, mean self time before the live app's first card, ms`);
console.log(`(Rust functions together: ${wasm.toFixed(1)} ms; "(program)" is the browser's own work: parsing, compiling, style, layout)\n`);
console.log("| ms | function |\n|---:|---|");
for (const [n, v] of sorted.slice(0, rows)) console.log(`| ${v.toFixed(2)} | \`${n.replace(/::h[0-9a-f]{16}$/, "").replace(/\|/g, "\\|").slice(0, 140)}\` |`);
