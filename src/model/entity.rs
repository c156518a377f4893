//! Entities: the item types stored in a table, with the key templates they write.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ElementId, Source};

use super::Item;

/// DynamoDB's attribute types.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttrType {
    S,
    N,
    B,
    #[serde(rename = "BOOL")]
    Bool,
    #[serde(rename = "NULL")]
    Null,
    M,
    L,
    SS,
    NS,
    BS,
}

impl AttrType {
    pub const ALL: [AttrType; 10] = [
        AttrType::S,
        AttrType::N,
        AttrType::B,
        AttrType::Bool,
        AttrType::Null,
        AttrType::M,
        AttrType::L,
        AttrType::SS,
        AttrType::NS,
        AttrType::BS,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AttrType::S => "S",
            AttrType::N => "N",
            AttrType::B => "B",
            AttrType::Bool => "BOOL",
            AttrType::Null => "NULL",
            AttrType::M => "M",
            AttrType::L => "L",
            AttrType::SS => "SS",
            AttrType::NS => "NS",
            AttrType::BS => "BS",
        }
    }

    /// A typical value size in bytes, used when the model gives none.
    pub fn default_size(self) -> u32 {
        match self {
            AttrType::S | AttrType::B => 20,
            AttrType::N => 8,
            AttrType::Bool | AttrType::Null => 1,
            AttrType::M | AttrType::L | AttrType::SS | AttrType::NS | AttrType::BS => 200,
        }
    }

    pub fn is_scalar_key_type(self) -> bool {
        matches!(self, AttrType::S | AttrType::N | AttrType::B)
    }
}

/// How a timestamp is written; sort keys need a format that sorts as text.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum TimestampFormat {
    /// `2025-03-14T09:26:53Z`
    #[default]
    Iso8601,
    /// `2025-03-14`
    IsoDate,
    EpochSeconds,
    EpochMillis,
    /// A strftime-like pattern such as `%d/%m/%Y`.
    Custom(String),
}

/// How sample values of an attribute are made. Generation is deterministic:
/// the same model and seed give the same items.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Generator {
    /// A random-looking but deterministic UUID.
    Uuid,
    /// `prefix` followed by a zero-padded running number.
    Sequence {
        #[serde(default)]
        prefix: String,
        #[serde(default = "default_width")]
        width: u8,
    },
    Email,
    Username,
    FirstName,
    LastName,
    FullName,
    /// Some words of lorem-ipsum-like text.
    Words {
        min: u16,
        max: u16,
    },
    Integer {
        min: i64,
        max: i64,
    },
    Decimal {
        min: f64,
        max: f64,
        #[serde(default = "default_scale")]
        scale: u8,
    },
    Boolean {
        #[serde(default = "half")]
        true_ratio: f64,
    },
    Timestamp {
        /// ISO-8601 date, the earliest value.
        from: String,
        /// ISO-8601 date, the latest value.
        to: String,
        #[serde(default)]
        format: TimestampFormat,
    },
    /// One of the given values, in turn weighted by position when `weights` is given.
    Choice {
        values: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        weights: Vec<u32>,
    },
    Constant {
        value: String,
    },
    /// A value taken from a generated item of another entity (a foreign key).
    Reference {
        entity: String,
        attribute: String,
    },
    Url {
        #[serde(default)]
        prefix: String,
    },
}

