// Trunk's post_build hook. Five steps, in this order, on the staged site:
//
// S. The split. Trunk leaves the WebAssembly as wasm-bindgen wrote it, with its function names
//    (index.html: `data-wasm-opt="0"`). podlab-split (crates/split) keeps in it the functions
//    that a first visit runs, named by the profile web/split-keep.txt (scripts/split-profile), and
//    moves every other function to a second module beside it, `…_later.wasm`, which the page loads
//    after the first analysis and the editor are on screen (the loader in Trunk.toml, which this
//    step tells that the module is split). Then
//    `wasm-opt -O1` on each, which also drops the names, and both named after a hash of both.
//    PODLAB_SPLIT=0 leaves the module whole and named, for the profile, as does a debug build.
//
// M. Minified. What a first visit loads before its first analysis and Trunk leaves as written:
//    the wasm-bindgen glue, the page's style sheet and inline scripts and, in step 2 once its
//    build is written in, register-sw.js, through esbuild (as the editor bundle is built). A debug
//    build keeps them as written.
// 0. The first view. Trunk's pre_build hook rendered the app's first view of the default example
//    natively (src/bin/prerender.rs) into target/podlab-prerender.html; it goes into index.html's
//    <div id="podlab-prerender">, so the page shows the first analysis before the WebAssembly runs.
// 1. Content-Security-Policy. Trunk writes the inline loader scripts (Trunk.toml's
//    pattern_script) that load the WebAssembly, and index.html has one of its own; the policy
//    allows no inline script except by hash.
//    Compute those hashes and put them in place of __PODLAB_SCRIPT_HASHES__ in index.html.
// 2. Offline cache. List every file of the site and write the list, with a digest of their
//    contents, into sw.js, so the service worker stores the whole site when it installs and a new
//    build replaces the old cache. (Listing at build time, not from what a page happened to load,
//    means a slow first visit cannot leave a file out.) The files the page loads whose names do
//    not change with their contents (the editor bundle, register-sw.js, the icon) get `?v=` and
//    the digest in the page and in the list, and the page names its build in a <meta>: the worker
//    takes them from the browser's HTTP cache instead of downloading them again, and a name that
//    changes with every build cannot come from an older one.
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, readdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { transformSync } from "esbuild";

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || "dist";

function fail(message) {
  console.error(`post-build: ${message}`);
  process.exit(1);
}

