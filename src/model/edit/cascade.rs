//! What a rename, move or removal carries along, and the well-formedness an edit
//! must not break. A check compares the element before and after the edit: an
//! edit is refused only for a problem it would bring, so an imported model that
//! already has one can still be edited.

use std::borrow::Cow;

use super::EditError;
use crate::model::template::is_attribute_name;
use crate::model::{
    AccessPattern, Entity, Generator, KeyAttribute, Model, Projection, Segment, Table, Template,
    Uid,
};

type Result<T> = std::result::Result<T, EditError>;

// ---- well-formedness ----

pub fn index_names(table: &Table) -> impl Iterator<Item = &str> {
    table
        .gsis
        .iter()
        .map(|g| g.name.as_str())
        .chain(table.lsis.iter().map(|l| l.name.as_str()))
}

fn table_problems(table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    let mut keys: Vec<&KeyAttribute> = vec![&table.partition_key];
    keys.extend(&table.sort_key);
    for gsi in &table.gsis {
        if !(1..=4).contains(&gsi.partition_key.len()) {
            out.push(format!("{} has 1 to 4 partition key attributes", gsi.name));
        }
        if gsi.sort_key.len() > 4 {
            out.push(format!("{} has at most 4 sort key attributes", gsi.name));
        }
        let mut own: Vec<&str> = Vec::new();
        for k in gsi.partition_key.iter().chain(&gsi.sort_key) {
            if own.contains(&k.name.as_str()) {
                out.push(format!("{} names {} twice in its key", gsi.name, k.name));
            }
            own.push(&k.name);
        }
        keys.extend(gsi.partition_key.iter().chain(&gsi.sort_key));
    }
    for lsi in &table.lsis {
        keys.push(&lsi.sort_key);
    }
    if !table.lsis.is_empty() && table.sort_key.is_none() {
        out.push(format!(
            "table {} needs a sort key for its local secondary indexes",
            table.name
        ));
    }
    if keys.iter().any(|k| k.name.trim().is_empty()) {
        out.push("a key attribute needs a name".to_string());
    }
    let names: Vec<&str> = index_names(table).collect();
    for (i, name) in names.iter().enumerate() {
        if name.trim().is_empty() {
            out.push("an index needs a name".to_string());
        } else if names[..i].contains(name) {
            out.push(format!("index `{name}` already exists"));
        }
    }
    out
}

/// Refuses an edit that gives a table a problem it did not have.
pub fn check_table_change(before: &Table, after: &Table) -> Result<()> {
    let old = table_problems(before);
    first_new(table_problems(after), &old)
}

pub fn check_table(table: &Table) -> Result<()> {
    first_new(table_problems(table), &[])
}

fn first_new(problems: Vec<String>, old: &[String]) -> Result<()> {
    match problems.into_iter().find(|p| !old.contains(p)) {
        Some(problem) => Err(EditError::Invalid(problem)),
        None => Ok(()),
    }
}

pub fn check_template(entity: &Entity, key: &str, text: &str) -> Result<()> {
    let template = Template::parse(text)
        .map_err(|err| EditError::invalid(format!("{}[{key}] = `{text}`: {err}", entity.name)))?;
    if let Some(unknown) = template
        .unknown_attributes(|a| entity.attribute(a).is_some())
        .into_iter()
        .next()
    {
        return Err(EditError::invalid(format!(
            "{} has no attribute `{}`: add it first, or fix the name",
            entity.name, unknown.attribute
        )));
    }
    Ok(())
}

fn entity_problems(entity: &Entity, table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    for (i, a) in entity.attributes.iter().enumerate() {
        if a.name.trim().is_empty() {
            out.push(format!("an attribute of {} needs a name", entity.name));
        } else if entity.attributes[..i].iter().any(|b| b.name == a.name) {
            out.push(format!("attribute `{}` already exists", a.name));
        }
    }
    let keys = table.key_attribute_names();
    for (key, text) in &entity.keys {
        if !keys.contains(&key.as_str()) {
            out.push(format!("table {} has no key attribute `{key}`", table.name));
        } else if let Err(err) = check_template(entity, key, text) {
            out.push(err.to_string());
        }
    }
    for key in std::iter::once(&table.partition_key).chain(&table.sort_key) {
        if entity.key_template(&key.name).is_none() {
            out.push(format!(
                "{} needs a template for {}, a key of table {}",
                entity.name, key.name, table.name
            ));
        }
    }
    out
}

pub fn check_entity(entity: &Entity, table: &Table) -> Result<()> {
    first_new(entity_problems(entity, table), &[])
}

