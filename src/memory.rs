//! The process's allocator, giving freed memory back to the operating system between the
//! stages of a run, and telling how much the process holds (for the typesetting memory
//! budget).
//!
//! On Linux the allocator is jemalloc. typst allocates and frees small objects at a high
//! rate from every typesetting thread (layout frames, style chains, cache entries) and
//! deflates each PDF stream with a fresh quarter-megabyte window; glibc's allocator spent
//! 11–15 % of a document's time in `malloc`/`free` and in merging its fast bins, and
//! jemalloc's thread caches and size classes make that cheaper: `render all` on 300 students,
//! six interleaved pairs, −23 % wall time and −20 % CPU (medians of the pairs' ratios), the
//! same archive byte for byte (an allocator does not change what is computed). Its
//! configuration, compiled in ([`ALLOCATOR_CONF`]), makes two arenas rather than four per
//! core, and returns freed pages within a tenth of a second while inputs are read and planned,
//! within about a second while documents are typeset ([`Typesetting`]).
//!
//! Reading a large workbook and planning thousands of documents allocate and free tens of
//! megabytes on the main thread; the typesetting threads, working in their own arenas,
//! cannot reuse those pages, so they go back to the system soon after they are freed, and
//! all that is free once more when the inputs are planned ([`release_freed`]) and every few
//! seconds while typesetting, so that peak memory does not grow with the input. Other
//! platforms keep their own allocator, which returns such memory itself: there these are
//! no-ops.

/// The process's allocator on Linux: jemalloc, configured by [`ALLOCATOR_CONF`].
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (before `main`), as a C string; an environment
/// variable `_RJEM_MALLOC_CONF` overrides them for an experiment.
///
/// - `narenas:2`: two arenas, each thread keeping the one it was first given. jemalloc makes
///   four per core; each keeps the pages freed in it, so more of them stay resident, and the
///   typesetting threads take most of their objects from their own thread caches anyway.
///   Two rather than one per core (`percpu_arena`, where a thread allocates from the arena
///   of the core it is on at the moment): `render all` on 10 000 students peaked at 163.3 MB
///   with two fixed arenas, 174.5 MB with four, and 172.7 MB with one per core (on 300
///   students 111.0 and 110.6 MB): the data read and planned on the main thread, which
///   moves between cores, then lies in every arena. On a larger machine more threads share
///   the two, and take their turns at an arena's lock only when their caches run empty or
///   full.
/// - `dirty_decay_ms:100,muzzy_decay_ms:0`: freed pages go back to the system after a tenth
///   of a second while the inputs are read and planned ([`READING_DECAY_MS`]), which allocate
///   and free tens of megabytes on one thread. Kept for a second (jemalloc's default is ten),
///   they piled up: `check` on 10 000 students peaked at 158–169 MB, against 142 MB at once
///   (as with glibc). At once, though, every page freed was taken back from the system moments
///   later, page by page: twice the system time, and `check` 9–14 % slower on 2 000 and on
///   10 000 students. A tenth of a second keeps both: 144 MB, and the speed of a second's
///   wait. While documents are typeset ([`Typesetting`]) pages wait about a second: the
///   typesetting threads free and take back the same pages at a high rate, and a batch's peak
///   is still what is in flight, not what was in flight in the last ten seconds.
/// - `background_thread:true`: a thread of jemalloc's does that purging, not the typesetting
///   threads in the middle of a document.
///
/// Measured, `render all` on 2 000 students (18 476 documents), one run each on a noisy
/// machine: glibc 147 s / 125 MB peak; jemalloc with its defaults 112 s / 154 MB; with
/// these options 104–108 s / 123–126 MB (glibc in the same pairs 131–135 s / 122–124 MB).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub const ALLOCATOR_CONF: &std::ffi::CStr =
    c"narenas:2,dirty_decay_ms:100,muzzy_decay_ms:0,background_thread:true";

/// [`ALLOCATOR_CONF`] where jemalloc looks for it: its `malloc_conf` symbol (weak in
/// jemalloc, so this definition wins), a pointer to a C string.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[repr(transparent)]
struct ConfPointer(*const std::ffi::c_char);

// SAFETY: the pointer is to a string constant, never written; jemalloc only reads it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe impl Sync for ConfPointer {}

/// The definition of jemalloc's `malloc_conf` (prefixed `_rjem_` by its crate).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: ConfPointer = ConfPointer(ALLOCATOR_CONF.as_ptr());

/// Returns the allocator's free pages to the system (every jemalloc arena purged); called
/// once the inputs are read and planned, before the documents are typeset, and now and then
/// while they are.
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `arena.4096.purge` (4096 is MALLCTL_ARENAS_ALL) neither reads nor writes a
    // value, so every pointer is null; it only releases pages the arenas hold as free, and
    // may be called from any thread at any time. A failure leaves the pages where they were.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            c"arena.4096.purge".as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            0,
        );
    }
}

/// How long, in milliseconds, freed pages wait before going back to the system while
/// documents are typeset (see [`ALLOCATOR_CONF`]).
pub const TYPESETTING_DECAY_MS: isize = 1000;

