//! The element the editor shows and the panels highlight, by identity: a rename
//! or a reorder never loses the selection or moves it to another element.
//! Identities live as long as the process, so a selection is never persisted.
//! Findings and results that name elements are resolved against the current
//! model when they are clicked.

use crate::analysis::Location;
use crate::model::{Element, Model, Uid};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Selection {
    #[default]
    None,
    Table(Uid),
    Index {
        table: Uid,
        index: Uid,
    },
    Entity(Uid),
    Pattern(Uid),
}

impl From<Element> for Selection {
    /// An attribute is edited in its entity's editor.
    fn from(element: Element) -> Self {
        match element {
            Element::Table(t) => Selection::Table(t),
            Element::Index { table, index } => Selection::Index { table, index },
            Element::Entity(e) | Element::Attribute { entity: e, .. } => Selection::Entity(e),
            Element::Pattern(p) => Selection::Pattern(p),
        }
    }
}

impl From<Option<Element>> for Selection {
    fn from(element: Option<Element>) -> Self {
        element.map_or(Selection::None, Selection::from)
    }
}

impl Selection {
    /// The selected element, if any.
    pub fn element(self) -> Option<Element> {
        match self {
            Selection::None => None,
            Selection::Table(t) => Some(Element::Table(t)),
            Selection::Index { table, index } => Some(Element::Index { table, index }),
            Selection::Entity(e) => Some(Element::Entity(e)),
            Selection::Pattern(p) => Some(Element::Pattern(p)),
        }
    }

    /// The table called `name`, or nothing when there is none.
    pub fn table(model: &Model, name: &str) -> Selection {
        model
            .table_uid(name)
            .map_or(Selection::None, Selection::Table)
    }

    /// The index `index` of the table called `table`.
    pub fn index(model: &Model, table: &str, index: &str) -> Selection {
        model.index_element(table, index).into()
    }

    pub fn entity(model: &Model, name: &str) -> Selection {
        model
            .entity_uid(name)
            .map_or(Selection::None, Selection::Entity)
    }

    pub fn pattern(model: &Model, id: &str) -> Selection {
        model
            .pattern_uid(id)
            .map_or(Selection::None, Selection::Pattern)
    }

    /// The element a finding is about, looked up by name in `model` (nothing
    /// when it is no longer there). Attributes and templates open their entity.
    pub fn of_location(model: &Model, location: &Location) -> Selection {
        match location {
            Location::Model => Selection::None,
            Location::Table { table } => Selection::table(model, table),
            Location::Index { table, index } => Selection::index(model, table, index),
            Location::Entity { entity }
            | Location::Attribute { entity, .. }
            | Location::Template { entity, .. } => Selection::entity(model, entity),
            Location::Pattern { pattern } => Selection::pattern(model, pattern),
        }
    }

    /// The element with identity `uid`, whatever its kind (an attribute opens
    /// its entity); nothing when the model no longer has it.
    pub fn of_uid(model: &Model, uid: Uid) -> Selection {
        for t in &model.tables {
            if t.uid.get() == uid {
                return Selection::Table(uid);
            }
            let index = t.gsis.iter().map(|g| g.uid.get());
            if index
                .chain(t.lsis.iter().map(|l| l.uid.get()))
                .any(|i| i == uid)
            {
                return Selection::Index {
                    table: t.uid.get(),
                    index: uid,
                };
            }
        }
        for e in &model.entities {
            if e.uid.get() == uid || e.attributes.iter().any(|a| a.uid.get() == uid) {
                return Selection::Entity(e.uid.get());
            }
        }
        match model.pattern_by_uid(uid) {
            Some(_) => Selection::Pattern(uid),
            None => Selection::None,
        }
    }

    /// The table the selected element belongs to: an entity's table, a
    /// pattern's first entity's table.
    pub fn table_of(self, model: &Model) -> Option<Uid> {
        match self {
            Selection::None => None,
            Selection::Table(t) | Selection::Index { table: t, .. } => {
                model.table_by_uid(t).map(|_| t)
            }
            Selection::Entity(e) => model
                .entity_by_uid(e)
                .and_then(|e| model.table_uid(&e.table)),
            Selection::Pattern(p) => model
                .pattern_by_uid(p)
                .and_then(|p| p.primary_entity())
                .and_then(|e| model.entity(e))
                .and_then(|e| model.table_uid(&e.table)),
        }
    }

    /// The selected entity's name, if an entity is selected.
    pub fn entity_name(self, model: &Model) -> Option<&str> {
        match self {
            Selection::Entity(e) => model.entity_by_uid(e).map(|e| e.name.as_str()),
            _ => None,
        }
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
    fn a_finding_leads_to_its_element_by_name_at_click_time() {
        let mut model = shop();
        let location = Location::template("Order", "PK");
        let selection = Selection::of_location(&model, &location);
        assert_eq!(selection, Selection::entity(&model, "Order"));
        let Selection::Entity(order) = selection else {
            panic!("{selection:?}")
        };
        model
            .apply(&crate::model::Edit::Rename {
                element: Element::Entity(order),
                name: "Purchase".into(),
            })
            .unwrap();
        assert_eq!(
            Selection::of_location(&model, &location),
            Selection::None,
            "a stale finding names nothing"
        );
        assert_eq!(
            Selection::of_location(&model, &Location::entity("Purchase")),
            selection,
            "the identity survived the rename"
        );
    }

    #[test]
    fn the_table_of_a_pattern_is_its_first_entitys() {
        let model = shop();
        let ap30 = Selection::pattern(&model, "AP30");
        assert_eq!(ap30.table_of(&model), model.table_uid("Orders"));
        assert_eq!(Selection::None.table_of(&model), None);
    }

    #[test]
    fn an_identity_leads_to_its_element_whatever_its_kind() {
        let model = shop();
        let users = model.table("Users").unwrap();
        assert_eq!(
            Selection::of_uid(&model, users.uid.get()),
            Selection::table(&model, "Users")
        );
        assert_eq!(
            Selection::of_uid(&model, users.gsis[0].uid.get()),
            Selection::index(&model, "Users", &users.gsis[0].name)
        );
        let user = model.entity("User").unwrap();
        assert_eq!(
            Selection::of_uid(&model, user.attributes[0].uid.get()),
            Selection::entity(&model, "User"),
            "an attribute opens its entity"
        );
        let ap1 = model.pattern_uid("AP1").unwrap();
        assert_eq!(Selection::of_uid(&model, ap1), Selection::Pattern(ap1));
        assert_eq!(
            Selection::of_uid(&Model::new("empty"), ap1),
            Selection::None
        );
    }
}
