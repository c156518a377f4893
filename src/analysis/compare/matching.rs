//! Which element of the old design is which element of the new one: by identity
//! where one model descends from the other (the open model and its last saved
//! version), by name otherwise, and as a rename when an unmatched pair does the
//! same job (a GSI with the same keys serving the same patterns).

use std::collections::BTreeSet;

use crate::analysis::fxhash::FxHashMap as HashMap;
use std::hash::Hash;

use crate::analysis::Analysis;
use crate::model::{Attribute, Entity, Gsi, KeyAttribute, Lsi, Model, Table};

/// An element on one side, the other, or both (positions in each model's list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pair {
    pub old: Option<usize>,
    pub new: Option<usize>,
}

impl Pair {
    pub fn both(self) -> Option<(usize, usize)> {
        Some((self.old?, self.new?))
    }
}

/// The indexes of one table that both designs have.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexPairs {
    pub old_table: usize,
    pub new_table: usize,
    pub gsis: Vec<Pair>,
    pub lsis: Vec<Pair>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Matching {
    /// New design's order, then what only the old design had (in its order).
    pub tables: Vec<Pair>,
    /// One per table both designs have, in `tables` order.
    pub indexes: Vec<IndexPairs>,
    pub entities: Vec<Pair>,
    pub patterns: Vec<Pair>,
    /// For each old pattern, its match in the new design.
    pub old_pattern_to_new: Vec<Option<usize>>,
    pub old_table_to_new: Vec<Option<usize>>,
    pub old_entity_to_new: Vec<Option<usize>>,
}

impl Matching {
    pub fn new(old: &Model, old_analysis: &Analysis, new: &Model, new_analysis: &Analysis) -> Self {
        // A renumbered pattern keeps its description and operation.
        let pattern_job = |p: &crate::model::AccessPattern| {
            (!p.description.is_empty()).then(|| (p.description.clone(), p.operation))
        };
        let patterns = pair_up(
            &old.access_patterns,
            &new.access_patterns,
            |p| p.uid.get(),
            |p| p.id.as_str(),
            pattern_job,
            pattern_job,
        );
        let old_pattern_to_new = inverse(&patterns, old.access_patterns.len());
        // A renamed entity keeps its attributes.
        let attribute_names = |e: &Entity| {
            let names: BTreeSet<String> = e.attributes.iter().map(|a| a.name.clone()).collect();
            (!names.is_empty()).then_some(names)
        };
        let entities = pair_up(
            &old.entities,
            &new.entities,
            |e| e.uid.get(),
            |e| e.name.as_str(),
            attribute_names,
            attribute_names,
        );
        let old_entity_to_new = inverse(&entities, old.entities.len());
        // A renamed table keeps its keys and its entities.
        let table_job = |model: &Model, t: &Table, entity: &dyn Fn(usize) -> Option<usize>| {
            let entities: BTreeSet<Option<usize>> = model
                .entities
                .iter()
                .enumerate()
                .filter(|(_, e)| e.table == t.name)
                .map(|(i, _)| entity(i))
                .collect();
            Some((t.partition_key.clone(), t.sort_key.clone(), entities))
        };
        let tables = pair_up(
            &old.tables,
            &new.tables,
            |t| t.uid.get(),
            |t| t.name.as_str(),
            |t| table_job(old, t, &|i| old_entity_to_new[i]),
            |t| table_job(new, t, &|i| Some(i)),
        );
        let old_table_to_new = inverse(&tables, old.tables.len());
        let old_served = served_by_index(old_analysis, |p| old_pattern_to_new[p]);
        let new_served = served_by_index(new_analysis, Some);
        let no_patterns = Vec::new();
        let indexes = tables
            .iter()
            .filter_map(|p| p.both())
            .map(|(o, n)| {
                let (ot, nt) = (&old.tables[o], &new.tables[n]);
                // A renamed index keeps its keys and serves the same patterns.
                let job = |served: &HashMap<(String, String), Vec<Option<usize>>>,
                           table: &Table,
                           index: &str,
                           keys: Vec<KeyAttribute>| {
                    let patterns = served
                        .get(&(table.name.clone(), index.to_string()))
                        .unwrap_or(&no_patterns)
                        .clone();
                    Some((keys, patterns))
                };
                let gsi_keys = |g: &Gsi| {
                    let mut keys = g.partition_key.clone();
                    keys.push(KeyAttribute::string("|"));
                    keys.extend(g.sort_key.iter().cloned());
                    keys
                };
                let gsis = pair_up(
                    &ot.gsis,
                    &nt.gsis,
                    |g| g.uid.get(),
                    |g| g.name.as_str(),
                    |g| job(&old_served, ot, &g.name, gsi_keys(g)),
                    |g| job(&new_served, nt, &g.name, gsi_keys(g)),
                );
                let lsis = pair_up(
                    &ot.lsis,
                    &nt.lsis,
                    |l| l.uid.get(),
                    |l| l.name.as_str(),
                    |l: &Lsi| job(&old_served, ot, &l.name, vec![l.sort_key.clone()]),
                    |l: &Lsi| job(&new_served, nt, &l.name, vec![l.sort_key.clone()]),
                );
                IndexPairs {
                    old_table: o,
                    new_table: n,
                    gsis,
                    lsis,
                }
            })
            .collect();
        Matching {
            tables,
            indexes,
            entities,
            patterns,
            old_pattern_to_new,
            old_table_to_new,
            old_entity_to_new,
        }
    }

