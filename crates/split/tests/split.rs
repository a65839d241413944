//! A split runs as the whole module did: both halves in an interpreter (wasmi), linked as the
//! page links them (the loader in Trunk.toml): the first module's import `podlab.later(slot)`
//! instantiates the second against the first's exports.
use std::collections::HashSet;
use walrus::ir::{BinaryOp, MemArg, StoreKind, Value};
use walrus::{ConstExpr, FunctionBuilder, FunctionId, InstrSeqBuilder, LocalId, Module, ValType};
use wasmi::{Caller, Engine, Extern, Instance, Linker, Store};

/// A module with names: `hot(x)` (exported) returns `x + 1` for small x, else calls `cold(x)`,
/// which counts its calls in a global, stores x in memory, calls `deep` and `helper`, and adds a
/// constant found nowhere else (777777). `helper` is also called by `hot`.
fn sample(cold_name: &str) -> Vec<u8> {
    let mut m = Module::default();
    let memory = m.memories.add_local(false, false, 1, None, None);
    m.exports.add("memory", memory);
    let calls = m
        .globals
        .add_local(ValType::I32, true, false, ConstExpr::Value(Value::I32(0)));
    m.exports.add("calls", calls);
    let helper = function(&mut m, "helper", |body, x| {
        body.local_get(x)
            .i32_const(31)
            .binop(BinaryOp::I32Mul)
            .i32_const(12345)
            .binop(BinaryOp::I32Add);
    });
    let deep = function(&mut m, "deep", |body, x| {
        body.local_get(x).i32_const(1).binop(BinaryOp::I32Sub);
    });
    let cold = function(&mut m, cold_name, |body, x| {
        body.global_get(calls)
            .i32_const(1)
            .binop(BinaryOp::I32Add)
            .global_set(calls)
            .i32_const(16)
            .local_get(x)
            .store(
                memory,
                StoreKind::I32 { atomic: false },
                MemArg {
                    align: 4,
                    offset: 0,
                },
            )
            .local_get(x)
            .call(deep)
            .call(helper)
            .i32_const(777777)
            .binop(BinaryOp::I32Add);
    });
    let hot = function(&mut m, "hot", |body, x| {
        body.local_get(x)
            .i32_const(100)
            .binop(BinaryOp::I32GtS)
            .if_else(
                ValType::I32,
                |then| {
                    then.local_get(x).call(cold);
                },
                |otherwise| {
                    otherwise
                        .local_get(x)
                        .call(helper)
                        .i32_const(1)
                        .binop(BinaryOp::I32Add);
                },
            );
    });
    m.exports.add("hot", hot);
    m.emit_wasm()
}

/// Adds a function `(i32) -> i32` named `name`, its body written by `body` (given its argument).
fn function(
    m: &mut Module,
    name: &str,
    body: impl FnOnce(&mut InstrSeqBuilder, LocalId),
) -> FunctionId {
    let mut b = FunctionBuilder::new(&mut m.types, &[ValType::I32], &[ValType::I32]);
    let x = m.locals.add(ValType::I32);
    body(&mut b.func_body(), x);
    let f = m.funcs.add_local(b.local_func(vec![x]));
    m.funcs.get_mut(f).name = Some(name.into());
    f
}

/// The store's data: the first instance, the second module, and the slots `podlab.later` got.
#[derive(Default)]
struct Host {
    first: Option<Instance>,
    second: Option<wasmi::Module>,
    later: Vec<i32>,
}

/// Runs `hot` on each input: on the whole module, or on a split's first module, linked to the
/// second as the page links them. Returns the results, the global `calls`, the word at 16 and the
/// slots `podlab.later` was called with.
fn run(first: &[u8], second: Option<&[u8]>, inputs: &[i32]) -> (Vec<i32>, i32, i32, Vec<i32>) {
    let engine = Engine::default();
    let mut store = Store::new(&engine, Host::default());
    store.data_mut().second =
        second.map(|b| wasmi::Module::new(&engine, b).expect("the second module compiles"));
    let mut linker = Linker::<Host>::new(&engine);
    linker
        .func_wrap(
            "podlab",
            "later",
            |mut caller: Caller<'_, Host>, slot: i32| {
                caller.data_mut().later.push(slot);
                let first = caller.data().first.expect("the first instance");
                let second = caller.data().second.clone().expect("a second module");
                let mut link = Linker::<Host>::new(caller.engine());
                let exports: Vec<(String, Extern)> = first
                    .exports(&caller)
                    .map(|e| (e.name().to_string(), e.into_extern()))
                    .collect();
                for (name, item) in exports {
                    link.define("p", &name, item).unwrap();
                }
                link.instantiate_and_start(&mut caller, &second)
                    .expect("the second module links");
            },
        )
        .unwrap();
    let module = wasmi::Module::new(&engine, first).expect("the first module compiles");
    let instance = linker
        .instantiate_and_start(&mut store, &module)
        .expect("the first module links");
    store.data_mut().first = Some(instance);
    let hot = instance.get_typed_func::<i32, i32>(&store, "hot").unwrap();
    let results = inputs
        .iter()
        .map(|&x| hot.call(&mut store, x).expect("hot runs"))
        .collect();
    let calls = instance
        .get_global(&store, "calls")
        .unwrap()
        .get(&store)
        .i32()
        .unwrap();
    let memory = instance.get_memory(&store, "memory").unwrap();
    let mut word = [0u8; 4];
    memory.read(&store, 16, &mut word).unwrap();
    (
        results,
        calls,
        i32::from_le_bytes(word),
        store.data().later.clone(),
    )
}

