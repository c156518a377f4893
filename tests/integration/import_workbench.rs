//! NoSQL Workbench files as people write them: one hand-made file per defect
//! found in real files (`tests/fixtures/nosql-workbench`), the real files we
//! have (`../shared/fixtures/nosql-workbench`, `tests/fixtures/real/nosql-workbench`)
//! round-tripped, and a table of 40,000 items.

use std::path::{Path, PathBuf};

use dynamodel::analysis::analyze;
use dynamodel::export::{
    ExportFormat, ExportOptions, ImportFormat, Imported, NoteKind, export, import, import_str,
};
use dynamodel::model::{self, AttrType, AttrValue, Model, Projection, Template};
use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    crate::root()
        .join("tests")
        .join("fixtures")
        .join("nosql-workbench")
        .join(name)
}

fn read(path: &Path) -> Imported {
    import(path, ImportFormat::NosqlWorkbench).unwrap_or_else(|e| panic!("{e}"))
}

fn read_value(value: &Value, name: &str) -> Imported {
    import_str(
        &value.to_string(),
        Path::new(name),
        ImportFormat::NosqlWorkbench,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn workbench(model: &Model) -> Value {
    let text = export(
        model,
        ExportFormat::NosqlWorkbench,
        &ExportOptions::default(),
    )
    .text;
    serde_json::from_str(&text).unwrap()
}

/// The notes whose message contains `text`, as `at: message`.
fn notes(report: &dynamodel::export::Report, kind: NoteKind, text: &str) -> Vec<String> {
    report
        .of_kind(kind)
        .filter(|n| n.message.contains(text))
        .map(|n| format!("{}: {}", n.at, n.message))
        .collect()
}

fn entity_names(model: &Model) -> Vec<&str> {
    model.entities.iter().map(|e| e.name.as_str()).collect()
}

fn attributes(model: &Model, entity: &str) -> Vec<(String, AttrType)> {
    model
        .entity(entity)
        .unwrap_or_else(|| panic!("no entity {entity}"))
        .attributes
        .iter()
        .map(|a| (a.name.clone(), a.attr_type))
        .collect()
}

/// Every key template of the model parses, whatever its attribute names.
fn templates_parse(model: &Model) {
    for e in &model.entities {
        for (key, template) in &e.keys {
            assert!(
                Template::parse(template).is_ok(),
                "{}[{key}] = {template}",
                e.name
            );
        }
    }
}

#[test]
fn plain_json_inside_maps_and_lists_is_read_as_typed_values() {
    let got = read(&fixture("plain-json-in-maps.json"));
    let m = &got.model;
    templates_parse(m);
    let items = &m.entity("Profile").unwrap().example_items;
    assert_eq!(items.len(), 2);
    let AttrValue::M(settings) = &items[0]["settings"] else {
        panic!("{:?}", items[0]["settings"]);
    };
    assert_eq!(settings["dark_mode"], AttrValue::Bool(true));
    assert_eq!(settings["language"], AttrValue::S("en".into()));
    assert_eq!(settings["font_size"], AttrValue::N("14".into()));
    assert_eq!(settings["nickname"], AttrValue::Null);
    assert!(
        matches!(&settings["notifications"], AttrValue::M(n) if n["push"] == AttrValue::Bool(true))
    );
    assert_eq!(
        items[0]["tags"],
        AttrValue::L(vec![
            AttrValue::S("admin".into()),
            AttrValue::N("3".into()),
            AttrValue::S("typed".into())
        ])
    );
    // The second item was typed already and reads as it is.
    assert!(
        matches!(&items[1]["settings"], AttrValue::M(s) if s["language"] == AttrValue::S("fr".into()))
    );
    let repaired = notes(&got.report, NoteKind::Repaired, "plain JSON");
    assert_eq!(
        repaired,
        [
            "DataModel[0].TableFacets[0].TableData[0].settings: `settings` of table `Profiles` holds plain JSON inside its M value in 1 item: read as DynamoDB values (strings as S, numbers as N, true/false as BOOL, null as NULL, objects as M, arrays as L)",
            "DataModel[0].TableFacets[0].TableData[0].tags: `tags` of table `Profiles` holds plain JSON inside its L value in 1 item: read as DynamoDB values (strings as S, numbers as N, true/false as BOOL, null as NULL, objects as M, arrays as L)",
        ]
    );
}

#[test]
fn local_secondary_indexes_are_read_and_written() {
    let got = read(&fixture("local-secondary-indexes.json"));
    let table = &got.model.tables[0];
    let lsis: Vec<(&str, &str, &Projection)> = table
        .lsis
        .iter()
        .map(|l| (l.name.as_str(), l.sort_key.name.as_str(), &l.projection))
        .collect();
    assert_eq!(
        lsis,
        [
            ("ByCreated", "created_at", &Projection::All),
            (
                "ByTotal",
                "total",
                &Projection::Include {
                    attributes: vec!["status".into()]
                }
            ),
        ]
    );
    assert_eq!(table.lsis[1].sort_key.key_type, model::KeyType::N);
    assert!(
        got.report
            .notes
            .iter()
            .all(|n| !n.at.contains("LocalSecondary")),
        "{:#?}",
        got.report
    );

    // Written back in NoSQL Workbench's own index shape, with no note.
    let out = export(
        &got.model,
        ExportFormat::NosqlWorkbench,
        &ExportOptions::default(),
    );
    assert!(
        out.report
            .notes
            .iter()
            .all(|n| !n.message.contains("models no LSIs")),
        "{:#?}",
        out.report
    );
    let doc: Value = serde_json::from_str(&out.text).unwrap();
    assert_eq!(
        doc["DataModel"][0]["LocalSecondaryIndexes"][0],
        json!({
            "IndexName": "ByCreated",
            "KeyAttributes": {
                "PartitionKey": {"AttributeName": "customer_id", "AttributeType": "S"},
                "SortKey": {"AttributeName": "created_at", "AttributeType": "S"}
            },
            "Projection": {"ProjectionType": "ALL"}
        })
    );
    // The NoSQL Workbench part alone carries them.
    let mut bare = doc.clone();
    bare.as_object_mut().unwrap().remove("dynamodel");
    assert_eq!(
        read_value(&bare, "orders.json").model.tables[0].lsis,
        table.lsis
    );
}

#[test]
fn an_lsi_on_another_partition_key_is_read_as_a_gsi() {
    let mut doc: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("local-secondary-indexes.json")).unwrap(),
    )
    .unwrap();
    doc["DataModel"][0]["LocalSecondaryIndexes"][0]["KeyAttributes"]["PartitionKey"]["AttributeName"] =
        json!("status");
    let got = read_value(&doc, "orders.json");
    let table = &got.model.tables[0];
    assert_eq!(table.lsis.len(), 1);
    assert_eq!(table.gsis[0].name, "ByCreated");
    assert_eq!(table.gsis[0].partition_key[0].name, "status");
    assert_eq!(
        notes(&got.report, NoteKind::Repaired, "read as one"),
        [
            "DataModel[0].LocalSecondaryIndexes[0]: LSI `ByCreated` has the partition key `status`, not the table's `customer_id`: only a GSI can, so it is read as one"
        ]
    );
    // A DynamoDB KeySchema may give a GSI a multi-attribute key.
    doc["DataModel"][0]["GlobalSecondaryIndexes"] = json!([{
        "IndexName": "ByStatusAndDay",
        "KeySchema": [
            {"AttributeName": "status", "KeyType": "HASH"},
            {"AttributeName": "created_at", "KeyType": "HASH"},
            {"AttributeName": "total", "KeyType": "RANGE"}
        ],
        "Projection": {"ProjectionType": "KEYS_ONLY"}
    }]);
    let table = read_value(&doc, "orders.json").model.tables.remove(0);
    let gsi = &table.gsis[0];
    let names = |keys: &[model::KeyAttribute]| {
        keys.iter()
            .map(|k| (k.name.clone(), k.key_type))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&gsi.partition_key),
        [
            ("status".to_string(), model::KeyType::S),
            ("created_at".to_string(), model::KeyType::S)
        ]
    );
    assert_eq!(
        names(&gsi.sort_key),
        [("total".to_string(), model::KeyType::N)]
    );
}

