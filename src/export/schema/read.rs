//! Reading CreateTable arguments (the MCP file's `tables`, an index written as a
//! DynamoDB KeySchema) back into the model's tables, leniently, saying what was
//! mended and what the model has no place for.

use super::super::json_read::{Result, Walk};
use super::super::{NoteKind, Report};
use crate::model::{
    Billing, Gsi, KeyAttribute, KeyType, Lsi, Projection, ProvisionedThroughput, StreamView, Table,
    TimeToLive,
};

/// Fields of CreateTable the model has no place for.
const UNMODELLED: &[&str] = &[
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
                uid: Default::default(),
                name: g.field("IndexName")?.name()?.to_string(),
                partition_key: keys(&pk, report),
                sort_key: keys(&sk, report),
                projection: read_projection(&g)?,
                // A GSI with the table's own capacity inherits it (as the model says).
                provisioned: match (table.billing.provisioned(), g.opt("ProvisionedThroughput")?) {
                    (Some(t), Some(p)) => Some(read_throughput(&p)?).filter(|p| *p != t),
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
                uid: Default::default(),
                name: l.field("IndexName")?.name()?.to_string(),
                sort_key: KeyAttribute::new(&sk[0], key_type(&sk[0], &schema, report)),
                projection: read_projection(&l)?,
            });
        }
    }
    // DynamoDB takes no key attribute among an INCLUDE's NonKeyAttributes (it
    // projects the keys anyway); the model keeps the list as DynamoDB would.
    let base_keys: Vec<String> = std::iter::once(&table.partition_key)
        .chain(table.sort_key.iter())
        .map(|k| k.name.clone())
        .collect();
    let mut repaired: Vec<(String, Vec<String>)> = Vec::new();
    let mut strip = |index: &str, own: Vec<&str>, projection: &mut Projection| {
        if let Projection::Include { attributes } = projection {
            let before = attributes.len();
            let mut dropped = Vec::new();
            attributes.retain(|a| {
                let key = base_keys.contains(a) || own.contains(&a.as_str());
                if key {
                    dropped.push(a.clone());
                }
                !key
            });
            if attributes.len() != before {
                repaired.push((index.to_string(), dropped));
            }
            // Nothing left to include: the keys alone, as DynamoDB names it.
            if attributes.is_empty() {
                *projection = Projection::KeysOnly;
            }
        }
    };
    for gsi in &mut table.gsis {
        let own: Vec<&str> = gsi
            .partition_key
            .iter()
            .chain(&gsi.sort_key)
            .map(|k| k.name.as_str())
            .collect();
        strip(&gsi.name, own, &mut gsi.projection);
    }
    for lsi in &mut table.lsis {
        strip(
            &lsi.name,
            vec![lsi.sort_key.name.as_str()],
            &mut lsi.projection,
        );
    }
    for (index, dropped) in repaired {
        report.push(
            NoteKind::Repaired,
            format!("{}.{index}.Projection.NonKeyAttributes", w.path()),
            format!(
                "key attributes {} left out of the INCLUDE list: DynamoDB projects keys anyway and takes none there (a list left empty is KEYS_ONLY)",
                dropped
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if let Some(spec) = w.opt("StreamSpecification")? {
        let enabled = match spec.opt("StreamEnabled")? {
            Some(e) => e.bool()?,
            None => true,
        };
        if enabled {
            let view = spec.field("StreamViewType")?;
            let text = view.str()?;
            table.stream = Some(StreamView::parse(text).ok_or_else(|| {
                view.error(format!(
                    "expected KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES, found `{text}`"
                ))
            })?);
        }
    }
    if let Some(spec) = w.opt("TimeToLiveSpecification")? {
        let enabled = match spec.opt("Enabled")? {
            Some(e) => e.bool()?,
            None => true,
        };
        let name = spec.field("AttributeName")?;
        // An enabled time to live needs an attribute: the exports write it back
        // as a name, which every importer refuses empty.
        let attribute = if enabled { name.name()? } else { name.str()? }.to_string();
        if enabled {
            table.ttl = Some(TimeToLive { attribute });
        } else {
            report.push(
                NoteKind::Dropped,
                format!("{}.TimeToLiveSpecification", w.path()),
                format!("time to live on `{attribute}` is disabled: not modelled"),
            );
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
