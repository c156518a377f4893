//! Sort-key design: range conditions on the right placeholder, numbers and dates
//! that sort as text.

use super::{Input, PatternInput, finding, index_label};
use crate::analysis::findings::{Finding, Fix, Location, Severity};
use crate::model::{
    AttrType, Edit, Entity, Generator, KeyType, Segment, Template, TimestampFormat,
};

/// Pads every unpadded `{attribute}` of the template to ten digits (any 32-bit
/// count fits).
fn zero_pad_fix(entity: &Entity, key: &str, template: &Template, attribute: &str) -> Fix {
    let segments: Vec<Segment> = template
        .segments
        .iter()
        .map(|s| match s {
            Segment::Placeholder {
                attribute: a,
                width: None,
                column,
            } if a == attribute => Segment::Placeholder {
                attribute: a.clone(),
                width: Some(10),
                column: *column,
            },
            other => other.clone(),
        })
        .collect();
    let padded = crate::model::template::segments_text(&segments);
    Fix {
        label: format!("Zero-pad {attribute} in {}[{key}]", entity.name),
        changes: vec![format!(
            "{}[{key}]: `{template}` becomes `{padded}`",
            entity.name
        )],
        edit: Edit::SetTemplate {
            entity: entity.uid.get(),
            key: key.to_string(),
            template: Some(padded),
        },
        // Example items keep the key values they were written with.
        safe: entity.example_items.is_empty(),
    }
}

pub fn check(input: &Input, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    // The key attributes already looked at, one entity at a time (one buffer for all).
    let mut seen: Vec<&str> = Vec::new();
    for (e, info) in ctx.entities.iter().enumerate() {
        seen.clear();
        let Some(t) = info.table else { continue };
        for view in &ctx.tables[t].indexes {
            for key in &view.sort_key {
                if key.key_type != KeyType::S || seen.contains(&key.name.as_str()) {
                    continue;
                }
                seen.push(&key.name);
                let Some(tpl) = ctx.template(e, &key.name) else {
                    continue;
                };
                for segment in &tpl.segments {
                    let Segment::Placeholder {
                        attribute, width, ..
                    } = segment
                    else {
                        continue;
                    };
                    let Some(attr) = info.entity.attribute(attribute) else {
                        continue;
                    };
                    let loc = || Location::template(&info.name, ctx.key_name(t, &key.name));
                    if attr.attr_type == AttrType::N && width.is_none() {
                        let f = finding(
                            "sort-key.number-width",
                            Severity::Warning,
                            loc(),
                            format!(
                                "{}[{}] = `{tpl}` writes the number {attribute} as text without a fixed width: \"10\" sorts before \"9\"",
                                info.entity.name, key.name
                            ),
                            format!("zero-pad it: {{{attribute}:010}}"),
                        );
                        out.push(f.with_fix(zero_pad_fix(info.entity, &key.name, tpl, attribute)));
                    }
                    if let Some(Generator::Timestamp { format, .. }) = &attr.generator {
                        let sortable = match format {
                            TimestampFormat::Iso8601 | TimestampFormat::IsoDate => true,
                            TimestampFormat::EpochSeconds | TimestampFormat::EpochMillis => {
                                attr.attr_type != AttrType::N || width.is_some()
                            }
                            TimestampFormat::Custom(f) => is_sortable_date_format(f),
                        };
                        if !sortable {
                            out.push(finding(
                                "sort-key.date-format",
                                Severity::Warning,
                                loc(),
                                format!(
                                    "{}[{}] = `{tpl}` writes the date {attribute} in a format that does not sort by time",
                                    info.entity.name, key.name
                                ),
                                "write dates as ISO-8601 (2025-03-14T09:26:53Z): text order is then time order",
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// A range the resolver had to filter, though a sort key holds the attribute.
pub fn check_pattern(input: &Input, at: PatternInput, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    let (p, r, pattern) = (at.position, at.resolution, at.pattern);
    let (Some(range), Some(plan)) = (&pattern.range, &r.plan) else {
        return;
    };
    if !plan.filters.contains(&range.attribute) {
        return;
    }
    let Some(e) = ctx.primary_entity(p) else {
        return;
    };
    let Some(t) = ctx.entities[e].table else {
        return;
    };
    for view in &ctx.tables[t].indexes {
        for key in &view.sort_key {
            let Some(tpl) = ctx.template(e, &key.name) else {
                continue;
            };
            let names: Vec<&str> = tpl.placeholders().collect();
            let Some(pos) = names.iter().position(|n| *n == range.attribute) else {
                continue;
            };
            let before: Vec<&str> = names[..pos]
                .iter()
                .copied()
                .filter(|n| !pattern.inputs.iter().any(|i| i == n))
                .collect();
            let why = if before.is_empty() {
                "the partition key of that index is not known".to_string()
            } else {
                format!(
                    "it comes after {}, which the pattern does not know",
                    before.join(", ")
                )
            };
            out.push(finding(
                "sort-key.range-attribute",
                Severity::Warning,
                Location::pattern(&pattern.id),
                format!(
                    "{}'s range on {} cannot be a key condition on {} (`{tpl}`): {why}",
                    pattern.id,
                    range.attribute,
                    index_label(view)
                ),
                "put the range attribute right after the attributes the pattern knows",
            ));
        }
    }
}

/// A strftime pattern sorts by time when its fields run from year down to seconds
/// and each is fixed-width.
fn is_sortable_date_format(format: &str) -> bool {
    let unsortable = ["%b", "%B", "%e", "%y", "%a", "%A", "%p", "%I"];
    if unsortable.iter().any(|f| format.contains(f)) {
        return false;
    }
    let order = ["%Y", "%m", "%d", "%H", "%M", "%S"];
    let positions: Vec<Option<usize>> = order.iter().map(|f| format.find(f)).collect();
    let present = positions.iter().take_while(|p| p.is_some()).count();
    if present == 0 || positions[present..].iter().any(Option::is_some) {
        return false;
    }
    positions[..present].windows(2).all(|w| w[0] < w[1])
}

#[cfg(test)]
mod tests {
    use super::is_sortable_date_format;

    #[test]
    fn date_formats() {
        assert!(is_sortable_date_format("%Y-%m-%d"));
        assert!(is_sortable_date_format("%Y%m%dT%H%M%S"));
        assert!(!is_sortable_date_format("%d/%m/%Y"));
        assert!(!is_sortable_date_format("%Y-%d"));
        assert!(!is_sortable_date_format("%Y %b %d"));
    }
}
