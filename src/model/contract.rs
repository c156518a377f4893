//! What a migration contract (`migrationContract.json`) said that the model has
//! no field for: a table's `type` and `estimated_item_size_bytes` as written, the
//! pattern ids it `satisfies`, an entity's `entity_type`, the order its attributes
//! were listed in, fields the format does not define. An optional block of the
//! model file, kept by the contract importer so that the export writes the
//! contract back as it came.
//!
//! Everything here is keyed by name and remembers what its element looked like
//! when it was read (a table's entities, an entity's source table): the exporter
//! uses a kept part only while its element still matches, and derives the rest
//! from the model, so a renamed or removed element never carries stale text.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct ContractLayout {
    /// Fields of the document besides `tables`, as written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Value>,
    /// By DynamoDB table name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, TableLayout>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct TableLayout {
    /// The entities the table held when the contract was read, in order: the
    /// table's kept fields apply only while it holds exactly these.
    #[serde(default)]
    pub entities: Vec<String>,
    /// The table listed its one entity's attributes itself (no `entities`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub attributes_on_table: bool,
    /// The pattern ids the table `satisfies`, as written; ids of patterns the
    /// model has are written only while the analysis places them on the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfies: Option<Vec<String>>,
    /// Table fields that differ from what the model gives.
    #[serde(default, skip_serializing_if = "KeptFields::is_empty")]
    pub kept: KeptFields,
    /// By index name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub gsis: BTreeMap<String, KeptFields>,
    /// By entity name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub entity_layouts: BTreeMap<String, EntityLayout>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct EntityLayout {
    /// The entity's source table when the contract was read: the layout applies
    /// to an entity of this name only while it still comes from there.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_table: String,
    /// The attribute names (keys included) in the order the contract listed
    /// them, when that is not the order the export derives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribute_order: Vec<String>,
    /// Key attribute to the template it had when read, for keys whose source
    /// does not spell that template: the source is written as it came while the
    /// template is still this one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub key_templates: BTreeMap<String, String>,
    /// Entity fields (`entity_type`, others) that differ from what the model gives.
    #[serde(default, skip_serializing_if = "KeptFields::is_empty")]
    pub kept: KeptFields,
}

/// Fields of one JSON object of the contract that differ from what the export
/// derives: written instead of the derived ones, or left out.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct KeptFields {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, Value>,
    /// Fields the export would write that the contract did not have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absent: Vec<String>,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl KeptFields {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.absent.is_empty()
    }

    /// What `written` has or lacks against `derived`. The fields `owned` names
    /// are the model's own: never kept, and left out only while empty.
    pub fn between(
        derived: &Map<String, Value>,
        written: &Map<String, Value>,
        owned: &[&str],
    ) -> Self {
        let mut kept = KeptFields::default();
        for (field, value) in written {
            if !owned.contains(&field.as_str()) && derived.get(field) != Some(value) {
                kept.fields.insert(field.clone(), value.clone());
            }
        }
        for (field, value) in derived {
            let leavable = !owned.contains(&field.as_str()) || is_empty(value);
            if leavable && !written.contains_key(field) {
                kept.absent.push(field.clone());
            }
        }
        kept
    }

    /// Puts the kept fields into a derived object (a field the object has keeps
    /// its place, one it lacks goes at the end) and leaves out the absent ones
    /// (of the model's own fields, only those still empty).
    pub fn apply(&self, object: &mut Map<String, Value>, owned: &[&str]) {
        for (field, value) in &self.fields {
            if !owned.contains(&field.as_str()) {
                object.insert(field.clone(), value.clone());
            }
        }
        for field in &self.absent {
            let leavable =
                !owned.contains(&field.as_str()) || object.get(field).is_some_and(is_empty);
            if leavable {
                object.shift_remove(field);
            }
        }
    }
}

/// An empty list, object or text: what a model's own field is when it has nothing to say.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::String(s) => s.is_empty(),
        Value::Null => true,
        _ => false,
    }
}

impl ContractLayout {
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.tables.is_empty()
    }

    /// The kept layout of a table, while the table holds the entities it held
    /// when the contract was read (`entities`, in model order): under its own
    /// name or, for a table renamed since, under a name `is_table` no longer
    /// knows. With the layout, the name it is kept under.
    pub fn table(
        &self,
        name: &str,
        entities: &[&str],
        is_table: impl Fn(&str) -> bool,
    ) -> Option<(&str, &TableLayout)> {
        let holds = |t: &TableLayout| {
            t.entities
                .iter()
                .map(String::as_str)
                .eq(entities.iter().copied())
        };
        if let Some((kept_name, t)) = self.tables.get_key_value(name) {
            return holds(t).then_some((kept_name.as_str(), t));
        }
        // Entity names are unique in a model: at most one table held these.
        let first = entities.first()?;
        self.tables
            .iter()
            .filter(|(_, t)| t.entities.first().map(String::as_str) == Some(*first))
            .find(|(kept_name, t)| holds(t) && !is_table(kept_name))
            .map(|(kept_name, t)| (kept_name.as_str(), t))
    }
}

impl TableLayout {
    /// The kept layout of an entity, while it comes from the source table it
    /// came from when read.
    pub fn entity(&self, name: &str, source_table: &str) -> Option<&EntityLayout> {
        self.entity_layouts
            .get(name)
            .filter(|e| e.source_table == source_table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn kept_fields_restore_what_was_written() {
        let owned = ["table", "gsis", "satisfies"];
        let derived = object(json!({
            "table": "T", "type": "multi-entity", "gsis": [{"index_name": "G"}],
            "satisfies": [], "size": 10
        }));
        let written = object(json!({"table": "X", "type": "multi", "size": 10, "owner": "team"}));
        let kept = KeptFields::between(&derived, &written, &owned);
        assert_eq!(kept.fields.len(), 2, "{kept:?}");
        assert_eq!(kept.absent, ["satisfies"], "gsis has something to say");
        let mut back = derived.clone();
        kept.apply(&mut back, &owned);
        assert_eq!(
            Value::Object(back),
            json!({"table": "T", "type": "multi", "gsis": [{"index_name": "G"}], "size": 10, "owner": "team"}),
            "the owned fields stay the model's"
        );
        // A pattern placed on the table since: the owned field is written again.
        let mut later = derived.clone();
        later.insert("satisfies".into(), json!(["AP1"]));
        kept.apply(&mut later, &owned);
        assert_eq!(later["satisfies"], json!(["AP1"]));
    }

    #[test]
    fn a_table_layout_applies_only_while_the_table_holds_the_same_entities() {
        let mut layout = ContractLayout::default();
        layout.tables.insert(
            "Users".into(),
            TableLayout {
                entities: vec!["User".into(), "Cart".into()],
                ..TableLayout::default()
            },
        );
        let only_customers = |name: &str| name == "Customers";
        let found = |name, entities: &[&str]| {
            layout
                .table(name, entities, only_customers)
                .map(|(kept, _)| kept.to_string())
        };
        assert_eq!(found("Users", &["User", "Cart"]).as_deref(), Some("Users"));
        assert_eq!(found("Users", &["User"]), None);
        assert_eq!(found("Users", &["Cart", "User"]), None);
        // Users renamed to Customers: the same entities, and no table is called Users.
        assert_eq!(
            found("Customers", &["User", "Cart"]).as_deref(),
            Some("Users")
        );
        assert_eq!(
            layout
                .table("Customers", &["User", "Cart"], |n| n == "Users")
                .map(|(kept, _)| kept),
            None,
            "a table still called Users keeps its own"
        );
        assert_eq!(found("Customers", &[]), None);
    }
}
