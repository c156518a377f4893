//! One list of commands drives the menus, the keyboard shortcuts and the help.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::Tab;
use super::panels::deploy::JobKind;
use crate::export::{ExportFormat, ImportFormat};

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    New,
    Open,
    OpenSample(&'static str),
    OpenRecent(PathBuf),
    Save,
    SaveAs,
    Export(ExportFormat),
    Import(ImportFormat),
    /// Compares the open model with a model file (any format it can be read from).
    CompareWithFile,
    /// Compares the open model with its last saved (or opened) version.
    CompareWithSaved,
    CompareWithSample(&'static str),
    StopComparing,
    Quit,
    Undo,
    Redo,
    Delete,
    AddTable,
    AddGsi,
    AddEntity,
    AddPattern,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    ToggleTheme,
    /// Hides the side panels and the status bar, so zoom scales the work area.
    TogglePresentation,
    ToggleTree,
    ToggleChecks,
    ShowTab(Tab),
    RunJob(JobKind),
    Shortcuts,
    About,
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers {
    alt: false,
    ctrl: false,
    shift: true,
    mac_cmd: false,
    command: true,
};

impl Command {
    pub fn label(&self) -> &'static str {
        match self {
            Command::New => "New",
            Command::Open => "Open…",
            Command::OpenSample(_) => "Open sample",
            Command::OpenRecent(_) => "Open recent",
            Command::Save => "Save",
            Command::SaveAs => "Save As…",
            Command::Export(format) => export_label(*format),
            Command::Import(format) => import_label(*format),
            Command::CompareWithFile => "Compare with…",
            Command::CompareWithSaved => "Compare with last saved version",
            Command::CompareWithSample(_) => "Compare with sample",
            Command::StopComparing => "Stop comparing",
            Command::Quit => "Quit",
            Command::Undo => "Undo",
            Command::Redo => "Redo",
            Command::Delete => "Delete selection",
            Command::AddTable => "Add table",
            Command::AddGsi => "Add GSI to the selected table",
            Command::AddEntity => "Add entity to the selected table",
            Command::AddPattern => "Add access pattern",
            Command::ZoomIn => "Zoom in",
            Command::ZoomOut => "Zoom out",
            Command::ZoomReset => "Reset zoom",
            Command::ToggleTheme => "Toggle dark/light theme",
            Command::TogglePresentation => "Presentation mode",
            Command::ToggleTree => "Show the model tree",
            Command::ToggleChecks => "Show the checks",
            Command::ShowTab(tab) => tab.label(),
            Command::RunJob(kind) => kind.label(),
            Command::Shortcuts => "Keyboard shortcuts",
            Command::About => "About dynamodel",
        }
    }

    /// What a menu entry's hover text adds to its label: the format in full.
    pub fn tooltip(&self) -> Option<&'static str> {
        match self {
            Command::Export(format) => Some(format.label()),
            Command::Import(format) => Some(format.label()),
            _ => None,
        }
    }

    /// The main shortcut (shown in menus and help).
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let s = |m, k| Some(KeyboardShortcut::new(m, k));
        match self {
            Command::New => s(CMD, Key::N),
            Command::Open => s(CMD, Key::O),
            Command::Save => s(CMD, Key::S),
            Command::SaveAs => s(CMD_SHIFT, Key::S),
            Command::Quit => s(CMD, Key::Q),
            Command::Undo => s(CMD, Key::Z),
            Command::Redo => s(CMD_SHIFT, Key::Z),
            Command::Delete => s(Modifiers::NONE, Key::Delete),
            Command::ZoomIn => s(CMD, Key::Equals),
            Command::ZoomOut => s(CMD, Key::Minus),
            Command::ZoomReset => s(CMD, Key::Num0),
            Command::TogglePresentation => s(Modifiers::NONE, Key::F5),
            Command::ToggleTree => s(CMD, Key::B),
            Command::ToggleChecks => s(CMD_SHIFT, Key::B),
            Command::ShowTab(tab) => {
                let keys = [
                    Key::Num1,
                    Key::Num2,
                    Key::Num3,
                    Key::Num4,
                    Key::Num5,
                    Key::Num6,
                    Key::Num7,
                    Key::Num8,
                    Key::Num9,
                ];
                let i = Tab::ALL.iter().position(|t| t == tab).unwrap_or(0);
                s(CMD, keys[i.min(keys.len() - 1)])
            }
            _ => None,
        }
    }

    /// Further shortcuts that do the same.
    pub fn alternative_shortcuts(&self) -> Vec<KeyboardShortcut> {
        match self {
            Command::Redo => vec![KeyboardShortcut::new(CMD, Key::Y)],
            Command::ZoomIn => vec![KeyboardShortcut::new(CMD, Key::Plus)],
            _ => Vec::new(),
        }
    }

    /// Commands with shortcuts, in the order the help lists them. Shortcuts that
    /// share modifiers are checked most-modifiers first so Ctrl+Shift+S is not Ctrl+S.
    pub fn with_shortcuts() -> Vec<Command> {
        let mut list = vec![
            Command::SaveAs,
            Command::Redo,
            Command::ToggleChecks,
            Command::ToggleTree,
            Command::TogglePresentation,
            Command::New,
            Command::Open,
            Command::Save,
            Command::Undo,
            Command::Delete,
            Command::ZoomIn,
            Command::ZoomOut,
            Command::ZoomReset,
            Command::Quit,
        ];
        list.extend(Tab::ALL.into_iter().map(Command::ShowTab));
        list
    }
}

/// The File ▸ Export entry of a format (it asks for a path: hence the "…").
fn export_label(format: ExportFormat) -> &'static str {
    match format {
        ExportFormat::Markdown => "Data model document…",
        ExportFormat::NosqlWorkbench => "NoSQL Workbench model…",
        ExportFormat::McpJson => "DynamoDB MCP validation input…",
        ExportFormat::CloudFormation => "CloudFormation template…",
        ExportFormat::Svg => "Diagram (SVG)…",
        ExportFormat::MigrationContract => "Migration contract…",
    }
}

/// The File ▸ Import entry of a format.
fn import_label(format: ImportFormat) -> &'static str {
    match format {
        ImportFormat::NosqlWorkbench => "NoSQL Workbench model…",
        ImportFormat::McpJson => "DynamoDB MCP validation input…",
        ImportFormat::Mysql => "MySQL schema…",
        ImportFormat::MigrationContract => "Migration contract…",
    }
}
