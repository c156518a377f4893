//! The workshop's conventions: natural partition-key values without entity
//! prefixes, GSIs named GSI1, GSI2, …, and the tables and GSIs the design expects.

use super::{Input, finding};
use crate::analysis::findings::{Finding, Fix, Location, Severity};
use crate::analysis::fxhash::FxHashMap as HashMap;
use crate::model::template::segments_text;
use crate::model::{AttrValue, Edit, Element, EntityChange, IndexKind, Model, Table, Uid};

/// Rules that hold only in the workshop profile (single-table designs prefix keys by type).
pub fn check_workshop(input: &Input, out: &mut Vec<Finding>) {
    entity_prefixes(input, out);
    let model = input.ctx.model;
    for table in &model.tables {
        let renames = gsi_renames(model, table);
        for gsi in &table.gsis {
            let Some((_, new, expected)) = renames.iter().find(|(uid, ..)| *uid == gsi.uid.get())
            else {
                continue;
            };
            let message = if *expected {
                format!(
                    "GSI `{}` of table {} is not named GSI<n>; the design expects a {new} on {}, and it has none",
                    gsi.name, table.name, table.name
                )
            } else {
                format!(
                    "GSI `{}` of table {} is not named GSI<n>",
                    gsi.name, table.name
                )
            };
            let fix = Fix {
                label: format!("Rename {}/{} to {new}", table.name, gsi.name),
                changes: vec![format!(
                    "index {}/{} is renamed {new}",
                    table.name, gsi.name
                )],
                edit: Edit::Rename {
                    element: Element::Index {
                        table: table.uid.get(),
                        index: gsi.uid.get(),
                    },
                    name: new.clone(),
                },
                safe: true,
            };
            out.push(
                finding(
                    "conventions.gsi-naming",
                    Severity::Error,
                    Location::index(&table.name, &gsi.name),
                    message,
                    format!("rename it {new}"),
                )
                .with_fix(fix),
            );
        }
        let mut numbers: Vec<u32> = table
            .gsis
            .iter()
            .filter_map(|g| gsi_number(&g.name))
            .collect();
        numbers.sort_unstable();
        let missing: Vec<String> = (1..=numbers.last().copied().unwrap_or(0))
            .filter(|n| !numbers.contains(n))
            .map(|n| format!("GSI{n}"))
            .collect();
        if !missing.is_empty() {
            out.push(finding(
                "conventions.gsi-naming",
                Severity::Error,
                Location::table(&table.name),
                format!(
                    "the GSIs of table {} skip {}",
                    table.name,
                    missing.join(", ")
                ),
                "number GSIs GSI1, GSI2, … without gaps",
            ));
        }
    }
}

/// The GSIs of `table` not named `GSI<n>`, each with the name it should take
/// (identity, name, whether the conventions expect that name): first the names
/// the conventions expect and the table lacks, in their order, then the lowest
/// free numbers. One mistake, one finding: a GSI that takes an expected name
/// answers the expected-GSI finding too.
pub(super) fn gsi_renames(model: &Model, table: &Table) -> Vec<(Uid, String, bool)> {
    let misnamed: Vec<&crate::model::Gsi> = table
        .gsis
        .iter()
        .filter(|g| gsi_number(&g.name).is_none())
        .collect();
    if misnamed.is_empty() {
        return Vec::new();
    }
    let taken = |name: &str| {
        table.gsis.iter().any(|g| g.name == name) || table.lsis.iter().any(|l| l.name == name)
    };
    let expected: Vec<&String> = model
        .conventions
        .iter()
        .flat_map(|c| &c.expected_tables)
        .filter(|t| t.name == table.name)
        .flat_map(|t| &t.gsis)
        .filter(|name| gsi_number(name).is_some() && !taken(name))
        .collect();
    let mut names = expected.iter().map(|n| (n.to_string(), true)).chain(
        (1..)
            .map(|n| format!("GSI{n}"))
            .filter(|n| !taken(n) && !expected.contains(&n))
            .map(|n| (n, false)),
    );
    misnamed
        .into_iter()
        .filter_map(|g| names.next().map(|(name, exp)| (g.uid.get(), name, exp)))
        .collect()
}