fn pattern_problems(model: &Model, pattern: &AccessPattern) -> Vec<String> {
    let mut out = Vec::new();
    for (i, name) in pattern.entities.iter().enumerate() {
        if model.entity(name).is_none() {
            out.push(format!("there is no entity `{name}`"));
        } else if pattern.entities[..i].contains(name) {
            out.push(format!("{} names entity {name} twice", pattern.id));
        }
    }
    let known = |attr: &str| knows(model, pattern, attr);
    for input in pattern
        .inputs
        .iter()
        .chain(pattern.range.iter().map(|r| &r.attribute))
    {
        if !known(input) {
            out.push(format!(
                "`{input}` is no attribute of {}",
                if pattern.entities.is_empty() {
                    "the pattern's entities (it has none)".to_string()
                } else {
                    pattern.entities.join(", ")
                }
            ));
        }
    }
    if !pin_exists(model, pattern) {
        out.push(format!(
            "the pattern's table has no index `{}`",
            pattern.index.as_deref().unwrap_or_default()
        ));
    }
    out
}

pub fn check_pattern(model: &Model, pattern: &AccessPattern) -> Result<()> {
    first_new(pattern_problems(model, pattern), &[])
}

pub fn check_pattern_change(
    model: &Model,
    before: &AccessPattern,
    after: &AccessPattern,
) -> Result<()> {
    let old = pattern_problems(model, before);
    first_new(pattern_problems(model, after), &old)
}

/// Whether one of the pattern's entities has the attribute `attr`.
fn knows(model: &Model, pattern: &AccessPattern, attr: &str) -> bool {
    pattern
        .entities
        .iter()
        .filter_map(|e| model.entity(e))
        .any(|e| e.attribute(attr).is_some())
}

/// The table a pattern runs against: its first entity's.
fn pattern_table<'m>(model: &'m Model, pattern: &AccessPattern) -> Option<&'m Table> {
    let entity = model.entity(pattern.entities.first()?)?;
    model.table(&entity.table)
}

/// Whether the index a pattern is pinned to (if any) is on its table.
pub fn pin_exists(model: &Model, pattern: &AccessPattern) -> bool {
    let Some(pin) = &pattern.index else {
        return true;
    };
    pattern_table(model, pattern)
        .is_some_and(|t| t.name == *pin || index_names(t).any(|n| n == pin))
}

// ---- cascades ----

/// Unpins the patterns on `table` pinned to an index `which` accepts.
pub fn unpin(model: &mut Model, table: &str, which: impl Fn(&str) -> bool) {
    let on_table = patterns_on(model, table);
    for p in on_table {
        let pattern = &mut model.access_patterns[p];
        if pattern.index.as_deref().is_some_and(&which) {
            pattern.index = None;
        }
    }
}

/// The positions of the patterns whose first entity lives in `table` (one pass
/// over the entities, one over the patterns).
fn patterns_on(model: &Model, table: &str) -> Vec<usize> {
    let here: std::collections::HashSet<&str> = model
        .entities
        .iter()
        .filter(|e| e.table == table)
        .map(|e| e.name.as_str())
        .collect();
    model
        .access_patterns
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.entities
                .first()
                .is_some_and(|e| here.contains(e.as_str()))
        })
        .map(|(i, _)| i)
        .collect()
}

/// Drops the templates the entities of table `t` write into key attributes no
/// index of the table has any more.
pub fn drop_unused_templates(model: &mut Model, t: usize) {
    let table = &model.tables[t];
    let keys: Vec<String> = table
        .key_attribute_names()
        .into_iter()
        .map(str::to_string)
        .collect();
    let name = table.name.clone();
    for entity in model.entities.iter_mut().filter(|e| e.table == name) {
        entity.keys.retain(|k, _| keys.contains(k));
        entity.key_aliases.retain(|k, _| keys.contains(k));
        entity.key_sources.retain(|k, _| keys.contains(k));
    }
}

/// Drops the inputs and range of `pattern` that none of its entities has.
pub fn drop_unknown_inputs(model: &Model, pattern: &mut AccessPattern) {
    let known = |attr: &str| knows(model, pattern, attr);
    let inputs: Vec<String> = pattern
        .inputs
        .iter()
        .filter(|i| known(i))
        .cloned()
        .collect();
    let keep_range = pattern.range.as_ref().is_none_or(|r| known(&r.attribute));
    pattern.inputs = inputs;
    if !keep_range {
        pattern.range = None;
    }
}

