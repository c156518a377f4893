//! Importing foreign files: AWS's NoSQL Workbench sample models (read in place
//! from `../shared/fixtures/nosql-workbench`), hand-made edge cases and broken
//! files under `tests/fixtures`, through the library and `dynamodel import`.

use std::fs;
use std::path::{Path, PathBuf};

use dynamodel::analysis::analyze;
use dynamodel::export::{ImportError, ImportFormat, Imported, NoteKind, import};
use dynamodel::model::{self, AttrValue, Billing, Model, Projection};

use crate::cli::run as cli;

fn workbench_sample(name: &str) -> PathBuf {
    crate::shared()
        .join("fixtures")
        .join("nosql-workbench")
        .join(name)
}

fn fixture(format: &str, name: &str) -> PathBuf {
    crate::root()
        .join("tests")
        .join("fixtures")
        .join(format)
        .join(name)
}

fn read(path: &Path, format: ImportFormat) -> Imported {
    import(path, format).unwrap_or_else(|e| panic!("{e}"))
}

/// The imported model is a valid model file and the checks run on it.
fn usable(model: &Model) {
    let text = model::to_json(model).unwrap();
    let again = model::load_str(&text, Path::new("imported.dynamodel.json")).unwrap();
    assert_eq!(&again, model);
    let analysis = analyze(model);
    assert!(
        !analysis
            .findings
            .iter()
            .any(|f| f.rule == "model.template-syntax"),
        "{:#?}",
        analysis.findings
    );
}

fn keys(model: &Model, entity: &str) -> Vec<(String, String)> {
    model
        .entity(entity)
        .unwrap_or_else(|| panic!("no entity {entity}"))
        .keys
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[test]
fn complaint_management_items_without_facets() {
    let got = read(
        &workbench_sample("ComplaintManagementSchema.json"),
        ImportFormat::NosqlWorkbench,
    );
    let m = &got.model;
    usable(m);
    assert_eq!(m.name, "Complaint management");
    assert_eq!(
        m.description,
        "Considering most common access patterns for a complaint management system"
    );
    let t = &m.tables[0];
    assert_eq!(t.name, "Complaint_management_system");
    assert_eq!(
        t.billing,
        Billing::Provisioned {
            read_capacity: 5,
            write_capacity: 5
        }
    );
    let gsis: Vec<_> = t
        .gsis
        .iter()
        .map(|g| (g.name.as_str(), g.sort_key.len()))
        .collect();
    assert_eq!(
        gsis,
        [
            ("Customer_Complaint_GSI", 1),
            ("Escalations_GSI", 1),
            ("Agents_Comments_GSI", 1)
        ]
    );
    let names: Vec<_> = m.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Comm", "Metadata"]);
    assert_eq!(
        keys(m, "Comm"),
        [
            ("PK".into(), "{complaint_id}".into()),
            ("SK".into(), "comm#{comm_date}#{comm_id}".into())
        ]
    );
    assert_eq!(
        keys(m, "Metadata"),
        [
            ("PK".into(), "{complaint_id}".into()),
            ("SK".into(), "metadata".into())
        ]
    );
    assert_eq!(m.entity("Comm").unwrap().example_items.len(), 5);
    assert!(
        m.entity("Metadata")
            .unwrap()
            .attribute("escalated_to")
            .is_some(),
        "a GSI key that is a plain attribute"
    );
    let dropped: Vec<_> = got
        .report
        .of_kind(NoteKind::Dropped)
        .map(|n| n.at.as_str())
        .collect();
    assert!(
        dropped.contains(&"DataModel[0].ProvisionedCapacitySettings.AutoScalingRead"),
        "{dropped:?}"
    );
}

#[test]
fn game_player_profiles_facets_with_aliases_and_odd_maps() {
    let got = read(
        &workbench_sample("GamePlayerProfilesSchema.json"),
        ImportFormat::NosqlWorkbench,
    );
    let m = &got.model;
    usable(m);
    let names: Vec<_> = m.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Metadata",
            "Friends",
            "Items",
            "Equipments",
            "Tasks",
            "Activities"
        ]
    );
    assert_eq!(
        keys(m, "Metadata"),
        [
            ("PK".into(), "{playerID}".into()),
            ("SK".into(), "#METADATA#{playerID}".into())
        ]
    );
    assert_eq!(
        keys(m, "Items"),
        [
            ("PK".into(), "{playerID}".into()),
            ("SK".into(), "ITEMS#{ItemID}".into())
        ]
    );
    assert!(m.tables[0].gsis.is_empty());
    // `{"M": {"M": {"HP": {"N": "50"}}}}` is read as a map and said so.
    let repaired = got.report.of_kind(NoteKind::Repaired).count();
    assert_eq!(repaired, 12, "{:#?}", got.report);
    let item = &m.entity("Items").unwrap().example_items[0];
    assert!(matches!(&item["ItemAttributes"], AttrValue::M(_)));
}

