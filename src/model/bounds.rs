//! The sizes dynamodel reads, stated once. Every model that comes from a file —
//! a model file or any import — is held to them before anything works on it,
//! and what is past one is refused with the field that is. DynamoDB's own
//! limits are far below these (20 GSIs and 5 LSIs a table, 255-character table
//! names, 2 KB partition keys): those are design findings, reported by the
//! checks; these bounds only keep a damaged or hostile file from making the
//! program slow or hungry.
//!
//! The model's shape is also held here, as edits hold it: a table, an index, a
//! key attribute, a time-to-live attribute and a pattern id are not empty; no
//! two tables, no two indexes of one table and no two patterns share one; a
//! GSI has 1 to 4 partition key and at most 4 sort key attributes, none twice;
//! a table with LSIs has a sort key. Edits never make such a model (they refuse
//! the change); a file that holds one is refused naming the element, as its
//! exports would name two elements alike, leave a name out or describe a key
//! DynamoDB cannot have, and no importer could read them back.

use std::collections::HashMap;

use super::{KeyAttribute, Model};

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

fn named(field: String, what: &str, text: &str) -> Result<(), OutOfBounds> {
    if text.trim().is_empty() {
        return Err(OutOfBounds {
            field,
            message: format!("{what} without a name"),
        });
    }
    name(field, text)
}

