//! The relational schema → a first-draft model: per relational table one
//! DynamoDB table and one entity of the same name, and the access patterns the
//! schema implies, marked as suggested.
//!
//! Keys: the primary key's first column is the partition key; a second column
//! is the sort key as it is; three or more columns make a String sort key `SK`
//! written as `{b}#{c}` (the columns after the first, in key order). A table
//! without a primary key is keyed by its first UNIQUE NOT NULL column (as
//! InnoDB clusters it), or else by a new `id` attribute (a UUID), said in the
//! report.

use std::collections::HashSet;

use super::super::{NoteKind, Report, join_list};
use super::relational::{Schema, Table};
use super::types;
use crate::model::{
    AccessPattern, AttrType, Attribute, Entity, Generator, KeyAttribute, KeyType, Model, Operation,
    Source, Table as DynamoTable, Transformation, unique_name,
};

/// The request rate every suggested pattern gets, peak and average: the
/// schema says nothing of rates; the user sets them.
pub const SUGGESTED_RPS: f64 = 1.0;

/// The items a suggested list (by a foreign key or an index) returns.
pub const SUGGESTED_LIST_ITEMS: u32 = 10;

pub fn model(schema: &Schema, name: &str, report: &mut Report) -> Model {
    let mut model = Model::new(name);
    for table in &schema.tables {
        let key = key_of(table, report);
        let (dynamo, entity) = draft(schema, table, &key, report);
        suggest(table, &key, &mut model.access_patterns);
        model.tables.push(dynamo);
        model.entities.push(entity);
    }
    if !model.access_patterns.is_empty() {
        report.push(
            NoteKind::Inferred,
            "access patterns",
            format!(
                "{} access patterns suggested from the primary keys, UNIQUE columns, foreign keys and indexes, each at {SUGGESTED_RPS} RPS (peak and average) and marked suggested: set their rates, keep or remove them",
                model.access_patterns.len()
            ),
        );
    }
    model
}

/// The columns (or the new attribute) a table is keyed by.
enum Key {
    /// Positions of the key columns, in key order.
    Columns(Vec<usize>),
    /// A new String attribute of this name.
    New(String),
}

fn key_of(table: &Table, report: &mut Report) -> Key {
    let at = format!("line {}", table.line);
    if !table.primary_key.is_empty() {
        return Key::Columns(table.primary_key.clone());
    }
    let unique = table.uniques.iter().find_map(|u| match u.columns[..] {
        [only] if table.columns[only].not_null => Some(only),
        _ => None,
    });
    if let Some(only) = unique {
        report.push(
            NoteKind::Inferred,
            at,
            format!(
                "`{}` has no PRIMARY KEY: keyed by its first UNIQUE NOT NULL column `{}`",
                table.name, table.columns[only].name
            ),
        );
        return Key::Columns(vec![only]);
    }
    let name = unique_name("id", |n| table.column_position(n).is_some());
    report.push(
        NoteKind::Added,
        at,
        format!(
            "`{}` has no PRIMARY KEY nor UNIQUE NOT NULL column: keyed by a new attribute `{name}` (a UUID)",
            table.name
        ),
    );
    Key::New(name)
}

fn key_type(attr_type: AttrType) -> Option<KeyType> {
    match attr_type {
        AttrType::S => Some(KeyType::S),
        AttrType::N => Some(KeyType::N),
        AttrType::B => Some(KeyType::B),
        _ => None,
    }
}

