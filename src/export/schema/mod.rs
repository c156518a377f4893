//! A table as DynamoDB's CreateTable takes it (TableName, AttributeDefinitions,
//! KeySchema, GlobalSecondaryIndexes, LocalSecondaryIndexes, BillingMode), the
//! shape the MCP validation input and CloudFormation's table properties share.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::model::{Billing, KeyAttribute, Projection, ProvisionedThroughput, StreamView, Table};

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

/// The CreateTable arguments of a table, as JSON (the MCP validation input and
/// CloudFormation's table properties). AttributeDefinitions hold only key
/// attributes. A stream is CreateTable's `StreamSpecification`; time to live,
/// which CreateTable does not take, is written as CloudFormation's
/// `TimeToLiveSpecification`.
pub fn create_table(table: &Table) -> Map<String, Value> {
    render(&TableSpec::from_model(table))
}

/// [`create_table`] of a definition already built.
pub fn render(spec: &TableSpec) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("TableName".into(), json!(spec.name));
    out.insert(
        "AttributeDefinitions".into(),
        Value::Array(
            spec.attributes
                .iter()
                .map(|k| json!({"AttributeName": k.name, "AttributeType": k.key_type.as_str()}))
                .collect(),
        ),
    );
    out.insert(
        "KeySchema".into(),
        key_schema(
            std::slice::from_ref(&spec.partition_key),
            spec.sort_key.as_slice(),
        ),
    );
    let provisioned = spec.billing.provisioned();
    if !spec.gsis.is_empty() {
        let gsis = spec
            .gsis
            .iter()
            .map(|gsi| {
                let mut index = Map::new();
                index.insert("IndexName".into(), json!(gsi.name));
                index.insert(
                    "KeySchema".into(),
                    key_schema(&gsi.partition_key, &gsi.sort_key),
                );
                index.insert("Projection".into(), projection(&gsi.projection));
                if let (Some(_), Some(p)) = (provisioned, gsi.provisioned) {
                    index.insert("ProvisionedThroughput".into(), throughput(p));
                }
                Value::Object(index)
            })
            .collect();
        out.insert("GlobalSecondaryIndexes".into(), Value::Array(gsis));
    }
    if !spec.lsis.is_empty() {
        let lsis = spec
            .lsis
            .iter()
            .map(|lsi| {
                json!({
                    "IndexName": lsi.name,
                    "KeySchema": key_schema(&lsi.partition_key, &lsi.sort_key),
                    "Projection": projection(&lsi.projection),
                })
            })
            .collect();
        out.insert("LocalSecondaryIndexes".into(), Value::Array(lsis));
    }
    match provisioned {
        None => {
            out.insert("BillingMode".into(), json!("PAY_PER_REQUEST"));
        }
        Some(p) => {
            out.insert("BillingMode".into(), json!("PROVISIONED"));
            out.insert("ProvisionedThroughput".into(), throughput(p));
        }
    }
    if let Some(view) = spec.stream {
        out.insert(
            "StreamSpecification".into(),
            json!({"StreamEnabled": true, "StreamViewType": view.as_str()}),
        );
    }
    if let Some(attribute) = &spec.ttl {
        out.insert(
            "TimeToLiveSpecification".into(),
            json!({"AttributeName": attribute, "Enabled": true}),
        );
    }
    out
}

fn key_schema(partition: &[String], sort: &[String]) -> Value {
    let hash = partition.iter().map(|k| (k, "HASH"));
    let range = sort.iter().map(|k| (k, "RANGE"));
    Value::Array(
        hash.chain(range)
            .map(|(k, kind)| json!({"AttributeName": k, "KeyType": kind}))
            .collect(),
    )
}

fn projection(projection: &Projection) -> Value {
    match projection {
        Projection::Include { attributes } => {
            json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": attributes})
        }
        other => json!({"ProjectionType": other.label()}),
    }
}

fn throughput(p: ProvisionedThroughput) -> Value {
    json!({"ReadCapacityUnits": p.read_capacity, "WriteCapacityUnits": p.write_capacity})
}

mod read;

