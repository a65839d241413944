//! Work spread over every core, where the `parallel` feature allows it (the CLI); results keep
//! the order of the input. Without the feature (the page's WebAssembly) everything runs in turn.

/// `items.iter().map(f).collect()`, in a few threads for long inputs.
pub(crate) fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    #[cfg(feature = "parallel")]
    {
        // Below this many items a thread costs more than it saves.
        const MIN_ITEMS: usize = 32;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 && items.len() >= MIN_ITEMS {
            let f = &f;
            return std::thread::scope(|scope| {
                let handles: Vec<_> = items
                    .chunks(items.len().div_ceil(threads))
                    .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<U>>()))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
        }
    }
    items.iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<usize> = (0..1000).collect();
        assert_eq!(
            super::map(&items, |i| i * 2),
            (0..1000).map(|i| i * 2).collect::<Vec<_>>()
        );
        assert_eq!(super::map(&items[..3], |i| i + 1), vec![1, 2, 3]);
    }
}
