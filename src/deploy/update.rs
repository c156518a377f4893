//! Changing a table the endpoint already has, one migration step at a time:
//! UpdateTable (a GSI created, deleted or given capacity, the billing mode, the
//! stream) and UpdateTimeToLive, each followed by a bounded wait until DynamoDB
//! has finished (the table ACTIVE, every GSI ACTIVE and no longer backfilling).

use std::time::{Duration, Instant};

use aws_sdk_dynamodb::operation::update_table::builders::UpdateTableFluentBuilder;
use aws_sdk_dynamodb::types::{
    BillingMode, CreateGlobalSecondaryIndexAction, DeleteGlobalSecondaryIndexAction,
    GlobalSecondaryIndexUpdate, IndexStatus, StreamSpecification, StreamViewType, TableDescription,
    TableStatus, TimeToLiveSpecification, UpdateGlobalSecondaryIndexAction,
};

use super::client::{
    BuildError, Dynamo, TABLE_WAIT, attribute_definitions, gsi_input, provisioned,
};
use super::plan::{Action, TableSpec};
use super::{Cancel, DeployError};
use crate::model::{Billing, KeyAttribute, ProvisionedThroughput, StreamView};

/// The first pause between two DescribeTable calls of a wait; it grows by half
/// each time, up to [`LONGEST_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(100);
const LONGEST_PAUSE: Duration = Duration::from_secs(5);

impl Dynamo {
    /// Takes one step on the endpoint's table `have` towards the model's `want`,
    /// and waits until DynamoDB has finished it.
    pub async fn take_step(
        &self,
        action: &Action,
        want: &TableSpec,
        have: &TableSpec,
        cancel: &Cancel,
    ) -> Result<(), DeployError> {
        match action {
            Action::CreateGsi { index, .. } => self.create_gsi(want, index, cancel).await,
            Action::DeleteGsi { index, .. } => self.delete_gsi(&want.name, index, cancel).await,
            Action::UpdateGsiCapacity { index, .. } => {
                self.update_gsi_capacity(want, index, cancel).await
            }
            Action::UpdateBilling { .. } => self.update_billing(want, have, cancel).await,
            Action::UpdateTimeToLive { from, to, .. } => {
                if let Some(old) = from {
                    self.set_time_to_live(&want.name, old, false).await?;
                }
                if let Some(new) = to {
                    self.set_time_to_live(&want.name, new, true).await?;
                }
                Ok(())
            }
            Action::UpdateStream { from, to, .. } => {
                if from.is_some() {
                    self.set_stream(&want.name, None, cancel).await?;
                }
                if to.is_some() {
                    self.set_stream(&want.name, *to, cancel).await?;
                }
                Ok(())
            }
            other => Err(DeployError::Rejected {
                operation: "deploy".into(),
                element: format!("table `{}`", want.name),
                message: format!(
                    "deploy does not take the step `{}` on an existing table",
                    other.describe()
                ),
            }),
        }
    }

