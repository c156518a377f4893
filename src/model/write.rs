//! The one way the program writes a file: model saves, autosave, exports and
//! imports all go through [`write_atomically`]. The bytes go to a temporary file
//! beside the target, are flushed to disk and renamed over it, so a reader — or
//! a crash, or `kill -9` — sees the old file or the new one, never half of one.
//! The temporary file's name says whose it was (`.NAME.dynamodel-tmp-PID-N`): a
//! later write to the same target removes those a dead process left behind.
//! A symbolic link is written through (the link stays, its target changes), and
//! an existing file keeps its permissions.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What marks a temporary file of ours, between the target's name and the owner.
pub const TEMP_MARK: &str = ".dynamodel-tmp-";

/// How many symbolic links are followed before giving up (as the kernel does).
const MAX_LINKS: usize = 40;

/// Writes `bytes` to `path` atomically; see the module documentation.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = through_links(path)?;
    let dir = parent(&target);
    let name = file_name(&target);
    remove_stale_temp_files(&dir, &name);
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let tmp = dir.join(format!(
        ".{name}{TEMP_MARK}{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    let result = (|| {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        if let Some(p) = permissions {
            file.set_permissions(p)?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &target)?;
        // Make the rename itself durable where the platform allows it.
        if let Ok(d) = fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// The file `path` names once every symbolic link on the way is followed (the
/// path itself when it is not a link, or does not exist yet).
fn through_links(path: &Path) -> io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let next = fs::read_link(&at)?;
                at = if next.is_absolute() {
                    next
                } else {
                    parent(&at).join(next)
                };
            }
            _ => return Ok(at),
        }
    }
    Err(io::Error::other(format!(
        "{}: more than {MAX_LINKS} symbolic links",
        path.display()
    )))
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".into())
}

/// Removes the temporary files of writes to `dir/name` whose process is gone;
/// returns how many.
pub fn remove_stale_temp_files(dir: &Path, name: &str) -> usize {
    let prefix = format!(".{name}{TEMP_MARK}");
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let file = entry.file_name();
        let Some(owner) = file.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = owner.split('-').next().and_then(|p| p.parse::<u32>().ok());
        let stale = match pid {
            Some(pid) if pid == std::process::id() => false,
            Some(pid) => !process_alive(pid),
            None => false,
        };
        if stale && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Whether process `pid` is running. Where `/proc` is missing, a process is
/// taken as alive: its file is left rather than pulled from under it.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.is_dir() || proc.join(pid.to_string()).exists()
}

/// Whether `a` and `b` name the same file (through links, `..` and hard links):
/// writing one would replace the other.
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(x), Ok(y)) if x == y => true,
        #[cfg(unix)]
        (Ok(x), Ok(y)) => {
            use std::os::unix::fs::MetadataExt;
            match (fs::metadata(x), fs::metadata(y)) {
                (Ok(m), Ok(n)) => m.dev() == n.dev() && m.ino() == n.ino(),
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("dynamodel-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[cfg(unix)]
    #[test]
    fn an_existing_file_keeps_its_mode_and_a_link_stays_a_link() {
        use std::os::unix::fs::{PermissionsExt, symlink};
        let d = dir("mode");
        let real = d.join("real.md");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = d.join("link.md");
        symlink("real.md", &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert_eq!(
            fs::metadata(&real).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert!(same_file(&link, &real));
        assert!(!same_file(&link, &d.join("other.md")));
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_dead_writers_temporary_file_is_removed_by_the_next_write() {
        let d = dir("stale");
        let target = d.join("model.dynamodel.json");
        // No process has pid 4,000,000,000; a live one's file stays.
        let dead = d.join(format!(".model.dynamodel.json{TEMP_MARK}4000000000-0"));
        let mine = d.join(format!(
            ".model.dynamodel.json{TEMP_MARK}{}-99",
            std::process::id()
        ));
        let other = d.join(format!(".other.json{TEMP_MARK}4000000000-0"));
        for f in [&dead, &mine, &other] {
            fs::write(f, "half").unwrap();
        }
        write_atomically(&target, b"{}").unwrap();
        assert!(!dead.exists(), "the dead writer's file is gone");
        assert!(mine.exists(), "this process's own is not touched");
        assert!(other.exists(), "another target's is not touched");
        assert_eq!(fs::read_to_string(&target).unwrap(), "{}");
        fs::remove_dir_all(&d).unwrap();
    }
}
