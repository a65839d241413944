// Which WebAssembly functions a first visit runs (scripts/split-profile): Chromium compiles each
// function at its first call (lazy compilation) and traces it (`wasm.CompileLazy`, with its
// index). Opens the site in fresh contexts, until the live app's first analysis and the editor are
// in place: plainly, from a share link to a one-container Pod (twice each), then from a share link
// to every built-in example and, where ../shared/corpus is beside the project, to every real
// manifest of the corpus, so that a link to a real manifest finds what it needs in the first
// module. Writes the indices, sorted, as JSON.
// Usage: node web/split-trace.mjs DIST OUT.json
import { deflateRawSync } from "node:zlib";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launch } from "./chromium.mjs";
import { serve } from "./serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.argv[2]);
const server = await serve({ dir: dist, port: 0, base: "/podlab/" });
const url = `http://127.0.0.1:${server.address().port}/podlab/`;
const linkTo = (manifest) => url + "#v1/" + deflateRawSync(JSON.stringify({ manifest })).toString("base64url");
const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: linked}\nspec:\n  containers:\n  - {name: from-link, image: example/app:1}\n";
const manifests = (dir) => (existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().map((f) => readFileSync(join(dir, f), "utf8")) : []);
const examples = manifests(join(here, "..", "static", "examples"));
const corpus = manifests(join(here, "..", "..", "shared", "corpus", "files"));
const visits = [url, linkTo(pod), url, linkTo(pod), ...examples.map(linkTo), ...corpus.map(linkTo)];
console.error(`${visits.length} visits: plain and a one-container Pod twice each, ${examples.length} examples, ${corpus.length} corpus manifests`);

const browser = await launch();
const seen = new Set();
for (const address of visits) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await browser.startTracing(page, { categories: ["disabled-by-default-v8.wasm.detailed", "v8.wasm"] });
  await page.goto(address);
  // A manifest the page cannot read shows its error instead of a card.
  await page.waitForSelector('[data-testid="container-card"]:not(#podlab-prerender *), [data-testid="link-error"]');
  await page.waitForSelector(".cm-editor", { timeout: 30000 });
  await page.waitForTimeout(500);
  const trace = JSON.parse((await browser.stopTracing()).toString());
  const events = trace.traceEvents.filter((e) => e.name === "wasm.CompileLazy");
  if (!events.length) throw new Error(`no wasm.CompileLazy events in the trace of ${address.slice(0, 80)}`);
  for (const e of events) seen.add(e.args.func_index);
  await ctx.close();
}
await browser.close();
server.close();
writeFileSync(process.argv[3], JSON.stringify([...seen].sort((a, b) => a - b)));
console.error(`${seen.size} functions run`);
