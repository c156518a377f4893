//! The sizes dynamodel reads, stated once. Every model that comes from a file —
//! a model file or any import — is held to them before anything works on it,
//! and what is past one is refused with the field that is. DynamoDB's own
//! limits are far below these (20 GSIs and 5 LSIs a table, 255-character table
//! names, 2 KB partition keys): those are design findings, reported by the
//! checks; these bounds only keep a damaged or hostile file from making the
//! program slow or hungry.

use super::Model;

/// The bounds, with the name each is reported under.
pub const MAX_TABLES: usize = 10_000;
pub const MAX_INDEXES_PER_TABLE: usize = 1_000;
pub const MAX_ENTITIES: usize = 100_000;
pub const MAX_ATTRIBUTES_PER_ENTITY: usize = 10_000;
pub const MAX_PATTERNS: usize = 100_000;
/// Example items kept in the model, all entities together.
pub const MAX_EXAMPLE_ITEMS: usize = 1_000_000;
/// A name of a table, index, entity, attribute, key attribute or pattern, in bytes.
pub const MAX_NAME_BYTES: usize = 1_024;
/// A key template, in bytes (DynamoDB keys are at most 2 KB; a longer template is
/// still read, and the checks say why it cannot work).
pub const MAX_TEMPLATE_BYTES: usize = 65_536;

/// What is past a bound: the field (`tables[3].gsis`) and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field `{field}`: {message}")]
pub struct OutOfBounds {
    pub field: String,
    pub message: String,
}

fn count(field: String, what: &str, n: usize, max: usize) -> Result<(), OutOfBounds> {
    if n > max {
        return Err(OutOfBounds {
            field,
            message: format!("{n} {what}, more than the {max} dynamodel reads"),
        });
    }
    Ok(())
}

fn name(field: String, text: &str) -> Result<(), OutOfBounds> {
    if text.len() > MAX_NAME_BYTES {
        return Err(OutOfBounds {
            field,
            message: format!(
                "a name of {} bytes, longer than the {MAX_NAME_BYTES} dynamodel reads",
                text.len()
            ),
        });
    }
    Ok(())
}

/// Checks `model` against every bound; the first one past is the error.
pub fn check(model: &Model) -> Result<(), OutOfBounds> {
    count("tables".into(), "tables", model.tables.len(), MAX_TABLES)?;
    count(
        "entities".into(),
        "entities",
        model.entities.len(),
        MAX_ENTITIES,
    )?;
    count(
        "access_patterns".into(),
        "access patterns",
        model.access_patterns.len(),
        MAX_PATTERNS,
    )?;
    for (t, table) in model.tables.iter().enumerate() {
        name(format!("tables[{t}].name"), &table.name)?;
        count(
            format!("tables[{t}].gsis"),
            "GSIs",
            table.gsis.len(),
            MAX_INDEXES_PER_TABLE,
        )?;
        count(
            format!("tables[{t}].lsis"),
            "LSIs",
            table.lsis.len(),
            MAX_INDEXES_PER_TABLE,
        )?;
        for (i, g) in table.gsis.iter().enumerate() {
            name(format!("tables[{t}].gsis[{i}].name"), &g.name)?;
        }
        for (i, l) in table.lsis.iter().enumerate() {
            name(format!("tables[{t}].lsis[{i}].name"), &l.name)?;
        }
    }
    let mut items = 0usize;
    for (e, entity) in model.entities.iter().enumerate() {
        name(format!("entities[{e}].name"), &entity.name)?;
        count(
            format!("entities[{e}].attributes"),
            "attributes",
            entity.attributes.len(),
            MAX_ATTRIBUTES_PER_ENTITY,
        )?;
        for (a, attribute) in entity.attributes.iter().enumerate() {
            name(
                format!("entities[{e}].attributes[{a}].name"),
                &attribute.name,
            )?;
        }
        for (key, template) in &entity.keys {
            name(format!("entities[{e}].keys"), key)?;
            if template.len() > MAX_TEMPLATE_BYTES {
                return Err(OutOfBounds {
                    field: format!("entities[{e}].keys.{key}"),
                    message: format!(
                        "a template of {} bytes, longer than the {MAX_TEMPLATE_BYTES} dynamodel reads",
                        template.len()
                    ),
                });
            }
        }
        items += entity.example_items.len();
        count(
            format!("entities[{e}].example_items"),
            "example items in the model",
            items,
            MAX_EXAMPLE_ITEMS,
        )?;
    }
    for (p, pattern) in model.access_patterns.iter().enumerate() {
        name(format!("access_patterns[{p}].id"), &pattern.id)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gsi, KeyAttribute, Projection, samples};

    #[test]
    fn each_bound_names_its_field() {
        let shop = samples::sample("ecommerce").unwrap().load().unwrap();
        assert_eq!(check(&shop), Ok(()));
        let mut many = shop.clone();
        let gsi = Gsi {
            uid: Default::default(),
            name: "G".into(),
            partition_key: vec![KeyAttribute::string("x")],
            sort_key: Vec::new(),
            projection: Projection::All,
            provisioned: None,
        };
        many.tables[1].gsis = vec![gsi; MAX_INDEXES_PER_TABLE + 1];
        let err = check(&many).unwrap_err();
        assert_eq!(err.field, "tables[1].gsis");
        assert_eq!(
            err.to_string(),
            "field `tables[1].gsis`: 1001 GSIs, more than the 1000 dynamodel reads"
        );
        let mut long = shop.clone();
        long.entities[2]
            .keys
            .insert("PK".into(), "x".repeat(MAX_TEMPLATE_BYTES + 1));
        assert_eq!(check(&long).unwrap_err().field, "entities[2].keys.PK");
        let mut named = shop;
        named.access_patterns[4].id = "A".repeat(MAX_NAME_BYTES + 1);
        assert_eq!(check(&named).unwrap_err().field, "access_patterns[4].id");
    }
}
