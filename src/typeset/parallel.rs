//! Running many documents at once — on plain OS threads, not rayon workers.
//!
//! Why not `par_iter`: typst and its PDF writer (krilla) use rayon inside, and a rayon worker
//! that waits (krilla's `ChunkContainer::finish` calls `rayon::yield_now` until the queue is
//! empty) runs *other queued jobs on its own stack*. With one rayon job per document, whole
//! documents nest inside each other: 81 nested `compile_pdf` frames were measured before a
//! 2 MiB worker stack overflowed (300 certificates, dev profile), and every nested document
//! stays in memory until the ones above it finish. Plain threads never steal, so each compile
//! runs on a fresh stack; typst's own parallel work still goes to rayon's global pool.

use std::collections::BTreeMap;
use std::num::NonZeroUsize;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

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

/// Calls `make(index, item)` for every item on `threads` OS threads (`0` → one per core) and
/// hands each result to `take` on the calling thread, in item order, as soon as it is next —
/// a stream, so that the results can be written out while later items are still being made.
///
/// The queue between the two is bounded: an item is started only when fewer than `window`
/// items are ahead of the next one `take` is waiting for, so at most `window` results are
/// ever held, however many items there are and whichever is slow.
///
/// An error from `take` stops the stream (no new item is started) and is returned once the
/// threads have stopped; a panic in `make` is passed on to the caller the same way.
pub fn for_each_ordered<T, R, E>(
    items: &[T],
    threads: usize,
    window: usize,
    make: impl Fn(usize, &T) -> R + Sync,
    mut take: impl FnMut(usize, R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    let threads = if threads == 0 {
        default_threads()
    } else {
        threads
    }
    .min(items.len());
    let window = window.max(threads).max(1);
    let queue = Queue {
        state: Mutex::new(QueueState {
            next: 0,
            taken: 0,
            done: BTreeMap::new(),
            stop: false,
        }),
        ready: Condvar::new(),
        room: Condvar::new(),
    };
    let work = || {
        loop {
            let index = {
                let mut state = queue.lock();
                loop {
                    if state.stop || state.next >= items.len() {
                        return;
                    }
                    if state.next < state.taken + window {
                        state.next += 1;
                        break state.next - 1;
                    }
                    state = queue
                        .room
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            };
            let result = catch_unwind(AssertUnwindSafe(|| make(index, &items[index])));
            queue.lock().done.insert(index, result);
            queue.ready.notify_one();
        }
    };

    let mut outcome = Ok(());
    let mut panic = None;
    std::thread::scope(|scope| {
        let started = (0..threads)
            .filter(|n| {
                std::thread::Builder::new()
                    .name(format!("typeset-{n}"))
                    .stack_size(STACK_SIZE)
                    .spawn_scoped(scope, work)
                    .is_ok()
            })
            .count();
        for (index, item) in items.iter().enumerate() {
            let result = {
                let mut state = queue.lock();
                loop {
                    if let Some(result) = state.done.remove(&index) {
                        state.taken = index + 1;
                        break result;
                    }
                    if started == 0 {
                        // No thread could be started: make the item here.
                        drop(state);
                        break catch_unwind(AssertUnwindSafe(|| make(index, item)));
                    }
                    state = queue
                        .ready
                        .wait(state)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            };
            queue.room.notify_all();
            let taken = match result {
                Ok(result) => take(index, result),
                Err(payload) => {
                    panic = Some(payload);
                    break;
                }
            };
            if let Err(e) = taken {
                outcome = Err(e);
                break;
            }
        }
        queue.lock().stop = true;
        queue.room.notify_all();
    });
    if let Some(payload) = panic {
        std::panic::resume_unwind(payload);
    }
    outcome
}

/// The bounded queue of [`for_each_ordered`].
struct Queue<R> {
    /// What the threads share.
    state: Mutex<QueueState<R>>,
    /// Signalled when a result is done.
    ready: Condvar,
    /// Signalled when a result is taken (room for another item) or the stream stops.
    room: Condvar,
}

impl<R> Queue<R> {
    /// The state, also after a panic elsewhere (a panic is caught and passed on instead).
    fn lock(&self) -> MutexGuard<'_, QueueState<R>> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The state of the queue.
struct QueueState<R> {
    /// The next item to start.
    next: usize,
    /// The number of results taken so far (the next one to take).
    taken: usize,
    /// Results made but not yet taken, by item index.
    done: BTreeMap<usize, std::thread::Result<R>>,
    /// Set when the caller stops taking: no new item is started.
    stop: bool,
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
