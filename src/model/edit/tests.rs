//! `Model::apply`: each edit and its cascade, and refusals that leave the model as it was.

use super::*;
use crate::model::{Model, samples};

fn shop() -> Model {
    samples::sample("ecommerce").unwrap().load().unwrap()
}

fn table(m: &Model, name: &str) -> Uid {
    m.table_uid(name).unwrap()
}

fn entity(m: &Model, name: &str) -> Uid {
    m.entity_uid(name).unwrap()
}

fn pattern(m: &Model, id: &str) -> Uid {
    m.pattern_uid(id).unwrap()
}

fn rename(element: Element, name: &str) -> Edit {
    Edit::Rename {
        element,
        name: name.to_string(),
    }
}

/// Applies `edit` expecting a refusal, and checks the model did not move.
fn refused(m: &mut Model, edit: Edit) -> EditError {
    let before = m.clone();
    let before_json = crate::model::to_json(m).unwrap();
    let err = m.apply(&edit).unwrap_err();
    assert_eq!(*m, before);
    assert_eq!(crate::model::to_json(m).unwrap(), before_json);
    err
}

#[test]
fn renaming_a_table_moves_its_entities_pins_and_conventions() {
    let mut m = shop();
    let orders = table(&m, "Orders");
    let ap = m
        .access_patterns
        .iter()
        .position(|p| p.entities == ["Order"])
        .unwrap();
    m.access_patterns[ap].index = Some("Orders".into());
    let applied = m
        .apply(&rename(Element::Table(orders), "Purchases"))
        .unwrap();
    assert_eq!(applied.label, "Rename table Orders to Purchases");
    assert_eq!(m.entity("Order").unwrap().table, "Purchases");
    assert_eq!(m.entity("OrderItem").unwrap().table, "Purchases");
    assert_eq!(m.access_patterns[ap].index.as_deref(), Some("Purchases"));
    let expected = &m.conventions.as_ref().unwrap().expected_tables;
    assert!(expected.iter().any(|t| t.name == "Purchases"));
    assert_eq!(m.table_by_uid(orders).unwrap().name, "Purchases");
}

#[test]
fn a_rename_onto_a_taken_name_is_refused_whole() {
    let mut m = shop();
    let orders = table(&m, "Orders");
    let err = refused(&mut m, rename(Element::Table(orders), "Users"));
    assert_eq!(err.to_string(), "table `Users` already exists");
    let ap20 = pattern(&m, "AP20");
    let err = refused(&mut m, rename(Element::Pattern(ap20), "AP2"));
    assert!(matches!(err, EditError::Taken { .. }));
    let order = entity(&m, "Order");
    refused(&mut m, rename(Element::Entity(order), "OrderItem"));
    refused(&mut m, rename(Element::Entity(order), ""));
    refused(&mut m, rename(Element::Entity(order), " Order"));
    // Renaming to its own name is a no-op, not a clash.
    let before = m.clone();
    m.apply(&rename(Element::Entity(order), "Order")).unwrap();
    assert_eq!(m, before);
}

