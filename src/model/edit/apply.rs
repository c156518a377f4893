//! `Model::apply`: each edit is checked against the model first and carried out
//! only when it can be carried out whole.

use super::cascade;
use super::names::{next_pattern_id, unique_name};
use super::{
    Applied, AttributeChange, Edit, EditError, Element, EntityChange, IndexChange, ModelChange,
    NewIndex, PatternChange, TableChange,
};
use crate::model::diagram::Renamed;
use crate::model::template::is_attribute_name;
use crate::model::{AccessPattern, Attribute, Billing, Entity, Model, Position, Table, Uid};

type Result<T> = std::result::Result<T, EditError>;

impl Model {
    /// Applies an edit with all its cascades, or refuses it and leaves the model
    /// as it was.
    pub fn apply(&mut self, edit: &Edit) -> Result<Applied> {
        if let Some(table) = structural_target(edit)
            && let Some(t) = self.table_by_uid(table)
            && self.tables.iter().filter(|o| o.name == t.name).count() > 1
        {
            return Err(EditError::invalid(format!(
                "two tables are called {}: rename one of them first",
                t.name
            )));
        }
        match edit {
            Edit::Batch { label, edits } => {
                let mut scratch = self.clone();
                let mut created = None;
                for edit in edits {
                    created = scratch.apply(edit)?.created.or(created);
                }
                *self = scratch;
                Ok(Applied {
                    label: label.clone(),
                    created,
                })
            }
            Edit::Model(change) => Ok(done(self.change_model(change))),
            Edit::AddTable(table) => self.add_table(table.clone()),
            Edit::AddIndex { table, index } => self.add_index(*table, index.clone()),
            Edit::AddEntity(entity) => self.add_entity(entity.clone()),
            Edit::AddAttribute { entity, attribute } => {
                self.add_attribute(*entity, attribute.clone())
            }
            Edit::AddPattern(pattern) => self.add_pattern(pattern.clone()),
            Edit::Duplicate(element) => self.duplicate(*element),
            Edit::Remove(element) => self.remove(*element).map(done),
            Edit::Rename { element, name } => self.rename(*element, name).map(done),
            Edit::RenameKeyAttribute { table, from, to } => {
                self.rename_key_attribute(*table, from, to).map(done)
            }
            Edit::MoveEntity { entity, table } => self.move_entity(*entity, *table).map(done),
            Edit::SetTemplate {
                entity,
                key,
                template,
            } => self
                .set_template(*entity, key, template.as_deref())
                .map(done),
            Edit::Table { table, change } => self.change_table(*table, change).map(done),
            Edit::Index {
                table,
                index,
                change,
            } => self.change_index(*table, *index, change).map(done),
            Edit::Entity { entity, change } => self.change_entity(*entity, change).map(done),
            Edit::Attribute {
                entity,
                attribute,
                change,
            } => self.change_attribute(*entity, *attribute, change).map(done),
            Edit::Pattern { pattern, change } => self.change_pattern(*pattern, change).map(done),
        }
    }

    /// Whether `edit` would be applied, without applying it.
    pub fn check_edit(&self, edit: &Edit) -> Result<()> {
        // Renames and templates are what typing sends on every keystroke: checked
        // without a copy.
        match edit {
            Edit::Rename { element, name } => self.check_rename(*element, name),
            Edit::SetTemplate {
                entity,
                key,
                template,
            } => self
                .check_set_template(*entity, key, template.as_deref())
                .map(|_| ()),
            _ => self.clone().apply(edit).map(|_| ()),
        }
    }

    fn change_model(&mut self, change: &ModelChange) -> String {
        match change {
            ModelChange::Name(name) => self.name = name.clone(),
            ModelChange::Description(text) => self.description = text.clone(),
            ModelChange::TradeOffs(text) => self.trade_offs = text.clone(),
            ModelChange::Profile(profile) => self.profile = *profile,
            ModelChange::DiagramPosition { node, position } => {
                return self.move_diagram_node(node, *position);
            }
        }
        format!("Change the model's {}", super::model_field(change))
    }

