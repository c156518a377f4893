//! Each rule: a model that makes it fire, and a near miss that keeps it quiet.

use serde_json::json;

use super::RULES;
use crate::analysis::test_support::{analysis, base, entity, fired, pattern};
use crate::analysis::{Location, Severity};

fn fires(value: &serde_json::Value, rule: &str) -> Vec<crate::analysis::Finding> {
    let found = fired(value, rule);
    assert!(
        !found.is_empty(),
        "expected {rule} to fire; findings: {:#?}",
        analysis(value).findings
    );
    found
}

fn quiet(value: &serde_json::Value, rule: &str) {
    let found = fired(value, rule);
    assert!(
        found.is_empty(),
        "expected {rule} to stay quiet, got {found:#?}"
    );
}

#[test]
fn the_base_model_has_no_findings() {
    let a = analysis(&base());
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
}

#[test]
fn every_rule_id_is_listed_once() {
    for (i, rule) in RULES.iter().enumerate() {
        assert!(
            RULES[..i].iter().all(|r| r.id != rule.id),
            "{} listed twice",
            rule.id
        );
    }
}

// ---- model integrity ----

#[test]
fn duplicate_names() {
    let mut m = base();
    let copy = entity(&mut m, "Customer").clone();
    m["entities"].as_array_mut().unwrap().push(copy);
    let f = fires(&m, "model.duplicate-name");
    assert_eq!(f[0].location, Location::entity("Customer"));
    quiet(&base(), "model.duplicate-name");
}

#[test]
fn unknown_table() {
    let mut m = base();
    entity(&mut m, "Customer")["table"] = json!("Nowhere");
    let f = fires(&m, "model.unknown-table");
    assert!(f[0].message.contains("Nowhere"));
    quiet(&base(), "model.unknown-table");
}

