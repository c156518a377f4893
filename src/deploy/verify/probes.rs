//! Finding seeded items to bind calls to: the sample items' keys are looked up
//! with BatchGetItem; an entity none of whose samples is in its table (seeded
//! with other counts, or by someone else) is looked for with a Scan.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_dynamodb::types::KeysAndAttributes;

use super::{PROBES, Verifier};
use crate::deploy::DeployError;
use crate::deploy::convert::{from_sdk_item, to_sdk_item};
use crate::deploy::scratch::primary_key;
use crate::deploy::seed::backoff;
use crate::model::{Item, Table, item_to_json};

/// DynamoDB's limit of keys per BatchGetItem.
const BATCH_GET_KEYS: usize = 100;
/// Scan pages read at most while looking for an entity's items.
const SCAN_PAGES: usize = 50;
const SCAN_PAGE_ITEMS: i32 = 1000;

impl Verifier<'_> {
    pub(super) async fn find_probes(&mut self) -> Result<(), DeployError> {
        for table in &self.model.tables {
            let mut candidates: Vec<(String, Item)> = Vec::new();
            for samples in self
                .samples
                .entities
                .iter()
                .filter(|e| e.table == table.name)
            {
                for item in samples.items.iter().take(PROBES) {
                    if let Ok(key) = primary_key(table, item) {
                        candidates.push((samples.entity.clone(), key));
                    }
                }
            }
            let mut found: HashMap<String, Item> = HashMap::new();
            for chunk in candidates.chunks(BATCH_GET_KEYS) {
                let keys: Vec<Item> = chunk.iter().map(|(_, k)| k.clone()).collect();
                for item in self.batch_get(table, keys).await? {
                    if let Ok(key) = primary_key(table, &item) {
                        found.insert(item_to_json(&key).to_string(), item);
                    }
                }
            }
            // In the samples' order, so the same seed binds the same items.
            for (entity, key) in &candidates {
                if let Some(item) = found.remove(&item_to_json(key).to_string()) {
                    self.probes.entry(entity.clone()).or_default().push(item);
                }
            }
            self.scan_for_missing(table).await?;
        }
        // Calls bind key templates to attribute values; items another tool wrote may
        // carry some of those values only inside their keys (`USER#u1`).
        for (name, items) in &mut self.probes {
            if let Some(entity) = self.model.entity(name) {
                for item in items.iter_mut() {
                    item.extend(entity.values_from_keys(item));
                }
            }
        }
        Ok(())
    }

    /// Every item of `keys` the table has (unprocessed keys are asked again).
    async fn batch_get(&self, table: &Table, keys: Vec<Item>) -> Result<Vec<Item>, DeployError> {
        let mut items = Vec::new();
        let mut pending = keys.iter().map(to_sdk_item).collect::<Vec<_>>();
        let mut attempt = 0;
        while !pending.is_empty() {
            attempt += 1;
            let request = KeysAndAttributes::builder()
                .set_keys(Some(std::mem::take(&mut pending)))
                .consistent_read(true)
                .build()
                .map_err(|e| DeployError::Rejected {
                    operation: "BatchGetItem".into(),
                    element: format!("table `{}`", table.name),
                    message: e.to_string(),
                })?;
            let out = self
                .dynamo
                .client
                .batch_get_item()
                .request_items(&table.name, request)
                .send()
                .await
                .map_err(|e| {
                    self.dynamo
                        .error("BatchGetItem", &format!("table `{}`", table.name), e)
                })?;
            if let Some(found) = out.responses().and_then(|r| r.get(&table.name)) {
                items.extend(found.iter().map(from_sdk_item));
            }
            if let Some(left) = out.unprocessed_keys().and_then(|u| u.get(&table.name))
                && attempt < 8
            {
                pending = left.keys().to_vec();
                tokio::time::sleep(backoff(attempt)).await;
            }
        }
        Ok(items)
    }

    /// Scans `table` for items of its entities that have no probe yet.
    async fn scan_for_missing(&mut self, table: &Table) -> Result<(), DeployError> {
        let model = self.model;
        let missing = |probes: &BTreeMap<String, Vec<Item>>| {
            model
                .entities_of(&table.name)
                .filter(|e| probes.get(&e.name).is_none_or(Vec::is_empty))
                .map(|e| e.name.clone())
                .collect::<Vec<_>>()
        };
        let mut wanted = missing(&self.probes);
        let mut start = None;
        for _ in 0..SCAN_PAGES {
            if wanted.is_empty() {
                break;
            }
            let out = self
                .dynamo
                .client
                .scan()
                .table_name(&table.name)
                .limit(SCAN_PAGE_ITEMS)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| {
                    self.dynamo
                        .error("Scan", &format!("table `{}`", table.name), e)
                })?;
            for raw in out.items() {
                let item = from_sdk_item(raw);
                if let Some(entity) = self.classifier.entity_of(&table.name, &item)
                    && wanted.iter().any(|w| w == entity)
                {
                    let list = self.probes.entry(entity.to_string()).or_default();
                    if list.len() < PROBES {
                        list.push(item);
                    }
                }
            }
            wanted = missing(&self.probes);
            match out.last_evaluated_key() {
                Some(key) => start = Some(key.clone()),
                None => break,
            }
        }
        Ok(())
    }
}