/// Patterns, pins and references let go of a removed entity.
pub fn forget_entity(model: &mut Model, name: &str) {
    for p in 0..model.access_patterns.len() {
        if !model.access_patterns[p].entities.iter().any(|e| e == name) {
            continue;
        }
        let mut pattern = model.access_patterns[p].clone();
        pattern.entities.retain(|e| e != name);
        drop_unknown_inputs(model, &mut pattern);
        if !pin_exists(model, &pattern) {
            pattern.index = None;
        }
        model.access_patterns[p] = pattern;
    }
    for entity in model.entities.iter_mut() {
        for attr in entity.attributes.iter_mut() {
            if matches!(&attr.generator, Some(Generator::Reference { entity, .. }) if entity == name)
            {
                attr.generator = None;
            }
        }
    }
}

/// The key attributes of entity `e`'s table whose value attribute `name` makes:
/// through a template that names it, or by being that key attribute itself.
pub fn keys_using(model: &Model, e: usize, name: &str) -> Vec<String> {
    let entity = &model.entities[e];
    let Some(table) = model.table(&entity.table) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, text) in &entity.keys {
        if Template::parse(text).is_ok_and(|t| t.placeholders().any(|p| p == name)) {
            out.push(key.clone());
        }
    }
    let base = std::iter::once(&table.partition_key).chain(&table.sort_key);
    for key in base {
        if key.name == name && !entity.keys.contains_key(name) {
            out.push(key.name.clone());
        }
    }
    out
}

/// Patterns, projections and references let go of a removed attribute of entity `e`.
pub fn forget_attribute(model: &mut Model, e: usize, name: &str) {
    let entity_name = model.entities[e].name.clone();
    let table_name = model.entities[e].table.clone();
    for p in 0..model.access_patterns.len() {
        if model.access_patterns[p].entities.contains(&entity_name) {
            let mut pattern = model.access_patterns[p].clone();
            drop_unknown_inputs(model, &mut pattern);
            model.access_patterns[p] = pattern;
        }
    }
    let others_keep_it = model
        .entities
        .iter()
        .any(|o| o.table == table_name && o.attribute(name).is_some());
    if !others_keep_it && let Some(table) = model.tables.iter_mut().find(|t| t.name == table_name) {
        for projection in projections(table) {
            if let Projection::Include { attributes } = projection {
                attributes.retain(|a| a != name);
            }
        }
    }
    let keys = key_names_of(model, &table_name);
    for item in model.entities[e].example_items.iter_mut() {
        if !keys.iter().any(|k| k == name) {
            item.remove(name);
        }
    }
    for entity in model.entities.iter_mut() {
        for attr in entity.attributes.iter_mut() {
            if matches!(&attr.generator, Some(Generator::Reference { entity, attribute })
                if *entity == entity_name && attribute == name)
            {
                attr.generator = None;
            }
        }
    }
}

