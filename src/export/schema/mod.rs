//! DynamoDB's CreateTable arguments as JSON (TableName, AttributeDefinitions,
//! KeySchema, GlobalSecondaryIndexes, LocalSecondaryIndexes, BillingMode), the
//! shape the MCP validation input and CloudFormation's table properties share,
//! and the reader of that shape. The definition itself is built in
//! `model::schema`.

use serde_json::{Map, Value, json};

pub use crate::model::schema::{IndexSpec, TableSpec, normalized};
use crate::model::{Projection, ProvisionedThroughput, Table};

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
    use crate::model::{Billing, Gsi, KeyAttribute, KeyType, Lsi, StreamView, TimeToLive};

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
