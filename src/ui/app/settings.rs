//! How the window starts, and the UI state that outlives a run. The settings
//! (with the window's size and place) and egui's memory (panel widths, open
//! sections) live in files of their own in the app's data directory, each
//! written whole through `model::write_atomically`. eframe's own storage
//! (`app.ron`) is never written: it rewrites its file in place, and a crash
//! mid-write would lose it.

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
    /// The window when it was last seen, to open it there again.
    pub(super) window: Option<WindowGeometry>,
}

/// A window's size and place in logical pixels (the system's, before the
/// workbench's zoom), and whether it was maximized.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub(super) struct WindowGeometry {
    pub(super) size: [f32; 2],
    /// Unknown on systems that do not tell (Wayland).
    pub(super) position: Option<[f32; 2]>,
    pub(super) maximized: bool,
}

impl WindowGeometry {
    /// The window as egui sees it this frame; `None` while it is minimized or
    /// full screen, or before the system said its size.
    pub(super) fn of(ctx: &egui::Context) -> Option<WindowGeometry> {
        let zoom = ctx.zoom_factor();
        ctx.input(|i| {
            let viewport = i.viewport();
            if viewport.minimized == Some(true) || viewport.fullscreen == Some(true) {
                return None;
            }
            let inner = viewport.inner_rect?;
            Some(WindowGeometry {
                size: [inner.width() * zoom, inner.height() * zoom],
                position: viewport
                    .outer_rect
                    .map(|outer| [outer.min.x * zoom, outer.min.y * zoom]),
                maximized: viewport.maximized == Some(true),
            })
        })
    }
}

/// The smallest window the workbench opens in.
const MIN_WINDOW: [f32; 2] = [800.0, 500.0];

/// The native window's options: the size and place the settings in
/// `settings_file` remember (1440×900 the first time), and eframe's own
/// storage left unwritten (the workbench keeps its state in its own files).
pub fn native_options(settings_file: Option<&Path>) -> eframe::NativeOptions {
    let window = settings_file
        .map(|path| Settings::load(path, || None))
        .and_then(|s| s.window)
        .filter(|w| w.size.iter().all(|v| v.is_finite()));
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("dynamodel")
        .with_app_id("dynamodel")
        .with_inner_size(match window {
            Some(w) => [w.size[0].max(MIN_WINDOW[0]), w.size[1].max(MIN_WINDOW[1])],
            None => [1440.0, 900.0],
        })
        .with_min_inner_size(MIN_WINDOW)
        .with_icon(crate::ui::icon::icon_data())
        .with_drag_and_drop(true);
    if let Some(w) = window {
        if let Some(at) = w.position.filter(|p| p.iter().all(|v| v.is_finite())) {
            viewport = viewport.with_position(at);
        }
        viewport = viewport.with_maximized(w.maximized);
    }
    eframe::NativeOptions {
        viewport,
        persist_window: false,
        ..Default::default()
    }
}

/// egui's memory beside the settings file: `ui-memory.ron` (RON, as egui's
/// maps have keys JSON cannot hold).
pub(super) fn memory_file(settings_file: &Path) -> PathBuf {
    settings_file.with_file_name("ui-memory.ron")
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
            window: None,
        }
    }
}

/// Where eframe's storage kept the settings before they had a file of their
/// own: read once, when there is no settings file yet.
pub(super) const SETTINGS_KEY: &str = "dynamodel-settings";
const MAX_RECENT: usize = 10;

/// The usual settings file: `settings.json` in the app's data directory
/// (`~/.local/share/dynamodel` on Linux), where the autosave lives too.
pub(in crate::ui) fn default_settings_file() -> Option<PathBuf> {
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

    #[test]
    fn the_window_opens_as_it_was_left_and_eframe_keeps_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let first = native_options(Some(&path));
        assert_eq!(first.viewport.inner_size, Some(egui::vec2(1440.0, 900.0)));
        assert!(!first.persist_window, "eframe does not write the window");
        let left = Settings {
            window: Some(WindowGeometry {
                size: [1280.0, 720.0],
                position: Some([40.0, 30.0]),
                maximized: false,
            }),
            ..Settings::default()
        };
        Settings::write(&path, &left.to_text()).unwrap();
        let again = native_options(Some(&path));
        assert_eq!(again.viewport.inner_size, Some(egui::vec2(1280.0, 720.0)));
        assert_eq!(again.viewport.position, Some(egui::pos2(40.0, 30.0)));
        assert_eq!(again.viewport.maximized, Some(false));
        // A window saved smaller than the smallest opens at the smallest.
        let tiny = Settings {
            window: Some(WindowGeometry {
                size: [10.0, 10.0],
                position: None,
                maximized: true,
            }),
            ..Settings::default()
        };
        Settings::write(&path, &tiny.to_text()).unwrap();
        let small = native_options(Some(&path));
        assert_eq!(small.viewport.inner_size, Some(egui::vec2(800.0, 500.0)));
        assert_eq!(small.viewport.position, None);
        assert_eq!(small.viewport.maximized, Some(true));
    }
}
