// Registers the service worker once the first analysis and the editor (with its extras) are on screen, so that its
// install competes with nothing the reader waits for, and stores nothing twice: the loader in
// index.html first loads the second WebAssembly module (what a first visit does not run;
// `podlabLater.ready()`, which waits for the editor), then both WebAssembly responses the page
// holds (the loader kept copies) go into the worker's cache here, and the worker's install adds
// only what is missing, taking what the page loaded from the browser's HTTP cache (see sw.js).
// `data-offline-ready` on <html> says when the store is complete.
// When the store is settled (complete, or not available), the page starts its analysis worker
// (src/hooks/worker.rs), whose files the service worker then serves from the store.
function settled() {
  if (window.podlabSettled) return;
  window.podlabSettled = true;
  dispatchEvent(new Event("podlab-settled"));
}

(() => {
  const later = window.podlabLater;
  (later ? later.ready() : Promise.resolve())
    // The editor's extras (editor-more.js) too are in the HTTP cache before the install looks.
    .then(() => Promise.race([window.podlabEditor?.complete, new Promise((r) => setTimeout(r, 15000))]))
    .then(async () => {
      if (!("serviceWorker" in navigator)) return;
      // web/post-build.mjs writes the build's digest in place of the placeholder, as in sw.js.
      const CACHE = "podlab-" + "dev";
      // The second module's response may have been made from a synchronous request's bytes,
      // which carries no address of its own.
      const responses = [[window.podlabWasmResponse?.url, window.podlabWasmResponse], [later?.url, later?.response]].filter(([, res]) => res);
      window.podlabWasmResponse = null;
      if (later) later.response = null;
      if (responses.length && "caches" in window) {
        const cache = await caches.open(CACHE);
        for (const [url, res] of responses) if (!(await cache.match(url))) await cache.put(url, res);
      }
      await navigator.serviceWorker.register("sw.js");
      // The analysis worker waits for the store, but not forever: a browser may hold the
      // service worker back (a policy, a slow install).
      setTimeout(settled, 10000);
      // `ready` resolves once a worker is active, and a worker activates only after its install
      // step, which stored every file, has succeeded.
      await navigator.serviceWorker.ready;
      document.documentElement.dataset.offlineReady = "true";
    })
    .catch((e) => {
      // Without a service worker the page still works online.
      console.warn("podlab: offline support unavailable:", e.message);
    })
    .finally(settled);
})();
