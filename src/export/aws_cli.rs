//! `aws dynamodb …` commands, as the DynamoDB MCP server's data model writes one
//! per access pattern, read into the request they stand for: the operation and
//! its parameters in the API's own names (`--key-condition-expression` becomes
//! `KeyConditionExpression`), JSON arguments parsed. Pure: the deployer sends
//! the request, the MCP importer reads what the pattern does from it.

use serde_json::{Map, Value};

/// A parsed command: `aws dynamodb query --table-name T …`.
#[derive(Clone, Debug, PartialEq)]
pub struct AwsCall {
    /// The API operation, `Query`, `PutItem`, `TransactWriteItems`, …
    pub operation: &'static str,
    /// Parameters by API name: strings, numbers, booleans, and the JSON of
    /// JSON-valued arguments (`Key`, `ExpressionAttributeValues`, …).
    pub params: Map<String, Value>,
}

/// The operations a data model's commands use, as the CLI and the API name them.
const OPERATIONS: &[(&str, &str)] = &[
    ("get-item", "GetItem"),
    ("query", "Query"),
    ("scan", "Scan"),
    ("put-item", "PutItem"),
    ("update-item", "UpdateItem"),
    ("delete-item", "DeleteItem"),
    ("batch-get-item", "BatchGetItem"),
    ("batch-write-item", "BatchWriteItem"),
    ("transact-get-items", "TransactGetItems"),
    ("transact-write-items", "TransactWriteItems"),
];

/// Arguments that take JSON.
const JSON_ARGUMENTS: &[&str] = &[
    "Key",
    "Item",
    "ExpressionAttributeNames",
    "ExpressionAttributeValues",
    "ExclusiveStartKey",
    "RequestItems",
    "TransactItems",
];

/// Arguments that take a whole number.
const NUMBER_ARGUMENTS: &[&str] = &["Limit", "MaxItems", "PageSize", "Segment", "TotalSegments"];

/// `--no-…` switches and the boolean parameter each sets.
const SWITCHES: &[(&str, &str, bool)] = &[
    ("--consistent-read", "ConsistentRead", true),
    ("--no-consistent-read", "ConsistentRead", false),
    ("--scan-index-forward", "ScanIndexForward", true),
    ("--no-scan-index-forward", "ScanIndexForward", false),
];

/// Arguments of the CLI itself, not of the request.
const CLI_ONLY: &[&str] = &[
    "--endpoint-url",
    "--region",
    "--profile",
    "--output",
    "--query",
    "--no-cli-pager",
    "--no-paginate",
    "--debug",
    "--no-verify-ssl",
    "--no-sign-request",
];

/// Of those, the switches that take no value.
const CLI_SWITCHES: &[&str] = &[
    "--no-cli-pager",
    "--no-paginate",
    "--debug",
    "--no-verify-ssl",
    "--no-sign-request",
];

impl AwsCall {
    /// Reads a command; the error says what in it could not be read.
    pub fn parse(command: &str) -> Result<AwsCall, String> {
        let words = shell_words(command)?;
        let mut words = words.iter().map(String::as_str).peekable();
        if words.next() != Some("aws") || words.next() != Some("dynamodb") {
            return Err("the command does not start with `aws dynamodb`".into());
        }
        let verb = words.next().ok_or("the command names no operation")?;
        let operation = OPERATIONS
            .iter()
            .find(|(cli, _)| *cli == verb)
            .map(|(_, api)| *api)
            .ok_or_else(|| format!("`{verb}` is not an operation on items"))?;
        let mut params = Map::new();
        while let Some(word) = words.next() {
            let Some(flag) = word.strip_prefix("--") else {
                return Err(format!("`{word}` stands where an --argument should"));
            };
            if let Some((_, name, value)) = SWITCHES.iter().find(|(s, _, _)| *s == word) {
                params.insert(name.to_string(), Value::Bool(*value));
                continue;
            }
            if word == "--cli-input-json" {
                return Err("the request is in --cli-input-json, which is not read".into());
            }
            let takes_value = words.peek().is_some_and(|next| !next.starts_with("--"));
            if CLI_ONLY.contains(&word) {
                if takes_value && !CLI_SWITCHES.contains(&word) {
                    words.next();
                }
                continue;
            }
            let name = pascal(flag);
            let text = if takes_value { words.next() } else { None };
            let Some(text) = text else {
                return Err(format!("`{word}` has no value"));
            };
            let value = if JSON_ARGUMENTS.contains(&name.as_str()) {
                serde_json::from_str(text).map_err(|e| {
                    format!("`{word}` is not JSON ({e}); the CLI's shorthand syntax is not read")
                })?
            } else if NUMBER_ARGUMENTS.contains(&name.as_str()) {
                Value::from(
                    text.parse::<u64>()
                        .map_err(|_| format!("`{word}` takes a whole number, not `{text}`"))?,
                )
            } else {
                Value::String(text.to_string())
            };
            params.insert(name, value);
        }
        Ok(AwsCall { operation, params })
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }

    pub fn json(&self, name: &str) -> Option<&Value> {
        self.params.get(name)
    }

    pub fn flag(&self, name: &str) -> Option<bool> {
        self.params.get(name).and_then(Value::as_bool)
    }

    pub fn number(&self, name: &str) -> Option<u64> {
        self.params.get(name).and_then(Value::as_u64)
    }