pub use read::{key_type_of, read_projection, read_throughput, table_from_create_table};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::json_read::Walk;
    use crate::export::{NoteKind, Report};
    use crate::model::{Gsi, KeyType, Lsi, TimeToLive};

    fn round_trip(table: &Table) -> (Table, Report) {
        let value = Value::Object(create_table(table));
        let mut report = Report::default();
        let back = table_from_create_table(&Walk::root(&value), &mut report).unwrap();
        (back, report)
    }

    #[test]
    fn tables_round_trip_through_create_table() {
        let mut t = Table::new("Shop", KeyAttribute::string("PK"));
        t.sort_key = Some(KeyAttribute::string("SK"));
        t.gsis.push(Gsi {
            uid: Default::default(),
            name: "GSI1".into(),
            partition_key: vec![
                KeyAttribute::string("a"),
                KeyAttribute::new("b", KeyType::N),
            ],
            sort_key: vec![KeyAttribute::string("c")],
            projection: Projection::Include {
                attributes: vec!["x".into()],
            },
            provisioned: Some(ProvisionedThroughput {
                read_capacity: 3,
                write_capacity: 4,
            }),
        });
        t.lsis.push(Lsi {
            uid: Default::default(),
            name: "ByDate".into(),
            sort_key: KeyAttribute::string("date"),
            projection: Projection::KeysOnly,
        });
        t.billing = Billing::Provisioned {
            read_capacity: 5,
            write_capacity: 6,
        };
        t.ttl = Some(TimeToLive {
            attribute: "expires_at".into(),
        });
        t.stream = Some(StreamView::NewImage);
        let (back, report) = round_trip(&t);
        assert_eq!(back, t);
        assert!(report.is_empty(), "{report:?}");
    }

    #[test]
    fn include_projections_leave_out_key_attributes() {
        let mut t = Table::new("T", KeyAttribute::string("PK"));
        t.gsis.push(Gsi {
            uid: Default::default(),
            name: "G".into(),
            partition_key: vec![KeyAttribute::string("g")],
            sort_key: Vec::new(),
            projection: Projection::Include {
                attributes: vec![
                    "PK".into(),
                    "g".into(),
                    "name".into(),
                    "name".into(),
                    "age".into(),
                ],
            },
            provisioned: None,
        });
        // One definition, for the deployer and the exporters alike: no key attribute,
        // no repeat, in model order.
        let spec = TableSpec::from_model(&t);
        assert_eq!(
            spec.gsis[0].projection,
            Projection::Include {
                attributes: vec!["name".into(), "age".into()]
            }
        );
        let v = Value::Object(create_table(&t));
        assert_eq!(v, Value::Object(render(&spec)));
        // An INCLUDE of key attributes alone is KEYS_ONLY: DynamoDB takes no empty list.
        let mut keys_only = t.clone();
        keys_only.gsis[0].projection = Projection::Include {
            attributes: vec!["PK".into(), "g".into()],
        };
        assert_eq!(
            TableSpec::from_model(&keys_only).gsis[0].projection,
            Projection::KeysOnly
        );
        assert_eq!(
            v["GlobalSecondaryIndexes"][0]["Projection"]["NonKeyAttributes"],
            json!(["name", "age"])
        );
        assert_eq!(v["BillingMode"], "PAY_PER_REQUEST");
        assert!(v.get("ProvisionedThroughput").is_none());
        assert!(
            v["GlobalSecondaryIndexes"][0]
                .get("ProvisionedThroughput")
                .is_none()
        );
    }

    #[test]
    fn ttl_and_streams_are_written_and_read() {
        let mut t = Table::new("Sessions", KeyAttribute::string("id"));
        t.ttl = Some(TimeToLive {
            attribute: "expires".into(),
        });
        t.stream = Some(StreamView::KeysOnly);
        let v = Value::Object(create_table(&t));
        assert_eq!(
            v["TimeToLiveSpecification"],
            json!({"AttributeName": "expires", "Enabled": true})
        );
        assert_eq!(
            v["StreamSpecification"],
            json!({"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"})
        );
        // Disabled in the source: reported, not modelled.
        let off = json!({
            "TableName": "T",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "TimeToLiveSpecification": {"Enabled": false, "AttributeName": "ttl"},
            "StreamSpecification": {"StreamEnabled": false}
        });
        let mut report = Report::default();
        let back = table_from_create_table(&Walk::root(&off), &mut report).unwrap();
        assert_eq!((back.ttl, back.stream), (None, None));
        assert_eq!(report.of_kind(NoteKind::Dropped).count(), 1, "{report:?}");
        let bad = json!({
            "TableName": "T",
            "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
            "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "EVERYTHING"}
        });
        let err = table_from_create_table(&Walk::root(&bad), &mut Report::default()).unwrap_err();
        assert_eq!(err.path, "StreamSpecification.StreamViewType");
    }

    #[test]
    fn malformed_key_schemas_name_their_path() {
        let v = json!({"TableName": "T", "KeySchema": [{"AttributeName": "a", "KeyType": "SORT"}]});
        let err = table_from_create_table(&Walk::root(&v), &mut Report::default()).unwrap_err();
        assert_eq!(err.path, "KeySchema[0].KeyType");
        let v = json!({"TableName": "T", "KeySchema": []});
        let err = table_from_create_table(&Walk::root(&v), &mut Report::default()).unwrap_err();
        assert_eq!(err.path, "KeySchema");
    }
}
