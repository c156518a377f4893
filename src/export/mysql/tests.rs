use super::*;
use crate::export::NoteKind;
use crate::model::{AttrType, Generator, KeyType, Operation};

fn read(sql: &str) -> Imported {
    import(sql, "test").unwrap_or_else(|e| panic!("{e}"))
}

fn dropped_at(imported: &Imported, line: usize) -> Vec<String> {
    imported
        .report
        .of_kind(NoteKind::Dropped)
        .filter(|n| n.at == format!("line {line}"))
        .map(|n| n.message.clone())
        .collect()
}

#[test]
fn column_types_become_dynamodb_types_and_sizes() {
    let got = read(
        "CREATE TABLE t (
            id BIGINT PRIMARY KEY,
            small SMALLINT, price DECIMAL(10,2), ratio FLOAT, big DOUBLE,
            name VARCHAR(51), code CHAR(3), tiny VARCHAR(1), body TEXT, blurb TINYTEXT,
            at TIMESTAMP, at_ms DATETIME(3), day DATE,
            flag BOOLEAN, flag2 BOOL, flag3 TINYINT(1), level TINYINT,
            state ENUM('new', 'old'),
            doc JSON, picture BLOB, hash BINARY(16), mask VARBINARY(64)
        );",
    );
    let e = &got.model.entities[0];
    let t = |name: &str| {
        let a = e.attribute(name).unwrap();
        (a.attr_type, a.size.unwrap())
    };
    assert_eq!(t("id"), (AttrType::N, 8));
    assert_eq!(t("small"), (AttrType::N, 3));
    assert_eq!(t("price"), (AttrType::N, 6), "10 digits: 5 bytes and one");
    assert_eq!(t("ratio").0, AttrType::N);
    assert_eq!(t("big").0, AttrType::N);
    assert_eq!(t("name"), (AttrType::S, 25), "half of VARCHAR(51)");
    assert_eq!(t("code"), (AttrType::S, 3), "CHAR(n) is padded to n");
    assert_eq!(t("tiny"), (AttrType::S, 1), "at least one byte");
    assert_eq!(t("body"), (AttrType::S, 1000));
    assert_eq!(t("blurb"), (AttrType::S, 100));
    assert_eq!(t("at"), (AttrType::S, 20));
    assert_eq!(t("at_ms"), (AttrType::S, 24));
    assert_eq!(t("day"), (AttrType::S, 10));
    for flag in ["flag", "flag2", "flag3"] {
        assert_eq!(t(flag), (AttrType::Bool, 1), "{flag}");
    }
    assert_eq!(t("level"), (AttrType::N, 2), "TINYINT(n>1) is a number");
    assert_eq!(t("doc").0, AttrType::M);
    assert_eq!(t("picture").0, AttrType::B);
    assert_eq!(t("hash"), (AttrType::B, 16));
    assert_eq!(t("mask"), (AttrType::B, 32));
    let state = e.attribute("state").unwrap();
    assert_eq!(state.distinct_values, Some(2));
    assert_eq!(
        state.generator,
        Some(Generator::Choice {
            values: vec!["new".into(), "old".into()],
            weights: vec![]
        })
    );
    assert!(matches!(
        e.attribute("at").unwrap().generator,
        Some(Generator::Timestamp { .. })
    ));
    // Every attribute names its column.
    for a in &e.attributes {
        let source = a.source.as_ref().unwrap();
        assert_eq!(
            (source.table.as_str(), source.column.as_str()),
            ("t", a.name.as_str())
        );
    }
}

#[test]
fn a_composite_primary_key_is_partition_and_sort_key() {
    let got = read(
        "CREATE TABLE two (a INT, b VARCHAR(10), c INT, PRIMARY KEY (a, b));
         CREATE TABLE three (a INT, b VARCHAR(10), c INT, PRIMARY KEY (a, b, c));",
    );
    let two = got.model.table("two").unwrap();
    assert_eq!(two.partition_key.name, "a");
    assert_eq!(two.partition_key.key_type, KeyType::N);
    let sort = two.sort_key.as_ref().unwrap();
    assert_eq!((sort.name.as_str(), sort.key_type), ("b", KeyType::S));
    let e = got.model.entity("two").unwrap();
    assert_eq!(e.keys.get("a").map(String::as_str), Some("{a}"));
    assert_eq!(e.keys.get("b").map(String::as_str), Some("{b}"));
    assert!(
        e.attribute("a").unwrap().not_null,
        "PRIMARY KEY columns are NOT NULL"
    );

    let three = got.model.table("three").unwrap();
    assert_eq!(three.partition_key.name, "a");
    assert_eq!(three.sort_key.as_ref().unwrap().name, "SK");
    let e = got.model.entity("three").unwrap();
    assert_eq!(e.keys.get("SK").map(String::as_str), Some("{b}#{c}"));
    let source = e.key_sources.get("SK").unwrap();
    assert_eq!(
        source.transformation.as_ref().unwrap().format.as_deref(),
        Some("{b}#{c}")
    );
    let get = &got.model.access_patterns[1];
    assert_eq!(get.operation, Operation::GetItem);
    assert_eq!(get.inputs, ["a", "b", "c"]);
}