/// How long, in milliseconds, freed pages wait before going back to the system at other
/// times: while inputs are read and planned (see [`ALLOCATOR_CONF`], which starts with it).
pub const READING_DECAY_MS: isize = 100;

/// How many jobs are typesetting: while any is, freed pages wait [`TYPESETTING_DECAY_MS`].
static TYPESETTING_JOBS: std::sync::Mutex<usize> = std::sync::Mutex::new(0);

/// A job's typesetting, for the allocator: while one is alive (in any thread), freed pages
/// wait about a second before going back to the system, which spares the typesetting threads
/// from taking fresh pages from it all the time; once the last one is dropped, they go back
/// within a tenth of a second again, as while inputs are read and planned.
pub struct Typesetting(());

impl Typesetting {
    /// Marks a job's typesetting as begun, until the value is dropped.
    pub fn begin() -> Typesetting {
        let mut jobs = TYPESETTING_JOBS.lock().unwrap_or_else(|e| e.into_inner());
        if *jobs == 0 {
            set_dirty_decay(TYPESETTING_DECAY_MS);
        }
        *jobs += 1;
        Typesetting(())
    }
}

impl Drop for Typesetting {
    fn drop(&mut self) {
        let mut jobs = TYPESETTING_JOBS.lock().unwrap_or_else(|e| e.into_inner());
        *jobs = jobs.saturating_sub(1);
        if *jobs == 0 {
            set_dirty_decay(READING_DECAY_MS);
        }
    }
}

/// Sets how long freed pages wait before going back to the system, in every arena and in
/// those made later. Not where an experiment set jemalloc's options (`_RJEM_MALLOC_CONF`).
fn set_dirty_decay(ms: isize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        if std::env::var_os("_RJEM_MALLOC_CONF").is_some() {
            return;
        }
        let mut arenas: u32 = 0;
        let mut len = std::mem::size_of::<u32>();
        // SAFETY: `arenas.narenas` is an unsigned int, read into `arenas` of `len` bytes.
        let failed = unsafe {
            tikv_jemalloc_sys::mallctl(
                c"arenas.narenas".as_ptr(),
                (&raw mut arenas).cast(),
                &mut len,
                std::ptr::null_mut(),
                0,
            )
        };
        if failed != 0 {
            return;
        }
        let mut value = ms;
        let names = (0..arenas)
            .map(|i| format!("arena.{i}.dirty_decay_ms"))
            .chain(std::iter::once("arenas.dirty_decay_ms".to_string()));
        for name in names {
            let Ok(name) = std::ffi::CString::new(name) else {
                continue;
            };
            // SAFETY: each option is an ssize_t, written from `value` of its size; nothing
            // is read back. An arena not made yet refuses it (EFAULT), and is left alone: it
            // takes `arenas.dirty_decay_ms` when made.
            unsafe {
                tikv_jemalloc_sys::mallctl(
                    name.as_ptr(),
                    std::ptr::null_mut(),
                    std::ptr::null_mut(),
                    (&raw mut value).cast(),
                    std::mem::size_of::<isize>(),
                );
            }
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = ms;
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

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    /// Reads one of jemalloc's options (`opt.*`) as a value of type `T`.
    fn option<T: Default>(name: &std::ffi::CStr) -> T {
        let mut value = T::default();
        let mut len = std::mem::size_of::<T>();
        // SAFETY: `value` is a `T` of `len` bytes, the option's type; nothing is written.
        let failed = unsafe {
            tikv_jemalloc_sys::mallctl(
                name.as_ptr(),
                (&raw mut value).cast(),
                &mut len,
                std::ptr::null_mut(),
                0,
            )
        };
        assert_eq!(failed, 0, "{name:?} could not be read");
        value
    }

    #[test]
    fn the_allocator_runs_with_the_compiled_in_options() {
        // Were the `malloc_conf` symbol not picked up (renamed in jemalloc's crate, say),
        // jemalloc would run with its defaults: 4 arenas per core, pages kept for 10 s.
        if std::env::var_os("_RJEM_MALLOC_CONF").is_some() {
            return; // an experiment overrides the options
        }
        assert_eq!(option::<u32>(c"opt.narenas"), 2);
        assert_eq!(
            option::<isize>(c"opt.dirty_decay_ms"),
            super::READING_DECAY_MS
        );
        assert_eq!(option::<isize>(c"opt.muzzy_decay_ms"), 0);
        assert!(option::<bool>(c"opt.background_thread"));
    }

    #[test]
    fn freed_pages_wait_a_second_while_a_job_typesets() {
        if std::env::var_os("_RJEM_MALLOC_CONF").is_some() {
            return;
        }
        let typesetting = super::Typesetting::begin();
        let nested = super::Typesetting::begin();
        drop(nested);
        // Other tests may typeset at the same time: while this one does, pages wait.
        assert_eq!(
            option::<isize>(c"arena.0.dirty_decay_ms"),
            super::TYPESETTING_DECAY_MS
        );
        assert_eq!(
            option::<isize>(c"arenas.dirty_decay_ms"),
            super::TYPESETTING_DECAY_MS
        );
        drop(typesetting);
    }
}