#[test]
fn renaming_an_entity_updates_patterns_and_references() {
    let mut m = shop();
    let user = entity(&m, "User");
    m.apply(&rename(Element::Entity(user), "Customer")).unwrap();
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
fn renaming_an_attribute_rewrites_templates_inputs_projections_and_references() {
    let mut m = shop();
    let at = m.attribute_element("Order", "created_at").unwrap();
    m.apply(&rename(at, "placed_at")).unwrap();
    let order = m.entity("Order").unwrap();
    assert_eq!(order.keys["GSI1SK"], "ORDER#{placed_at}#{order_id}");
    let ap30 = m.pattern("AP30").unwrap();
    assert_eq!(ap30.range.as_ref().unwrap().attribute, "placed_at");

    // An INCLUDE projection follows, and keeps the old name while another entity
    // of the table still has it.
    let mut m = shop();
    let orders = m.tables.iter().position(|t| t.name == "Orders").unwrap();
    m.tables[orders].gsis[0].projection = Projection::Include {
        attributes: vec!["created_at".into(), "status".into()],
    };
    let at = m.attribute_element("Order", "created_at").unwrap();
    m.apply(&rename(at, "placed_at")).unwrap();
    let Projection::Include { attributes } = &m.tables[orders].gsis[0].projection else {
        panic!()
    };
    let others = m
        .entity("OrderItem")
        .unwrap()
        .attribute("created_at")
        .is_some();
    if others {
        assert!(attributes.contains(&"created_at".to_string()));
    } else {
        assert!(!attributes.contains(&"created_at".to_string()));
    }
    assert!(attributes.contains(&"placed_at".to_string()));

    // References to the attribute follow it.
    let mut m = shop();
    let email = m.attribute_element("User", "email").unwrap();
    m.apply(&rename(email, "mail")).unwrap();
    let cart = m.entity("CartItem").unwrap();
    assert!(matches!(
        &cart.attribute("email").unwrap().generator,
        Some(Generator::Reference { attribute, .. }) if attribute == "mail"
    ));
}

#[test]
fn an_attribute_that_is_its_own_key_keeps_writing_it() {
    // Table Accounts is keyed on `email`, which entity Account writes through its
    // attribute of that name (no template).
    let mut m = Model::new("t");
    let table = crate::model::Table::new("Accounts", KeyAttribute::string("email"));
    m.tables.push(table);
    let mut account = Entity::new("Account", "Accounts");
    account
        .attributes
        .push(Attribute::new("email", AttrType::S));
    m.entities.push(account);
    let at = m.attribute_element("Account", "email").unwrap();
    // Removing it would leave the key unwritten.
    refused(&mut m, Edit::Remove(at));
    m.apply(&rename(at, "mail")).unwrap();
    assert_eq!(m.entity("Account").unwrap().keys["email"], "{mail}");
    // Renaming the key attribute itself: the entity now says where its value comes from.
    let mut m2 = Model::new("t");
    m2.tables.push(crate::model::Table::new(
        "Accounts",
        KeyAttribute::string("email"),
    ));
    let mut account = Entity::new("Account", "Accounts");
    account
        .attributes
        .push(Attribute::new("email", AttrType::S));
    m2.entities.push(account);
    let t = m2.table_uid("Accounts").unwrap();
    m2.apply(&Edit::RenameKeyAttribute {
        table: t,
        from: "email".into(),
        to: "PK".into(),
    })
    .unwrap();
    assert_eq!(m2.entity("Account").unwrap().keys["PK"], "{email}");
}

#[test]
fn renaming_a_key_attribute_moves_templates_and_example_items() {
    let mut m = shop();
    let orders = table(&m, "Orders");
    m.apply(&Edit::RenameKeyAttribute {
        table: orders,
        from: "GSI1PK".into(),
        to: "ByUserPK".into(),
    })
    .unwrap();
    let t = m.table("Orders").unwrap();
    assert_eq!(t.gsis[0].partition_key[0].name, "ByUserPK");
    assert_eq!(m.entity("Order").unwrap().keys["ByUserPK"], "{email}");
    // Onto another key attribute of the table: refused.
    let err = refused(
        &mut m,
        Edit::RenameKeyAttribute {
            table: orders,
            from: "ByUserPK".into(),
            to: "GSI1SK".into(),
        },
    );
    assert!(matches!(err, EditError::Taken { .. }));
}

#[test]
fn index_renames_and_removals_touch_only_their_table() {
    let mut m = shop();
    // Pin a Users pattern and an Orders pattern to their tables' GSI1.
    let users_ap = m
        .access_patterns
        .iter()
        .position(|p| p.entities.first().is_some_and(|e| e == "User"))
        .unwrap();
    let orders_ap = m
        .access_patterns
        .iter()
        .position(|p| p.entities.first().is_some_and(|e| e == "Order"))
        .unwrap();
    m.access_patterns[users_ap].index = Some("GSI1".into());
    m.access_patterns[orders_ap].index = Some("GSI1".into());
    let users_gsi = m.index_element("Users", "GSI1").unwrap();
    m.apply(&rename(users_gsi, "GSI9")).unwrap();
    assert_eq!(m.access_patterns[users_ap].index.as_deref(), Some("GSI9"));
    assert_eq!(m.access_patterns[orders_ap].index.as_deref(), Some("GSI1"));
    assert!(m.table("Orders").unwrap().gsi("GSI1").is_some());

    let orders_gsi = m.index_element("Orders", "GSI1").unwrap();
    m.apply(&Edit::Remove(orders_gsi)).unwrap();
    assert_eq!(m.access_patterns[orders_ap].index, None);
    assert_eq!(m.access_patterns[users_ap].index.as_deref(), Some("GSI9"));
    // The templates for the removed index's keys go with it.
    assert!(!m.entity("Order").unwrap().keys.contains_key("GSI1PK"));
    assert!(
        m.entity("User").unwrap().keys.contains_key("GSI1PK") == {
            let t = m.table("Users").unwrap();
            t.key_attribute_names().contains(&"GSI1PK")
        }
    );
}

#[test]
fn removing_an_entity_lets_patterns_and_references_go() {
    let mut m = shop();
    let user = entity(&m, "User");
    m.apply(&Edit::Remove(Element::Entity(user))).unwrap();
    assert!(
        m.access_patterns
            .iter()
            .all(|p| !p.entities.contains(&"User".into()))
    );
    for p in &m.access_patterns {
        for input in &p.inputs {
            assert!(
                p.entities
                    .iter()
                    .any(|e| m.entity(e).unwrap().attribute(input).is_some()),
                "{} keeps input {input} no entity has",
                p.id
            );
        }
    }
    let cart = m.entity("CartItem").unwrap();
    assert!(!matches!(
        &cart.attribute("email").unwrap().generator,
        Some(Generator::Reference { entity, .. }) if entity == "User"
    ));
}

#[test]
fn removing_a_table_removes_its_entities() {
    let mut m = shop();
    let orders = table(&m, "Orders");
    m.apply(&Edit::Remove(Element::Table(orders))).unwrap();
    assert!(m.entity("Order").is_none() && m.entity("OrderItem").is_none());
    assert!(
        m.access_patterns
            .iter()
            .all(|p| p.entities.iter().all(|e| m.entity(e).is_some()))
    );
}

#[test]
fn an_attribute_a_key_is_made_of_cannot_be_removed() {
    let mut m = shop();
    let at = m.attribute_element("Order", "order_id").unwrap();
    let err = refused(&mut m, Edit::Remove(at));
    assert!(err.to_string().contains("change that key first"), "{err}");
}

#[test]
fn templates_are_checked_before_they_are_set() {
    let mut m = shop();
    let order = entity(&m, "Order");
    let set = |t: &str| Edit::SetTemplate {
        entity: order,
        key: "GSI1SK".into(),
        template: Some(t.into()),
    };
    let err = refused(&mut m, set("ORDER#{created"));
    assert!(err.to_string().contains("Order[GSI1SK]"), "{err}");
    let err = refused(&mut m, set("ORDER#{nope}"));
    assert!(err.to_string().contains("no attribute `nope`"), "{err}");
    m.apply(&set("ORDER#{order_id}")).unwrap();
    assert_eq!(
        m.entity("Order").unwrap().keys["GSI1SK"],
        "ORDER#{order_id}"
    );
    // A base key cannot lose its template; a key the table lacks cannot get one.
    let pk = m.table("Orders").unwrap().partition_key.name.clone();
    if m.entity("Order").unwrap().attribute(&pk).is_none() {
        refused(
            &mut m,
            Edit::SetTemplate {
                entity: order,
                key: pk,
                template: None,
            },
        );
    }
    refused(
        &mut m,
        Edit::SetTemplate {
            entity: order,
            key: "GSI7PK".into(),
            template: Some("{order_id}".into()),
        },
    );
}

#[test]
fn a_new_sort_key_gets_a_template_in_every_entity() {
    let mut m = Model::new("t");
    let t = m.new_table();
    let mut t2 = t.clone();
    t2.sort_key = None;
    let created = m.apply(&Edit::AddTable(t2)).unwrap().created.unwrap();
    let Element::Table(table_uid) = created else {
        panic!()
    };
    let e = m.new_entity(table_uid).unwrap();
    m.apply(&Edit::AddEntity(e)).unwrap();
    m.apply(&Edit::Table {
        table: table_uid,
        change: TableChange::SortKey(Some(KeyAttribute::string("SK"))),
    })
    .unwrap();
    assert_eq!(m.entities[0].keys["SK"], "#ENTITY");
    m.apply(&Edit::Table {
        table: table_uid,
        change: TableChange::SortKey(None),
    })
    .unwrap();
    assert!(!m.entities[0].keys.contains_key("SK"));
}

#[test]
fn moving_an_entity_writes_the_new_tables_keys() {
    let mut m = shop();
    let order = entity(&m, "Order");
    let users = table(&m, "Users");
    m.apply(&Edit::MoveEntity {
        entity: order,
        table: users,
    })
    .unwrap();
    let moved = m.entity("Order").unwrap();
    let t = m.table("Users").unwrap();
    assert_eq!(moved.table, "Users");
    for k in moved.keys.keys() {
        assert!(t.key_attribute_names().contains(&k.as_str()), "{k}");
    }
    assert!(moved.key_template(&t.partition_key.name).is_some());
}

#[test]
fn pattern_changes_are_checked() {
    let mut m = shop();
    let ap = pattern(&m, "AP2");
    refused(
        &mut m,
        Edit::Pattern {
            pattern: ap,
            change: PatternChange::Inputs(vec!["no_such".into()]),
        },
    );
    refused(
        &mut m,
        Edit::Pattern {
            pattern: ap,
            change: PatternChange::Entities(vec!["Nope".into()]),
        },
    );
    refused(
        &mut m,
        Edit::Pattern {
            pattern: ap,
            change: PatternChange::Index(Some("GSI42".into())),
        },
    );
    refused(
        &mut m,
        Edit::Pattern {
            pattern: ap,
            change: PatternChange::PeakRps(f64::NAN),
        },
    );
    // Switching entities drops the inputs the new ones lack.
    m.apply(&Edit::Pattern {
        pattern: ap,
        change: PatternChange::Entities(vec!["Product".into()]),
    })
    .unwrap();
    let p = m.pattern_by_uid(ap).unwrap();
    for input in &p.inputs {
        assert!(m.entity("Product").unwrap().attribute(input).is_some());
    }
}

#[test]
fn duplicates_get_fresh_names_and_identities() {
    let mut m = shop();
    let user = entity(&m, "User");
    let created = m
        .apply(&Edit::Duplicate(Element::Entity(user)))
        .unwrap()
        .created;
    let Some(Element::Entity(copy)) = created else {
        panic!()
    };
    assert_ne!(copy, user);
    assert_eq!(m.entity_by_uid(copy).unwrap().name, "UserCopy");
    let ap1 = pattern(&m, "AP1");
    m.apply(&Edit::Duplicate(Element::Pattern(ap1))).unwrap();
    assert!(m.pattern("AP49").is_some());
    let orders = table(&m, "Orders");
    m.apply(&Edit::Duplicate(Element::Table(orders))).unwrap();
    assert_eq!(m.entities_of("OrdersCopy").count(), 2);
    let mut seen = std::collections::HashSet::new();
    for e in &m.entities {
        assert!(seen.insert(e.uid.get()), "{} shares an identity", e.name);
        for a in &e.attributes {
            assert!(seen.insert(a.uid.get()));
        }
    }
}

#[test]
fn a_batch_is_all_or_nothing() {
    let mut m = shop();
    let orders = table(&m, "Orders");
    let users = table(&m, "Users");
    let batch = Edit::Batch {
        label: "Two renames".into(),
        edits: vec![
            rename(Element::Table(orders), "Purchases"),
            rename(Element::Table(users), "Purchases"),
        ],
    };
    refused(&mut m, batch);
    let ok = Edit::Batch {
        label: "Swap".into(),
        edits: vec![
            rename(Element::Table(orders), "Tmp"),
            rename(Element::Table(users), "Orders"),
            rename(Element::Table(orders), "Users"),
        ],
    };
    assert_eq!(m.apply(&ok).unwrap().label, "Swap");
    assert_eq!(m.entity("User").unwrap().table, "Orders");
    assert_eq!(m.entity("Order").unwrap().table, "Users");
}

#[test]
fn new_elements_take_free_names() {
    let mut m = shop();
    let orders = table(&m, "Orders");
    assert_eq!(m.new_gsi(orders).unwrap().name, "GSI2");
    assert_eq!(m.new_pattern(None).id, "AP49");
    let gsi = m.new_gsi(orders).unwrap();
    m.apply(&Edit::AddIndex {
        table: orders,
        index: NewIndex::Gsi(gsi.clone()),
    })
    .unwrap();
    let err = refused(
        &mut m,
        Edit::AddIndex {
            table: orders,
            index: NewIndex::Gsi(gsi),
        },
    );
    assert!(matches!(err, EditError::Taken { .. }));
}

#[test]
fn typing_in_one_field_shares_a_merge_key() {
    let m = shop();
    let t = table(&m, "Orders");
    let a = rename(Element::Table(t), "O");
    let b = rename(Element::Table(t), "Or");
    assert_eq!(a.merge_key(), b.merge_key());
    let other = rename(Element::Table(table(&m, "Users")), "U");
    assert_ne!(a.merge_key(), other.merge_key());
    assert_eq!(Edit::Remove(Element::Table(t)).merge_key(), None);
}

#[test]
fn an_attribute_a_template_names_keeps_a_placeholder_name() {
    let mut m = shop();
    let at = m.attribute_element("Order", "order_id").unwrap();
    let err = refused(&mut m, rename(at, "order id"));
    assert!(err.to_string().contains("placeholder"), "{err}");
    // One no template names can take any name.
    let at = m.attribute_element("Order", "total_amount").unwrap();
    m.apply(&rename(at, "total amount")).unwrap();
}

#[test]
fn a_default_template_escapes_braces_in_the_entity_name() {
    let mut m = Model::new("t");
    m.tables
        .push(crate::model::Table::new("T", KeyAttribute::string("PK")));
    let mut odd = Entity::new("A}", "T");
    odd.attributes.push(Attribute::new("id", AttrType::S));
    odd.keys.insert("PK".into(), "{id}".into());
    m.entities.push(odd);
    let t = m.table_uid("T").unwrap();
    m.apply(&Edit::Table {
        table: t,
        change: TableChange::SortKey(Some(KeyAttribute::string("SK"))),
    })
    .unwrap();
    let sk = &m.entities[0].keys["SK"];
    assert_eq!(sk, "#A}}");
    assert!(crate::model::Template::parse(sk).is_ok());
}

#[test]
fn tables_that_share_a_name_are_reshaped_only_after_a_rename() {
    let mut m = shop();
    let mut twin = m.table("Orders").unwrap().clone();
    twin.uid.renew();
    twin.gsis.clear();
    m.tables.push(twin);
    let twin = m.tables.last().unwrap().uid.get();
    let first = m
        .tables
        .iter()
        .find(|t| t.name == "Orders")
        .unwrap()
        .uid
        .get();
    let gsi = m.index_element("Orders", "GSI1").unwrap();
    let err = refused(&mut m, Edit::Remove(gsi));
    assert!(
        err.to_string().contains("two tables are called Orders"),
        "{err}"
    );
    refused(&mut m, Edit::Remove(Element::Table(twin)));
    // Renaming the second leaves the entities with the first, which they name.
    m.apply(&rename(Element::Table(twin), "Orders2")).unwrap();
    assert_eq!(m.entity("Order").unwrap().table, "Orders");
    assert_eq!(m.table_by_uid(first).unwrap().name, "Orders");
    m.apply(&Edit::Remove(Element::Table(twin))).unwrap();
    assert!(m.entity("Order").is_some());
}

#[test]
fn an_index_never_shares_its_tables_name() {
    let mut m = shop();
    let gsi = m.index_element("Orders", "GSI1").unwrap();
    refused(&mut m, rename(gsi, "Orders"));
    let orders = table(&m, "Orders");
    refused(&mut m, rename(Element::Table(orders), "GSI1"));
    let mut g = m.new_gsi(orders).unwrap();
    g.name = "Orders".into();
    refused(
        &mut m,
        Edit::AddIndex {
            table: orders,
            index: NewIndex::Gsi(g),
        },
    );
}

fn move_node(node: &str, position: Option<[f32; 2]>) -> Edit {
    Edit::Model(ModelChange::DiagramPosition {
        node: node.to_string(),
        position,
    })
}

#[test]
fn diagram_positions_are_set_merged_while_dragging_and_cleared() {
    let mut m = shop();
    assert!(m.diagram.is_none());
    let first = move_node("table:Users", Some([10.0, 20.0]));
    let applied = m.apply(&first).unwrap();
    assert_eq!(applied.label, "Move table:Users on the diagram");
    let second = move_node("table:Users", Some([12.0, 24.0]));
    m.apply(&second).unwrap();
    assert_eq!(
        m.diagram.as_ref().unwrap().get("table:Users"),
        Some([12.0, 24.0])
    );
    // A drag is one undo step per node; another node is another step.
    assert_eq!(first.merge_key(), second.merge_key());
    assert_ne!(
        first.merge_key(),
        move_node("entity:User", Some([0.0, 0.0])).merge_key()
    );
    assert_ne!(
        first.merge_key(),
        Edit::Model(ModelChange::Name("x".into())).merge_key()
    );
    // Back to the automatic layout: the block goes when it is empty.
    m.apply(&move_node("table:Users", None)).unwrap();
    assert!(m.diagram.is_none());
    assert_eq!(m, shop());
}

#[test]
fn renames_carry_diagram_positions_along() {
    let mut m = shop();
    for node in [
        "table:Users",
        "index:Users/GSI1",
        "index:Orders/GSI1",
        "entity:User",
        "pattern:AP1",
    ] {
        m.apply(&move_node(node, Some([1.0, 2.0]))).unwrap();
    }
    let users = table(&m, "Users");
    m.apply(&rename(Element::Table(users), "People")).unwrap();
    let user = entity(&m, "User");
    m.apply(&rename(Element::Entity(user), "Person")).unwrap();
    let ap1 = pattern(&m, "AP1");
    m.apply(&rename(Element::Pattern(ap1), "AP100")).unwrap();
    let gsi1 = m.index_element("Orders", "GSI1").unwrap();
    m.apply(&rename(gsi1, "GSI9")).unwrap();
    let ids: Vec<&str> = m
        .diagram
        .as_ref()
        .unwrap()
        .positions
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        ids,
        [
            "entity:Person",
            "index:Orders/GSI9",
            "index:People/GSI1",
            "pattern:AP100",
            "table:People"
        ]
    );
}

#[test]
fn a_removed_element_lets_go_of_its_saved_diagram_position() {
    let mut m = shop();
    for node in [
        "entity:User",
        "table:Orders",
        "index:Orders/GSI1",
        "pattern:AP2",
    ] {
        m.apply(&Edit::Model(ModelChange::DiagramPosition {
            node: node.into(),
            position: Some([1.0, 2.0]),
        }))
        .unwrap();
    }
    let user = entity(&m, "User");
    m.apply(&Edit::Remove(Element::Entity(user))).unwrap();
    let ap2 = pattern(&m, "AP2");
    m.apply(&Edit::Remove(Element::Pattern(ap2))).unwrap();
    let saved = |m: &Model| m.diagram.as_ref().map(|d| d.positions.len()).unwrap_or(0);
    assert_eq!(saved(&m), 2, "the table's and its index's stay");
    let orders = table(&m, "Orders");
    m.apply(&Edit::Remove(Element::Table(orders))).unwrap();
    assert_eq!(
        m.diagram, None,
        "the table takes its index's position with it"
    );
}
