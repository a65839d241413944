// podlab's service worker: after the first visit the page works offline. It installs once the
// first analysis and the editor are on screen (register-sw.js), stores every file of the site
// (the list is written in at build time by web/post-build.mjs), answers from that store first,
// and drops the stores of older builds when it takes over. It handles only the page's own GET
// requests. Manifests never reach it: they live in the page and in the URL fragment, which no
// request carries.
const FILES = [/* PRECACHE */];
const CACHE = "podlab-" + "dev";

// The page has already loaded most of these files; none is downloaded again. The page put the
// WebAssembly into this cache itself. The rest comes from the browser's HTTP cache where it holds
// them (`force-cache` takes a stored response, stale or not, without asking the server): a name
// that carries a content hash or `?v=` and the build's digest cannot be stale. The page itself has
// one name for every build, so it is taken from there only if it names this build.
// Trunk writes its 64-bit hash in hex without leading zeros, so it may be shorter than 16 digits.
const unique = (f) => /-[0-9a-f]{12,16}(_bg|_later)?\.\w+$/.test(f) || f.includes("?v=");

async function store(cache, f) {
  const url = new URL(f, self.registration.scope).href;
  let res = await fetch(url, { cache: unique(f) || f === "./" ? "force-cache" : "no-cache" });
  if (f === "./" && !(await res.clone().text()).includes(CACHE)) res = await fetch(url, { cache: "no-cache" });
  if (!res.ok) throw new Error(`${f}: ${res.status}`);
  await cache.put(url, res);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const held = new Set((await cache.keys()).map((r) => r.url));
      await Promise.all(FILES.filter((f) => !held.has(new URL(f, self.registration.scope).href)).map((f) => store(cache, f)));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("podlab-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  // Navigations ignore the query and fragment: every link opens the same page.
  const key = req.mode === "navigate" ? new URL("./", self.registration.scope).href : req;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = await cache.match(key, { ignoreSearch: true });
      if (cached) return cached;
      const res = await fetch(req);
      if (res.ok && req.mode !== "navigate") cache.put(req, res.clone());
      return res;
    }),
  );
});
