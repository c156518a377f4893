//! Quick fixes: each one applied takes its finding away and serves no access
//! pattern worse; `dynamodel fix` on the first-draft shop is golden-tested.

use std::fs;

use dynamodel::analysis::fixes::{FixSelection, apply_fixes, rank};
use dynamodel::analysis::{Finding, analyze};
use dynamodel::model::{self, AttrValue, Model, Operation, samples};

fn load(name: &str) -> Model {
    samples::sample(name).unwrap().load().unwrap()
}

fn finding<'a>(findings: &'a [Finding], rule: &str, path: &str) -> Option<&'a Finding> {
    findings
        .iter()
        .find(|f| f.rule == rule && f.location.path() == path)
}

/// Applies the fix of the finding `rule` at `path`; checks it is gone after, at
/// `path` or at `then_at` (where a rename moved it), and that every pattern is
/// served at least as well as before.
fn apply_fix(model: &Model, rule: &str, path: &str, then_at: &str) -> Model {
    let before = analyze(model);
    let f = finding(&before.findings, rule, path)
        .unwrap_or_else(|| panic!("no {rule} at {path}: {:#?}", before.findings));
    let fix = f.fix.as_ref().expect("the finding carries a fix");
    let mut fixed = model.clone();
    fixed.apply(&fix.edit).unwrap();
    let after = analyze(&fixed);
    for at in [path, then_at] {
        assert!(
            finding(&after.findings, rule, at).is_none(),
            "{rule} at {at} is still there after `{}`",
            fix.label
        );
    }
    for (b, a) in before.resolutions.iter().zip(&after.resolutions) {
        assert!(
            rank(a.status) <= rank(b.status),
            "`{}` serves {} worse: {:?} → {:?}",
            fix.label,
            a.pattern,
            b.status,
            a.status
        );
    }
    fixed
}

#[test]
fn a_misnamed_gsi_is_one_finding_and_its_fix_renames_it() {
    let model = load("ecommerce-initial");
    let findings = analyze(&model).findings;
    // The expected GSI1 and GSI2 of Users are what EmailIndex and UsernameIndex
    // become: one finding each, not two. GSI3 has no candidate.
    let expected: Vec<&str> = findings
        .iter()
        .filter(|f| f.rule == "conventions.expected-gsi" && f.location.path() == "table Users")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(expected.len(), 1, "{expected:#?}");
    assert!(expected[0].contains("GSI3"));
    let email = finding(
        &findings,
        "conventions.gsi-naming",
        "index Users/EmailIndex",
    )
    .unwrap();
    assert!(
        email.message.contains("expects a GSI1"),
        "{}",
        email.message
    );

    let fixed = apply_fix(
        &model,
        "conventions.gsi-naming",
        "index Users/EmailIndex",
        "index Users/GSI1",
    );
    assert!(fixed.table("Users").unwrap().gsi("GSI1").is_some());
    assert!(fixed.table("Users").unwrap().gsi("EmailIndex").is_none());
}

#[test]
fn dropping_an_entity_prefix_fixes_every_template_that_shares_it() {
    let mut model = load("ecommerce-initial");
    // An example item written with the prefix loses it too.
    let order = model
        .entities
        .iter_mut()
        .find(|e| e.name == "Order")
        .unwrap();
    let mut item = model::Item::new();
    item.insert("PK".into(), AttrValue::S("ORDER_42".into()));
    item.insert("order_id".into(), AttrValue::S("42".into()));
    order.example_items.push(item);
    let fixed = apply_fix(
        &model,
        "conventions.entity-prefix",
        "template Order[PK]",
        "template OrderItem[PK]",
    );
    assert_eq!(fixed.entity("Order").unwrap().keys["PK"], "{order_id}");
    assert_eq!(fixed.entity("OrderItem").unwrap().keys["PK"], "{order_id}");
    assert_eq!(
        fixed.entity("Order").unwrap().example_items[0]["PK"],
        AttrValue::S("42".into())
    );
    // Other prefixes are left for their own fixes.
    assert_eq!(fixed.entity("User").unwrap().keys["PK"], "USER_{user_id}");
}

