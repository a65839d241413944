// Which WebAssembly functions a first visit runs (scripts/split-profile): Chromium compiles each
// function at its first call (lazy compilation) and traces it (`wasm.CompileLazy`, with its
// index). Opens the site in fresh contexts, with what waits for the second module held back
// (`podlabLater.ready()`: the panels below the containers, the offline store, the analysis
// worker), until the live app's first analysis and the editor are in place, and a second more:
// so it reads what runs before the second module can be there. Plainly, from a share link to a
// one-container Pod (twice each), then from a share link to every built-in example, to manifests
// with errors, damaged links and, where ../shared/corpus is beside the project, to every real manifest of the
// corpus, so that a link to a real manifest finds what it needs in the first module. Writes the indices, sorted, as JSON.
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
// Links people share while debugging: a manifest with errors shows them, with lines and columns.
const broken = [
  "apiVersion: v1\nkind: Pod\nmetadata: {name: broken}\nspec:\n  containers:\n  - name: app\n    image: nginx\n  - name: [oops\n",
  "{{ .Values.name }}\nkind: Pod\n",
  "apiVersion: v1\nkind: Pod\nmetadata: {name: typed}\nspec:\n  containers:\n  - name: app\n    image: 5\n    ports: {a: 1}\n    resources:\n      limits: {cpu: lots, memory: -1Gi}\n    unknownField: x\n",
  "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n  spec: {containers: [{name: a, image: a}]}\n---\nkind: Service\n---\n\t- tab\n",
];
// And links that arrive damaged (cut short, or not podlab's).
const damaged = [url + "#v1/", url + "#v1/not-a-link", linkTo(pod).slice(0, -20)];
const visits = [url, linkTo(pod), url, linkTo(pod), ...examples.map(linkTo), ...broken.map(linkTo), ...damaged, ...corpus.map(linkTo)];
console.error(`${visits.length} visits: plain and a one-container Pod twice each, ${examples.length} examples, ${broken.length} manifests with errors, ${damaged.length} damaged links, ${corpus.length} corpus manifests`);

const browser = await launch();
const seen = new Set();
for (const address of visits) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    let later;
    Object.defineProperty(window, "podlabLater", {
      configurable: true,
      get: () => later,
      set: (value) => {
        value.ready = () => new Promise(() => {});
        later = value;
      },
    });
  });
  await browser.startTracing(page, { categories: ["disabled-by-default-v8.wasm.detailed", "v8.wasm"] });
  await page.goto(address);
  // The editor loads after the first analysis (a card, or the manifest's errors); then whatever
  // runs before the second module could be in.
  await page.waitForSelector(".cm-editor", { timeout: 30000 });
  await page.waitForTimeout(1000);
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
