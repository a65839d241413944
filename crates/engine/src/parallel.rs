//! Work spread over every core, where the `parallel` feature allows it (the CLI); results keep
//! the order of the input. Without the feature (the page's WebAssembly) everything runs in turn.

/// `items.iter().map(f).collect()`, in a few threads for long inputs.
pub(crate) fn map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    map_owned(items.iter().collect(), |_, item| f(item))
}

/// `items.into_iter().enumerate().map(f).collect()`, in a few threads for long inputs: each
/// item is moved into the thread that maps it (and dropped there), with its index in `items`.
pub(crate) fn map_owned<T: Send, U: Send>(
    items: Vec<T>,
    f: impl Fn(usize, T) -> U + Sync,
) -> Vec<U> {
    #[cfg(feature = "parallel")]
    {
        // Below this many items a thread costs more than it saves.
        const MIN_ITEMS: usize = 32;
        // Chunks a thread takes, on average: items differ tenfold in cost (a ServiceAccount
        // against a Deployment), so each thread takes the next chunk when it is free rather
        // than a fixed share, and the threads finish together.
        const CHUNKS_PER_THREAD: usize = 8;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads > 1 && items.len() >= MIN_ITEMS {
            let size = items.len().div_ceil(threads * CHUNKS_PER_THREAD);
            let mut chunks: Vec<(usize, Vec<T>)> = Vec::new();
            let mut rest = items;
            while !rest.is_empty() {
                let start = rest.len().saturating_sub(size);
                let tail = rest.split_off(start);
                chunks.push((start, tail));
            }
            chunks.reverse();
            let queue = std::sync::Mutex::new(chunks.into_iter());
            let (f, queue) = (&f, &queue);
            let mut done: Vec<(usize, Vec<U>)> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        scope.spawn(move || {
                            let mut mapped_chunks = Vec::new();
                            loop {
                                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                                let Some((start, chunk)) = next else { break };
                                let mapped = chunk
                                    .into_iter()
                                    .enumerate()
                                    .map(|(i, item)| f(start + i, item))
                                    .collect::<Vec<U>>();
                                mapped_chunks.push((start, mapped));
                            }
                            mapped_chunks
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    .collect()
            });
            crate::order::sort_by_key(&mut done, |(start, _)| *start);
            return done.into_iter().flat_map(|(_, mapped)| mapped).collect();
        }
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| f(i, item))
        .collect()
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

    /// A panic in one item (a defect) ends the map with that panic; the other threads neither
    /// wait for it nor hide it.
    #[test]
    fn a_panic_in_one_item_ends_the_map() {
        for at in [0, 31, 500, 999] {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let items: Vec<usize> = (0..1000).collect();
                let outcome = std::panic::catch_unwind(|| {
                    super::map_owned(items, |i, _| assert_ne!(i, at, "a defect"))
                });
                let _ = tx.send(outcome.is_err());
            });
            let panicked = rx.recv_timeout(std::time::Duration::from_secs(60));
            assert_eq!(panicked, Ok(true), "item {at}");
        }
    }

    #[test]
    fn owned_results_keep_the_input_order_and_indices() {
        for n in [0, 3, 31, 32, 33, 1000, 1001] {
            let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            let out = super::map_owned(items, |i, s| (i, s.parse::<usize>().unwrap()));
            assert_eq!(out, (0..n).map(|i| (i, i)).collect::<Vec<_>>(), "{n} items");
        }
    }
}
