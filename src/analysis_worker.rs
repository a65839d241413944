//! Large manifests are analysed in a Web Worker (`static/analysis-worker.js`), so typing never
//! waits for the engine: the page's main thread only hands the text over and, when the answer
//! comes back, reads it and draws what changed.
//!
//! The worker runs this same WebAssembly module, which the page hands over already compiled
//! (`window.podlabWasm`, from the loader in Trunk.toml), so nothing is downloaded or compiled
//! twice. It starts once the offline store is complete (`data-offline-ready`): the service worker
//! then serves the worker's own files from its store, so a first visit fetches no file twice.
//!
//! Latest edit wins: at most one request is in the worker at a time; what is typed meanwhile
//! replaces the one waiting, and an answer older than what is on screen is dropped by the state.

use podlab_engine::{Analysis, KubeVersion, Pattern};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's script, beside the page.
const SCRIPT: &str = "analysis-worker.js";

/// What the worker answers: the request's number and the analysis, or why there is none.
pub enum Answer {
    Analysis(u32, Rc<Analysis>),
    /// The worker could not analyse (it failed to start, or the engine stopped): the page
    /// analyses this request itself, as it did before the worker.
    Failed(u32),
}

/// Overrides as the worker reads them.
pub type Overrides = BTreeMap<String, BTreeMap<String, Pattern>>;

/// Runs in the worker: the analysis of one request, in the engine's wire form
/// (`podlab_engine::wire`), which the main thread reads back quicker than JSON and with less code.
#[wasm_bindgen(js_name = podlabWorkerAnalyze)]
pub fn worker_analyze(text: &str, version: &str, overrides: &str) -> Vec<u8> {
    let version = version.parse().unwrap_or(KubeVersion::NEWEST);
    let overrides: Overrides = serde_json::from_str(overrides).unwrap_or_default();
    let analysis = crate::state::analyse(text, version, &overrides);
    podlab_engine::wire::to_bytes(&analysis)
}

struct Request {
    seq: u32,
    text: Rc<String>,
    version: KubeVersion,
    overrides: String,
}

/// The worker's message and error listeners, kept as long as the worker lives.
type Listeners = (
    Closure<dyn FnMut(web_sys::MessageEvent)>,
    Closure<dyn FnMut(JsValue)>,
);

struct Bridge {
    worker: web_sys::Worker,
    /// The request in the worker, if any.
    busy: Option<u32>,
    /// The latest request typed while the worker was busy.
    waiting: Option<Request>,
    failed: bool,
    on_answer: Rc<dyn Fn(Answer)>,
    _listeners: Listeners,
}

thread_local! {
    static BRIDGE: RefCell<Option<Bridge>> = const { RefCell::new(None) };
}

/// Whether requests go to the worker. False before it is started, after it failed, and where
/// there is no worker (component tests).
pub fn ready() -> bool {
    BRIDGE.with(|b| b.borrow().as_ref().is_some_and(|b| !b.failed))
}

/// `window.podlabLater.url`: the second WebAssembly module, which holds the functions a first
/// visit does not run (crates/split).
fn later_url() -> Option<String> {
    let window: JsValue = web_sys::window()?.into();
    let later = js_sys::Reflect::get(&window, &"podlabLater".into()).ok()?;
    js_sys::Reflect::get(&later, &"url".into())
        .ok()?
        .as_string()
}

/// Starts the worker with the page's compiled module. Answers come to `on_answer`, on the main
/// thread, one message task each.
pub fn start(on_answer: impl Fn(Answer) + 'static) {
    if BRIDGE.with(|b| b.borrow().is_some()) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let get = |key: &str| js_sys::Reflect::get(&window, &JsValue::from_str(key)).ok();
    let (Some(module), Some(glue)) = (get("podlabWasm"), get("podlabGlue")) else {
        return;
    };
    let (Ok(module), Some(glue)) = (module.dyn_into::<js_sys::Promise>(), glue.as_string()) else {
        return;
    };
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let Ok(worker) = web_sys::Worker::new_with_options(SCRIPT, &options) else {
        return;
    };
    let onmessage = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
        answered(e.data())
    });
    let onerror = Closure::<dyn FnMut(JsValue)>::new(|_| fail());
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    let w = worker.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(module) = wasm_bindgen_futures::JsFuture::from(module).await else {
            return fail();
        };
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"module".into(), &module);
        let _ = js_sys::Reflect::set(&message, &"glue".into(), &glue.into());
        // The second module's address (the loader in Trunk.toml), for the worker to load.
        if let Some(url) = later_url() {
            let _ = js_sys::Reflect::set(&message, &"later".into(), &url.into());
        }
        if w.post_message(&message).is_err() {
            fail();
        }
    });
    BRIDGE.with(|b| {
        *b.borrow_mut() = Some(Bridge {
            worker,
            busy: None,
            waiting: None,
            failed: false,
            on_answer: Rc::new(on_answer),
            _listeners: (onmessage, onerror),
        })
    });
}