fn key_names_of(model: &Model, table: &str) -> Vec<String> {
    model
        .table(table)
        .map(|t| {
            t.key_attribute_names()
                .into_iter()
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn projections(table: &mut Table) -> impl Iterator<Item = &mut Projection> {
    table
        .gsis
        .iter_mut()
        .map(|g| &mut g.projection)
        .chain(table.lsis.iter_mut().map(|l| &mut l.projection))
}

pub fn rename_table(model: &mut Model, table: Uid, old: &str, new: &str) {
    let Some(t) = model.table_pos(table) else {
        return;
    };
    // Entities name their table: with two tables of one name they belong to the
    // first, and renaming a later one leaves them where they are.
    let owner = model.tables.iter().position(|o| o.name == old) == Some(t);
    model.tables[t].name = new.to_string();
    if !owner {
        return;
    }
    let on_table = patterns_on(model, old);
    for entity in model.entities.iter_mut().filter(|e| e.table == old) {
        entity.table = new.to_string();
    }
    for p in on_table {
        let pattern = &mut model.access_patterns[p];
        if pattern.index.as_deref() == Some(old) {
            pattern.index = Some(new.to_string());
        }
    }
    if let Some(conventions) = &mut model.conventions {
        for expected in conventions
            .expected_tables
            .iter_mut()
            .filter(|t| t.name == old)
        {
            expected.name = new.to_string();
        }
    }
}

pub fn rename_index(model: &mut Model, table: Uid, index: Uid, old: &str, new: &str) {
    let Some(t) = model.table_pos(table) else {
        return;
    };
    let table_ref = &mut model.tables[t];
    for gsi in table_ref.gsis.iter_mut().filter(|g| g.uid.get() == index) {
        gsi.name = new.to_string();
    }
    for lsi in table_ref.lsis.iter_mut().filter(|l| l.uid.get() == index) {
        lsi.name = new.to_string();
    }
    let table_name = table_ref.name.clone();
    for p in patterns_on(model, &table_name) {
        let pattern = &mut model.access_patterns[p];
        if pattern.index.as_deref() == Some(old) {
            pattern.index = Some(new.to_string());
        }
    }
}

pub fn rename_entity(model: &mut Model, entity: Uid, old: &str, new: &str) {
    if let Some(e) = model.entity_pos(entity) {
        model.entities[e].name = new.to_string();
    }
    for e in model.entities.iter_mut() {
        for attr in e.attributes.iter_mut() {
            if let Some(Generator::Reference { entity: target, .. }) = &mut attr.generator
                && target == old
            {
                *target = new.to_string();
            }
        }
    }
    for pattern in model.access_patterns.iter_mut() {
        for name in pattern.entities.iter_mut().filter(|n| *n == old) {
            *name = new.to_string();
        }
    }
}

/// `text` with every `{old}` placeholder (padded or not) naming `new` instead.
pub fn rename_placeholder(text: &str, old: &str, new: &str) -> String {
    let Ok(template) = Template::parse(text) else {
        return text.to_string();
    };
    if !template.placeholders().any(|p| p == old) {
        return text.to_string();
    }
    let segments: Vec<Segment> = template
        .segments
        .into_iter()
        .map(|s| match s {
            Segment::Placeholder {
                attribute,
                width,
                column,
            } if attribute == old => Segment::Placeholder {
                attribute: Cow::Owned(new.to_string()),
                width,
                column,
            },
            other => other,
        })
        .collect();
    crate::model::template::segments_text(&segments)
}

pub fn rename_attribute(model: &mut Model, entity: Uid, attribute: Uid, old: &str, new: &str) {
    let Some(e) = model.entity_pos(entity) else {
        return;
    };
    let table_name = model.entities[e].table.clone();
    let keys = key_names_of(model, &table_name);
    let entity_name = model.entities[e].name.clone();
    {
        let ent = &mut model.entities[e];
        for attr in ent
            .attributes
            .iter_mut()
            .filter(|a| a.uid.get() == attribute)
        {
            attr.name = new.to_string();
        }
        for template in ent.keys.values_mut() {
            *template = rename_placeholder(template, old, new);
        }
        // The attribute was the value of the key attribute of its own name: now a
        // template says so.
        if keys.iter().any(|k| k == old) && !ent.keys.contains_key(old) {
            ent.keys.insert(old.to_string(), format!("{{{new}}}"));
        }
        for item in ent.example_items.iter_mut() {
            if let Some(value) = item.get(old).cloned() {
                item.insert(new.to_string(), value);
                if !keys.iter().any(|k| k == old) {
                    item.remove(old);
                }
            }
        }
    }
    for pattern in model
        .access_patterns
        .iter_mut()
        .filter(|p| p.entities.contains(&entity_name))
    {
        for input in pattern.inputs.iter_mut().filter(|i| *i == old) {
            *input = new.to_string();
        }
        if let Some(range) = &mut pattern.range
            && range.attribute == old
        {
            range.attribute = new.to_string();
        }
    }
    for other in model.entities.iter_mut() {
        for attr in other.attributes.iter_mut() {
            if let Some(Generator::Reference {
                entity: target,
                attribute: target_attribute,
            }) = &mut attr.generator
                && *target == entity_name
                && target_attribute == old
            {
                *target_attribute = new.to_string();
            }
        }
    }
    // Projections and the time to live name attributes across the table: the old
    // name stays while another entity of the table still has it.
    let others_keep_it = model
        .entities
        .iter()
        .any(|o| o.table == table_name && o.name != entity_name && o.attribute(old).is_some());
    if let Some(table) = model.tables.iter_mut().find(|t| t.name == table_name) {
        for projection in projections(table) {
            if let Projection::Include { attributes } = projection
                && attributes.iter().any(|a| a == old)
            {
                if !attributes.iter().any(|a| a == new) {
                    attributes.push(new.to_string());
                }
                if !others_keep_it {
                    attributes.retain(|a| a != old);
                }
                attributes.sort();
            }
        }
        if !others_keep_it
            && let Some(ttl) = &mut table.ttl
            && ttl.attribute == old
        {
            ttl.attribute = new.to_string();
        }
    }
}

pub fn rename_key_attribute(model: &mut Model, t: usize, from: &str, to: &str) {
    let table = &mut model.tables[t];
    let rename = |k: &mut KeyAttribute| {
        if k.name == from {
            k.name = to.to_string();
        }
    };
    rename(&mut table.partition_key);
    table.sort_key.iter_mut().for_each(rename);
    for gsi in table.gsis.iter_mut() {
        gsi.partition_key.iter_mut().for_each(rename);
        gsi.sort_key.iter_mut().for_each(rename);
    }
    for lsi in table.lsis.iter_mut() {
        rename(&mut lsi.sort_key);
    }
    let table_name = table.name.clone();
    for entity in model.entities.iter_mut().filter(|e| e.table == table_name) {
        match entity.keys.remove(from) {
            Some(template) => {
                entity.keys.insert(to.to_string(), template);
            }
            // The entity wrote the key through its attribute of that name.
            None if entity.attribute(from).is_some() => {
                entity.keys.insert(to.to_string(), format!("{{{from}}}"));
            }
            None => {}
        }
        if let Some(alias) = entity.key_aliases.remove(from) {
            entity.key_aliases.insert(to.to_string(), alias);
        }
        if let Some(source) = entity.key_sources.remove(from) {
            entity.key_sources.insert(to.to_string(), source);
        }
        let attribute_too = entity.attribute(from).is_some();
        for item in entity.example_items.iter_mut() {
            if let Some(value) = item.get(from).cloned() {
                item.insert(to.to_string(), value);
                if !attribute_too {
                    item.remove(from);
                }
            }
        }
    }
}

/// A template for a base key an entity does not write: its first attribute for
/// the partition key, its name in capitals for the sort key.
fn default_template(entity: &Entity, partition: bool) -> String {
    match entity.attributes.first() {
        Some(a) if partition && is_attribute_name(&a.name) => format!("{{{}}}", a.name),
        _ => format!(
            "#{}",
            entity
                .name
                .to_ascii_uppercase()
                .replace('{', "{{")
                .replace('}', "}}")
        ),
    }
}

pub fn move_entity(model: &mut Model, e: usize, t: usize) {
    let table = model.tables[t].clone();
    let keys = table.key_attribute_names();
    let entity_name = model.entities[e].name.clone();
    let entity = &mut model.entities[e];
    entity.table = table.name.clone();
    entity.keys.retain(|k, _| keys.contains(&k.as_str()));
    entity.key_aliases.retain(|k, _| keys.contains(&k.as_str()));
    entity.key_sources.retain(|k, _| keys.contains(&k.as_str()));
    let base = std::iter::once((&table.partition_key, true))
        .chain(table.sort_key.iter().map(|k| (k, false)));
    for (key, partition) in base {
        if entity.key_template(&key.name).is_none() {
            let template = default_template(entity, partition);
            entity.keys.insert(key.name.clone(), template);
        }
    }
    for p in 0..model.access_patterns.len() {
        let pattern = &model.access_patterns[p];
        if pattern.entities.first() == Some(&entity_name) && !pin_exists(model, pattern) {
            model.access_patterns[p].index = None;
        }
    }
}

pub fn set_sort_key(model: &mut Model, t: usize, sort_key: Option<&KeyAttribute>) -> Result<()> {
    let table = &model.tables[t];
    match (table.sort_key.clone(), sort_key) {
        (None, None) => Ok(()),
        (Some(_), None) => {
            if !table.lsis.is_empty() {
                return Err(EditError::invalid(format!(
                    "table {}'s local secondary indexes need its sort key: remove them first",
                    table.name
                )));
            }
            model.tables[t].sort_key = None;
            drop_unused_templates(model, t);
            Ok(())
        }
        (None, Some(new)) => {
            if new.name.trim().is_empty() {
                return Err(EditError::invalid("a key attribute needs a name"));
            }
            if new.name == table.partition_key.name {
                return Err(EditError::Taken {
                    kind: "key attribute",
                    name: new.name.clone(),
                });
            }
            let table_name = table.name.clone();
            model.tables[t].sort_key = Some(new.clone());
            for entity in model.entities.iter_mut().filter(|e| e.table == table_name) {
                if entity.key_template(&new.name).is_none() {
                    let template = default_template(entity, false);
                    entity.keys.insert(new.name.clone(), template);
                }
            }
            Ok(())
        }
        (Some(old), Some(new)) => {
            if old.name != new.name {
                let keys = table.key_attribute_names();
                if keys.contains(&new.name.as_str()) {
                    return Err(EditError::Taken {
                        kind: "key attribute",
                        name: new.name.clone(),
                    });
                }
                if new.name.trim().is_empty() {
                    return Err(EditError::invalid("a key attribute needs a name"));
                }
                rename_key_attribute(model, t, &old.name, &new.name);
            }
            if let Some(sk) = &mut model.tables[t].sort_key {
                sk.key_type = new.key_type;
            }
            Ok(())
        }
    }
}