#[test]
fn missing_key_template() {
    let mut m = base();
    entity(&mut m, "Customer")["keys"] = json!({"PK": "{email}"});
    let f = fires(&m, "model.missing-key");
    assert_eq!(f[0].location, Location::template("Customer", "SK"));
    // An attribute named like the key attribute is its value: no template needed.
    let mut m = base();
    entity(&mut m, "Customer")["keys"] = json!({"PK": "{email}"});
    entity(&mut m, "Customer")["attributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "SK", "type": "S"}));
    quiet(&m, "model.missing-key");
}

#[test]
fn template_syntax_names_the_column() {
    let mut m = base();
    entity(&mut m, "Customer")["keys"]["PK"] = json!("USER#{email");
    let f = fires(&m, "model.template-syntax");
    assert!(f[0].message.contains("column 6"), "{}", f[0].message);
    assert_eq!(f[0].severity, Severity::Error);
    quiet(&base(), "model.template-syntax");
}

#[test]
fn attribute_names_follow_dynamodb_not_the_template_syntax() {
    // DynamoDB takes `follower#` as a name; no template names it, so nothing to say.
    let mut m = base();
    entity(&mut m, "Customer")["attributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "follower#", "type": "N"}));
    assert!(
        analysis(&m).findings.is_empty(),
        "{:#?}",
        analysis(&m).findings
    );
    entity(&mut m, "Customer")["attributes"][3]["name"] = json!("");
    let f = fires(&m, "limits.attribute-name");
    assert_eq!(f[0].severity, Severity::Error);
}

#[test]
fn unknown_attribute_names_the_column() {
    let mut m = base();
    entity(&mut m, "Order")["keys"]["SK"] = json!("ORDER#{created}#{order_id}");
    let f = fires(&m, "model.unknown-attribute");
    assert!(f[0].message.contains("column 8"), "{}", f[0].message);
    assert!(f[0].message.contains("`created`"));
    quiet(&base(), "model.unknown-attribute");
}

#[test]
fn unknown_key_attribute() {
    let mut m = base();
    entity(&mut m, "Customer")["keys"]["GSI9PK"] = json!("{email}");
    fires(&m, "model.unknown-key-attribute");
    quiet(&base(), "model.unknown-key-attribute");
}

#[test]
fn unknown_entity_in_a_pattern() {
    let mut m = base();
    pattern(&mut m, "AP1")["entities"] = json!(["Client"]);
    let f = fires(&m, "model.unknown-entity");
    assert_eq!(f[0].location, Location::pattern("AP1"));
    quiet(&base(), "model.unknown-entity");
}

#[test]
fn unknown_input() {
    let mut m = base();
    pattern(&mut m, "AP1")["inputs"] = json!(["emial"]);
    fires(&m, "model.unknown-input");
    quiet(&base(), "model.unknown-input");
}

// ---- hard limits ----

#[test]
fn names_must_fit_dynamodb() {
    let mut m = base();
    m["tables"][0]["name"] = json!("Sh");
    for e in m["entities"].as_array_mut().unwrap() {
        e["table"] = json!("Sh");
    }
    fires(&m, "limits.name");
    let mut m = base();
    m["tables"][0]["gsis"][0]["name"] = json!("GSI 1");
    fires(&m, "limits.name");
    quiet(&base(), "limits.name");
}

fn gsi(n: usize) -> serde_json::Value {
    json!({"name": format!("GSI{n}"), "partition_key": [{"name": format!("G{n}"), "type": "S"}],
           "projection": {"type": "KEYS_ONLY"}})
}

#[test]
fn gsi_count() {
    let mut m = base();
    m["tables"][0]["gsis"] = json!((1..=21).map(gsi).collect::<Vec<_>>());
    fires(&m, "limits.gsi-count");
    let mut m = base();
    m["tables"][0]["gsis"] = json!((1..=20).map(gsi).collect::<Vec<_>>());
    quiet(&m, "limits.gsi-count");
}

fn lsi(n: usize) -> serde_json::Value {
    json!({"name": format!("LSI{n}"), "sort_key": {"name": format!("L{n}"), "type": "S"}})
}

#[test]
fn lsi_count() {
    let mut m = base();
    m["tables"][0]["lsis"] = json!((1..=6).map(lsi).collect::<Vec<_>>());
    fires(&m, "limits.lsi-count");
    let mut m = base();
    m["tables"][0]["lsis"] = json!((1..=5).map(lsi).collect::<Vec<_>>());
    quiet(&m, "limits.lsi-count");
}

#[test]
fn projected_attributes() {
    let include = |n: usize| json!({"type": "INCLUDE", "attributes": (0..n).map(|i| format!("a{i}")).collect::<Vec<_>>()});
    let mut m = base();
    m["tables"][0]["gsis"][0]["projection"] = include(101);
    fires(&m, "limits.projected-attributes");
    m["tables"][0]["gsis"][0]["projection"] = include(100);
    quiet(&m, "limits.projected-attributes");
}

#[test]
fn key_types() {
    // A set attribute as a key value.
    let mut m = base();
    entity(&mut m, "Customer")["attributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "tags", "type": "SS"}));
    entity(&mut m, "Customer")["keys"]["PK"] = json!("{tags}");
    fires(&m, "limits.key-type");
    // Text written into a number key.
    let mut m = base();
    m["tables"][0]["gsis"][0]["sort_key"][0]["type"] = json!("N");
    let f = fires(&m, "limits.key-type");
    assert_eq!(f[0].location, Location::template("Order", "GSI1SK"));
    // A number attribute in a number key is fine.
    entity(&mut m, "Order")["keys"]["GSI1SK"] = json!("{total}");
    quiet(&m, "limits.key-type");
}

#[test]
fn key_type_conflict() {
    let mut m = base();
    m["tables"][0]["lsis"] = json!([{"name": "LSI1", "sort_key": {"name": "GSI1SK", "type": "N"}}]);
    fires(&m, "limits.key-type-conflict");
    let mut m = base();
    m["tables"][0]["lsis"] = json!([{"name": "LSI1", "sort_key": {"name": "GSI1SK", "type": "S"}}]);
    quiet(&m, "limits.key-type-conflict");
}

#[test]
fn item_size() {
    let mut m = base();
    entity(&mut m, "Customer")["attributes"][1]["size"] = json!(500_000);
    let f = fires(&m, "limits.item-size");
    assert_eq!(f[0].severity, Severity::Error);
    entity(&mut m, "Customer")["attributes"][1]["size"] = json!(200_000);
    let f = fires(&m, "limits.item-size");
    assert_eq!(f[0].severity, Severity::Warning);
    entity(&mut m, "Customer")["attributes"][1]["size"] = json!(90_000);
    quiet(&m, "limits.item-size");
}

#[test]
fn key_size() {
    let mut m = base();
    entity(&mut m, "Customer")["attributes"][0]["size"] = json!(3000);
    let f = fires(&m, "limits.key-size");
    assert_eq!(f[0].location, Location::template("Customer", "PK"));
    entity(&mut m, "Customer")["attributes"][0]["size"] = json!(2000);
    quiet(&m, "limits.key-size");
    // Sort keys have half the room.
    entity(&mut m, "Order")["attributes"][0]["size"] = json!(1100);
    fires(&m, "limits.key-size");
}

#[test]
fn lsi_without_sort_key() {
    let mut m = base();
    m["tables"][0]["lsis"] = json!([lsi(1)]);
    quiet(&m, "limits.lsi-without-sort-key");
    m["tables"][0].as_object_mut().unwrap().remove("sort_key");
    fires(&m, "limits.lsi-without-sort-key");
}

#[test]
fn multi_attribute_keys() {
    let attrs = |n: usize| {
        json!(
            (0..n)
                .map(|i| json!({"name": format!("k{i}"), "type": "S"}))
                .collect::<Vec<_>>()
        )
    };
    let mut m = base();
    m["tables"][0]["gsis"][0]["partition_key"] = attrs(5);
    fires(&m, "limits.multi-attribute-key");
    m["tables"][0]["gsis"][0]["partition_key"] = attrs(4);
    m["tables"][0]["gsis"][0]["sort_key"] = attrs(4);
    quiet(&m, "limits.multi-attribute-key");
}

// ---- conventions ----

#[test]
fn entity_prefix_on_partition_keys() {
    let mut m = base();
    entity(&mut m, "Customer")["keys"]["PK"] = json!("CUST#{email}");
    let f = fires(&m, "conventions.entity-prefix");
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].message.contains("`CUST#`"));
    assert!(f[0].hint.contains("`{email}`"));
    let mut m = base();
    entity(&mut m, "Order")["keys"]["GSI1PK"] = json!("PROD_{order_id}");
    let f = fires(&m, "conventions.entity-prefix");
    assert_eq!(f[0].location, Location::template("Order", "GSI1PK"));
    // Sort-key type markers are fine, and single-table designs prefix partition keys.
    quiet(&base(), "conventions.entity-prefix");
    let mut m = base();
    entity(&mut m, "Customer")["keys"]["PK"] = json!("CUST#{email}");
    m["profile"] = json!("single_table");
    quiet(&m, "conventions.entity-prefix");
}

#[test]
fn gsi_naming() {
    let mut m = base();
    m["tables"][0]["gsis"][0]["name"] = json!("ByOrderId");
    m["conventions"] = serde_json::Value::Null;
    let f = fires(&m, "conventions.gsi-naming");
    assert!(f[0].hint.contains("GSI1"));
    let mut m = base();
    m["tables"][0]["gsis"][0]["name"] = json!("GSI2");
    m["conventions"] = serde_json::Value::Null;
    let f = fires(&m, "conventions.gsi-naming");
    assert!(f[0].message.contains("skip GSI1"));
    m["profile"] = json!("single_table");
    quiet(&m, "conventions.gsi-naming");
}

#[test]
fn expected_tables_and_gsis() {
    let mut m = base();
    m["conventions"] = json!({"expected_tables": [{"name": "Users", "gsis": ["GSI1"]}, {"name": "Shop", "gsis": ["GSI1", "GSI2"]}]});
    let f = fires(&m, "conventions.expected-table");
    assert!(f[0].message.contains("Users"));
    let f = fires(&m, "conventions.expected-gsi");
    assert!(f[0].message.contains("GSI2"));
    quiet(&base(), "conventions.expected-table");
    quiet(&base(), "conventions.expected-gsi");
}

// ---- coverage ----

#[test]
fn pattern_without_entity() {
    let mut m = base();
    pattern(&mut m, "AP1")["entities"] = json!([]);
    fires(&m, "coverage.no-entity");
    pattern(&mut m, "AP1")["outside_dynamodb"] = json!("handled by the identity provider");
    quiet(&m, "coverage.no-entity");
}

#[test]
fn scan_names_the_read_amplification() {
    let mut m = base();
    pattern(&mut m, "AP3")["inputs"] = json!(["status"]);
    let f = fires(&m, "coverage.scan");
    assert!(f[0].message.contains("110,000"), "{}", f[0].message);
    assert!(f[0].message.contains("read amplification"));
    quiet(&base(), "coverage.scan");
}

#[test]
fn items_beyond_the_partition_estimate() {
    // AP2: 100,000 orders over 10,000 customers = ~10 per customer; it returns 10.
    quiet(&base(), "coverage.items-estimate");
    let mut m = base();
    pattern(&mut m, "AP2")["items"] = json!(25);
    let f = fires(&m, "coverage.items-estimate");
    assert_eq!(f[0].location, Location::pattern("AP2"));
    assert!(
        f[0].message.contains("returns 25 items per call")
            && f[0].message.contains("~10 Order items")
            && f[0].message.contains("costed at 25 items"),
        "{}",
        f[0].message
    );
    // The read is costed at what the pattern returns, not at the smaller estimate.
    let a = analysis(&m);
    let plan = a.resolutions[1].plan.as_ref().unwrap();
    assert_eq!(plan.items_read, 25.0);
    assert_eq!(plan.partition_items, 10.0);
}

#[test]
fn a_range_with_a_filter_reads_the_whole_partition() {
    // AP2 with status among the inputs: the range on created_at is a key
    // condition, status a filter; the customer's ~10 orders are read for 4.
    let mut m = base();
    pattern(&mut m, "AP2")["inputs"] = json!(["email", "status"]);
    pattern(&mut m, "AP2")["items"] = json!(4);
    let a = analysis(&m);
    let plan = a.resolutions[1].plan.as_ref().unwrap();
    assert_eq!(plan.filters, ["status"]);
    assert_eq!(plan.items_read, 10.0);
    let f = fires(&m, "coverage.filter");
    assert!(f[0].message.contains("reads ~10 items"), "{}", f[0].message);
}

#[test]
fn a_get_item_returns_one_item() {
    let mut m = base();
    pattern(&mut m, "AP1")["items"] = json!(3);
    let f = fires(&m, "coverage.items-estimate");
    assert!(
        f[0].message.contains("a GetItem returns one"),
        "{}",
        f[0].message
    );
}

#[test]
fn reads_never_fall_below_what_they_return() {
    let mut m = base();
    // A range on the sort key is no equality: the partition holds ~10, the page 4.
    pattern(&mut m, "AP2")["items"] = json!(4);
    let a = analysis(&m);
    let plan = a.resolutions[1].plan.as_ref().unwrap();
    assert_eq!(plan.items_read, 4.0);
    assert_eq!(plan.partition_items, 10.0);
    // A scan of a table smaller than what the pattern returns still reads that much.
    pattern(&mut m, "AP3")["inputs"] = json!(["status"]);
    pattern(&mut m, "AP3")["items"] = json!(500_000);
    let a = analysis(&m);
    let plan = a.resolutions[2].plan.as_ref().unwrap();
    assert_eq!(plan.call, crate::model::Operation::Scan);
    assert_eq!(plan.items_read, 500_000.0);
    assert!(
        fired(&m, "coverage.items-estimate")
            .iter()
            .any(|f| f.location == Location::pattern("AP3"))
    );
}

#[test]
fn filter_names_attribute_and_amplification() {
    let mut m = base();
    pattern(&mut m, "AP2")["inputs"] = json!(["email", "status"]);
    let f = fires(&m, "coverage.filter");
    assert!(f[0].message.contains("status"), "{}", f[0].message);
    assert!(f[0].message.contains("amplification"));
    quiet(&base(), "coverage.filter");
}

#[test]
fn pinned_index_that_cannot_serve() {
    let mut m = base();
    pattern(&mut m, "AP3")["index"] = json!("Shop");
    let f = fires(&m, "coverage.pinned-index");
    assert!(f[0].hint.contains("GSI1"), "{}", f[0].hint);
    pattern(&mut m, "AP3")["index"] = json!("GSI1");
    quiet(&m, "coverage.pinned-index");
}

#[test]
fn updates_need_the_primary_key() {
    let mut m = base();
    pattern(&mut m, "AP5")["inputs"] = json!(["order_id"]);
    let f = fires(&m, "coverage.write-key");
    assert!(f[0].message.contains("`email`"));
    quiet(&base(), "coverage.write-key");
}

#[test]
fn get_item_that_only_a_query_serves() {
    let mut m = base();
    pattern(&mut m, "AP3")["operation"] = json!("GetItem");
    let f = fires(&m, "coverage.get-as-query");
    assert_eq!(f[0].severity, Severity::Info);
    assert!(f[0].message.contains("GSI1"));
    quiet(&base(), "coverage.get-as-query");
}

// ---- GSI optimisation ----

#[test]
fn unused_gsi() {
    let mut m = base();
    m["access_patterns"].as_array_mut().unwrap().remove(2);
    let f = fires(&m, "gsi.unused");
    assert!(
        f[0].message.contains("AP4"),
        "writes are named: {}",
        f[0].message
    );
    quiet(&base(), "gsi.unused");
}

#[test]
fn duplicate_gsi() {
    let mut m = base();
    let copy = json!({"name": "GSI2", "partition_key": [{"name": "GSI1PK", "type": "S"}],
                      "sort_key": [{"name": "GSI1SK", "type": "S"}], "projection": {"type": "ALL"}});
    m["tables"][0]["gsis"].as_array_mut().unwrap().push(copy);
    let f = fires(&m, "gsi.duplicate");
    assert_eq!(f[0].location, Location::index("Shop", "GSI2"));
    // Other attribute names, but the same values for every entity.
    let mut m = base();
    let same_values = json!({"name": "GSI2", "partition_key": [{"name": "GSI2PK", "type": "S"}],
                      "sort_key": [{"name": "GSI2SK", "type": "S"}], "projection": {"type": "ALL"}});
    m["tables"][0]["gsis"]
        .as_array_mut()
        .unwrap()
        .push(same_values);
    entity(&mut m, "Order")["keys"]["GSI2PK"] = json!("{order_id}");
    entity(&mut m, "Order")["keys"]["GSI2SK"] = json!("#ORDER");
    fires(&m, "gsi.duplicate");
    entity(&mut m, "Order")["keys"]["GSI2PK"] = json!("{status}");
    quiet(&m, "gsi.duplicate");
}

#[test]
fn redundant_gsi() {
    let mut m = base();
    pattern(&mut m, "AP3")["inputs"] = json!(["order_id", "email", "created_at"]);
    pattern(&mut m, "AP3")["index"] = json!("GSI1");
    let f = fires(&m, "gsi.redundant");
    assert!(f[0].message.contains("AP3"));
    quiet(&base(), "gsi.redundant");
}

// ---- partitions ----

#[test]
fn hot_partition() {
    let mut m = base();
    pattern(&mut m, "AP2")["peak_rps"] = json!(100_000_000.0);
    let f = fires(&m, "partition.hot");
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].message.contains("RCU"));
    let mut m = base();
    pattern(&mut m, "AP4")["peak_rps"] = json!(8_000_000.0);
    let f = fires(&m, "partition.hot");
    assert!(f.iter().any(|f| f.message.contains("WCU")));
    quiet(&base(), "partition.hot");
}