    /// The index pairs of the old table at `old_table`, when the new design has it.
    pub fn indexes_of(&self, old_table: usize) -> Option<&IndexPairs> {
        self.indexes.iter().find(|p| p.old_table == old_table)
    }
}

/// For each (table, index) name, the patterns it serves, as `pattern` maps their
/// positions, sorted.
fn served_by_index(
    analysis: &Analysis,
    pattern: impl Fn(usize) -> Option<usize>,
) -> HashMap<(String, String), Vec<Option<usize>>> {
    let position: HashMap<&str, usize> = analysis
        .resolutions
        .iter()
        .enumerate()
        .map(|(i, r)| (&*r.pattern, i))
        .collect();
    let mut out = HashMap::default();
    for usage in &analysis.index_usage {
        let Some(index) = &usage.index else { continue };
        let mut patterns: Vec<Option<usize>> = usage
            .reads
            .iter()
            .filter_map(|p| position.get(&**p))
            .map(|&p| pattern(p))
            .collect();
        patterns.sort_unstable();
        out.insert((usage.table.to_string(), index.to_string()), patterns);
    }
    out
}

/// For each old position, the new position it is paired with.
fn inverse(pairs: &[Pair], old_len: usize) -> Vec<Option<usize>> {
    let mut out = vec![None; old_len];
    for p in pairs {
        if let Some((o, n)) = p.both() {
            out[o] = Some(n);
        }
    }
    out
}

/// Pairs two lists: same identity first, then same name, then — a rename —
/// the same job (`old_job`/`new_job` give equal keys; the first unpaired new
/// element with an old one's job pairs with it). The result follows the new
/// list's order; old elements left over come last, in their order.
fn pair_up<T, K: Eq + Hash, J: Eq + Hash>(
    old: &[T],
    new: &[T],
    uid: impl Fn(&T) -> K,
    name: impl Fn(&T) -> &str,
    old_job: impl Fn(&T) -> Option<J>,
    new_job: impl Fn(&T) -> Option<J>,
) -> Vec<Pair> {
    let mut new_of_old: Vec<Option<usize>> = vec![None; old.len()];
    let mut taken = vec![false; new.len()];
    let by_uid: HashMap<K, usize> = new.iter().enumerate().map(|(i, x)| (uid(x), i)).collect();
    for (o, x) in old.iter().enumerate() {
        if let Some(&n) = by_uid.get(&uid(x))
            && !taken[n]
        {
            new_of_old[o] = Some(n);
            taken[n] = true;
        }
    }
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, x) in new.iter().enumerate().rev() {
        if !taken[i] {
            by_name.entry(name(x)).or_default().push(i);
        }
    }
    for (o, x) in old.iter().enumerate() {
        if new_of_old[o].is_none()
            && let Some(n) = by_name.get_mut(name(x)).and_then(Vec::pop)
        {
            new_of_old[o] = Some(n);
            taken[n] = true;
        }
    }
    // Only elements whose names found no partner can be renames.
    let mut by_job: HashMap<J, Vec<usize>> = HashMap::default();
    for (i, x) in new.iter().enumerate().rev() {
        if !taken[i]
            && let Some(job) = new_job(x)
        {
            by_job.entry(job).or_default().push(i);
        }
    }
    for (o, x) in old.iter().enumerate() {
        if new_of_old[o].is_none()
            && let Some(job) = old_job(x)
            && let Some(n) = by_job.get_mut(&job).and_then(Vec::pop)
        {
            new_of_old[o] = Some(n);
            taken[n] = true;
        }
    }
    let mut old_of_new: Vec<Option<usize>> = vec![None; new.len()];
    for (o, n) in new_of_old.iter().enumerate() {
        if let Some(n) = n {
            old_of_new[*n] = Some(o);
        }
    }
    let mut out: Vec<Pair> = old_of_new
        .iter()
        .enumerate()
        .map(|(n, o)| Pair {
            old: *o,
            new: Some(n),
        })
        .collect();
    out.extend(
        new_of_old
            .iter()
            .enumerate()
            .filter(|(_, n)| n.is_none())
            .map(|(o, _)| Pair {
                old: Some(o),
                new: None,
            }),
    );
    out
}

/// An entity's attributes paired by identity, then by name (an attribute renamed
/// in another file cannot be told from one removed and one added).
pub fn pair_attributes(old: &[Attribute], new: &[Attribute]) -> Vec<Pair> {
    let no_job = |_: &Attribute| None::<()>;
    pair_up(
        old,
        new,
        |a| a.uid.get(),
        |a| a.name.as_str(),
        no_job,
        no_job,
    )
}