    fn move_diagram_node(&mut self, node: &str, position: Option<Position>) -> String {
        match position {
            Some(position) => {
                self.diagram
                    .get_or_insert_with(Default::default)
                    .positions
                    .insert(node.to_string(), position);
                format!("Move {node} on the diagram")
            }
            None => {
                if let Some(diagram) = &mut self.diagram {
                    diagram.positions.remove(node);
                    if diagram.is_empty() {
                        self.diagram = None;
                    }
                }
                format!("Lay out {node} automatically")
            }
        }
    }

    fn add_table(&mut self, mut table: Table) -> Result<Applied> {
        check_name("table", &table.name)?;
        if self.table(&table.name).is_some() {
            return Err(taken("table", &table.name));
        }
        cascade::check_table(&table)?;
        table.uid.renew();
        table.gsis.iter_mut().for_each(|g| g.uid.renew());
        table.lsis.iter_mut().for_each(|l| l.uid.renew());
        let label = format!("Add table {}", table.name);
        let created = Element::Table(table.uid.get());
        self.tables.push(table);
        Ok(Applied {
            label,
            created: Some(created),
        })
    }

    fn add_index(&mut self, table: Uid, index: NewIndex) -> Result<Applied> {
        let t = self.table_at(table)?;
        let name = match &index {
            NewIndex::Gsi(g) => g.name.clone(),
            NewIndex::Lsi(l) => l.name.clone(),
        };
        check_name("index", &name)?;
        if self.tables[t].name == name || cascade::index_names(&self.tables[t]).any(|n| n == name) {
            return Err(taken("index", &name));
        }
        let mut probe = self.tables[t].clone();
        match &index {
            NewIndex::Gsi(g) => probe.gsis.push(g.clone()),
            NewIndex::Lsi(l) => probe.lsis.push(l.clone()),
        }
        cascade::check_table_change(&self.tables[t], &probe)?;
        let table_ref = &mut self.tables[t];
        let label = format!("Add {name} to {}", table_ref.name);
        let index_uid = match index {
            NewIndex::Gsi(mut g) => {
                g.uid.renew();
                let uid = g.uid.get();
                table_ref.gsis.push(g);
                uid
            }
            NewIndex::Lsi(mut l) => {
                l.uid.renew();
                let uid = l.uid.get();
                table_ref.lsis.push(l);
                uid
            }
        };
        Ok(Applied {
            label,
            created: Some(Element::Index {
                table,
                index: index_uid,
            }),
        })
    }

    fn add_entity(&mut self, mut entity: Entity) -> Result<Applied> {
        check_name("entity", &entity.name)?;
        if self.entity(&entity.name).is_some() {
            return Err(taken("entity", &entity.name));
        }
        let Some(table) = self.table(&entity.table) else {
            return Err(EditError::invalid(format!(
                "entity {} is for table `{}`, which does not exist",
                entity.name, entity.table
            )));
        };
        cascade::check_entity(&entity, table)?;
        entity.uid.renew();
        entity.attributes.iter_mut().for_each(|a| a.uid.renew());
        let label = format!("Add entity {} to {}", entity.name, entity.table);
        let created = Element::Entity(entity.uid.get());
        self.entities.push(entity);
        Ok(Applied {
            label,
            created: Some(created),
        })
    }

    fn add_attribute(&mut self, entity: Uid, mut attribute: Attribute) -> Result<Applied> {
        let e = self.entity_at(entity)?;
        check_name("attribute", &attribute.name)?;
        if self.entities[e].attribute(&attribute.name).is_some() {
            return Err(taken("attribute", &attribute.name));
        }
        attribute.uid.renew();
        let label = format!(
            "Add attribute {} to {}",
            attribute.name, self.entities[e].name
        );
        let created = Element::Attribute {
            entity,
            attribute: attribute.uid.get(),
        };
        self.entities[e].attributes.push(attribute);
        Ok(Applied {
            label,
            created: Some(created),
        })
    }

