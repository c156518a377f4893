//! DynamoDB's hard limits: names, index counts, projections, key types and sizes.

use super::{Input, finding, thousands};
use crate::analysis::findings::{Finding, Location, Severity};
use crate::model::{AttrType, KeyType, Projection};

const MAX_GSIS: usize = 20;
const MAX_LSIS: usize = 5;
const MAX_PROJECTED: usize = 100;
const MAX_ITEM: f64 = 400.0 * 1024.0;
const WARN_ITEM: f64 = 100.0 * 1024.0;
const MAX_PK: f64 = 2048.0;
const MAX_SK: f64 = 1024.0;
const MAX_KEY_ATTRS: usize = 4;
/// Bytes of an attribute name (a key attribute's name: 255, checked with the keys).
const MAX_ATTRIBUTE_NAME: usize = 65_535;

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    for (t, table) in ctx.model.tables.iter().enumerate() {
        let shared = &ctx.tables[t].name;
        name(&table.name, || Location::table(shared), "table", out);
        for gsi in &table.gsis {
            let loc = || Location::index(shared, &gsi.name);
            name(&gsi.name, loc, "index", out);
            for (part, attrs, min) in [
                ("partition", &gsi.partition_key, 1),
                ("sort", &gsi.sort_key, 0),
            ] {
                if attrs.len() > MAX_KEY_ATTRS || attrs.len() < min {
                    out.push(finding(
                        "limits.multi-attribute-key",
                        Severity::Error,
                        loc(),
                        format!(
                            "GSI {} has {} {part}-key attributes; DynamoDB allows {min} to {MAX_KEY_ATTRS}",
                            gsi.name,
                            attrs.len()
                        ),
                        "combine attributes into one key template, or drop some",
                    ));
                }
            }
        }
        for lsi in &table.lsis {
            let loc = || Location::index(shared, &lsi.name);
            name(&lsi.name, loc, "index", out);
            if table.sort_key.is_none() {
                out.push(finding(
                    "limits.lsi-without-sort-key",
                    Severity::Error,
                    loc(),
                    format!(
                        "LSI {} is on table {}, which has no sort key",
                        lsi.name, table.name
                    ),
                    "give the table a sort key, or make the index a GSI",
                ));
            }
        }
        if table.gsis.len() > MAX_GSIS {
            out.push(finding(
                "limits.gsi-count",
                Severity::Error,
                Location::table(&table.name),
                format!("table {} has {} GSIs; DynamoDB allows {MAX_GSIS}", table.name, table.gsis.len()),
                "overload GSIs: let several entities share one index through generic key attributes",
            ));
        }
        if table.lsis.len() > MAX_LSIS {
            out.push(finding(
                "limits.lsi-count",
                Severity::Error,
                Location::table(&table.name),
                format!(
                    "table {} has {} LSIs; DynamoDB allows {MAX_LSIS}",
                    table.name,
                    table.lsis.len()
                ),
                "turn some LSIs into GSIs",
            ));
        }
        let projected: usize = table
            .gsis
            .iter()
            .map(|g| &g.projection)
            .chain(table.lsis.iter().map(|l| &l.projection))
            .map(|p| match p {
                Projection::Include { attributes } => attributes.len(),
                _ => 0,
            })
            .sum();
        if projected > MAX_PROJECTED {
            out.push(finding(
                "limits.projected-attributes",
                Severity::Error,
                Location::table(&table.name),
                format!(
                    "the indexes of table {} project {projected} INCLUDE attributes; DynamoDB allows {MAX_PROJECTED} per table",
                    table.name
                ),
                "project ALL on the widest index, or fewer attributes",
            ));
        }
        // One attribute name, two types, among this table's key schemas.
        // The table's key names, each once (`key_names`), and the types each is given.
        let key_names = &ctx.tables[t].key_names;
        let mut types: Vec<Vec<KeyType>> = vec![Vec::new(); key_names.len()];
        for view in &ctx.tables[t].indexes {
            for k in view.key_attributes() {
                if let Some(at) = key_names.iter().position(|n| *n == k.name)
                    && !types[at].contains(&k.key_type)
                {
                    types[at].push(k.key_type);
                }
            }
        }
        let mut conflicts: Vec<(&str, &Vec<KeyType>)> = key_names
            .iter()
            .copied()
            .zip(&types)
            .filter(|(_, kinds)| kinds.len() > 1)
            .collect();
        // Reported in name order.
        conflicts.sort_unstable_by_key(|(name, _)| *name);
        for (attr, kinds) in conflicts {
            out.push(finding(
                "limits.key-type-conflict",
                Severity::Error,
                Location::table(&table.name),
                format!(
                    "key attribute {attr} of table {} is declared as {}",
                    table.name,
                    kinds
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(" and ")
                ),
                "DynamoDB defines each attribute once per table: give it one type",
            ));
        }
    }

    // The key attributes already looked at, one entity at a time (one buffer for all).
    let mut checked: Vec<&str> = Vec::new();
    for (e, info) in ctx.entities.iter().enumerate() {
        checked.clear();
        let entity = info.entity;
        for a in &entity.attributes {
            if a.name.is_empty() || a.name.len() > MAX_ATTRIBUTE_NAME {
                out.push(finding(
                    "limits.attribute-name",
                    Severity::Error,
                    Location::attribute(&info.name, a.name.as_str()),
                    format!(
                        "{} has an attribute name of {} bytes; DynamoDB takes 1 to {MAX_ATTRIBUTE_NAME}",
                        entity.name,
                        a.name.len()
                    ),
                    "give the attribute a name",
                ));
            }
        }
        if info.item_size > MAX_ITEM {
            out.push(item_size(entity, info.item_size, Severity::Error));
        } else if info.item_size > WARN_ITEM {
            out.push(item_size(entity, info.item_size, Severity::Warning));
        }
        let Some(t) = info.table else { continue };
        let table = &ctx.model.tables[t];
        for view in &ctx.tables[t].indexes {
            for (is_pk, key) in view
                .partition_key
                .iter()
                .map(|k| (true, *k))
                .chain(view.sort_key.iter().map(|k| (false, *k)))
            {
                if checked.contains(&key.name.as_str()) {
                    continue;
                }
                checked.push(&key.name);
                let Some(tpl) = ctx.template(e, &key.name) else {
                    continue;
                };
                let loc = || Location::template(&info.name, ctx.key_name(t, &key.name));
                if let Some(attr) = tpl.single_placeholder().and_then(|a| entity.attribute(a))
                    && !attr.attr_type.is_scalar_key_type()
                {
                    out.push(finding(
                        "limits.key-type",
                        Severity::Error,
                        loc(),
                        format!(
                            "{}.{} is {}, but key attribute {} must be S, N or B",
                            entity.name,
                            attr.name,
                            attr.attr_type.as_str(),
                            key.name
                        ),
                        "key on a scalar attribute, or write the value into a string template",
                    ));
                }
                if key.key_type == KeyType::N {
                    let numeric = tpl.single_placeholder().is_some_and(|a| {
                        entity
                            .attribute(a)
                            .is_none_or(|at| at.attr_type == AttrType::N)
                    }) || (tpl.is_constant()
                        && tpl.leading_literal().parse::<f64>().is_ok());
                    if !numeric {
                        out.push(finding(
                            "limits.key-type",
                            Severity::Error,
                            loc(),
                            format!(
                                "{} is a number key of table {}, but {} writes `{tpl}` into it",
                                key.name, table.name, entity.name
                            ),
                            "make the key attribute S, or write a single numeric attribute",
                        ));
                    }
                }
                let size = info.templates.value_size(&key.name);
                let (limit, what) = if is_pk {
                    (MAX_PK, "partition")
                } else {
                    (MAX_SK, "sort")
                };
                if size > limit {
                    out.push(finding(
                        "limits.key-size",
                        Severity::Error,
                        loc(),
                        format!(
                            "{}[{}] = `{tpl}` is about {} bytes; a {what} key value may have {} bytes",
                            entity.name,
                            key.name,
                            thousands(size),
                            thousands(limit)
                        ),
                        "key on a shorter value, e.g. an id instead of a name or description",
                    ));
                }
            }
        }
    }
}