#[test]
fn a_table_without_a_primary_key_says_what_keys_it() {
    let got = read(
        "CREATE TABLE by_unique (code VARCHAR(8) NOT NULL UNIQUE, n INT);
         CREATE TABLE bare (n INT, id INT);",
    );
    assert_eq!(
        got.model.table("by_unique").unwrap().partition_key.name,
        "code"
    );
    let bare = got.model.table("bare").unwrap();
    assert_eq!(
        bare.partition_key.name, "id2",
        "a new name beside the column `id`"
    );
    let e = got.model.entity("bare").unwrap();
    assert_eq!(e.attributes[0].generator, Some(Generator::Uuid));
    assert!(
        got.report
            .of_kind(NoteKind::Added)
            .any(|n| n.message.contains("id2"))
    );
}

#[test]
fn patterns_are_suggested_once_per_set_of_inputs() {
    let got = read(
        "CREATE TABLE parent (id INT PRIMARY KEY);
         CREATE TABLE child (
            id INT PRIMARY KEY,
            parent_id INT NOT NULL,
            slug VARCHAR(20) UNIQUE,
            kind INT,
            FOREIGN KEY (parent_id) REFERENCES parent(id),
            INDEX idx_parent (parent_id),
            INDEX idx_slug (slug),
            KEY idx_kind (kind, slug)
         );
         CREATE INDEX idx_id ON child (id);",
    );
    let patterns: Vec<(&str, &str, Operation, u32)> = got
        .model
        .access_patterns
        .iter()
        .map(|p| (p.id.as_str(), p.description.as_str(), p.operation, p.items))
        .collect();
    assert_eq!(
        patterns,
        [
            ("AP1", "Get parent by id", Operation::GetItem, 1),
            ("AP2", "Get child by id", Operation::GetItem, 1),
            ("AP3", "Get child by slug", Operation::Query, 1),
            ("AP4", "List child by parent_id", Operation::Query, 10),
            ("AP5", "List child by kind", Operation::Query, 10),
        ]
    );
    assert!(got.model.access_patterns.iter().all(|p| p.suggested));
    assert!(got.model.access_patterns.iter().all(|p| p.peak_rps == 1.0));
    let child = got.model.entity("child").unwrap();
    assert_eq!(
        child.attribute("parent_id").unwrap().generator,
        Some(Generator::Reference {
            entity: "parent".into(),
            attribute: "id".into()
        })
    );
}

#[test]
fn a_foreign_key_may_name_a_later_table_or_the_primary_key_implicitly() {
    let got = read(
        "CREATE TABLE a (id INT PRIMARY KEY, b_id INT, FOREIGN KEY (b_id) REFERENCES b);
         CREATE TABLE b (bid INT PRIMARY KEY);
         ALTER TABLE b ADD CONSTRAINT fk FOREIGN KEY (bid) REFERENCES nowhere (id);",
    );
    let a = got.model.entity("a").unwrap();
    assert_eq!(
        a.attribute("b_id").unwrap().generator,
        Some(Generator::Reference {
            entity: "b".into(),
            attribute: "bid".into()
        })
    );
    assert!(got.report.of_kind(NoteKind::Dropped).any(|n| {
        n.message
            .contains("`nowhere`, which the file does not define")
    }));
}

#[test]
fn statements_without_schema_are_skipped_and_others_reported_by_line() {
    let sql = "SET NAMES utf8mb4;
USE shop;
CREATE DATABASE IF NOT EXISTS shop;
CREATE TABLE t (id INT PRIMARY KEY);
INSERT INTO t VALUES (1), (2);
CREATE VIEW v AS SELECT id FROM t;
GRANT SELECT ON t TO 'u'@'%';
ALTER TABLE t ADD COLUMN n INT;
LOCK TABLES t WRITE;
UNLOCK TABLES;
";
    let got = read(sql);
    assert_eq!(got.model.tables.len(), 1);
    assert!(dropped_at(&got, 1).is_empty() && dropped_at(&got, 2).is_empty());
    assert!(dropped_at(&got, 3).is_empty());
    assert!(dropped_at(&got, 5)[0].contains("1 INSERT/REPLACE"));
    assert!(dropped_at(&got, 6)[0].starts_with("CREATE VIEW `v`: not imported"));
    assert!(dropped_at(&got, 7)[0].starts_with("GRANT"));
    assert!(dropped_at(&got, 8)[0].contains("ADD COLUMN"));
    assert!(dropped_at(&got, 9).is_empty() && dropped_at(&got, 10).is_empty());
}