#[test]
fn constant_partition_key() {
    let mut m = base();
    entity(&mut m, "Customer")["keys"] = json!({"PK": "CUSTOMERS", "SK": "{email}"});
    let f = fires(&m, "partition.constant-key");
    assert!(
        f[0].message.contains("10,000 Customer items"),
        "{}",
        f[0].message
    );
    quiet(&base(), "partition.constant-key");
}

#[test]
fn low_cardinality_partition_key() {
    let mut m = base();
    entity(&mut m, "Order")["keys"]["GSI1PK"] = json!("{status}");
    pattern(&mut m, "AP3")["inputs"] = json!(["status"]);
    let f = fires(&m, "partition.low-cardinality");
    assert!(f[0].message.contains("~3 values"), "{}", f[0].message);
    quiet(&base(), "partition.low-cardinality");
}

// ---- sort keys ----

#[test]
fn range_on_the_wrong_placeholder() {
    let mut m = base();
    entity(&mut m, "Order")["keys"]["SK"] = json!("ORDER#{status}#{created_at}");
    let f = fires(&m, "sort-key.range-attribute");
    assert!(f[0].message.contains("status"), "{}", f[0].message);
    quiet(&base(), "sort-key.range-attribute");
}

#[test]
fn numbers_in_string_sort_keys() {
    let mut m = base();
    entity(&mut m, "Order")["keys"]["GSI1SK"] = json!("TOTAL#{total}");
    let f = fires(&m, "sort-key.number-width");
    assert!(f[0].hint.contains("{total:010}"));
    entity(&mut m, "Order")["keys"]["GSI1SK"] = json!("TOTAL#{total:010}");
    quiet(&m, "sort-key.number-width");
}

