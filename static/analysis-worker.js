// podlab's analysis worker: analyses large manifests off the page's main thread, so typing never
// waits for the engine (src/analysis_worker.rs). It runs the page's own WebAssembly module, which
// the page sends already compiled, through the page's own wasm-bindgen glue; the module's start
// function sees no window here and draws nothing.
//
// Messages in: {module, glue, later} once (later: the second module's address), then {seq,
// text, version, overrides}. Out: {ready} once the engine runs, then {seq, wire} (the analysis in
// the engine's wire form, a Uint8Array whose buffer is transferred), or {seq, error} when the
// engine stopped (the page then analyses by itself).
let engine = null;
const waiting = [];

self.onmessage = async (event) => {
  const m = event.data;
  if (m.module) {
    try {
      const glue = await import(m.glue);
      // The functions a first visit does not run are in a second module (crates/split), which the
      // first calls for through its import `podlab.later`: compiled here ahead of need (the page's
      // offline store serves it), instantiated once against the first module's exports. A module
      // built whole has none; without it, the engine here stops at the first moved function, and
      // the page analyses by itself.
      const later = m.later ? await WebAssembly.compileStreaming(fetch(m.later)).catch(() => null) : null;
      let exports = null;
      let linked = false;
      const instantiate = WebAssembly.instantiate;
      WebAssembly.instantiate = async (module, imports) => {
        imports.podlab = {
          later: () => {
            if (!later) throw new Error("podlab: no second module");
            if (!linked) new WebAssembly.Instance(later, { p: exports });
            linked = true;
          },
        };
        const result = await instantiate(module, imports);
        exports = (result.instance || result).exports;
        return result;
      };
      try {
        await glue.default({ module_or_path: m.module });
      } finally {
        WebAssembly.instantiate = instantiate;
      }
      engine = glue;
    } catch (e) {
      // The page hears of it through the worker's error event and analyses by itself.
      setTimeout(() => { throw e; });
      return;
    }
    self.postMessage({ ready: true });
    waiting.splice(0).forEach(answer);
    return;
  }
  if (engine) answer(m);
  else waiting.push(m);
};

function answer(m) {
  try {
    const wire = engine.podlabWorkerAnalyze(m.text, m.version, m.overrides);
    self.postMessage({ seq: m.seq, wire }, [wire.buffer]);
  } catch (e) {
    engine = null;
    self.postMessage({ seq: m.seq, error: String(e) });
  }
}