#[test]
fn routines_under_another_delimiter_are_one_statement_each() {
    let sql = "CREATE TABLE t (id INT PRIMARY KEY);
DELIMITER $$
CREATE PROCEDURE p()
BEGIN
  SELECT 1; SELECT 2;
END$$
CREATE TABLE u (id INT PRIMARY KEY)$$
DELIMITER ;
CREATE TABLE w (id INT PRIMARY KEY);
";
    let got = read(sql);
    let names: Vec<&str> = got.model.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["t", "u", "w"]);
    assert_eq!(
        dropped_at(&got, 3),
        [
            "CREATE PROCEDURE `p`: not imported (the importer reads CREATE TABLE, CREATE INDEX and ALTER TABLE … ADD)"
        ]
    );
    assert!(
        got.report.notes.iter().all(|n| n.at != "line 5"),
        "nothing of the body"
    );
}

#[test]
fn a_syntax_error_names_its_line() {
    let err = import(
        "SET x = 1;\n\nCREATE TABLE t (\n  id INT,\n  name VARCHAR(10) NOT NULL,,\n);",
        "t",
    )
    .unwrap_err();
    assert_eq!(err.line, 5, "{err}");
    assert!(err.message.starts_with("CREATE TABLE:"), "{err}");
    assert!(err.message.contains("statement of line 3"), "{err}");
    let err = import(
        "CREATE TABLE t (id INT PRIMARY KEY);\nCREATE TABLE u (s VARCHAR(3) DEFAULT 'abc",
        "t",
    )
    .unwrap_err();
    assert_eq!(err.line, 2, "{err}");
    let err = import("CREATE TABLE t (id INT, KEY k (missing));", "t").unwrap_err();
    assert!(err.message.contains("no column `missing`"), "{err}");
}

#[test]
fn what_is_too_much_is_refused_by_name() {
    let columns: Vec<String> = (0..=MAX_COLUMNS).map(|i| format!("c{i} INT")).collect();
    let sql = format!("\n\nCREATE TABLE wide ({});", columns.join(", "));
    let err = import(&sql, "t").unwrap_err();
    assert_eq!(err.line, 3);
    assert!(err.message.contains("`wide` has 4097 columns"), "{err}");
    let huge = " ".repeat(MAX_BYTES + 1);
    let err = import(&huge, "t").unwrap_err();
    assert!(err.message.contains("bytes"), "{err}");
}

#[test]
fn a_table_dropped_after_it_is_defined_is_left_out() {
    let got = read(
        "DROP TABLE IF EXISTS t;
         CREATE TABLE t (id INT PRIMARY KEY);
         DROP TABLE t;
         CREATE TABLE t (code VARCHAR(4) PRIMARY KEY);",
    );
    assert_eq!(got.model.tables.len(), 1);
    assert_eq!(got.model.tables[0].partition_key.name, "code");
}

#[test]
fn a_file_without_tables_is_no_schema() {
    for text in [
        "",
        "SET NAMES utf8;",
        "{\"tables\": [{\"table\": \"Users\"}]}",
    ] {
        let err = import(text, "t").unwrap_err();
        assert!(err.message.contains("no CREATE TABLE"), "{text}: {err}");
    }
}

#[test]
fn mysql_table_extras_are_read_or_reported() {
    let got = read(
        "CREATE TABLE `p` (
  `id` int unsigned zerofill NOT NULL,
  `full` varchar(101) GENERATED ALWAYS AS (concat(`a`,' ',`b`)) STORED,
  `a` varchar(50) DEFAULT NULL,
  `b` varchar(50) DEFAULT NULL,
  `u` binary(16) NOT NULL DEFAULT (uuid_to_bin(uuid())),
  `qty` int DEFAULT NULL,
  PRIMARY KEY (`id`) USING BTREE,
  KEY `idx_a` (`a`(10)) USING BTREE COMMENT 'a prefix',
  CONSTRAINT `chk_qty` CHECK ((`qty` >= 0))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ROW_FORMAT=DYNAMIC
/*!50100 PARTITION BY RANGE (`id`)
(PARTITION p0 VALUES LESS THAN (1000) ENGINE = InnoDB,
 PARTITION p1 VALUES LESS THAN MAXVALUE ENGINE = InnoDB) */;
CREATE TABLE q (id INT PRIMARY KEY);",
    );
    assert_eq!(got.model.tables.len(), 2, "the statement after is read too");
    let e = got.model.entity("p").unwrap();
    assert_eq!(e.attributes.len(), 6);
    assert_eq!(e.attribute("id").unwrap().attr_type, AttrType::N);
    let patterns: Vec<&str> = got
        .model
        .access_patterns
        .iter()
        .map(|p| p.description.as_str())
        .collect();
    assert_eq!(patterns, ["Get p by id", "List p by a", "Get q by id"]);
    let dropped = dropped_at(&got, 1);
    assert!(
        dropped.iter().any(|m| m.starts_with("PARTITION BY of `p`")),
        "{dropped:?}"
    );
    assert!(
        dropped.iter().any(|m| m.starts_with("CHECK")),
        "{dropped:?}"
    );
}
