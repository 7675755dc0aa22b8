//! Giving freed memory back to the operating system between the stages of a run.
//!
//! Reading a large workbook and planning thousands of documents allocate and free tens of
//! megabytes on the main thread. glibc's allocator keeps those freed pages in the process,
//! where the typesetting threads (each with its own allocator arena) cannot reuse them, so
//! without this they would stay resident for the whole run and peak memory would grow with
//! the input (measured on the bench's 2 000-student `render all`: −30 MB of peak RSS).
//! Trimming after every chunk of documents too would save another 4 MB but costs 10 % of
//! the throughput (the pages given back are faulted in again by the next chunk). Other
//! allocators and platforms return such memory themselves: there this is a no-op.

/// Returns the heap's free pages to the system (glibc's `malloc_trim`); called once the
/// inputs are read and planned, before the documents are typeset.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases memory the allocator holds as free; it touches no
    // memory in use and is safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// How far a thread's own count may drift before it is added to the shared one: small
/// against any budget, large enough that the shared counter is touched once per many
/// allocations (a counter shared by every allocation would bounce between the cores).
const FLUSH_BYTES: isize = 256 << 10;

/// Heap bytes in use, as last flushed by the threads.
static IN_USE: AtomicIsize = AtomicIsize::new(0);

/// Whether [`CountingAllocator`] is the process's allocator.
static INSTALLED: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// This thread's allocations not yet added to [`IN_USE`].
    static PENDING: Cell<isize> = const { Cell::new(0) };
}

/// The system allocator, counting the bytes in use so that typesetting can be held to a
/// memory budget ([`heap_in_use`]). A binary opts in with
/// `#[global_allocator] static A: dangjian::memory::CountingAllocator = CountingAllocator;`;
/// without it the memory budget is not enforced (the time budget still is).
pub struct CountingAllocator;

/// Adds `delta` bytes to the calling thread's pending count, flushing it when large.
fn count(delta: isize) {
    if !INSTALLED.load(Ordering::Relaxed) {
        INSTALLED.store(true, Ordering::Relaxed);
    }
    let flushed = PENDING.try_with(|pending| {
        let total = pending.get() + delta;
        if total.abs() >= FLUSH_BYTES {
            IN_USE.fetch_add(total, Ordering::Relaxed);
            pending.set(0);
        } else {
            pending.set(total);
        }
    });
    if flushed.is_err() {
        IN_USE.fetch_add(delta, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed unchanged to the system allocator; the counting touches only
// a thread-local cell (const-initialised, no destructor, so it never allocates) and an atomic.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            count(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { System.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is passed on unchanged.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

/// Heap bytes in use by the whole process (to within 256 KB a thread), or `None` when
/// [`CountingAllocator`] is not the process's allocator.
pub fn heap_in_use() -> Option<usize> {
    INSTALLED
        .load(Ordering::Relaxed)
        .then(|| IN_USE.load(Ordering::Relaxed).max(0) as usize)
}
