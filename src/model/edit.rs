//! Structural edits that keep a model's cross-references whole: renaming a table
//! moves its entities along, renaming an entity updates the patterns that read it,
//! and so on. The workbench's edits go through these; they are pure and tested here.

use super::{AccessPattern, Entity, Generator, Gsi, KeyAttribute, Model, Projection, Table};

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

impl Model {
    /// Renames a table and points its entities and the conventions block at the new name.
    pub fn rename_table(&mut self, old: &str, new: &str) {
        for table in self.tables.iter_mut().filter(|t| t.name == old) {
            table.name = new.to_string();
        }
        for entity in self.entities.iter_mut().filter(|e| e.table == old) {
            entity.table = new.to_string();
        }
        if let Some(conventions) = &mut self.conventions {
            for expected in conventions
                .expected_tables
                .iter_mut()
                .filter(|t| t.name == old)
            {
                expected.name = new.to_string();
            }
        }
    }

    /// Renames an entity everywhere it is named: patterns and reference generators.
    pub fn rename_entity(&mut self, old: &str, new: &str) {
        for entity in self.entities.iter_mut() {
            if entity.name == old {
                entity.name = new.to_string();
            }
            for attr in entity.attributes.iter_mut() {
                if let Some(Generator::Reference { entity: target, .. }) = &mut attr.generator
                    && target == old
                {
                    *target = new.to_string();
                }
            }
        }
        for pattern in self.access_patterns.iter_mut() {
            for name in pattern.entities.iter_mut().filter(|n| *n == old) {
                *name = new.to_string();
            }
        }
    }

    /// Renames a GSI or LSI of `table` and the patterns pinned to it.
    pub fn rename_index(&mut self, table: &str, old: &str, new: &str) {
        let Some(t) = self.tables.iter_mut().find(|t| t.name == table) else {
            return;
        };
        for gsi in t.gsis.iter_mut().filter(|g| g.name == old) {
            gsi.name = new.to_string();
        }
        for lsi in t.lsis.iter_mut().filter(|l| l.name == old) {
            lsi.name = new.to_string();
        }
        let entities: Vec<String> = self
            .entities
            .iter()
            .filter(|e| e.table == table)
            .map(|e| e.name.clone())
            .collect();
        for pattern in self.access_patterns.iter_mut() {
            let on_table = pattern
                .primary_entity()
                .is_some_and(|p| entities.iter().any(|e| e == p));
            if on_table && pattern.index.as_deref() == Some(old) {
                pattern.index = Some(new.to_string());
            }
        }
    }

    /// Renames a key attribute of `table` (in every index that uses it) and the
    /// entities' templates for it.
    pub fn rename_key_attribute(&mut self, table: &str, old: &str, new: &str) {
        let Some(t) = self.tables.iter_mut().find(|t| t.name == table) else {
            return;
        };
        let rename = |k: &mut KeyAttribute| {
            if k.name == old {
                k.name = new.to_string();
            }
        };
        rename(&mut t.partition_key);
        if let Some(sk) = &mut t.sort_key {
            rename(sk);
        }
        for gsi in t.gsis.iter_mut() {
            gsi.partition_key.iter_mut().for_each(rename);
            gsi.sort_key.iter_mut().for_each(rename);
        }
        for lsi in t.lsis.iter_mut() {
            rename(&mut lsi.sort_key);
        }
        for entity in self.entities.iter_mut().filter(|e| e.table == table) {
            if let Some(template) = entity.keys.remove(old) {
                entity.keys.insert(new.to_string(), template);
            }
        }
    }

    /// Renames an attribute of an entity, and the templates, inputs and projections naming it.
    pub fn rename_attribute(&mut self, entity: &str, old: &str, new: &str) {
        let Some(e) = self.entities.iter_mut().find(|e| e.name == entity) else {
            return;
        };
        for attr in e.attributes.iter_mut().filter(|a| a.name == old) {
            attr.name = new.to_string();
        }
        let from = format!("{{{old}}}");
        let from_padded = format!("{{{old}:");
        for template in e.keys.values_mut() {
            *template = template
                .replace(&from, &format!("{{{new}}}"))
                .replace(&from_padded, &format!("{{{new}:"));
        }
        for pattern in self
            .access_patterns
            .iter_mut()
            .filter(|p| p.entities.iter().any(|n| n == entity))
        {
            for input in pattern.inputs.iter_mut().filter(|i| *i == old) {
                *input = new.to_string();
            }
            if let Some(range) = &mut pattern.range
                && range.attribute == old
            {
                range.attribute = new.to_string();
            }
        }
        // The table's time to live follows, unless another of its entities still
        // carries the old name.
        let table_name = e.table.clone();
        let others_keep_it = self
            .entities
            .iter()
            .any(|o| o.table == table_name && o.name != entity && o.attribute(old).is_some());
        if !others_keep_it
            && let Some(table) = self.tables.iter_mut().find(|t| t.name == table_name)
            && let Some(ttl) = &mut table.ttl
            && ttl.attribute == old
        {
            ttl.attribute = new.to_string();
        }
    }