#[test]
fn recurring_payments_include_projections_and_composite_keys() {
    let got = read(
        &workbench_sample("RecurringPaymentsSchema.json"),
        ImportFormat::NosqlWorkbench,
    );
    let m = &got.model;
    usable(m);
    assert_eq!(
        keys(m, "Subscription"),
        [
            ("PK".into(), "ACC#{AccountId}".into()),
            ("SK".into(), "SUB#{SubId}#SKU#{SKU}".into())
        ]
    );
    assert_eq!(keys(m, "Receipts")[1].1, "REC#{ProcessedDate}#SKU#{SKU}");
    let gsi = &m.tables[0].gsis[0];
    assert_eq!(gsi.name, "GSI-1");
    assert!(
        matches!(&gsi.projection, Projection::Include { attributes } if attributes.contains(&"Email".to_string()))
    );
    assert_eq!(
        m.entity("Receipts")
            .unwrap()
            .attribute("TTL")
            .unwrap()
            .attr_type,
        model::AttrType::N
    );
}

#[test]
fn session_management_gsi_on_the_inverted_key() {
    let got = read(
        &workbench_sample("SessionManagementSchema.json"),
        ImportFormat::NosqlWorkbench,
    );
    let m = &got.model;
    usable(m);
    let gsi = &m.tables[0].gsis[0];
    assert_eq!(
        (
            gsi.partition_key[0].name.as_str(),
            gsi.sort_key[0].name.as_str()
        ),
        ("SK", "PK")
    );
    let names: Vec<_> = m.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["Child", "C"]);
    assert_eq!(keys(m, "Child")[1].1, "child#suuid#{suuid_id2}");
    assert_eq!(
        m.entities
            .iter()
            .map(|e| e.example_items.len())
            .sum::<usize>(),
        6
    );
}

#[test]
fn every_workbench_sample_exports_again() {
    for name in [
        "ComplaintManagementSchema.json",
        "GamePlayerProfilesSchema.json",
        "RecurringPaymentsSchema.json",
        "SessionManagementSchema.json",
    ] {
        let m = read(&workbench_sample(name), ImportFormat::NosqlWorkbench).model;
        for format in dynamodel::export::ExportFormat::ALL {
            let out = dynamodel::export::export(&m, format, &Default::default());
            assert!(!out.text.is_empty(), "{name} as {}", format.id());
        }
        // The sample items keep the originals first.
        let set = dynamodel::analysis::sample_items::generate(&m, &Default::default());
        for e in &m.entities {
            let n = e.example_items.len().min(5);
            assert_eq!(
                &set.items_of(&e.name)[..n],
                &e.example_items[..n],
                "{name}: {}",
                e.name
            );
        }
    }
}