#[test]
fn dates_in_sort_keys() {
    let mut m = base();
    entity(&mut m, "Order")["attributes"][4]["generator"]["format"] = json!({"custom": "%d/%m/%Y"});
    fires(&m, "sort-key.date-format");
    entity(&mut m, "Order")["attributes"][4]["generator"]["format"] = json!({"custom": "%Y-%m-%d"});
    quiet(&m, "sort-key.date-format");
}

// ---- consolidation ----

#[test]
fn entities_in_different_partitions() {
    let mut m = base();
    pattern(&mut m, "AP3")["entities"] = json!(["Order", "Customer"]);
    let f = fires(&m, "consolidation.item-collection");
    assert!(f[0].message.contains("Customer"));
    // Customer and Order share the customer's partition: one Query reads both.
    let mut m = base();
    pattern(&mut m, "AP2")["entities"] = json!(["Order", "Customer"]);
    pattern(&mut m, "AP2")
        .as_object_mut()
        .unwrap()
        .remove("range");
    quiet(&m, "consolidation.item-collection");
}

#[test]
fn thousands_groups_digits() {
    let t = |v: f64| super::thousands(v).to_string();
    assert_eq!(t(0.0), "0");
    assert_eq!(t(999.4), "999");
    assert_eq!(t(1000.0), "1,000");
    assert_eq!(t(1_234_567.4), "1,234,567");
    assert_eq!(t(-1500.0), "-1,500");
    assert_eq!(t(-0.4), "0");
    assert_eq!(t(f64::MAX), "18,446,744,073,709,551,615");
}