#[test]
fn declared_attributes_no_item_holds_are_kept() {
    let got = read(&fixture("declared-attributes-without-items.json"));
    let m = &got.model;
    // Declared on a facet that has no item holding it: on that facet's entity.
    assert!(attributes(m, "Book").contains(&("page_count".into(), AttrType::N)));
    assert!(attributes(m, "Member").contains(&("member_name".into(), AttrType::S)));
    // Declared on the table only: on every entity of the table, and said so.
    for e in ["Book", "Member"] {
        assert!(
            attributes(m, e).contains(&("archived".into(), AttrType::Bool)),
            "{e}"
        );
    }
    assert_eq!(
        notes(&got.report, NoteKind::Inferred, "`archived`"),
        [
            "DataModel[0].NonKeyAttributes: `archived` is declared, but no facet lists it and no item holds it: added to every entity of table `Library` (Book and Member)"
        ]
    );
    // A table of attributes only: one entity holds them, keyed by the table's keys.
    assert_eq!(
        attributes(m, "AuditItem"),
        [
            ("event_id".into(), AttrType::S),
            ("actor".into(), AttrType::S),
            ("at".into(), AttrType::N)
        ]
    );
    assert_eq!(
        m.entity("AuditItem")
            .unwrap()
            .key_template("event_id")
            .as_deref(),
        Some("{event_id}")
    );
    assert_eq!(
        notes(
            &got.report,
            NoteKind::Inferred,
            "entity AuditItem holds them"
        )
        .len(),
        1
    );
    // Nothing declared is missing from the model.
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("declared-attributes-without-items.json")).unwrap(),
    )
    .unwrap();
    for t in doc["DataModel"].as_array().unwrap() {
        for a in t["NonKeyAttributes"].as_array().unwrap() {
            let name = a["AttributeName"].as_str().unwrap();
            assert!(
                m.entities.iter().any(|e| e.attribute(name).is_some()),
                "{name} was dropped"
            );
        }
    }
}

