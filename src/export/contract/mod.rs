//! The Modernizr workshop's migration contract, `migrationContract.json`: each
//! DynamoDB table with its keys and GSIs, the entities it holds with their key
//! templates, and for every attribute (key attributes included) the source
//! table and column it is migrated from, with its transformation or join.
//!
//! The export writes it from the model, the import reads it back; what the
//! model has no field for is kept in the model's optional `migration_contract`
//! block ([`crate::model::ContractLayout`]) and written back while its element
//! still matches, so that a contract round-trips field for field.

mod export;
mod import;
mod types;

pub use export::export;
pub use import::import;

use crate::model::{Entity, Segment, Source, Template, Transformation};

/// The file name the workshop's next stage reads.
pub const FILE_NAME: &str = "migrationContract.json";

/// The transformation kind whose `format` is a key template in source columns.
const STRING_FORMAT: &str = "string-format";

/// The contract's name for an entity: `USER`, `ORDER_ITEM` for `User`, `OrderItem`.
pub fn entity_type_of(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_uppercase() && i > 0 && !out.is_empty() && !out.ends_with('_') {
            let previous = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.extend(c.to_uppercase());
    }
    let trimmed = out.trim_end_matches('_');
    if trimmed.is_empty() {
        "ENTITY".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The model's name for a contract's entity type: `User`, `OrderItem` for
/// `USER`, `ORDER_ITEM` (so that [`entity_type_of`] gives the type back).
fn entity_name_of(entity_type: &str) -> String {
    let name: String = entity_type
        .split(|c: char| !c.is_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
            first.unwrap_or_default() + &chars.as_str().to_lowercase()
        })
        .collect();
    if name.is_empty() {
        "Entity".to_string()
    } else {
        name
    }
}

/// A single-entity table's entity is named after it: `Product` for `Products`.
fn singular(table: &str) -> String {
    if let Some(stem) = table.strip_suffix("ies") {
        format!("{stem}y")
    } else if table.ends_with("ss") || table.ends_with("us") {
        table.to_string()
    } else {
        table.strip_suffix('s').unwrap_or(table).to_string()
    }
}

/// The attribute of `entity` that is a plain copy of a source column.
fn column_attribute<'e>(entity: &'e Entity, column: &str) -> Option<&'e str> {
    entity
        .attributes
        .iter()
        .find(|a| {
            a.source.as_ref().is_some_and(|s| {
                s.column == column
                    && s.join.is_none()
                    && s.transformation.is_none()
                    && (entity.source_table.is_empty()
                        || s.table.is_empty()
                        || s.table == entity.source_table)
            })
        })
        .map(|a| a.name.as_str())
}

/// A template with each placeholder renamed by `rename` (kept when it gives
/// `None`); text that is not a template is returned as it is.
fn rename_placeholders(text: &str, rename: impl Fn(&str) -> Option<String>) -> String {
    let Ok(template) = Template::parse(text) else {
        return text.to_string();
    };
    let mut renamed = template.into_owned();
    for segment in &mut renamed.segments {
        if let Segment::Placeholder { attribute, .. } = segment
            && let Some(new) = rename(attribute)
        {
            *attribute = new.into();
        }
    }
    renamed.to_string()
}

/// A `string-format` over source columns (`ORDER#{created_at}#{id}`) as a key
/// template over the entity's attributes (`ORDER#{created_at}#{order_id}`).
fn to_attribute_terms(entity: &Entity, format: &str) -> String {
    rename_placeholders(format, |column| {
        column_attribute(entity, column).map(str::to_string)
    })
}

/// A key template over the entity's attributes as a `string-format` over
/// source columns.
fn to_column_terms(entity: &Entity, template: &str) -> String {
    rename_placeholders(template, |name| {
        entity
            .attribute(name)
            .and_then(|a| a.source.as_ref())
            .map(|s| s.column.clone())
            .filter(|c| !c.is_empty())
    })
}

fn string_format(source: &Source) -> Option<&str> {
    source
        .transformation
        .as_ref()
        .filter(|t| t.kind == STRING_FORMAT)
        .and_then(|t| t.format.as_deref())
}

fn is_single_placeholder(template: &str) -> bool {
    Template::parse(template).is_ok_and(|t| t.single_placeholder().is_some())
}

/// The key template a key attribute's source spells: its `string-format`, or
/// the attribute its column is copied into.
fn template_from_source(entity: &Entity, source: &Source) -> Option<String> {
    if let Some(format) = string_format(source) {
        return Some(to_attribute_terms(entity, format));
    }
    if source.column.is_empty() {
        return None;
    }
    let name = column_attribute(entity, &source.column).unwrap_or(&source.column);
    Some(format!("{{{name}}}"))
}

/// Whether a key attribute's source agrees with the template the entity writes
/// into it: a `string-format` that is the template, or a plain value under a
/// template that is one placeholder. (Another transformation is taken at its word.)
fn source_fits(entity: &Entity, source: &Source, template: &str) -> bool {
    match string_format(source) {
        Some(format) => format == template || to_attribute_terms(entity, format) == template,
        None => source.transformation.is_some() || is_single_placeholder(template),
    }
}

/// `source` made to agree with `template`: a `string-format` of the template in
/// source columns, or none for a template that is one placeholder.
fn refit(entity: &Entity, source: &Source, template: &str) -> Source {
    let mut fitted = source.clone();
    if is_single_placeholder(template) {
        fitted.transformation = None;
    } else {
        fitted.transformation = Some(Transformation {
            kind: STRING_FORMAT.to_string(),
            format: Some(to_column_terms(entity, template)),
            extra: source
                .transformation
                .as_ref()
                .map(|t| t.extra.clone())
                .unwrap_or_default(),
        });
    }
    fitted
}

#[cfg(test)]
mod tests;
