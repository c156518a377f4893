//! Time to live: DynamoDB expires an item only when the table's TTL attribute
//! holds a Number of seconds since the Unix epoch; any other value (a String
//! date, milliseconds) is ignored and the item stays for ever.

use super::{Input, finding};
use crate::analysis::findings::{Finding, Location, Severity};
use crate::model::{AttrType, Generator, KeyType, TimestampFormat};

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    for (t, table) in ctx.model.tables.iter().enumerate() {
        let Some(ttl) = &table.ttl else { continue };
        let name = ttl.attribute.as_str();
        let shared = &ctx.tables[t].name;
        if name.is_empty() {
            out.push(finding(
                "ttl.attribute",
                Severity::Error,
                Location::table(shared),
                format!(
                    "table {} turns time to live on without naming its attribute",
                    table.name
                ),
                "name the attribute that holds each item's expiry time, or turn time to live off",
            ));
            continue;
        }
        if let Some(key) = table
            .indexes()
            .iter()
            .flat_map(|ix| ix.key_attributes())
            .find(|k| k.name == name)
            && key.key_type != KeyType::N
        {
            out.push(finding(
                "ttl.not-a-number",
                Severity::Error,
                Location::table(shared),
                format!(
                    "table {}'s time-to-live attribute `{name}` is a key attribute of type {}: DynamoDB only expires items whose `{name}` is a Number",
                    table.name,
                    key.key_type.as_str()
                ),
                "keep the expiry time in an attribute of its own, a Number of epoch seconds",
            ));
        }
        let mut carried = false;
        for &e in &ctx.tables[t].entities {
            let entity = ctx.entities[e].entity;
            let Some(attr) = entity.attribute(name) else {
                continue;
            };
            carried = true;
            let loc = || Location::attribute(entity.name.as_str(), name);
            if attr.attr_type != AttrType::N {
                out.push(finding(
                    "ttl.not-a-number",
                    Severity::Error,
                    loc(),
                    format!(
                        "{}.{name} is of type {} but is table {}'s time-to-live attribute: DynamoDB only expires items whose `{name}` is a Number of epoch seconds, so these items never expire",
                        entity.name,
                        attr.attr_type.as_str(),
                        table.name
                    ),
                    "make it a Number of seconds since 1970-01-01 (a timestamp generator with format epoch_seconds)",
                ));
            } else if let Some(Generator::Timestamp {
                format: TimestampFormat::EpochMillis,
                ..
            }) = &attr.generator
            {
                out.push(finding(
                    "ttl.not-a-number",
                    Severity::Error,
                    loc(),
                    format!(
                        "{}.{name} holds milliseconds but is table {}'s time-to-live attribute: DynamoDB reads it as seconds, a date tens of thousands of years away, so these items never expire",
                        entity.name, table.name
                    ),
                    "write seconds since 1970-01-01 (format epoch_seconds)",
                ));
            }
        }
        if !carried {
            out.push(finding(
                "ttl.unused",
                Severity::Warning,
                Location::table(shared),
                format!(
                    "table {}'s time-to-live attribute `{name}` is on none of its entities: nothing expires",
                    table.name
                ),
                "add the attribute (a Number of epoch seconds) to the entities that expire",
            ));
        }
    }
}
