//! Where an entity's data comes from in the relational database it replaces:
//! the entity's source table, each attribute's source table, column and
//! format (a `string-format` transformation), its join in words, and the NOT
//! NULL / UNIQUE facts of its column. What the migration contract hands on.

use egui::{RichText, Ui};

use crate::model::{
    Attribute, AttributeChange, Edit, Entity, EntityChange, Source, Transformation, Uid,
};
use crate::ui::PanelCtx;
use crate::ui::widgets::draft::{DraftField, draft_cell, name_row, problem_label};
use crate::ui::widgets::{fit_width, name_widget};

/// How wide a source's summary may be before it is cut (hover shows it all).
const SUMMARY_WIDTH: f32 = 220.0;

/// The transformation kind a format alone makes.
const STRING_FORMAT: &str = "string-format";

/// The entity's source table, as a full-width field.
pub(super) fn source_table_row(ui: &mut Ui, panel: &mut PanelCtx, entity: &Entity) {
    let e = entity.uid.get();
    let field = DraftField::new(
        ("entity-source-table", e),
        "Source table",
        &entity.source_table,
    );
    name_row(ui, panel, field, |text| {
        Ok(Edit::Entity {
            entity: e,
            change: EntityChange::SourceTable(text.trim().to_string()),
        })
    });
}

/// Where `key`'s value comes from, under its template, when the entity says.
pub(super) fn key_source(ui: &mut Ui, entity: &Entity, key: &str) {
    if let Some(source) = entity.key_sources.get(key) {
        ui.label(RichText::new(format!("from {}", source.describe())).weak())
            .on_hover_text(details(source));
    }
}

/// One row per attribute: its source as `table.column`, the format that builds
/// the value, NOT NULL, UNIQUE and the join in short. Open at first when the
/// entity knows any source.
pub(super) fn show(ui: &mut Ui, panel: &mut PanelCtx, entity: &Entity) {
    let e = entity.uid.get();
    let known = !entity.source_table.is_empty()
        || !entity.key_sources.is_empty()
        || entity.attributes.iter().any(|a| a.source.is_some());
    let header = egui::CollapsingHeader::new(RichText::new("Sources").strong())
        .id_salt(("sources", e))
        .default_open(known)
        .show(ui, |ui| {
            source_table_row(ui, panel, entity);
            egui::Grid::new(("attribute-sources", e))
                .num_columns(6)
                .striped(true)
                .show(ui, |ui| {
                    for h in [
                        "Attribute",
                        "Table.column",
                        "Format",
                        "NOT NULL",
                        "UNIQUE",
                        "Join",
                    ] {
                        ui.label(RichText::new(h).weak());
                    }
                    ui.end_row();
                    for attr in &entity.attributes {
                        row(ui, panel, entity, attr);
                        ui.end_row();
                    }
                });
        });
    header.header_response.on_hover_text(
        "Where each attribute comes from in the relational database: users.email, and a format (USER#{id}) when the value is built from its row",
    );
}

fn change(entity: Uid, attribute: Uid, change: AttributeChange) -> Edit {
    Edit::Attribute {
        entity,
        attribute,
        change,
    }
}

fn row(ui: &mut Ui, panel: &mut PanelCtx, entity: &Entity, attr: &Attribute) {
    let (e, a) = (entity.uid.get(), attr.uid.get());
    let source = attr.source.as_ref();
    ui.label(&attr.name);
    let cell = |ui: &mut Ui,
                panel: &mut PanelCtx,
                what: &str,
                value: &str,
                min: f32,
                to_source: &dyn Fn(&str) -> Result<Option<Source>, String>| {
        ui.vertical(|ui| {
            let name = format!("Attribute {} {what}", attr.name);
            let field = DraftField::new(("attribute-source", what, a), &name, value);
            let width = fit_width(ui, value, min);
            let shown = draft_cell(ui, panel, field, Some(width), |text| {
                Ok(change(e, a, AttributeChange::Source(to_source(text)?)))
            });
            if let Some(s) = source {
                shown.response.on_hover_text(details(s));
            }
            problem_label(ui, shown.problem.as_deref());
        });
    };
    let place = source.map(place_text).unwrap_or_default();
    cell(ui, panel, "source", &place, 120.0, &|text| {
        with_place(source, text)
    });
    let format = source
        .and_then(|s| s.transformation.as_ref())
        .and_then(|t| t.format.as_deref())
        .unwrap_or_default();
    cell(ui, panel, "source format", format, 110.0, &|text| {
        with_format(source, text)
    });
    let mut not_null = attr.not_null;
    let r = ui.checkbox(&mut not_null, "");
    name_widget(ui, &r, &format!("Attribute {} NOT NULL", attr.name));
    if r.changed() {
        panel
            .actions
            .edit(change(e, a, AttributeChange::NotNull(not_null)));
    }
    let mut unique = attr.unique;
    let r = ui.checkbox(&mut unique, "");
    name_widget(ui, &r, &format!("Attribute {} UNIQUE", attr.name));
    if r.changed() {
        panel
            .actions
            .edit(change(e, a, AttributeChange::Unique(unique)));
    }
    // The join in short, cut to fit; all of the source on hover.
    ui.scope(|ui| {
        ui.set_max_width(SUMMARY_WIDTH);
        match source.and_then(|s| Some((s, s.join.as_ref()?))) {
            Some((s, join)) => {
                ui.add(egui::Label::new(RichText::new(join.describe()).weak()).truncate())
                    .on_hover_text(details(s));
            }
            None => {
                ui.label(RichText::new("—").weak());
            }
        }
    });
}

