//! The short fuzz run: 100 to 5,000 inputs per reader from a fixed seed (a few
//! seconds in all in a debug build), made
//! from the bundled models and the fixtures (see `fuzz/engine.rs`). No input may
//! panic, run past the deadline or break a property; a failure prints the input.
//! The long run is `scripts/fuzz.sh` (`examples/fuzz.rs`).

pub mod engine;

use std::sync::OnceLock;
use std::time::Duration;

use engine::{Corpus, Plan, Reader, describe, fuzz};

/// The seed of the short run; the long run starts from the same seed.
const SEED: u64 = 0x0D15_EA5E;

fn corpus() -> &'static Corpus {
    static CORPUS: OnceLock<Corpus> = OnceLock::new();
    CORPUS.get_or_init(|| Corpus::load(&crate::root(), &crate::shared()))
}

/// Runs `count` inputs of `reader`; fails listing every input that panicked, ran
/// past the deadline or broke a property.
fn short_run(reader: Reader, count: u64) {
    let plan = Plan {
        seed: SEED,
        first: 0,
        count,
        // Generous: a debug build on a shared machine. The bound is a property
        // of each input, not a timing of the run.
        deadline: Duration::from_secs(10),
        time_limit: None,
    };
    let tally = fuzz(reader, corpus(), &plan, None, |_| {});
    let failures: Vec<String> = tally
        .failures
        .iter()
        .map(|f| describe(reader, f, 2000))
        .collect();
    assert!(
        tally.clean(),
        "{} panics, {} timeouts, {} broken properties in {} inputs:\n{}",
        tally.panics,
        tally.timeouts,
        tally.broken,
        tally.inputs,
        failures.join("\n")
    );
    assert_eq!(tally.inputs, count);
    // The inputs reach past the first check: some are read, some refused.
    assert!(tally.rejected > 0, "{reader:?}: every input was accepted");
    if reader != Reader::Mysql {
        assert!(tally.accepted > 0, "{reader:?}: every input was refused");
    }
}

#[test]
fn the_corpus_has_seeds_of_every_kind() {
    let c = corpus();
    for (kind, n) in [
        ("models", c.models.len()),
        ("NoSQL Workbench", c.workbench.len()),
        ("MCP JSON", c.mcp.len()),
        ("MySQL", c.mysql.len()),
        ("migration contract", c.contract.len()),
        ("templates", c.templates.len()),
    ] {
        assert!(n > 0, "no {kind} seeds");
    }
}

#[test]
fn generation_is_repeatable() {
    for reader in Reader::ALL {
        assert_eq!(Reader::from_id(reader.id()), Some(reader));
        for index in [0, 1, 999] {
            assert_eq!(
                engine::generate(reader, corpus(), SEED, index),
                engine::generate(reader, corpus(), SEED, index)
            );
        }
    }
}

#[test]
fn fuzz_model_file() {
    short_run(Reader::ModelFile, 200);
}

#[test]
fn fuzz_template() {
    short_run(Reader::Template, 5000);
}

#[test]
fn fuzz_import_nosql_workbench() {
    short_run(Reader::NosqlWorkbench, 500);
}

#[test]
fn fuzz_import_mcp_json() {
    short_run(Reader::McpJson, 500);
}

#[test]
fn fuzz_import_mysql() {
    short_run(Reader::Mysql, 200);
}

#[test]
fn fuzz_import_migration_contract() {
    short_run(Reader::MigrationContract, 200);
}

#[test]
fn fuzz_export_markdown() {
    short_run(Reader::Markdown, 100);
}

#[test]
fn fuzz_export_cloudformation() {
    short_run(Reader::CloudFormation, 100);
}

#[test]
fn fuzz_analyze() {
    short_run(Reader::Analyze, 100);
}

/// Found by the long run: an enabled time to live with an empty attribute name
/// was read, and the export wrote `"time_to_live": {"T": ""}`, which the importer
/// then refused. Now the first read refuses it, naming the field.
#[test]
fn an_enabled_time_to_live_without_an_attribute_is_refused_by_name() {
    let file = serde_json::json!({
        "tables": [{
            "TableName": "T",
            "AttributeDefinitions": [{"AttributeName": "PK", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
            "TimeToLiveSpecification": {"Enabled": true, "AttributeName": ""}
        }]
    });
    match engine::check(Reader::McpJson, &file.to_string()) {
        engine::Verdict::Rejected(message) => assert!(
            message.contains("tables[0].TimeToLiveSpecification.AttributeName: must not be empty"),
            "{message}"
        ),
        other => panic!("read as {other:?}"),
    }
}