    /// Removes a table with its entities; patterns keep their (now dangling)
    /// entity names so the checks say what lost its home.
    pub fn remove_table(&mut self, name: &str) {
        self.tables.retain(|t| t.name != name);
        self.entities.retain(|e| e.table != name);
    }

    pub fn remove_entity(&mut self, name: &str) {
        self.entities.retain(|e| e.name != name);
    }

    pub fn remove_index(&mut self, table: &str, index: &str) {
        if let Some(t) = self.tables.iter_mut().find(|t| t.name == table) {
            t.gsis.retain(|g| g.name != index);
            t.lsis.retain(|l| l.name != index);
        }
        for pattern in self.access_patterns.iter_mut() {
            if pattern.index.as_deref() == Some(index) {
                pattern.index = None;
            }
        }
    }

    pub fn remove_pattern(&mut self, id: &str) {
        self.access_patterns.retain(|p| p.id != id);
    }

    /// A new table named `Table`, `Table2`, … with `PK`/`SK` string keys.
    pub fn add_table(&mut self) -> String {
        let name = unique_name("Table", |n| self.table(n).is_some());
        let mut table = Table::new(&name, KeyAttribute::string("PK"));
        table.sort_key = Some(KeyAttribute::string("SK"));
        self.tables.push(table);
        name
    }

    /// A new GSI on `table`, numbered after the last `GSI<n>`, keyed on
    /// `GSI<n>PK`/`GSI<n>SK`. Returns its name.
    pub fn add_gsi(&mut self, table: &str) -> Option<String> {
        let t = self.tables.iter_mut().find(|t| t.name == table)?;
        let next = (1..)
            .find(|n| !t.gsis.iter().any(|g| g.name == format!("GSI{n}")))
            .unwrap_or(1);
        let name = format!("GSI{next}");
        t.gsis.push(Gsi {
            name: name.clone(),
            partition_key: vec![KeyAttribute::string(format!("{name}PK"))],
            sort_key: vec![KeyAttribute::string(format!("{name}SK"))],
            projection: Projection::All,
            provisioned: None,
        });
        Some(name)
    }

    /// A new entity in `table` with an `id` attribute written into the table's keys.
    pub fn add_entity(&mut self, table: &str) -> String {
        let name = unique_name("Entity", |n| self.entity(n).is_some());
        let mut entity = Entity::new(&name, table);
        entity
            .attributes
            .push(super::Attribute::new("id", super::AttrType::S));
        if let Some(t) = self.table(table) {
            entity
                .keys
                .insert(t.partition_key.name.clone(), "{id}".to_string());
            if let Some(sk) = &t.sort_key {
                entity
                    .keys
                    .insert(sk.name.clone(), format!("#{}", name.to_ascii_uppercase()));
            }
        }
        self.entities.push(entity);
        name
    }

    /// A new Query pattern with the next free `AP<n>` id.
    pub fn add_pattern(&mut self, entity: Option<&str>) -> String {
        let next = (1..)
            .find(|n| self.pattern(&format!("AP{n}")).is_none())
            .unwrap_or(1);
        let id = format!("AP{next}");
        let mut pattern = AccessPattern::new(&id, "New access pattern", super::Operation::Query);
        if let Some(e) = entity {
            pattern.entities.push(e.to_string());
        }
        self.access_patterns.push(pattern);
        id
    }

    /// Copies an entity under a fresh name, right after the original.
    pub fn duplicate_entity(&mut self, name: &str) -> Option<String> {
        let pos = self.entities.iter().position(|e| e.name == name)?;
        let mut copy = self.entities[pos].clone();
        copy.name = unique_name(&format!("{name}Copy"), |n| self.entity(n).is_some());
        let new = copy.name.clone();
        self.entities.insert(pos + 1, copy);
        Some(new)
    }

    /// Copies a pattern under the next free id, right after the original.
    pub fn duplicate_pattern(&mut self, id: &str) -> Option<String> {
        let pos = self.access_patterns.iter().position(|p| p.id == id)?;
        let mut copy = self.access_patterns[pos].clone();
        let next = (1..)
            .find(|n| self.pattern(&format!("AP{n}")).is_none())
            .unwrap_or(1);
        copy.id = format!("AP{next}");
        let new = copy.id.clone();
        self.access_patterns.insert(pos + 1, copy);
        Some(new)
    }

