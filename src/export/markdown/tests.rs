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
    // AP2 (250 RPS over a million partitions) is among the light loads the
    // hot-partition section sums up in one line; AP20 is the heaviest.
    assert!(text.contains(
        "50 RPS across ~1 partition = 50 RPS per partition — 200 RCU per partition, 7% of the 3,000 limit ✅"
    ));
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

#[test]
fn the_hot_partition_section_lists_the_heaviest_loads_and_sums_up_the_rest() {
    let text = document(&shop());
    let section = &text[text.find("## Hot Partition Analysis").unwrap()..];
    let section = &section[..section.find("### Load per partition key").unwrap()];
    let bullets: Vec<&str> = section.lines().filter(|l| l.starts_with("- ")).collect();
    // The ten heaviest, then one line for the rest.
    assert_eq!(bullets.len(), 11, "{section}");
    // AP20 reads the one CATEGORIES partition at 50 RPS: the heaviest load.
    assert!(bullets[0].starts_with("- **AP20** "), "{}", bullets[0]);
    let loads = analysis::analyze(&shop()).partitions.loads.len();
    assert!(
        bullets[10].starts_with(&format!(
            "- … and {} more loads, the heaviest at ",
            loads - 10
        )),
        "{}",
        bullets[10]
    );
}

fn load(pattern: &str, share: f64) -> crate::analysis::PartitionLoad {
    crate::analysis::PartitionLoad {
        pattern: pattern.into(),
        entity: "E".into(),
        table: "T".into(),
        index: None,
        kind: crate::analysis::LoadKind::Read,
        peak_rps: 1.0,
        partitions: 1.0,
        rps_per_partition: 1.0,
        units_per_partition: share * 3000.0,
        share,
    }
}

#[test]
fn every_load_from_half_the_limit_is_listed_even_past_the_top_ten() {
    // Twelve loads from half the limit and three light ones, in pattern order.
    let mut loads: Vec<_> = (0..12)
        .map(|i| load(&format!("H{i}"), 0.5 + i as f64 / 100.0))
        .collect();
    loads.insert(3, load("L1", 0.01));
    loads.push(load("L2", 0.2));
    loads.push(load("L3", 0.2));
    let (shown, rest) = health::loads_to_show(&loads);
    let names = |list: &[&crate::analysis::PartitionLoad]| -> Vec<String> {
        list.iter().map(|l| l.pattern.to_string()).collect()
    };
    assert_eq!(shown.len(), 12);
    assert_eq!(shown[0].pattern.as_ref(), "H11");
    assert_eq!(shown[11].pattern.as_ref(), "H0");
    // Equal shares keep the pattern order; the heaviest of the rest comes first.
    assert_eq!(names(&rest), ["L2", "L3", "L1"]);
    let (shown, rest) = health::loads_to_show(&loads[..5]);
    assert_eq!(shown.len(), 5);
    assert!(rest.is_empty());
}

#[test]
fn sample_items_come_in_narrow_tables_grouped_by_partition() {
    let text = document(&shop());
    let users = &text[text.find("### Users Table").unwrap()..];
    let users = &users[..users.find("- **Purpose**").unwrap()];
    assert!(
        users.contains("_Sample items: 9 items in 5 partitions, grouped by `PK`"),
        "{users}"
    );
    let headers: Vec<&str> = users.lines().filter(|l| l.starts_with("| PK |")).collect();
    assert!(headers.len() > 1, "the 25 columns are split: {users}");
    for header in &headers {
        assert!(header.starts_with("| PK | SK |"), "{header}");
        assert!(header.matches(" | ").count() < 8, "{header}");
    }
    // A partition's key is written on its first item only: the user's profile
    // (#META) sorts before the cart line (CART#...) in yuki's partition.
    let rows: Vec<&str> = users.lines().filter(|l| l.starts_with("| ")).collect();
    assert!(rows[0].starts_with("| PK | SK |"), "{}", rows[0]);
    assert!(
        rows[1].starts_with("| **yuki.moore1@example.net** | #META |"),
        "{}",
        rows[1]
    );
    assert!(rows[2].starts_with("|  | CART#"), "{}", rows[2]);
    // Key values are never cut (GSI1SK of a product is 55 characters).
    let table_designs = &text[..text.find("## Access Pattern Mapping").unwrap()];
    assert!(table_designs.contains("| PRODUCT#0000296.27#ffcdbb5f-2c01-424b-a30b-28463e43db21 |"));
    for line in table_designs.lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.split(" | ").collect();
        assert!(!cells[0].contains('…') && !cells[1].contains('…'), "{line}");
    }
}

#[test]
fn attribute_lists_say_where_each_attribute_comes_from() {
    let mut m = shop();
    let user = m.entities.iter_mut().find(|e| e.name == "User").unwrap();
    user.source_table = "users".into();
    let email = user
        .attributes
        .iter_mut()
        .find(|a| a.name == "email")
        .unwrap();
    email.source = Some(crate::model::Source::column("users", "email"));
    email.unique = true;
    user.key_sources
        .insert("PK".into(), crate::model::Source::column("users", "email"));
    let text = document(&m);
    assert!(text.contains(", from table `users`): "), "{text}");
    assert!(
        text.contains("`email` (S, unique, from `users.email`)"),
        "{text}"
    );
    assert!(
        text.contains("    - key sources: `PK` from `users.email`"),
        "{text}"
    );
    // A model without sources reads as before.
    assert!(!document(&shop()).contains("from `"));
}
