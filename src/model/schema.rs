//! A table as DynamoDB's CreateTable takes it and DescribeTable returns it: the
//! one place a table definition is built from the model. The exporters render it
//! as JSON, the deployer translates it into the SDK's types, and the migration
//! plan compares two of them.

use serde::{Deserialize, Serialize};

use super::{Billing, KeyAttribute, Projection, ProvisionedThroughput, StreamView, Table};

/// A table's schema as CreateTable takes it and DescribeTable returns it: the one
/// place a table definition is built from the model. The exporters render it as
/// JSON ([`create_table`]); the deployer translates it into the SDK's types and
/// compares it with what an endpoint describes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TableSpec {
    pub name: String,
    /// The key attributes of the table and all its indexes, each once, in schema
    /// order (table, GSIs, LSIs).
    pub attributes: Vec<KeyAttribute>,
    pub partition_key: String,
    pub sort_key: Option<String>,
    pub billing: Billing,
    pub gsis: Vec<IndexSpec>,
    pub lsis: Vec<IndexSpec>,
    /// The time-to-live attribute, when items expire (UpdateTimeToLive after CreateTable).
    #[serde(default)]
    pub ttl: Option<String>,
    /// The stream's view type, when the table has a stream.
    #[serde(default)]
    pub stream: Option<StreamView>,
}

/// A GSI or LSI. Multi-attribute keys list their attributes in key order.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct IndexSpec {
    pub name: String,
    pub partition_key: Vec<String>,
    pub sort_key: Vec<String>,
    /// An `Include` list holds each non-key attribute once, in model order: DynamoDB
    /// takes no key attribute there.
    pub projection: Projection,
    /// A GSI's own capacity; only meaningful when the table is provisioned.
    pub provisioned: Option<ProvisionedThroughput>,
}

impl TableSpec {
    /// The CreateTable input for a table of the model.
    pub fn from_model(table: &Table) -> TableSpec {
        let mut attributes: Vec<KeyAttribute> = Vec::new();
        for index in table.indexes() {
            for key in index.key_attributes() {
                if !attributes.iter().any(|a| a.name == key.name) {
                    attributes.push(key.clone());
                }
            }
        }
        let table_capacity = table.billing.provisioned();
        let names = |keys: &[KeyAttribute]| keys.iter().map(|k| k.name.clone()).collect();
        let base_keys: Vec<&str> = std::iter::once(&table.partition_key)
            .chain(table.sort_key.iter())
            .map(|k| k.name.as_str())
            .collect();
        let projected = |projection: &Projection, index_keys: &[&KeyAttribute]| {
            let mut keys = base_keys.clone();
            keys.extend(index_keys.iter().map(|k| k.name.as_str()));
            non_key_projection(projection, &keys)
        };
        TableSpec {
            name: table.name.clone(),
            attributes,
            partition_key: table.partition_key.name.clone(),
            sort_key: table.sort_key.as_ref().map(|k| k.name.clone()),
            billing: table.billing.clone(),
            gsis: table
                .gsis
                .iter()
                .map(|g| IndexSpec {
                    name: g.name.clone(),
                    partition_key: names(&g.partition_key),
                    sort_key: names(&g.sort_key),
                    projection: projected(
                        &g.projection,
                        &g.partition_key
                            .iter()
                            .chain(&g.sort_key)
                            .collect::<Vec<_>>(),
                    ),
                    // A provisioned table's GSI without its own capacity gets the table's.
                    provisioned: table_capacity.map(|t| g.provisioned.unwrap_or(t)),
                })
                .collect(),
            lsis: table
                .lsis
                .iter()
                .map(|l| IndexSpec {
                    name: l.name.clone(),
                    partition_key: vec![table.partition_key.name.clone()],
                    sort_key: vec![l.sort_key.name.clone()],
                    projection: projected(&l.projection, &[&l.sort_key]),
                    provisioned: None,
                })
                .collect(),
            ttl: table.ttl.as_ref().map(|t| t.attribute.clone()),
            stream: table.stream,
        }
    }

    pub fn gsi(&self, name: &str) -> Option<&IndexSpec> {
        self.gsis.iter().find(|g| g.name == name)
    }
}

/// An `Include` projection without key attributes and duplicates, in model order
/// (KEYS_ONLY when nothing else is left).
fn non_key_projection(projection: &Projection, key_names: &[&str]) -> Projection {
    match projection {
        Projection::Include { attributes } => {
            let mut kept: Vec<String> = Vec::with_capacity(attributes.len());
            for a in attributes {
                if !key_names.contains(&a.as_str()) && !kept.contains(a) {
                    kept.push(a.clone());
                }
            }
            // DynamoDB takes no INCLUDE without a non-key attribute; it projects
            // the keys alone then, which is KEYS_ONLY.
            if kept.is_empty() {
                Projection::KeysOnly
            } else {
                Projection::Include { attributes: kept }
            }
        }
        other => other.clone(),
    }
}

/// A projection with its `Include` list sorted and without duplicates, for comparing
/// two definitions whatever order their lists were written in.
pub fn normalized(projection: &Projection) -> Projection {
    match projection {
        Projection::Include { attributes } => {
            let mut attributes = attributes.clone();
            attributes.sort();
            attributes.dedup();
            Projection::Include { attributes }
        }
        other => other.clone(),
    }
}