    fn add_pattern(&mut self, mut pattern: AccessPattern) -> Result<Applied> {
        check_name("access pattern id", &pattern.id)?;
        if self.pattern(&pattern.id).is_some() {
            return Err(taken("access pattern id", &pattern.id));
        }
        cascade::check_pattern(self, &pattern)?;
        pattern.uid.renew();
        let label = format!("Add access pattern {}", pattern.id);
        let created = Element::Pattern(pattern.uid.get());
        self.access_patterns.push(pattern);
        Ok(Applied {
            label,
            created: Some(created),
        })
    }

    fn duplicate(&mut self, element: Element) -> Result<Applied> {
        let (label, created) = match element {
            Element::Table(table) => {
                let t = self.table_at(table)?;
                let mut copy = self.tables[t].clone();
                copy.name = unique_name(&format!("{}Copy", copy.name), |n| self.table(n).is_some());
                copy.uid.renew();
                copy.gsis.iter_mut().for_each(|g| g.uid.renew());
                copy.lsis.iter_mut().for_each(|l| l.uid.renew());
                let (old, new) = (self.tables[t].name.clone(), copy.name.clone());
                let created = Element::Table(copy.uid.get());
                self.tables.insert(t + 1, copy);
                let entities: Vec<Entity> = self.entities_of(&old).cloned().collect();
                for mut entity in entities {
                    entity.name = unique_name(&format!("{}Copy", entity.name), |n| {
                        self.entity(n).is_some()
                    });
                    entity.table = new.clone();
                    renew_entity(&mut entity);
                    self.entities.push(entity);
                }
                (format!("Duplicate table {old}"), created)
            }
            Element::Entity(entity) => {
                let e = self.entity_at(entity)?;
                let mut copy = self.entities[e].clone();
                copy.name =
                    unique_name(&format!("{}Copy", copy.name), |n| self.entity(n).is_some());
                renew_entity(&mut copy);
                let label = format!("Duplicate entity {}", self.entities[e].name);
                let created = Element::Entity(copy.uid.get());
                self.entities.insert(e + 1, copy);
                (label, created)
            }
            Element::Pattern(pattern) => {
                let p = self.pattern_at(pattern)?;
                let mut copy = self.access_patterns[p].clone();
                copy.id = next_pattern_id(|n| self.pattern(n).is_some());
                copy.uid.renew();
                let label = format!("Duplicate {}", self.access_patterns[p].id);
                let created = Element::Pattern(copy.uid.get());
                self.access_patterns.insert(p + 1, copy);
                (label, created)
            }
            Element::Index { .. } | Element::Attribute { .. } => {
                return Err(EditError::invalid(
                    "only tables, entities and access patterns can be duplicated",
                ));
            }
        };
        Ok(Applied {
            label,
            created: Some(created),
        })
    }

    fn remove(&mut self, element: Element) -> Result<String> {
        match element {
            Element::Table(table) => {
                let t = self.table_at(table)?;
                let name = self.tables[t].name.clone();
                let entities: Vec<Uid> = self.entities_of(&name).map(|e| e.uid.get()).collect();
                for entity in entities {
                    self.remove(Element::Entity(entity))?;
                }
                self.tables.remove(t);
                self.forget_diagram_nodes(&[crate::model::table_node_id(&name)], Some(&name));
                Ok(format!("Delete table {name}"))
            }
            Element::Index { table, index } => {
                let t = self.table_at(table)?;
                let name = self
                    .element_name(element)
                    .ok_or_else(|| missing("the index"))?
                    .to_string();
                let table_ref = &mut self.tables[t];
                table_ref.gsis.retain(|g| g.uid.get() != index);
                table_ref.lsis.retain(|l| l.uid.get() != index);
                let table_name = table_ref.name.clone();
                cascade::unpin(self, &table_name, |pinned| pinned == name);
                cascade::drop_unused_templates(self, t);
                self.forget_diagram_nodes(&[crate::model::index_node_id(&table_name, &name)], None);
                Ok(format!("Delete index {table_name}/{name}"))
            }
            Element::Entity(entity) => {
                let e = self.entity_at(entity)?;
                let removed = self.entities.remove(e);
                cascade::forget_entity(self, &removed.name);
                self.forget_diagram_nodes(&[crate::model::entity_node_id(&removed.name)], None);
                Ok(format!("Delete entity {}", removed.name))
            }
            Element::Attribute { entity, attribute } => {
                let e = self.entity_at(entity)?;
                let a = attribute_at(&self.entities[e], attribute)?;
                let ent = &self.entities[e];
                let name = ent.attributes[a].name.clone();
                if let Some(key) = cascade::keys_using(self, e, &name).into_iter().next() {
                    return Err(EditError::invalid(format!(
                        "{}.{name} makes {}'s {key}: change that key first",
                        ent.name, ent.name
                    )));
                }
                self.entities[e].attributes.remove(a);
                cascade::forget_attribute(self, e, &name);
                Ok(format!("Remove attribute {}.{name}", self.entities[e].name))
            }
            Element::Pattern(pattern) => {
                let p = self.pattern_at(pattern)?;
                let removed = self.access_patterns.remove(p);
                self.forget_diagram_nodes(&[crate::model::pattern_node_id(&removed.id)], None);
                Ok(format!("Delete {}", removed.id))
            }
        }
    }