/// Everything a source says, one fact a line (the hover text of its fields).
fn details(source: &Source) -> String {
    let mut lines = vec![format!("table {}", source.table)];
    if !source.column.is_empty() {
        lines.push(format!("column {}", source.column));
    }
    if let Some(t) = &source.transformation {
        lines.push(format!("transformation {}", t.describe()));
    }
    if let Some(j) = &source.join {
        lines.push(format!("join {}", j.kind));
        if let Some(t) = &j.target_table {
            lines.push(format!("  target table {t}"));
        }
        if let Some(c) = &j.join_condition {
            lines.push(format!("  on {c}"));
        }
        if let Some(c) = &j.select_column {
            lines.push(format!("  selects {c}"));
        }
        for (key, value) in &j.extra {
            lines.push(format!("  {key}: {value}"));
        }
    }
    for (key, value) in &source.extra {
        lines.push(format!("{key}: {value}"));
    }
    lines.join("\n")
}

/// A source's table and column as one field shows them: `users.email`, or
/// `users` for a source with no column (a join).
fn place_text(source: &Source) -> String {
    if source.column.is_empty() {
        source.table.clone()
    } else {
        format!("{}.{}", source.table, source.column)
    }
}

/// The source with the table and column `text` names (`users.email`; no dot:
/// the table alone). Clearing the text clears a source that has no format or
/// join to lose.
fn with_place(source: Option<&Source>, text: &str) -> Result<Option<Source>, String> {
    let text = text.trim();
    if text.is_empty() {
        return match source {
            None => Ok(None),
            Some(s) if s.transformation.is_none() && s.join.is_none() && s.extra.is_empty() => {
                Ok(None)
            }
            Some(_) => Err("a source names its table; clear its format first".into()),
        };
    }
    let (table, column) = text.rsplit_once('.').unwrap_or((text, ""));
    if table.trim().is_empty() {
        return Err("write the source as table.column".into());
    }
    Ok(Some(Source {
        table: table.trim().to_string(),
        column: column.trim().to_string(),
        ..source.cloned().unwrap_or_default()
    }))
}

/// The source with a `string-format` transformation of `text`; other kinds of
/// transformation keep their kind and only change their format.
fn with_format(source: Option<&Source>, text: &str) -> Result<Option<Source>, String> {
    let Some(s) = source else {
        return if text.is_empty() {
            Ok(None)
        } else {
            Err("name the source table.column first".into())
        };
    };
    let mut s = s.clone();
    s.transformation = match (s.transformation.take(), text.is_empty()) {
        (Some(t), true) if t.kind == STRING_FORMAT && t.extra.is_empty() => None,
        (Some(t), true) => Some(Transformation { format: None, ..t }),
        (None, true) => None,
        (Some(t), false) => Some(Transformation {
            format: Some(text.to_string()),
            ..t
        }),
        (None, false) => Some(Transformation {
            kind: STRING_FORMAT.to_string(),
            format: Some(text.to_string()),
            ..Transformation::default()
        }),
    };
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Join;

    #[test]
    fn a_source_is_written_table_dot_column_and_a_format_makes_a_string_format() {
        let source = with_place(None, " users.email ").unwrap().unwrap();
        assert_eq!(source, Source::column("users", "email"));
        assert_eq!(place_text(&source), "users.email");
        assert!(with_place(None, ".email").is_err());
        let formatted = with_format(Some(&source), "USER#{email}").unwrap().unwrap();
        assert_eq!(
            formatted.describe(),
            "users.email as string-format `USER#{email}`"
        );
        assert_eq!(
            with_format(Some(&formatted), "").unwrap(),
            Some(source.clone())
        );
        assert!(with_format(None, "X").is_err());
        assert!(
            with_place(Some(&formatted), "").is_err(),
            "the format would be lost"
        );
        assert_eq!(with_place(Some(&source), ""), Ok(None));
    }

    #[test]
    fn a_join_keeps_through_a_new_table_and_shows_as_the_table_alone() {
        let joined = Source {
            table: "orders".into(),
            join: Some(Join {
                kind: "json-construction".into(),
                ..Join::default()
            }),
            ..Source::default()
        };
        assert_eq!(place_text(&joined), "orders");
        assert!(with_place(Some(&joined), "").is_err());
        let moved = with_place(Some(&joined), "shop.orders.id")
            .unwrap()
            .unwrap();
        assert_eq!(
            (moved.table.as_str(), moved.column.as_str()),
            ("shop.orders", "id")
        );
        assert_eq!(moved.join, joined.join, "the join is kept");
    }

    #[test]
    fn another_transformation_keeps_its_kind() {
        let source = Source {
            transformation: Some(Transformation {
                kind: "type-conversion".into(),
                ..Transformation::default()
            }),
            ..Source::column("orders", "total")
        };
        let changed = with_format(Some(&source), "{total}").unwrap().unwrap();
        let t = changed.transformation.unwrap();
        assert_eq!(
            (t.kind.as_str(), t.format.as_deref()),
            ("type-conversion", Some("{total}"))
        );
        let cleared = with_format(Some(&source), "").unwrap().unwrap();
        assert_eq!(cleared.transformation.unwrap().kind, "type-conversion");
    }
}
