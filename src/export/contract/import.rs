//! Reading a contract back: tables with their keys and GSIs, one entity per
//! contract entity (or per single-entity table), key templates from
//! `pk_template`/`sk_template` and, for the index keys, from their sources'
//! `string-format` transformations; attributes with their sources. What the
//! model has no field for goes into its `migration_contract` block.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value};

use super::export::{Derived, entities_by_table, table_object};
use super::types::{
    Contract, ContractAttribute, ContractEntity, ContractTable, ENTITY_OWNED, GSI_OWNED,
    TABLE_OWNED,
};
use super::{entity_name_of, singular, source_fits, template_from_source};
use crate::export::json_read::ShapeError;
use crate::export::{Imported, NoteKind, Report, join_list};
use crate::model::{
    AttrType, Attribute, ContractLayout, Entity, EntityLayout, Gsi, KeptFields, KeyAttribute,
    KeyType, Model, Projection, Table, TableLayout, unique_name,
};

pub fn import(value: &Value, name: &str) -> Result<Imported, ShapeError> {
    let contract: Contract = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ShapeError {
            path: if path.is_empty() { ".".into() } else { path },
            message: e.into_inner().to_string(),
        }
    })?;
    let mut report = Report::default();
    let mut model = Model::new(name);
    let mut layout = ContractLayout {
        fields: contract.extra.clone().into_iter().collect(),
        tables: BTreeMap::new(),
    };
    let mut taken: HashSet<String> = HashSet::new();
    let mut table_names: HashSet<&str> = HashSet::new();
    for (ti, spec) in contract.tables.iter().enumerate() {
        let at = format!("tables[{ti}]");
        if !table_names.insert(&spec.table) {
            return Err(ShapeError {
                path: format!("{at}.table"),
                message: format!("a second table named `{}`", spec.table),
            });
        }
        let (table, entities) = read_table(spec, &at, &mut taken, &mut report)?;
        let entity_names: Vec<String> = entities.iter().map(|e| e.name.clone()).collect();
        let entity_layouts = entities
            .iter()
            .map(|e| {
                let key_templates = e
                    .key_sources
                    .iter()
                    .filter_map(|(key, source)| {
                        let template = e.keys.get(key)?;
                        (!source_fits(e, source, template)).then(|| (key.clone(), template.clone()))
                    })
                    .collect();
                let entity_layout = EntityLayout {
                    source_table: e.source_table.clone(),
                    key_templates,
                    ..EntityLayout::default()
                };
                (e.name.clone(), entity_layout)
            })
            .collect();
        layout.tables.insert(
            spec.table.clone(),
            TableLayout {
                entities: entity_names,
                attributes_on_table: spec.entities.is_none() && spec.attributes.is_some(),
                satisfies: spec.satisfies.clone(),
                entity_layouts,
                ..TableLayout::default()
            },
        );
        model.tables.push(table);
        model.entities.extend(entities);
    }
    keep_what_the_model_cannot_say(&model, value, &mut layout, &mut report);
    if !layout.is_empty() {
        model.migration_contract = Some(layout);
    }
    check_round_trip(&model, value, &mut report);
    Ok(Imported { model, report })
}