    fn check_rename(&self, element: Element, name: &str) -> Result<()> {
        let kind = kind_of(element);
        check_name(kind, name)?;
        let current = self
            .element_name(element)
            .ok_or_else(|| missing(&format!("the {kind}")))?;
        if current == name {
            return Ok(());
        }
        let clash = match element {
            // A pin that names the table means the base table: no index may share it.
            Element::Table(table) => {
                self.table(name).is_some()
                    || self
                        .table_by_uid(table)
                        .is_some_and(|t| cascade::index_names(t).any(|n| n == name))
            }
            Element::Index { table, .. } => {
                let t = self.table_at(table)?;
                self.tables[t].name == name
                    || cascade::index_names(&self.tables[t]).any(|n| n == name)
            }
            Element::Entity(_) => self.entity(name).is_some(),
            Element::Attribute { entity, .. } => {
                let e = self.entity_at(entity)?;
                let ent = &self.entities[e];
                if ent.attribute(name).is_some() {
                    return Err(taken(kind, name));
                }
                // Templates name it as a placeholder: the new name must be one.
                let key_names = self
                    .table(&ent.table)
                    .map(|t| t.key_attribute_names())
                    .unwrap_or_default();
                let used = !cascade::keys_using(self, e, current).is_empty()
                    || key_names.contains(&current);
                if used && !is_attribute_name(name) {
                    return Err(EditError::invalid(format!(
                        "{}'s key templates name {current}: a placeholder name starts with a \
                         letter or _ and has only letters, digits, _, - and .",
                        ent.name
                    )));
                }
                false
            }
            Element::Pattern(_) => self.pattern(name).is_some(),
        };
        if clash {
            return Err(taken(kind, name));
        }
        Ok(())
    }

    fn rename(&mut self, element: Element, name: &str) -> Result<String> {
        self.check_rename(element, name)?;
        let old = self
            .element_name(element)
            .ok_or_else(|| missing("the element"))?
            .to_string();
        let label = format!("Rename {} {old} to {name}", kind_of(element));
        if old == name {
            return Ok(label);
        }
        match element {
            Element::Table(table) => {
                cascade::rename_table(self, table, &old, name);
                self.rename_diagram_nodes(Renamed::Table, &old, name);
            }
            Element::Index { table, index } => {
                cascade::rename_index(self, table, index, &old, name);
                let table = self.tables[self.table_at(table)?].name.clone();
                self.rename_diagram_nodes(Renamed::Index { table: &table }, &old, name);
            }
            Element::Entity(entity) => {
                cascade::rename_entity(self, entity, &old, name);
                self.rename_diagram_nodes(Renamed::Entity, &old, name);
            }
            Element::Attribute { entity, attribute } => {
                cascade::rename_attribute(self, entity, attribute, &old, name)
            }
            Element::Pattern(pattern) => {
                let p = self.pattern_at(pattern)?;
                self.access_patterns[p].id = name.to_string();
                self.rename_diagram_nodes(Renamed::Pattern, &old, name);
            }
        }
        Ok(label)
    }

