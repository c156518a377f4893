//! An entity's attributes: name, type, size, distinct values and how sample
//! values are made (the generator and its main parameter).

use egui::{RichText, Ui};

use crate::model::{
    AttrType, Attribute, AttributeChange, Edit, Element, Entity, Generator, Model, TimestampFormat,
    Uid,
};
use crate::ui::PanelCtx;
use crate::ui::widgets::draft::{DraftField, draft_cell, problem_label};
use crate::ui::widgets::{fit_width, name_widget};

fn change(entity: Uid, attribute: Uid, change: AttributeChange) -> Edit {
    Edit::Attribute {
        entity,
        attribute,
        change,
    }
}

pub(super) fn show(ui: &mut Ui, panel: &mut PanelCtx, entity: &Entity) {
    let e = entity.uid.get();
    ui.horizontal(|ui| {
        ui.strong("Attributes");
        if ui.button("Add attribute").clicked()
            && let Some(attribute) = panel.model.new_attribute(e)
        {
            panel.actions.edit(Edit::AddAttribute {
                entity: e,
                attribute,
            });
        }
    });
    egui::Grid::new(("attributes", e))
        .num_columns(7)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "Name",
                "Type",
                "Size (B)",
                "Distinct values",
                "Sample values",
                "",
                "",
            ] {
                ui.label(RichText::new(h).weak());
            }
            ui.end_row();
            for attr in &entity.attributes {
                row(ui, panel, entity, attr);
                ui.end_row();
            }
        });
}

fn row(ui: &mut Ui, panel: &mut PanelCtx, entity: &Entity, attr: &Attribute) {
    let (e, a) = (entity.uid.get(), attr.uid.get());
    ui.vertical(|ui| {
        let name = format!("Attribute {} name", attr.name);
        let field = DraftField::new(("attribute-name", a), &name, &attr.name);
        let width = fit_width(ui, &attr.name, 140.0);
        let shown = draft_cell(ui, panel, field, Some(width), |name| {
            Ok(Edit::Rename {
                element: Element::Attribute {
                    entity: e,
                    attribute: a,
                },
                name: name.to_string(),
            })
        });
        problem_label(ui, shown.problem.as_deref());
    });
    let mut ty = attr.attr_type;
    let r = egui::ComboBox::from_id_salt(("attr-type", a))
        .selected_text(ty.as_str())
        .width(60.0)
        .show_ui(ui, |ui| {
            for t in AttrType::ALL {
                ui.selectable_value(&mut ty, t, t.as_str());
            }
        });
    name_widget(ui, &r.response, &format!("Attribute {} type", attr.name));
    if ty != attr.attr_type {
        panel.actions.edit(change(e, a, AttributeChange::Type(ty)));
    }
    let mut size = attr.value_size();
    let r = ui.add(crate::ui::widgets::grouped(
        egui::DragValue::new(&mut size).speed(1.0),
    ));
    name_widget(ui, &r, &format!("Attribute {} size", attr.name));
    if r.changed() {
        panel
            .actions
            .typing(change(e, a, AttributeChange::Size(Some(size))));
    }
    let mut distinct = attr.distinct_values.unwrap_or(entity.item_count);
    let r = ui.add(crate::ui::widgets::grouped(
        egui::DragValue::new(&mut distinct).speed(10.0),
    ));
    name_widget(ui, &r, &format!("Attribute {} distinct values", attr.name));
    if r.changed() {
        panel.actions.typing(change(
            e,
            a,
            AttributeChange::DistinctValues(Some(distinct)),
        ));
    }
    let kind = generator_kind(&attr.generator);
    let mut chosen = kind;
    let r = egui::ComboBox::from_id_salt(("attr-gen", a))
        .selected_text(kind)
        .width(100.0)
        .show_ui(ui, |ui| {
            for k in GENERATOR_KINDS {
                ui.selectable_value(&mut chosen, k, k);
            }
        });
    name_widget(
        ui,
        &r.response,
        &format!("Attribute {} sample values", attr.name),
    );
    if chosen != kind {
        let generator = generator_of_kind(chosen, panel.model, entity, attr);
        panel
            .actions
            .edit(change(e, a, AttributeChange::Generator(generator)));
    }
    generator_params(ui, panel, e, attr);
    if ui
        .small_button("✖")
        .on_hover_text(format!("Remove attribute {}", attr.name))
        .clicked()
    {
        panel.actions.edit(Edit::Remove(Element::Attribute {
            entity: e,
            attribute: a,
        }));
    }
}

fn generator_kind(g: &Option<Generator>) -> &'static str {
    match g {
        None => "none",
        Some(Generator::Uuid) => "uuid",
        Some(Generator::Sequence { .. }) => "sequence",
        Some(Generator::Email) => "email",
        Some(Generator::Username) => "username",
        Some(Generator::FirstName) => "first name",
        Some(Generator::LastName) => "last name",
        Some(Generator::FullName) => "full name",
        Some(Generator::Words { .. }) => "words",
        Some(Generator::Integer { .. }) => "integer",
        Some(Generator::Decimal { .. }) => "decimal",
        Some(Generator::Boolean { .. }) => "boolean",
        Some(Generator::Timestamp { .. }) => "timestamp",
        Some(Generator::Choice { .. }) => "choice",
        Some(Generator::Constant { .. }) => "constant",
        Some(Generator::Reference { .. }) => "reference",
        Some(Generator::Url { .. }) => "url",
    }
}