    /// UpdateTable with one GSI Create (DynamoDB takes one per call), with the
    /// attribute definitions of its keys; waits until it is backfilled.
    async fn create_gsi(
        &self,
        want: &TableSpec,
        index: &str,
        cancel: &Cancel,
    ) -> Result<(), DeployError> {
        let element = gsi_element(&want.name, index);
        let gsi = want
            .gsi(index)
            .ok_or_else(|| not_in_model(&element, "the model's table has no such GSI"))?;
        let keys: Vec<KeyAttribute> = want
            .attributes
            .iter()
            .filter(|a| gsi.partition_key.contains(&a.name) || gsi.sort_key.contains(&a.name))
            .cloned()
            .collect();
        let build = || -> Result<_, BuildError> {
            let input = gsi_input(gsi)?;
            let create = CreateGlobalSecondaryIndexAction::builder()
                .index_name(index)
                .set_key_schema(Some(input.key_schema))
                .projection(input.projection)
                .set_provisioned_throughput(input.throughput)
                .build()?;
            Ok((attribute_definitions(&keys)?, create))
        };
        let (attributes, create) = build().map_err(|e| not_in_model(&element, &e.to_string()))?;
        let request = self
            .client
            .update_table()
            .table_name(&want.name)
            .set_attribute_definitions(Some(attributes))
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder().create(create).build(),
            );
        self.update_table(&element, request).await?;
        self.settle(
            &want.name,
            &element,
            "become ACTIVE and finish its backfill",
            |d| {
                d.global_secondary_indexes()
                    .iter()
                    .any(|g| g.index_name() == Some(index))
            },
            cancel,
        )
        .await
    }

    /// UpdateTable with a GSI Delete; waits until the index is gone. Loopback
    /// endpoints only: anywhere else it refuses without a request.
    async fn delete_gsi(
        &self,
        table: &str,
        index: &str,
        cancel: &Cancel,
    ) -> Result<(), DeployError> {
        if !self.local {
            return Err(DeployError::RemoteRecreate {
                endpoint: self.endpoint.clone(),
            });
        }
        let element = gsi_element(table, index);
        let delete = DeleteGlobalSecondaryIndexAction::builder()
            .index_name(index)
            .build()
            .map_err(|e| not_in_model(&element, &e.to_string()))?;
        let request = self
            .client
            .update_table()
            .table_name(table)
            .global_secondary_index_updates(
                GlobalSecondaryIndexUpdate::builder().delete(delete).build(),
            );
        self.update_table(&element, request).await?;
        self.settle(
            table,
            &element,
            "be deleted",
            |d| {
                !d.global_secondary_indexes()
                    .iter()
                    .any(|g| g.index_name() == Some(index))
            },
            cancel,
        )
        .await
    }

    /// UpdateTable with a GSI Update of its capacity, unless it already has it
    /// (a billing switch may have set it).
    async fn update_gsi_capacity(
        &self,
        want: &TableSpec,
        index: &str,
        cancel: &Cancel,
    ) -> Result<(), DeployError> {
        let element = gsi_element(&want.name, index);
        let Some(capacity) = want.gsi(index).and_then(|g| g.provisioned) else {
            return Err(not_in_model(
                &element,
                "the model gives the GSI no capacity",
            ));
        };
        let current = self.description(&want.name).await?;
        let has = current
            .global_secondary_indexes()
            .iter()
            .find(|g| g.index_name() == Some(index))
            .and_then(|g| g.provisioned_throughput())
            .map(|p| {
                (
                    p.read_capacity_units().unwrap_or(0),
                    p.write_capacity_units().unwrap_or(0),
                )
            });
        if has == Some(units(capacity)) {
            return Ok(());
        }
        let update =
            gsi_capacity(index, capacity).map_err(|e| not_in_model(&element, &e.to_string()))?;
        let request = self
            .client
            .update_table()
            .table_name(&want.name)
            .global_secondary_index_updates(update);
        self.update_table(&element, request).await?;
        self.settle(
            &want.name,
            &element,
            "take the new capacity",
            |_| true,
            cancel,
        )
        .await
    }

    /// UpdateTable BillingMode. Switching to provisioned gives the table its
    /// capacity and every GSI it has the model's (or the table's) capacity, as
    /// DynamoDB requires; between two provisioned modes only the table's
    /// capacity changes here (a GSI's is a step of its own).
    async fn update_billing(
        &self,
        want: &TableSpec,
        have: &TableSpec,
        cancel: &Cancel,
    ) -> Result<(), DeployError> {
        let element = format!("table `{}`", want.name);
        let mut request = self.client.update_table().table_name(&want.name);
        match want.billing {
            Billing::OnDemand => request = request.billing_mode(BillingMode::PayPerRequest),
            Billing::Provisioned {
                read_capacity,
                write_capacity,
            } => {
                let table_capacity = ProvisionedThroughput {
                    read_capacity,
                    write_capacity,
                };
                let build = || -> Result<_, BuildError> {
                    let mut updates = Vec::new();
                    if have.billing == Billing::OnDemand {
                        for g in &have.gsis {
                            let capacity = want
                                .gsi(&g.name)
                                .and_then(|w| w.provisioned)
                                .unwrap_or(table_capacity);
                            updates.push(gsi_capacity(&g.name, capacity)?);
                        }
                    }
                    Ok((provisioned(read_capacity, write_capacity)?, updates))
                };
                let (throughput, updates) =
                    build().map_err(|e| not_in_model(&element, &e.to_string()))?;
                request = request
                    .billing_mode(BillingMode::Provisioned)
                    .provisioned_throughput(throughput);
                if !updates.is_empty() {
                    request = request.set_global_secondary_index_updates(Some(updates));
                }
            }
        }
        self.update_table(&element, request).await?;
        self.settle(
            &want.name,
            &element,
            "switch its billing mode",
            |_| true,
            cancel,
        )
        .await
    }

    /// UpdateTable StreamSpecification: `Some(view)` enables the stream with that
    /// view, `None` disables it.
    async fn set_stream(
        &self,
        table: &str,
        view: Option<StreamView>,
        cancel: &Cancel,
    ) -> Result<(), DeployError> {
        let element = format!("the stream of table `{table}`");
        let spec = match view {
            Some(v) => StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::from(v.as_str()))
                .build(),
            None => StreamSpecification::builder().stream_enabled(false).build(),
        }
        .map_err(|e| not_in_model(&element, &e.to_string()))?;
        let request = self
            .client
            .update_table()
            .table_name(table)
            .stream_specification(spec);
        self.update_table(&element, request).await?;
        let what = if view.is_some() {
            "enable its stream"
        } else {
            "disable its stream"
        };
        self.settle(table, &element, what, |_| true, cancel).await
    }

    /// UpdateTimeToLive on `attribute` (DynamoDB turns it on or off in the background).
    pub(super) async fn set_time_to_live(
        &self,
        table: &str,
        attribute: &str,
        enabled: bool,
    ) -> Result<(), DeployError> {
        let element = format!("the time to live of table `{table}`");
        let ttl = TimeToLiveSpecification::builder()
            .enabled(enabled)
            .attribute_name(attribute)
            .build()
            .map_err(|e| not_in_model(&element, &e.to_string()))?;
        self.client
            .update_time_to_live()
            .table_name(table)
            .time_to_live_specification(ttl)
            .send()
            .await
            .map_err(|e| self.error("UpdateTimeToLive", &element, e))?;
        Ok(())
    }

    async fn update_table(
        &self,
        element: &str,
        request: UpdateTableFluentBuilder,
    ) -> Result<(), DeployError> {
        request
            .send()
            .await
            .map_err(|e| self.error("UpdateTable", element, e))?;
        Ok(())
    }

    /// Polls DescribeTable until the table is ACTIVE, every GSI is ACTIVE and
    /// none is backfilling, and `done` holds — at most [`TABLE_WAIT`].
    async fn settle(
        &self,
        table: &str,
        element: &str,
        what: &str,
        done: impl Fn(&TableDescription) -> bool,
        cancel: &Cancel,
    ) -> Result<(), DeployError> {
        let started = Instant::now();
        let mut pause = FIRST_PAUSE;
        loop {
            let description = self.description(table).await?;
            if settled(&description) && done(&description) {
                return Ok(());
            }
            if cancel.is_cancelled() {
                return Err(DeployError::Cancelled);
            }
            if started.elapsed() >= TABLE_WAIT {
                return Err(DeployError::WaitTimedOut {
                    element: element.to_string(),
                    what: what.to_string(),
                    seconds: TABLE_WAIT.as_secs(),
                });
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 3 / 2).min(LONGEST_PAUSE);
        }
    }
}

