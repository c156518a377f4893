//! Random edit sequences: a refused edit leaves the model exactly as it was, an
//! applied one never breaks the `model.*` integrity rules, and the elements keep
//! identities of their own.

use std::collections::HashSet;

use dynamodel::analysis;
use dynamodel::model::{
    self, AttrType, Edit, Element, EntityChange, IndexChange, KeyAttribute, KeyType, Model,
    NewIndex, PatternChange, Projection, RangeCondition, RangeOp, TableChange, Uid, samples,
};

/// A small deterministic generator (xorshift64*): a failing seed replays exactly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

fn shop(name: &str) -> Model {
    samples::sample(name).unwrap().load().unwrap()
}

/// The `model.*` findings of a model, as text.
fn integrity(model: &Model) -> Vec<String> {
    analysis::analyze(model)
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("model."))
        .map(|f| format!("{} {}", f.rule, f.message))
        .collect()
}

/// Every identity in the model, in model order.
pub fn identities(model: &Model) -> Vec<Uid> {
    let mut out = Vec::new();
    for t in &model.tables {
        out.push(t.uid.get());
        out.extend(t.gsis.iter().map(|g| g.uid.get()));
        out.extend(t.lsis.iter().map(|l| l.uid.get()));
    }
    for e in &model.entities {
        out.push(e.uid.get());
        out.extend(e.attributes.iter().map(|a| a.uid.get()));
    }
    out.extend(model.access_patterns.iter().map(|p| p.uid.get()));
    out
}

/// Names to type: the model's own (to collide), prefixes of them (what typing
/// passes through), and a few fresh or broken ones.
fn name_pool(model: &Model) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in &model.tables {
        out.push(t.name.clone());
        out.extend(t.gsis.iter().map(|g| g.name.clone()));
        out.extend(t.key_attribute_names().iter().map(|k| k.to_string()));
    }
    for e in &model.entities {
        out.push(e.name.clone());
        out.extend(e.attributes.iter().map(|a| a.name.clone()));
    }
    out.extend(model.access_patterns.iter().map(|p| p.id.clone()));
    let prefixes: Vec<String> = out
        .iter()
        .filter(|n| n.len() > 1)
        .map(|n| n[..n.len() - 1].to_string())
        .collect();
    out.extend(prefixes);
    out.extend(
        [
            "X",
            "Fresh",
            "",
            " padded",
            "AP1",
            "GSI9",
            "with space",
            "A}",
            "{x}",
            "GSI+1",
        ]
        .map(str::to_string),
    );
    out
}

