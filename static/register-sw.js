// Registers the service worker, which stores the whole site when it installs, so a second visit
// works offline. `data-offline-ready` on <html> says when that store is complete.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", async () => {
    try {
      await navigator.serviceWorker.register("sw.js");
      // `ready` resolves once a worker is active, and a worker activates only after its install
      // step, which stored every file, has succeeded.
      await navigator.serviceWorker.ready;
      document.documentElement.dataset.offlineReady = "true";
    } catch (e) {
      // Without a service worker the page still works online.
      console.warn("podlab: offline support unavailable:", e.message);
    }
  });
}
