//! Splits the page's WebAssembly in two by a profile of a first visit.
//!
//! The functions a first visit runs (the profile, `web/split-keep.txt`, names them) stay in the
//! first module, which the page downloads at once. Every other function's body moves to a second
//! module, which the page loads after the first analysis and the editor are on screen. In the
//! first module each moved function keeps its place and its type, with a small body that calls
//! the moved code through a table (`podlab_later`) the second module fills when it is
//! instantiated; if that table is still empty, the body first calls the import `podlab.later`,
//! which loads the second module there and then (web: the loader in Trunk.toml).
//!
//! The second module imports everything it uses from the first under short names (`p.f12`,
//! memories `p.m0`, tables `p.t1`, globals `p.g0`, the table `p.podlab_later`), and the first
//! exports exactly those.
//!
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use walrus::ir::Value;
use walrus::{
    ConstExpr, ElementItems, ElementKind, ExportItem, FunctionBuilder, FunctionId, FunctionKind,
    GlobalKind, ImportId, ImportKind, ImportedFunction, Module, ModuleConfig, RefType, TableId,
    ValType,
};

/// The module the second one imports from.
const FROM: &str = "p";
/// The table of moved functions, which the first module exports and the second fills.
const LATER_TABLE: &str = "podlab_later";

fn parse(bytes: &[u8], names: bool) -> Result<Module> {
    let mut config = ModuleConfig::new();
    config
        .generate_name_section(names)
        .generate_producers_section(false);
    config.parse(bytes)
}

/// The names of the functions at the given indices, sorted: the profile's keep list.
pub fn names(wasm: &[u8], indices: &HashSet<usize>) -> Result<Vec<String>> {
    let module = parse(wasm, true)?;
    let mut out: Vec<String> = module
        .funcs
        .iter()
        .filter(|f| indices.contains(&f.id().index()))
        .filter_map(|f| f.name.clone())
        .collect();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// A split: the two modules, and what went where.
pub struct Split {
    /// The module the page loads first.
    pub first: Vec<u8>,
    /// The moved functions.
    pub second: Vec<u8>,
    /// How many of the profile's names this module has.
    pub found: usize,
    /// How many local functions stay in the first module.
    pub stay: usize,
    /// The moved functions' names, by slot (the number `podlab.later` gets).
    pub moved: Vec<String>,
}

/// Splits `wasm` (a module with a name section): the functions `keep` names stay in the first
/// module, with those without a name, the exports and the start function; every other local
/// function moves to the second.
pub fn split(wasm: &[u8], keep: &HashSet<String>) -> Result<Split> {
    let named = parse(wasm, true)?;
    let (stay, found) = staying(&named, keep);
    let mut first = parse(wasm, false)?;
    let mut second = parse(wasm, false)?;
    // Function ids are indices in the module's function space, the same in all three parses.
    let moved: Vec<usize> = first
        .funcs
        .iter_local()
        .map(|(id, _)| id.index())
        .filter(|i| !stay.contains(i))
        .collect();
    let staying = first.funcs.iter_local().count() - moved.len();
    let names: Vec<&str> = named
        .funcs
        .iter()
        .map(|f| f.name.as_deref().unwrap_or(""))
        .collect();
    let moved_names = moved.iter().map(|&i| names[i].to_string()).collect();
    let needed = make_second(&mut second, &moved);
    make_first(&mut first, &moved, &needed)?;
    let (a, b) = (first.emit_wasm(), second.emit_wasm());
    // Both must read back: walrus validates as it reads.
    parse(&a, false).context("the first module does not validate")?;
    parse(&b, false).context("the second module does not validate")?;
    Ok(Split {
        first: a,
        second: b,
        found,
        stay: staying,
        moved: moved_names,
    })
}

/// The functions that stay in the first module, by index: those the profile names, those without
/// a name, the exports and the start function. Also how many of the profile's names this build has.
fn staying(named: &Module, keep: &HashSet<String>) -> (HashSet<usize>, usize) {
    let found = named
        .funcs
        .iter()
        .filter(|f| f.name.as_ref().is_some_and(|n| keep.contains(n)))
        .count();
    // LLVM tells apart local symbols of the same name with a number (`allocate.443`), which
    // changes with unrelated code: such a name also matches without its number.
    let loose: HashSet<&str> = keep.iter().map(|n| without_number(n)).collect();
    let mut stay: HashSet<usize> = named
        .funcs
        .iter()
        .filter(|f| {
            f.name
                .as_deref()
                .is_some_and(|n| keep.contains(n) || loose.contains(without_number(n)))
        })
        .map(|f| f.id().index())
        .collect();
    // A function without a name (wasm-bindgen writes one) cannot be named by the profile.
    stay.extend(
        named
            .funcs
            .iter()
            .filter(|f| f.name.is_none())
            .map(|f| f.id().index()),
    );
    for e in named.exports.iter() {
        if let ExportItem::Function(f) = e.item {
            stay.insert(f.index());
        }
    }
    stay.extend(named.start.map(|s| s.index()));
    (stay, found)
}

/// A symbol's name without LLVM's `.N` suffix.
fn without_number(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => stem,
        _ => name,
    }
}