    fn rename_key_attribute(&mut self, table: Uid, from: &str, to: &str) -> Result<String> {
        let t = self.table_at(table)?;
        let keys = self.tables[t].key_attribute_names();
        if !keys.contains(&from) {
            return Err(missing(&format!("key attribute `{from}`")));
        }
        check_name("key attribute", to)?;
        if from != to && keys.contains(&to) {
            return Err(taken("key attribute", to));
        }
        if from != to && !is_attribute_name(from) {
            let table_name = &self.tables[t].name;
            if let Some(e) = self.entities.iter().find(|e| {
                e.table == *table_name && !e.keys.contains_key(from) && e.attribute(from).is_some()
            }) {
                return Err(EditError::invalid(format!(
                    "{} writes {from} through its attribute of that name, which a template cannot name",
                    e.name
                )));
            }
        }
        let label = format!("Rename key attribute {from} to {to}");
        if from != to {
            cascade::rename_key_attribute(self, t, from, to);
        }
        Ok(label)
    }

    fn move_entity(&mut self, entity: Uid, table: Uid) -> Result<String> {
        let e = self.entity_at(entity)?;
        let t = self.table_at(table)?;
        let target = self.tables[t].name.clone();
        let label = format!("Move {} to {target}", self.entities[e].name);
        if self.entities[e].table != target {
            cascade::move_entity(self, e, t);
        }
        Ok(label)
    }

    /// Checks a template edit; returns the entity's position.
    fn check_set_template(&self, entity: Uid, key: &str, template: Option<&str>) -> Result<usize> {
        let e = self.entity_at(entity)?;
        let ent = &self.entities[e];
        let table = self.table(&ent.table).ok_or_else(|| {
            EditError::invalid(format!(
                "{}'s table `{}` does not exist",
                ent.name, ent.table
            ))
        })?;
        if !table.key_attribute_names().contains(&key) {
            return Err(EditError::invalid(format!(
                "table {} has no key attribute `{key}`",
                table.name
            )));
        }
        match template.filter(|t| !t.is_empty()) {
            Some(text) => cascade::check_template(ent, key, text)?,
            None => {
                let base_key = key == table.partition_key.name
                    || table.sort_key.as_ref().is_some_and(|sk| sk.name == key);
                if base_key && ent.attribute(key).is_none() {
                    return Err(EditError::invalid(format!(
                        "{} needs a template for {key}, a key of table {}",
                        ent.name, table.name
                    )));
                }
            }
        }
        Ok(e)
    }

    fn set_template(&mut self, entity: Uid, key: &str, template: Option<&str>) -> Result<String> {
        let e = self.check_set_template(entity, key, template)?;
        let ent = &mut self.entities[e];
        let label = format!("Edit {}'s {key} template", ent.name);
        match template.filter(|t| !t.is_empty()) {
            Some(text) => {
                ent.keys.insert(key.to_string(), text.to_string());
            }
            None => {
                ent.keys.remove(key);
            }
        }
        Ok(label)
    }

    fn change_table(&mut self, table: Uid, change: &TableChange) -> Result<String> {
        let t = self.table_at(table)?;
        let name = self.tables[t].name.clone();
        match change {
            TableChange::Description(text) => self.tables[t].description = text.clone(),
            TableChange::Billing(billing) => {
                if let Billing::Provisioned {
                    read_capacity,
                    write_capacity,
                } = billing
                    && (*read_capacity == 0 || *write_capacity == 0)
                {
                    return Err(EditError::invalid(
                        "provisioned capacity is at least 1 unit",
                    ));
                }
                self.tables[t].billing = billing.clone();
            }
            TableChange::PartitionKeyType(key_type) => {
                self.tables[t].partition_key.key_type = *key_type
            }
            TableChange::SortKey(sort_key) => cascade::set_sort_key(self, t, sort_key.as_ref())?,
            TableChange::Ttl(ttl) => self.tables[t].ttl = ttl.clone(),
            TableChange::Stream(stream) => self.tables[t].stream = *stream,
        }
        Ok(format!("Change {name}'s {}", super::table_field(change)))
    }

