//! Reading a NoSQL Workbench model: the document around the tables (name,
//! metadata, unknown fields), each table (see `import_table`), and the
//! `dynamodel` field that restores what the format cannot carry.

use serde_json::Value;

use super::super::json_read::{ShapeError, Walk};
use super::super::{Imported, NoteKind, Report};
use super::import_table::read_table;
use super::{EXTENSION_FIELD, VERSION, workbench_document};
use crate::analysis::sample_items::{self, SampleCounts};
use crate::model::{Model, Profile};

type Result<T> = std::result::Result<T, ShapeError>;

/// Top-level fields read here; any other is reported as not imported.
const DOCUMENT_FIELDS: &[&str] = &["ModelName", "ModelMetadata", "DataModel", EXTENSION_FIELD];

pub fn import(value: &Value, file_stem: &str) -> Result<Imported> {
    let root = Walk::root(value);
    root.object()?;
    let mut report = Report::default();
    let extension = read_extension(&root, &mut report)?;

    if let Some((embedded, counts)) = &extension {
        let mut stripped = root.object()?.clone();
        stripped.remove(EXTENSION_FIELD);
        let expected = workbench_document(embedded, counts, &mut Report::default());
        if expected == stripped {
            report.push(
                NoteKind::Kept,
                EXTENSION_FIELD,
                "the NoSQL Workbench part is as dynamodel exported it: the whole model is read from this field",
            );
            return Ok(Imported {
                model: embedded.clone(),
                report,
            });
        }
    }

    let name = match root.opt("ModelName")? {
        Some(n) => n.name()?.to_string(),
        None => {
            report.push(
                NoteKind::Inferred,
                "ModelName",
                format!("missing: the model is named `{file_stem}`"),
            );
            file_stem.to_string()
        }
    };
    let mut model = Model::new(name);
    model.profile = Profile::SingleTable;
    report.push(
        NoteKind::Inferred,
        ".",
        "checked as a single-table design (NoSQL Workbench models usually are); switch the profile for the workshop's conventions",
    );
    match root.opt("ModelMetadata")? {
        Some(meta) => {
            if let Some(version) = meta.opt("Version")? {
                let v = version.str()?;
                if !matches!(v, "3.0" | "2.0") {
                    report.push(
                        NoteKind::Inferred,
                        version.path(),
                        format!("version {v} is unknown here; read as {VERSION}"),
                    );
                }
            }
            if let Some(d) = meta.opt("Description")? {
                model.description = d.str()?.trim().to_string();
            }
            if let Some(author) = meta.opt("Author")?
                && !author.str()?.trim().is_empty()
            {
                report.push(
                    NoteKind::Dropped,
                    author.path(),
                    "the model has no author field",
                );
            }
        }
        None => report.push(
            NoteKind::Inferred,
            "ModelMetadata",
            format!("missing: read as version {VERSION}"),
        ),
    }

    for (field, value) in root.entries()? {
        if !DOCUMENT_FIELDS.contains(&field) {
            report.push(
                NoteKind::Dropped,
                value.path(),
                format!(
                    "`{field}` is not a NoSQL Workbench field this importer knows: not imported"
                ),
            );
        }
    }
    for t in root.field("DataModel")?.items()? {
        read_table(&t, &mut model, &mut report)?;
    }
    if model.entities.iter().any(|e| !e.example_items.is_empty()) {
        report.push(
            NoteKind::Inferred,
            "DataModel",
            "the items are kept as each entity's example items; item counts are unknown (1,000 per entity assumed)",
        );
    }
    if let Some((embedded, counts)) = extension {
        overlay(&mut model, &embedded, &counts, &mut report);
    }
    Ok(Imported { model, report })
}

/// The `dynamodel` field: the model and the sample counts it was exported with.
fn read_extension(root: &Walk, report: &mut Report) -> Result<Option<(Model, SampleCounts)>> {
    let Some(field) = root.opt(EXTENSION_FIELD)? else {
        return Ok(None);
    };
    let model = match field.opt("model")? {
        Some(m) => {
            // A model a newer dynamodel wrote: refused here, naming the field,
            // rather than read in part.
            if let Some(version) = m.opt("format_version")?
                && let Some(v) = version.value.as_u64()
                && v > u64::from(crate::model::FORMAT_VERSION)
            {
                return Err(version.error(format!(
                    "{v} is newer than this dynamodel understands (up to {}): update dynamodel to import it",
                    crate::model::FORMAT_VERSION
                )));
            }
            match serde_json::from_value::<Model>(m.value.clone()) {
                Ok(model) => model,
                Err(e) => {
                    report.push(
                    NoteKind::Dropped,
                    m.path(),
                    format!("not a dynamodel model ({e}); imported from the NoSQL Workbench part only"),
                );
                    return Ok(None);
                }
            }
        }
        None => return Ok(None),
    };
    let mut counts = SampleCounts::default();
    if let Some(samples) = field.opt("sample_items")? {
        if let Some(d) = samples.opt("default")? {
            counts.default = sample_count(&d)?;
        }
        if let Some(per) = samples.opt("per_entity")? {
            for (entity, n) in per.entries()? {
                counts
                    .per_entity
                    .insert(entity.to_string(), sample_count(&n)?);
            }
        }
    }
    Ok(Some((model, counts)))
}