/// The name under which the second module imports an item of the first: its kind's letter and
/// its index, which is the same in both modules (both are read from the same bytes).
fn import_name(kind: &ImportKind) -> String {
    match kind {
        ImportKind::Function(f) => format!("f{}", f.index()),
        ImportKind::Memory(m) => format!("m{}", m.index()),
        ImportKind::Table(t) => format!("t{}", t.index()),
        ImportKind::Global(g) => format!("g{}", g.index()),
        ImportKind::Tag(t) => format!("x{}", t.index()),
    }
}

/// Makes an item an import from the first module: an import it already is gets renamed (and
/// `None` comes back); otherwise a new import is returned, for the item to point to.
fn import_from_first(
    m: &mut Module,
    existing: Option<ImportId>,
    kind: ImportKind,
) -> Option<ImportId> {
    let name = import_name(&kind);
    match existing {
        Some(i) => {
            let import = m.imports.get_mut(i);
            import.module = FROM.into();
            import.name = name;
            None
        }
        None => Some(m.imports.add(FROM, &name, kind)),
    }
}

/// Turns `second` (a copy of the whole module) into the moved functions alone, importing all else
/// from the first module. Returns what it imports from the first.
fn make_second(second: &mut Module, moved: &[usize]) -> Vec<ImportKind> {
    let exports: Vec<_> = second.exports.iter().map(|e| e.id()).collect();
    exports.into_iter().for_each(|id| second.exports.delete(id));
    let data: Vec<_> = second.data.iter().map(|d| d.id()).collect();
    data.into_iter().for_each(|id| second.data.delete(id));
    let elements: Vec<_> = second.elements.iter().map(|e| e.id()).collect();
    elements
        .into_iter()
        .for_each(|id| second.elements.delete(id));
    let customs: Vec<_> = second.customs.iter().map(|(id, _)| id).collect();
    customs
        .into_iter()
        .for_each(|id| drop(second.customs.delete(id)));
    second
        .memories
        .iter_mut()
        .for_each(|m| m.data_segments = Default::default());
    second
        .tables
        .iter_mut()
        .for_each(|t| t.elem_segments = Default::default());
    second.start = None;
    second.debug = Default::default();

    let moved_set: HashSet<usize> = moved.iter().copied().collect();
    let funcs: Vec<(FunctionId, Option<ImportId>, walrus::TypeId)> = second
        .funcs
        .iter()
        .filter(|f| !moved_set.contains(&f.id().index()))
        .map(|f| {
            (
                f.id(),
                if let FunctionKind::Import(i) = &f.kind {
                    Some(i.import)
                } else {
                    None
                },
                f.ty(),
            )
        })
        .collect();
    for (id, import, ty) in funcs {
        if let Some(import) = import_from_first(second, import, ImportKind::Function(id)) {
            second.funcs.get_mut(id).kind = FunctionKind::Import(ImportedFunction { import, ty });
        }
    }
    let memories: Vec<_> = second.memories.iter().map(|m| (m.id(), m.import)).collect();
    for (id, import) in memories {
        if let Some(i) = import_from_first(second, import, ImportKind::Memory(id)) {
            second.memories.get_mut(id).import = Some(i);
        }
    }
    let tables: Vec<_> = second.tables.iter().map(|t| (t.id(), t.import)).collect();
    for (id, import) in tables {
        if let Some(i) = import_from_first(second, import, ImportKind::Table(id)) {
            let t = second.tables.get_mut(id);
            t.import = Some(i);
            t.init = None;
        }
    }
    let globals: Vec<_> = second
        .globals
        .iter()
        .map(|g| {
            (
                g.id(),
                if let GlobalKind::Import(i) = g.kind {
                    Some(i)
                } else {
                    None
                },
            )
        })
        .collect();
    for (id, import) in globals {
        if let Some(i) = import_from_first(second, import, ImportKind::Global(id)) {
            second.globals.get_mut(id).kind = GlobalKind::Import(i);
        }
    }
    let (later, _) = second.add_import_table(
        FROM,
        LATER_TABLE,
        false,
        moved.len() as u64,
        None,
        RefType::FUNCREF,
    );
    let ids: Vec<FunctionId> = second.funcs.iter().map(|f| f.id()).collect();
    let items = moved.iter().map(|&i| ids[i]).collect();
    second.elements.add(
        ElementKind::Active {
            table: later,
            offset: ConstExpr::Value(Value::I32(0)),
        },
        ElementItems::Functions(items),
    );
    // What the moved functions do not reach goes, imports included.
    walrus::passes::gc::run(second);
    second
        .imports
        .iter()
        .filter(|i| i.module == FROM && i.name != LATER_TABLE)
        .map(|i| i.kind.clone())
        .collect()
}

