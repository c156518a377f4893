use std::fs;

use dynamodel::analysis::{Severity, Status, analyze};
use dynamodel::model::{self, Model, samples::SAMPLES};

fn load(id: &str) -> Model {
    model::load(&crate::root().join(format!("assets/models/{id}.dynamodel.json")))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_bundled_model_round_trips_byte_identical() {
    for sample in SAMPLES {
        let path = crate::root().join(sample.file_name());
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text, sample.json, "the binary embeds {}", path.display());
        let model = model::load(&path).unwrap();
        let again = model::to_json(&model).unwrap();
        assert!(again == text, "{} changes on load + save", path.display());
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("copy.dynamodel.json");
        model::save(&model, &out).unwrap();
        assert_eq!(fs::read_to_string(&out).unwrap(), text);
    }
}

/// (id, description, peak, average) from the workshop's table.
fn workshop_patterns() -> Vec<(String, String, f64, f64)> {
    let text = fs::read_to_string(crate::shared().join("workshop/access_patterns_with_rps.md"))
        .expect("../shared/workshop/access_patterns_with_rps.md is readable");
    text.lines()
        .filter(|l| l.starts_with("| **AP"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].trim_matches('*').to_string(),
                cells[2].to_string(),
                cells[3].parse().unwrap(),
                cells[4].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn both_shop_models_carry_the_workshops_48_patterns_exactly() {
    let expected = workshop_patterns();
    assert_eq!(expected.len(), 48);
    for id in ["ecommerce", "ecommerce-initial"] {
        let m = load(id);
        let got: Vec<_> = m
            .access_patterns
            .iter()
            .map(|p| {
                (
                    p.id.clone(),
                    p.description.clone(),
                    p.peak_rps,
                    p.average_rps,
                )
            })
            .collect();
        assert_eq!(got, expected, "{id}");
    }
}

#[test]
fn the_redesign_passes_every_error_level_check() {
    let m = load("ecommerce");
    let a = analyze(&m);
    let errors: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(
        !a.findings.iter().any(|f| f.rule == "gsi.unused"),
        "every GSI serves a pattern"
    );
    for usage in a.index_usage.iter().filter(|u| u.index.is_some()) {
        assert!(!usage.reads.is_empty(), "{} serves nothing", usage.label());
    }
    // Users 3 / Products 2 / Orders 1, as the conventions block says.
    let gsis = |t: &str| {
        m.table(t)
            .unwrap()
            .gsis
            .iter()
            .map(|g| g.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(gsis("Users"), ["GSI1", "GSI2", "GSI3"]);
    assert_eq!(gsis("Products"), ["GSI1", "GSI2"]);
    assert_eq!(gsis("Orders"), ["GSI1"]);
    let conventions = m.conventions.as_ref().unwrap();
    assert_eq!(conventions.expected_tables.len(), 3);
}

#[test]
fn the_redesign_serves_its_patterns_in_dynamodb() {
    let m = load("ecommerce");
    let a = analyze(&m);
    for (r, p) in a.resolutions.iter().zip(&m.access_patterns) {
        match r.status {
            Status::Served | Status::Write => {}
            Status::Outside => assert!(
                ["AP6", "AP9", "AP18", "AP19", "AP36"].contains(&p.id.as_str()),
                "{} unexpectedly outside DynamoDB",
                p.id
            ),
            other => panic!("{} is {other:?}: {r:#?}", p.id),
        }
    }
    let ap38 = a.resolution("AP38").unwrap().plan.clone().unwrap();
    assert_eq!(&*ap38.table, "Users");
    assert_eq!(
        ap38.key_condition.expression(),
        "PK = :email AND begins_with(SK, :sk)"
    );
    assert_eq!(
        ap38.key_condition.values_text(),
        ":email = {email}, :sk = \"CART#\""
    );
    let ap2 = a.resolution("AP2").unwrap().plan.clone().unwrap();
    assert_eq!(ap2.index.as_deref(), Some("GSI1"));
    let ap30 = a.resolution("AP30").unwrap().plan.clone().unwrap();
    assert_eq!(
        (&*ap30.table, ap30.index.as_deref()),
        ("Orders", Some("GSI1"))
    );
    assert!(ap30.key_condition.expression().contains("BETWEEN"));
}

#[test]
fn the_first_draft_shows_the_mistakes_the_redesign_fixes() {
    let a = analyze(&load("ecommerce-initial"));
    let rules: Vec<&str> = a.findings.iter().map(|f| f.rule).collect();
    for rule in [
        "conventions.entity-prefix",
        "conventions.gsi-naming",
        "gsi.unused",
        "partition.low-cardinality",
    ] {
        assert!(rules.contains(&rule), "{rule} missing from {rules:?}");
    }
    let prefix: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.rule == "conventions.entity-prefix")
        .map(|f| f.message.as_str())
        .collect();
    assert!(prefix.iter().any(|m| m.contains("USER_")), "{prefix:?}");
    assert!(prefix.iter().any(|m| m.contains("PROD_")), "{prefix:?}");
    assert!(a.has_errors());
}

#[test]
fn analysis_is_deterministic() {
    let m = load("ecommerce");
    let a = serde_json::to_string(&analyze(&m)).unwrap();
    let b = serde_json::to_string(&analyze(&m)).unwrap();
    assert_eq!(a, b);
}

/// AP8 lists 20 products of a category in a price range: Query GSI1 with
/// `GSI1PK = :category_id AND GSI1SK BETWEEN …`. Worked by hand:
/// - a Product item is 832 bytes of attributes (names + value sizes) plus 230 of
///   key attributes (GSI1PK 11, GSI1SK 61, GSI2PK 42, GSI2SK 71, PK 38, SK 7) = 1,062 B;
/// - the call reads the 20 items it returns (never fewer): 20 × 1,062 = 21,240 B
///   = 6 read units of 4 KB, halved for an eventually consistent read = 3 RCU;
/// - at 420 RPS for a month of 730 hours (2,628,000 s): 420 × 3 × 2,628,000
///   = 3,311,280,000 read request units × $0.125 per million = $413.91.
///
/// GSI1 also serves AP10 (100 RPS), AP21 (50) and AP22 (30); its read cost is
/// AP8's plus theirs.
#[test]
fn a_range_query_reads_what_it_returns_hand_computed() {
    let model = load("ecommerce");
    let analysis = analyze(&model);
    let plan = analysis.resolution("AP8").unwrap().plan.clone().unwrap();
    assert_eq!(plan.index.as_deref(), Some("GSI1"));
    assert_eq!(plan.items_read, 20.0);
    // 100,000 products over 150 categories: ~667 under the category.
    assert!((plan.partition_items - 100_000.0 / 150.0).abs() < 1e-6);
    assert_eq!(plan.read_units, 3.0);
    let month = 420.0 * plan.read_units * 730.0 * 3600.0 * 0.125 / 1e6;
    assert!((month - 413.91).abs() < 0.005, "{month}");

    // Every read plan of both bundled models reads at least what it returns.
    for id in ["ecommerce", "ecommerce-initial"] {
        let model = load(id);
        let analysis = analyze(&model);
        for (p, r) in model.access_patterns.iter().zip(&analysis.resolutions) {
            if let Some(plan) = &r.plan {
                assert!(
                    plan.items_read >= f64::from(p.items),
                    "{id} {}: reads {} items, returns {}",
                    p.id,
                    plan.items_read,
                    p.items
                );
            }
        }
    }
}
