//! Sorting, and collecting into ordered maps and sets, through one compiled sort.
//!
//! The standard library's stable sort is generic over the element and the comparison, and it is
//! large (about 5 KB of WebAssembly each time); `collect::<BTreeMap<_, _>>()` and
//! `collect::<BTreeSet<_>>()` sort too, once per iterator type. The page carried some twenty
//! copies, about 100 KB. Here the standard sort runs once, on indices, with the comparison behind
//! a `dyn`; each element type adds only the few instructions that apply the order. The result is
//! the standard library's: stable, equal elements in their first order. Maps and sets are built
//! by insertion, which keeps the last value of a repeated key, as `collect` does.
//!
//! The engine and the page sort through here; a test below finds any sort of the standard
//! library's, or a `collect::<BTree…>`, written outside tests.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// `v.sort_by(cmp)`, stable.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, order);
}

/// `v.sort_by_key(key)`, stable.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// `v.sort()`, stable.
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// `iter.collect::<BTreeMap<_, _>>()`.
pub fn map<K: Ord, V>(iter: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut m = BTreeMap::new();
    for (k, v) in iter {
        m.insert(k, v);
    }
    m
}

/// `iter.collect::<BTreeSet<_>>()`.
pub fn set<T: Ord>(iter: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut s = BTreeSet::new();
    for t in iter {
        s.insert(t);
    }
    s
}

/// The one copy of the standard library's sort.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|a, b| cmp(*a, *b));
}

/// Puts `v[order[i]]` at `i`, one cycle of the permutation at a time.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same order as the standard library's stable sort, equal keys included, on every
    /// permutation of a few elements and on longer pseudo-random lists.
    #[test]
    fn sorts_as_std_does() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for len in 0..200usize {
            let v: Vec<(u64, usize)> = (0..len).map(|i| (next() % 7, i)).collect();
            let mut ours = v.clone();
            let mut theirs = v.clone();
            sort_by_key(&mut ours, |e| e.0);
            theirs.sort_by_key(|e| e.0);
            assert_eq!(ours, theirs, "{v:?}");
            let mut ours = v.clone();
            let mut theirs = v;
            sort_by(&mut ours, |a, b| b.cmp(a));
            theirs.sort_by(|a, b| b.cmp(a));
            assert_eq!(ours, theirs);
        }
        let mut words = vec!["b", "a", "c", "a"];
        sort(&mut words);
        assert_eq!(words, ["a", "a", "b", "c"]);
    }

    #[test]
    fn collects_as_std_does() {
        let pairs = [(3, "c"), (1, "a"), (3, "z"), (2, "b")];
        assert_eq!(map(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(
            set([3, 1, 3, 2]),
            [3, 1, 3, 2].into_iter().collect::<BTreeSet<_>>()
        );
    }

    /// The engine's and the page's code (tests aside) sorts only through this module.
    #[test]
    fn nothing_else_sorts() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|x| x == "rs") {
                    out.push(path);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("src"), &mut files);
        walk(&root.join("../../src"), &mut files);
        assert!(files.len() > 50, "{} files", files.len());
        let banned = [
            ".sort()",
            ".sort_by(",
            ".sort_by_key(",
            ".sort_by_cached_key(",
            ".sort_unstable",
            "collect::<BTree",
            "collect::<std::collections::BTree",
        ];
        let mut found = Vec::new();
        for f in files.iter().filter(|f| !f.ends_with("order.rs")) {
            let text = std::fs::read_to_string(f).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (i, line) in code.lines().enumerate() {
                if banned.iter().any(|b| line.contains(b)) && !line.trim_start().starts_with("//") {
                    found.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
                }
            }
        }
        assert!(
            found.is_empty(),
            "sort through podlab_engine::order:\n{}",
            found.join("\n")
        );
    }
}