#[test]
fn hand_made_workbench_files_in_version_2_and_without_metadata() {
    let got = read(
        &fixture("nosql-workbench", "version-2.json"),
        ImportFormat::NosqlWorkbench,
    );
    let m = &got.model;
    usable(m);
    assert_eq!(m.tables.len(), 2);
    assert_eq!(
        m.tables[0].billing,
        Billing::Provisioned {
            read_capacity: 10,
            write_capacity: 2
        }
    );
    assert_eq!(m.tables[1].billing, Billing::OnDemand);
    assert!(m.tables[1].gsis[0].sort_key.is_empty());
    assert_eq!(
        keys(m, "Book"),
        [
            ("PK".into(), "BOOK#{isbn}".into()),
            ("SK".into(), "METADATA".into())
        ]
    );
    // A facet without items: its keys come from the aliases alone.
    assert_eq!(
        keys(m, "Loan"),
        [
            ("PK".into(), "BOOK#{isbn}".into()),
            ("SK".into(), "LOAN#{member_id}".into())
        ]
    );
    assert!(
        got.report
            .notes
            .iter()
            .any(|n| n.message.contains("no item shows its values")),
        "{:#?}",
        got.report
    );
    assert!(
        got.report
            .notes
            .iter()
            .any(|n| n.at == "ModelMetadata.Author")
    );
    assert_eq!(
        m.entity("MembersItem").map(|e| e.example_items.len()),
        Some(2)
    );

    let bare = read(
        &fixture("nosql-workbench", "no-metadata.json"),
        ImportFormat::NosqlWorkbench,
    );
    usable(&bare.model);
    assert!(bare.report.notes.iter().any(|n| n.at == "ModelMetadata"));
    let readings = &bare.model.entities[0];
    assert_eq!(readings.keys["PK"], "SENSOR#{sensor_id}");
    assert!(
        bare.report
            .of_kind(NoteKind::Repaired)
            .any(|n| n.at.ends_with("celsius.N"))
    );
}

#[test]
fn a_hand_made_mcp_file_with_commands_in_every_style() {
    let got = read(
        &fixture("mcp-json", "hand-made.json"),
        ImportFormat::McpJson,
    );
    let m = &got.model;
    usable(m);
    let t = &m.tables[0];
    assert_eq!(t.lsis[0].name, "ByCreated");
    assert_eq!(
        t.billing,
        Billing::Provisioned {
            read_capacity: 4,
            write_capacity: 2
        }
    );
    assert_eq!(t.stream, Some(model::StreamView::NewImage));
    assert!(
        got.report
            .notes
            .iter()
            .any(|n| n.message.contains("DeleteRequest"))
    );
    let tickets = m.entity("Ticket").unwrap();
    assert_eq!(tickets.keys["pk"], "PROJECT#{project}");
    assert_eq!(tickets.keys["sk"], "TICKET#{ticket_id}");
    let p1 = m.pattern("1").unwrap();
    assert_eq!(p1.entities, ["Ticket"]);
    assert_eq!(p1.inputs, ["project"]);
    let p2 = m.pattern("2").unwrap();
    assert_eq!(p2.index.as_deref(), Some("ByStatus"));
    assert_eq!(p2.sort, model::SortOrder::Descending);
    let p3 = m.pattern("3").unwrap();
    assert_eq!(p3.consistency, model::Consistency::Strong);
    assert_eq!(p3.entities, ["Meta"]);
    assert_eq!(
        m.pattern("4").unwrap().outside_dynamodb.as_deref(),
        Some("Served by OpenSearch")
    );
    assert!(
        got.report
            .notes
            .iter()
            .any(|n| n.message.contains("single quote is not closed"))
    );
    let meta = m.entity("Meta").unwrap();
    assert_eq!(
        meta.example_items[0]["urgent"],
        AttrValue::Bool(true),
        "Python-style booleans are read"
    );
}

