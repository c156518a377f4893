//! GSI minimisation: every GSI costs a write and storage per item it holds, so each
//! one must serve something no other index already serves.

use crate::analysis::fxhash::FxHashMap as HashMap;

use super::{Input, finding};
use crate::analysis::IndexUsage;
use crate::analysis::findings::{Finding, Fix, Location, Severity};
use crate::analysis::resolve::Resolution;
use crate::model::{Edit, IndexKind, Operation};

pub fn check(input: &Input, usage: &[IndexUsage], out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    let by_id: HashMap<&str, &Resolution> =
        input.resolutions.iter().map(|r| (&*r.pattern, r)).collect();
    for usage in usage.iter().filter(|u| u.kind == IndexKind::Gsi) {
        let name = usage.label();
        if usage.reads.is_empty() {
            let writes = if usage.writes.is_empty() {
                String::new()
            } else {
                format!(", yet {} write to it", usage.writes.join(", "))
            };
            let unused = finding(
                "gsi.unused",
                Severity::Warning,
                Location::index(&usage.table, name),
                format!(
                    "GSI {name} of table {} serves no access pattern{writes}",
                    usage.table
                ),
                "drop it, or pin the pattern it was made for to it",
            );
            out.push(match ctx.model.index_element(&usage.table, name) {
                Some(element) => unused.with_fix(Fix {
                    label: format!("Remove GSI {name} from {}", usage.table),
                    changes: vec![format!(
                        "index {}/{name} removed, with the templates only it used",
                        usage.table
                    )],
                    edit: Edit::Remove(element),
                    // It loses no served pattern, but it deletes what someone may
                    // still mean to use: applied when asked for.
                    safe: false,
                }),
                None => unused,
            });
            continue;
        }
        // Every pattern it serves, the base table serves as well.
        let served_by_base = usage.reads.iter().all(|id| {
            by_id.get(&**id).is_some_and(|r| {
                r.alternatives
                    .iter()
                    .any(|p| p.index_pos == 0 && p.call != Operation::Scan && !p.needs_filter())
            })
        });
        if served_by_base {
            out.push(finding(
                "gsi.redundant",
                Severity::Warning,
                Location::index(&usage.table, name),
                format!(
                    "the base table of {} serves {} as well as GSI {name} does",
                    usage.table,
                    usage.reads.join(", ")
                ),
                "query the base table and drop the GSI",
            ));
        }
    }

    for (t, table) in ctx.model.tables.iter().enumerate() {
        let info = &ctx.tables[t];
        for (i, a) in table.gsis.iter().enumerate() {
            for b in &table.gsis[..i] {
                let same_schema = a.partition_key == b.partition_key && a.sort_key == b.sort_key;
                // Different attribute names, but every entity writes the same values into both.
                let (ia, ib) = (
                    info.indexes
                        .iter()
                        .position(|v| v.name == Some(a.name.as_str())),
                    info.indexes
                        .iter()
                        .position(|v| v.name == Some(b.name.as_str())),
                );
                let same_values = match (ia, ib) {
                    (Some(ia), Some(ib))
                        if a.partition_key.len() == b.partition_key.len()
                            && a.sort_key.len() == b.sort_key.len() =>
                    {
                        let mut any = false;
                        let all = info.entities.iter().all(|&e| {
                            let inf = &ctx.entities[e];
                            if inf.in_index[ia] != inf.in_index[ib] {
                                return false;
                            }
                            if !inf.in_index[ia] {
                                return true;
                            }
                            any = true;
                            let pairs = a
                                .partition_key
                                .iter()
                                .zip(&b.partition_key)
                                .chain(a.sort_key.iter().zip(&b.sort_key));
                            pairs.into_iter().all(|(ka, kb)| {
                                ctx.template(e, &ka.name).map(ToString::to_string)
                                    == ctx.template(e, &kb.name).map(ToString::to_string)
                            })
                        });
                        all && any
                    }
                    _ => false,
                };
                if same_schema || same_values {
                    let how = if same_schema {
                        "the same key schema"
                    } else {
                        "the same key values for every entity"
                    };
                    out.push(finding(
                        "gsi.duplicate",
                        Severity::Warning,
                        Location::index(&table.name, &a.name),
                        format!(
                            "GSI {} of table {} has {how} as {}",
                            a.name, table.name, b.name
                        ),
                        format!("drop {} and serve its patterns from {}", a.name, b.name),
                    ));
                }
            }
        }
    }
}