#[test]
fn attributes_declared_twice_are_merged() {
    let got = read(&fixture("duplicate-non-key-attributes.json"));
    let m = &got.model;
    assert_eq!(
        attributes(m, "Event")
            .iter()
            .filter(|(n, _)| n == "name")
            .count(),
        1
    );
    assert!(attributes(m, "Event").contains(&("capacity".into(), AttrType::N)));
    assert_eq!(
        attributes(m, "Note")
            .iter()
            .filter(|(n, _)| n == "name")
            .count(),
        1
    );
    let findings = analyze(m).findings;
    assert!(
        findings.iter().all(|f| f.rule != "model.duplicate-name"),
        "{findings:#?}"
    );
    assert_eq!(
        notes(&got.report, NoteKind::Repaired, "declared"),
        [
            "DataModel[0].NonKeyAttributes[2]: `name` is declared 2 times in the NonKeyAttributes of table `Events`: read once",
            "DataModel[0].NonKeyAttributes[4]: `capacity` is declared 2 times in the NonKeyAttributes of table `Events`: read once, as N (the first type; also declared as S)",
        ]
    );
    assert_eq!(
        notes(&got.report, NoteKind::Repaired, "listed twice"),
        ["DataModel[0].TableFacets[0].NonKeyAttributes[2]: `name` is listed twice: read once"]
    );
}

#[test]
fn attribute_names_dynamodb_allows_import() {
    let got = read(&fixture("hash-in-attribute-names.json"));
    let m = &got.model;
    templates_parse(m);
    let account = m.entity("Account").unwrap();
    assert!(account.attribute("follower#").is_some());
    assert!(account.attribute("display name").is_some());
    assert_eq!(account.keys["PK"], "ACCOUNT#{handle}");
    // `{follower#}` cannot be written: the sort key is named from the alias.
    assert_eq!(account.keys["SK"], "{follower}");
    assert_eq!(
        account.example_items[0]["follower#"],
        AttrValue::N("42".into())
    );
}

#[test]
fn items_without_the_key_attributes_are_left_out() {
    let got = read(&fixture("empty-item.json"));
    let m = &got.model;
    assert_eq!(entity_names(m), ["Task"]);
    assert_eq!(m.entity("Task").unwrap().example_items.len(), 2);
    assert_eq!(
        notes(&got.report, NoteKind::Dropped, "left out"),
        [
            "DataModel[0].TableData[1]: item 2 of table `Tasks` has no key value for `PK` or `SK`, which every item of the table needs: left out",
            "DataModel[0].TableData[2]: item 3 of table `Tasks` has no key value for `SK`, which every item of the table needs: left out",
        ]
    );
}

#[test]
fn entities_follow_key_shapes_not_key_values() {
    let got = read(&fixture("names-as-partition-keys.json"));
    let m = &got.model;
    assert_eq!(
        entity_names(m),
        [
            "PeopleItem",
            "ForumItem",
            "UserMeta",
            "GroupMeta",
            "Comm",
            "Metadata"
        ]
    );
    assert_eq!(m.entity("PeopleItem").unwrap().example_items.len(), 3);
    assert_eq!(m.entity("ForumItem").unwrap().example_items.len(), 3);
    assert_eq!(m.entity("UserMeta").unwrap().keys["PK"], "USER#{user_id}");
    assert_eq!(m.entity("GroupMeta").unwrap().keys["SK"], "#META");
    assert_eq!(
        m.entity("Comm").unwrap().keys["SK"],
        "comm#{comm_date}#{comm_id}"
    );
    assert_eq!(m.entity("Metadata").unwrap().keys["SK"], "metadata");
}