fn name(name: &str, loc: impl FnOnce() -> Location, what: &str, out: &mut Vec<Finding>) {
    let valid_chars = name
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'));
    // Valid names are ASCII: their length in characters is their length in bytes.
    let len = if valid_chars {
        name.len()
    } else {
        name.chars().count()
    };
    if (3..=255).contains(&len) && valid_chars {
        return;
    }
    let why = if valid_chars {
        format!("it has {len} characters")
    } else {
        "it has characters other than A-Z a-z 0-9 _ . -".to_string()
    };
    out.push(finding(
        "limits.name",
        Severity::Error,
        loc(),
        format!("{what} name `{name}` is not valid: {why}"),
        "names have 3-255 characters of A-Z a-z 0-9 _ . -",
    ));
}

fn item_size(entity: &crate::model::Entity, size: f64, severity: Severity) -> Finding {
    let kb = size / 1024.0;
    let (msg, hint) = if severity == Severity::Error {
        (
            format!(
                "{} items are about {kb:.0} KB; DynamoDB's limit is 400 KB",
                entity.name
            ),
            "move large attributes to S3 and keep their URL, or split the item",
        )
    } else {
        (
            format!(
                "{} items are about {kb:.0} KB: every read and write of one costs {:.0}+ units",
                entity.name,
                kb / 4.0
            ),
            "split rarely read attributes into a separate item, or compress them",
        )
    };
    finding(
        "limits.item-size",
        severity,
        Location::entity(&entity.name),
        msg,
        hint,
    )
}