/// Records `text` in `seen`; a second one is an error naming both places.
fn once<'a>(
    seen: &mut HashMap<&'a str, String>,
    field: String,
    what: &str,
    text: &'a str,
) -> Result<(), OutOfBounds> {
    match seen.get(text) {
        Some(first) => Err(OutOfBounds {
            message: format!("a second {what} named `{text}` (the first is `{first}`)"),
            field,
        }),
        None => {
            seen.insert(text, field);
            Ok(())
        }
    }
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
    let mut tables = HashMap::new();
    for (t, table) in model.tables.iter().enumerate() {
        let field = format!("tables[{t}].name");
        named(field.clone(), "a table", &table.name)?;
        once(&mut tables, field, "table", &table.name)?;
        key(format!("tables[{t}].partition_key"), &table.partition_key)?;
        if let Some(sk) = &table.sort_key {
            key(format!("tables[{t}].sort_key"), sk)?;
        }
        if let Some(ttl) = &table.ttl {
            named(
                format!("tables[{t}].ttl.attribute"),
                "a time to live",
                &ttl.attribute,
            )?;
        }
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
        let mut indexes = HashMap::new();
        for (i, g) in table.gsis.iter().enumerate() {
            let field = format!("tables[{t}].gsis[{i}].name");
            named(field.clone(), "a GSI", &g.name)?;
            once(&mut indexes, field, "index", &g.name)?;
            let at = format!("tables[{t}].gsis[{i}]");
            if !(1..=4).contains(&g.partition_key.len()) {
                return Err(OutOfBounds {
                    field: format!("{at}.partition_key"),
                    message: format!(
                        "a GSI has 1 to 4 partition key attributes, not {}",
                        g.partition_key.len()
                    ),
                });
            }
            if g.sort_key.len() > 4 {
                return Err(OutOfBounds {
                    field: format!("{at}.sort_key"),
                    message: format!(
                        "a GSI has at most 4 sort key attributes, not {}",
                        g.sort_key.len()
                    ),
                });
            }
            let mut own = HashMap::new();
            for (part, keys) in [
                ("partition_key", &g.partition_key),
                ("sort_key", &g.sort_key),
            ] {
                for (k, attribute) in keys.iter().enumerate() {
                    let field = format!("{at}.{part}[{k}]");
                    key(field.clone(), attribute)?;
                    once(&mut own, field, "key attribute", &attribute.name)?;
                }
            }
        }
        if !table.lsis.is_empty() && table.sort_key.is_none() {
            return Err(OutOfBounds {
                field: format!("tables[{t}].sort_key"),
                message: "a table with local secondary indexes needs a sort key".into(),
            });
        }
        for (i, l) in table.lsis.iter().enumerate() {
            let field = format!("tables[{t}].lsis[{i}].name");
            named(field.clone(), "an LSI", &l.name)?;
            once(&mut indexes, field, "index", &l.name)?;
            key(format!("tables[{t}].lsis[{i}].sort_key"), &l.sort_key)?;
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
    let mut patterns = HashMap::new();
    for (p, pattern) in model.access_patterns.iter().enumerate() {
        let field = format!("access_patterns[{p}].id");
        named(field.clone(), "an access pattern", &pattern.id)?;
        once(&mut patterns, field, "access pattern", &pattern.id)?;
    }
    Ok(())
}

fn key(field: String, attribute: &KeyAttribute) -> Result<(), OutOfBounds> {
    named(format!("{field}.name"), "a key attribute", &attribute.name)
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

    /// What the bounds say of the workshop model after `change`.
    fn refused(change: &dyn Fn(&mut Model)) -> String {
        let mut model = samples::sample("ecommerce").unwrap().load().unwrap();
        change(&mut model);
        check(&model).unwrap_err().to_string()
    }

    #[test]
    fn names_the_model_refers_by_are_present_and_once() {
        assert_eq!(
            refused(&|m| m.tables[1].gsis[0].name = String::new()),
            "field `tables[1].gsis[0].name`: a GSI without a name"
        );
        assert_eq!(
            refused(&|m| m.tables[0].partition_key.name = " ".into()),
            "field `tables[0].partition_key.name`: a key attribute without a name"
        );
        assert_eq!(
            refused(&|m| m.tables[1].gsis[1].sort_key[0].name = String::new()),
            "field `tables[1].gsis[1].sort_key[0].name`: a key attribute without a name"
        );
        assert_eq!(
            refused(&|m| m.tables[2].name = m.tables[0].name.clone()),
            "field `tables[2].name`: a second table named `Users` (the first is `tables[0].name`)"
        );
        assert_eq!(
            refused(&|m| m.tables[1].gsis[1].name = "GSI1".into()),
            "field `tables[1].gsis[1].name`: a second index named `GSI1` (the first is `tables[1].gsis[0].name`)"
        );
        assert_eq!(
            refused(&|m| m.access_patterns[7].id = m.access_patterns[2].id.clone()),
            "field `access_patterns[7].id`: a second access pattern named `AP3` (the first is `access_patterns[2].id`)"
        );
        assert_eq!(
            refused(&|m| m.access_patterns[0].id = String::new()),
            "field `access_patterns[0].id`: an access pattern without a name"
        );
    }

    #[test]
    fn gsi_keys_and_lsis_have_the_shape_edits_keep() {
        assert_eq!(
            refused(&|m| m.tables[1].gsis[0].partition_key.clear()),
            "field `tables[1].gsis[0].partition_key`: a GSI has 1 to 4 partition key attributes, not 0"
        );
        assert_eq!(
            refused(&|m| {
                let k = m.tables[1].gsis[0].sort_key[0].clone();
                m.tables[1].gsis[0].sort_key = vec![k; 5];
            }),
            "field `tables[1].gsis[0].sort_key`: a GSI has at most 4 sort key attributes, not 5"
        );
        assert_eq!(
            refused(&|m| {
                let k = m.tables[1].gsis[0].partition_key[0].clone();
                m.tables[1].gsis[0].sort_key = vec![k];
            }),
            "field `tables[1].gsis[0].sort_key[0]`: a second key attribute named `GSI1PK` (the first is `tables[1].gsis[0].partition_key[0]`)"
        );
        assert_eq!(
            refused(&|m| {
                m.tables[0].sort_key = None;
                m.tables[0].lsis.push(crate::model::Lsi {
                    uid: Default::default(),
                    name: "ByDate".into(),
                    sort_key: KeyAttribute::string("created_at"),
                    projection: Projection::All,
                });
            }),
            "field `tables[0].sort_key`: a table with local secondary indexes needs a sort key"
        );
    }
}
