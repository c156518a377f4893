//! DynamoDB attribute values and items, and their DynamoDB JSON form
//! (`{"S": "text"}`, `{"N": "12.5"}`, `{"M": {...}}`), which the model file, the
//! exporters and the deployer all speak.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::AttrType;

/// One typed DynamoDB value. Numbers are kept as their decimal text, binary as
/// base64 text, exactly as DynamoDB JSON writes them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AttrValue {
    S(String),
    N(String),
    B(String),
    Bool(bool),
    Null,
    M(BTreeMap<String, AttrValue>),
    L(Vec<AttrValue>),
    SS(Vec<String>),
    NS(Vec<String>),
    BS(Vec<String>),
}

/// An item: attribute name to value, in name order.
pub type Item = BTreeMap<String, AttrValue>;

/// A DynamoDB JSON value that does not have the expected shape, with the JSON
/// path (relative to the value that was read) where it went wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ValueError {
    pub path: String,
    pub message: String,
}

impl AttrValue {
    pub fn attr_type(&self) -> AttrType {
        match self {
            AttrValue::S(_) => AttrType::S,
            AttrValue::N(_) => AttrType::N,
            AttrValue::B(_) => AttrType::B,
            AttrValue::Bool(_) => AttrType::Bool,
            AttrValue::Null => AttrType::Null,
            AttrValue::M(_) => AttrType::M,
            AttrValue::L(_) => AttrType::L,
            AttrValue::SS(_) => AttrType::SS,
            AttrValue::NS(_) => AttrType::NS,
            AttrValue::BS(_) => AttrType::BS,
        }
    }