/// Asks for the analysis of `text`; the answer carries `seq`.
pub fn request(seq: u32, text: Rc<String>, version: KubeVersion, overrides: &Overrides) {
    let overrides = serde_json::to_string(overrides).unwrap_or_default();
    let req = Request {
        seq,
        text,
        version,
        overrides,
    };
    let failed = BRIDGE.with(|b| {
        let mut b = b.borrow_mut();
        let Some(b) = b.as_mut().filter(|b| !b.failed) else {
            return true;
        };
        if b.busy.is_some() {
            b.waiting = Some(req);
            false
        } else {
            !post(b, req)
        }
    });
    if failed {
        tell(Answer::Failed(seq));
    }
}

fn post(b: &mut Bridge, req: Request) -> bool {
    let message = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&message, &k.into(), &v).is_ok();
    let ok = set("seq", req.seq.into())
        && set("text", req.text.as_str().into())
        && set("version", req.version.to_string().into())
        && set("overrides", req.overrides.into())
        && b.worker.post_message(&message).is_ok();
    b.busy = ok.then_some(req.seq);
    ok
}

/// An answer from the worker: read it, send the waiting request, tell the page.
fn answered(data: JsValue) {
    let field = |k: &str| js_sys::Reflect::get(&data, &k.into()).ok();
    // The worker says when its engine runs; `data-analysis-worker="ready"` on <html> tells
    // tests and benchmarks. Only answers carry a number.
    let Some(seq) = field("seq").and_then(|v| v.as_f64()) else {
        if field("ready").is_some_and(|v| v.is_truthy()) {
            let root = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element());
            if let Some(root) = root {
                let _ = root.set_attribute("data-analysis-worker", "ready");
            }
        }
        return;
    };
    let seq = seq as u32;
    let wire = field("wire")
        .and_then(|v| v.dyn_into::<js_sys::Uint8Array>().ok())
        .map(|v| v.to_vec());
    let unsent = BRIDGE.with(|b| {
        let mut b = b.borrow_mut();
        let b = b.as_mut()?;
        b.busy = None;
        let next = b.waiting.take()?;
        let n = next.seq;
        if post(b, next) {
            None
        } else {
            b.failed = true;
            Some(n)
        }
    });
    // `podlab-answer-read` in the page's performance timeline: what reading an answer costs
    // the main thread (web/bench.mjs reports it).
    let performance = web_sys::window().and_then(|w| w.performance());
    if let Some(p) = &performance {
        let _ = p.mark("podlab-answer");
    }
    let read = wire.map(|w| podlab_engine::wire::from_bytes(&w));
    if let Some(p) = &performance {
        let _ = p.measure_with_start_mark("podlab-answer-read", "podlab-answer");
        p.clear_marks_with_mark_name("podlab-answer");
    }
    let answer = match read {
        Some(Ok(a)) => Answer::Analysis(seq, Rc::new(a)),
        _ => {
            // The engine stopped in the worker; the page analyses from now on.
            BRIDGE.with(|b| {
                if let Some(b) = b.borrow_mut().as_mut() {
                    b.failed = true;
                }
            });
            Answer::Failed(seq)
        }
    };
    tell(answer);
    if let Some(n) = unsent {
        tell(Answer::Failed(n));
    }
}

/// The worker could not start or run: every request, waiting or sent, is answered by the page.
fn fail() {
    let open = BRIDGE.with(|b| {
        let mut b = b.borrow_mut();
        let Some(b) = b.as_mut() else {
            return Vec::new();
        };
        b.failed = true;
        b.worker.terminate();
        let mut open: Vec<u32> = b.busy.take().into_iter().collect();
        open.extend(b.waiting.take().map(|r| r.seq));
        open
    });
    for seq in open {
        tell(Answer::Failed(seq));
    }
}

fn tell(answer: Answer) {
    let on_answer = BRIDGE.with(|b| b.borrow().as_ref().map(|b| b.on_answer.clone()));
    if let Some(f) = on_answer {
        f(answer);
    }
}
