//! What changed in the design itself: tables, keys, indexes, entities, attributes
//! and key templates, each added, removed, renamed or changed.

use serde::Serialize;

use super::matching::{Matching, Pair};
use crate::model::{
    Attribute, Billing, Entity, Gsi, KeyAttribute, Lsi, Model, Projection, Table, Uid,
};

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Renamed,
    Changed,
}

impl ChangeKind {
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
            ChangeKind::Changed => "changed",
        }
    }
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ElementKind {
    Table,
    Gsi,
    Lsi,
    Entity,
    Attribute,
}

impl ElementKind {
    pub fn label(self) -> &'static str {
        match self {
            ElementKind::Table => "table",
            ElementKind::Gsi => "GSI",
            ElementKind::Lsi => "LSI",
            ElementKind::Entity => "entity",
            ElementKind::Attribute => "attribute",
        }
    }
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct StructuralChange {
    pub element: ElementKind,
    pub kind: ChangeKind,
    /// The element in the new design (`Users/GSI1`, `User.email`); in the old
    /// one when removed.
    pub path: String,
    /// The old path of a renamed element.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_path: Option<String>,
    /// What changed, one fact each: `partition key PK (S) → email (S)`.
    pub details: Vec<String>,
    /// The element in the new design, for selecting it.
    #[serde(skip)]
    pub target: Option<Uid>,
}

pub fn changes(old: &Model, new: &Model, matching: &Matching) -> Vec<StructuralChange> {
    let mut out = Vec::new();
    let old_tables: crate::analysis::fxhash::FxHashMap<&str, usize> = old
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    for pair in &matching.tables {
        match (pair.old, pair.new) {
            (Some(o), Some(n)) => {
                let (a, b) = (&old.tables[o], &new.tables[n]);
                let details = table_details(a, b);
                push(
                    &mut out,
                    ElementKind::Table,
                    &a.name,
                    &b.name,
                    details,
                    b.uid.get(),
                );
                if let Some(indexes) = matching.indexes_of(o) {
                    index_changes(
                        a,
                        b,
                        indexes.gsis.as_slice(),
                        indexes.lsis.as_slice(),
                        &mut out,
                    );
                }
            }
            (None, Some(n)) => {
                let t = &new.tables[n];
                out.push(added(
                    ElementKind::Table,
                    t.name.clone(),
                    table_summary(t),
                    t.uid.get(),
                ));
                for g in &t.gsis {
                    out.push(added(
                        ElementKind::Gsi,
                        format!("{}/{}", t.name, g.name),
                        gsi_summary(g),
                        g.uid.get(),
                    ));
                }
                for l in &t.lsis {
                    out.push(added(
                        ElementKind::Lsi,
                        format!("{}/{}", t.name, l.name),
                        lsi_summary(l),
                        l.uid.get(),
                    ));
                }
            }
            (Some(o), None) => {
                let t = &old.tables[o];
                out.push(removed(
                    ElementKind::Table,
                    t.name.clone(),
                    table_summary(t),
                ));
            }
            (None, None) => {}
        }
    }
    for pair in &matching.entities {
        match (pair.old, pair.new) {
            (Some(o), Some(n)) => {
                let (a, b) = (&old.entities[o], &new.entities[n]);
                let moved_from = old_tables
                    .get(a.table.as_str())
                    .and_then(|&t| matching.old_table_to_new[t])
                    .map(|t| new.tables[t].name.as_str());
                let details = entity_details(a, b, moved_from);
                push(
                    &mut out,
                    ElementKind::Entity,
                    &a.name,
                    &b.name,
                    details,
                    b.uid.get(),
                );
                attribute_changes(a, b, &mut out);
            }
            (None, Some(n)) => {
                let e = &new.entities[n];
                out.push(added(
                    ElementKind::Entity,
                    e.name.clone(),
                    entity_summary(e),
                    e.uid.get(),
                ));
            }
            (Some(o), None) => {
                let e = &old.entities[o];
                out.push(removed(
                    ElementKind::Entity,
                    e.name.clone(),
                    entity_summary(e),
                ));
            }
            (None, None) => {}
        }
    }
    out
}

/// A change of a paired element: renamed, changed, or nothing at all.
fn push(
    out: &mut Vec<StructuralChange>,
    element: ElementKind,
    old_path: &str,
    new_path: &str,
    details: Vec<String>,
    target: Uid,
) {
    let renamed = old_path != new_path;
    if !renamed && details.is_empty() {
        return;
    }
    out.push(StructuralChange {
        element,
        kind: if renamed {
            ChangeKind::Renamed
        } else {
            ChangeKind::Changed
        },
        path: new_path.to_string(),
        old_path: renamed.then(|| old_path.to_string()),
        details,
        target: Some(target),
    });
}

