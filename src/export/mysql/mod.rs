//! MySQL DDL (`schema.sql`, `mysqldump --no-data`) read into a first-draft
//! model: one entity and one DynamoDB table per relational table, the natural
//! primary key as the table's key, attributes typed and sized from the column
//! types, NOT NULL / UNIQUE kept as attribute facts, foreign keys as references,
//! and the access patterns the schema implies, each marked as suggested.
//!
//! The SQL is read by `sqlparser`'s MySQL dialect; this module only cuts the
//! file into statements (to name each one's line, and to honour the `mysql`
//! client's `DELIMITER` command, which is no SQL) and reads the parsed trees.
//!
//! - [`statements`]: the file → statements with their lines → the relational schema;
//! - [`relational`]: the relational schema, read from `CREATE TABLE`, `CREATE INDEX`
//!   and `ALTER TABLE … ADD …`;
//! - [`types`]: a column type → DynamoDB type, size estimate and generator;
//! - [`draft`]: the relational schema → the model and its suggested patterns.
//!
//! Every statement that is not a table definition is either skipped silently
//! because it carries no schema (`SET`, `USE`, `CREATE DATABASE`, `DROP TABLE`
//! of a table not yet defined, `LOCK`/`UNLOCK TABLES`, transactions), counted
//! in one note (`INSERT`/`REPLACE` rows), or listed in the report with its line.

mod draft;
mod relational;
mod statements;
mod types;

use super::Imported;

/// The largest file the importer reads: a `--no-data` dump of thousands of
/// tables is a few MiB; anything much larger is a dump with its rows.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// The most tables one file may define (each becomes a DynamoDB table).
pub const MAX_TABLES: usize = 10_000;

/// The most columns one table may have: MySQL's own limit.
pub const MAX_COLUMNS: usize = 4096;

/// Why the file could not be read; `line` is the statement's (or the fault's).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct SqlError {
    pub line: usize,
    pub message: String,
}

/// Reads MySQL DDL into a first-draft model named `name`.
pub fn import(text: &str, name: &str) -> Result<Imported, SqlError> {
    if text.len() > MAX_BYTES {
        return Err(SqlError {
            line: 1,
            message: format!(
                "the file is {} bytes; the MySQL importer reads schemas of up to {MAX_BYTES} bytes (dump with --no-data to leave the rows out)",
                text.len()
            ),
        });
    }
    let mut report = super::Report::default();
    let schema = statements::read(text, &mut report)?;
    if schema.tables.is_empty() {
        // Nothing to draft; and a file of another format read as SQL ends here.
        return Err(SqlError {
            line: 1,
            message: "no CREATE TABLE: not a MySQL schema".to_string(),
        });
    }
    let mut model = draft::model(&schema, name, &mut report);
    model.renew_duplicate_ids();
    // Read in the file's order, whichever step made the note.
    report.notes.sort_by_key(|note| line_of(&note.at));
    Ok(Imported { model, report })
}

/// `line 12` → 12; notes on the whole model come last.
fn line_of(at: &str) -> usize {
    at.strip_prefix("line ")
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests;
