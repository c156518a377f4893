//! A generated large model (100 tables, 1,000 entities, 5,000 access patterns) that
//! the benchmarks share.

use std::collections::BTreeMap;

use dynamodel::model::{
    AccessPattern, AttrType, Attribute, Entity, Gsi, KeyAttribute, Model, Operation, Projection,
    RangeCondition, RangeOp, Table,
};

/// 100 tables × (10 entities, 3 GSIs), 5,000 access patterns of every kind.
pub fn large_model() -> Model {
    let mut model = Model::new("Large synthetic model");
    for t in 0..100 {
        let mut table = Table::new(format!("Table{t:03}"), KeyAttribute::string("PK"));
        table.sort_key = Some(KeyAttribute::string("SK"));
        for g in 1..=3 {
            table.gsis.push(Gsi {
                uid: Default::default(),
                name: format!("GSI{g}"),
                partition_key: vec![KeyAttribute::string(format!("GSI{g}PK"))],
                sort_key: vec![KeyAttribute::string(format!("GSI{g}SK"))],
                projection: Projection::All,
                provisioned: None,
            });
        }
        for e in 0..10 {
            let name = format!("E{t:03}x{e}");
            let mut entity = Entity::new(&name, &table.name);
            for (a, ty) in [
                ("id", AttrType::S),
                ("owner", AttrType::S),
                ("status", AttrType::S),
                ("created_at", AttrType::S),
                ("amount", AttrType::N),
                ("note", AttrType::S),
            ] {
                let mut attr = Attribute::new(a, ty);
                if a == "status" {
                    attr.distinct_values = Some(5);
                }
                if a == "owner" {
                    attr.distinct_values = Some(10_000);
                }
                entity.attributes.push(attr);
            }
            let mut keys = BTreeMap::new();
            keys.insert("PK".to_string(), "{owner}".to_string());
            keys.insert("SK".to_string(), format!("T{e}#{{created_at}}#{{id}}"));
            keys.insert("GSI1PK".to_string(), "{id}".to_string());
            keys.insert("GSI1SK".to_string(), format!("T{e}"));
            if e % 2 == 0 {
                keys.insert("GSI2PK".to_string(), "{status}".to_string());
                keys.insert("GSI2SK".to_string(), "{created_at}#{id}".to_string());
            }
            if e % 3 == 0 {
                keys.insert("GSI3PK".to_string(), "{owner}#{status}".to_string());
                keys.insert("GSI3SK".to_string(), "{amount:012}".to_string());
            }
            entity.keys = keys;
            entity.item_count = 10_000 + (e as u64) * 5_000;
            model.entities.push(entity);
            for p in 0..5 {
                let n = model.access_patterns.len() + 1;
                let (op, inputs, range): (Operation, &[&str], Option<RangeCondition>) = match p {
                    0 => (
                        Operation::Query,
                        &["owner"],
                        Some(RangeCondition {
                            attribute: "created_at".into(),
                            op: RangeOp::Between,
                        }),
                    ),
                    1 => (Operation::Query, &["id"], None),
                    2 => (Operation::Query, &["status"], None),
                    3 => (Operation::UpdateItem, &["owner", "created_at", "id"], None),
                    _ => (Operation::Query, &["note"], None),
                };
                let mut ap = AccessPattern::new(format!("AP{n}"), format!("pattern {n}"), op);
                ap.entities = vec![name.clone()];
                ap.inputs = inputs.iter().map(|s| s.to_string()).collect();
                ap.range = range;
                ap.items = 10;
                ap.peak_rps = 50.0;
                ap.average_rps = 10.0;
                model.access_patterns.push(ap);
            }
        }
        model.tables.push(table);
    }
    model
}
