//! The workbench window (eframe/egui). Panels read the model and its analysis and
//! ask for changes through `Actions`; the app applies them in one place.

mod app;
mod commands;
mod document;
mod history;
mod icon;
mod panels;
mod widgets;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use app::{StartOptions, Workbench};
pub use commands::Command;
pub use document::{Document, Edit};
pub use panels::deploy::{DeployState, JobKind};

use crate::analysis::Analysis;
use crate::model::Model;

/// The element the editor shows and the panels highlight.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Selection {
    #[default]
    None,
    Table(String),
    Index {
        table: String,
        index: String,
    },
    Entity(String),
    Pattern(String),
}

/// The centre tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Tab {
    #[default]
    Editor,
    KeyMap,
    Coverage,
    Aggregate,
    Costs,
    Document,
    Deploy,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Editor,
        Tab::KeyMap,
        Tab::Coverage,
        Tab::Aggregate,
        Tab::Costs,
        Tab::Document,
        Tab::Deploy,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Editor => "Editor",
            Tab::KeyMap => "Key map",
            Tab::Coverage => "Index coverage",
            Tab::Aggregate => "Aggregate view",
            Tab::Costs => "Costs & partitions",
            Tab::Document => "Document preview",
            Tab::Deploy => "Deploy",
        }
    }
}

/// What a panel asks for during a frame; the app carries it out at the end.
#[derive(Default)]
pub struct Actions {
    pub edits: Vec<Edit>,
    pub commands: Vec<Command>,
    pub select: Option<Selection>,
    pub tab: Option<Tab>,
    /// A text field was left: the next edit starts a new undo step.
    pub seal: bool,
}

impl Actions {
    pub fn edit(&mut self, label: impl Into<String>, apply: impl FnOnce(&mut Model) + 'static) {
        self.edits.push(Edit::new(label, apply));
    }

    pub fn edit_merging(
        &mut self,
        key: impl Into<String>,
        label: impl Into<String>,
        apply: impl FnOnce(&mut Model) + 'static,
    ) {
        self.edits.push(Edit::new(label, apply).merging(key));
    }

    /// Sets (or, when empty, removes) the template entity `e` writes into `key`;
    /// typing in one template field is one undo step.
    pub fn set_template(&mut self, e: usize, key: &str, text: String) {
        let k = key.to_string();
        self.edit_merging(
            format!("template-{e}-{key}"),
            format!("Edit {key} template"),
            move |m| {
                if text.is_empty() {
                    m.entities[e].keys.remove(&k);
                } else {
                    m.entities[e].keys.insert(k, text);
                }
            },
        );
    }

    pub fn command(&mut self, command: Command) {
        self.commands.push(command);
    }

    pub fn select(&mut self, selection: Selection) {
        self.select = Some(selection);
    }
}

/// What every panel gets: a read-only view, and a way to ask for changes.
pub struct PanelCtx<'a> {
    pub model: &'a Model,
    pub analysis: &'a Analysis,
    pub selection: &'a Selection,
    pub actions: &'a mut Actions,
}

/// Opens the workbench window; blocks until it is closed.
pub fn run(file: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("dynamodel")
            .with_app_id("dynamodel")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([800.0, 500.0])
            .with_icon(icon::icon_data())
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let start = StartOptions {
        file,
        recovery_dir: eframe::storage_dir("dynamodel"),
        ..StartOptions::default()
    };
    eframe::run_native(
        "dynamodel",
        options,
        Box::new(move |cc| Ok(Box::new(Workbench::new(cc, start)))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the workbench window: {e}"))
}