/// Nothing in the table is still being made: the table and its GSIs are
/// ACTIVE and no GSI is backfilling.
fn settled(d: &TableDescription) -> bool {
    d.table_status() == Some(&TableStatus::Active)
        && d.global_secondary_indexes().iter().all(|g| {
            g.index_status() == Some(&IndexStatus::Active) && g.backfilling() != Some(true)
        })
}

fn gsi_capacity(
    index: &str,
    capacity: ProvisionedThroughput,
) -> Result<GlobalSecondaryIndexUpdate, BuildError> {
    let update = UpdateGlobalSecondaryIndexAction::builder()
        .index_name(index)
        .provisioned_throughput(provisioned(
            capacity.read_capacity,
            capacity.write_capacity,
        )?)
        .build()?;
    Ok(GlobalSecondaryIndexUpdate::builder().update(update).build())
}

fn units(capacity: ProvisionedThroughput) -> (i64, i64) {
    let unit = |u: u64| i64::try_from(u).unwrap_or(i64::MAX);
    (unit(capacity.read_capacity), unit(capacity.write_capacity))
}

fn gsi_element(table: &str, index: &str) -> String {
    format!("GSI `{index}` of table `{table}`")
}

/// A request that could not be built from the model (no request was sent).
fn not_in_model(element: &str, message: &str) -> DeployError {
    DeployError::Rejected {
        operation: "UpdateTable".into(),
        element: element.to_string(),
        message: format!("the request could not be made: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_dynamodb::types::GlobalSecondaryIndexDescription;

    fn table(status: TableStatus, gsis: Vec<GlobalSecondaryIndexDescription>) -> TableDescription {
        TableDescription::builder()
            .table_name("Orders")
            .table_status(status)
            .set_global_secondary_indexes(Some(gsis))
            .build()
    }

    fn gsi(status: IndexStatus, backfilling: Option<bool>) -> GlobalSecondaryIndexDescription {
        GlobalSecondaryIndexDescription::builder()
            .index_name("GSI1")
            .index_status(status)
            .set_backfilling(backfilling)
            .build()
    }

    #[test]
    fn a_table_is_settled_once_its_indexes_are_active_and_backfilled() {
        assert!(settled(&table(TableStatus::Active, vec![])));
        assert!(!settled(&table(TableStatus::Updating, vec![])));
        assert!(!settled(&table(
            TableStatus::Active,
            vec![gsi(IndexStatus::Creating, Some(true))]
        )));
        // DynamoDB reports an index ACTIVE only after its backfill, but a
        // backfilling flag still set is not taken as done.
        assert!(!settled(&table(
            TableStatus::Active,
            vec![gsi(IndexStatus::Active, Some(true))]
        )));
        assert!(settled(&table(
            TableStatus::Active,
            vec![gsi(IndexStatus::Active, Some(false))]
        )));
        assert!(settled(&table(
            TableStatus::Active,
            vec![gsi(IndexStatus::Active, None)]
        )));
    }
}
