//! MySQL DDL read into a first draft: the workshop's own `schema.sql` (read in
//! place from `../shared/workshop`), a `mysqldump --no-data` file
//! (`tests/fixtures/mysql/shop-mysqldump.sql`: versioned comments, backticks,
//! table options, a trigger under `DELIMITER ;;`, a view), statements the
//! importer leaves out reported by line, and the CLI's round trip.

use std::path::PathBuf;

use dynamodel::export::{ImportError, ImportFormat, Imported, NoteKind, import, import_str};
use dynamodel::model::{self, AttrType, Attribute, Entity, Generator, KeyType, Model, Operation};

use crate::cli::run as cli;

fn workshop_schema() -> PathBuf {
    crate::shared().join("workshop/schema.sql")
}

fn dump_fixture() -> PathBuf {
    crate::root().join("tests/fixtures/mysql/shop-mysqldump.sql")
}

fn read(path: &std::path::Path) -> Imported {
    import(path, ImportFormat::Mysql).unwrap_or_else(|e| panic!("{e}"))
}

fn entity<'a>(model: &'a Model, name: &str) -> &'a Entity {
    model
        .entity(name)
        .unwrap_or_else(|| panic!("no entity {name}"))
}

fn attribute<'a>(model: &'a Model, entity_name: &str, name: &str) -> &'a Attribute {
    entity(model, entity_name)
        .attribute(name)
        .unwrap_or_else(|| panic!("no attribute {entity_name}.{name}"))
}

fn reference(model: &Model, entity_name: &str, name: &str) -> Option<(String, String)> {
    match &attribute(model, entity_name, name).generator {
        Some(Generator::Reference { entity, attribute }) => {
            Some((entity.clone(), attribute.clone()))
        }
        _ => None,
    }
}

fn pair(a: &str, b: &str) -> Option<(String, String)> {
    Some((a.to_string(), b.to_string()))
}