#[test]
fn each_facet_keeps_its_own_aliases() {
    let got = read(&fixture("facet-aliases.json"));
    let m = &got.model;
    assert_eq!(m.entity("Account").unwrap().keys["PK"], "ACC#{AccountId}");
    assert_eq!(
        m.entity("Payment").unwrap().keys["PK"],
        "ACC#{OwnerAccount}"
    );
    assert_eq!(m.entity("Payment").unwrap().keys["SK"], "PAY#{PaymentId}");
    assert!(attributes(m, "Account").contains(&("AccountId".into(), AttrType::S)));
    assert!(attributes(m, "Payment").contains(&("OwnerAccount".into(), AttrType::S)));
    // The alias NoSQL Workbench writes by default, the key's own name, says nothing.
    let mut doc: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("facet-aliases.json")).unwrap())
            .unwrap();
    doc["DataModel"][0]["TableFacets"][1]["KeyAttributeAlias"] =
        json!({"PartitionKeyAlias": "PK", "SortKeyAlias": "SK"});
    let m = read_value(&doc, "accounts.json").model;
    assert_eq!(m.entity("Payment").unwrap().keys["SK"], "PAY#{pay_id}");
    assert!(m.entity("Payment").unwrap().attribute("PK").is_none());
}

/// Each facet of the document with its `KeyAttributeAlias`, table by table.
fn facet_aliases(doc: &Value) -> Vec<(String, Value)> {
    doc["DataModel"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["TableFacets"].as_array().cloned().unwrap_or_default())
        .map(|f| {
            (
                f["FacetName"].as_str().unwrap().to_string(),
                f["KeyAttributeAlias"].clone(),
            )
        })
        .collect()
}

#[test]
fn facet_aliases_are_written_back_as_they_came() {
    let shared = crate::shared().join("fixtures").join("nosql-workbench");
    for path in [
        fixture("facet-aliases.json"),
        shared.join("GamePlayerProfilesSchema.json"),
        shared.join("RecurringPaymentsSchema.json"),
    ] {
        let source: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let doc = workbench(&read(&path).model);
        assert_eq!(
            facet_aliases(&doc),
            facet_aliases(&source),
            "{}",
            path.display()
        );
    }

    let mut m = read(&fixture("facet-aliases.json")).model;
    assert_eq!(
        m.entity("Payment").unwrap().key_aliases["SK"],
        model::KeyAlias {
            alias: "PaymentId".into(),
            template: "PAY#{PaymentId}".into()
        }
    );
    // A changed template is written instead of the alias it no longer is.
    let payment = m.entities.iter_mut().find(|e| e.name == "Payment").unwrap();
    payment
        .keys
        .insert("SK".into(), "PAYMENT#{PaymentId}".into());
    let doc = workbench(&m);
    assert_eq!(
        facet_aliases(&doc),
        [
            (
                "Account".to_string(),
                json!({"PartitionKeyAlias": "AccountId", "SortKeyAlias": "Profile"})
            ),
            (
                "Payment".to_string(),
                json!({"PartitionKeyAlias": "OwnerAccount", "SortKeyAlias": "PAYMENT#{PaymentId}"})
            ),
        ]
    );
    assert_eq!(read_value(&doc, "accounts.json").model, m);
    // The NoSQL Workbench part alone has the new template too.
    let mut bare = doc.clone();
    bare.as_object_mut().unwrap().remove("dynamodel");
    let alone = read_value(&bare, "accounts.json").model;
    assert_eq!(
        alone.entity("Payment").unwrap().keys["SK"],
        "PAYMENT#{PaymentId}"
    );
    assert_eq!(
        alone.entity("Payment").unwrap().keys["PK"],
        "ACC#{OwnerAccount}"
    );
}

