//! Comparing two versions of a design: `dynamodel diff` on the bundled first
//! draft and redesign, and the model document's changes section.

use std::collections::BTreeSet;

use dynamodel::analysis::compare::{self, Comparison, Verdict};
use dynamodel::analysis::{self, Status};
use dynamodel::model::{Model, samples};

use crate::cli::run;

/// Relative paths, so that the golden files read the same on every machine
/// (tests run in the project's root).
const OLD: &str = "assets/models/ecommerce-initial.dynamodel.json";
const NEW: &str = "assets/models/ecommerce.dynamodel.json";

fn bundled(id: &str) -> Model {
    samples::sample(id)
        .expect("bundled sample")
        .load()
        .expect("bundled model loads")
}

fn redesign_review() -> (Model, Model, Comparison) {
    let (old, new) = (bundled("ecommerce-initial"), bundled("ecommerce"));
    let c = compare::compare(
        &old,
        &analysis::analyze(&old),
        &new,
        &analysis::analyze(&new),
        compare::Options::default(),
    );
    (old, new, c)
}

#[test]
fn diff_of_the_redesign_matches_the_golden_files_in_every_format() {
    let mut stale = Vec::new();
    for (format, suffix) in [
        ("text", "diff.txt"),
        ("json", "diff.json"),
        ("markdown", "diff.md"),
    ] {
        let (code, out, err) = run(&["diff", OLD, NEW, "--format", format]);
        assert_eq!(code, 1, "the designs differ: {err}");
        assert!(err.is_empty(), "{err}");
        stale.extend(crate::golden(&format!("ecommerce-initial.{suffix}"), &out));
    }
    assert!(stale.is_empty(), "{stale:#?}");
}

#[test]
fn every_pattern_of_both_designs_is_accounted_for() {
    let (old, new, c) = redesign_review();
    assert_eq!(old.access_patterns.len(), 48);
    let ids: BTreeSet<&str> = c.patterns.iter().map(|p| p.id.as_str()).collect();
    let expected: BTreeSet<&str> = new.access_patterns.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, expected);
    assert_eq!(c.patterns.len(), 48, "each pattern once");
    assert!(
        c.patterns
            .iter()
            .all(|p| p.before.is_some() && p.after.is_some())
    );
    let counted: usize = c.verdict_counts().iter().map(|(_, n)| n).sum();
    assert_eq!(counted, 48);
    // Each pattern that the first draft filters or scans and the redesign serves
    // by a key condition is newly served.
    for p in &c.patterns {
        let (before, after) = (p.before.as_ref().unwrap(), p.after.as_ref().unwrap());
        let was_poor = matches!(before.status, Status::NeedsFilter | Status::NeedsScan);
        if was_poor && after.status == Status::Served {
            assert_eq!(p.verdict, Verdict::NewlyServed, "{}", p.id);
        }
    }
    // The patterns the redesign was for: AP33 read 1,666,667 items through a filter.
    let ap33 = c.patterns.iter().find(|p| p.id == "AP33").unwrap();
    assert_eq!(ap33.verdict, Verdict::NewlyServed);
    assert_eq!(ap33.after.as_ref().unwrap().index, "Orders/GSI1");
}

#[test]
fn the_cost_delta_is_the_difference_of_the_two_models_own_totals() {
    let (old, new, c) = redesign_review();
    let (before, after) = (
        analysis::analyze(&old).costs.total(),
        analysis::analyze(&new).costs.total(),
    );
    assert_eq!(c.cost.before, before);
    assert_eq!(c.cost.after, after);
    assert_eq!(c.cost.delta(), after - before);
    let rows: f64 = c.cost.rows.iter().map(|r| r.delta()).sum();
    let tables: f64 = c.cost.tables.iter().map(|r| r.delta()).sum();
    assert!((rows - c.cost.delta()).abs() < 1e-6, "{rows}");
    assert!((tables - c.cost.delta()).abs() < 1e-6, "{tables}");
    // Every index of both designs has its row.
    let indexes = |m: &Model| -> usize {
        m.tables
            .iter()
            .map(|t| 1 + t.gsis.len() + t.lsis.len())
            .sum()
    };
    let only_old = c.cost.rows.iter().filter(|r| r.after.is_none()).count();
    assert_eq!(c.cost.rows.len(), indexes(&new) + only_old);
    assert_eq!(
        c.cost.rows.iter().filter(|r| r.before.is_some()).count(),
        indexes(&old)
    );
}

