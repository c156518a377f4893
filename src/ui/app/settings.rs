//! How the window starts, and the UI state that outlives a run.

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Workbench;
use crate::model::Model;
use crate::ui::Tab;
use crate::ui::panels::checks::ChecksFilter;

/// How the window starts.
pub struct StartOptions {
    /// A model file given on the command line.
    pub file: Option<PathBuf>,
    /// A bundled sample to open instead (tests use this).
    pub sample: Option<&'static str>,
    /// A model to open as it is (benchmarks and tests use this).
    pub model: Option<Model>,
    /// Where the autosave recovery file lives; `None` turns autosave off.
    pub recovery_dir: Option<PathBuf>,
    pub autosave_every: Duration,
    /// Read and write settings through eframe's storage.
    pub use_storage: bool,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            file: None,
            sample: None,
            model: None,
            recovery_dir: None,
            autosave_every: Duration::from_secs(30),
            use_storage: true,
        }
    }
}

/// Where the open model came from, so the next run can reopen it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) enum Origin {
    Sample(String),
    File(PathBuf),
}

/// UI state that outlives a run. New fields default, so old settings still load.
#[derive(Serialize, Deserialize)]
#[serde(default)]
pub(super) struct Settings {
    pub(super) dark: bool,
    pub(super) zoom: f32,
    pub(super) recent: Vec<PathBuf>,
    pub(super) last: Option<Origin>,
    pub(super) tab: Tab,
    pub(super) checks: ChecksFilter,
    pub(super) show_tree: bool,
    pub(super) show_checks: bool,
    /// Side panels and status bar hidden: the work area takes the window.
    pub(super) presentation: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dark: true,
            zoom: 1.0,
            recent: Vec::new(),
            last: None,
            tab: Tab::Editor,
            checks: ChecksFilter::default(),
            show_tree: true,
            show_checks: true,
            presentation: false,
        }
    }
}

pub(super) const SETTINGS_KEY: &str = "dynamodel-settings";
const MAX_RECENT: usize = 10;

impl Workbench {
    pub(super) fn remember_recent(&mut self, path: PathBuf) {
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }
}
