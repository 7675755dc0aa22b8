//! Holding one document's typesetting to a time and memory budget.
//!
//! typst cannot be interrupted from outside, but it asks the World for fonts all the time
//! while it lays text out (every shaped run of text, every line tried by the line breaker).
//! A [`Watch`] is asked at those calls whether the document is over its budget; if so it
//! unwinds out of typst with an [`OverBudget`] payload, which
//! [`compile_pdf_within`](super::Typesetter::compile_pdf_within) catches and reports as the
//! document's error. typst's caches take no poisoning locks, so the run goes on.
//!
//! Memory is the process's resident memory ([`crate::memory::resident_bytes`], read at most
//! every [`PROBE_EVERY`] per document, so that the check costs nothing measurable): when it
//! passes the budget even after the allocator has given its free pages back, the document
//! that has been typesetting longest is stopped (it is the likeliest to hold the most, and
//! stopping it gives its memory back), the others go on.

use std::collections::BTreeSet;
use std::panic::resume_unwind;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How many World calls pass between two looks at the clock.
const CHECK_EVERY: u32 = 32;

/// Least time between two looks at the process's memory by one document.
const PROBE_EVERY: Duration = Duration::from_millis(10);

/// What one document may take to typeset; `None` is no bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Budget {
    /// Longest time from the start of its compile.
    pub time: Option<Duration>,
    /// Most bytes of memory the process may hold while it is typeset.
    pub heap_bytes: Option<usize>,
}

impl Budget {
    /// No bounds.
    pub const UNLIMITED: Budget = Budget {
        time: None,
        heap_bytes: None,
    };
}

/// Why a document was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OverBudget {
    /// It took longer than this.
    Time(Duration),
    /// The process's memory grew past this many bytes while it was the longest-running
    /// document.
    Memory(usize),
}

/// Tickets of the documents being typeset now, oldest first.
static RUNNING: Mutex<BTreeSet<u64>> = Mutex::new(BTreeSet::new());

/// The next ticket.
static NEXT_TICKET: AtomicU64 = AtomicU64::new(0);

/// One document's budget while it is typeset; registered as running until dropped.
pub(super) struct Watch {
    /// What it may take.
    budget: Budget,
    /// Its place in [`RUNNING`].
    ticket: u64,
    /// World calls so far.
    calls: AtomicU32,
    /// When it started.
    started: Instant,
    /// When the memory was last looked at, in microseconds from `started`.
    probed: AtomicU64,
}

impl Watch {
    /// Starts the clock for one document.
    pub(super) fn start(budget: Budget) -> Watch {
        let ticket = NEXT_TICKET.fetch_add(1, Ordering::Relaxed);
        running().insert(ticket);
        Watch {
            budget,
            ticket,
            calls: AtomicU32::new(0),
            started: Instant::now(),
            probed: AtomicU64::new(0),
        }
    }

    /// Unwinds out of typst with an [`OverBudget`] payload when the document is over its
    /// budget (looked at every [`CHECK_EVERY`] calls). Call only inside a compile guarded by
    /// `catch_unwind`.
    pub(super) fn check(&self) {
        if self.budget == Budget::UNLIMITED {
            return;
        }
        if !self
            .calls
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(CHECK_EVERY)
        {
            return;
        }
        let now = Instant::now();
        if let Some(time) = self.budget.time
            && now.duration_since(self.started) > time
        {
            resume_unwind(Box::new(OverBudget::Time(time)));
        }
        // Only the longest-running document is ever stopped for memory, so only it looks (and
        // gives free pages back): the others would trim the heap for nothing.
        if let Some(limit) = self.budget.heap_bytes
            && self.probe_due(now)
            && running().first() == Some(&self.ticket)
            && over(limit)
        {
            resume_unwind(Box::new(OverBudget::Memory(limit)));
        }
    }

    /// True when the memory was last looked at [`PROBE_EVERY`] ago or more (and notes now).
    fn probe_due(&self, now: Instant) -> bool {
        let micros = now.duration_since(self.started).as_micros() as u64;
        let last = self.probed.load(Ordering::Relaxed);
        if micros.saturating_sub(last) < PROBE_EVERY.as_micros() as u64 {
            return false;
        }
        self.probed.store(micros, Ordering::Relaxed);
        true
    }
}

/// True when the process holds more than `limit` bytes, even after the allocator has given
/// its free pages back (freed memory the allocator keeps would otherwise count against the
/// budget).
fn over(limit: usize) -> bool {
    if crate::memory::resident_bytes().is_none_or(|held| held <= limit) {
        return false;
    }
    crate::memory::release_freed();
    crate::memory::resident_bytes().is_some_and(|held| held > limit)
}

impl Drop for Watch {
    fn drop(&mut self) {
        running().remove(&self.ticket);
    }
}

/// The running set; a panic while it was held leaves it usable (it is only a set of ids).
fn running() -> std::sync::MutexGuard<'static, BTreeSet<u64>> {
    RUNNING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::catch_unwind;

    #[test]
    fn a_watch_past_its_deadline_unwinds_with_the_time_budget() {
        let watch = Watch::start(Budget {
            time: Some(Duration::ZERO),
            heap_bytes: None,
        });
        std::thread::sleep(Duration::from_millis(2));
        let payload = catch_unwind(|| watch.check()).expect_err("over its time");
        assert_eq!(
            payload.downcast_ref::<OverBudget>(),
            Some(&OverBudget::Time(Duration::ZERO))
        );
    }

    #[test]
    fn an_unlimited_watch_never_stops_and_leaves_the_running_set_when_dropped() {
        let watch = Watch::start(Budget::UNLIMITED);
        let ticket = watch.ticket;
        for _ in 0..100 {
            watch.check();
        }
        assert!(running().contains(&ticket));
        drop(watch);
        assert!(!running().contains(&ticket));
    }
}