    fn change_index(&mut self, table: Uid, index: Uid, change: &IndexChange) -> Result<String> {
        let t = self.table_at(table)?;
        let element = Element::Index { table, index };
        let name = self
            .element_name(element)
            .ok_or_else(|| missing("the index"))?
            .to_string();
        let mut probe = self.tables[t].clone();
        let gsi = probe.gsis.iter_mut().find(|g| g.uid.get() == index);
        match (gsi, change) {
            (Some(g), IndexChange::Projection(p)) => g.projection = p.clone(),
            (Some(g), IndexChange::PartitionKey(keys)) => g.partition_key = keys.clone(),
            (Some(g), IndexChange::SortKey(keys)) => g.sort_key = keys.clone(),
            (Some(g), IndexChange::Provisioned(p)) => g.provisioned = *p,
            (None, change) => {
                let Some(l) = probe.lsis.iter_mut().find(|l| l.uid.get() == index) else {
                    return Err(missing("the index"));
                };
                match change {
                    IndexChange::Projection(p) => l.projection = p.clone(),
                    IndexChange::SortKey(keys) if keys.len() == 1 => l.sort_key = keys[0].clone(),
                    IndexChange::SortKey(_) => {
                        return Err(EditError::invalid("an LSI has exactly one sort key"));
                    }
                    IndexChange::PartitionKey(_) => {
                        return Err(EditError::invalid(
                            "an LSI shares its table's partition key",
                        ));
                    }
                    IndexChange::Provisioned(_) => {
                        return Err(EditError::invalid("an LSI uses its table's throughput"));
                    }
                }
            }
        }
        cascade::check_table_change(&self.tables[t], &probe)?;
        self.tables[t] = probe;
        cascade::drop_unused_templates(self, t);
        Ok(format!("Change {name}'s {}", super::index_field(change)))
    }

    fn change_entity(&mut self, entity: Uid, change: &EntityChange) -> Result<String> {
        let e = self.entity_at(entity)?;
        let ent = &mut self.entities[e];
        match change {
            EntityChange::Description(text) => ent.description = text.clone(),
            EntityChange::ItemCount(n) => ent.item_count = *n,
            EntityChange::ExampleItems(items) => ent.example_items = items.clone(),
            EntityChange::SourceTable(table) => ent.source_table = table.clone(),
        }
        Ok(format!(
            "Change {}'s {}",
            ent.name,
            super::entity_field(change)
        ))
    }

    fn change_attribute(
        &mut self,
        entity: Uid,
        attribute: Uid,
        change: &AttributeChange,
    ) -> Result<String> {
        let e = self.entity_at(entity)?;
        let a = attribute_at(&self.entities[e], attribute)?;
        if let AttributeChange::Generator(Some(crate::model::Generator::Reference {
            entity: target,
            attribute: target_attribute,
        })) = change
            && self
                .entity(target)
                .and_then(|t| t.attribute(target_attribute))
                .is_none()
        {
            return Err(EditError::invalid(format!(
                "there is no attribute {target}.{target_attribute} to take values from"
            )));
        }
        let ent = &mut self.entities[e];
        let attr = &mut ent.attributes[a];
        match change {
            AttributeChange::Type(t) => attr.attr_type = *t,
            AttributeChange::Size(s) => attr.size = *s,
            AttributeChange::DistinctValues(d) => attr.distinct_values = *d,
            AttributeChange::Generator(g) => attr.generator = g.clone(),
            AttributeChange::Description(text) => attr.description = text.clone(),
            AttributeChange::Source(source) => attr.source = source.clone(),
            AttributeChange::NotNull(value) => attr.not_null = *value,
            AttributeChange::Unique(value) => attr.unique = *value,
        }
        Ok(format!(
            "Change {}.{}'s {}",
            ent.name,
            attr.name,
            super::attribute_field(change)
        ))
    }