    /// The text a key template puts in place of this value: strings, numbers and
    /// booleans as written; `None` for values that cannot be part of a key.
    pub fn key_text(&self) -> Option<String> {
        match self {
            AttrValue::S(s) | AttrValue::N(s) | AttrValue::B(s) => Some(s.clone()),
            AttrValue::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The DynamoDB JSON of this value: `{"S": "text"}`.
    pub fn to_json(&self) -> Value {
        let strings = |v: &[String]| Value::Array(v.iter().cloned().map(Value::String).collect());
        let (tag, body) = match self {
            AttrValue::S(s) => ("S", Value::String(s.clone())),
            AttrValue::N(n) => ("N", Value::String(n.clone())),
            AttrValue::B(b) => ("B", Value::String(b.clone())),
            AttrValue::Bool(b) => ("BOOL", Value::Bool(*b)),
            AttrValue::Null => ("NULL", Value::Bool(true)),
            AttrValue::M(m) => ("M", item_to_json(m)),
            AttrValue::L(l) => (
                "L",
                Value::Array(l.iter().map(AttrValue::to_json).collect()),
            ),
            AttrValue::SS(v) => ("SS", strings(v)),
            AttrValue::NS(v) => ("NS", strings(v)),
            AttrValue::BS(v) => ("BS", strings(v)),
        };
        let mut map = Map::with_capacity(1);
        map.insert(tag.to_string(), body);
        Value::Object(map)
    }

    /// Reads strict DynamoDB JSON.
    pub fn from_json(value: &Value) -> Result<AttrValue, ValueError> {
        let mut lenient = Vec::new();
        let v = read_value(value, "", false, &mut lenient)?;
        debug_assert!(lenient.is_empty());
        Ok(v)
    }

    /// Reads DynamoDB JSON as tools in the wild write it: a JSON number for `N`, a
    /// string `"true"` for `BOOL`, or a plain object where a typed value belongs
    /// (read as a map). Each such repair is added to `repairs` as a [`ValueError`]
    /// naming where it was made; real shape errors still fail.
    pub fn from_json_lenient(
        value: &Value,
        repairs: &mut Vec<ValueError>,
    ) -> Result<AttrValue, ValueError> {
        read_value(value, "", true, repairs)
    }

    /// A short human rendering for documents: strings bare, numbers as written,
    /// sets and lists in brackets, maps as JSON.
    pub fn display(&self) -> String {
        match self {
            AttrValue::S(s) | AttrValue::N(s) | AttrValue::B(s) => s.clone(),
            AttrValue::Bool(b) => b.to_string(),
            AttrValue::Null => "null".to_string(),
            AttrValue::SS(v) | AttrValue::NS(v) | AttrValue::BS(v) => format!("[{}]", v.join(", ")),
            AttrValue::L(l) => format!(
                "[{}]",
                l.iter()
                    .map(AttrValue::display)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            AttrValue::M(m) => plain_json(m).to_string(),
        }
    }
}

/// A map as plain JSON (`{"a": 1}`) for display.
fn plain_json(map: &BTreeMap<String, AttrValue>) -> Value {
    fn plain(v: &AttrValue) -> Value {
        match v {
            AttrValue::S(s) | AttrValue::B(s) => Value::String(s.clone()),
            AttrValue::N(n) => n
                .parse::<serde_json::Number>()
                .map(Value::Number)
                .unwrap_or_else(|_| Value::String(n.clone())),
            AttrValue::Bool(b) => Value::Bool(*b),
            AttrValue::Null => Value::Null,
            AttrValue::M(m) => plain_json(m),
            AttrValue::L(l) => Value::Array(l.iter().map(plain).collect()),
            AttrValue::SS(v) | AttrValue::NS(v) | AttrValue::BS(v) => {
                Value::Array(v.iter().cloned().map(Value::String).collect())
            }
        }
    }
    Value::Object(map.iter().map(|(k, v)| (k.clone(), plain(v))).collect())
}

impl fmt::Display for AttrValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

/// An item as a DynamoDB JSON object, attributes in name order.
pub fn item_to_json(item: &Item) -> Value {
    Value::Object(item.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
}

/// Reads an item from strict DynamoDB JSON.
pub fn item_from_json(value: &Value) -> Result<Item, ValueError> {
    let mut repairs = Vec::new();
    read_map(value, "", false, &mut repairs)
}

/// Reads an item leniently (see [`AttrValue::from_json_lenient`]).
pub fn item_from_json_lenient(
    value: &Value,
    repairs: &mut Vec<ValueError>,
) -> Result<Item, ValueError> {
    read_map(value, "", true, repairs)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn error(path: &str, message: impl Into<String>) -> ValueError {
    ValueError {
        path: if path.is_empty() {
            ".".into()
        } else {
            path.to_string()
        },
        message: message.into(),
    }
}

fn read_map(
    value: &Value,
    path: &str,
    lenient: bool,
    repairs: &mut Vec<ValueError>,
) -> Result<Item, ValueError> {
    let Value::Object(map) = value else {
        return Err(error(
            path,
            format!(
                "expected an object of attributes, found {}",
                json_kind(value)
            ),
        ));
    };
    map.iter()
        .map(|(k, v)| Ok((k.clone(), read_value(v, &join(path, k), lenient, repairs)?)))
        .collect()
}

const TAGS: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

fn read_value(
    value: &Value,
    path: &str,
    lenient: bool,
    repairs: &mut Vec<ValueError>,
) -> Result<AttrValue, ValueError> {
    let Value::Object(map) = value else {
        return Err(error(
            path,
            format!(
                "expected a typed value such as {{\"S\": \"text\"}}, found {}",
                json_kind(value)
            ),
        ));
    };
    let tagged = map.len() == 1 && map.keys().all(|k| TAGS.contains(&k.as_str()));
    if !tagged {
        // `{"HP": {"N": "50"}}` is a map missing its `M`; `{"Q": "b"}` is no value.
        let looks_typed = map.keys().any(|k| TAGS.contains(&k.as_str()));
        let holds_values = map.values().all(Value::is_object);
        if lenient && !map.is_empty() && !looks_typed && holds_values {
            repairs.push(error(
                path,
                "not a typed DynamoDB value; read as a map of its fields",
            ));
            return Ok(AttrValue::M(read_map(value, path, lenient, repairs)?));
        }
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        return Err(error(
            path,
            format!(
                "expected exactly one type key (S, N, B, BOOL, NULL, M, L, SS, NS, BS), found {{{}}}",
                keys.join(", ")
            ),
        ));
    }
    let Some((tag, body)) = map.iter().next() else {
        return Err(error(path, "empty value"));
    };
    let here = join(path, tag);
    let text = |repairs: &mut Vec<ValueError>| -> Result<String, ValueError> {
        match body {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) if lenient => {
                repairs.push(error(
                    &here,
                    "a JSON number where DynamoDB JSON has a string; read as text",
                ));
                Ok(n.to_string())
            }
            other => Err(error(
                &here,
                format!("expected a string, found {}", json_kind(other)),
            )),
        }
    };
    let number = |s: String| -> Result<String, ValueError> {
        if is_number(&s) {
            Ok(s)
        } else {
            Err(error(&here, format!("`{s}` is not a number")))
        }
    };
    let list = |repairs: &mut Vec<ValueError>| -> Result<Vec<String>, ValueError> {
        let Value::Array(items) = body else {
            return Err(error(
                &here,
                format!("expected an array, found {}", json_kind(body)),
            ));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, v)| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(n) if lenient => {
                    repairs.push(error(
                        &format!("{here}[{i}]"),
                        "a JSON number where a string belongs; read as text",
                    ));
                    Ok(n.to_string())
                }
                other => Err(error(
                    &format!("{here}[{i}]"),
                    format!("expected a string, found {}", json_kind(other)),
                )),
            })
            .collect()
    };
    Ok(match tag.as_str() {
        "S" => AttrValue::S(text(repairs)?),
        "N" => AttrValue::N(number(text(repairs)?)?),
        "B" => AttrValue::B(text(repairs)?),
        "BOOL" => match body {
            Value::Bool(b) => AttrValue::Bool(*b),
            Value::String(s)
                if lenient && matches!(s.to_ascii_lowercase().as_str(), "true" | "false") =>
            {
                repairs.push(error(
                    &here,
                    "a string where DynamoDB JSON has true or false; read as a boolean",
                ));
                AttrValue::Bool(s.eq_ignore_ascii_case("true"))
            }
            other => {
                return Err(error(
                    &here,
                    format!("expected true or false, found {}", json_kind(other)),
                ));
            }
        },
        "NULL" => AttrValue::Null,
        "M" => AttrValue::M(read_map(body, &here, lenient, repairs)?),
        "L" => {
            let Value::Array(items) = body else {
                return Err(error(
                    &here,
                    format!("expected an array, found {}", json_kind(body)),
                ));
            };
            AttrValue::L(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| read_value(v, &format!("{here}[{i}]"), lenient, repairs))
                    .collect::<Result<_, _>>()?,
            )
        }
        "SS" => AttrValue::SS(list(repairs)?),
        "NS" => AttrValue::NS(
            list(repairs)?
                .into_iter()
                .map(number)
                .collect::<Result<_, _>>()?,
        ),
        "BS" => AttrValue::BS(list(repairs)?),
        _ => unreachable!("the tag was checked against TAGS"),
    })
}

/// How a JSON value is named in messages: `a string`, `an array`.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether `text` is a number as DynamoDB accepts it: an optional sign, digits
/// with at most one decimal point, an optional exponent.
pub fn is_number(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mut parts = mantissa.splitn(2, '.');
    let int = parts.next().unwrap_or("");
    let frac = parts.next().unwrap_or("");
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// Standard base64 (with padding), for binary sample values.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

impl Serialize for AttrValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for AttrValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        AttrValue::from_json(&value).map_err(D::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_every_type() {
        let item = json!({
            "s": {"S": "x"}, "n": {"N": "12.5"}, "b": {"B": "AQI="}, "t": {"BOOL": true},
            "z": {"NULL": true}, "m": {"M": {"a": {"N": "1"}}}, "l": {"L": [{"S": "a"}, {"N": "2"}]},
            "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["AQ=="]}
        });
        let parsed = item_from_json(&item).unwrap();
        assert_eq!(parsed.len(), 10);
        assert_eq!(item_to_json(&parsed), item);
        assert_eq!(parsed["m"].attr_type(), AttrType::M);
    }

    #[test]
    fn strict_errors_name_the_path() {
        let err = item_from_json(&json!({"a": {"M": {"b": {"N": "x1"}}}})).unwrap_err();
        assert_eq!(err.path, "a.M.b.N");
        assert!(err.message.contains("not a number"));
        let err = item_from_json(&json!({"a": {"Q": "1"}})).unwrap_err();
        assert_eq!(err.path, "a");
        let err = item_from_json(&json!({"a": {"L": [{"S": 1}]}})).unwrap_err();
        assert_eq!(err.path, "a.L[0].S");
    }

    #[test]
    fn lenient_reading_repairs_and_says_where() {
        // NoSQL Workbench's own samples hold {"M": {"M": {"HP": {"N": "50"}}}}.
        let mut repairs = Vec::new();
        let item = item_from_json_lenient(
            &json!({"attrs": {"M": {"M": {"HP": {"N": "50"}}}}, "n": {"N": 3}}),
            &mut repairs,
        )
        .unwrap();
        let paths: Vec<_> = repairs.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["attrs.M.M", "n.N"]);
        assert_eq!(item["n"], AttrValue::N("3".into()));
        assert_eq!(item["attrs"].display(), r#"{"M":{"HP":50}}"#);
    }

    #[test]
    fn numbers_and_base64() {
        for ok in ["0", "-1.5", "1e10", ".5", "12.", "+3E-2"] {
            assert!(is_number(ok), "{ok}");
        }
        for bad in ["", "-", "1.2.3", "e5", "1e", "abc"] {
            assert!(!is_number(bad), "{bad}");
        }
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }

    #[test]
    fn serde_uses_dynamodb_json() {
        let v: AttrValue = serde_json::from_str(r#"{"N": "7"}"#).unwrap();
        assert_eq!(v, AttrValue::N("7".into()));
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"N":"7"}"#);
        assert!(serde_json::from_str::<AttrValue>(r#"{"N": "x"}"#).is_err());
    }
}
