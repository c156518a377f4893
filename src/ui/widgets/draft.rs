//! Text fields whose edit the model may refuse: names, key attributes, key
//! templates, sample parameters. While such a field has the focus it shows what
//! the user typed (a draft, kept in egui's temporary memory under the field's
//! id, which is made from the identity of what it edits). Each change is checked
//! with `Model::check_edit`: an edit the model accepts is sent at once (one undo
//! step for the whole field); one it refuses leaves the model untouched and the
//! field shows the draft in red with the reason. Leaving the field drops the
//! draft: it shows the model's text again.

use egui::{Id, Response, RichText, Ui};

use super::name_widget;
use crate::model::Edit;
use crate::ui::{PanelCtx, Selection};

#[derive(Clone, Default)]
struct Draft {
    text: String,
    /// Why the model refuses the text; `None` when it took it.
    problem: Option<String>,
}

/// Forgets every draft: the model changed under them (undo, redo, another file).
pub fn forget_all(ctx: &egui::Context) {
    ctx.data_mut(|d| d.remove_by_type::<Draft>());
}

fn name_field_id(selection: Selection) -> Id {
    Id::unique(("name-field", selection))
}

fn name_focus_key() -> Id {
    Id::unique("focus-name-field")
}

/// Puts the cursor in the name field of `selection` when its editor shows
/// ("Rename…" in the tree).
pub fn request_name_focus(ctx: &egui::Context, selection: Selection) {
    let id = name_field_id(selection);
    ctx.data_mut(|d| d.insert_temp(name_focus_key(), id));
}

/// A field of the model as a draft field shows it.
pub struct DraftField<'a> {
    /// The text field's widget id: from the identity of what it edits, never
    /// from a name or a list position.
    pub id: Id,
    /// The accessible name (in a row, the visible label too).
    pub name: &'a str,
    /// What the model holds.
    pub value: &'a str,
    /// What is wrong with the model's own value (a template read from a file),
    /// shown while there is no draft.
    pub problem: Option<String>,
}

impl<'a> DraftField<'a> {
    pub fn new(id: impl std::hash::Hash + std::fmt::Debug, name: &'a str, value: &'a str) -> Self {
        DraftField {
            id: Id::unique(id),
            name,
            value,
            problem: None,
        }
    }

    /// The name field of the element `selection` names (an access pattern's id).
    pub fn name(selection: Selection, label: &'a str, value: &'a str) -> Self {
        DraftField {
            id: name_field_id(selection),
            name: label,
            value,
            problem: None,
        }
    }

    pub fn with_problem(mut self, problem: Option<String>) -> Self {
        self.problem = problem;
        self
    }
}

/// What a draft field showed.
pub struct Shown {
    pub response: Response,
    /// Why the text on screen is not (or, for the model's own value, should not
    /// be) in the model.
    pub problem: Option<String>,
}

/// A labelled name field the width of the editor, with the reason a draft is
/// refused in red under it. "Rename…" in the tree puts the cursor here.
pub fn name_row(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    field: DraftField,
    to_edit: impl FnOnce(&str) -> Result<Edit, String>,
) -> Shown {
    let name = field.name.to_string();
    let shown = ui
        .horizontal(|ui| {
            let label = ui.label(&name);
            let shown = draft_field(ui, panel, field, None, to_edit);
            shown.response.clone().labelled_by(label.id);
            shown
        })
        .inner;
    let wanted: Option<Id> = ui.data(|d| d.get_temp(name_focus_key()));
    if wanted == Some(shown.response.id) {
        ui.data_mut(|d| d.remove::<Id>(name_focus_key()));
        shown.response.request_focus();
    }
    problem_label(ui, shown.problem.as_deref());
    shown
}

/// A draft field `width` wide (the rest of the row when `None`), named for
/// screen readers and tests; the caller shows the problem where it fits.
pub fn draft_cell(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    field: DraftField,
    width: Option<f32>,
    to_edit: impl FnOnce(&str) -> Result<Edit, String>,
) -> Shown {
    let name = field.name.to_string();
    let shown = draft_field(ui, panel, field, width, to_edit);
    name_widget(ui, &shown.response, &name);
    shown
}

/// The reason a draft is refused, in red (nothing when there is none).
pub fn problem_label(ui: &mut Ui, problem: Option<&str>) {
    if let Some(problem) = problem {
        ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
    }
}

fn draft_field(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    field: DraftField,
    width: Option<f32>,
    to_edit: impl FnOnce(&str) -> Result<Edit, String>,
) -> Shown {
    let memory = field.id.with("draft");
    let draft: Option<Draft> = if ui.memory(|m| m.has_focus(field.id)) {
        ui.data(|d| d.get_temp(memory))
    } else {
        // The field was left (or is drawn again after a while): the model's text.
        ui.data_mut(|d| d.remove_temp::<Draft>(memory));
        None
    };
    let (mut text, mut problem) = match draft {
        Some(d) => (d.text, d.problem),
        None => (field.value.to_string(), field.problem),
    };
    let mut edit = egui::TextEdit::singleline(&mut text).id(field.id);
    if problem.is_some() {
        edit = edit.text_color(ui.visuals().error_fg_color);
    }
    // A set size: inside a grid a text field would otherwise take the column's
    // width from the frame before.
    let width = width.unwrap_or_else(|| ui.available_width());
    let response = ui.add_sized(egui::vec2(width, ui.spacing().interact_size.y), edit);
    if response.changed() {
        let checked = to_edit(&text).and_then(|edit| match panel.model.check_edit(&edit) {
            Ok(()) => Ok(edit),
            Err(refused) => Err(refused.to_string()),
        });
        problem = match checked {
            Ok(edit) => {
                panel.actions.typing(edit);
                None
            }
            Err(reason) => Some(reason),
        };
        let draft = Draft {
            text: text.clone(),
            problem: problem.clone(),
        };
        ui.data_mut(|d| d.insert_temp(memory, draft));
    }
    if response.lost_focus() {
        ui.data_mut(|d| d.remove_temp::<Draft>(memory));
        panel.actions.seal = true;
    }
    let response = match &problem {
        Some(p) => response.on_hover_text(p),
        // A long text, or one wider than its field (a grid cell), shows whole on hover.
        None if text.len() > 24 || super::fit_width(ui, &text, 0.0) > width => {
            response.on_hover_text(&text)
        }
        None => response,
    };
    Shown { response, problem }
}