fn default_width() -> u8 {
    6
}
fn default_scale() -> u8 {
    2
}
fn half() -> f64 {
    0.5
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Attribute {
    /// Identity in this run (not saved, not content).
    #[serde(skip)]
    pub uid: ElementId,
    pub name: String,
    #[serde(rename = "type")]
    pub attr_type: AttrType,
    /// Estimated average size of the value in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
    /// Estimated number of distinct values across the entity's items;
    /// absent means every item has its own value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distinct_values: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<Generator>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Where the values come from in the relational source, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The source column is NOT NULL: every item has the attribute.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null: bool,
    /// The source column is UNIQUE: no two items share a value.
    #[serde(default, skip_serializing_if = "is_false")]
    pub unique: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Attribute {
    pub fn new(name: impl Into<String>, attr_type: AttrType) -> Self {
        Self {
            uid: ElementId::default(),
            name: name.into(),
            attr_type,
            size: None,
            distinct_values: None,
            generator: None,
            description: String::new(),
            source: None,
            not_null: false,
            unique: false,
        }
    }

    pub fn value_size(&self) -> u32 {
        self.size.unwrap_or_else(|| self.attr_type.default_size())
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Entity {
    /// Identity in this run (not saved, not content).
    #[serde(skip)]
    pub uid: ElementId,
    pub name: String,
    pub table: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub attributes: Vec<Attribute>,
    /// Key attribute name (of the table or one of its indexes) to the template
    /// this entity writes into it. An entity with no template for an index's
    /// key attributes is absent from that (sparse) index — unless it has an
    /// attribute of that very name, which is then the key value itself.
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// Estimated number of items of this entity.
    #[serde(default = "default_item_count")]
    pub item_count: u64,
    /// Items kept as they are, e.g. imported from another tool: sample-item
    /// generation emits them first and generates only the rest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub example_items: Vec<Item>,
    /// Key attribute name to the alias an imported source gave that key (NoSQL
    /// Workbench's facet alias), so that it is written back as it came while
    /// the key's template is still the one the alias became.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub key_aliases: BTreeMap<String, KeyAlias>,
    /// The relational table the entity's items come from (`users`), if known.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_table: String,
    /// Where each key attribute's value comes from (`PK` ← `users.email`), for
    /// the keys the entity writes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub key_sources: BTreeMap<String, Source>,
}

/// A source's own text for a key (`SubId#SKU`) and the template it was read as
/// (`SUB#{SubId}#SKU#{SKU}`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct KeyAlias {
    pub alias: String,
    pub template: String,
}

fn default_item_count() -> u64 {
    1000
}

impl Entity {
    pub fn new(name: impl Into<String>, table: impl Into<String>) -> Self {
        Self {
            uid: ElementId::default(),
            name: name.into(),
            table: table.into(),
            description: String::new(),
            attributes: Vec::new(),
            keys: BTreeMap::new(),
            item_count: default_item_count(),
            example_items: Vec::new(),
            key_aliases: BTreeMap::new(),
            source_table: String::new(),
            key_sources: BTreeMap::new(),
        }
    }

    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The template this entity writes into a key attribute: the explicit one,
    /// or `{name}` when the entity has an attribute of that name.
    pub fn key_template(&self, key_attribute: &str) -> Option<std::borrow::Cow<'_, str>> {
        if let Some(t) = self.keys.get(key_attribute) {
            return Some(std::borrow::Cow::Borrowed(t.as_str()));
        }
        self.attribute(key_attribute)
            .map(|a| std::borrow::Cow::Owned(format!("{{{}}}", a.name)))
    }

    /// The attributes an item of this entity carries only inside its keys, read
    /// back from the key values by the entity's templates: an item with
    /// `PK = USER#u1` and no `user_id` gives `user_id = u1` for `USER#{user_id}`.
    /// Typed as the entity declares the attribute (a Number when it is one and
    /// the text is a number); attributes the item has are left alone.
    pub fn values_from_keys(&self, item: &Item) -> Item {
        let mut found = Item::new();
        // Two keys that read one placeholder differently give it no value.
        let mut conflicting: Vec<String> = Vec::new();
        for (key, template) in &self.keys {
            let Some(text) = item.get(key).and_then(super::AttrValue::key_text) else {
                continue;
            };
            let Ok(parsed) = super::Template::parse(template) else {
                continue;
            };
            let Some(values) = parsed.match_value(&text) else {
                continue;
            };
            for (name, value) in values {
                if item.contains_key(name) {
                    continue;
                }
                if let Some(earlier) = found.get(name) {
                    if earlier.key_text().as_deref() != Some(value) {
                        conflicting.push(name.to_string());
                    }
                    continue;
                }
                let number = self.attribute(name).map(|a| a.attr_type) == Some(AttrType::N)
                    && value.parse::<f64>().is_ok_and(f64::is_finite);
                let value = if number {
                    super::AttrValue::N(value.to_string())
                } else {
                    super::AttrValue::S(value.to_string())
                };
                found.insert(name.to_string(), value);
            }
        }
        for name in &conflicting {
            found.remove(name);
        }
        found
    }

    /// The item with the attributes it carries only inside its keys added.
    pub fn with_values_from_keys(&self, item: &Item) -> Item {
        let mut whole = item.clone();
        whole.extend(self.values_from_keys(item));
        whole
    }

    /// `key_template`, parsed; the parse borrows the entity's text.
    pub fn parsed_key_template(
        &self,
        key_attribute: &str,
    ) -> Option<Result<super::Template<'_>, super::TemplateError>> {
        if let Some(t) = self.keys.get(key_attribute) {
            return Some(super::Template::parse(t));
        }
        self.attribute(key_attribute)
            .map(|a| Ok(super::Template::placeholder(&a.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AttrValue;

    #[test]
    fn attributes_inside_keys_are_read_back() {
        let mut e = Entity::new("Order", "Shop");
        e.attributes.push(Attribute::new("user_id", AttrType::S));
        e.attributes.push(Attribute::new("total", AttrType::N));
        e.keys.insert("PK".into(), "USER#{user_id}".into());
        e.keys
            .insert("SK".into(), "ORDER#{total:08}#{order_id}".into());
        let item: Item = [
            ("PK".to_string(), AttrValue::S("USER#u1".into())),
            ("SK".to_string(), AttrValue::S("ORDER#00012.50#o7".into())),
            ("order_id".to_string(), AttrValue::S("kept".into())),
        ]
        .into_iter()
        .collect();
        let found = e.values_from_keys(&item);
        assert_eq!(found.get("user_id"), Some(&AttrValue::S("u1".into())));
        assert_eq!(found.get("total"), Some(&AttrValue::N("12.50".into())));
        assert!(
            !found.contains_key("order_id"),
            "the item's own value stays"
        );
        assert_eq!(e.with_values_from_keys(&item).len(), 5);
        // Keys that disagree about a placeholder give it no value.
        e.keys.insert("GSI1PK".into(), "{user_id}".into());
        let mut two = item.clone();
        two.insert("GSI1PK".into(), AttrValue::S("u2".into()));
        assert!(!e.values_from_keys(&two).contains_key("user_id"));
        let mut same = item.clone();
        same.insert("GSI1PK".into(), AttrValue::S("u1".into()));
        assert_eq!(
            e.values_from_keys(&same).get("user_id"),
            Some(&AttrValue::S("u1".into()))
        );
        let other: Item = [("PK".to_string(), AttrValue::S("PRODUCT#p1".into()))]
            .into_iter()
            .collect();
        assert!(e.values_from_keys(&other).is_empty(), "another shape");
    }
}