#[test]
fn the_workshop_schema_becomes_six_entities_with_its_columns_and_keys() {
    let got = read(&workshop_schema());
    let m = &got.model;
    let names: Vec<&str> = m.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "users",
            "categories",
            "products",
            "shopping_carts",
            "orders",
            "order_items"
        ]
    );
    let columns: Vec<usize> = m.entities.iter().map(|e| e.attributes.len()).collect();
    assert_eq!(columns, [10, 4, 10, 6, 6, 5], "every column, no more");
    for e in &m.entities {
        assert_eq!(e.table, e.name, "a table per relational table");
        assert_eq!(e.source_table, e.name);
        let table = m.table(&e.table).unwrap();
        assert_eq!(
            (
                table.partition_key.name.as_str(),
                table.partition_key.key_type
            ),
            ("id", KeyType::N)
        );
        assert!(table.sort_key.is_none());
        assert_eq!(e.keys.get("id").map(String::as_str), Some("{id}"));
        for a in &e.attributes {
            let source = a.source.as_ref().expect("every attribute names its column");
            assert_eq!((&source.table, &source.column), (&e.name, &a.name));
        }
    }

    let username = attribute(m, "users", "username");
    assert_eq!(username.attr_type, AttrType::S);
    assert!(username.unique && username.not_null);
    assert_eq!(username.size, Some(25), "half of VARCHAR(50)");
    let first_name = attribute(m, "users", "first_name");
    assert!(!first_name.unique && !first_name.not_null);
    assert_eq!(attribute(m, "users", "is_seller").attr_type, AttrType::Bool);
    let created = attribute(m, "users", "created_at");
    assert_eq!(created.attr_type, AttrType::S);
    assert!(matches!(
        created.generator,
        Some(Generator::Timestamp { .. })
    ));
    assert!(attribute(m, "users", "id").not_null, "a PRIMARY KEY column");

    assert_eq!(attribute(m, "products", "price").attr_type, AttrType::N);
    assert_eq!(
        attribute(m, "products", "description").attr_type,
        AttrType::S
    );
    assert_eq!(
        attribute(m, "products", "inventory_quantity").attr_type,
        AttrType::N
    );

    let status = attribute(m, "orders", "status");
    assert_eq!(status.attr_type, AttrType::S);
    assert_eq!(status.distinct_values, Some(3));
    match &status.generator {
        Some(Generator::Choice { values, .. }) => {
            assert_eq!(values, &["pending", "completed", "cancelled"]);
        }
        other => panic!("status: {other:?}"),
    }

    // Foreign keys, a self-reference among them.
    assert_eq!(
        reference(m, "order_items", "order_id"),
        pair("orders", "id")
    );
    assert_eq!(
        reference(m, "order_items", "product_id"),
        pair("products", "id")
    );
    assert_eq!(reference(m, "products", "seller_id"), pair("users", "id"));
    assert_eq!(
        reference(m, "categories", "parent_id"),
        pair("categories", "id")
    );
    assert_eq!(
        reference(m, "shopping_carts", "user_id"),
        pair("users", "id")
    );
    assert_eq!(reference(m, "orders", "user_id"), pair("users", "id"));
    let fk_notes = got
        .report
        .of_kind(NoteKind::Inferred)
        .filter(|n| n.message.starts_with("foreign key"))
        .count();
    assert_eq!(fk_notes, 8, "one note per foreign key");

    // shopping_carts' UNIQUE (user_id, product_id) is no attribute fact: it is
    // reported, and looked up by both.
    assert!(!attribute(m, "shopping_carts", "user_id").unique);
    assert!(got.report.of_kind(NoteKind::Dropped).any(|n| {
        n.at == "line 63"
            && n.message
                .contains("UNIQUE `unique_user_product` (user_id, product_id)")
    }));
    let by_both = m
        .access_patterns
        .iter()
        .find(|p| p.description == "Get shopping_carts by user_id and product_id")
        .expect("a lookup by the unique pair");
    assert_eq!(by_both.inputs, ["user_id", "product_id"]);
    // FULLTEXT is reported, not made a pattern.
    assert!(
        got.report
            .of_kind(NoteKind::Dropped)
            .any(|n| n.message.starts_with("FULLTEXT index `idx_search`"))
    );
}

#[test]
fn the_workshop_schema_suggests_its_lookups_and_lists() {
    let m = read(&workshop_schema()).model;
    let users: Vec<(&str, &str, Operation)> = m
        .access_patterns
        .iter()
        .take(5)
        .map(|p| (p.id.as_str(), p.description.as_str(), p.operation))
        .collect();
    assert_eq!(
        users,
        [
            ("AP1", "Get users by id", Operation::GetItem),
            ("AP2", "Get users by username", Operation::Query),
            ("AP3", "Get users by email", Operation::Query),
            ("AP4", "List users by is_seller", Operation::Query),
            ("AP5", "List users by super_admin", Operation::Query),
        ],
        "idx_username and idx_email add nothing to the unique lookups"
    );
    let children = m
        .access_patterns
        .iter()
        .find(|p| p.description == "List order_items by order_id")
        .unwrap();
    assert_eq!(children.operation, Operation::Query);
    assert_eq!(children.entities, ["order_items"]);
    assert_eq!(children.items, 10);
    for (i, p) in m.access_patterns.iter().enumerate() {
        assert_eq!(p.id, format!("AP{}", i + 1));
        assert!(p.suggested, "{}", p.id);
        assert_eq!((p.peak_rps, p.average_rps), (1.0, 1.0));
    }
    assert_eq!(m.access_patterns.len(), 25);
}

