// podlab's service worker: after the first visit the page works offline. It caches only the
// page's own files, answers from the cache first and refreshes the cache from the network when
// it can. Manifests never reach it: they live in the page and in the URL fragment, which is never
// sent in a request.
const CACHE = "podlab-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

// The page sends the URLs it loaded (its wasm, scripts and styles) once the worker is ready.
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.cache) || [];
  const own = urls.filter((u) => new URL(u).origin === self.location.origin);
  event.waitUntil(
    caches.open(CACHE).then((c) => c.addAll(own)).then(() => event.source && event.source.postMessage({ cached: own.length })),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  // Navigations ignore the query and fragment: every link opens the same page.
  const key = req.mode === "navigate" ? new URL("./", self.registration.scope).href : req;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = await cache.match(key);
      const fresh = fetch(req)
        .then((res) => {
          if (res.ok) cache.put(key, res.clone());
          return res;
        })
        .catch(() => cached);
      return cached || fresh;
    }),
  );
});