fn draft(schema: &Schema, table: &Table, key: &Key, report: &mut Report) -> (DynamoTable, Entity) {
    let at = format!("line {}", table.line);
    let mut entity = Entity::new(&table.name, &table.name);
    entity.source_table = table.name.clone();
    entity.description = format!("Drafted from the MySQL table `{}`.", table.name);

    if let Key::New(name) = key {
        let mut id = Attribute::new(name, AttrType::S);
        id.size = Some(36);
        id.generator = Some(Generator::Uuid);
        id.not_null = true;
        id.unique = true;
        entity.attributes.push(id);
    }
    for column in &table.columns {
        let mapped = types::map(&column.data_type);
        if let Some(note) = mapped.note {
            report.push(
                NoteKind::Inferred,
                at.clone(),
                format!("`{}.{}`: {note}", table.name, column.name),
            );
        }
        let mut attribute = Attribute::new(&column.name, mapped.attr_type);
        attribute.size = Some(mapped.size);
        attribute.distinct_values = mapped.distinct_values;
        attribute.generator = mapped.generator;
        attribute.source = Some(Source::column(&table.name, &column.name));
        attribute.not_null = column.not_null;
        attribute.unique = column.unique;
        if column.auto_increment {
            report.push(
                NoteKind::Dropped,
                at.clone(),
                format!(
                    "`{}.{}` is AUTO_INCREMENT: DynamoDB numbers nothing; the application makes the values (a UUID, or a counter item)",
                    table.name, column.name
                ),
            );
        }
        entity.attributes.push(attribute);
    }
    references(schema, table, &mut entity, report);
    for unique in table.uniques.iter().filter(|u| u.columns.len() > 1) {
        report.push(
            NoteKind::Dropped,
            format!("line {}", unique.line),
            format!(
                "UNIQUE {}({}) of `{}`: DynamoDB keeps no uniqueness over several attributes but a key's (the draft suggests a lookup by them)",
                unique.name.as_ref().map(|n| format!("`{n}` ")).unwrap_or_default(),
                table.column_names(&unique.columns).join(", "),
                table.name
            ),
        );
    }

    let (partition_key, sort_key) = match key {
        Key::New(name) => {
            entity.keys.insert(name.clone(), format!("{{{name}}}"));
            (KeyAttribute::string(name), None)
        }
        Key::Columns(columns) => {
            let offset = entity.attributes.len() - table.columns.len();
            let key_attribute = |position: usize, report: &mut Report| {
                let attribute = &entity.attributes[offset + position];
                let key_type = key_type(attribute.attr_type).unwrap_or_else(|| {
                    report.push(
                        NoteKind::Inferred,
                        at.clone(),
                        format!(
                            "key column `{}.{}` is {}, which no key can be: the key holds it as a String",
                            table.name,
                            attribute.name,
                            attribute.attr_type.as_str()
                        ),
                    );
                    KeyType::S
                });
                KeyAttribute::new(&attribute.name, key_type)
            };
            let partition = key_attribute(columns[0], report);
            let sort = match columns[1..] {
                [] => None,
                [second] => Some(key_attribute(second, report)),
                ref rest => {
                    let names = table.column_names(rest);
                    let template = names
                        .iter()
                        .map(|n| format!("{{{n}}}"))
                        .collect::<Vec<_>>()
                        .join("#");
                    let name = unique_name("SK", |n| table.column_position(n).is_some());
                    report.push(
                        NoteKind::Inferred,
                        at.clone(),
                        format!(
                            "`{}`'s primary key has {} columns: `{}` is the partition key and `{name}` = `{template}` the sort key",
                            table.name,
                            columns.len(),
                            partition.name
                        ),
                    );
                    entity.key_sources.insert(
                        name.clone(),
                        Source {
                            table: table.name.clone(),
                            transformation: Some(Transformation {
                                kind: "string-format".into(),
                                format: Some(template.clone()),
                                ..Transformation::default()
                            }),
                            ..Source::default()
                        },
                    );
                    entity.keys.insert(name.clone(), template);
                    Some(KeyAttribute::string(name))
                }
            };
            for (attribute, position) in [(&partition, columns[0])]
                .into_iter()
                .chain(sort.as_ref().zip(columns.get(1).copied()))
            {
                if !entity.keys.contains_key(&attribute.name) {
                    let column = &table.columns[position].name;
                    entity
                        .keys
                        .insert(attribute.name.clone(), format!("{{{column}}}"));
                    entity
                        .key_sources
                        .insert(attribute.name.clone(), Source::column(&table.name, column));
                }
            }
            (partition, sort)
        }
    };
    let mut dynamo = DynamoTable::new(&table.name, partition_key.clone());
    dynamo.sort_key = sort_key.clone();
    let keyed_by = match &sort_key {
        Some(sort) => format!("`{}` and `{}`", partition_key.name, sort.name),
        None => format!("`{}`", partition_key.name),
    };
    report.push(
        NoteKind::Inferred,
        at,
        format!(
            "table and entity `{}` from CREATE TABLE, {} attributes, keyed by {keyed_by}",
            table.name,
            entity.attributes.len()
        ),
    );
    (dynamo, entity)
}