    /// Copies a table (and its entities, renamed) under a fresh name.
    pub fn duplicate_table(&mut self, name: &str) -> Option<String> {
        let pos = self.tables.iter().position(|t| t.name == name)?;
        let mut copy = self.tables[pos].clone();
        copy.name = unique_name(&format!("{name}Copy"), |n| self.table(n).is_some());
        let new = copy.name.clone();
        self.tables.insert(pos + 1, copy);
        let entities: Vec<Entity> = self
            .entities
            .iter()
            .filter(|e| e.table == name)
            .cloned()
            .collect();
        for mut entity in entities {
            entity.name = unique_name(&format!("{}Copy", entity.name), |n| {
                self.entity(n).is_some()
            });
            entity.table = new.clone();
            self.entities.push(entity);
        }
        Some(new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::samples;

    fn shop() -> Model {
        samples::sample("ecommerce").unwrap().load().unwrap()
    }

    #[test]
    fn unique_names_count_up() {
        assert_eq!(unique_name("GSI", |n| n == "GSI"), "GSI2");
        assert_eq!(unique_name("T", |_| false), "T");
    }

    #[test]
    fn renaming_a_table_moves_its_entities() {
        let mut m = shop();
        m.rename_table("Users", "Customers");
        assert!(m.table("Customers").is_some());
        assert_eq!(m.entity("User").unwrap().table, "Customers");
        let expected = &m.conventions.as_ref().unwrap().expected_tables;
        assert!(expected.iter().any(|t| t.name == "Customers"));
    }

    #[test]
    fn renaming_an_entity_updates_patterns_and_references() {
        let mut m = shop();
        m.rename_entity("User", "Customer");
        assert!(
            m.pattern("AP2")
                .unwrap()
                .entities
                .contains(&"Customer".to_string())
        );
        let cart = m.entity("CartItem").unwrap();
        let email = cart.attribute("email").unwrap();
        assert!(
            matches!(&email.generator, Some(Generator::Reference { entity, .. }) if entity == "Customer")
        );
    }

    #[test]
    fn renaming_an_attribute_rewrites_templates_and_inputs() {
        let mut m = shop();
        m.rename_attribute("Order", "created_at", "placed_at");
        let order = m.entity("Order").unwrap();
        assert_eq!(order.keys["GSI1SK"], "ORDER#{placed_at}#{order_id}");
        let ap30 = m.pattern("AP30").unwrap();
        assert_eq!(ap30.range.as_ref().unwrap().attribute, "placed_at");
        // The table's time to live follows its one entity that carries it…
        let mut m = shop();
        m.tables
            .iter_mut()
            .find(|t| t.name == "Orders")
            .unwrap()
            .ttl = Some(crate::model::TimeToLive {
            attribute: "created_at".into(),
        });
        m.rename_attribute("Order", "created_at", "placed_at");
        let ttl = |m: &Model| m.table("Orders").unwrap().ttl.clone().unwrap().attribute;
        assert_eq!(ttl(&m), "placed_at");
        // …but stays while another entity of the table still has the old name.
        m.rename_attribute("Order", "placed_at", "created_at");
        m.rename_attribute("OrderItem", "created_at", "added_at");
        assert_eq!(ttl(&m), "created_at");
    }

    #[test]
    fn renaming_a_key_attribute_moves_templates() {
        let mut m = shop();
        m.rename_key_attribute("Orders", "GSI1PK", "ByUserPK");
        let t = m.table("Orders").unwrap();
        assert_eq!(t.gsis[0].partition_key[0].name, "ByUserPK");
        assert_eq!(m.entity("Order").unwrap().keys["ByUserPK"], "{email}");
    }

    #[test]
    fn adding_a_gsi_takes_the_next_number() {
        let mut m = shop();
        assert_eq!(m.add_gsi("Orders").as_deref(), Some("GSI2"));
        assert_eq!(m.add_gsi("Nope"), None);
    }

    #[test]
    fn removing_an_index_unpins_patterns() {
        let mut m = shop();
        m.access_patterns[1].index = Some("GSI1".into());
        m.remove_index("Users", "GSI1");
        assert!(m.table("Users").unwrap().gsi("GSI1").is_none());
        assert_eq!(m.access_patterns[1].index, None);
    }

    #[test]
    fn duplicates_get_fresh_names() {
        let mut m = shop();
        assert_eq!(m.duplicate_entity("User").as_deref(), Some("UserCopy"));
        assert_eq!(m.duplicate_pattern("AP1").as_deref(), Some("AP49"));
        let t = m.duplicate_table("Orders").unwrap();
        assert_eq!(m.entities_of(&t).count(), 2);
    }
}
