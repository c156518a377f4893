//! The model holds together: names unique, templates parse and name real attributes,
//! entities live in real tables and write their keys, patterns name real entities.

use crate::analysis::fxhash::FxHashSet as HashSet;

use super::{Input, PatternInput, finding};
use crate::analysis::findings::{Finding, Location, Severity};

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    let model = ctx.model;
    duplicates(input, out);

    for info in &ctx.entities {
        let entity = info.entity;
        let Some(t) = info.table else {
            out.push(finding(
                "model.unknown-table",
                Severity::Error,
                Location::entity(&entity.name),
                format!(
                    "entity {} is stored in table `{}`, which does not exist",
                    entity.name, entity.table
                ),
                "pick one of the model's tables, or add the table",
            ));
            continue;
        };
        let table = &model.tables[t];
        for key in ctx.tables[t].indexes[0].key_attributes() {
            if !info.templates.contains_key(key.name.as_str()) {
                out.push(finding(
                    "model.missing-key",
                    Severity::Error,
                    Location::template(&entity.name, &key.name),
                    format!(
                        "entity {} writes no value for {}, the {} key of table {}",
                        entity.name,
                        key.name,
                        if key.name == table.partition_key.name {
                            "partition"
                        } else {
                            "sort"
                        },
                        table.name
                    ),
                    format!(
                        "give {} a template such as {{{}}}",
                        key.name,
                        first_attribute(entity)
                    ),
                ));
            }
        }
        for (key_attr, parsed) in info.templates.iter() {
            // Findings quote a bounded excerpt: a template can be any length.
            let text = || excerpt(&entity.key_template(key_attr).unwrap_or_default()).into_owned();
            match parsed {
                Err(err) => out.push(finding(
                    "model.template-syntax",
                    Severity::Error,
                    Location::template(&entity.name, key_attr),
                    format!("{}[{key_attr}] = `{}`: {err}", entity.name, text()),
                    "placeholders are {attribute}; write {{ and }} for literal braces",
                )),
                Ok(tpl) => {
                    // One finding per template, however many placeholders miss.
                    let unknown = tpl.unknown_attributes(|a| entity.attribute(a).is_some());
                    let Some(first) = unknown.first() else {
                        continue;
                    };
                    let mut names: Vec<&str> = Vec::new();
                    let mut seen = crate::analysis::fxhash::FxHashSet::default();
                    for u in &unknown {
                        if seen.insert(u.attribute.as_str()) {
                            names.push(&u.attribute);
                        }
                    }
                    let mut message = format!(
                        "{}[{key_attr}] = `{}`: column {}: entity {} has no attribute `{}`",
                        entity.name,
                        text(),
                        first.column,
                        entity.name,
                        first.attribute
                    );
                    if names.len() > 1 {
                        let shown: Vec<String> = names[1..]
                            .iter()
                            .take(3)
                            .map(|n| format!("`{n}`"))
                            .collect();
                        message.push_str(&format!(" nor {}", shown.join(", ")));
                        if names.len() > 4 {
                            message.push_str(&format!(" and {} more", names.len() - 4));
                        }
                    }
                    if unknown.len() > names.len() {
                        message.push_str(&format!(
                            " ({} placeholders in all)",
                            crate::analysis::format::count(unknown.len() as f64)
                        ));
                    }
                    out.push(finding(
                        "model.unknown-attribute",
                        Severity::Error,
                        Location::template(&entity.name, key_attr),
                        message,
                        format!(
                            "add the attribute `{}` to {}, or fix the name",
                            first.attribute, entity.name
                        ),
                    ));
                }
            }
        }
        let key_names = &ctx.tables[t].key_names;
        for key_attr in entity.keys.keys() {
            if !key_names.contains(&key_attr.as_str()) {
                out.push(finding(
                    "model.unknown-key-attribute",
                    Severity::Warning,
                    Location::template(&entity.name, key_attr),
                    format!(
                        "entity {} writes {key_attr}, but no index of table {} has that key attribute",
                        entity.name, table.name
                    ),
                    "remove the template, or add the index it was meant for",
                ));
            }
        }
    }
}

