use super::*;
use crate::model::samples;

fn shop() -> Model {
    samples::sample("ecommerce").unwrap().load().unwrap()
}

fn document(model: &Model) -> String {
    export(model, &ExportOptions::default()).text
}

#[test]
fn has_every_section_in_order() {
    let text = document(&shop());
    let mut last = 0;
    for heading in [
        "# DynamoDB Data Model",
        "## Design Philosophy & Approach",
        "## Table Designs",
        "### Users Table",
        "### Users / GSI1 (GSI)",
        "### Products Table",
        "### Orders Table",
        "## Access Pattern Mapping",
        "### Solved Patterns",
        "### Unsolved Patterns & Alternatives",
        "## Hot Partition Analysis",
        "## Cost Estimates",
        "## Trade-offs and Optimizations",
        "## Validation Results",
        "### Conventions",
        "### Live Run",
    ] {
        let at = text[last..]
            .find(&format!("{heading}\n"))
            .unwrap_or_else(|| panic!("{heading} missing after byte {last}"));
        last += at;
    }
}

#[test]
fn index_headings_name_their_table() {
    let text = document(&shop());
    for heading in [
        "### Users / GSI1 (GSI)",
        "### Users / GSI3 (GSI)",
        "### Products / GSI1 (GSI)",
        "### Orders / GSI1 (GSI)",
    ] {
        assert!(
            text.contains(&format!("\n{heading}\n")),
            "{heading} missing"
        );
    }
    assert!(
        !text.contains("### GSI1"),
        "an index heading without its table"
    );
}

#[test]
fn shows_the_resolved_call() {
    let text = document(&shop());
    assert!(
        text.contains("`Query(PK=:email, begins_with(SK, \"CART#\"))`"),
        "AP38's call is missing"
    );
    assert!(text.contains("| Pattern # | Description | Type | Peak RPS | Items Returned | Avg Item Size | Table/GSI Used | DynamoDB Operations | Implementation Notes |"));
    assert!(text.contains(
        "| Table/Index | Monthly RCU Cost | Monthly WCU Cost | Storage | Total Monthly Cost |"
    ));
    assert!(
        text.contains("Full-text search runs in OpenSearch"),
        "AP9 is listed as unsolved"
    );
    assert!(text.contains("250 RPS across ~1,000,000 partitions = 0.00025 RPS per partition ✅"));
}

#[test]
fn is_deterministic() {
    let m = shop();
    assert_eq!(document(&m), document(&m));
}

#[test]
fn user_text_cannot_break_a_table() {
    let mut m = shop();
    m.access_patterns[0].description = "Create | user\nwith a newline".into();
    m.access_patterns[0].notes = "a <b>tag</b>".into();
    let text = document(&m);
    let row = text
        .lines()
        .find(|l| l.starts_with("| AP1 |"))
        .expect("AP1's row");
    assert!(row.contains("Create \\| user<br>with a newline"), "{row}");
    assert!(row.contains("a &lt;b>tag&lt;/b>"), "{row}");
    let header_cells = text
        .lines()
        .find(|l| l.starts_with("| Pattern # | Description | Type"))
        .unwrap()
        .matches(" | ")
        .count();
    assert_eq!(
        row.replace("\\|", "").matches(" | ").count(),
        header_cells,
        "{row}"
    );
}

#[test]
fn escaping_helpers() {
    assert_eq!(cell(" a|b\r\nc "), "a\\|b<br>c");
    assert_eq!(code("x"), "`x`");
    assert_eq!(code("a`b"), "`` a`b ``");
    assert_eq!(number(0.00025), "0.00025");
    assert_eq!(number(250.0), "250");
    assert_eq!(number(1234.5), "1,235");
    assert_eq!(number(12.345), "12.35");
    assert_eq!(number(0.1), "0.1");
    assert_eq!(money(1234.5), "$1,234.50");
    assert_eq!(money(0.004), "$0.00");
    assert_eq!(bytes(262.4), "262 B");
    assert_eq!(bytes(1536.0), "1.5 KB");
    assert_eq!(count(1_000_000.0), "1,000,000");
}

#[test]
fn a_live_run_is_shown_when_given() {
    let options = ExportOptions {
        live_run: Some(LiveRun {
            target: "DynamoDB Local at http://localhost:8000".into(),
            results: vec![
                LivePatternResult {
                    pattern: "AP2".into(),
                    outcome: LiveOutcome::Passed,
                    items_returned: Some(1),
                    consumed_capacity: Some(0.5),
                    latency_ms: Some(3.2),
                    detail: String::new(),
                },
                LivePatternResult {
                    pattern: "AP9".into(),
                    outcome: LiveOutcome::Skipped,
                    items_returned: None,
                    consumed_capacity: None,
                    latency_ms: None,
                    detail: "served outside DynamoDB".into(),
                },
            ],
        }),
        ..ExportOptions::default()
    };
    let text = export(&shop(), &options).text;
    assert!(text.contains("Against DynamoDB Local at http://localhost:8000: 1 passed, 0 failed, 1 pattern not run."), "{text}");
    assert!(text.contains("| AP2 | ✅ passed | 1 | 0.5 | 3.2 ms |  |"));
    assert!(!document(&shop()).contains("| AP2 | ✅ passed"));
}

#[test]
fn an_empty_model_still_reads() {
    let text = document(&Model::new("Empty"));
    assert!(text.contains("The model has no tables yet."));
    assert!(text.contains("No pattern is served by DynamoDB yet."));
}
