// podlab's service worker: after the first visit the page works offline. When it installs it
// stores every file of the site (the list is written in at build time by web/post-build.mjs),
// answers from that store first, and drops the stores of older builds when it takes over. It
// handles only the page's own GET requests. Manifests never reach it: they live in the page and in
// the URL fragment, which no request carries.
const FILES = [/* PRECACHE */];
const CACHE = "podlab-" + "dev";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(FILES.map((f) => new URL(f, self.registration.scope).href)))
      .then(() => self.skipWaiting()),
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
