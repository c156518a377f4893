//! A table as DynamoDB's CreateTable takes it (TableName, AttributeDefinitions,
//! KeySchema, GlobalSecondaryIndexes, LocalSecondaryIndexes, BillingMode), the
//! shape the MCP validation input and CloudFormation's table properties share.

use serde_json::{Map, Value, json};

use super::json_read::{Result, Walk};
use super::{NoteKind, Report};
use crate::model::{
    Billing, Gsi, KeyAttribute, KeyType, Lsi, Projection, ProvisionedThroughput, Table,
};

/// The CreateTable arguments of a table. AttributeDefinitions hold only key attributes.
pub fn create_table(table: &Table) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("TableName".into(), json!(table.name));
    out.insert(
        "AttributeDefinitions".into(),
        Value::Array(attribute_definitions(table)),
    );
    out.insert(
        "KeySchema".into(),
        key_schema(
            &[&table.partition_key],
            &table.sort_key.iter().collect::<Vec<_>>(),
        ),
    );
    let provisioned = table.billing.provisioned();
    let base_keys: Vec<&str> = std::iter::once(&table.partition_key)
        .chain(table.sort_key.iter())
        .map(|k| k.name.as_str())
        .collect();
    if !table.gsis.is_empty() {
        let gsis = table
            .gsis
            .iter()
            .map(|gsi| {
                let pk: Vec<&KeyAttribute> = gsi.partition_key.iter().collect();
                let sk: Vec<&KeyAttribute> = gsi.sort_key.iter().collect();
                let mut keys = base_keys.clone();
                keys.extend(pk.iter().chain(&sk).map(|k| k.name.as_str()));
                let mut index = Map::new();
                index.insert("IndexName".into(), json!(gsi.name));
                index.insert("KeySchema".into(), key_schema(&pk, &sk));
                index.insert("Projection".into(), projection(&gsi.projection, &keys));
                if let Some(p) = provisioned {
                    let p = gsi.provisioned.unwrap_or(p);
                    index.insert("ProvisionedThroughput".into(), throughput(p));
                }
                Value::Object(index)
            })
            .collect();
        out.insert("GlobalSecondaryIndexes".into(), Value::Array(gsis));
    }
    if !table.lsis.is_empty() {
        let lsis = table
            .lsis
            .iter()
            .map(|lsi| {
                let mut keys = base_keys.clone();
                keys.push(&lsi.sort_key.name);
                json!({
                    "IndexName": lsi.name,
                    "KeySchema": key_schema(&[&table.partition_key], &[&lsi.sort_key]),
                    "Projection": projection(&lsi.projection, &keys),
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
    out
}

/// Every key attribute of the table and its indexes, once, with its type.
pub fn attribute_definitions(table: &Table) -> Vec<Value> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for index in table.indexes() {
        for key in index.key_attributes() {
            if !seen.contains(&key.name.as_str()) {
                seen.push(&key.name);
                out.push(
                    json!({"AttributeName": key.name, "AttributeType": key.key_type.as_str()}),
                );
            }
        }
    }
    out
}

fn key_schema(partition: &[&KeyAttribute], sort: &[&KeyAttribute]) -> Value {
    let hash = partition.iter().map(|k| (k, "HASH"));
    let range = sort.iter().map(|k| (k, "RANGE"));
    Value::Array(
        hash.chain(range)
            .map(|(k, kind)| json!({"AttributeName": k.name, "KeyType": kind}))
            .collect(),
    )
}

/// A projection; INCLUDE lists only non-key attributes, as DynamoDB requires.
fn projection(projection: &Projection, key_names: &[&str]) -> Value {
    match projection {
        Projection::Include { attributes } => {
            let non_key: Vec<&String> = attributes
                .iter()
                .filter(|a| !key_names.contains(&a.as_str()))
                .collect();
            json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": non_key})
        }
        other => json!({"ProjectionType": other.label()}),
    }
}

fn throughput(p: ProvisionedThroughput) -> Value {
    json!({"ReadCapacityUnits": p.read_capacity, "WriteCapacityUnits": p.write_capacity})
}

/// Fields of CreateTable the model has no place for.
const UNMODELLED: &[&str] = &[
    "StreamSpecification",
    "SSESpecification",
    "Tags",
    "TableClass",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "ResourcePolicy",
];

/// Reads CreateTable arguments back into a table.
pub fn table_from_create_table(w: &Walk, report: &mut Report) -> Result<Table> {
    let name = w.field("TableName")?.name()?.to_string();
    let definitions = definitions(w)?;
    let key_type = |attribute: &str, at: &Walk, report: &mut Report| -> KeyType {
        match definitions.iter().find(|(n, _)| n == attribute) {
            Some((_, t)) => *t,
            None => {
                report.push(
                    NoteKind::Inferred,
                    at.path(),
                    format!(
                        "`{attribute}` has no AttributeDefinitions entry; read as a string (S)"
                    ),
                );
                KeyType::S
            }
        }
    };
    let schema = w.field("KeySchema")?;
    let (pk, sk) = read_key_schema(&schema)?;
    if pk.len() != 1 || sk.len() > 1 {
        return Err(schema.error(format!(
            "a table's KeySchema has one HASH and at most one RANGE attribute, not {} and {}",
            pk.len(),
            sk.len()
        )));
    }
    let partition_key = KeyAttribute::new(&pk[0], key_type(&pk[0], &schema, report));
    let mut table = Table::new(name, partition_key);
    table.sort_key = sk
        .first()
        .map(|s| KeyAttribute::new(s, key_type(s, &schema, report)));

    let provisioned = match w.opt("ProvisionedThroughput")? {
        Some(p) => Some(read_throughput(&p)?),
        None => None,
    };
    let mode = match w.opt("BillingMode")? {
        Some(m) => Some(m.str()?),
        None => None,
    };
    table.billing = match (mode, provisioned) {
        (Some("PAY_PER_REQUEST") | None, None) => Billing::OnDemand,
        (Some("PAY_PER_REQUEST"), Some(_)) => {
            report.push(
                NoteKind::Dropped,
                w.path(),
                "ProvisionedThroughput of an on-demand table ignored",
            );
            Billing::OnDemand
        }
        (Some("PROVISIONED") | None, Some(p)) => Billing::Provisioned {
            read_capacity: p.read_capacity,
            write_capacity: p.write_capacity,
        },
        (Some("PROVISIONED"), None) => {
            return Err(w.error("BillingMode PROVISIONED needs a ProvisionedThroughput"));
        }
        (Some(other), _) => {
            return Err(w.field("BillingMode")?.error(format!(
                "expected PAY_PER_REQUEST or PROVISIONED, found `{other}`"
            )));
        }
    };

    if let Some(list) = w.opt("GlobalSecondaryIndexes")? {
        for g in list.items()? {
            let schema = g.field("KeySchema")?;
            let (pk, sk) = read_key_schema(&schema)?;
            if pk.is_empty() || pk.len() > 4 || sk.len() > 4 {
                return Err(schema.error(format!(
                    "a GSI's KeySchema has 1-4 HASH and 0-4 RANGE attributes, not {} and {}",
                    pk.len(),
                    sk.len()
                )));
            }
            let keys = |names: &[String], report: &mut Report| {
                names
                    .iter()
                    .map(|n| KeyAttribute::new(n, key_type(n, &schema, report)))
                    .collect::<Vec<_>>()
            };
            table.gsis.push(Gsi {
                name: g.field("IndexName")?.name()?.to_string(),
                partition_key: keys(&pk, report),
                sort_key: keys(&sk, report),
                projection: read_projection(&g)?,
                provisioned: match (&table.billing, g.opt("ProvisionedThroughput")?) {
                    (Billing::Provisioned { .. }, Some(p)) => Some(read_throughput(&p)?),
                    _ => None,
                },
            });
        }
    }
    if let Some(list) = w.opt("LocalSecondaryIndexes")? {
        for l in list.items()? {
            let schema = l.field("KeySchema")?;
            let (pk, sk) = read_key_schema(&schema)?;
            if pk.len() != 1 || pk[0] != table.partition_key.name || sk.len() != 1 {
                return Err(schema.error(format!(
                    "an LSI's KeySchema is the table's partition key `{}` (HASH) and one RANGE attribute",
                    table.partition_key.name
                )));
            }
            table.lsis.push(Lsi {
                name: l.field("IndexName")?.name()?.to_string(),
                sort_key: KeyAttribute::new(&sk[0], key_type(&sk[0], &schema, report)),
                projection: read_projection(&l)?,
            });
        }
    }
    for field in UNMODELLED {
        if w.opt(field)?.is_some() {
            report.push(
                NoteKind::Dropped,
                format!("{}.{field}", w.path()),
                "the model has no place for this setting",
            );
        }
    }
    Ok(table)
}

fn definitions(w: &Walk) -> Result<Vec<(String, KeyType)>> {
    let Some(list) = w.opt("AttributeDefinitions")? else {
        return Ok(Vec::new());
    };
    list.items()?
        .iter()
        .map(|d| {
            let name = d.field("AttributeName")?.name()?.to_string();
            let t = d.field("AttributeType")?;
            Ok((name, key_type_of(&t)?))
        })
        .collect()
}

pub fn key_type_of(w: &Walk) -> Result<KeyType> {
    match w.str()? {
        "S" => Ok(KeyType::S),
        "N" => Ok(KeyType::N),
        "B" => Ok(KeyType::B),
        other => Err(w.error(format!("a key attribute is S, N or B, not `{other}`"))),
    }
}

/// (HASH attributes, RANGE attributes) of a KeySchema, in order.
fn read_key_schema(w: &Walk) -> Result<(Vec<String>, Vec<String>)> {
    let (mut hash, mut range) = (Vec::new(), Vec::new());
    for k in w.items()? {
        let name = k.field("AttributeName")?.name()?.to_string();
        let kind = k.field("KeyType")?;
        match kind.str()? {
            "HASH" => hash.push(name),
            "RANGE" => range.push(name),
            other => return Err(kind.error(format!("expected HASH or RANGE, found `{other}`"))),
        }
    }
    Ok((hash, range))
}

pub fn read_projection(index: &Walk) -> Result<Projection> {
    let Some(p) = index.opt("Projection")? else {
        return Ok(Projection::All);
    };
    let kind = p.field("ProjectionType")?;
    Ok(match kind.str()? {
        "ALL" => Projection::All,
        "KEYS_ONLY" => Projection::KeysOnly,
        "INCLUDE" => Projection::Include {
            attributes: match p.opt("NonKeyAttributes")? {
                Some(list) => list.strings()?.into_iter().map(str::to_string).collect(),
                None => Vec::new(),
            },
        },
        other => {
            return Err(kind.error(format!(
                "expected ALL, KEYS_ONLY or INCLUDE, found `{other}`"
            )));
        }
    })
}

pub fn read_throughput(w: &Walk) -> Result<ProvisionedThroughput> {
    Ok(ProvisionedThroughput {
        read_capacity: w.field("ReadCapacityUnits")?.u64()?,
        write_capacity: w.field("WriteCapacityUnits")?.u64()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
            name: "ByDate".into(),
            sort_key: KeyAttribute::string("date"),
            projection: Projection::KeysOnly,
        });
        t.billing = Billing::Provisioned {
            read_capacity: 5,
            write_capacity: 6,
        };
        let (back, report) = round_trip(&t);
        assert_eq!(back, t);
        assert!(report.is_empty(), "{report:?}");
    }

    #[test]
    fn include_projections_leave_out_key_attributes() {
        let mut t = Table::new("T", KeyAttribute::string("PK"));
        t.gsis.push(Gsi {
            name: "G".into(),
            partition_key: vec![KeyAttribute::string("g")],
            sort_key: Vec::new(),
            projection: Projection::Include {
                attributes: vec!["PK".into(), "g".into(), "name".into()],
            },
            provisioned: None,
        });
        let v = Value::Object(create_table(&t));
        assert_eq!(
            v["GlobalSecondaryIndexes"][0]["Projection"]["NonKeyAttributes"],
            json!(["name"])
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
    fn malformed_key_schemas_name_their_path() {
        let v = json!({"TableName": "T", "KeySchema": [{"AttributeName": "a", "KeyType": "SORT"}]});
        let err = table_from_create_table(&Walk::root(&v), &mut Report::default()).unwrap_err();
        assert_eq!(err.path, "KeySchema[0].KeyType");
        let v = json!({"TableName": "T", "KeySchema": []});
        let err = table_from_create_table(&Walk::root(&v), &mut Report::default()).unwrap_err();
        assert_eq!(err.path, "KeySchema");
    }
}