/// A generator of `kind` with starting parameters. A reference starts on an
/// attribute that exists (the model refuses one to nowhere): the first of
/// another entity, else the attribute itself.
fn generator_of_kind(
    kind: &str,
    model: &Model,
    entity: &Entity,
    attr: &Attribute,
) -> Option<Generator> {
    Some(match kind {
        "uuid" => Generator::Uuid,
        "sequence" => Generator::Sequence {
            prefix: String::new(),
            width: 6,
        },
        "email" => Generator::Email,
        "username" => Generator::Username,
        "first name" => Generator::FirstName,
        "last name" => Generator::LastName,
        "full name" => Generator::FullName,
        "words" => Generator::Words { min: 2, max: 6 },
        "integer" => Generator::Integer { min: 0, max: 100 },
        "decimal" => Generator::Decimal {
            min: 1.0,
            max: 100.0,
            scale: 2,
        },
        "boolean" => Generator::Boolean { true_ratio: 0.5 },
        "timestamp" => Generator::Timestamp {
            from: "2024-01-01".into(),
            to: "2025-12-31".into(),
            format: TimestampFormat::Iso8601,
        },
        "choice" => Generator::Choice {
            values: vec!["a".into(), "b".into()],
            weights: Vec::new(),
        },
        "constant" => Generator::Constant {
            value: String::new(),
        },
        "reference" => {
            let (entity, attribute) = model
                .entities
                .iter()
                .filter(|e| e.uid.get() != entity.uid.get())
                .find_map(|e| e.attributes.first().map(|a| (&e.name, &a.name)))
                .unwrap_or((&entity.name, &attr.name));
            Generator::Reference {
                entity: entity.clone(),
                attribute: attribute.clone(),
            }
        }
        "url" => Generator::Url {
            prefix: "https://example.com/".into(),
        },
        _ => return None,
    })
}

const GENERATOR_KINDS: [&str; 17] = [
    "none",
    "uuid",
    "sequence",
    "email",
    "username",
    "first name",
    "last name",
    "full name",
    "words",
    "integer",
    "decimal",
    "boolean",
    "timestamp",
    "choice",
    "constant",
    "reference",
    "url",
];

/// The main parameter of a generator, as text.
fn params_text(generator: &Generator) -> Option<String> {
    Some(match generator {
        Generator::Choice { values, .. } => values.join(", "),
        Generator::Constant { value } => value.clone(),
        Generator::Reference { entity, attribute } => format!("{entity}.{attribute}"),
        Generator::Integer { min, max } => format!("{min}..{max}"),
        Generator::Decimal { min, max, .. } => format!("{min}..{max}"),
        Generator::Words { min, max } => format!("{min}..{max}"),
        Generator::Sequence { prefix, .. } | Generator::Url { prefix } => prefix.clone(),
        Generator::Timestamp { from, to, .. } => format!("{from}..{to}"),
        _ => return None,
    })
}

/// `generator` with its main parameter read from `text`, or what to write instead.
fn with_params(generator: &Generator, text: &str) -> Result<Generator, String> {
    fn range<T: std::str::FromStr>(text: &str) -> Result<(T, T), String> {
        text.split_once("..")
            .and_then(|(x, y)| Some((x.trim().parse().ok()?, y.trim().parse().ok()?)))
            .ok_or_else(|| "write the range as min..max".to_string())
    }
    let mut g = generator.clone();
    match &mut g {
        Generator::Choice { values, weights } => {
            *values = text
                .split(',')
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            weights.clear();
        }
        Generator::Constant { value } => *value = text.to_string(),
        Generator::Reference { entity, attribute } => {
            let (en, at) = text
                .split_once('.')
                .ok_or_else(|| "write the attribute as Entity.attribute".to_string())?;
            *entity = en.trim().to_string();
            *attribute = at.trim().to_string();
        }
        Generator::Integer { min, max } => (*min, *max) = range(text)?,
        Generator::Decimal { min, max, .. } => (*min, *max) = range(text)?,
        Generator::Words { min, max } => (*min, *max) = range(text)?,
        Generator::Sequence { prefix, .. } | Generator::Url { prefix } => {
            *prefix = text.to_string()
        }
        Generator::Timestamp { from, to, .. } => {
            let (x, y) = text
                .split_once("..")
                .ok_or_else(|| "write the period as from..to".to_string())?;
            (*from, *to) = (x.trim().to_string(), y.trim().to_string());
        }
        _ => {}
    }
    Ok(g)
}

/// The main parameter of a generator, as one compact text field.
fn generator_params(ui: &mut Ui, panel: &mut PanelCtx, e: Uid, attr: &Attribute) {
    let Some((generator, text)) = attr
        .generator
        .as_ref()
        .and_then(|g| Some((g, params_text(g)?)))
    else {
        ui.label("");
        return;
    };
    let a = attr.uid.get();
    ui.vertical(|ui| {
        let name = format!("Attribute {} sample parameters", attr.name);
        let field = DraftField::new(("attribute-params", a), &name, &text);
        let width = fit_width(ui, &text, 150.0);
        let shown = draft_cell(ui, panel, field, Some(width), |text| {
            let generator = with_params(generator, text)?;
            Ok(change(e, a, AttributeChange::Generator(Some(generator))))
        });
        problem_label(ui, shown.problem.as_deref());
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_read_back_what_they_show() {
        let integer = Generator::Integer { min: 0, max: 100 };
        assert_eq!(
            with_params(&integer, "5 .. 50"),
            Ok(Generator::Integer { min: 5, max: 50 })
        );
        assert!(with_params(&integer, "5..").is_err());
        let reference = Generator::Reference {
            entity: "User".into(),
            attribute: "id".into(),
        };
        assert!(with_params(&reference, "Order").is_err());
        let choice = Generator::Choice {
            values: vec!["a".into()],
            weights: vec![1],
        };
        assert_eq!(
            params_text(&with_params(&choice, "x, y,").unwrap()).as_deref(),
            Some("x, y")
        );
    }
}