/// One random edit of `model` (it may well be refused).
pub fn random_edit(rng: &mut Rng, model: &Model) -> Option<Edit> {
    let names = name_pool(model);
    let name = rng.pick(&names)?.clone();
    let table = rng.pick(&model.tables).map(|t| t.uid.get());
    let entity = rng.pick(&model.entities);
    let pattern = rng.pick(&model.access_patterns).map(|p| p.uid.get());
    let index = rng.pick(&model.tables).and_then(|t| {
        let all: Vec<Uid> = t
            .gsis
            .iter()
            .map(|g| g.uid.get())
            .chain(t.lsis.iter().map(|l| l.uid.get()))
            .collect();
        rng.pick(&all).map(|&index| Element::Index {
            table: t.uid.get(),
            index,
        })
    });
    let attribute = entity.and_then(|e| {
        rng.pick(&e.attributes).map(|a| Element::Attribute {
            entity: e.uid.get(),
            attribute: a.uid.get(),
        })
    });
    let entity_uid = entity.map(|e| e.uid.get());
    let element = match rng.below(5) {
        0 => table.map(Element::Table),
        1 => index,
        2 => entity_uid.map(Element::Entity),
        3 => attribute,
        _ => pattern.map(Element::Pattern),
    };
    let attr_names: Vec<String> = entity
        .map(|e| e.attributes.iter().map(|a| a.name.clone()).collect())
        .unwrap_or_default();
    let edit = match rng.below(16) {
        0..=3 => Edit::Rename {
            element: element?,
            name,
        },
        4 => {
            let t = model.table_by_uid(table?)?;
            let keys = t.key_attribute_names();
            Edit::RenameKeyAttribute {
                table: table?,
                from: rng.pick(&keys)?.to_string(),
                to: name,
            }
        }
        5 => {
            let element = element?;
            // Tables go rarely: a sequence should not empty the model at once.
            if matches!(element, Element::Table(_)) && !rng.chance(10) {
                return None;
            }
            Edit::Remove(element)
        }
        6 => Edit::Duplicate(element?),
        7 => match rng.below(6) {
            0 => Edit::AddTable(model.new_table()),
            1 => Edit::AddIndex {
                table: table?,
                index: NewIndex::Gsi(model.new_gsi(table?)?),
            },
            2 => Edit::AddIndex {
                table: table?,
                index: NewIndex::Lsi(model.new_lsi(table?)?),
            },
            3 => Edit::AddEntity(model.new_entity(table?)?),
            4 => Edit::AddAttribute {
                entity: entity_uid?,
                attribute: model.new_attribute(entity_uid?)?,
            },
            _ => Edit::AddPattern(model.new_pattern(entity.map(|e| e.name.as_str()))),
        },
        8 => Edit::MoveEntity {
            entity: entity_uid?,
            table: table?,
        },
        9 => {
            let e = entity?;
            let t = model.table(&e.table)?;
            let keys = t.key_attribute_names();
            let attr = rng.pick(&attr_names).cloned().unwrap_or_default();
            let template = match rng.below(5) {
                0 => None,
                1 => Some(format!("{{{attr}}}")),
                2 => Some(format!("LIT#{{{attr}}}#{{{}}}", name)),
                3 => Some("{broken".to_string()),
                _ => Some(format!("{{{attr}:08}}")),
            };
            Edit::SetTemplate {
                entity: e.uid.get(),
                key: rng.pick(&keys)?.to_string(),
                template,
            }
        }
        10 => Edit::Table {
            table: table?,
            change: match rng.below(3) {
                0 => TableChange::SortKey(None),
                1 => TableChange::SortKey(Some(KeyAttribute::string(name))),
                _ => TableChange::PartitionKeyType(KeyType::N),
            },
        },
        11 => {
            let Element::Index { table, index } = index? else {
                return None;
            };
            let t = model.table_by_uid(table)?;
            let keys = t.key_attribute_names();
            let n = rng.below(3) + usize::from(rng.chance(50));
            let mut list: Vec<KeyAttribute> = (0..n)
                .filter_map(|_| rng.pick(&keys).map(|k| KeyAttribute::string(*k)))
                .collect();
            if rng.chance(30) {
                list.push(KeyAttribute::string(name.clone()));
            }
            Edit::Index {
                table,
                index,
                change: match rng.below(3) {
                    0 => IndexChange::PartitionKey(list),
                    1 => IndexChange::SortKey(list),
                    _ => IndexChange::Projection(Projection::Include {
                        attributes: attr_names.clone(),
                    }),
                },
            }
        }
        12 => {
            let mut entities: Vec<String> = (0..rng.below(3))
                .filter_map(|_| rng.pick(&model.entities).map(|e| e.name.clone()))
                .collect();
            if rng.chance(10) {
                entities.push("Nobody".into());
            }
            Edit::Pattern {
                pattern: pattern?,
                change: PatternChange::Entities(entities),
            }
        }
        13 => {
            let p = model.pattern_by_uid(pattern?)?;
            let pool: Vec<String> = p
                .entities
                .iter()
                .filter_map(|e| model.entity(e))
                .flat_map(|e| e.attributes.iter().map(|a| a.name.clone()))
                .chain([name.clone()])
                .collect();
            let change = match rng.below(3) {
                0 => PatternChange::Inputs(
                    (0..rng.below(3))
                        .filter_map(|_| rng.pick(&pool).cloned())
                        .collect(),
                ),
                1 => PatternChange::Range(rng.pick(&pool).map(|a| RangeCondition {
                    attribute: a.clone(),
                    op: RangeOp::BeginsWith,
                })),
                _ => PatternChange::Index(Some(name)),
            };
            Edit::Pattern {
                pattern: pattern?,
                change,
            }
        }
        14 => Edit::Entity {
            entity: entity_uid?,
            change: EntityChange::ItemCount(rng.below(10_000) as u64),
        },
        _ => Edit::Attribute {
            entity: entity_uid?,
            attribute: match attribute? {
                Element::Attribute { attribute, .. } => attribute,
                _ => return None,
            },
            change: model::AttributeChange::Type(AttrType::N),
        },
    };
    Some(edit)
}