/// Foreign keys as reference generators on the referencing attributes.
fn references(schema: &Schema, table: &Table, entity: &mut Entity, report: &mut Report) {
    let offset = entity.attributes.len() - table.columns.len();
    for fk in &table.foreign_keys {
        let at = format!("line {}", fk.line);
        let columns = table.column_names(&fk.columns);
        let Some(target) = schema.table_index(&fk.table).map(|i| &schema.tables[i]) else {
            report.push(
                NoteKind::Dropped,
                at,
                format!(
                    "foreign key ({}) of `{}` references `{}`, which the file does not define: no reference",
                    columns.join(", "),
                    table.name,
                    fk.table
                ),
            );
            continue;
        };
        let referred: Option<Vec<String>> = if fk.referred.is_empty() {
            Some(target.column_names(&target.primary_key))
        } else {
            fk.referred
                .iter()
                .map(|c| {
                    target
                        .column_position(c)
                        .map(|p| target.columns[p].name.clone())
                })
                .collect()
        };
        let referred = match referred {
            Some(r) if r.len() == fk.columns.len() => r,
            _ => {
                report.push(
                    NoteKind::Dropped,
                    at,
                    format!(
                        "foreign key ({}) of `{}` names columns of `{}` it does not have, or as many: no reference",
                        columns.join(", "),
                        table.name,
                        target.name
                    ),
                );
                continue;
            }
        };
        for (&position, attribute) in fk.columns.iter().zip(&referred) {
            entity.attributes[offset + position].generator = Some(Generator::Reference {
                entity: target.name.clone(),
                attribute: attribute.clone(),
            });
        }
        report.push(
            NoteKind::Inferred,
            at,
            format!(
                "foreign key `{}`.({}) → `{}`.({}): values taken from entity `{}`",
                table.name,
                columns.join(", "),
                target.name,
                referred.join(", "),
                target.name
            ),
        );
    }
}

/// The patterns a table's keys and indexes imply, in a stable order: get by
/// the primary key, get by each UNIQUE constraint, list by each foreign key,
/// list by each secondary index's first column; one per set of inputs.
fn suggest(table: &Table, key: &Key, patterns: &mut Vec<AccessPattern>) {
    if let Key::New(name) = key {
        let description = format!("Get {} by {name}", table.name);
        let inputs = vec![name.clone()];
        let p = pattern(
            patterns.len(),
            description,
            Operation::GetItem,
            table,
            inputs,
            1,
        );
        patterns.push(p);
    }
    let mut seen: HashSet<Vec<usize>> = HashSet::new();
    let mut push = |operation: Operation, columns: &[usize], items: u32| {
        let mut set = columns.to_vec();
        set.sort_unstable();
        set.dedup();
        if !seen.insert(set) {
            return;
        }
        let inputs = table.column_names(columns);
        let verb = if items == 1 { "Get" } else { "List" };
        let description = format!("{verb} {} by {}", table.name, join_list(&inputs));
        patterns.push(pattern(
            patterns.len(),
            description,
            operation,
            table,
            inputs,
            items,
        ));
    };
    if let Key::Columns(columns) = key {
        push(Operation::GetItem, columns, 1);
    }
    for unique in &table.uniques {
        push(Operation::Query, &unique.columns, 1);
    }
    for fk in &table.foreign_keys {
        push(Operation::Query, &fk.columns, SUGGESTED_LIST_ITEMS);
    }
    for index in &table.indexes {
        if let Some(&first) = index.columns.first() {
            push(Operation::Query, &[first], SUGGESTED_LIST_ITEMS);
        }
    }
}

fn pattern(
    before: usize,
    description: String,
    operation: Operation,
    table: &Table,
    inputs: Vec<String>,
    items: u32,
) -> AccessPattern {
    let mut p = AccessPattern::new(format!("AP{}", before + 1), description, operation);
    p.entities = vec![table.name.clone()];
    p.inputs = inputs;
    p.items = items;
    p.peak_rps = SUGGESTED_RPS;
    p.average_rps = SUGGESTED_RPS;
    p.suggested = true;
    p
}