#[test]
fn unknown_top_level_fields_are_named() {
    let got = read(&fixture("unknown-top-level-fields.json"));
    assert_eq!(
        notes(
            &got.report,
            NoteKind::Dropped,
            "not a NoSQL Workbench field"
        ),
        [
            "ModelSchema: `ModelSchema` is not a NoSQL Workbench field this importer knows: not imported",
            "Comments: `Comments` is not a NoSQL Workbench field this importer knows: not imported",
        ]
    );
    // The CLI prints the report on stderr.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("notes.dynamodel.json");
    let source = fixture("unknown-top-level-fields.json");
    let (code, _, err) = crate::cli::run(&[
        "import",
        source.to_str().unwrap(),
        "--from",
        "nosql-workbench",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("ModelSchema") && err.contains("Comments"),
        "{err}"
    );
}

#[test]
fn multi_attribute_gsi_keys_are_kept_in_the_extension_field() {
    let mut m = model::samples::sample("ecommerce").unwrap().load().unwrap();
    let (table, gsi) = m
        .tables
        .iter()
        .enumerate()
        .find_map(|(t, table)| {
            table
                .gsis
                .iter()
                .position(|g| g.sort_key.len() == 1)
                .map(|g| (t, g))
        })
        .unwrap();
    let extra = model::KeyAttribute::new("created_at", model::KeyType::S);
    m.tables[table].gsis[gsi].sort_key.push(extra);
    let out = export(&m, ExportFormat::NosqlWorkbench, &ExportOptions::default());
    let name = m.tables[table].gsis[gsi].name.clone();
    assert!(
        out.report
            .of_kind(NoteKind::Kept)
            .any(|n| n.at.ends_with(&name)
                && n.message
                    .contains("multi-attribute key is kept in the `dynamodel` field")),
        "{:#?}",
        out.report
    );
    let back = read_value(&serde_json::from_str(&out.text).unwrap(), "shop.json").model;
    assert_eq!(back.tables[table].gsis[gsi].sort_key.len(), 2);
    assert_eq!(back, m);
}

/// The real NoSQL Workbench files: the shared samples and those collected
/// under `tests/fixtures/real/nosql-workbench` (see its SOURCES.md).
fn real_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [
        crate::shared().join("fixtures").join("nosql-workbench"),
        crate::root()
            .join("tests")
            .join("fixtures")
            .join("real")
            .join("nosql-workbench"),
    ] {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "json") {
                    files.push(path);
                }
            }
        }
    }
    files.sort();
    files
}

/// What the NoSQL Workbench part alone carries: tables, entities with their
/// key templates and attribute types.
fn workbench_shape(m: &Model) -> Value {
    json!({
        "tables": m.tables,
        "entities": m.entities.iter().map(|e| json!({
            "name": e.name,
            "table": e.table,
            "keys": e.keys,
            "attributes": e.attributes.iter().map(|a| (a.name.clone(), a.attr_type.as_str())).collect::<std::collections::BTreeMap<_, _>>(),
        })).collect::<Vec<_>>(),
    })
}

#[test]
fn every_real_file_round_trips() {
    let files = real_files();
    assert!(files.len() >= 4, "{files:?}");
    let mine = [
        "plain-json-in-maps.json",
        "local-secondary-indexes.json",
        "declared-attributes-without-items.json",
        "duplicate-non-key-attributes.json",
        "hash-in-attribute-names.json",
        "empty-item.json",
        "names-as-partition-keys.json",
        "facet-aliases.json",
        "unknown-top-level-fields.json",
        "version-2.json",
        "no-metadata.json",
    ];
    for path in files.iter().cloned().chain(mine.iter().map(|f| fixture(f))) {
        let name = path.display().to_string();
        let first = read(&path).model;
        templates_parse(&first);
        // Every template names attributes its entity has.
        let unknown: Vec<String> = analyze(&first)
            .findings
            .iter()
            .filter(|f| f.rule == "model.unknown-attribute")
            .map(|f| f.message.clone())
            .collect();
        assert!(unknown.is_empty(), "{name}: {unknown:#?}");
        let doc = workbench(&first);
        // As exported: the model comes back exactly.
        let again = read_value(&doc, &name);
        assert_eq!(again.model, first, "{name}");
        // The NoSQL Workbench part alone keeps the tables, entities, key
        // templates and attribute types.
        let mut bare = doc.clone();
        bare.as_object_mut().unwrap().remove("dynamodel");
        let alone = read_value(&bare, &name).model;
        assert_eq!(workbench_shape(&alone), workbench_shape(&first), "{name}");
    }
}

