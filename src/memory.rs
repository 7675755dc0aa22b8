//! Giving freed memory back to the operating system between the stages of a run, and
//! telling how much the process holds (for the typesetting memory budget).
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

/// Holds glibc's allocator to one arena per typesetting thread (at least two) where it would
/// make up to eight per core. Each arena keeps the pages its thread freed, so a few arenas
/// per thread mean more of them resident; measured on 2 cores, `render all`: 2 000 students
/// 99 → 93.5 s and 139.4 → 133.5 MB peak, 10 000 students 517 → 480 s and 203.8 → 198.8 MB
/// (one arena for all threads: 146 s, they wait on each other). A process-wide setting, so
/// the command line makes it, before its threads start; a library user keeps its own. The
/// service bounds it by all its running jobs' threads (two jobs of 600 students at once on
/// 2 cores: peak 148.7–155.2 → 144.1–145.5 MB, same time).
pub fn limit_arenas(threads: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let arenas = libc::c_int::try_from(threads.max(2)).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only changes a tuning parameter of the allocator; M_ARENA_MAX
        // bounds the arenas made from now on and touches no memory in use.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = threads;
}

/// Bytes of memory the process has resident (its RSS), where the system tells it cheaply
/// (Linux: `/proc/self/statm`, a few microseconds), else `None`. Used to hold typesetting to
/// its memory budget: it is what the machine actually gives the run.
pub fn resident_bytes() -> Option<usize> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
        let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
        // SAFETY: sysconf only reads a system constant.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(page).ok().map(|page| pages * page)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        None
    }
}