fn added(
    element: ElementKind,
    path: String,
    details: Vec<String>,
    target: Uid,
) -> StructuralChange {
    StructuralChange {
        element,
        kind: ChangeKind::Added,
        path,
        old_path: None,
        details,
        target: Some(target),
    }
}

fn removed(element: ElementKind, path: String, details: Vec<String>) -> StructuralChange {
    StructuralChange {
        element,
        kind: ChangeKind::Removed,
        path,
        old_path: None,
        details,
        target: None,
    }
}

pub fn key_text(key: &KeyAttribute) -> String {
    format!("{} ({})", key.name, key.key_type.as_str())
}

fn keys_text(keys: &[KeyAttribute]) -> String {
    if keys.is_empty() {
        "none".into()
    } else {
        keys.iter().map(key_text).collect::<Vec<_>>().join(" + ")
    }
}

fn optional_key(key: Option<&KeyAttribute>) -> String {
    key.map_or_else(|| "none".into(), key_text)
}

pub fn projection_text(projection: &Projection) -> String {
    match projection {
        Projection::Include { attributes } => format!("INCLUDE {}", attributes.join(", ")),
        other => other.label().to_string(),
    }
}

fn billing_text(billing: &Billing) -> String {
    match billing {
        Billing::OnDemand => "on demand".into(),
        Billing::Provisioned {
            read_capacity,
            write_capacity,
        } => format!("provisioned {read_capacity} RCU / {write_capacity} WCU"),
    }
}

/// `what before → after` when they differ.
fn differ(out: &mut Vec<String>, what: &str, before: String, after: String) {
    if before != after {
        out.push(format!("{what} {before} → {after}"));
    }
}

fn table_summary(t: &Table) -> Vec<String> {
    let mut out = vec![format!("partition key {}", key_text(&t.partition_key))];
    if let Some(sk) = &t.sort_key {
        out.push(format!("sort key {}", key_text(sk)));
    }
    out
}

fn table_details(a: &Table, b: &Table) -> Vec<String> {
    let mut out = Vec::new();
    differ(
        &mut out,
        "partition key",
        key_text(&a.partition_key),
        key_text(&b.partition_key),
    );
    differ(
        &mut out,
        "sort key",
        optional_key(a.sort_key.as_ref()),
        optional_key(b.sort_key.as_ref()),
    );
    differ(
        &mut out,
        "billing",
        billing_text(&a.billing),
        billing_text(&b.billing),
    );
    let ttl = |t: &Table| {
        t.ttl
            .as_ref()
            .map_or_else(|| "off".into(), |t| t.attribute.clone())
    };
    differ(&mut out, "time to live", ttl(a), ttl(b));
    let stream = |t: &Table| t.stream.map_or("off", |s| s.as_str()).to_string();
    differ(&mut out, "stream", stream(a), stream(b));
    out
}

fn gsi_summary(g: &Gsi) -> Vec<String> {
    let mut out = vec![format!("partition key {}", keys_text(&g.partition_key))];
    if !g.sort_key.is_empty() {
        out.push(format!("sort key {}", keys_text(&g.sort_key)));
    }
    out.push(format!("projection {}", projection_text(&g.projection)));
    out
}

fn lsi_summary(l: &Lsi) -> Vec<String> {
    vec![
        format!("sort key {}", key_text(&l.sort_key)),
        format!("projection {}", projection_text(&l.projection)),
    ]
}