#[test]
fn broken_files_fail_clearly_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.dynamodel.json");
    for (format, name, expected) in [
        (
            "nosql-workbench",
            "broken-syntax.json",
            "broken-syntax.json:5:0: not valid JSON",
        ),
        (
            "nosql-workbench",
            "bad-key-type.json",
            "DataModel[0].KeyAttributes.SortKey.AttributeType: a key attribute is S, N or B, not `BOOL`",
        ),
        (
            "nosql-workbench",
            "bad-item.json",
            "DataModel[0].TableFacets[0].TableData[1].total.N: `twelve` is not a number",
        ),
        (
            "nosql-workbench",
            "no-data-model.json",
            "DataModel: missing field `DataModel`",
        ),
        (
            "nosql-workbench",
            "bad-billing.json",
            "DataModel[0].BillingMode: expected PROVISIONED or PAY_PER_REQUEST, found `FREE`",
        ),
        (
            "mcp-json",
            "broken-syntax.json",
            "broken-syntax.json:3:0: not valid JSON",
        ),
        (
            "mcp-json",
            "bad-key-schema.json",
            "tables[0].KeySchema[1].KeyType: expected HASH or RANGE, found `SORT`",
        ),
        (
            "mcp-json",
            "bad-item.json",
            "items.Orders[1].PutRequest.Item.lines.L[1]: expected exactly one type key",
        ),
        (
            "mcp-json",
            "items-for-unknown-table.json",
            "items.Order: items for `Order`, which is not among the tables",
        ),
        (
            "mcp-json",
            "bad-operation.json",
            "access_patterns[0].dynamodb_operation: `Select` is not a DynamoDB operation",
        ),
    ] {
        let source = fixture(format, name);
        let (code, out, err) = cli(&[
            "import",
            source.to_str().unwrap(),
            "--from",
            format,
            "-o",
            target.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "{name}: {out}{err}");
        assert!(
            err.contains(source.to_str().unwrap()),
            "{name}: the file is named: {err}"
        );
        assert!(err.contains(expected), "{name}: {err}");
        assert!(err.contains("nothing written"), "{err}");
        assert!(!target.exists(), "{name} wrote a file");
        assert!(matches!(
            import(&source, ImportFormat::from_id(format).unwrap()),
            Err(ImportError::Syntax { .. } | ImportError::Shape { .. })
        ));
    }
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file either"
    );
}

#[test]
fn the_cli_imports_into_a_model_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("complaints.dynamodel.json");
    let source = workbench_sample("ComplaintManagementSchema.json");
    let (code, out, err) = cli(&[
        "import",
        source.to_str().unwrap(),
        "--from",
        "nosql-workbench",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Complaint management — 1 tables, 2 entities, 0 access patterns"),
        "{out}"
    );
    assert!(err.contains("inferred"), "the report is printed: {err}");
    let model = model::load(&target).unwrap();
    assert_eq!(model.entities.len(), 2);
    let (code, _, err) = cli(&["check", target.to_str().unwrap()]);
    assert!(code <= 1, "{err}");

    // Export to NoSQL Workbench and import again through the command line.
    let exported = dir.path().join("complaints.json");
    let (code, _, err) = cli(&[
        "export",
        target.to_str().unwrap(),
        "--to",
        "nosql-workbench",
        "-o",
        exported.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let again = dir.path().join("again.dynamodel.json");
    let (code, _, err) = cli(&[
        "import",
        exported.to_str().unwrap(),
        "--from",
        "nosql-workbench",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(model::load(&again).unwrap(), model);
}

#[test]
fn the_cli_import_refuses_bad_usage() {
    for (args, expected) in [
        (
            vec!["import", "x.json", "-o", "y.dynamodel.json"],
            "not provided:\n  --from <FORMAT>",
        ),
        (
            vec!["import", "x.json", "--from", "csv", "-o", "y"],
            "invalid value 'csv' for '--from <FORMAT>'",
        ),
        (
            vec!["import", "x.json", "--from", "mcp-json"],
            "not provided:\n  --output <FILE>",
        ),
        (
            vec!["import", "--from", "mcp-json", "-o", "y"],
            "not provided:\n  <SOURCE>",
        ),
    ] {
        let (code, _, err) = cli(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}
