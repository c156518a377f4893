//! The file cut into statements, each with its line, and each statement read
//! into the relational schema or accounted for in the report.
//!
//! The file is tokenized by `sqlparser` (MySQL's `/*!40101 … */` versioned
//! comments are read as the SQL they hold) and cut at each `;` token, so a
//! semicolon inside a string or comment cuts nothing. The `mysql` client's
//! `DELIMITER` command is no SQL: between `DELIMITER ;;` and `DELIMITER ;` the
//! text is cut at the new delimiter (triggers and routines, whose bodies hold
//! semicolons), and a `DELIMITER` line is recognised at the start of a line.

use sqlparser::ast::{AlterTableOperation, CreateTable, ObjectType, Statement};
use sqlparser::dialect::MySqlDialect;
use sqlparser::keywords::Keyword;
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::super::{NoteKind, Report};
use super::SqlError;
use super::relational::{Schema, Table, object_name};

/// Reads every statement of `text` into the schema, reporting the ones that
/// are not read.
pub fn read(text: &str, report: &mut Report) -> Result<Schema, SqlError> {
    let mut reader = Reader {
        schema: Schema::default(),
        rows: Vec::new(),
    };
    for region in regions(text) {
        match region.delimiter {
            None => {
                let tokens = tokenize(region.text, region.first_line)?;
                for statement in split(tokens) {
                    reader.statement(statement, report)?;
                }
            }
            Some(delimiter) => {
                for (line, piece) in pieces(region.text, delimiter, region.first_line) {
                    match tokenize(piece, line) {
                        Ok(tokens) => {
                            if let Some(statement) = whole(tokens) {
                                reader.statement(statement, report)?;
                            }
                        }
                        Err(e) => report.push(
                            NoteKind::Dropped,
                            format!("line {line}"),
                            format!("not understood, not imported: {}", e.message),
                        ),
                    }
                }
            }
        }
    }
    if let Some(first) = reader.rows.first() {
        report.push(
            NoteKind::Dropped,
            format!("line {first}"),
            format!(
                "{} INSERT/REPLACE statement(s) of rows skipped: the importer reads the schema only",
                reader.rows.len()
            ),
        );
    }
    Ok(reader.schema.finish())
}

/// A stretch of the file under one delimiter: `None` is `;`, the default.
struct Region<'a> {
    text: &'a str,
    first_line: usize,
    delimiter: Option<&'a str>,
}

/// The file cut at its `DELIMITER` lines (left out, as the client does).
fn regions(text: &str) -> Vec<Region<'_>> {
    let mut regions = Vec::new();
    let mut start = 0;
    let mut first_line = 1;
    let mut delimiter: Option<&str> = None;
    let mut offset = 0;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let line_number = index + 1;
        if let Some(new) = delimiter_command(line) {
            regions.push(Region {
                text: &text[start..offset],
                first_line,
                delimiter,
            });
            delimiter = (new != ";").then_some(new);
            start = offset + line.len();
            first_line = line_number + 1;
        }
        offset += line.len();
    }
    regions.push(Region {
        text: &text[start..],
        first_line,
        delimiter,
    });
    regions
}

/// `DELIMITER ;;` → `;;`.
fn delimiter_command(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let head = trimmed.get(..9)?;
    if !head.eq_ignore_ascii_case("delimiter") {
        return None;
    }
    let rest = &trimmed[9..];
    if !rest.starts_with([' ', '\t']) {
        return None;
    }
    rest.split_whitespace().next()
}

/// A region under a custom delimiter cut at it: each piece with its first line.
fn pieces<'a>(
    text: &'a str,
    delimiter: &'a str,
    first_line: usize,
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let mut line = first_line;
    text.split(delimiter).map(move |piece| {
        let at = line;
        line += piece.bytes().filter(|&b| b == b'\n').count();
        (at, piece)
    })
}

/// `text`'s tokens, their lines counted from `first_line`.
fn tokenize(text: &str, first_line: usize) -> Result<Vec<TokenWithSpan>, SqlError> {
    let shift = first_line.saturating_sub(1) as u64;
    let mut tokens = Tokenizer::new(&MySqlDialect {}, text)
        .tokenize_with_location()
        .map_err(|e| SqlError {
            line: (e.location.line + shift) as usize,
            message: format!(
                "not valid SQL: {} (column {})",
                e.message, e.location.column
            ),
        })?;
    if shift > 0 {
        for token in &mut tokens {
            token.span.start.line += shift;
            token.span.end.line += shift;
        }
    }
    Ok(tokens)
}

/// One statement's tokens (without its `;`) and the line it starts on.
struct Sql {
    line: usize,
    tokens: Vec<TokenWithSpan>,
}

