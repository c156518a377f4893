//! How the window starts, and the UI state that outlives a run. The settings
//! live in a file of their own in the app's data directory, written whole
//! through `model::write_atomically` (eframe's storage rewrites its file in
//! place: a crash mid-write would lose them).

use std::io;
use std::path::{Path, PathBuf};
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
    /// Read and write the settings file (tests turn this off: they never touch
    /// the user's settings).
    pub use_storage: bool,
    /// The settings file; `None` is the usual one, `settings.json` in the app's
    /// data directory.
    pub settings_file: Option<PathBuf>,
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
            settings_file: None,
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

/// Where eframe's storage kept the settings before they had a file of their
/// own: read once, when there is no settings file yet.
pub(super) const SETTINGS_KEY: &str = "dynamodel-settings";
const MAX_RECENT: usize = 10;

/// The usual settings file: `settings.json` in the app's data directory
/// (`~/.local/share/dynamodel` on Linux), where the autosave lives too.
pub(super) fn default_settings_file() -> Option<PathBuf> {
    eframe::storage_dir("dynamodel").map(|dir| dir.join("settings.json"))
}

impl Settings {
    /// The settings in `path`; when there is no such file, those `legacy` gives
    /// (eframe's storage, once), else the defaults. A file that cannot be read
    /// is left alone and the defaults are used for this run.
    pub(super) fn load(path: &Path, legacy: impl FnOnce() -> Option<Settings>) -> Settings {
        match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text).unwrap_or_default(),
            Err(e) if e.kind() == io::ErrorKind::NotFound => legacy().unwrap_or_default(),
            Err(_) => Settings::default(),
        }
    }

    pub(super) fn to_text(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Writes `text` (from [`Settings::to_text`]) to `path` atomically, making its
    /// directory first.
    pub(super) fn write(path: &Path, text: &str) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        crate::model::write_atomically(path, text.as_bytes())
    }
}

impl Workbench {
    pub(super) fn remember_recent(&mut self, path: PathBuf) {
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_their_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.json");
        let settings = Settings {
            dark: false,
            zoom: 1.5,
            recent: vec![PathBuf::from("/tmp/shop.dynamodel.json")],
            last: Some(Origin::File(PathBuf::from("/tmp/shop.dynamodel.json"))),
            tab: Tab::Deploy,
            presentation: true,
            ..Settings::default()
        };
        Settings::write(&path, &settings.to_text()).unwrap();
        let read = Settings::load(&path, || panic!("the file is there: no migration"));
        assert_eq!(read.to_text(), settings.to_text());
        assert_eq!(read.tab, Tab::Deploy);
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, ["settings.json"], "no temp file is left");
    }

    #[test]
    fn without_a_file_the_old_storage_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let old = Settings {
            zoom: 2.0,
            ..Settings::default()
        };
        assert_eq!(Settings::load(&path, || Some(old)).zoom, 2.0);
        assert_eq!(Settings::load(&path, || None).zoom, 1.0);
        // Fields a newer or older version did not write take their defaults.
        std::fs::write(&path, r#"{"zoom": 1.25, "unknown": 3}"#).unwrap();
        let read = Settings::load(&path, || None);
        assert_eq!((read.zoom, read.dark), (1.25, true));
    }
}
