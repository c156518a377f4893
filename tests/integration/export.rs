//! The exporters on the bundled models: golden files (checked in, compared byte
//! for byte; `UPDATE_GOLDEN=1 cargo test --test integration export` rewrites
//! them on purpose), the NoSQL Workbench round trip, and `dynamodel export`.

use std::fs;
use std::path::PathBuf;

use dynamodel::analysis::sample_items::{self, SampleCounts};
use dynamodel::export::{
    self, ExportFormat, ExportOptions, ImportFormat, NoteKind, export, import_str,
};
use dynamodel::model::samples::SAMPLES;
use dynamodel::model::{self, Model};

use crate::cli::run;

use crate::golden_dir;

/// (file suffix, format, YAML) of every golden file per model.
const GOLDEN: &[(&str, ExportFormat, bool)] = &[
    ("dynamodb_data_model.md", ExportFormat::Markdown, false),
    ("nosql-workbench.json", ExportFormat::NosqlWorkbench, false),
    ("dynamodb_data_model.json", ExportFormat::McpJson, false),
    ("cfn.json", ExportFormat::CloudFormation, false),
    ("cfn.yaml", ExportFormat::CloudFormation, true),
];

#[test]
fn exports_match_the_golden_files() {
    let mut stale = Vec::new();
    for sample in SAMPLES {
        let model = sample.load().unwrap();
        for (suffix, format, yaml) in GOLDEN {
            let options = ExportOptions {
                yaml: *yaml,
                ..ExportOptions::default()
            };
            let text = export(&model, *format, &options).text;
            stale.extend(crate::golden(&format!("{}.{suffix}", sample.id), &text));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nIf the change is meant, rewrite them: UPDATE_GOLDEN=1 cargo test --test integration export",
        stale.join("\n")
    );
}

#[test]
fn exports_are_byte_identical_run_to_run() {
    for sample in SAMPLES {
        let model = sample.load().unwrap();
        for (_, format, yaml) in GOLDEN {
            let options = ExportOptions {
                yaml: *yaml,
                ..ExportOptions::default()
            };
            assert_eq!(
                export(&model, *format, &options),
                export(&model, *format, &options),
                "{} as {}",
                sample.id,
                format.id()
            );
        }
    }
}

fn without_descriptions(model: &Model) -> Model {
    let mut m = model.clone();
    m.description.clear();
    for t in &mut m.tables {
        t.description.clear();
    }
    m
}

#[test]
fn nosql_workbench_round_trip_keeps_tables_keys_indexes_entities_and_items() {
    for sample in SAMPLES {
        let model = sample.load().unwrap();
        let text = export(
            &model,
            ExportFormat::NosqlWorkbench,
            &ExportOptions::default(),
        )
        .text;
        let path = PathBuf::from(format!("{}.json", sample.id));
        let back = import_str(&text, &path, ImportFormat::NosqlWorkbench).unwrap();
        assert_eq!(
            back.model, model,
            "{}: the whole model comes back",
            sample.id
        );

        // Even when NoSQL Workbench has saved the file (and dropped the
        // `dynamodel` field), the tables, keys, indexes, entities and items stay.
        let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        doc.as_object_mut().unwrap().remove("dynamodel");
        let bare = import_str(&doc.to_string(), &path, ImportFormat::NosqlWorkbench).unwrap();
        let m = &bare.model;
        for (t, original) in m.tables.iter().zip(&model.tables) {
            assert_eq!(t.name, original.name);
            assert_eq!(t.partition_key, original.partition_key);
            assert_eq!(t.sort_key, original.sort_key);
            assert_eq!(t.gsis, original.gsis, "{}", t.name);
            assert_eq!(t.billing, original.billing);
        }
        assert_eq!(m.tables.len(), model.tables.len());
        let items = sample_items::generate(&model, &SampleCounts::default());
        for original in &model.entities {
            let e = m
                .entity(&original.name)
                .unwrap_or_else(|| panic!("{} lost", original.name));
            assert_eq!(e.table, original.table);
            for (key, template) in &original.keys {
                assert_eq!(
                    e.keys.get(key),
                    Some(template),
                    "{}[{key}] in {}",
                    original.name,
                    sample.id
                );
            }
            assert_eq!(
                e.example_items,
                items.items_of(&original.name),
                "{}",
                original.name
            );
        }
        // What was written is what is read: the items regenerate to the same set.
        let again = sample_items::generate(m, &SampleCounts::default());
        for original in &model.entities {
            assert_eq!(
                again.items_of(&original.name),
                items.items_of(&original.name)
            );
        }
        assert!(bare.report.of_kind(NoteKind::Inferred).count() > 0);
    }
}

#[test]
fn mcp_json_round_trip_keeps_tables_and_items() {
    for sample in SAMPLES {
        let model = sample.load().unwrap();
        let text = export(&model, ExportFormat::McpJson, &ExportOptions::default()).text;
        let back = import_str(
            &text,
            &PathBuf::from("dynamodb_data_model.json"),
            ImportFormat::McpJson,
        )
        .unwrap()
        .model;
        assert_eq!(
            back.tables,
            without_descriptions(&model).tables,
            "{}",
            sample.id
        );
        let again = export(&back, ExportFormat::McpJson, &ExportOptions::default()).text;
        let (a, b): (serde_json::Value, serde_json::Value) = (
            serde_json::from_str(&text).unwrap(),
            serde_json::from_str(&again).unwrap(),
        );
        assert_eq!(a["tables"], b["tables"]);
        assert_eq!(a["items"], b["items"], "{}", sample.id);
        assert_eq!(back.access_patterns.len(), model.access_patterns.len());
    }
}

fn asset(id: &str) -> String {
    crate::root()
        .join(format!("assets/models/{id}.{}", model::FILE_EXTENSION))
        .display()
        .to_string()
}

#[test]
fn the_cli_exports_to_stdout_or_a_file() {
    let (code, out, err) = run(&["export", &asset("ecommerce"), "--to", "markdown"]);
    assert_eq!(code, 0, "{err}");
    let golden = fs::read_to_string(golden_dir().join("ecommerce.dynamodb_data_model.md")).unwrap();
    assert_eq!(out, golden);

    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("template.yaml");
    let (code, out, err) = run(&[
        "export",
        &asset("ecommerce"),
        "--to=cloudformation",
        "--yaml",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("wrote"), "{err}");
    assert!(
        err.contains("a template creates tables only"),
        "the report goes to stderr: {err}"
    );
    let written = fs::read_to_string(&target).unwrap();
    assert_eq!(
        written,
        fs::read_to_string(golden_dir().join("ecommerce.cfn.yaml")).unwrap()
    );
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn the_cli_export_takes_the_sample_count() {
    let (code, out, _) = run(&[
        "export",
        &asset("ecommerce"),
        "--to",
        "mcp-json",
        "--items",
        "2",
    ]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["items"]["Users"].as_array().unwrap().len(), 6);
}

#[test]
fn the_cli_export_refuses_bad_usage() {
    for (args, expected) in [
        (
            vec!["export", "--to", "yaml"],
            "invalid value 'yaml' for '--to <FORMAT>'",
        ),
        (vec!["export"], "not provided:\n  --to <FORMAT>"),
        (
            vec!["export", "--to", "markdown", "--yaml"],
            "--yaml is for --to cloudformation",
        ),
        (
            vec!["export", "--to", "markdown", "--items", "many"],
            "invalid value 'many' for '--items <N>': expected a number",
        ),
        (
            vec!["export", "a", "b", "--to", "markdown"],
            "unexpected argument 'b'",
        ),
        (
            vec!["export", "--to"],
            "a value is required for '--to <FORMAT>'",
        ),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let (code, _, err) = run(&["export", "/nope/missing.dynamodel.json", "--to", "markdown"]);
    assert_eq!(code, 2);
    assert!(err.contains("/nope/missing.dynamodel.json"), "{err}");
}

#[test]
fn usage_lists_export_and_import() {
    let (_, out, _) = run(&["--help"]);
    assert!(out.contains(
        "dynamodel export [FILE] --to markdown|nosql-workbench|mcp-json|cloudformation|svg"
    ));
    assert!(out.contains("dynamodel import SOURCE --from nosql-workbench|mcp-json"));
    assert_eq!(export::ExportFormat::ALL.len(), 6);
}