/// Entity prefixes on partition-key values. The fix drops the prefix from every
/// template of the table that writes the same prefix into the same key (an item
/// collection stays together) and from the entities' example items.
fn entity_prefixes(input: &Input, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    // (entity, key attribute, prefix, template without it), in model order.
    let mut hits: Vec<(usize, &str, &str, String)> = Vec::new();
    // The key attributes already looked at, one entity at a time (one buffer for all).
    let mut seen: Vec<&str> = Vec::new();
    for (e, info) in ctx.entities.iter().enumerate() {
        seen.clear();
        let Some(t) = info.table else { continue };
        for view in &ctx.tables[t].indexes {
            if view.kind == IndexKind::Lsi {
                continue;
            }
            for key in &view.partition_key {
                if seen.contains(&key.name.as_str()) {
                    continue;
                }
                seen.push(&key.name);
                let Some(tpl) = ctx.template(e, &key.name) else {
                    continue;
                };
                let prefix = tpl.leading_literal();
                if prefix.is_empty() || tpl.is_constant() {
                    continue;
                }
                let bare = segments_text(&tpl.segments[1..]);
                hits.push((e, &key.name, prefix, bare));
            }
        }
    }
    // Hits that share table, key and prefix, by their first hit.
    let mut groups: HashMap<(usize, &str, &str), Vec<usize>> = HashMap::default();
    for (i, (e, key, prefix, _)) in hits.iter().enumerate() {
        let t = ctx.entities[*e].table.unwrap_or(usize::MAX);
        groups.entry((t, key, prefix)).or_default().push(i);
    }
    for (e, key, prefix, bare) in &hits {
        let info = &ctx.entities[*e];
        let t = info.table.unwrap_or(usize::MAX);
        let group = &groups[&(t, *key, *prefix)];
        let fix = drop_prefix_fix(ctx, &hits, group, key, prefix);
        let text = info.entity.key_template(key).unwrap_or_default();
        out.push(
            finding(
                "conventions.entity-prefix",
                Severity::Error,
                Location::template(&info.entity.name, *key),
                format!(
                    "{}[{}] = `{text}` puts the entity prefix `{prefix}` on partition-key values",
                    info.entity.name, key
                ),
                format!("write `{bare}`: the table already says what the item is"),
            )
            .with_fix(fix),
        );
    }
}

fn drop_prefix_fix(
    ctx: &crate::analysis::context::Context,
    hits: &[(usize, &str, &str, String)],
    group: &[usize],
    key: &str,
    prefix: &str,
) -> Fix {
    let mut edits = Vec::new();
    let mut changes = Vec::new();
    let mut names = Vec::new();
    for &i in group {
        let (e, _, _, bare) = &hits[i];
        let entity = ctx.entities[*e].entity;
        let text = entity.key_template(key).unwrap_or_default();
        changes.push(format!("{}[{key}]: `{text}` becomes `{bare}`", entity.name));
        names.push(format!("{}[{key}]", entity.name));
        edits.push(Edit::SetTemplate {
            entity: entity.uid.get(),
            key: key.to_string(),
            template: Some(bare.clone()),
        });
        let mut stripped = 0;
        let items: Vec<crate::model::Item> = entity
            .example_items
            .iter()
            .map(|item| {
                let mut item = item.clone();
                if let Some(AttrValue::S(value)) = item.get_mut(key)
                    && let Some(rest) = value.strip_prefix(prefix)
                {
                    *value = rest.to_string();
                    stripped += 1;
                }
                item
            })
            .collect();
        if stripped > 0 {
            changes.push(format!(
                "{}: {stripped} example item(s) lose the prefix in {key}",
                entity.name
            ));
            edits.push(Edit::Entity {
                entity: entity.uid.get(),
                change: EntityChange::ExampleItems(items),
            });
        }
    }
    Fix {
        label: format!("Drop the prefix `{prefix}` from {}", names.join(", ")),
        changes,
        edit: Edit::Batch {
            label: format!("Drop the prefix `{prefix}` from {key}"),
            edits,
        },
        safe: true,
    }
}

fn gsi_number(name: &str) -> Option<u32> {
    let digits = name.strip_prefix("GSI")?;
    if digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// The conventions block: tables and GSI names a finished design must have.
pub fn check_expected(input: &Input, out: &mut Vec<Finding>) {
    let model = input.ctx.model;
    let Some(conventions) = &model.conventions else {
        return;
    };
    let workshop = model.profile == crate::model::Profile::Workshop;
    for expected in &conventions.expected_tables {
        let Some(table) = model.table(&expected.name) else {
            out.push(finding(
                "conventions.expected-table",
                Severity::Error,
                Location::Model,
                format!(
                    "the design expects a table {}, and the model has none",
                    expected.name
                ),
                format!(
                    "add table {} (or rename the table that plays its part)",
                    expected.name
                ),
            ));
            continue;
        };
        // A misnamed GSI that takes an expected name says so in its own finding.
        let renames = if workshop {
            gsi_renames(model, table)
        } else {
            Vec::new()
        };
        for gsi in &expected.gsis {
            if table.gsi(gsi).is_none() && !renames.iter().any(|(_, name, _)| name == gsi) {
                out.push(finding(
                    "conventions.expected-gsi",
                    Severity::Error,
                    Location::table(&table.name),
                    format!(
                        "the design expects GSI {gsi} on table {}, and it has none",
                        table.name
                    ),
                    format!(
                        "add {gsi} to {}, or rename the GSI that plays its part",
                        table.name
                    ),
                ));
            }
        }
    }
}
