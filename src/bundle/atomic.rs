//! Atomic output: write to a temporary file next to the final path, then rename it over the
//! final path only when everything succeeded. A failed or interrupted run never leaves a
//! partial archive under the final name (and an existing file there stays untouched).

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use super::error::BundleError;

/// Runs `write` on a fresh temporary file in the directory of `final_path`; if it returns
/// `Ok`, flushes and fsyncs the file and renames it to `final_path` (replacing any file there).
///
/// If `write` returns an error or panics, or saving fails, the temporary file is removed and
/// nothing appears under `final_path`. The temporary file is named `.<final name>.<random>.tmp`,
/// so that a leftover after a crash or power cut is recognisable.
///
/// `E` is the caller's error type; it only needs to accept a [`BundleError`] for the I/O
/// failures of this function (`BundleError` itself does).
pub fn write_atomically<T, E>(
    final_path: &Path,
    write: impl FnOnce(&mut File) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<BundleError>,
{
    check_target(final_path)?;
    let dir = directory_of(final_path);
    let prefix = match final_path.file_name() {
        Some(name) => format!(".{}.", name.to_string_lossy()),
        None => ".dangjian.".to_owned(),
    };

    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // An existing file keeps its permissions; a new one gets 0o666 minus the umask, like
    // any new file (tempfile's default would be 0o600).
    #[cfg(unix)]
    let permissions = match std::fs::metadata(final_path) {
        Ok(meta) => meta.permissions(),
        Err(_) => std::os::unix::fs::PermissionsExt::from_mode(0o666),
    };
    #[cfg(unix)]
    builder.permissions(permissions);
    // From here on, dropping `temp` (error return or unwinding panic) deletes the file.
    let mut temp = builder
        .tempfile_in(dir)
        .map_err(|source| BundleError::CreateTemp {
            dir: dir.to_owned(),
            source,
        })?;

    let _registered = Unfinished::register(temp.path());

    let value = write(temp.as_file_mut())?;

    let write_error = |source| BundleError::Write {
        path: final_path.to_owned(),
        source,
    };
    temp.as_file_mut().flush().map_err(write_error)?;
    temp.as_file().sync_all().map_err(write_error)?;
    temp.persist(final_path).map_err(|e| BundleError::Replace {
        path: final_path.to_owned(),
        source: e.error,
    })?;
    sync_dir(dir);
    Ok(value)
}

/// The temporary files being written now, so that a signal handler can remove them before
/// the process exits ([`remove_unfinished`]).
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A temporary file registered in [`UNFINISHED`] while it is written.
pub(super) struct Unfinished(PathBuf);

impl Unfinished {
    /// Registers `path` until the returned guard is dropped.
    pub(super) fn register(path: &Path) -> Unfinished {
        UNFINISHED
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(path.to_owned());
        Unfinished(path.to_owned())
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        let mut live = UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(at) = live.iter().position(|p| *p == self.0) {
            live.swap_remove(at);
        }
    }
}

/// Removes every temporary file being written by [`write_atomically`] now. For a signal
/// handler (Ctrl-C, SIGTERM, SIGHUP) that ends the process right after: an interrupted run
/// leaves nothing behind.
pub fn remove_unfinished() {
    let live = UNFINISHED.lock().unwrap_or_else(PoisonError::into_inner);
    for path in live.iter() {
        let _ = std::fs::remove_file(path);
    }
}

/// Refuses a final path that is a folder, a device or anything but a regular file (a
/// rename would replace a device node with a plain file).
fn check_target(final_path: &Path) -> Result<(), BundleError> {
    match std::fs::metadata(final_path) {
        Ok(meta) if !meta.is_file() => Err(BundleError::NotAFile {
            path: final_path.to_owned(),
        }),
        _ => Ok(()),
    }
}

/// The directory a path's file is in (`.` for a bare file name), where the temporary file goes
/// so that the final rename stays on one file system.
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Makes the rename durable on Unix by syncing the directory. Best effort: the file is already
/// complete under its final name, and a failure here only matters after a power cut.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{self, Seek, SeekFrom};
    use std::panic::{AssertUnwindSafe, catch_unwind};

    /// The names of the directory's entries, sorted.
    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn success_writes_the_final_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("输出.zip");
        let value = write_atomically(&path, |f| -> Result<u32, BundleError> {
            f.write_all(b"hello").map_err(|source| BundleError::Write {
                path: path.clone(),
                source,
            })?;
            Ok(42)
        });
        assert_eq!(value.ok(), Some(42));
        assert_eq!(std::fs::read(&path).expect("read"), b"hello");
        assert_eq!(listing(dir.path()), vec!["输出.zip"]);
    }

    #[test]
    fn the_closure_can_seek_back_and_overwrite_what_it_wrote() {
        // The closure gets the file itself, not a write-only stream (our zip writer never
        // seeks, but a caller writing another format may).
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.bin");
        let result = write_atomically(&path, |f| -> Result<(), BundleError> {
            let io = |source| BundleError::Write {
                path: path.clone(),
                source,
            };
            f.write_all(b"xxxx world").map_err(io)?;
            f.seek(SeekFrom::Start(0)).map_err(io)?;
            f.write_all(b"helo").map_err(io)?;
            Ok(())
        });
        assert!(result.is_ok());
        assert_eq!(std::fs::read(&path).expect("read"), b"helo world");
    }

    #[test]
    fn success_replaces_an_existing_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.zip");
        std::fs::write(&path, b"old").expect("write");
        let result = write_atomically(&path, |f| f.write_all(b"new").map_err(io_error));
        assert!(result.is_ok());
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        assert_eq!(listing(dir.path()), vec!["out.zip"]);
    }

    fn io_error(source: io::Error) -> BundleError {
        BundleError::Write {
            path: "test".into(),
            source,
        }
    }

    #[test]
    fn error_mid_write_leaves_no_final_file_and_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.zip");
        let result = write_atomically(&path, |f| -> Result<(), BundleError> {
            f.write_all(b"partial").map_err(io_error)?;
            // The temporary file exists while writing, next to the final path.
            let names = listing(dir.path());
            assert_eq!(names.len(), 1);
            assert!(names[0].starts_with(".out.zip.") && names[0].ends_with(".tmp"));
            Err(BundleError::DuplicateEntry { entry: "x".into() })
        });
        assert!(matches!(result, Err(BundleError::DuplicateEntry { .. })));
        assert!(!path.exists());
        assert!(listing(dir.path()).is_empty());
    }

    #[test]
    fn error_keeps_an_existing_file_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.zip");
        std::fs::write(&path, b"previous run").expect("write");
        let result = write_atomically(&path, |f| -> Result<(), BundleError> {
            f.write_all(b"partial").map_err(io_error)?;
            Err(BundleError::DuplicateEntry { entry: "x".into() })
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read(&path).expect("read"), b"previous run");
        assert_eq!(listing(dir.path()), vec!["out.zip"]);
    }

    #[test]
    fn panic_mid_write_leaves_no_final_file_and_no_temp_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.zip");
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            write_atomically(&path, |f| -> Result<(), BundleError> {
                f.write_all(b"partial").map_err(io_error)?;
                panic!("simulated crash while writing");
            })
        }));
        assert!(outcome.is_err(), "the panic propagates");
        assert!(!path.exists());
        assert!(listing(dir.path()).is_empty());
    }

    #[test]
    fn a_special_file_is_never_replaced_and_an_existing_mode_is_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let result = write_atomically(dir.path(), |f| f.write_all(b"x").map_err(io_error));
        assert!(matches!(result, Err(BundleError::NotAFile { .. })));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let null = Path::new("/dev/null");
            let result = write_atomically(null, |f| f.write_all(b"x").map_err(io_error));
            assert!(matches!(result, Err(BundleError::NotAFile { .. })));
            assert!(
                !std::fs::metadata(null).unwrap().is_file(),
                "still a device"
            );

            let path = dir.path().join("out.zip");
            std::fs::write(&path, b"old").expect("write");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            write_atomically(&path, |f| f.write_all(b"new").map_err(io_error)).unwrap();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
    }

    #[test]
    fn the_file_being_written_is_registered_for_a_signal_handler() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.zip");
        let registered = || -> Vec<PathBuf> {
            UNFINISHED
                .lock()
                .unwrap()
                .iter()
                .filter(|p| p.starts_with(dir.path()))
                .cloned()
                .collect()
        };
        let _ = write_atomically(&path, |f| -> Result<(), BundleError> {
            f.write_all(b"partial").map_err(io_error)?;
            let live = registered();
            assert_eq!(live.len(), 1);
            assert!(live[0].exists());
            Err(BundleError::Finished)
        });
        assert!(registered().is_empty());
        write_atomically(&path, |f| f.write_all(b"done").map_err(io_error)).unwrap();
        assert!(registered().is_empty());
    }

    #[test]
    fn missing_directory_is_a_create_temp_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("no such dir").join("out.zip");
        let result = write_atomically(&path, |_| Ok::<(), BundleError>(()));
        let err = result.expect_err("a missing directory must fail");
        assert!(matches!(err, BundleError::CreateTemp { .. }), "{err:?}");
        assert!(err.to_string().contains("无法在文件夹"), "{err}");
    }

    #[test]
    fn temp_file_goes_next_to_the_final_path() {
        assert_eq!(directory_of(Path::new("out.zip")), Path::new("."));
        assert_eq!(directory_of(Path::new("a/b/out.zip")), Path::new("a/b"));
        assert_eq!(directory_of(Path::new("/out.zip")), Path::new("/"));
    }

    #[cfg(unix)]
    #[test]
    fn final_file_gets_ordinary_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out.zip");
        write_atomically(&path, |f| f.write_all(b"x").map_err(io_error)).expect("write");
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        // The same mode as a file created the ordinary way (0o666 minus the umask), not the
        // owner-only 0o600 of a temporary file.
        let ordinary = dir.path().join("ordinary");
        File::create(&ordinary).expect("create");
        assert_eq!(mode(&path), mode(&ordinary));
    }
}