/// The statements of a token stream, cut at `;`; statements of nothing but
/// whitespace and comments are left out.
fn split(tokens: Vec<TokenWithSpan>) -> impl Iterator<Item = Sql> {
    let mut current: Vec<TokenWithSpan> = Vec::new();
    let mut line = None;
    let mut tokens = tokens.into_iter();
    std::iter::from_fn(move || {
        loop {
            let Some(token) = tokens.next() else {
                let rest = std::mem::take(&mut current);
                return line.take().map(|line| Sql { line, tokens: rest });
            };
            match token.token {
                Token::SemiColon => {
                    let rest = std::mem::take(&mut current);
                    if let Some(line) = line.take() {
                        return Some(Sql { line, tokens: rest });
                    }
                }
                Token::Whitespace(_) => current.push(token),
                Token::EOF => {}
                _ => {
                    if line.is_none() {
                        line = Some(token.span.start.line as usize);
                    }
                    current.push(token);
                }
            }
        }
    })
}

/// A piece under a custom delimiter: one statement, semicolons and all.
fn whole(tokens: Vec<TokenWithSpan>) -> Option<Sql> {
    let line = tokens
        .iter()
        .find(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF))?
        .span
        .start
        .line as usize;
    let tokens = tokens
        .into_iter()
        .filter(|t| t.token != Token::EOF)
        .collect();
    Some(Sql { line, tokens })
}

/// The objects a `CREATE …` or `DROP …` names, among the words after it
/// (`CREATE ALGORITHM=UNDEFINED DEFINER=… VIEW`).
const OBJECTS: [&str; 13] = [
    "TABLE",
    "VIEW",
    "TRIGGER",
    "PROCEDURE",
    "FUNCTION",
    "EVENT",
    "INDEX",
    "DATABASE",
    "SCHEMA",
    "USER",
    "ROLE",
    "TABLESPACE",
    "SERVER",
];

/// What a statement is, from its first words (`CREATE TABLE`, `CREATE VIEW`,
/// `SET`), and the name after the object's keyword, if any.
fn kind(sql: &Sql) -> (String, Option<String>) {
    let mut words = sql
        .tokens
        .iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .take(24)
        .map(|t| match &t.token {
            Token::Word(w) => (w.value.to_uppercase(), Some(w)),
            other => (other.to_string(), None),
        });
    let Some((first, _)) = words.next() else {
        return (String::new(), None);
    };
    if !["CREATE", "DROP", "ALTER"].contains(&first.as_str()) {
        return (first, None);
    }
    let Some((object, _)) = words.find(|(w, _)| OBJECTS.contains(&w.as_str())) else {
        return (first, None);
    };
    let name = words
        .find(|(w, word)| word.is_some() && !["IF", "NOT", "EXISTS"].contains(&w.as_str()))
        .and_then(|(_, word)| word.map(|w| w.value.clone()));
    (format!("{first} {object}"), name)
}

/// What the importer reads, said when it leaves a statement out.
const READS: &str = "the importer reads CREATE TABLE, CREATE INDEX and ALTER TABLE … ADD";

struct Reader {
    schema: Schema,
    /// The lines of the INSERT/REPLACE statements.
    rows: Vec<usize>,
}

