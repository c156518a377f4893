//! The sample items under each table's heading: grouped by partition, in
//! sort-key order, the primary key first and repeated in every table when the
//! attributes are split across several narrow ones.

use std::collections::BTreeSet;

use super::{Doc, Input, cell, code, count, plural};
use crate::analysis::sample_items::index::compare_keys;
use crate::model::{AttrValue, Item, KeyAttribute};

/// Sample rows per table: about ten, at most five per entity, at least one.
const ROWS_PER_TABLE: usize = 10;
const MAX_ROWS_PER_ENTITY: usize = 5;
/// Columns per markdown table, the primary key included: wider tables scroll
/// sideways on GitHub.
const MAX_COLUMNS: usize = 8;
/// Longer attribute values are cut; key values never are.
const MAX_CELL_CHARS: usize = 40;

/// One sample item and the partition it sits in.
struct Row<'a> {
    item: &'a Item,
    /// The partition key's values joined by ` + `.
    partition: String,
}

pub(super) fn sample_items(doc: &mut Doc, input: &Input, t: usize) {
    let table = &input.model.tables[t];
    let entities: Vec<&str> = input.ctx.tables[t]
        .entities
        .iter()
        .map(|&e| input.ctx.entities[e].entity.name.as_str())
        .collect();
    if entities.is_empty() {
        return;
    }
    let base = &input.ctx.tables[t].indexes[0];
    let per_entity = (ROWS_PER_TABLE / entities.len()).clamp(1, MAX_ROWS_PER_ENTITY);
    let items = entities
        .iter()
        .flat_map(|e| input.samples.items_of(e).iter().take(per_entity));
    let rows = by_partition(items, &base.partition_key, &base.sort_key);
    if rows.is_empty() {
        doc.line("_No sample items: the entities of this table generate none._");
        doc.blank();
        return;
    }
    let present: BTreeSet<&str> = rows
        .iter()
        .flat_map(|r| r.item.keys().map(String::as_str))
        .collect();
    let primary: Vec<&str> = base
        .key_attributes()
        .map(|k| k.name.as_str())
        .filter(|k| present.contains(k))
        .collect();
    let key_names = table.key_attribute_names();
    let attribute_names = entities
        .iter()
        .filter_map(|e| input.model.entity(e))
        .flat_map(|e| e.attributes.iter().map(|a| a.name.as_str()));
    let mut others: Vec<&str> = Vec::new();
    for name in key_names
        .iter()
        .copied()
        .chain(attribute_names)
        .chain(present.iter().copied())
    {
        if let Some(&p) = present.get(name)
            && !primary.contains(&p)
            && !others.contains(&p)
        {
            others.push(p);
        }
    }
    let partitions = 1 + rows
        .windows(2)
        .filter(|w| w[0].partition != w[1].partition)
        .count();
    let chunks = column_chunks(&primary, &others, MAX_COLUMNS);
    let pk: Vec<String> = base.partition_key.iter().map(|k| code(&k.name)).collect();
    let mut intro = format!(
        "Sample items: {} in {}, grouped by {} (written on a partition's first item) in sort-key order",
        plural(rows.len(), "item", "items"),
        plural(partitions, "partition", "partitions"),
        pk.join(" + "),
    );
    if chunks.len() > 1 {
        intro.push_str(&format!(
            "; the other {} columns in {} tables that each repeat the primary key",
            count(others.len() as f64),
            chunks.len()
        ));
    }
    doc.line(format!("_{intro}._"));
    let partition_key_names: Vec<&str> =
        base.partition_key.iter().map(|k| k.name.as_str()).collect();
    for columns in &chunks {
        let header: Vec<String> = columns.iter().map(|c| cell(c)).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut body: Vec<Vec<String>> = Vec::new();
        let mut last_partition: Option<&str> = None;
        for row in &rows {
            // A row with nothing in this table's attributes would only repeat its key.
            if !columns[primary.len()..]
                .iter()
                .any(|c| row.item.contains_key(*c))
            {
                continue;
            }
            let first = last_partition != Some(row.partition.as_str());
            last_partition = Some(&row.partition);
            body.push(
                columns
                    .iter()
                    .map(|c| {
                        let Some(value) = row.item.get(*c) else {
                            return String::new();
                        };
                        let is_key = key_names.contains(c);
                        match (partition_key_names.contains(c), first) {
                            (true, true) => format!("**{}**", cell(&value.display())),
                            (true, false) => String::new(),
                            _ if is_key => cell(&value.display()),
                            _ => cell(&shorten(&value.display())),
                        }
                    })
                    .collect(),
            );
        }
        doc.table(&header, &body);
    }
}

