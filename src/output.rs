//! Writing outputs: to stdout, or atomically to a file through a temporary file and a rename,
//! never inside the corpus.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a rename.
///
/// Refuses a path inside any of `corpus_roots`, so the user's corpus is never written into.
pub fn write_atomically(path: &Path, bytes: &[u8], corpus_roots: &[PathBuf]) -> Result<(), String> {
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
    let dir = absolute
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let mut temp = tempfile::NamedTempFile::new_in(&dir)
        .map_err(|e| format!("{}: cannot create a temporary file: {e}", dir.display()))?;
    temp.write_all(bytes)
        .and_then(|_| temp.flush())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    temp.persist(&absolute)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(())
}

/// Writes `bytes` to `output` when given, else to standard output.
pub fn emit(output: Option<&Path>, bytes: &[u8], corpus_roots: &[PathBuf]) -> Result<(), String> {
    match output {
        Some(path) => write_atomically(path, bytes, corpus_roots),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
                Ok(()) => Ok(()),
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(format!("standard output: {e}")),
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
