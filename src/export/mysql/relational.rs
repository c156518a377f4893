//! The relational schema as the DDL states it: tables with their columns,
//! primary key, unique constraints, secondary indexes and foreign keys, read
//! from `sqlparser`'s trees. Columns are named by position in their table, so
//! that constraints cost one look-up per column they name.

use std::collections::HashMap;

use sqlparser::ast::{
    ColumnDef, ColumnOption, DataType, Expr, ForeignKeyConstraint, IndexColumn, ObjectName,
    TableConstraint,
};

use super::super::{NoteKind, Report};
use super::{MAX_COLUMNS, MAX_TABLES, SqlError};

#[derive(Debug, Default)]
pub struct Schema {
    /// In the order the file defines them.
    pub tables: Vec<Table>,
    by_name: HashMap<String, usize>,
}

impl Schema {
    pub fn table_index(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    pub fn table_mut(&mut self, name: &str) -> Option<&mut Table> {
        let index = self.table_index(name)?;
        self.tables.get_mut(index)
    }

    /// Adds a table; `false` when the file already defined one of that name.
    pub fn add(&mut self, table: Table) -> Result<bool, SqlError> {
        if self.by_name.contains_key(&table.name) {
            return Ok(false);
        }
        if self.tables.len() >= MAX_TABLES {
            return Err(SqlError {
                line: table.line,
                message: format!(
                    "table `{}` is one table too many: the importer reads up to {MAX_TABLES} tables",
                    table.name
                ),
            });
        }
        self.by_name.insert(table.name.clone(), self.tables.len());
        self.tables.push(table);
        Ok(true)
    }

    /// Forgets a table the file drops after defining it.
    pub fn remove(&mut self, name: &str) -> bool {
        let Some(index) = self.by_name.remove(name) else {
            return false;
        };
        self.tables[index].dropped = true;
        true
    }

    /// The tables the file defines and does not drop again, in order.
    pub fn finish(mut self) -> Schema {
        self.tables.retain(|t| !t.dropped);
        for t in &mut self.tables {
            t.finish();
        }
        self.by_name = (self.tables.iter().enumerate())
            .map(|(i, t)| (t.name.clone(), i))
            .collect();
        self
    }
}

#[derive(Debug)]
pub struct Table {
    pub name: String,
    /// The line of its `CREATE TABLE`.
    pub line: usize,
    pub columns: Vec<Column>,
    /// Lower-cased column name → position (MySQL's column names ignore case).
    by_column: HashMap<String, usize>,
    /// Positions of the primary key's columns, in key order.
    pub primary_key: Vec<usize>,
    /// UNIQUE constraints: the column-level ones in column order, then the
    /// table-level ones in the order written.
    pub uniques: Vec<Index>,
    /// Secondary (non-unique) indexes, in the order written.
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    /// A later `DROP TABLE` names it.
    dropped: bool,
}

#[derive(Debug)]
pub struct Column {
    pub name: String,
    pub data_type: DataType,
    pub not_null: bool,
    pub unique: bool,
    pub auto_increment: bool,
}

#[derive(Debug, Clone)]
pub struct Index {
    pub name: Option<String>,
    pub columns: Vec<usize>,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct ForeignKey {
    pub columns: Vec<usize>,
    /// The referenced table, as written (its last name part).
    pub table: String,
    /// The referenced columns; empty means the referenced table's primary key.
    pub referred: Vec<String>,
    pub line: usize,
}

/// The last part of a possibly qualified name (`shop`.`users` → `users`).
pub fn object_name(name: &ObjectName) -> String {
    name.0
        .last()
        .and_then(|part| part.as_ident())
        .map(|ident| ident.value.clone())
        .unwrap_or_else(|| name.to_string())
}

impl Table {
    /// The table and its column-level facts; constraints come after, through
    /// [`Table::add_constraint`].
    pub fn new(name: String, line: usize, columns: &[ColumnDef]) -> Result<Table, SqlError> {
        if columns.len() > MAX_COLUMNS {
            return Err(SqlError {
                line,
                message: format!(
                    "table `{name}` has {} columns; MySQL allows at most {MAX_COLUMNS}",
                    columns.len()
                ),
            });
        }
        let mut table = Table {
            name,
            line,
            columns: Vec::with_capacity(columns.len()),
            by_column: HashMap::with_capacity(columns.len()),
            primary_key: Vec::new(),
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            dropped: false,
        };
        for def in columns {
            let position = table.columns.len();
            let key = def.name.value.to_lowercase();
            if table.by_column.insert(key, position).is_some() {
                return Err(SqlError {
                    line,
                    message: format!(
                        "table `{}` names column `{}` twice",
                        table.name, def.name.value
                    ),
                });
            }
            let mut column = Column {
                name: def.name.value.clone(),
                data_type: def.data_type.clone(),
                not_null: false,
                unique: false,
                auto_increment: false,
            };
            for option in &def.options {
                match &option.option {
                    ColumnOption::NotNull => column.not_null = true,
                    ColumnOption::PrimaryKey(_) => {
                        if !table.primary_key.is_empty() {
                            return Err(table.error(line, "has a second PRIMARY KEY"));
                        }
                        table.primary_key.push(position);
                    }
                    ColumnOption::Unique(_) => table.uniques.push(Index {
                        name: None,
                        columns: vec![position],
                        line,
                    }),
                    ColumnOption::ForeignKey(fk) => {
                        table
                            .foreign_keys
                            .push(foreign_key(fk, vec![position], line));
                    }
                    ColumnOption::DialectSpecific(tokens)
                        if tokens
                            .iter()
                            .any(|t| t.to_string().eq_ignore_ascii_case("AUTO_INCREMENT")) =>
                    {
                        column.auto_increment = true;
                    }
                    _ => {}
                }
            }
            table.columns.push(column);
        }
        Ok(table)
    }