/// The entities and inputs one access pattern names exist.
pub fn check_pattern(input: &Input, at: PatternInput, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    let (p, pattern) = (at.position, at.pattern);
    // The entities the pattern names that exist.
    let mut known: smallvec::SmallVec<[usize; 4]> = smallvec::SmallVec::new();
    for (name, found) in pattern.entities.iter().zip(ctx.pattern_entities(p)) {
        if let Some(e) = found {
            known.push(e);
        } else {
            out.push(finding(
                "model.unknown-entity",
                Severity::Error,
                Location::pattern(&pattern.id),
                format!("{} names entity `{name}`, which does not exist", pattern.id),
                "pick one of the model's entities",
            ));
        }
    }
    if known.is_empty() {
        return;
    }
    let attrs = || {
        known
            .iter()
            .flat_map(|&e| ctx.entities[e].entity.attributes.iter())
    };
    for input_name in pattern
        .inputs
        .iter()
        .chain(pattern.range.iter().map(|r| &r.attribute))
    {
        if !attrs().any(|a| &a.name == input_name) {
            out.push(finding(
                "model.unknown-input",
                Severity::Warning,
                Location::pattern(&pattern.id),
                format!(
                    "{} knows `{input_name}`, which is no attribute of {}",
                    pattern.id,
                    pattern.entities.join(", ")
                ),
                "name an attribute of the pattern's entities",
            ));
        }
    }
}

fn first_attribute(entity: &crate::model::Entity) -> &str {
    entity
        .attributes
        .first()
        .map(|a| a.name.as_str())
        .unwrap_or("id")
}

fn duplicates(input: &Input, out: &mut Vec<Finding>) {
    let model = input.ctx.model;
    let mut seen = HashSet::default();
    for table in &model.tables {
        if !seen.insert(table.name.as_str()) {
            out.push(dup(Location::table(&table.name), "table", &table.name));
        }
        let names = table
            .gsis
            .iter()
            .map(|g| g.name.as_str())
            .chain(table.lsis.iter().map(|l| l.name.as_str()));
        for name in repeated(names) {
            out.push(dup(Location::index(&table.name, name), "index", name));
        }
    }
    let mut seen = HashSet::default();
    seen.reserve(model.entities.len());
    for entity in &model.entities {
        if !seen.insert(entity.name.as_str()) {
            out.push(dup(Location::entity(&entity.name), "entity", &entity.name));
        }
        for name in repeated(entity.attributes.iter().map(|a| a.name.as_str())) {
            out.push(dup(
                Location::attribute(&entity.name, name),
                "attribute",
                name,
            ));
        }
    }
    let mut seen = HashSet::default();
    seen.reserve(model.access_patterns.len());
    for p in &model.access_patterns {
        if !seen.insert(p.id.as_str()) {
            out.push(dup(Location::pattern(&p.id), "access pattern id", &p.id));
        }
    }
}

/// Each name that an earlier one already had, in order. A handful of names are
/// compared with the earlier ones (cheaper than hashing); more are hashed, so
/// thousands of indexes or attributes stay linear.
fn repeated<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    const COMPARE_UP_TO: usize = 16;
    let names: Vec<&str> = names.collect();
    if names.len() <= COMPARE_UP_TO {
        return names
            .iter()
            .enumerate()
            .filter(|(i, n)| names[..*i].contains(n))
            .map(|(_, n)| *n)
            .collect();
    }
    let mut seen = HashSet::default();
    names.into_iter().filter(|n| !seen.insert(*n)).collect()
}

fn dup(location: Location, what: &str, name: &str) -> Finding {
    finding(
        "model.duplicate-name",
        Severity::Error,
        location,
        format!("{what} `{name}` is defined twice"),
        "rename one of them",
    )
}

/// At most `EXCERPT_CHARS` characters of `text`, with `…` when cut.
fn excerpt(text: &str) -> std::borrow::Cow<'_, str> {
    const EXCERPT_CHARS: usize = 80;
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}