#[test]
fn random_edit_sequences_keep_the_model_whole() {
    let mut applied = 0;
    let mut refused = 0;
    for seed in 0..60u64 {
        let start = if seed % 2 == 0 {
            "ecommerce"
        } else {
            "ecommerce-initial"
        };
        let mut model = shop(start);
        assert!(integrity(&model).is_empty(), "{start} starts whole");
        let mut rng = Rng::new(seed);
        let mut history: Vec<Edit> = Vec::new();
        for _ in 0..40 {
            let Some(edit) = random_edit(&mut rng, &model) else {
                continue;
            };
            let before = model.clone();
            let before_json = model::to_json(&before).unwrap();
            let before_ids = identities(&before);
            match model.apply(&edit) {
                Err(_) => {
                    refused += 1;
                    assert_eq!(
                        model::to_json(&model).unwrap(),
                        before_json,
                        "seed {seed}: refused {edit:?} changed the model"
                    );
                    assert_eq!(identities(&model), before_ids);
                }
                Ok(_) => {
                    applied += 1;
                    history.push(edit.clone());
                    let broken = integrity(&model);
                    assert!(
                        broken.is_empty(),
                        "seed {seed}: after {history:#?}\nthe model breaks {broken:#?}"
                    );
                    let ids = identities(&model);
                    let unique: HashSet<Uid> = ids.iter().copied().collect();
                    assert_eq!(
                        unique.len(),
                        ids.len(),
                        "seed {seed}: {edit:?} shares an identity"
                    );
                }
            }
        }
    }
    // The generator must exercise both outcomes, or the test proves nothing.
    assert!(applied > 300, "only {applied} edits applied");
    assert!(refused > 100, "only {refused} edits refused");
}

#[test]
fn undoing_a_random_sequence_returns_the_identical_model() {
    for seed in 100..130u64 {
        let start = if seed % 2 == 0 {
            "ecommerce"
        } else {
            "ecommerce-initial"
        };
        let mut doc = dynamodel::ui::Document::new(shop(start), None);
        let original = model::to_json(doc.model()).unwrap();
        let original_ids = identities(doc.model());
        let mut rng = Rng::new(seed);
        let mut applied = 0;
        for _ in 0..30 {
            let Some(edit) = random_edit(&mut rng, doc.model()) else {
                continue;
            };
            // Typed edits merge into one step, as keystrokes in one field do.
            let result = if rng.chance(30) {
                doc.apply_typing(&edit)
            } else {
                doc.apply(&edit)
            };
            applied += usize::from(result.is_ok());
        }
        while doc.undo().is_some() {}
        assert_eq!(
            model::to_json(doc.model()).unwrap(),
            original,
            "seed {seed}: undo did not come back"
        );
        assert_eq!(identities(doc.model()), original_ids, "seed {seed}");
        assert!(!doc.is_dirty(), "seed {seed}: back at the opened state");
        assert!(applied > 0, "seed {seed} applied nothing");
    }
}