/// A table and its entities; names taken by earlier entities are in `taken`.
fn read_table(
    spec: &ContractTable,
    at: &str,
    taken: &mut HashSet<String>,
    report: &mut Report,
) -> Result<(Table, Vec<Entity>), ShapeError> {
    let error = |field: &str, message: String| ShapeError {
        path: format!("{at}.{field}"),
        message,
    };
    if spec.table.trim().is_empty() {
        return Err(error("table", "must not be empty".into()));
    }
    if spec.pk.trim().is_empty() {
        return Err(error("pk", "must not be empty".into()));
    }
    let entity_specs: Vec<(ContractEntity, String)> = match (&spec.entities, &spec.attributes) {
        (Some(_), Some(_)) => {
            return Err(ShapeError {
                path: at.to_string(),
                message:
                    "a table lists either `entities` or (for its one entity) `attributes`, not both"
                        .into(),
            });
        }
        (Some(list), None) => list
            .iter()
            .enumerate()
            .map(|(ei, e)| (e.clone(), format!("{at}.entities[{ei}]")))
            .collect(),
        (None, Some(attributes)) => vec![(
            ContractEntity {
                entity_type: None,
                source_table: spec.source_table.clone(),
                pk_template: None,
                sk_template: None,
                attributes: attributes.clone(),
                extra: Map::new(),
            },
            at.to_string(),
        )],
        (None, None) => {
            report.push(
                NoteKind::Dropped,
                at,
                "no entities and no attributes: the table holds no entity",
            );
            Vec::new()
        }
    };

    // Every key attribute of the table and its indexes, with the type the first
    // entity that lists it gives.
    let mut key_names: Vec<&str> = vec![&spec.pk];
    key_names.extend(spec.sk.as_deref());
    let mut gsi_names: HashSet<&str> = HashSet::new();
    for (gi, gsi) in spec.gsis.iter().enumerate() {
        if !gsi_names.insert(&gsi.index_name) {
            return Err(error(
                &format!("gsis[{gi}].index_name"),
                format!("a second index named `{}`", gsi.index_name),
            ));
        }
        if gsi.pk.names().is_empty() {
            return Err(error(
                &format!("gsis[{gi}].pk"),
                "names no attribute".into(),
            ));
        }
        key_names.extend(gsi.pk.names());
        key_names.extend(gsi.sk.iter().flat_map(|k| k.names()));
    }
    let mut key_types: BTreeMap<&str, KeyType> = BTreeMap::new();
    let mut entities = Vec::with_capacity(entity_specs.len());
    let mut templates_read: Vec<String> = Vec::new();
    let mut uncarried: Vec<String> = Vec::new();
    for (entity_spec, entity_at) in &entity_specs {
        let base = match &entity_spec.entity_type {
            Some(t) => entity_name_of(t),
            None => singular(&spec.table),
        };
        let name = unique_name(&base, |n| taken.contains(n));
        taken.insert(name.clone());
        let mut entity = Entity::new(name, &spec.table);
        entity.source_table = entity_spec.source_table.clone().unwrap_or_default();
        let mut seen: HashSet<&str> = HashSet::new();
        for (ai, a) in entity_spec.attributes.iter().enumerate() {
            let attribute_at = format!("{entity_at}.attributes[{ai}]");
            if !seen.insert(&a.name) {
                return Err(ShapeError {
                    path: format!("{attribute_at}.name"),
                    message: format!("a second attribute named `{}`", a.name),
                });
            }
            let templated = (a.name == spec.pk && entity_spec.pk_template.is_some())
                || (spec.sk.as_ref() == Some(&a.name) && entity_spec.sk_template.is_some());
            if let Some(&key) = key_names.iter().find(|k| **k == a.name) {
                let key_type = key_type(a, &attribute_at)?;
                key_types.entry(key).or_insert(key_type);
            }
            if key_names.contains(&a.name.as_str()) && (templated || !is_own_value(a)) {
                if let Some(source) = a.source() {
                    entity.key_sources.insert(a.name.clone(), source);
                }
            } else {
                let mut attribute = Attribute::new(&a.name, a.attr_type);
                attribute.source = a.source();
                entity.attributes.push(attribute);
            }
        }
        let given = [
            (spec.pk.as_str(), &entity_spec.pk_template),
            (
                spec.sk.as_deref().unwrap_or_default(),
                &entity_spec.sk_template,
            ),
        ];
        for (key, template) in given {
            if let Some(template) = template.as_ref().filter(|_| !key.is_empty()) {
                entity.keys.insert(key.to_string(), template.clone());
            }
        }
        let mut read: Vec<String> = Vec::new();
        for (key, source) in &entity.key_sources {
            if entity.keys.contains_key(key) {
                continue;
            }
            if let Some(template) = template_from_source(&entity, source) {
                read.push(format!("{key} = `{template}`"));
                entity.keys.insert(key.clone(), template);
            }
        }
        for (key, template) in &entity.keys {
            if let Ok(parsed) = crate::model::Template::parse(template) {
                for name in parsed.placeholders() {
                    if entity.attribute(name).is_none() {
                        uncarried.push(format!("`{{{name}}}` in {}'s {key}", entity.name));
                    }
                }
            }
        }
        // Keys in the table's order, for a note that reads like the schema.
        read.sort_by_key(|r| {
            key_names
                .iter()
                .position(|k| r.starts_with(&format!("{k} ")))
        });
        if !read.is_empty() {
            templates_read.push(format!("{}: {}", entity.name, read.join(", ")));
        }
        entities.push(entity);
    }
    if !templates_read.is_empty() {
        report.push(
            NoteKind::Inferred,
            at,
            format!(
                "key templates read from the key attributes' sources (their `string-format`, or the attribute their column is copied into): {}",
                templates_read.join("; ")
            ),
        );
    }
    if !uncarried.is_empty() {
        report.push(
            NoteKind::Inferred,
            at,
            format!(
                "key templates read a value no attribute of the entity carries: {} (add the attribute, or the checks will flag the template)",
                join_list(&uncarried)
            ),
        );
    }
    let named: Vec<String> = entity_specs
        .iter()
        .zip(&entities)
        .map(|((s, _), e)| match &s.entity_type {
            Some(t) => format!("{} for {t}", e.name),
            None => format!("{} for the table's attributes", e.name),
        })
        .collect();
    if !named.is_empty() {
        report.push(
            NoteKind::Inferred,
            at,
            format!("entities named {}", join_list(&named)),
        );
    }

    let mut untyped: Vec<String> = Vec::new();
    let mut key = |name: &str| {
        KeyAttribute::new(
            name,
            key_types.get(name).copied().unwrap_or_else(|| {
                untyped.push(name.to_string());
                KeyType::S
            }),
        )
    };
    let mut table = Table::new(&spec.table, key(&spec.pk));
    table.sort_key = spec.sk.as_deref().map(&mut key);
    for (gi, g) in spec.gsis.iter().enumerate() {
        let projection = match (g.projection.as_deref(), &g.non_key_attributes) {
            (None | Some("ALL"), _) => Projection::All,
            (Some("KEYS_ONLY"), _) => Projection::KeysOnly,
            (Some("INCLUDE"), attributes) => Projection::Include {
                attributes: attributes.clone().unwrap_or_default(),
            },
            (Some(other), _) => {
                return Err(error(
                    &format!("gsis[{gi}].projection"),
                    format!("`{other}` is not a projection: ALL, KEYS_ONLY or INCLUDE"),
                ));
            }
        };
        table.gsis.push(Gsi {
            uid: Default::default(),
            name: g.index_name.clone(),
            partition_key: g.pk.names().into_iter().map(&mut key).collect(),
            sort_key: g.sk.iter().flat_map(|k| k.names()).map(&mut key).collect(),
            projection,
            provisioned: None,
        });
    }
    if !untyped.is_empty() {
        untyped.dedup();
        report.push(
            NoteKind::Inferred,
            at,
            format!(
                "no entity lists {}: typed S",
                join_list(&untyped.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>())
            ),
        );
    }
    Ok((table, entities))
}

