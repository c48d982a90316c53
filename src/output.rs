//! Writing outputs: to stdout, or atomically to a file through a temporary file and a rename,
//! never inside the corpus.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a rename.
///
/// Refuses a path inside any of `corpus_roots`, so the user's corpus is never written into.
pub fn write_atomically(path: &Path, bytes: &[u8], corpus_roots: &[PathBuf]) -> Result<(), String> {
    write_atomically_with(path, corpus_roots, |out| {
        out.write_all(bytes).map_err(|e| e.to_string())
    })
}

/// Writes to `path` atomically what `write` writes: into a temporary file beside it, buffered,
/// then renamed. A device or named pipe (`/dev/null`) is written in place instead, never
/// replaced. Refuses a path inside any of `corpus_roots`.
pub fn write_atomically_with(
    path: &Path,
    corpus_roots: &[PathBuf],
    write: impl FnOnce(&mut dyn Write) -> Result<(), String>,
) -> Result<(), String> {
    let absolute = absolute(path);
    for root in corpus_roots.iter().filter(|root| root.is_dir()) {
        if absolute.starts_with(absolute_existing(root)) {
            return Err(format!(
                "{}: refusing to write inside the corpus directory {}",
                path.display(),
                root.display()
            ));
        }
    }
    if is_special_file(&absolute) {
        return write_in_place(path, &absolute, write);
    }
    let dir = absolute
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let temp = tempfile::NamedTempFile::new_in(&dir)
        .map_err(|e| format!("{}: cannot create a temporary file: {e}", dir.display()))?;
    let mut buffered = std::io::BufWriter::new(temp);
    write(&mut buffered).map_err(|e| format!("{}: {e}", path.display()))?;
    let temp = buffered
        .into_inner()
        .map_err(|e| format!("{}: {}", path.display(), e.error()))?;
    // A temporary file is private (0600); a report is an ordinary file others may read.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    temp.persist(&absolute)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}

/// True when `path` exists and is not a regular file or directory: a device such as
/// `/dev/null`, or a named pipe. A rename would replace it with a regular file.
fn is_special_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|meta| !meta.is_file() && !meta.is_dir())
}

/// Writes what `write` writes straight into the special file `absolute` (see
/// [`is_special_file`]), buffered.
fn write_in_place(
    path: &Path,
    absolute: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<(), String>,
) -> Result<(), String> {
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(absolute)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut buffered = std::io::BufWriter::new(file);
    write(&mut buffered)
        .and_then(|()| buffered.flush().map_err(|e| e.to_string()))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Writes what `write` writes to `output` when given (atomically), else to standard output.
/// A closed pipe (`| head`) is the reader's choice, not an error.
pub fn emit_with(
    output: Option<&Path>,
    corpus_roots: &[PathBuf],
    write: impl FnOnce(&mut dyn Write) -> Result<(), String>,
) -> Result<(), String> {
    match output {
        Some(path) => write_atomically_with(path, corpus_roots, write),
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let written =
                write(&mut stdout).and_then(|()| stdout.flush().map_err(|e| e.to_string()));
            match written {
                Err(message) if message.contains("Broken pipe") => Ok(()),
                Err(message) => Err(format!("standard output: {message}")),
                Ok(()) => Ok(()),
            }
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    match (joined.parent(), joined.file_name()) {
        (Some(parent), Some(name)) => absolute_existing(parent).join(name),
        _ => joined,
    }
}

fn absolute_existing(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(all(test, unix))]
mod tests {
    use super::write_atomically;
    use std::io::Read;
    use std::os::unix::fs::FileTypeExt;

    #[test]
    fn a_named_pipe_is_written_into_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let pipe = dir.path().join("report.pipe");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        if !made.is_ok_and(|status| status.success()) {
            return; // no mkfifo on this machine: nothing to test
        }
        // Held open at both ends (which does not block on Linux), so the write does not wait
        // for a reader and a regression fails the assertion instead of hanging.
        let mut held = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(&pipe)
            .unwrap();
        write_atomically(&pipe, b"findings\n", &[]).unwrap();
        let kind = std::fs::metadata(&pipe).unwrap().file_type();
        assert!(kind.is_fifo(), "{kind:?}");
        let mut written = [0; 9];
        held.read_exact(&mut written).unwrap();
        assert_eq!(&written, b"findings\n");
    }
}
