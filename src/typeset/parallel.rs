//! Running many documents at once — on plain OS threads, not rayon workers.
//!
//! Why not `par_iter`: typst and its PDF writer (krilla) use rayon inside, and a rayon worker
//! that waits (krilla's `ChunkContainer::finish` calls `rayon::yield_now` until the queue is
//! empty) runs *other queued jobs on its own stack*. With one rayon job per document, whole
//! documents nest inside each other: 81 nested `compile_pdf` frames were measured before a
//! 2 MiB worker stack overflowed (300 certificates, dev profile), and every nested document
//! stays in memory until the ones above it finish. Plain threads never steal, so each compile
//! runs on a fresh stack; typst's own parallel work still goes to rayon's global pool.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Stack size of each document thread: typst's evaluator recurses deeply on nested markup
/// (its CLI runs on an 8 MiB main thread); 16 MiB of address space costs nothing until used.
const STACK_SIZE: usize = 16 << 20;

/// The number of threads [`parallel_map`] uses when asked for `0`: the available cores.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

/// Calls `f(index, item)` for every item on `threads` OS threads (`0` → one per core) and
/// returns the results in item order. Items are handed out one at a time, so a slow document
/// does not hold up a whole batch. The calling thread only waits (if no thread can be started
/// at all, it does the work itself). A panic in `f` is passed on to the caller once every thread has stopped.
pub fn parallel_map<T, R, F>(items: &[T], threads: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &T) -> R + Sync,
{
    let threads = if threads == 0 {
        default_threads()
    } else {
        threads
    }
    .min(items.len());
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else {
                return done;
            };
            done.push((index, f(index, item)));
        }
    };

    let mut pairs: Vec<(usize, R)> = Vec::with_capacity(items.len());
    let mut panic = None;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .filter_map(|n| {
                std::thread::Builder::new()
                    .name(format!("typeset-{n}"))
                    .stack_size(STACK_SIZE)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        // Every document runs on a thread of ours (known stack, never a rayon worker); the
        // caller only waits — unless no thread could be started.
        if handles.is_empty() {
            pairs.extend(work());
        }
        for handle in handles {
            match handle.join() {
                Ok(done) => pairs.extend(done),
                Err(payload) => panic = Some(payload),
            }
        }
    });
    if let Some(payload) = panic {
        std::panic::resume_unwind(payload);
    }
    pairs.sort_by_key(|(index, _)| *index);
    pairs.into_iter().map(|(_, result)| result).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_item_order() {
        let items: Vec<usize> = (0..1000).collect();
        let out = parallel_map(&items, 3, |index, item| {
            assert_eq!(index, *item);
            item * 2
        });
        assert_eq!(out, items.iter().map(|i| i * 2).collect::<Vec<_>>());
        assert!(parallel_map(&[] as &[u8], 0, |_, _| 1).is_empty());
        assert_eq!(parallel_map(&[7], 8, |_, x| *x), vec![7]);
    }
}
