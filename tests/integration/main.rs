//! Integration tests: one binary, a module per area.

mod bundled_models;
mod cli;
mod deploy;
mod diagram;
mod edits;
mod export;
mod fixes;
mod gui;
mod import;
pub mod import_mcp;
mod import_workbench;
mod model_files;

use std::path::PathBuf;

/// The project's root directory.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the project (CI has it too).
pub fn shared() -> PathBuf {
    root().join("..").join("shared")
}
