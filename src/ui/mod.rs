//! The workbench window (eframe/egui). Panels read the model and its analysis and
//! ask for changes through `Actions`; the app applies them in one place.

mod app;
mod commands;
mod document;
mod history;
mod icon;
mod panels;
mod selection;
mod widgets;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use app::{StartOptions, Workbench};
pub use commands::Command;
pub use document::Document;
pub use panels::deploy::{DeployState, JobKind};
pub use selection::Selection;

use crate::analysis::Analysis;
use crate::model::{Edit, Model};

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
    Diagram,
    /// The open model against another version of the design.
    Compare,
}

impl Tab {
    pub const ALL: [Tab; 9] = [
        Tab::Editor,
        Tab::KeyMap,
        Tab::Coverage,
        Tab::Aggregate,
        Tab::Costs,
        Tab::Document,
        Tab::Deploy,
        Tab::Diagram,
        Tab::Compare,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Editor => "Editor",
            Tab::Diagram => "Diagram",
            Tab::KeyMap => "Key map",
            Tab::Coverage => "Index coverage",
            Tab::Aggregate => "Aggregate view",
            Tab::Costs => "Costs & partitions",
            Tab::Document => "Document preview",
            Tab::Deploy => "Deploy",
            Tab::Compare => "Compare",
        }
    }
}

/// An edit a panel asks for, and how it joins the undo history.
pub struct Requested {
    pub edit: Edit,
    /// A keystroke or drag in one field: it joins the previous edit with the
    /// same merge key (`Edit::merge_key`) until the field is left.
    pub typing: bool,
}

/// What a panel asks for during a frame; the app carries it out at the end.
#[derive(Default)]
pub struct Actions {
    pub edits: Vec<Requested>,
    pub commands: Vec<Command>,
    pub select: Option<Selection>,
    pub tab: Option<Tab>,
    /// A text field was left: the next edit starts a new undo step.
    pub seal: bool,
}

impl Actions {
    /// A discrete change (a click, a choice): its own undo step.
    pub fn edit(&mut self, edit: Edit) {
        self.edits.push(Requested {
            edit,
            typing: false,
        });
    }

    /// A change typed or dragged in one field: one undo step for the whole field.
    pub fn typing(&mut self, edit: Edit) {
        self.edits.push(Requested { edit, typing: true });
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
    /// The model's revision when the analysis is of it too (`None` while a
    /// re-check runs): what a panel keys its own derived data on.
    pub revision: Option<u64>,
    pub selection: &'a Selection,
    pub actions: &'a mut Actions,
}

/// Opens the workbench window; blocks until it is closed.
pub fn run(file: Option<PathBuf>) -> anyhow::Result<()> {
    let options = app::native_options(app::default_settings_file().as_deref());
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
