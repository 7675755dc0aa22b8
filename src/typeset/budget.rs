//! Holding one document's typesetting to a time and memory budget.
//!
//! typst cannot be interrupted from outside, but it asks the World for fonts all the time
//! while it lays text out (every shaped run of text, every line tried by the line breaker).
//! A [`Watch`] is asked at those calls whether the document is over its budget; if so it
//! unwinds out of typst with an [`OverBudget`] payload, which
//! [`compile_pdf_within`](super::Typesetter::compile_pdf_within) catches and reports as the
//! document's error. typst's caches take no poisoning locks, so the run goes on.
//!
//! Memory is the process's heap ([`crate::memory::heap_in_use`]): when it passes the budget,
//! the document that has been typesetting longest is stopped (it is the likeliest to hold the
//! most, and stopping it gives its memory back), the others go on.

use std::collections::BTreeSet;
use std::panic::resume_unwind;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How many World calls pass between two looks at the clock and the heap.
const CHECK_EVERY: u32 = 32;

/// What one document may take to typeset; `None` is no bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Budget {
    /// Longest time from the start of its compile.
    pub time: Option<Duration>,
    /// Most heap bytes in use by the process while it is typeset.
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
    /// The heap grew past this many bytes while it was the longest-running document.
    Memory(usize),
}

/// Tickets of the documents being typeset now, oldest first.
static RUNNING: Mutex<BTreeSet<u64>> = Mutex::new(BTreeSet::new());

/// The next ticket.
static NEXT_TICKET: AtomicU64 = AtomicU64::new(0);

/// One document's budget while it is typeset; registered as running until dropped.
pub(super) struct Watch {
    /// When it must be done.
    deadline: Option<Instant>,
    /// Its time budget, for the message.
    time: Option<Duration>,
    /// The heap budget.
    heap_bytes: Option<usize>,
    /// Its place in [`RUNNING`].
    ticket: u64,
    /// World calls so far.
    calls: AtomicU32,
}

impl Watch {
    /// Starts the clock for one document.
    pub(super) fn start(budget: Budget) -> Watch {
        let ticket = NEXT_TICKET.fetch_add(1, Ordering::Relaxed);
        running().insert(ticket);
        Watch {
            deadline: budget.time.map(|time| Instant::now() + time),
            time: budget.time,
            heap_bytes: budget.heap_bytes,
            ticket,
            calls: AtomicU32::new(0),
        }
    }

    /// Unwinds out of typst with an [`OverBudget`] payload when the document is over its
    /// budget (looked at every [`CHECK_EVERY`] calls). Call only inside a compile guarded by
    /// `catch_unwind`.
    pub(super) fn check(&self) {
        if self.deadline.is_none() && self.heap_bytes.is_none() {
            return;
        }
        if !self
            .calls
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(CHECK_EVERY)
        {
            return;
        }
        if let (Some(deadline), Some(time)) = (self.deadline, self.time)
            && Instant::now() > deadline
        {
            resume_unwind(Box::new(OverBudget::Time(time)));
        }
        if let (Some(limit), Some(in_use)) = (self.heap_bytes, crate::memory::heap_in_use())
            && in_use > limit
            && running().first() == Some(&self.ticket)
        {
            resume_unwind(Box::new(OverBudget::Memory(limit)));
        }
    }
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
