// Registers the service worker and hands it the page's own files, so a second visit works offline.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", async () => {
    try {
      const reg = await navigator.serviceWorker.register("sw.js");
      await navigator.serviceWorker.ready;
      const urls = [location.href.split("#")[0], ...performance.getEntriesByType("resource").map((e) => e.name)];
      navigator.serviceWorker.addEventListener("message", (e) => {
        if (e.data && "cached" in e.data) document.documentElement.dataset.offlineReady = "true";
      });
      (reg.active || navigator.serviceWorker.controller).postMessage({ cache: urls });
    } catch (e) {
      // Without a service worker the page still works online.
      console.warn("podlab: offline support unavailable:", e.message);
    }
  });
}