fn index_changes(
    a: &Table,
    b: &Table,
    gsis: &[Pair],
    lsis: &[Pair],
    out: &mut Vec<StructuralChange>,
) {
    let path = |t: &Table, index: &str| format!("{}/{index}", t.name);
    for pair in gsis {
        match (pair.old, pair.new) {
            (Some(o), Some(n)) => {
                let (x, y) = (&a.gsis[o], &b.gsis[n]);
                let mut details = Vec::new();
                differ(
                    &mut details,
                    "partition key",
                    keys_text(&x.partition_key),
                    keys_text(&y.partition_key),
                );
                differ(
                    &mut details,
                    "sort key",
                    keys_text(&x.sort_key),
                    keys_text(&y.sort_key),
                );
                differ(
                    &mut details,
                    "projection",
                    projection_text(&x.projection),
                    projection_text(&y.projection),
                );
                let capacity = |g: &Gsi| {
                    g.provisioned.map_or_else(
                        || "the table's".into(),
                        |p| format!("{} RCU / {} WCU", p.read_capacity, p.write_capacity),
                    )
                };
                differ(&mut details, "capacity", capacity(x), capacity(y));
                push(
                    out,
                    ElementKind::Gsi,
                    &path(a, &x.name),
                    &path(b, &y.name),
                    details,
                    y.uid.get(),
                );
            }
            (None, Some(n)) => {
                let g = &b.gsis[n];
                out.push(added(
                    ElementKind::Gsi,
                    path(b, &g.name),
                    gsi_summary(g),
                    g.uid.get(),
                ));
            }
            (Some(o), None) => {
                let g = &a.gsis[o];
                out.push(removed(ElementKind::Gsi, path(a, &g.name), gsi_summary(g)));
            }
            (None, None) => {}
        }
    }
    for pair in lsis {
        match (pair.old, pair.new) {
            (Some(o), Some(n)) => {
                let (x, y) = (&a.lsis[o], &b.lsis[n]);
                let mut details = Vec::new();
                differ(
                    &mut details,
                    "sort key",
                    key_text(&x.sort_key),
                    key_text(&y.sort_key),
                );
                differ(
                    &mut details,
                    "projection",
                    projection_text(&x.projection),
                    projection_text(&y.projection),
                );
                push(
                    out,
                    ElementKind::Lsi,
                    &path(a, &x.name),
                    &path(b, &y.name),
                    details,
                    y.uid.get(),
                );
            }
            (None, Some(n)) => {
                let l = &b.lsis[n];
                out.push(added(
                    ElementKind::Lsi,
                    path(b, &l.name),
                    lsi_summary(l),
                    l.uid.get(),
                ));
            }
            (Some(o), None) => {
                let l = &a.lsis[o];
                out.push(removed(ElementKind::Lsi, path(a, &l.name), lsi_summary(l)));
            }
            (None, None) => {}
        }
    }
}

fn entity_summary(e: &Entity) -> Vec<String> {
    let mut out = vec![format!("in table {}", e.table)];
    out.extend(e.keys.iter().map(|(k, v)| format!("{k} = {v}")));
    out
}

/// `moved_from`: the new design's name of the table the entity was in.
fn entity_details(a: &Entity, b: &Entity, moved_from: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if moved_from != Some(b.table.as_str()) {
        out.push(format!("table {} → {}", a.table, b.table));
    }
    differ(
        &mut out,
        "item count",
        a.item_count.to_string(),
        b.item_count.to_string(),
    );
    for (key, template) in &b.keys {
        match a.keys.get(key) {
            None => out.push(format!("key {key} = {template} added")),
            Some(before) if before != template => {
                out.push(format!("key {key} {before} → {template}"))
            }
            Some(_) => {}
        }
    }
    for (key, template) in &a.keys {
        if !b.keys.contains_key(key) {
            out.push(format!("key {key} = {template} removed"));
        }
    }
    out
}

fn attribute_summary(a: &Attribute) -> Vec<String> {
    vec![format!("type {}", a.attr_type.as_str())]
}

fn attribute_changes(a: &Entity, b: &Entity, out: &mut Vec<StructuralChange>) {
    let pairs = super::matching::pair_attributes(&a.attributes, &b.attributes);
    let path = |e: &Entity, attribute: &str| format!("{}.{attribute}", e.name);
    for pair in pairs {
        match (pair.old, pair.new) {
            (Some(o), Some(n)) => {
                let (x, y) = (&a.attributes[o], &b.attributes[n]);
                let mut details = Vec::new();
                differ(
                    &mut details,
                    "type",
                    x.attr_type.as_str().into(),
                    y.attr_type.as_str().into(),
                );
                let size = |a: &Attribute| {
                    a.size
                        .map_or_else(|| "estimated".into(), |s| format!("{s} bytes"))
                };
                differ(&mut details, "size", size(x), size(y));
                let distinct = |a: &Attribute| {
                    a.distinct_values
                        .map_or_else(|| "estimated".into(), |d| d.to_string())
                };
                differ(&mut details, "distinct values", distinct(x), distinct(y));
                if x.generator != y.generator {
                    details.push("sample values generated differently".into());
                }
                push(
                    out,
                    ElementKind::Attribute,
                    &path(a, &x.name),
                    &path(b, &y.name),
                    details,
                    y.uid.get(),
                );
            }
            (None, Some(n)) => {
                let x = &b.attributes[n];
                out.push(added(
                    ElementKind::Attribute,
                    path(b, &x.name),
                    attribute_summary(x),
                    x.uid.get(),
                ));
            }
            (Some(o), None) => {
                let x = &a.attributes[o];
                out.push(removed(
                    ElementKind::Attribute,
                    path(a, &x.name),
                    attribute_summary(x),
                ));
            }
            (None, None) => {}
        }
    }
}
