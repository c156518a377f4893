//! GSI minimisation: every GSI costs a write and storage per item it holds, so each
//! one must serve something no other index already serves.

use crate::analysis::fxhash::FxHashMap as HashMap;

use super::{Input, finding};
use crate::analysis::IndexUsage;
use crate::analysis::findings::{Finding, Fix, Location, Severity};
use crate::analysis::resolve::Resolution;
use crate::model::{Edit, Element, IndexKind, KeyAttribute, Operation};

pub fn check(input: &Input, usage: &[IndexUsage], out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    let by_id: HashMap<&str, &Resolution> =
        input.resolutions.iter().map(|r| (&*r.pattern, r)).collect();
    // Each GSI's element by (table, name), looked up once: a search per unused
    // GSI made thousands of them quadratic.
    let mut elements: HashMap<(&str, &str), Element> = HashMap::default();
    for t in &ctx.model.tables {
        for g in &t.gsis {
            // The first of a name, as a search by name finds it.
            elements
                .entry((t.name.as_str(), g.name.as_str()))
                .or_insert(Element::Index {
                    table: t.uid.get(),
                    index: g.uid.get(),
                });
        }
    }
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
            out.push(match elements.get(&(&*usage.table, name)).copied() {
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

    // Each GSI is compared with the GSIs before it through maps keyed by its key
    // schema and by the key values its entities write: linear in the GSIs, one
    // finding per duplicate GSI, naming the first one it repeats.
    for (t, table) in ctx.model.tables.iter().enumerate() {
        let info = &ctx.tables[t];
        let mut by_schema: HashMap<(&[KeyAttribute], &[KeyAttribute]), &str> = HashMap::default();
        let mut by_values: HashMap<ValueSignature, &str> = HashMap::default();
        for (i, a) in table.gsis.iter().enumerate() {
            // The table's indexes are the base table, then its GSIs, then its LSIs.
            let ix = 1 + i;
            let schema = (a.partition_key.as_slice(), a.sort_key.as_slice());
            let signature = value_signature(ctx, info, ix, a);
            let repeated = match by_schema.get(&schema) {
                Some(b) => Some((*b, "the same key schema")),
                None => signature
                    .as_ref()
                    .and_then(|s| by_values.get(s))
                    .map(|b| (*b, "the same key values for every entity")),
            };
            by_schema.entry(schema).or_insert(&a.name);
            if let Some(s) = signature {
                by_values.entry(s).or_insert(&a.name);
            }
            if let Some((b, how)) = repeated {
                out.push(finding(
                    "gsi.duplicate",
                    Severity::Warning,
                    Location::index(&table.name, &a.name),
                    format!("GSI {} of table {} has {how} as {b}", a.name, table.name),
                    format!("drop {} and serve its patterns from {b}", a.name),
                ));
            }
        }
    }
}

/// The key shape of a GSI and, per entity of its table, the templates the
/// entity writes into its keys (`None` for an entity the index does not hold).
type ValueSignature = (usize, usize, Vec<Option<Vec<String>>>);

/// Two GSIs with the same signature hold the same items under the same key
/// values, whatever their key attributes are called. `None` when the index holds
/// no entity (nothing to compare).
fn value_signature(
    ctx: &crate::analysis::Context,
    info: &crate::analysis::context::TableInfo,
    ix: usize,
    gsi: &crate::model::Gsi,
) -> Option<ValueSignature> {
    let mut any = false;
    let per_entity = info
        .entities
        .iter()
        .map(|&e| {
            if !ctx.entities[e].in_index.get(ix).copied().unwrap_or(false) {
                return None;
            }
            any = true;
            Some(
                gsi.partition_key
                    .iter()
                    .chain(&gsi.sort_key)
                    .map(|k| {
                        ctx.template(e, &k.name)
                            .map(ToString::to_string)
                            .unwrap_or_default()
                    })
                    .collect(),
            )
        })
        .collect();
    any.then_some((gsi.partition_key.len(), gsi.sort_key.len(), per_entity))
}