#[test]
fn an_unused_gsi_is_removed_on_request_only() {
    let model = load("ecommerce-initial");
    let findings = analyze(&model).findings;
    let unused = finding(&findings, "gsi.unused", "index Users/EmailIndex").unwrap();
    assert!(
        !unused.fix.as_ref().unwrap().safe,
        "removal is not applied unasked"
    );
    let fixed = apply_fix(
        &model,
        "gsi.unused",
        "index Users/EmailIndex",
        "index Users/EmailIndex",
    );
    assert!(fixed.table("Users").unwrap().gsi("EmailIndex").is_none());
}

#[test]
fn a_pattern_pinned_to_the_wrong_index_is_pinned_to_the_one_that_serves_it() {
    let mut model = load("ecommerce");
    // AP2 (a user by username) is served by Users/GSI1; pin it to GSI2 instead.
    let analysis = analyze(&model);
    let served_by = analysis
        .resolution("AP2")
        .unwrap()
        .plan
        .as_ref()
        .unwrap()
        .index_label()
        .to_string();
    let wrong = if served_by == "GSI2" { "GSI1" } else { "GSI2" };
    let p = model
        .access_patterns
        .iter_mut()
        .find(|p| p.id == "AP2")
        .unwrap();
    p.index = Some(wrong.into());
    let fixed = apply_fix(
        &model,
        "coverage.pinned-index",
        "pattern AP2",
        "pattern AP2",
    );
    assert_eq!(
        fixed.pattern("AP2").unwrap().index.as_deref(),
        Some(served_by.as_str())
    );
}

#[test]
fn an_update_without_its_key_gets_the_missing_inputs() {
    let mut model = load("ecommerce");
    let p = model
        .access_patterns
        .iter_mut()
        .find(|p| p.operation == Operation::UpdateItem && !p.inputs.is_empty())
        .unwrap();
    let id = p.id.clone();
    let dropped = p.inputs.remove(0);
    let fixed = apply_fix(
        &model,
        "coverage.write-key",
        &format!("pattern {id}"),
        &format!("pattern {id}"),
    );
    assert!(fixed.pattern(&id).unwrap().inputs.contains(&dropped));
}

#[test]
fn a_number_in_a_sort_key_is_zero_padded() {
    let mut model = load("ecommerce");
    let product = model
        .entities
        .iter_mut()
        .find(|e| e.name == "Product")
        .unwrap();
    product
        .keys
        .insert("GSI1SK".into(), "PRODUCT#{price}#{product_id}".into());
    let fixed = apply_fix(
        &model,
        "sort-key.number-width",
        "template Product[GSI1SK]",
        "template Product[GSI1SK]",
    );
    assert_eq!(
        fixed.entity("Product").unwrap().keys["GSI1SK"],
        "PRODUCT#{price:010}#{product_id}"
    );
}

#[test]
fn fix_clears_the_first_drafts_naming_and_prefix_errors() {
    let model = load("ecommerce-initial");
    let run = apply_fixes(&model, &FixSelection::default());
    let after = analyze(&run.model);
    let left: Vec<&Finding> = after
        .findings
        .iter()
        .filter(|f| f.rule == "conventions.gsi-naming" || f.rule == "conventions.entity-prefix")
        .collect();
    assert!(left.is_empty(), "{left:#?}");
    let before = analyze(&model);
    for (b, a) in before.resolutions.iter().zip(&after.resolutions) {
        assert!(
            rank(a.status) <= rank(b.status),
            "{} served worse",
            a.pattern
        );
    }
    assert!(
        run.applied.iter().all(|f| f.rule != "gsi.unused"),
        "no removal unasked"
    );
}

#[test]
fn dynamodel_fix_on_the_first_draft_matches_its_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = crate::root().join("assets/models/ecommerce-initial.dynamodel.json");
    let out_file = dir.path().join("fixed.dynamodel.json");
    let args: Vec<String> = vec![
        "fix".into(),
        input.display().to_string(),
        "-o".into(),
        out_file.display().to_string(),
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = dynamodel::cli::run(&args, &mut out, &mut err);
    assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
    let report = String::from_utf8(out)
        .unwrap()
        .replace(&out_file.display().to_string(), "OUT");
    let fixed = fs::read_to_string(&out_file).unwrap();
    for (name, actual) in [
        ("ecommerce-initial.fix.txt", &report),
        ("ecommerce-initial.fixed.dynamodel.json", &fixed),
    ] {
        let stale = crate::golden(name, actual);
        assert!(
            stale.is_none(),
            "{stale:?} (UPDATE_GOLDEN=1 rewrites it):\n{actual}"
        );
    }
    // The input file is untouched.
    let original = model::load(&input).unwrap();
    assert_eq!(original, load("ecommerce-initial"));
}