#[test]
fn the_redesign_migration_rebuilds_users_and_products_and_rewrites_orders() {
    let (_, _, c) = redesign_review();
    let steps: Vec<String> = c
        .migration
        .steps
        .iter()
        .map(|s| s.action.describe())
        .collect();
    for expected in [
        "rebuild table Users (key schema PK (S) → PK (S), SK (S))",
        "rebuild table Products (key schema PK (S) → PK (S), SK (S))",
        "create GSI GSI1 on Orders",
        "copy CartItem items from Carts to Users",
        "copy Category items from Categories to Products",
        "rewrite Order items in Orders (new GSI1PK, GSI1SK, PK, SK)",
        "delete GSI StatusIndex of Orders",
        "delete table Carts",
        "delete table Categories",
    ] {
        assert!(
            steps.iter().any(|s| s == expected),
            "{expected} in {steps:#?}"
        );
    }
    // Creating comes before copying, copying before deleting.
    let at = |text: &str| steps.iter().position(|s| s.starts_with(text)).unwrap();
    assert!(at("create GSI GSI1 on Orders") < at("rewrite Order items"));
    assert!(at("rewrite Order items") < at("delete GSI StatusIndex"));
    assert!(at("copy CartItem") < at("delete table Carts"));
    let total: f64 = c.migration.steps.iter().map(|s| s.write_units).sum();
    assert_eq!(total, c.migration.write_units());
    assert_eq!(c.migration.seconds(), total / compare::DEFAULT_WRITE_RATE);
}

#[test]
fn diff_exit_codes_say_equivalent_different_or_unreadable() {
    let (code, out, _) = run(&["diff", NEW, NEW]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("The designs are equivalent."), "{out}");
    let (code, out, _) = run(&["diff", NEW, NEW, "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["equivalent"], true);
    assert_eq!(doc["migration"]["steps"].as_array().unwrap().len(), 0);
    let (code, _, err) = run(&["diff", OLD, "no/such/model.dynamodel.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("no/such/model.dynamodel.json"), "{err}");
    let (code, _, err) = run(&["diff", OLD]);
    assert_eq!(code, 2);
    assert!(err.contains("not provided:\n  <NEW>"), "{err}");
    let (code, _, err) = run(&["diff", OLD, NEW, "--format", "yaml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value 'yaml' for '--format <FORMAT>'")
            && err.contains("[possible values: text, json, markdown]"),
        "{err}"
    );
    let (code, out, _) = run(&["diff", OLD, NEW, "--write-rate", "4000", "--format", "json"]);
    assert_eq!(code, 1);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let seconds = doc["migration"]["seconds"].as_f64().unwrap();
    let units = doc["migration"]["write_units"].as_f64().unwrap();
    assert_eq!(seconds, units / 4000.0);
}

#[test]
fn the_model_document_says_what_changed_since_the_baseline() {
    let (code, doc, err) = run(&["export", NEW, "--to", "markdown", "--baseline", OLD]);
    assert_eq!(code, 0, "{err}");
    let (_, plain, _) = run(&["export", NEW, "--to", "markdown"]);
    let section = doc
        .strip_prefix(plain.as_str())
        .expect("the section comes after the document as it was");
    assert!(
        section.contains("## Changes from the previous design"),
        "{section}"
    );
    assert!(section.contains("### Access patterns"));
    assert!(section.contains("### Migration plan"));
    // Every pattern has its row in the section.
    for p in bundled("ecommerce").access_patterns {
        assert!(section.contains(&format!("\n| {} |", p.id)), "{}", p.id);
    }
    let (code, _, err) = run(&["export", NEW, "--to", "svg", "--baseline", OLD]);
    assert_eq!(code, 2);
    assert!(err.contains("--baseline is for --to markdown"), "{err}");
}
