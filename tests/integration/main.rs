//! Integration tests: one binary, a module per area.

mod bundled_models;
mod cli;
mod compare;
mod contract;
mod deploy;
mod diagram;
mod edits;
mod export;
mod fixes;
mod fuzz;
mod gui;
mod import;
pub mod import_mcp;
mod import_mysql;
mod import_workbench;
mod model_files;
mod schema_to_contract;
mod writes;

use std::path::PathBuf;

/// The project's root directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the project (CI has it too).
pub fn shared() -> PathBuf {
    root().join("..").join("shared")
}

/// The golden files: `tests/golden`.
pub fn golden_dir() -> PathBuf {
    root().join("tests").join("golden")
}

/// Compares `actual` with the golden file `name`; with `UPDATE_GOLDEN` set,
/// rewrites it instead. Returns what differs (the first differing line), if anything.
pub fn golden(name: &str, actual: &str) -> Option<String> {
    let path = golden_dir().join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    (expected != actual).then(|| {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .map(|l| l + 1)
            .unwrap_or(expected.lines().count().min(actual.lines().count()) + 1);
        format!("{} differs from line {line}", path.display())
    })
}