fn sorted(names: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = names.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}

fn slot(moved: &[String], name: &str) -> i32 {
    moved.iter().position(|n| n == name).unwrap() as i32
}

fn keep(names: &[&str]) -> HashSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Whether `wasm` holds `i32.const 777777` (0x41, then the value in signed LEB128).
fn holds_cold_constant(wasm: &[u8]) -> bool {
    wasm.windows(4).any(|w| w == [0x41, 0xb1, 0xbc, 0x2f])
}

#[test]
fn a_split_computes_what_the_whole_module_computes_and_loads_the_second_once() {
    let whole = sample("cold");
    let inputs = [5, 200, 300, 7];
    let expected = run(&whole, None, &inputs);
    assert_eq!(
        expected.0,
        vec![
            5 * 31 + 12345 + 1,
            199 * 31 + 12345 + 777777,
            299 * 31 + 12345 + 777777,
            7 * 31 + 12346
        ]
    );
    assert_eq!((expected.1, expected.2), (2, 300));

    let s = podlab_split::split(&whole, &keep(&["hot", "helper"])).unwrap();
    assert_eq!(s.found, 2);
    assert_eq!(sorted(&s.moved), ["cold", "deep"]);
    assert!(holds_cold_constant(&whole));
    assert!(
        !holds_cold_constant(&s.first),
        "the moved code left the first module"
    );
    assert!(holds_cold_constant(&s.second));
    let (results, calls, word, later) = run(&s.first, Some(&s.second), &inputs);
    assert_eq!(
        (results, calls, word),
        (expected.0, expected.1, expected.2),
        "the same results, global and memory"
    );
    assert_eq!(
        later,
        vec![slot(&s.moved, "cold")],
        "the second module was loaded once, for `cold`"
    );
}

#[test]
fn a_first_visit_that_runs_only_kept_code_never_loads_the_second() {
    let whole = sample("cold");
    let s = podlab_split::split(&whole, &keep(&["hot", "helper"])).unwrap();
    let (results, calls, _, later) = run(&s.first, Some(&s.second), &[1, 2, 3]);
    assert_eq!(results, vec![12377, 12408, 12439]);
    assert_eq!(calls, 0);
    assert!(later.is_empty());
}

#[test]
fn nothing_moves_when_the_profile_names_everything() {
    let whole = sample("cold");
    let s = podlab_split::split(&whole, &keep(&["hot", "helper", "deep", "cold"])).unwrap();
    assert!(s.moved.is_empty());
    assert!(holds_cold_constant(&s.first));
    let (results, _, _, later) = run(&s.first, None, &[200]);
    assert_eq!(results, vec![199 * 31 + 12345 + 777777]);
    assert!(later.is_empty());
}

#[test]
fn exports_stay_and_an_llvm_number_does_not_matter() {
    // `hot` is exported, so it stays though the profile does not name it; `cold.12` matches the profile's
    // `cold.3`: LLVM's numbers change with unrelated code.
    let whole = sample("cold.12");
    let s = podlab_split::split(&whole, &keep(&["cold.3"])).unwrap();
    assert_eq!(s.found, 0);
    assert_eq!(sorted(&s.moved), ["deep", "helper"]);
    assert!(holds_cold_constant(&s.first));
    let (results, _, _, later) = run(&s.first, Some(&s.second), &[200]);
    assert_eq!(results, vec![199 * 31 + 12345 + 777777]);
    assert_eq!(
        later,
        vec![slot(&s.moved, "deep")],
        "`deep` is the first moved function called"
    );
}

#[test]
fn names_reads_the_profile_back() {
    let whole = sample("cold");
    // Walrus writes functions in its own order: find their indices by name.
    let module = Module::from_buffer(&whole).unwrap();
    let index = |n: &str| module.funcs.by_name(n).unwrap().index();
    let names = podlab_split::names(
        &whole,
        &[index("deep"), index("cold")].into_iter().collect(),
    )
    .unwrap();
    assert_eq!(names, vec!["cold".to_string(), "deep".to_string()]);
}

#[test]
fn a_module_that_is_not_webassembly_is_an_error() {
    assert!(podlab_split::split(b"not wasm", &keep(&[])).is_err());
}