// S. The split
const wasmName = readdirSync(dir).find((f) => f.endsWith("_bg.wasm"));
if (!wasmName) fail("no *_bg.wasm in the site");
const wasmFile = join(dir, wasmName);
// A debug build (`trunk serve`, `trunk build` without --release) stays whole: its names differ.
if (process.env.PODLAB_SPLIT !== "0" && process.env.TRUNK_PROFILE !== "debug") {
  const tmp = mkdtempSync(join(tmpdir(), "podlab-split-"));
  const run = (cmd, args) => {
    try {
      execFileSync(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      fail(`${cmd} ${args.join(" ")}: ${e.message}`);
    }
  };
  const [first, second] = [join(tmp, "first.wasm"), join(tmp, "second.wasm")];
  run("cargo", ["run", "--quiet", "--locked", "--release", "-p", "podlab-split", "--", "split", wasmFile, "web/split-keep.txt", first, second]);
  // The features Rust's wasm32 target turns on, as trunk passes them.
  const features = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"];
  const wasmOpt = join("web", "node_modules", ".bin", "wasm-opt");
  const [firstOut, secondOut] = [join(tmp, "first-O1.wasm"), join(tmp, "second-O1.wasm")];
  run(wasmOpt, ["-O1", ...features, first, "-o", firstOut]);
  run(wasmOpt, ["-O1", ...features, second, "-o", secondOut]);
  // Trunk's hash in the name is the whole module's; the two files are named after their own
  // contents, both, so that a cache can never pair a first module with another build's second
  // (a new profile changes them and not the whole module).
  const [a, b] = [readFileSync(firstOut), readFileSync(secondOut)];
  const digest = createHash("sha256").update(a).update(b).digest("hex").slice(0, 16);
  const stem = wasmName.replace(/-[0-9a-f]+_bg\.wasm$/, `-${digest}`);
  if (stem === wasmName) fail(`${wasmName}: no hash in the name`);
  rmSync(wasmFile);
  writeFileSync(join(dir, `${stem}_bg.wasm`), a);
  writeFileSync(join(dir, `${stem}_later.wasm`), b);
  rmSync(tmp, { recursive: true, force: true });
  const index = join(dir, "index.html");
  const page = readFileSync(index, "utf8");
  if (!page.includes(wasmName)) fail(`index.html does not name ${wasmName}`);
  if (!page.includes("split: false,")) fail("the loader in index.html lacks its `split: false,`");
  writeFileSync(index, page.replaceAll(wasmName, `${stem}_bg.wasm`).replace("split: false,", "split: true,"));
}

// M. Minified
const minify = process.env.TRUNK_PROFILE !== "debug";
function minified(code, loader, what, format) {
  if (!minify) return code;
  try {
    return transformSync(code, { loader, format, minify: true, target: "es2022", legalComments: "none" }).code;
  } catch (e) {
    fail(`${what}: ${e.message}`);
  }
}
const glue = readdirSync(dir).filter((f) => /^podlab-web-[0-9a-f]+\.js$/.test(f));
if (glue.length !== 1) fail(`expected one wasm-bindgen glue file, found ${glue.length}`);
const glueFile = join(dir, glue[0]);
writeFileSync(glueFile, minified(readFileSync(glueFile, "utf8"), "js", glue[0]));

// 0. The first view
const indexFile = join(dir, "index.html");
let html = readFileSync(indexFile, "utf8");
if (!/<style>[\s\S]*?<\/style>/.test(html)) fail("no inlined style sheet in index.html");
html = html.replace(/<style>([\s\S]*?)<\/style>/g, (_, css) => `<style>${minified(css, "css", "the style sheet").trim()}</style>`);
// And the inline scripts (the loader, the marks `data-opening` and `data-later`), after step S
// has told the loader that the module is split.
html = html.replace(/<script((?![^>]*\bsrc=)[^>]*)>([\s\S]*?)<\/script>/g, (all, attrs, code) =>
  code.trim() ? `<script${attrs}>${minified(code, "js", "an inline script", /type="module"/.test(attrs) ? "esm" : undefined).trim()}</script>` : all);
const PRERENDER_MARK = "<!-- podlab-prerender -->";
const prerenderFile = "target/podlab-prerender.html";
if (!html.includes(PRERENDER_MARK)) fail(`no ${PRERENDER_MARK} placeholder in index.html`);
let firstView;
try {
  firstView = readFileSync(prerenderFile, "utf8");
} catch (e) {
  fail(`${prerenderFile}: ${e.message} (Trunk's pre_build hook renders it)`);
}
if (!firstView.includes('data-testid="container-card"')) fail(`${prerenderFile} holds no container card`);
if (/<script\b/i.test(firstView)) fail(`${prerenderFile} holds a script`);
html = html.replace(PRERENDER_MARK, () => firstView);

// 1. Content-Security-Policy
if (!html.includes("__PODLAB_SCRIPT_HASHES__")) fail("no __PODLAB_SCRIPT_HASHES__ placeholder in index.html");
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`);
}
html = html.replace("__PODLAB_SCRIPT_HASHES__", hashes.join(" "));
writeFileSync(indexFile, html);

// 2. Offline cache
function walk(d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
}
const swFile = join(dir, "sw.js");
const files = walk(dir)
  .map((f) => relative(dir, f).split(sep).join("/"))
  .filter((f) => f !== "sw.js")
  .sort();
const digest = createHash("sha256");
for (const f of files) digest.update(f).update(readFileSync(join(dir, f)));
const version = digest.digest("hex").slice(0, 16);
// editor-more.js is loaded by editor.js, under editor.js's own query (src/editor.js).
const versioned = ["editor.js", "editor-more.js", "register-sw.js", "favicon.svg"];
for (const f of versioned) {
  if (!files.includes(f)) fail(`${f} is not in the site`);
  if (f === "editor-more.js") continue;
  const attr = new RegExp(`(href|src|content)="${f.replace(".", "\\.")}"`, "g");
  if (!attr.test(html)) fail(`index.html does not refer to ${f}`);
  html = html.replace(attr, `$1="${f}?v=${version}"`);
}
if (!html.includes("__PODLAB_BUILD__")) fail("no __PODLAB_BUILD__ placeholder in index.html");
html = html.replace("__PODLAB_BUILD__", `podlab-${version}`);
writeFileSync(indexFile, html);
const registerFile = join(dir, "register-sw.js");
const register = readFileSync(registerFile, "utf8");
if (!register.includes('"dev"')) fail('register-sw.js lacks its "dev" placeholder');
writeFileSync(registerFile, minified(register.replace('"dev"', JSON.stringify(version)), "js", "register-sw.js"));
// The page itself is stored under "./": every link, whatever its fragment, opens it.
const urls = ["./", ...files.filter((f) => f !== "index.html").map((f) => (versioned.includes(f) ? `${f}?v=${version}` : f))];
let sw = readFileSync(swFile, "utf8");
if (!sw.includes("[/* PRECACHE */]") || !sw.includes('"dev"')) fail("sw.js lacks its [/* PRECACHE */] or \"dev\" placeholder");
sw = sw.replace("[/* PRECACHE */]", JSON.stringify(urls)).replace('"dev"', JSON.stringify(version));
writeFileSync(swFile, sw);

console.log(`post-build: the first view (${firstView.length} bytes) in index.html; ${hashes.length} inline script hash(es) in the CSP; ${urls.length} files for offline use, build ${version}`);