/// Turns `first` (a copy of the whole module) into the module the page loads first: each moved
/// function's body calls through the table the second module fills, and the first exports what
/// the second imports.
fn make_first(first: &mut Module, moved: &[usize], needed: &[ImportKind]) -> Result<()> {
    let later = first.tables.add_local(
        false,
        moved.len() as u64,
        Some(moved.len() as u64),
        RefType::FUNCREF,
    );
    first.exports.add(LATER_TABLE, later);
    let ensure = ensure_function(first, later);
    let ids: Vec<FunctionId> = first.funcs.iter().map(|f| f.id()).collect();
    for (slot, &index) in moved.iter().enumerate() {
        let f = ids[index];
        let ty = first.funcs.get(f).ty();
        let (params, results) = {
            let t = first.types.get(ty);
            (t.params().to_vec(), t.results().to_vec())
        };
        let mut b = FunctionBuilder::new(&mut first.types, &params, &results);
        let args: Vec<_> = params.iter().map(|p| first.locals.add(*p)).collect();
        let mut body = b.func_body();
        for a in &args {
            body.local_get(*a);
        }
        body.i32_const(slot as i32)
            .call(ensure)
            .call_indirect(ty, later);
        first.funcs.get_mut(f).kind = FunctionKind::Local(b.local_func(args));
    }
    // The second module's ids are indices in the module both were read from.
    let memories: Vec<_> = first.memories.iter().map(|m| m.id()).collect();
    let tables: Vec<_> = first.tables.iter().map(|t| t.id()).collect();
    let globals: Vec<_> = first.globals.iter().map(|g| g.id()).collect();
    for kind in needed {
        let item = match kind {
            ImportKind::Function(f) => ExportItem::Function(ids[f.index()]),
            ImportKind::Memory(m) => {
                ExportItem::Memory(*memories.get(m.index()).context("a memory")?)
            }
            ImportKind::Table(t) => ExportItem::Table(*tables.get(t.index()).context("a table")?),
            ImportKind::Global(g) => {
                ExportItem::Global(*globals.get(g.index()).context("a global")?)
            }
            ImportKind::Tag(_) => {
                bail!("a moved function uses an exception tag, which the split does not handle")
            }
        };
        first.exports.add(&import_name(kind), item);
    }
    let customs: Vec<_> = first.customs.iter().map(|(id, _)| id).collect();
    customs
        .into_iter()
        .for_each(|id| drop(first.customs.delete(id)));
    first.debug = Default::default();
    walrus::passes::gc::run(first);
    Ok(())
}

/// `ensure(slot) -> slot`: calls the import `podlab.later(slot)` (which instantiates the second
/// module) if the slot of the `later` table is still empty.
fn ensure_function(first: &mut Module, later: TableId) -> FunctionId {
    let load_ty = first.types.add(&[ValType::I32], &[]);
    let (load, _) = first.add_import_func("podlab", "later", load_ty);
    let mut b = FunctionBuilder::new(&mut first.types, &[ValType::I32], &[ValType::I32]);
    let slot = first.locals.add(ValType::I32);
    b.func_body()
        .local_get(slot)
        .table_get(later)
        .ref_is_null()
        .if_else(
            None,
            |then| {
                then.local_get(slot).call(load);
            },
            |_| {},
        );
    b.func_body().local_get(slot);
    first.funcs.add_local(b.local_func(vec![slot]))
}