#[test]
fn a_mysqldump_no_data_file_imports() {
    let got = read(&dump_fixture());
    let m = &got.model;
    let names: Vec<&str> = m.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["customers", "order_lines", "orders", "products"]);

    let email = attribute(m, "customers", "email");
    assert!(email.unique && email.not_null, "UNIQUE KEY of one column");
    assert_eq!(email.size, Some(160));
    assert_eq!(
        attribute(m, "customers", "is_active").attr_type,
        AttrType::Bool
    );
    assert_eq!(
        attribute(m, "customers", "preferences").attr_type,
        AttrType::M
    );
    assert_eq!(attribute(m, "customers", "avatar").attr_type, AttrType::B);
    assert_eq!(attribute(m, "customers", "country").size, Some(2));
    assert_eq!(attribute(m, "customers", "tier").distinct_values, Some(3));

    // A composite primary key: partition key and sort key.
    let lines = m.table("order_lines").unwrap();
    assert_eq!(lines.partition_key.name, "order_id");
    assert_eq!(lines.partition_key.key_type, KeyType::N);
    assert_eq!(lines.sort_key.as_ref().unwrap().name, "line_no");
    assert_eq!(
        reference(m, "order_lines", "order_id"),
        pair("orders", "id")
    );
    assert_eq!(reference(m, "order_lines", "sku"), pair("products", "sku"));
    assert_eq!(
        reference(m, "orders", "customer_id"),
        pair("customers", "id")
    );
    let products = m.table("products").unwrap();
    assert_eq!(products.partition_key.key_type, KeyType::S);

    // What is left out, by line: the trigger under DELIMITER ;; and the view.
    let dropped: Vec<(&str, &str)> = got
        .report
        .of_kind(NoteKind::Dropped)
        .map(|n| (n.at.as_str(), n.message.as_str()))
        .collect();
    assert!(
        dropped
            .iter()
            .any(|(at, m)| *at == "line 90" && m.starts_with("CREATE TRIGGER `orders_total_check`")),
        "{dropped:#?}"
    );
    assert!(
        dropped
            .iter()
            .any(|(at, m)| *at == "line 149" && m.starts_with("CREATE VIEW `customer_totals`")),
        "{dropped:#?}"
    );
    // No SET, DROP … IF EXISTS or comment is mentioned.
    assert!(
        dropped
            .iter()
            .all(|(_, m)| !m.starts_with("SET") && !m.starts_with("DROP")),
        "{dropped:#?}"
    );
}

#[test]
fn unknown_statements_are_reported_with_their_lines() {
    let sql = "-- a schema with more than tables
CREATE TABLE t (id INT PRIMARY KEY, n INT);

CREATE VIEW v AS SELECT id FROM t;
CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW SET NEW.n = 1;
CREATE TABLE u (
  id INT PRIMARY KEY
);
ALTER TABLE u RENAME TO w;
";
    let got = import_str(sql, std::path::Path::new("s.sql"), ImportFormat::Mysql).unwrap();
    let dropped: Vec<(&str, &str)> = got
        .report
        .of_kind(NoteKind::Dropped)
        .map(|n| (n.at.as_str(), n.message.split(':').next().unwrap()))
        .collect();
    assert_eq!(
        dropped,
        [
            ("line 4", "CREATE VIEW `v`"),
            ("line 5", "CREATE TRIGGER `trg`"),
            ("line 9", "ALTER TABLE `u` RENAME TO w"),
        ]
    );
    assert_eq!(got.model.tables.len(), 2);
}