#[test]
fn dynamodel_fix_refuses_unknown_rules_and_writes_nothing_on_a_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("m.dynamodel.json");
    fs::copy(
        crate::root().join("assets/models/ecommerce-initial.dynamodel.json"),
        &file,
    )
    .unwrap();
    let before = fs::read(&file).unwrap();
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = dynamodel::cli::run(&args, &mut out, &mut err);
        (
            code,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    };
    let path = file.display().to_string();
    let (code, _, err) = run(&["fix", &path, "--rule", "no.such-rule"]);
    assert_eq!(code, 2);
    assert!(err.contains("no.such-rule"), "{err}");
    let (code, out, _) = run(&["fix", &path, "--dry-run", "--rule", "gsi.unused"]);
    assert_eq!(code, 0);
    assert!(out.contains("Remove GSI"), "{out}");
    assert!(out.contains("dry run: nothing written"));
    assert_eq!(fs::read(&file).unwrap(), before);
    // In place: the file is rewritten with the fixes.
    let (code, out, _) = run(&["fix", &path]);
    assert_eq!(code, 0, "{out}");
    let fixed = model::load(&file).unwrap();
    assert!(fixed.table("Users").unwrap().gsi("GSI1").is_some());
}

#[test]
fn two_prefix_fixes_of_one_entity_both_hold() {
    // Order writes prefixes into PK and into UserIndex's key user_id, and keeps an
    // example item: the two fixes each rewrite its items, so neither may undo the other.
    let mut model = load("ecommerce-initial");
    let order = model
        .entities
        .iter_mut()
        .find(|e| e.name == "Order")
        .unwrap();
    order.keys.insert("user_id".into(), "U_{user_id}".into());
    let mut item = model::Item::new();
    item.insert("PK".into(), AttrValue::S("ORDER_42".into()));
    item.insert("order_id".into(), AttrValue::S("42".into()));
    item.insert("user_id".into(), AttrValue::S("U_7".into()));
    order.example_items.push(item);
    let findings = analyze(&model).findings;
    assert!(
        finding(
            &findings,
            "conventions.entity-prefix",
            "template Order[user_id]"
        )
        .is_some()
    );
    let run = apply_fixes(&model, &FixSelection::default());
    let fixed = run.model.entity("Order").unwrap();
    assert_eq!(fixed.keys["PK"], "{order_id}");
    assert_eq!(fixed.keys["user_id"], "{user_id}");
    assert_eq!(fixed.example_items[0]["PK"], AttrValue::S("42".into()));
    assert_eq!(fixed.example_items[0]["user_id"], AttrValue::S("7".into()));
}

#[test]
fn a_pin_no_index_can_serve_is_undone() {
    // AP19 scans Categories (nothing else serves it); pinned to an index the
    // table does not have, the fix cannot pin it to a key condition: it unpins.
    let mut model = load("ecommerce-initial");
    let p = model
        .access_patterns
        .iter_mut()
        .find(|p| p.id == "AP19")
        .unwrap();
    p.index = Some("NoSuchIndex".into());
    let findings = analyze(&model).findings;
    let f = finding(&findings, "coverage.pinned-index", "pattern AP19").unwrap();
    assert_eq!(f.fix.as_ref().unwrap().label, "Unpin AP19");
    let fixed = apply_fix(
        &model,
        "coverage.pinned-index",
        "pattern AP19",
        "pattern AP19",
    );
    assert_eq!(fixed.pattern("AP19").unwrap().index, None);
}

#[test]
fn a_gsi_named_with_a_sign_is_not_numbered() {
    let mut model = load("ecommerce");
    let orders = model
        .tables
        .iter_mut()
        .find(|t| t.name == "Orders")
        .unwrap();
    orders.gsis[0].name = "GSI+1".into();
    let findings = analyze(&model).findings;
    assert!(finding(&findings, "conventions.gsi-naming", "index Orders/GSI+1").is_some());
}