#[test]
fn messages_join_text_and_numbers() {
    let m: String = super::Message::new()
        .s("AP1 reads ~")
        .n(1_234_567.4)
        .s(" items to return ")
        .u(1000)
        .into();
    assert_eq!(m, "AP1 reads ~1,234,567 items to return 1000");
}

// ---- time to live ----

#[test]
fn ttl_needs_a_number_of_epoch_seconds() {
    let mut m = base();
    m["tables"][0]["ttl"] = json!({"attribute": "expires_at"});
    let f = fires(&m, "ttl.unused");
    assert_eq!(f[0].location, Location::table("Shop"));
    entity(&mut m, "Order")["attributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "expires_at", "type": "S", "size": 20}));
    let f = fires(&m, "ttl.not-a-number");
    assert_eq!(f[0].location, Location::attribute("Order", "expires_at"));
    assert!(f[0].message.contains("never expire"), "{}", f[0].message);
    quiet(&m, "ttl.unused");
    let attr = &mut entity(&mut m, "Order")["attributes"][5];
    attr["type"] = json!("N");
    attr["generator"] = json!({"kind": "timestamp", "from": "2025-01-01", "to": "2026-01-01", "format": "epoch_millis"});
    let f = fires(&m, "ttl.not-a-number");
    assert!(f[0].message.contains("milliseconds"), "{}", f[0].message);
    entity(&mut m, "Order")["attributes"][5]["generator"]["format"] = json!("epoch_seconds");
    quiet(&m, "ttl.not-a-number");
    m["tables"][0]["ttl"] = json!({"attribute": ""});
    fires(&m, "ttl.attribute");
    quiet(&base(), "ttl.attribute");
}

#[test]
fn findings_name_an_index_with_its_table() {
    // The bundled first draft filters on Products/CategoryIndex and keys
    // Orders/StatusIndex on a three-valued status.
    let model = crate::model::samples::sample("ecommerce-initial")
        .unwrap()
        .load()
        .unwrap();
    let findings = crate::analysis::analyze(&model).findings;
    let message = |rule: &str, needle: &str| {
        findings
            .iter()
            .find(|f| f.rule == rule && f.message.contains(needle))
            .map(|f| f.message.clone())
            .unwrap_or_else(|| panic!("no {rule} finding about {needle}"))
    };
    assert!(message("coverage.filter", "AP8").contains("items from Products/CategoryIndex"));
    assert!(
        message("partition.low-cardinality", "{status}")
            .contains("Order items in Orders/StatusIndex")
    );
    assert!(
        message("sort-key.range-attribute", "AP8").contains("key condition on Products/PriceIndex")
    );
}

#[test]
fn keys_of_one_kind_add_up_on_the_partitions_they_share() {
    // Products/GSI1 is keyed {category_id} by Product and {parent_id} by
    // Category: both hold category ids, so one partition takes both loads.
    let mut model = crate::model::samples::sample("ecommerce")
        .unwrap()
        .load()
        .unwrap();
    let group = |a: &crate::analysis::Analysis, key: &str| {
        a.partitions
            .groups
            .iter()
            .find(|g| &*g.table == "Products" && g.index.as_deref() == Some("GSI1") && g.key == key)
            .cloned()
            .unwrap()
    };
    let before = crate::analysis::analyze(&model);
    // Scale each key's patterns so each key alone takes 35% of 3,000 RCU.
    for key in ["{category_id}", "{parent_id}"] {
        let g = group(&before, key);
        let factor = 0.35 * 3000.0 / g.read_units;
        for p in model
            .access_patterns
            .iter_mut()
            .filter(|p| p.operation.is_read() && g.patterns.iter().any(|id| **id == p.id))
        {
            p.peak_rps *= factor;
        }
    }
    let after = crate::analysis::analyze(&model);
    let (a, b) = (group(&after, "{category_id}"), group(&after, "{parent_id}"));
    assert!(a.read_share() < 0.5 && b.read_share() < 0.5, "{a:?} {b:?}");
    assert!(a.read_share() + b.read_share() > 0.5);
    let hot: Vec<_> = after
        .findings
        .iter()
        .filter(|f| f.rule == "partition.hot" && f.message.contains("{parent_id}"))
        .collect();
    assert_eq!(hot.len(), 1, "{:#?}", after.findings);
    assert!(
        hot[0].message.contains("{category_id} and {parent_id}"),
        "{}",
        hot[0].message
    );
    assert_eq!(hot[0].severity, Severity::Warning);
}

/// Two thousand GSIs with one key schema: the check compares each with those
/// before it through a map, so this runs in moments, and says once per GSI which
/// one it repeats (a pairwise loop took 12.9 s and made a finding per pair).
#[test]
fn thousands_of_identical_gsis_give_one_finding_each_in_linear_time() {
    let mut v = base();
    let gsi = v["tables"][0]["gsis"][0].clone();
    let gsis: Vec<serde_json::Value> = (0..2000)
        .map(|i| {
            let mut g = gsi.clone();
            g["name"] = json!(format!("GSI{}", i + 1));
            g
        })
        .collect();
    v["tables"][0]["gsis"] = json!(gsis);
    let found = fired(&v, "gsi.duplicate");
    assert_eq!(found.len(), 1999);
    assert!(
        found
            .iter()
            .all(|f| f.message.ends_with("has the same key schema as GSI1")),
        "{:?}",
        found.first()
    );
}

/// A template of 30,000 placeholders naming an attribute the entity lacks: one
/// finding that counts them and quotes 80 characters of the template (one finding
/// per placeholder, each quoting it whole, made a 3.8 GB report).
#[test]
fn a_template_full_of_unknown_placeholders_is_one_bounded_finding() {
    let mut m = base();
    let template: String = (0..30_000).map(|i| format!("{{x{}}}#", i % 7)).collect();
    entity(&mut m, "Order")["keys"]["SK"] = json!(template);
    let f = fires(&m, "model.unknown-attribute");
    assert_eq!(f.len(), 1);
    assert!(f[0].message.len() < 400, "{}", f[0].message.len());
    assert!(
        f[0].message.ends_with(
            "has no attribute `x0` nor `x1`, `x2`, `x3` and 3 more (30,000 placeholders in all)"
        ),
        "{}",
        f[0].message
    );
}