#[test]
fn a_syntax_error_names_the_file_and_line() {
    let sql = "CREATE TABLE t (id INT PRIMARY KEY);\n\nCREATE TABLE u (\n  id INT PRIMARY KEY\n  name TEXT\n);\n";
    match import_str(sql, std::path::Path::new("bad.sql"), ImportFormat::Mysql) {
        Err(e @ ImportError::Sql { line: 5, .. }) => {
            assert!(e.to_string().starts_with("bad.sql:5: CREATE TABLE"), "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_cli_writes_a_draft_that_loads_checks_and_repeats_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let schema = workshop_schema().display().to_string();
    let mut written = Vec::new();
    for name in ["a", "b"] {
        let out = dir.path().join(format!("{name}.dynamodel.json"));
        let out = out.display().to_string();
        let (code, stdout, stderr) = cli(&["import", &schema, "--from", "mysql", "-o", &out]);
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains("6 tables, 6 entities, 25 access patterns"),
            "{stdout}"
        );
        assert!(
            stderr.contains("inferred line 9: table and entity `users`"),
            "{stderr}"
        );
        written.push(std::fs::read(&out).unwrap());
        let loaded = model::load(std::path::Path::new(&out)).unwrap();
        assert_eq!(loaded.entities.len(), 6);
        assert!(loaded.access_patterns.iter().all(|p| p.suggested));
        let (code, stdout, stderr) = cli(&["check", &out]);
        assert!(code == 0 || code == 1, "{stderr}");
        assert!(stdout.contains("AP25"), "{stdout}");
    }
    assert_eq!(
        written[0], written[1],
        "the same schema gives the same file"
    );

    let dump = dump_fixture().display().to_string();
    let out = dir.path().join("dump.dynamodel.json").display().to_string();
    let (code, _, stderr) = cli(&["import", &dump, "--from", "mysql", "-o", &out]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("dropped  line 149: CREATE VIEW"),
        "{stderr}"
    );
    let (code, _, stderr) = cli(&["check", &out]);
    assert!(code == 0 || code == 1, "{stderr}");
}

#[test]
fn a_file_that_is_not_sql_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("broken.sql");
    std::fs::write(
        &source,
        "CREATE TABLE t (id INT PRIMARY KEY,\n  s VARCHAR(3) DEFAULT 'open\n);\n",
    )
    .unwrap();
    let out = dir.path().join("out.dynamodel.json");
    let (code, _, stderr) = cli(&[
        "import",
        &source.display().to_string(),
        "--from",
        "mysql",
        "-o",
        &out.display().to_string(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("broken.sql:2: not valid SQL"), "{stderr}");
    assert!(stderr.contains("nothing written"), "{stderr}");
    assert!(!out.exists());
}

/// A real `mysqldump --no-data` (MariaDB's, see tests/fixtures/mysql/SOURCES.md)
/// of the workshop's schema gives the draft schema.sql gives, table for table.
#[test]
fn a_real_mysqldump_of_the_workshop_schema_gives_the_same_draft() {
    let dump = read(&crate::root().join("tests/fixtures/mysql/workshop-mariadb-dump.sql"));
    let schema = read(&workshop_schema()).model;
    let mut names: Vec<&str> = dump.model.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "categories",
            "order_items",
            "orders",
            "products",
            "shopping_carts",
            "users"
        ],
        "mysqldump's order"
    );
    names.sort_unstable();
    let mut expected: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
    expected.sort_unstable();
    assert_eq!(names, expected);
    for e in &schema.entities {
        let other = entity(&dump.model, &e.name);
        assert_eq!(other.attributes, e.attributes, "{}", e.name);
        assert_eq!(other.keys, e.keys, "{}", e.name);
        assert_eq!(dump.model.table(&e.name), schema.table(&e.name));
    }
    let descriptions = |m: &Model| {
        let mut d: Vec<String> = m
            .access_patterns
            .iter()
            .map(|p| p.description.clone())
            .collect();
        d.sort_unstable();
        d
    };
    assert_eq!(descriptions(&dump.model), descriptions(&schema));
    let dropped: Vec<(&str, &str)> = dump
        .report
        .of_kind(NoteKind::Dropped)
        .map(|n| (n.at.as_str(), n.message.as_str()))
        .filter(|(_, m)| m.starts_with("CREATE"))
        .collect();
    assert_eq!(
        dropped
            .iter()
            .map(|(at, m)| (*at, m.split(':').next().unwrap()))
            .collect::<Vec<_>>(),
        [
            ("line 67", "CREATE VIEW `order_totals`"),
            ("line 155", "CREATE TRIGGER `cart_quantity_check`"),
            ("line 211", "CREATE VIEW `order_totals`"),
        ]
    );
}
