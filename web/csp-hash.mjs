// Trunk writes a small inline <script type="module"> that loads the WebAssembly. The page's
// Content-Security-Policy allows no inline script except by hash: compute those hashes and put
// them in place of __PODLAB_SCRIPT_HASHES__. Runs as trunk's post_build hook.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2] || "dist";
const file = join(dir, "index.html");
let html = readFileSync(file, "utf8");
const hashes = [];
for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) {
  hashes.push(`'sha256-${createHash("sha256").update(m[1], "utf8").digest("base64")}'`);
}
if (!html.includes("__PODLAB_SCRIPT_HASHES__")) {
  console.error("csp-hash: no __PODLAB_SCRIPT_HASHES__ placeholder in index.html");
  process.exit(1);
}
html = html.replace("__PODLAB_SCRIPT_HASHES__", hashes.join(" "));
writeFileSync(file, html);
console.log(`csp-hash: ${hashes.length} inline script hash(es) added`);