    fn error(&self, line: usize, what: &str) -> SqlError {
        SqlError {
            line,
            message: format!("table `{}` {what}", self.name),
        }
    }

    pub fn column_position(&self, name: &str) -> Option<usize> {
        self.by_column.get(&name.to_lowercase()).copied()
    }

    /// Adds a table constraint written at `line` (in the `CREATE TABLE` or an
    /// `ALTER TABLE … ADD`). Constraints the draft has no use for are noted.
    pub fn add_constraint(
        &mut self,
        constraint: &TableConstraint,
        line: usize,
        report: &mut Report,
    ) -> Result<(), SqlError> {
        let at = format!("line {line}");
        match constraint {
            TableConstraint::PrimaryKey(pk) => {
                if !self.primary_key.is_empty() {
                    return Err(self.error(line, "has a second PRIMARY KEY"));
                }
                self.primary_key = self.key_parts(&pk.columns, line)?;
            }
            TableConstraint::Unique(unique) => {
                let name = unique.name.as_ref().or(unique.index_name.as_ref());
                let name = name.map(|i| i.value.clone());
                self.add_index(name, &unique.columns, true, line)?;
            }
            TableConstraint::Index(index) => {
                let name = index.name.as_ref().map(|i| i.value.clone());
                self.add_index(name, &index.columns, false, line)?;
            }
            TableConstraint::ForeignKey(fk) => {
                let mut columns = Vec::with_capacity(fk.columns.len());
                for c in &fk.columns {
                    columns.push(self.position(&c.value, line)?);
                }
                self.foreign_keys.push(foreign_key(fk, columns, line));
            }
            TableConstraint::FulltextOrSpatial(index) => {
                let kind = if index.fulltext {
                    "FULLTEXT"
                } else {
                    "SPATIAL"
                };
                report.push(
                    NoteKind::Dropped,
                    at,
                    format!(
                        "{kind} index {}on `{}`: DynamoDB has no such index; no access pattern suggested",
                        index
                            .opt_index_name
                            .as_ref()
                            .map(|n| format!("`{}` ", n.value))
                            .unwrap_or_default(),
                        self.name
                    ),
                );
            }
            TableConstraint::Check(check) => report.push(
                NoteKind::Dropped,
                at,
                format!(
                    "CHECK ({}) on `{}`: DynamoDB checks no values; the application must",
                    check.expr, self.name
                ),
            ),
            other => report.push(
                NoteKind::Dropped,
                at,
                format!("constraint on `{}` not imported: {other}", self.name),
            ),
        }
        Ok(())
    }

    /// A UNIQUE or secondary index over `parts`.
    pub fn add_index(
        &mut self,
        name: Option<String>,
        parts: &[IndexColumn],
        unique: bool,
        line: usize,
    ) -> Result<(), SqlError> {
        let columns = self.key_parts(parts, line)?;
        let index = Index {
            name,
            columns,
            line,
        };
        if unique {
            self.uniques.push(index);
        } else {
            self.indexes.push(index);
        }
        Ok(())
    }

    fn position(&self, column: &str, line: usize) -> Result<usize, SqlError> {
        self.column_position(column).ok_or_else(|| {
            self.error(
                line,
                &format!("has no column `{column}` for a key or constraint to name"),
            )
        })
    }

    /// The columns of an index's key parts: `name`, `name(10)` (a prefix) or
    /// `name DESC`; an expression is refused.
    fn key_parts(&self, parts: &[IndexColumn], line: usize) -> Result<Vec<usize>, SqlError> {
        let mut columns = Vec::with_capacity(parts.len());
        for part in parts {
            let name = match &part.column.expr {
                Expr::Identifier(ident) => ident.value.clone(),
                Expr::CompoundIdentifier(idents) if !idents.is_empty() => {
                    idents[idents.len() - 1].value.clone()
                }
                // `name(10)`: a key on the column's first characters.
                Expr::Function(f) if f.name.0.len() == 1 => object_name(&f.name),
                other => {
                    return Err(
                        self.error(line, &format!("has a key part `{other}` that is no column"))
                    );
                }
            };
            columns.push(self.position(&name, line)?);
        }
        Ok(columns)
    }

    /// Marks the single-column UNIQUE constraints on their columns, and the
    /// primary key's columns NOT NULL (as MySQL makes them).
    fn finish(&mut self) {
        for unique in &self.uniques {
            if let [only] = unique.columns[..] {
                self.columns[only].unique = true;
            }
        }
        if let [only] = self.primary_key[..] {
            self.columns[only].unique = true;
        }
        for &position in &self.primary_key {
            self.columns[position].not_null = true;
        }
    }

    pub fn column_names(&self, positions: &[usize]) -> Vec<String> {
        positions
            .iter()
            .map(|&p| self.columns[p].name.clone())
            .collect()
    }
}

fn foreign_key(fk: &ForeignKeyConstraint, columns: Vec<usize>, line: usize) -> ForeignKey {
    ForeignKey {
        columns,
        table: object_name(&fk.foreign_table),
        referred: fk
            .referred_columns
            .iter()
            .map(|c| c.value.clone())
            .collect(),
        line,
    }
}