impl Reader {
    fn statement(&mut self, sql: Sql, report: &mut Report) -> Result<(), SqlError> {
        let (kind, name) = kind(&sql);
        let line = sql.line;
        let at = format!("line {line}");
        match kind.as_str() {
            // No schema in them.
            "SET" | "USE" | "LOCK" | "UNLOCK" | "START" | "BEGIN" | "COMMIT" | "ROLLBACK"
            | "CREATE DATABASE" | "CREATE SCHEMA" | "DROP DATABASE" | "DROP SCHEMA"
            | "DROP VIEW" | "DROP TRIGGER" | "DROP PROCEDURE" | "DROP FUNCTION" | "DROP EVENT" => {
                return Ok(());
            }
            "INSERT" | "REPLACE" => {
                self.rows.push(line);
                return Ok(());
            }
            "CREATE TABLE" => {
                return match parse(sql) {
                    Ok((Statement::CreateTable(create), partitioned)) => {
                        if partitioned {
                            report.push(
                                NoteKind::Dropped,
                                at,
                                format!(
                                    "PARTITION BY of `{}`: DynamoDB partitions by the key itself",
                                    object_name(&create.name)
                                ),
                            );
                        }
                        self.create_table(&create, line, report)
                    }
                    Ok((other, _)) => {
                        report.push(NoteKind::Dropped, at, format!("not imported: {other}"));
                        Ok(())
                    }
                    Err(e) => Err(syntax_error(&e, line, "CREATE TABLE")),
                };
            }
            "CREATE INDEX" | "ALTER TABLE" | "DROP TABLE" => {}
            _ => {
                let what = match (&name, kind.is_empty()) {
                    (_, true) => "a statement".to_string(),
                    (Some(name), false) => format!("{kind} `{name}`"),
                    (None, false) => kind,
                };
                report.push(
                    NoteKind::Dropped,
                    at,
                    format!("{what}: not imported ({READS})"),
                );
                return Ok(());
            }
        }
        let statement = match parse(sql) {
            Ok((statement, _)) => statement,
            Err(e) => {
                let e = syntax_error(&e, line, &kind);
                report.push(
                    NoteKind::Dropped,
                    at,
                    format!("not understood, not imported: {}", e.message),
                );
                return Ok(());
            }
        };
        match statement {
            Statement::CreateTable(create) => self.create_table(&create, line, report)?,
            Statement::CreateIndex(index) => {
                let table = object_name(&index.table_name);
                match self.schema.table_mut(&table) {
                    Some(t) => t.add_index(
                        index.name.as_ref().map(object_name),
                        &index.columns,
                        index.unique,
                        line,
                    )?,
                    None => report.push(
                        NoteKind::Dropped,
                        at,
                        format!("CREATE INDEX on `{table}`, which the file does not define (before it): not imported"),
                    ),
                }
            }
            Statement::AlterTable(alter) => {
                let table = object_name(&alter.name);
                let Some(t) = self.schema.table_mut(&table) else {
                    report.push(
                        NoteKind::Dropped,
                        at,
                        format!("ALTER TABLE `{table}`, which the file does not define (before it): not imported"),
                    );
                    return Ok(());
                };
                for operation in &alter.operations {
                    match operation {
                        AlterTableOperation::AddConstraint { constraint, .. } => {
                            t.add_constraint(constraint, line, report)?;
                        }
                        other => report.push(
                            NoteKind::Dropped,
                            at.clone(),
                            format!("ALTER TABLE `{table}` {other}: not imported ({READS})"),
                        ),
                    }
                }
            }
            Statement::Drop {
                object_type: ObjectType::Table,
                names,
                ..
            } => {
                for name in &names {
                    let name = object_name(name);
                    if self.schema.remove(&name) {
                        report.push(
                            NoteKind::Dropped,
                            at.clone(),
                            format!("DROP TABLE `{name}`: the table defined before is left out of the draft"),
                        );
                    }
                }
            }
            other => report.push(
                NoteKind::Dropped,
                at,
                format!("{other}: not imported ({READS})"),
            ),
        }
        Ok(())
    }

    fn create_table(
        &mut self,
        create: &CreateTable,
        line: usize,
        report: &mut Report,
    ) -> Result<(), SqlError> {
        let name = object_name(&create.name);
        let at = format!("line {line}");
        if create.like.is_some() || create.clone.is_some() || create.query.is_some() {
            report.push(
                NoteKind::Dropped,
                at,
                format!("CREATE TABLE `{name}` copies another table's columns (LIKE, CLONE or AS SELECT): not imported; write its columns out"),
            );
            return Ok(());
        }
        let mut table = Table::new(name.clone(), line, &create.columns)?;
        for constraint in &create.constraints {
            table.add_constraint(constraint, line, report)?;
        }
        if !self.schema.add(table)? {
            report.push(
                NoteKind::Dropped,
                at,
                format!("a second CREATE TABLE `{name}`: the first definition is kept"),
            );
        }
        Ok(())
    }
}

/// One statement's parse; trailing tokens are an error, but for a table's
/// `PARTITION BY …` (which the parser does not read): `true` when one was left.
fn parse(sql: Sql) -> Result<(Statement, bool), ParserError> {
    let dialect = MySqlDialect {};
    let mut parser = Parser::new(&dialect).with_tokens_with_locations(sql.tokens);
    let statement = parser.parse_statement()?;
    let next = parser.peek_token();
    match &next.token {
        Token::EOF => Ok((statement, false)),
        Token::Word(w)
            if w.keyword == Keyword::PARTITION
                && matches!(statement, Statement::CreateTable(_)) =>
        {
            Ok((statement, true))
        }
        _ => parser.expected("the end of the statement", next),
    }
}

/// The parser's message with its position taken out: the line is the error's,
/// the column goes into the message.
fn syntax_error(error: &ParserError, statement_line: usize, what: &str) -> SqlError {
    let message = match error {
        ParserError::TokenizerError(m) | ParserError::ParserError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => "nested too deeply".to_string(),
    };
    let (message, line, column) = match message.rfind(" at Line: ") {
        Some(pos) => {
            let (line, column) = position(&message[pos + " at Line: ".len()..]);
            (message[..pos].to_string(), line, column)
        }
        None => (message, None, None),
    };
    let line = line.unwrap_or(statement_line);
    let mut text = format!("{what}: {message}");
    if let Some(column) = column {
        text.push_str(&format!(" (column {column})"));
    }
    if line != statement_line {
        text.push_str(&format!(" in the statement of line {statement_line}"));
    }
    SqlError {
        line,
        message: text,
    }
}

/// `12, Column: 5` → (12, 5).
fn position(text: &str) -> (Option<usize>, Option<usize>) {
    let (line, column) = match text.split_once(", Column: ") {
        Some((l, c)) => (l, Some(c)),
        None => (text, None),
    };
    (
        line.trim().parse().ok(),
        column.and_then(|c| c.trim().parse().ok()),
    )
}