    fn change_pattern(&mut self, pattern: Uid, change: &PatternChange) -> Result<String> {
        let p = self.pattern_at(pattern)?;
        let mut probe = self.access_patterns[p].clone();
        match change {
            PatternChange::Description(text) => probe.description = text.clone(),
            PatternChange::Operation(op) => probe.operation = *op,
            PatternChange::Entities(entities) => {
                probe.entities = entities.clone();
                cascade::drop_unknown_inputs(self, &mut probe);
                if !cascade::pin_exists(self, &probe) {
                    probe.index = None;
                }
            }
            PatternChange::Inputs(inputs) => probe.inputs = inputs.clone(),
            PatternChange::Range(range) => probe.range = range.clone(),
            PatternChange::Sort(order) => probe.sort = *order,
            PatternChange::Items(n) => probe.items = *n,
            PatternChange::PeakRps(rps) => probe.peak_rps = check_rate(*rps)?,
            PatternChange::AverageRps(rps) => probe.average_rps = check_rate(*rps)?,
            PatternChange::Consistency(c) => probe.consistency = *c,
            PatternChange::OutsideDynamodb(reason) => probe.outside_dynamodb = reason.clone(),
            PatternChange::Index(index) => probe.index = index.clone(),
            PatternChange::Notes(text) => probe.notes = text.clone(),
            PatternChange::Suggested(value) => probe.suggested = *value,
        }
        cascade::check_pattern_change(self, &self.access_patterns[p], &probe)?;
        let label = format!("Change {}'s {}", probe.id, super::pattern_field(change));
        self.access_patterns[p] = probe;
        Ok(label)
    }

    pub(super) fn table_at(&self, table: Uid) -> Result<usize> {
        self.table_pos(table).ok_or_else(|| missing("the table"))
    }

    pub(super) fn entity_at(&self, entity: Uid) -> Result<usize> {
        self.entity_pos(entity).ok_or_else(|| missing("the entity"))
    }

    pub(super) fn pattern_at(&self, pattern: Uid) -> Result<usize> {
        self.pattern_pos(pattern)
            .ok_or_else(|| missing("the access pattern"))
    }
}

/// The table whose keys, indexes or entities an edit reshapes: refused while
/// another table has the same name, since entities name their table by name.
fn structural_target(edit: &Edit) -> Option<Uid> {
    match edit {
        Edit::AddIndex { table, .. }
        | Edit::RenameKeyAttribute { table, .. }
        | Edit::MoveEntity { table, .. }
        | Edit::Table { table, .. }
        | Edit::Index { table, .. }
        | Edit::Remove(Element::Table(table) | Element::Index { table, .. })
        | Edit::Duplicate(Element::Table(table))
        | Edit::Rename {
            element: Element::Index { table, .. },
            ..
        } => Some(*table),
        _ => None,
    }
}

fn done(label: String) -> Applied {
    Applied {
        label,
        created: None,
    }
}

fn missing(what: &str) -> EditError {
    EditError::Missing(what.to_string())
}

fn taken(kind: &'static str, name: &str) -> EditError {
    EditError::Taken {
        kind,
        name: name.to_string(),
    }
}

fn kind_of(element: Element) -> &'static str {
    match element {
        Element::Table(_) => "table",
        Element::Index { .. } => "index",
        Element::Entity(_) => "entity",
        Element::Attribute { .. } => "attribute",
        Element::Pattern(_) => "access pattern id",
    }
}

fn check_name(kind: &str, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(EditError::invalid(format!("a {kind} needs a name")));
    }
    if name.trim() != name {
        return Err(EditError::invalid(format!(
            "a {kind} name does not start or end with a space"
        )));
    }
    Ok(())
}

fn check_rate(rps: f64) -> Result<f64> {
    if rps.is_finite() && rps >= 0.0 {
        Ok(rps)
    } else {
        Err(EditError::invalid(
            "a rate is a number of requests per second, 0 or more",
        ))
    }
}

fn attribute_at(entity: &Entity, attribute: Uid) -> Result<usize> {
    entity
        .attributes
        .iter()
        .position(|a| a.uid.get() == attribute)
        .ok_or_else(|| missing("the attribute"))
}

fn renew_entity(entity: &mut Entity) {
    entity.uid.renew();
    entity.attributes.iter_mut().for_each(|a| a.uid.renew());
}