    /// Every table the request names, in order, each once.
    pub fn tables(&self) -> Vec<&str> {
        fn add<'a>(name: &'a str, out: &mut Vec<&'a str>) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
        let mut out: Vec<&str> = Vec::new();
        if let Some(t) = self.params.get("TableName").and_then(Value::as_str) {
            add(t, &mut out);
        }
        if let Some(Value::Object(requests)) = self.params.get("RequestItems") {
            for name in requests.keys() {
                add(name, &mut out);
            }
        }
        if let Some(Value::Array(items)) = self.params.get("TransactItems") {
            for action in items.iter().filter_map(Value::as_object) {
                for body in action.values() {
                    if let Some(t) = body.get("TableName").and_then(Value::as_str) {
                        add(t, &mut out);
                    }
                }
            }
        }
        out
    }

    /// The same request with `prefix` before every table name it holds (the
    /// deployer's `--table-prefix`).
    pub fn with_table_prefix(&self, prefix: &str) -> AwsCall {
        let mut call = self.clone();
        if prefix.is_empty() {
            return call;
        }
        let prefixed = |name: &str| format!("{prefix}{name}");
        if let Some(Value::String(t)) = call.params.get_mut("TableName") {
            *t = prefixed(t);
        }
        if let Some(Value::Object(requests)) = call.params.get_mut("RequestItems") {
            let renamed: Map<String, Value> = std::mem::take(requests)
                .into_iter()
                .map(|(name, body)| (prefixed(&name), body))
                .collect();
            *requests = renamed;
        }
        if let Some(Value::Array(items)) = call.params.get_mut("TransactItems") {
            for action in items.iter_mut().filter_map(Value::as_object_mut) {
                for body in action.values_mut() {
                    if let Some(Value::String(t)) = body.get_mut("TableName") {
                        *t = prefixed(t);
                    }
                }
            }
        }
        call
    }
}

/// `key-condition-expression` → `KeyConditionExpression`.
fn pascal(flag: &str) -> String {
    flag.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// Splits a POSIX shell command into words: single quotes, double quotes and
/// backslash escapes (a backslash before a line break joins the lines), no
/// expansions.
pub fn shell_words(command: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a single quote is not closed".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("a double quote is not closed".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("a double quote is not closed".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => {
                    in_word = true;
                    word.push(c);
                }
                None => return Err("the command ends in a backslash".into()),
            },
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_query_is_read_into_its_request() {
        let call = AwsCall::parse(
            "aws dynamodb query --table-name Tickets \\\n  --index-name ByStatus \
             --key-condition-expression \"#s = :s AND begins_with(#c, :p)\" \
             --expression-attribute-names '{\"#s\":\"status\",\"#c\":\"created\"}' \
             --expression-attribute-values '{\":s\":{\"S\":\"open\"},\":p\":{\"S\":\"2024\"}}' \
             --no-scan-index-forward --limit 20 --consistent-read --endpoint-url http://localhost:8000",
        )
        .unwrap();
        assert_eq!(call.operation, "Query");
        assert_eq!(call.text("TableName"), Some("Tickets"));
        assert_eq!(call.text("IndexName"), Some("ByStatus"));
        assert_eq!(
            call.text("KeyConditionExpression"),
            Some("#s = :s AND begins_with(#c, :p)")
        );
        assert_eq!(
            call.json("ExpressionAttributeValues"),
            Some(&json!({":s": {"S": "open"}, ":p": {"S": "2024"}}))
        );
        assert_eq!(call.flag("ScanIndexForward"), Some(false));
        assert_eq!(call.flag("ConsistentRead"), Some(true));
        assert_eq!(call.number("Limit"), Some(20));
        assert!(!call.params.contains_key("EndpointUrl"));
        let debug =
            AwsCall::parse("aws dynamodb get-item --debug --table-name T --key '{}'").unwrap();
        assert_eq!(debug.text("TableName"), Some("T"));
    }

    #[test]
    fn table_names_get_the_prefix_everywhere() {
        let call = AwsCall::parse(
            r#"aws dynamodb transact-write-items --transact-items '[{"Put":{"TableName":"A","Item":{"pk":{"S":"1"}}}},{"Delete":{"TableName":"B","Key":{"pk":{"S":"2"}}}}]'"#,
        )
        .unwrap();
        assert_eq!(call.tables(), ["A", "B"]);
        let prefixed = call.with_table_prefix("t-");
        assert_eq!(prefixed.tables(), ["t-A", "t-B"]);
        let batch = AwsCall::parse(
            r#"aws dynamodb batch-get-item --request-items '{"Users":{"Keys":[{"pk":{"S":"1"}}]}}'"#,
        )
        .unwrap();
        assert_eq!(batch.with_table_prefix("t-").tables(), ["t-Users"]);
    }

    #[test]
    fn what_cannot_be_read_is_named() {
        for (command, why) in [
            ("aws s3 ls", "does not start with `aws dynamodb`"),
            (
                "aws dynamodb create-table --table-name T",
                "not an operation on items",
            ),
            (
                "aws dynamodb get-item --table-name T --key Id={S=1}",
                "shorthand",
            ),
            ("aws dynamodb query --table-name", "has no value"),
            (
                "aws dynamodb scan --table-name 'T",
                "single quote is not closed",
            ),
            (
                "aws dynamodb scan --limit ten --table-name T",
                "whole number",
            ),
            ("aws dynamodb scan T", "stands where an --argument should"),
            (
                "aws dynamodb scan --cli-input-json file://q.json",
                "not read",
            ),
        ] {
            let err = AwsCall::parse(command).unwrap_err();
            assert!(err.contains(why), "{command}: {err}");
        }
    }
}
