//! A small YAML writer for JSON values (block style), enough for CloudFormation
//! templates without a YAML dependency. Strings that could read as anything but
//! a plain string are written double-quoted with JSON escapes, which YAML reads
//! the same way.

use serde_json::Value;

/// The YAML text of `value`, ending in a newline.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(list) if !list.is_empty() => write_list(&mut out, list, 0),
        scalar => {
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (key, value) in map {
        indent(out, level);
        write_entry(out, key, value, level);
    }
}

/// `key: value`, or `key:` and the block below it; the caller wrote the indentation.
fn write_entry(out: &mut String, key: &str, value: &Value, level: usize) {
    out.push_str(&string(key));
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push_str(":\n");
            write_map(out, m, level + 1);
        }
        Value::Array(l) if !l.is_empty() => {
            out.push_str(":\n");
            write_list(out, l, level + 1);
        }
        scalar => {
            out.push_str(": ");
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
}

fn write_list(out: &mut String, list: &[Value], level: usize) {
    for item in list {
        indent(out, level);
        match item {
            Value::Object(m) if !m.is_empty() => {
                // The first entry shares the dash's line; the rest line up under it.
                out.push_str("- ");
                for (i, (key, value)) in m.iter().enumerate() {
                    if i > 0 {
                        indent(out, level + 1);
                    }
                    write_entry(out, key, value, level + 1);
                }
            }
            Value::Array(l) if !l.is_empty() => {
                out.push_str("-\n");
                write_list(out, l, level + 1);
            }
            scalar => {
                out.push_str("- ");
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
    }
}

fn inline(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

/// A string plain when YAML would read it back as the same string, quoted otherwise.
fn string(s: &str) -> String {
    const WORDS: &[&str] = &[
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ];
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ' '))
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '/')
        && !s.ends_with(' ')
        && !WORDS.contains(&s.to_ascii_lowercase().as_str());
    if plain {
        s.to_string()
    } else {
        // A JSON string is a valid YAML double-quoted scalar.
        Value::String(s.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_nested_blocks() {
        let v = json!({
            "Resources": {
                "T": {
                    "Type": "AWS::DynamoDB::Table",
                    "Properties": {
                        "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
                        "Empty": [],
                        "Names": ["a", "true", "2"],
                        "Count": 5
                    }
                }
            }
        });
        let expected = "\
Resources:
  T:
    Type: \"AWS::DynamoDB::Table\"
    Properties:
      KeySchema:
        - AttributeName: PK
          KeyType: HASH
      Empty: []
      Names:
        - a
        - \"true\"
        - \"2\"
      Count: 5
";
        assert_eq!(to_yaml(&v), expected);
    }

    #[test]
    fn quotes_what_would_not_read_back() {
        assert_eq!(string("GSI1"), "GSI1");
        assert_eq!(string("yes"), "\"yes\"");
        assert_eq!(string("a: b"), "\"a: b\"");
        assert_eq!(string("#META"), "\"#META\"");
        assert_eq!(string(""), "\"\"");
        assert_eq!(string("line\nbreak"), "\"line\\nbreak\"");
    }
}