/// The items with their partitions, each partition's items together (the
/// partitions in the order their first item comes) in sort-key order.
fn by_partition<'a>(
    items: impl Iterator<Item = &'a Item>,
    partition_key: &[&KeyAttribute],
    sort_key: &[&KeyAttribute],
) -> Vec<Row<'a>> {
    let mut partitions: Vec<(String, Vec<&'a Item>)> = Vec::new();
    for item in items {
        let partition = partition_key
            .iter()
            .map(|k| {
                item.get(&k.name)
                    .map(AttrValue::display)
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
            .join(" + ");
        match partitions.iter_mut().find(|(p, _)| *p == partition) {
            Some((_, list)) => list.push(item),
            None => partitions.push((partition, vec![item])),
        }
    }
    let mut rows = Vec::new();
    for (partition, mut items) in partitions {
        // Stable: items with equal sort keys keep their entity order.
        items.sort_by(|a, b| {
            sort_key
                .iter()
                .map(|k| match (a.get(&k.name), b.get(&k.name)) {
                    (Some(x), Some(y)) => compare_keys(x, y),
                    (x, y) => x.is_some().cmp(&y.is_some()),
                })
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        rows.extend(items.into_iter().map(|item| Row {
            item,
            partition: partition.clone(),
        }));
    }
    rows
}

/// The columns of each markdown table: the primary key, then at most
/// `max - primary.len()` of the other columns, in order (at least one).
fn column_chunks<'a>(primary: &[&'a str], others: &[&'a str], max: usize) -> Vec<Vec<&'a str>> {
    let width = max.saturating_sub(primary.len()).max(1);
    if others.is_empty() {
        return vec![primary.to_vec()];
    }
    others
        .chunks(width)
        .map(|chunk| primary.iter().chain(chunk).copied().collect())
        .collect()
}

fn shorten(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_table_repeats_the_primary_key_and_takes_a_chunk_of_the_rest() {
        let others = [
            "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",
        ];
        let chunks = column_chunks(&["PK", "SK"], &others, 8);
        assert_eq!(
            chunks,
            [
                vec!["PK", "SK", "a", "b", "c", "d", "e", "f"],
                vec!["PK", "SK", "g", "h", "i", "j", "k", "l"],
                vec!["PK", "SK", "m"],
            ]
        );
        assert_eq!(column_chunks(&["PK"], &[], 8), [vec!["PK"]]);
        // A key wider than the limit still leaves room for one attribute.
        assert_eq!(
            column_chunks(&["A", "B"], &["x", "y"], 2),
            [vec!["A", "B", "x"], vec!["A", "B", "y"]]
        );
    }

    fn item(pairs: &[(&str, AttrValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn items_are_grouped_by_partition_in_sort_key_order() {
        let s = |t: &str| AttrValue::S(t.into());
        let n = |t: &str| AttrValue::N(t.into());
        let items = [
            item(&[("PK", s("b")), ("SK", n("10"))]),
            item(&[("PK", s("a")), ("SK", n("9"))]),
            item(&[("PK", s("b")), ("SK", n("9"))]),
            item(&[("PK", s("a")), ("SK", n("1"))]),
            item(&[("PK", s("c"))]),
        ];
        let pk = crate::model::KeyAttribute {
            name: "PK".into(),
            key_type: crate::model::KeyType::S,
        };
        let sk = crate::model::KeyAttribute {
            name: "SK".into(),
            key_type: crate::model::KeyType::N,
        };
        let rows = by_partition(items.iter(), &[&pk], &[&sk]);
        let seen: Vec<(String, String)> = rows
            .iter()
            .map(|r| {
                (
                    r.partition.clone(),
                    r.item.get("SK").map(AttrValue::display).unwrap_or_default(),
                )
            })
            .collect();
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        // Partitions in the order they first come; numbers by value within one.
        assert_eq!(
            seen,
            pairs(&[("b", "9"), ("b", "10"), ("a", "1"), ("a", "9"), ("c", "")])
        );
    }
}