/// A key attribute that is an attribute of its own: its column's plain copy
/// under its own name (`user_id` ← `sessions.user_id`), or with no source.
fn is_own_value(attribute: &ContractAttribute) -> bool {
    match attribute.source() {
        None => true,
        Some(s) => s.transformation.is_none() && s.join.is_none() && s.column == attribute.name,
    }
}

fn key_type(attribute: &ContractAttribute, at: &str) -> Result<KeyType, ShapeError> {
    match attribute.attr_type {
        AttrType::S => Ok(KeyType::S),
        AttrType::N => Ok(KeyType::N),
        AttrType::B => Ok(KeyType::B),
        other => Err(ShapeError {
            path: format!("{at}.type"),
            message: format!(
                "`{}` is a key attribute: S, N or B, not {}",
                attribute.name,
                other.as_str()
            ),
        }),
    }
}

/// Compares what the export derives from the model with what the contract
/// says, and keeps the difference in the layout: table, GSI and entity fields,
/// the order attributes were listed in.
fn keep_what_the_model_cannot_say(
    model: &Model,
    value: &Value,
    layout: &mut ContractLayout,
    report: &mut Report,
) {
    let derived = Derived::of(model);
    let by_table = entities_by_table(model);
    for (ti, table) in model.tables.iter().enumerate() {
        let Some(written) = value["tables"][ti].as_object() else {
            continue;
        };
        let entities = by_table.get(table.name.as_str()).map(Vec::as_slice);
        let object = table_object(
            table,
            entities.unwrap_or_default(),
            Some(layout),
            &derived,
            &mut Report::default(),
        );
        let Some(table_layout) = layout.tables.get_mut(&table.name) else {
            continue;
        };
        let mut what: Vec<String> = Vec::new();
        if table_layout.satisfies.is_some() {
            what.push("`satisfies`".into());
        }
        table_layout.kept = KeptFields::between(&object, written, &TABLE_OWNED);
        what.extend(table_layout.kept.fields.keys().map(|f| format!("`{f}`")));
        for (gi, gsi) in table.gsis.iter().enumerate() {
            if let (Some(d), Some(w)) = (
                object["gsis"][gi].as_object(),
                written["gsis"][gi].as_object(),
            ) {
                let kept = KeptFields::between(d, w, &GSI_OWNED);
                if !kept.is_empty() {
                    what.push(format!("fields of GSI {}", gsi.name));
                    table_layout.gsis.insert(gsi.name.clone(), kept);
                }
            }
        }
        let names: Vec<&str> = table_layout.entities.iter().map(String::as_str).collect();
        let pairs: Vec<(&str, &Value, &Value)> = if table_layout.attributes_on_table {
            names
                .first()
                .map(|n| (*n, &object["attributes"], &written["attributes"]))
                .into_iter()
                .collect()
        } else {
            names
                .iter()
                .enumerate()
                .map(|(ei, n)| (*n, &object["entities"][ei], &written["entities"][ei]))
                .collect()
        };
        for (name, derived_entity, written_entity) in pairs {
            let Some(entity_layout) = table_layout.entity_layouts.get_mut(name) else {
                continue;
            };
            let (derived_list, written_list) = if table_layout.attributes_on_table {
                (derived_entity, written_entity)
            } else {
                if let (Some(d), Some(w)) = (derived_entity.as_object(), written_entity.as_object())
                {
                    entity_layout.kept = KeptFields::between(d, w, &ENTITY_OWNED);
                    what.extend(
                        entity_layout
                            .kept
                            .fields
                            .keys()
                            .map(|f| format!("`{f}` of {name}")),
                    );
                }
                (&derived_entity["attributes"], &written_entity["attributes"])
            };
            let order = |list: &Value| -> Vec<String> {
                list.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|a| a["name"].as_str().map(str::to_string))
                    .collect()
            };
            let written_order = order(written_list);
            if order(derived_list) != written_order {
                what.push(format!("the order of {name}'s attributes"));
                entity_layout.attribute_order = written_order;
            }
        }
        if table_layout.attributes_on_table {
            what.push("its attributes listed on the table".into());
        }
        if !what.is_empty() {
            report.push(
                NoteKind::Kept,
                format!("tables[{ti}]"),
                format!(
                    "{} kept in the model's `migration_contract` block (the model has no field for them), written back while table {} holds the same entities",
                    join_list(&what),
                    table.name
                ),
            );
        }
    }
}

/// Exports the model just read and says where it would differ from the
/// contract, if anywhere: nothing is lost silently.
fn check_round_trip(model: &Model, value: &Value, report: &mut Report) {
    let exported = super::export(model);
    let Ok(back) = serde_json::from_str::<Value>(&exported.text) else {
        return;
    };
    if let Some(path) = first_difference(value, &back, String::new()) {
        report.push(
            NoteKind::Dropped,
            if path.is_empty() {
                ".".to_string()
            } else {
                path
            },
            "the model cannot say this as the contract does: the export writes it differently",
        );
    }
}

/// The path of the first place two JSON values differ (object key order aside).
fn first_difference(a: &Value, b: &Value, path: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let child = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                match y.get(k) {
                    Some(w) => {
                        if let Some(p) = first_difference(v, w, child) {
                            return Some(p);
                        }
                    }
                    None => return Some(child),
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| {
                if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                }
            })
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                if let Some(p) = first_difference(v, w, format!("{path}[{i}]")) {
                    return Some(p);
                }
            }
            (x.len() != y.len()).then(|| format!("{path}[{}]", x.len().min(y.len())))
        }
        _ => (a != b).then_some(path),
    }
}