/// A table of `n` items in a few key shapes, half of them in facets.
fn big_table(n: usize) -> Value {
    let item = |i: usize| {
        let (pk, sk) = match i % 4 {
            0 => (format!("USER#{i}"), "#META".to_string()),
            1 => (format!("USER#{}", i - 1), format!("ORDER#2024-01-01#{i}")),
            2 => (format!("PRODUCT#{i}"), "metadata".to_string()),
            _ => (format!("USER#{}", i - 3), format!("comm#{i}")),
        };
        json!({
            "PK": {"S": pk}, "SK": {"S": sk},
            "name": {"S": format!("name {i}")}, "total": {"N": (i % 97).to_string()},
            "settings": {"M": {"dark": i.is_multiple_of(2)}}
        })
    };
    let facet_items: Vec<Value> = (0..n / 2).map(item).collect();
    let loose: Vec<Value> = (n / 2..n).map(item).collect();
    json!({
        "ModelName": "Big",
        "ModelMetadata": {"Version": "3.0"},
        "DataModel": [{
            "TableName": "Big",
            "KeyAttributes": {
                "PartitionKey": {"AttributeName": "PK", "AttributeType": "S"},
                "SortKey": {"AttributeName": "SK", "AttributeType": "S"}
            },
            "NonKeyAttributes": [
                {"AttributeName": "name", "AttributeType": "S"},
                {"AttributeName": "total", "AttributeType": "N"},
                {"AttributeName": "settings", "AttributeType": "M"}
            ],
            "TableFacets": [{
                "FacetName": "Everything",
                "KeyAttributeAlias": {"PartitionKeyAlias": "PK", "SortKeyAlias": "SK"},
                "TableData": facet_items,
                "NonKeyAttributes": ["name", "total", "settings"]
            }],
            "TableData": loose,
            "BillingMode": "PAY_PER_REQUEST"
        }]
    })
}

/// 40,000 items in four key shapes come in whole, in the right entities. (How
/// the time grows with the items: `cargo bench --bench import`.)
#[test]
fn forty_thousand_items_come_in_whole() {
    let big = big_table(40_000).to_string();
    let got = import_str(&big, Path::new("big.json"), ImportFormat::NosqlWorkbench).unwrap();
    let items: usize = got
        .model
        .entities
        .iter()
        .map(|e| e.example_items.len())
        .sum();
    assert_eq!(items, 40_000);
    assert_eq!(
        entity_names(&got.model),
        ["Everything", "Meta", "Order", "Metadata", "Comm"]
    );
}

/// Time to live and streams have no place in the format: the `dynamodel` field
/// keeps them, also when the Workbench part was edited since the export.
#[test]
fn time_to_live_and_streams_survive_an_edit_in_workbench() {
    let mut m = model::samples::sample("ecommerce").unwrap().load().unwrap();
    m.tables[0].ttl = Some(model::TimeToLive {
        attribute: "expires_at".into(),
    });
    m.tables[0].stream = Some(model::StreamView::NewImage);
    let mut doc = workbench(&m);
    // An edit in NoSQL Workbench: the table's description changes.
    doc["DataModel"][0]["TableName"] = json!(m.tables[0].name);
    doc["ModelName"] = json!("Edited in Workbench");
    let back = read_value(&doc, "edited").model;
    assert_eq!(
        back.name, "Edited in Workbench",
        "the Workbench part was read"
    );
    assert_eq!(back.tables[0].ttl, m.tables[0].ttl);
    assert_eq!(back.tables[0].stream, m.tables[0].stream);
}

/// An embedded sample count beyond what dynamodel makes is refused, naming the
/// field (u64::MAX panicked with a capacity overflow; 1e9 aborted allocating).
#[test]
fn an_embedded_sample_count_past_the_limit_names_the_field() {
    let model = model::samples::sample("ecommerce").unwrap().load().unwrap();
    let text = export(
        &model,
        ExportFormat::NosqlWorkbench,
        &ExportOptions::default(),
    )
    .text;
    for huge in [
        json!(18_446_744_073_709_551_615u64),
        json!(1_000_000_000u64),
    ] {
        let mut value: Value = serde_json::from_str(&text).unwrap();
        let slot = value
            .pointer_mut("/dynamodel/sample_items/default")
            .expect("the export embeds its sample count");
        *slot = huge.clone();
        let err = import_str(
            &value.to_string(),
            Path::new("huge.json"),
            ImportFormat::NosqlWorkbench,
        )
        .map(|_| ())
        .expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("huge.json"), "{text}");
        assert!(text.contains("sample_items.default"), "{text}");
        assert!(
            text.contains(&format!(
                "{huge} sample items per entity is more than the 100,000"
            )),
            "{text}"
        );
    }
}
