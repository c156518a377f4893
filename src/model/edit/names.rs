//! Fresh names for new and copied elements.

/// `base`, or `base2`, `base3`… — the first name `taken` does not hold.
pub fn unique_name(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or_else(|| base.to_string())
}

/// Hands out `base`, `base2`, `base3`… never twice, remembering where each base
/// got to: handing out n names costs O(n) probes in all, where re-probing from
/// `base2` against a list each time was cubic.
#[derive(Default, Debug)]
pub struct FreshNames {
    taken: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, u64>,
}

impl FreshNames {
    /// Names already in use, never handed out.
    pub fn new(taken: impl IntoIterator<Item = String>) -> Self {
        FreshNames {
            taken: taken.into_iter().collect(),
            next: Default::default(),
        }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Marks `name` as in use.
    pub fn reserve(&mut self, name: impl Into<String>) {
        self.taken.insert(name.into());
    }

    /// `base` if free, else the first `base<n>` free after those handed out before.
    pub fn fresh(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let next = self.next.entry(base.to_string()).or_insert(2);
        loop {
            let candidate = format!("{base}{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The next `AP<n>` id `taken` does not hold.
pub fn next_pattern_id(taken: impl Fn(&str) -> bool) -> String {
    (1..)
        .map(|n| format!("AP{n}"))
        .find(|id| !taken(id))
        .unwrap_or_else(|| "AP".to_string())
}

use crate::model::{
    AccessPattern, AttrType, Attribute, Entity, Gsi, KeyAttribute, Lsi, Model, Operation,
    Projection, Table, Uid,
};

/// New elements with fresh names, ready for `Edit::Add…`.
impl Model {
    /// A table named `Table`, `Table2`, … with `PK`/`SK` string keys.
    pub fn new_table(&self) -> Table {
        let name = unique_name("Table", |n| self.table(n).is_some());
        let mut table = Table::new(&name, KeyAttribute::string("PK"));
        table.sort_key = Some(KeyAttribute::string("SK"));
        table
    }

    /// A GSI numbered after the table's `GSI<n>`s, keyed on `GSI<n>PK`/`GSI<n>SK`.
    pub fn new_gsi(&self, table: Uid) -> Option<Gsi> {
        let t = self.table_by_uid(table)?;
        let name = (1..)
            .map(|n| format!("GSI{n}"))
            .find(|n| !super::cascade::index_names(t).any(|i| i == n))?;
        Some(Gsi {
            uid: Default::default(),
            name: name.clone(),
            partition_key: vec![KeyAttribute::string(format!("{name}PK"))],
            sort_key: vec![KeyAttribute::string(format!("{name}SK"))],
            projection: Projection::All,
            provisioned: None,
        })
    }

    /// An LSI named `LSI1`, `LSI2`, … sorted on `LSI<n>SK`.
    pub fn new_lsi(&self, table: Uid) -> Option<Lsi> {
        let t = self.table_by_uid(table)?;
        let name = unique_name("LSI1", |n| super::cascade::index_names(t).any(|i| i == n));
        Some(Lsi {
            uid: Default::default(),
            sort_key: KeyAttribute::string(format!("{name}SK")),
            name,
            projection: Projection::All,
        })
    }

    /// An entity named `Entity`, `Entity2`, … of `table`, with an `id` attribute
    /// written into the partition key and its name in capitals into the sort key.
    pub fn new_entity(&self, table: Uid) -> Option<Entity> {
        let t = self.table_by_uid(table)?;
        let name = unique_name("Entity", |n| self.entity(n).is_some());
        let mut entity = Entity::new(&name, &t.name);
        entity.attributes.push(Attribute::new("id", AttrType::S));
        entity
            .keys
            .insert(t.partition_key.name.clone(), "{id}".to_string());
        if let Some(sk) = &t.sort_key {
            entity
                .keys
                .insert(sk.name.clone(), format!("#{}", name.to_ascii_uppercase()));
        }
        Some(entity)
    }

    /// An attribute named `attribute`, `attribute2`, … for `entity`.
    pub fn new_attribute(&self, entity: Uid) -> Option<Attribute> {
        let e = self.entity_by_uid(entity)?;
        let name = unique_name("attribute", |n| e.attribute(n).is_some());
        Some(Attribute::new(name, AttrType::S))
    }

    /// A Query pattern with the next free `AP<n>` id, reading `entity` if given.
    pub fn new_pattern(&self, entity: Option<&str>) -> AccessPattern {
        let id = next_pattern_id(|n| self.pattern(n).is_some());
        let mut pattern = AccessPattern::new(id, "New access pattern", Operation::Query);
        if let Some(e) = entity.filter(|e| self.entity(e).is_some()) {
            pattern.entities.push(e.to_string());
        }
        pattern
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_count_up() {
        assert_eq!(unique_name("GSI", |n| n == "GSI"), "GSI2");
        assert_eq!(unique_name("T", |_| false), "T");
        let mut names = FreshNames::new(["pk".to_string(), "pk3".to_string()]);
        let handed: Vec<String> = (0..4).map(|_| names.fresh("pk")).collect();
        assert_eq!(handed, ["pk2", "pk4", "pk5", "pk6"]);
        assert_eq!(names.fresh("sk"), "sk");
        // Fifty thousand names of one base: linear, not a probe of every earlier name.
        for _ in 0..50_000 {
            names.fresh("x");
        }
        assert_eq!(names.fresh("x"), "x50001");
        assert_eq!(next_pattern_id(|n| n == "AP1"), "AP2");
    }
}