/// A number of sample items per entity, within [`sample_items::MAX_SAMPLE_ITEMS`].
fn sample_count(field: &Walk) -> std::result::Result<usize, ShapeError> {
    let n = field.u64()?;
    match usize::try_from(n) {
        Ok(n) if n <= sample_items::MAX_SAMPLE_ITEMS => Ok(n),
        _ => Err(field.error(format!(
            "{n} sample items per entity is more than the {} dynamodel makes",
            crate::analysis::format::count(sample_items::MAX_SAMPLE_ITEMS as f64)
        ))),
    }
}

/// The file was changed in NoSQL Workbench after export: its tables, facets and
/// items win, and the `dynamodel` field restores what the format cannot carry.
fn overlay(model: &mut Model, embedded: &Model, counts: &SampleCounts, report: &mut Report) {
    report.push(
        NoteKind::Kept,
        EXTENSION_FIELD,
        "the NoSQL Workbench part changed since export: it is read as it is now, and the rest (patterns, templates, generators, multi-attribute GSI keys, time to live, streams, descriptions) is restored from this field",
    );
    if model.description.is_empty() {
        model.description = embedded.description.clone();
    }
    model.trade_offs = embedded.trade_offs.clone();
    model.profile = embedded.profile;
    model.conventions = embedded.conventions.clone();
    model.access_patterns = embedded.access_patterns.clone();
    for table in &mut model.tables {
        let Some(old) = embedded.table(&table.name) else {
            continue;
        };
        table.description = old.description.clone();
        // The format has no place for these; LSIs it writes in its own shape, so
        // one the Workbench part lacks was removed there.
        table.ttl = old.ttl.clone();
        table.stream = old.stream;
        for gsi in &mut table.gsis {
            let Some(was) = old.gsi(&gsi.name) else {
                continue;
            };
            if was.partition_key.first() == gsi.partition_key.first()
                && was.sort_key.first() == gsi.sort_key.first()
            {
                gsi.partition_key = was.partition_key.clone();
                gsi.sort_key = was.sort_key.clone();
                gsi.provisioned = was.provisioned;
            }
        }
    }
    for entity in &mut model.entities {
        let Some(old) = embedded.entity(&entity.name) else {
            continue;
        };
        entity.description = old.description.clone();
        entity.item_count = old.item_count;
        for attr in &mut entity.attributes {
            if let Some(was) = old.attribute(&attr.name) {
                let attr_type = attr.attr_type;
                *attr = was.clone();
                attr.attr_type = attr_type;
            }
        }
        let base: Vec<String> = model
            .tables
            .iter()
            .find(|t| t.name == entity.table)
            .map(|t| {
                std::iter::once(&t.partition_key)
                    .chain(t.sort_key.iter())
                    .map(|k| k.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        for (k, template) in &old.keys {
            // The key aliases carry the base keys; the rest comes from the field.
            if !base.contains(k) || !entity.keys.contains_key(k) {
                entity.keys.insert(k.clone(), template.clone());
            }
        }
        entity
            .attributes
            .retain(|a| !entity.keys.contains_key(&a.name) || old.attribute(&a.name).is_some());
    }
    // Items the generators make anyway need not be kept as examples.
    let mut generated_model = model.clone();
    for e in &mut generated_model.entities {
        e.example_items = embedded
            .entity(&e.name)
            .map(|o| o.example_items.clone())
            .unwrap_or_default();
    }
    let generated = sample_items::generate(&generated_model, counts);
    for entity in &mut model.entities {
        if generated.items_of(&entity.name) == entity.example_items.as_slice() {
            entity.example_items = embedded
                .entity(&entity.name)
                .map(|o| o.example_items.clone())
                .unwrap_or_default();
        }
    }
}
