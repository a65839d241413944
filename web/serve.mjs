// A tiny static server for the built site: loopback only, optional sub-path, correct MIME types.
// With `gzip`, it compresses what the browser accepts compressed, as static hosts do (GitHub Pages
// sends gzip); `onSend` hears of every file sent: its path, the bytes put on the wire, when the request arrived. It never allows
// HTTP caching without a check (`no-cache`) and sends no validator, so every check downloads the
// whole file again.
// Usage: node web/serve.mjs [dir=dist] [port=8080] [base=/]
import { createServer } from "node:http";
import { gzipSync } from "node:zlib";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".svg": "image/svg+xml", ".json": "application/json",
  ".yaml": "text/yaml; charset=utf-8", ".png": "image/png", ".webmanifest": "application/manifest+json",
};

export function serve({ dir = "dist", port = 8080, base = "/", gzip = false, onSend = () => {} } = {}) {
  const root = resolve(dir);
  const prefix = base.endsWith("/") ? base : base + "/";
  const server = createServer(async (req, res) => {
    const arrived = Date.now();
    const url = new URL(req.url, "http://localhost");
    if (!url.pathname.startsWith(prefix)) {
      res.writeHead(404).end("not found");
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || "index.html";
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const s = await stat(file);
      const path = s.isDirectory() ? join(file, "index.html") : file;
      let body = await readFile(path);
      const headers = { "content-type": TYPES[extname(path)] || "application/octet-stream", "cache-control": "no-cache" };
      if (gzip && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
        body = gzipSync(body, { level: 9 });
        headers["content-encoding"] = "gzip";
        headers.vary = "accept-encoding";
      }
      res.writeHead(200, headers);
      res.end(body);
      onSend({ path: url.pathname + url.search, bytes: body.length, arrived });
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = "dist", port = "8080", base = "/"] = process.argv.slice(2);
  const s = await serve({ dir, port: Number(port), base });
  console.log(`podlab is served at http://127.0.0.1:${s.address().port}${base}`);
}
