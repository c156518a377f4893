//! A CloudFormation template with one `AWS::DynamoDB::Table` per table: keys,
//! GSIs, LSIs and billing, as JSON or YAML.

use serde_json::{Map, Value, json};

use super::{Exported, NoteKind, Report, pretty, schema, yaml};
use crate::model::Model;

pub fn export(model: &Model, as_yaml: bool) -> Exported {
    let mut report = Report::default();
    let mut resources = Map::new();
    for table in &model.tables {
        let id = logical_id(&table.name, &resources);
        let mut properties = schema::create_table(table);
        // CloudFormation's StreamSpecification is the view type alone: a table
        // resource with a StreamSpecification has a stream.
        if let Some(Value::Object(stream)) = properties.get_mut("StreamSpecification") {
            stream.remove("StreamEnabled");
        }
        resources.insert(
            id,
            json!({
                "Type": "AWS::DynamoDB::Table",
                "Properties": Value::Object(properties),
            }),
        );
    }
    if !model.entities.is_empty() || !model.access_patterns.is_empty() {
        report.push(
            NoteKind::Dropped,
            "model",
            format!(
                "a template creates tables only: {} entities, their sample items and {} access patterns are not part of it",
                model.entities.len(),
                model.access_patterns.len()
            ),
        );
    }
    let template = json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!("DynamoDB tables of {} (exported by dynamodel)", model.name),
        "Resources": Value::Object(resources),
    });
    let text = if as_yaml {
        yaml::to_yaml(&template)
    } else {
        pretty(&template)
    };
    Exported { text, report }
}

/// A logical resource id: the table name's letters and digits, `Table` after
/// them, unique within the template.
fn logical_id(table: &str, taken: &Map<String, Value>) -> String {
    let mut base: String = table.chars().filter(char::is_ascii_alphanumeric).collect();
    if !base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base.insert(0, 'T');
    }
    base.push_str("Table");
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains_key(&id) {
        id = format!("{base}{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyAttribute, Table};

    #[test]
    fn streams_and_time_to_live_as_cloudformation_takes_them() {
        let mut m = Model::new("Shop");
        let mut t = Table::new("Sessions", KeyAttribute::string("id"));
        t.stream = Some(crate::model::StreamView::NewImage);
        t.ttl = Some(crate::model::TimeToLive {
            attribute: "expires".into(),
        });
        m.tables.push(t);
        let v: Value = serde_json::from_str(&export(&m, false).text).unwrap();
        let p = &v["Resources"]["SessionsTable"]["Properties"];
        assert_eq!(
            p["StreamSpecification"],
            json!({"StreamViewType": "NEW_IMAGE"})
        );
        assert_eq!(
            p["TimeToLiveSpecification"],
            json!({"AttributeName": "expires", "Enabled": true})
        );
    }

    #[test]
    fn one_resource_per_table_with_unique_ids() {
        let mut m = Model::new("Shop");
        m.tables
            .push(Table::new("order-items", KeyAttribute::string("PK")));
        m.tables
            .push(Table::new("order_items", KeyAttribute::string("PK")));
        m.tables
            .push(Table::new("2024", KeyAttribute::string("PK")));
        let out = export(&m, false);
        let v: Value = serde_json::from_str(&out.text).unwrap();
        let ids: Vec<&String> = v["Resources"].as_object().unwrap().keys().collect();
        assert_eq!(ids, ["orderitemsTable", "orderitemsTable2", "T2024Table"]);
        assert_eq!(
            v["Resources"]["T2024Table"]["Properties"]["TableName"],
            "2024"
        );
        let yaml = export(&m, true).text;
        assert!(yaml.contains("Type: \"AWS::DynamoDB::Table\""), "{yaml}");
        assert!(yaml.contains("TableName: order-items"), "{yaml}");
    }
}
