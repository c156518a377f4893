//! The aws-sdk-dynamodb side of deploying: one client per job, the table calls
//! (ListTables, DescribeTable, CreateTable, DeleteTable with their waiters), the
//! translation between `TableSpec` and the SDK's types, and the SDK's errors in
//! words a user understands.

use std::time::Duration;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType,
    LocalSecondaryIndex, Projection as SdkProjection, ProjectionType, ProvisionedThroughput,
    ScalarAttributeType, StreamSpecification, StreamViewType, TableDescription, TimeToLiveStatus,
};
use aws_sdk_dynamodb::waiters::table_exists::WaitUntilTableExistsError;
use aws_sdk_dynamodb::waiters::table_not_exists::WaitUntilTableNotExistsError;

use super::locality::{self, Place};
use super::plan::{IndexSpec, TableSpec};
use super::{DeployError, Limits, Target};
use crate::model::{self, Billing, KeyAttribute, Projection};

/// How long table waiters wait (real DynamoDB can take minutes for many GSIs).
pub(super) const TABLE_WAIT: Duration = Duration::from_secs(600);

/// A client for one endpoint, and what error messages need to know about it.
#[derive(Clone, Debug)]
pub struct Dynamo {
    pub client: Client,
    pub endpoint: String,
    pub local: bool,
    /// Put before every table name of the model (and of imported commands).
    pub table_prefix: String,
    pub limits: Limits,
}

impl Dynamo {
    /// Static dummy credentials and the pinned, proxy-free client of
    /// [`locality::local_http_client`] for a local endpoint (DynamoDB Local runs
    /// with `-sharedDb`, so any key sees the same tables); the standard AWS chain
    /// and client otherwise. Every call is bounded by `limits`.
    pub async fn connect(target: &Target, place: &Place, limits: &Limits) -> Dynamo {
        let local = place.local;
        // No attempt timeout: one bound per call, the one the message states.
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(limits.connect)
            .operation_timeout(limits.operation)
            .build();
        let retries = RetryConfig::standard().with_max_attempts(limits.attempts.max(1));
        let config = if local {
            aws_sdk_dynamodb::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new(target.region.clone()))
                .endpoint_url(target.endpoint.trim())
                .credentials_provider(Credentials::new(
                    "dynamodel",
                    "dynamodel",
                    None,
                    None,
                    "dynamodel-local",
                ))
                .http_client(locality::local_http_client(place))
                .timeout_config(timeouts)
                .retry_config(retries)
                .build()
        } else {
            let shared = aws_config::defaults(BehaviorVersion::latest())
                .region(Region::new(target.region.clone()))
                .endpoint_url(target.endpoint.trim())
                .load()
                .await;
            aws_sdk_dynamodb::config::Builder::from(&shared)
                .timeout_config(timeouts)
                .retry_config(retries)
                .build()
        };
        Dynamo {
            client: Client::from_conf(config),
            endpoint: target.endpoint.trim().to_string(),
            local,
            table_prefix: target.table_prefix.clone(),
            limits: limits.clone(),
        }
    }

    /// An SDK error in words: nothing listening, no answer in time, an answer
    /// that is not DynamoDB's, or DynamoDB's own code and message.
    pub fn error<E>(
        &self,
        operation: &str,
        element: &str,
        err: SdkError<E, HttpResponse>,
    ) -> DeployError
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let timed_out = |seconds: f64, waiting_for: String| DeployError::TimedOut {
            endpoint: self.endpoint.clone(),
            operation: operation.to_string(),
            element: element.to_string(),
            seconds,
            waiting_for,
        };
        let not_dynamodb = |detail: String| DeployError::NotDynamoDb {
            endpoint: self.endpoint.clone(),
            operation: operation.to_string(),
            detail,
        };
        match &err {
            // The operation timeout, the only one set: every attempt included.
            SdkError::TimeoutError(_) => {
                timed_out(self.limits.operation.as_secs_f64(), "an answer".to_string())
            }
            SdkError::DispatchFailure(failure) => {
                if failure.is_timeout() {
                    timed_out(
                        self.limits.connect.as_secs_f64(),
                        format!(
                            "the connection to be accepted (on each of {} attempts)",
                            self.limits.attempts.max(1)
                        ),
                    )
                } else if failure.is_other() && failure.as_other().is_none() {
                    // hyper could not read the answer as HTTP at all.
                    not_dynamodb(format!(
                        "something that is not HTTP ({})",
                        error_chain(&err)
                    ))
                } else {
                    DeployError::Unreachable {
                        endpoint: self.endpoint.clone(),
                        local: self.local,
                        detail: error_chain(&err),
                    }
                }
            }
            // HTTP, but not the JSON DynamoDB answers with.
            SdkError::ResponseError(response) => {
                not_dynamodb(answer_text(response.raw(), &error_chain(&err)))
            }
            SdkError::ServiceError(service) => match (err.code(), err.message()) {
                (Some(code), Some(message)) => {
                    rejected(operation, element, format!("{code}: {message}"))
                }
                (Some(code), None) => rejected(operation, element, code.to_string()),
                // Every DynamoDB error names its type; an HTML error page does not.
                _ => not_dynamodb(answer_text(service.raw(), "no DynamoDB error type")),
            },
            // No request was made: e.g. no credentials in the AWS chain.
            SdkError::ConstructionFailure(_) => rejected(
                operation,
                element,
                format!("the request could not be made: {}", error_chain(&err)),
            ),
            _ => not_dynamodb(error_chain(&err)),
        }
    }

    /// Every table name on the endpoint, in at most `limits.list_pages` pages.
    pub async fn list_tables(&self) -> Result<Vec<String>, DeployError> {
        let mut names = Vec::new();
        let mut start: Option<String> = None;
        for _ in 0..self.limits.list_pages {
            let out = self
                .client
                .list_tables()
                .set_exclusive_start_table_name(start.clone())
                .send()
                .await
                .map_err(|e| self.error("ListTables", "the endpoint", e))?;
            names.extend(out.table_names().iter().cloned());
            match out.last_evaluated_table_name() {
                // The same page again would be asked for forever.
                Some(last) if start.as_deref() == Some(last) => {
                    return Err(DeployError::NotDynamoDb {
                        endpoint: self.endpoint.clone(),
                        operation: "ListTables".into(),
                        detail: format!("the page after `{last}` again starting after `{last}`"),
                    });
                }
                Some(last) => start = Some(last.to_string()),
                None => return Ok(names),
            }
        }
        Err(DeployError::EndlessListing {
            endpoint: self.endpoint.clone(),
            pages: self.limits.list_pages,
            names: names.len(),
        })
    }

    /// DescribeTable's description of `table`.
    pub async fn description(&self, table: &str) -> Result<TableDescription, DeployError> {
        let out = self
            .client
            .describe_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| self.error("DescribeTable", &format!("table `{table}`"), e))?;
        out.table.ok_or_else(|| DeployError::Rejected {
            operation: "DescribeTable".into(),
            element: format!("table `{table}`"),
            message: "the answer describes no table".into(),
        })
    }

    pub async fn describe(&self, table: &str) -> Result<TableSpec, DeployError> {
        let description = self.description(table).await?;
        let mut spec = spec_from_description(table, &description);
        let ttl = self
            .client
            .describe_time_to_live()
            .table_name(table)
            .send()
            .await
            .map_err(|e| self.error("DescribeTimeToLive", &format!("table `{table}`"), e))?;
        spec.ttl = ttl.time_to_live_description().and_then(|d| {
            matches!(
                d.time_to_live_status(),
                Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
            )
            .then(|| d.attribute_name().unwrap_or_default().to_string())
        });
        Ok(spec)
    }

    /// Creates the table with all its indexes and waits until it is ACTIVE.
    pub async fn create(&self, spec: &TableSpec) -> Result<(), DeployError> {
        let element = format!("table `{}`", spec.name);
        let rejected = |message: String| create_rejected(spec, message);
        let input = create_input(spec).map_err(|e| rejected(e.to_string()))?;
        let mut request = self
            .client
            .create_table()
            .table_name(&spec.name)
            .set_attribute_definitions(Some(input.attributes))
            .set_key_schema(Some(input.key_schema))
            .billing_mode(input.billing_mode)
            .set_provisioned_throughput(input.throughput);
        if !input.gsis.is_empty() {
            request = request.set_global_secondary_indexes(Some(input.gsis));
        }
        if !input.lsis.is_empty() {
            request = request.set_local_secondary_indexes(Some(input.lsis));
        }
        if let Some(view) = spec.stream {
            request = request.stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::from(view.as_str()))
                    .build()
                    .map_err(|e| rejected(e.to_string()))?,
            );
        }
        request
            .send()
            .await
            .map_err(|e| match self.error("CreateTable", &element, e) {
                DeployError::Rejected { message, .. } => rejected(message),
                other => other,
            })?;
        self.client
            .wait_until_table_exists()
            .table_name(&spec.name)
            .wait(TABLE_WAIT)
            .await
            .map_err(|e| match e {
                WaitUntilTableExistsError::OperationFailed(failed) => {
                    self.error("DescribeTable", &element, failed.into_error())
                }
                other => waited_in_vain(&element, "become ACTIVE", &other),
            })?;
        if let Some(attribute) = &spec.ttl {
            self.set_time_to_live(&spec.name, attribute, true)
                .await
                .map_err(|e| match e {
                    DeployError::Rejected { message, .. } => rejected(message),
                    other => other,
                })?;
        }
        Ok(())
    }

    /// Deletes the table and waits until it is gone — on a loopback endpoint
    /// only: anywhere else it refuses without a request.
    pub async fn delete(&self, table: &str) -> Result<(), DeployError> {
        if !self.local {
            return Err(DeployError::RemoteRecreate {
                endpoint: self.endpoint.clone(),
            });
        }
        let element = format!("table `{table}`");
        self.client
            .delete_table()
            .table_name(table)
            .send()
            .await
            .map_err(|e| self.error("DeleteTable", &element, e))?;
        self.client
            .wait_until_table_not_exists()
            .table_name(table)
            .wait(TABLE_WAIT)
            .await
            .map_err(|e| match e {
                WaitUntilTableNotExistsError::OperationFailed(failed) => {
                    self.error("DescribeTable", &element, failed.into_error())
                }
                other => waited_in_vain(&element, "be deleted", &other),
            })?;
        Ok(())
    }
}

/// Builds `spec`'s CreateTable input without sending it, so that what the SDK
/// refuses stops a deploy before it changes any table.
pub fn check_create(spec: &TableSpec) -> Result<(), DeployError> {
    create_input(spec)
        .map(|_| ())
        .map_err(|e| create_rejected(spec, e.to_string()))
}

fn create_rejected(spec: &TableSpec, message: String) -> DeployError {
    DeployError::CreateRejected {
        table: spec.name.clone(),
        element: super::plan::element_in(spec, &message),
        message,
    }
}

fn rejected(operation: &str, element: &str, message: String) -> DeployError {
    DeployError::Rejected {
        operation: operation.to_string(),
        element: element.to_string(),
        message,
    }
}

/// What came back instead of DynamoDB's JSON: `HTTP 200 (text/html): <html>…`,
/// the body cut to 80 characters, then `why`.
fn answer_text(response: &HttpResponse, why: &str) -> String {
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let body = response.body().bytes().unwrap_or_default();
    let mut excerpt: String = String::from_utf8_lossy(&body[..body.len().min(240)])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if excerpt.chars().count() > 80 {
        excerpt = excerpt.chars().take(80).collect::<String>() + "…";
    }
    let excerpt = if excerpt.is_empty() {
        "an empty body".to_string()
    } else {
        format!("`{excerpt}`")
    };
    format!("HTTP {status}{kind}: {excerpt} ({why})")
}

/// A waiter that gave up (timed out, or saw a state it cannot leave).
fn waited_in_vain(element: &str, what: &str, err: &dyn std::error::Error) -> DeployError {
    DeployError::Rejected {
        operation: "DescribeTable".into(),
        element: element.to_string(),
        message: format!("waiting for the table to {what}: {}", error_chain(err)),
    }
}

/// An error with its sources, `outer: inner: innermost`.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        let next = s.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = s.source();
    }
    text
}

struct CreateInput {
    attributes: Vec<AttributeDefinition>,
    key_schema: Vec<KeySchemaElement>,
    billing_mode: BillingMode,
    throughput: Option<ProvisionedThroughput>,
    gsis: Vec<GlobalSecondaryIndex>,
    lsis: Vec<LocalSecondaryIndex>,
}

pub(super) type BuildError = aws_sdk_dynamodb::error::BuildError;

fn create_input(spec: &TableSpec) -> Result<CreateInput, BuildError> {
    let attributes = attribute_definitions(&spec.attributes)?;
    let (billing_mode, throughput) = match spec.billing {
        Billing::OnDemand => (BillingMode::PayPerRequest, None),
        Billing::Provisioned {
            read_capacity,
            write_capacity,
        } => (
            BillingMode::Provisioned,
            Some(provisioned(read_capacity, write_capacity)?),
        ),
    };
    let mut gsis = Vec::new();
    for g in &spec.gsis {
        let input = gsi_input(g)?;
        gsis.push(
            GlobalSecondaryIndex::builder()
                .index_name(&g.name)
                .set_key_schema(Some(input.key_schema))
                .projection(input.projection)
                .set_provisioned_throughput(input.throughput)
                .build()?,
        );
    }
    let mut lsis = Vec::new();
    for l in &spec.lsis {
        lsis.push(
            LocalSecondaryIndex::builder()
                .index_name(&l.name)
                .set_key_schema(Some(key_schema(&l.partition_key, &l.sort_key)?))
                .projection(projection(&l.projection))
                .build()?,
        );
    }
    Ok(CreateInput {
        attributes,
        key_schema: key_schema(
            std::slice::from_ref(&spec.partition_key),
            spec.sort_key.as_slice(),
        )?,
        billing_mode,
        throughput,
        gsis,
        lsis,
    })
}

/// AttributeDefinitions for `attributes`, as CreateTable and UpdateTable take them.
pub(super) fn attribute_definitions(
    attributes: &[KeyAttribute],
) -> Result<Vec<AttributeDefinition>, BuildError> {
    attributes
        .iter()
        .map(|a| {
            AttributeDefinition::builder()
                .attribute_name(&a.name)
                .attribute_type(scalar_type(a.key_type))
                .build()
        })
        .collect()
}

/// A GSI's keys, projection and capacity, as CreateTable's GlobalSecondaryIndexes
/// and UpdateTable's GSI Create both take them.
pub(super) struct GsiInput {
    pub key_schema: Vec<KeySchemaElement>,
    pub projection: SdkProjection,
    pub throughput: Option<ProvisionedThroughput>,
}

pub(super) fn gsi_input(g: &IndexSpec) -> Result<GsiInput, BuildError> {
    Ok(GsiInput {
        key_schema: key_schema(&g.partition_key, &g.sort_key)?,
        projection: projection(&g.projection),
        throughput: g
            .provisioned
            .map(|p| provisioned(p.read_capacity, p.write_capacity))
            .transpose()?,
    })
}

pub(super) fn provisioned(read: u64, write: u64) -> Result<ProvisionedThroughput, BuildError> {
    ProvisionedThroughput::builder()
        .read_capacity_units(i64::try_from(read).unwrap_or(i64::MAX))
        .write_capacity_units(i64::try_from(write).unwrap_or(i64::MAX))
        .build()
}

/// HASH elements, then RANGE elements, each in key order (multi-attribute keys).
fn key_schema(partition: &[String], sort: &[String]) -> Result<Vec<KeySchemaElement>, BuildError> {
    partition
        .iter()
        .map(|name| (name, KeyType::Hash))
        .chain(sort.iter().map(|name| (name, KeyType::Range)))
        .map(|(name, key_type)| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(key_type)
                .build()
        })
        .collect()
}

fn projection(projection: &Projection) -> SdkProjection {
    match projection {
        Projection::All => SdkProjection::builder()
            .projection_type(ProjectionType::All)
            .build(),
        Projection::KeysOnly => SdkProjection::builder()
            .projection_type(ProjectionType::KeysOnly)
            .build(),
        Projection::Include { attributes } => SdkProjection::builder()
            .projection_type(ProjectionType::Include)
            .set_non_key_attributes(Some(attributes.clone()))
            .build(),
    }
}

fn scalar_type(key_type: model::KeyType) -> ScalarAttributeType {
    match key_type {
        model::KeyType::S => ScalarAttributeType::S,
        model::KeyType::N => ScalarAttributeType::N,
        model::KeyType::B => ScalarAttributeType::B,
    }
}

/// What DescribeTable says, in the model's terms, so `plan` can compare it.
fn spec_from_description(table: &str, d: &TableDescription) -> TableSpec {
    let attributes: Vec<KeyAttribute> = d
        .attribute_definitions()
        .iter()
        .map(|a| {
            let key_type = match a.attribute_type() {
                ScalarAttributeType::N => model::KeyType::N,
                ScalarAttributeType::B => model::KeyType::B,
                _ => model::KeyType::S,
            };
            KeyAttribute::new(a.attribute_name(), key_type)
        })
        .collect();
    let (partition, sort) = split_keys(d.key_schema());
    let capacity = d.provisioned_throughput().and_then(|p| {
        let read = p.read_capacity_units().unwrap_or(0);
        let write = p.write_capacity_units().unwrap_or(0);
        (read > 0 || write > 0).then(|| model::ProvisionedThroughput {
            read_capacity: read.max(0) as u64,
            write_capacity: write.max(0) as u64,
        })
    });
    let on_demand = match d.billing_mode_summary().and_then(|b| b.billing_mode()) {
        Some(BillingMode::PayPerRequest) => true,
        Some(BillingMode::Provisioned) => false,
        _ => capacity.is_none(),
    };
    let billing = match capacity {
        Some(c) if !on_demand => Billing::Provisioned {
            read_capacity: c.read_capacity,
            write_capacity: c.write_capacity,
        },
        _ => Billing::OnDemand,
    };
    let index = |name: Option<&str>,
                 keys: &[KeySchemaElement],
                 p: Option<&SdkProjection>,
                 capacity: Option<model::ProvisionedThroughput>| {
        let (partition_key, sort_key) = split_keys(keys);
        IndexSpec {
            name: name.unwrap_or_default().to_string(),
            partition_key,
            sort_key,
            projection: super::plan::normalized(&projection_from(p)),
            provisioned: if on_demand { None } else { capacity },
        }
    };
    TableSpec {
        name: d.table_name().unwrap_or(table).to_string(),
        attributes,
        partition_key: partition.into_iter().next().unwrap_or_default(),
        sort_key: sort.into_iter().next(),
        billing,
        gsis: d
            .global_secondary_indexes()
            .iter()
            .map(|g| {
                let capacity = g
                    .provisioned_throughput()
                    .map(|p| model::ProvisionedThroughput {
                        read_capacity: p.read_capacity_units().unwrap_or(0).max(0) as u64,
                        write_capacity: p.write_capacity_units().unwrap_or(0).max(0) as u64,
                    });
                index(g.index_name(), g.key_schema(), g.projection(), capacity)
            })
            .collect(),
        lsis: d
            .local_secondary_indexes()
            .iter()
            .map(|l| index(l.index_name(), l.key_schema(), l.projection(), None))
            .collect(),
        // DescribeTable does not say; `describe` asks DescribeTimeToLive.
        ttl: None,
        stream: d
            .stream_specification()
            .filter(|s| s.stream_enabled())
            .and_then(|s| s.stream_view_type())
            .and_then(|v| model::StreamView::parse(v.as_str())),
    }
}

fn split_keys(keys: &[KeySchemaElement]) -> (Vec<String>, Vec<String>) {
    let names = |wanted: KeyType| {
        keys.iter()
            .filter(|k| *k.key_type() == wanted)
            .map(|k| k.attribute_name().to_string())
            .collect()
    };
    (names(KeyType::Hash), names(KeyType::Range))
}

fn projection_from(p: Option<&SdkProjection>) -> Projection {
    match p.and_then(|p| p.projection_type()) {
        Some(ProjectionType::KeysOnly) => Projection::KeysOnly,
        Some(ProjectionType::Include) => Projection::Include {
            attributes: p
                .map(|p| p.non_key_attributes().to_vec())
                .unwrap_or_default(),
        },
        _ => Projection::All,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gsi, Lsi, Table};

    #[test]
    fn a_described_table_reads_back_as_the_spec_it_was_created_from() {
        let mut t = Table::new("Users", KeyAttribute::string("PK"));
        t.sort_key = Some(KeyAttribute::new("SK", model::KeyType::N));
        t.billing = Billing::Provisioned {
            read_capacity: 4,
            write_capacity: 2,
        };
        t.gsis.push(Gsi {
            uid: Default::default(),
            name: "GSI1".into(),
            partition_key: vec![KeyAttribute::string("a"), KeyAttribute::string("b")],
            sort_key: vec![KeyAttribute::new("c", model::KeyType::B)],
            projection: Projection::Include {
                attributes: vec!["x".into()],
            },
            provisioned: None,
        });
        t.lsis.push(Lsi {
            uid: Default::default(),
            name: "L".into(),
            sort_key: KeyAttribute::string("d"),
            projection: Projection::KeysOnly,
        });
        let spec = TableSpec::from_model(&t);
        let input = create_input(&spec).unwrap();
        let pt = |p: &ProvisionedThroughput| {
            aws_sdk_dynamodb::types::ProvisionedThroughputDescription::builder()
                .read_capacity_units(p.read_capacity_units())
                .write_capacity_units(p.write_capacity_units())
                .build()
        };
        let description = TableDescription::builder()
            .table_name("Users")
            .set_attribute_definitions(Some(input.attributes))
            .set_key_schema(Some(input.key_schema))
            .set_provisioned_throughput(input.throughput.as_ref().map(pt))
            .global_secondary_indexes(
                aws_sdk_dynamodb::types::GlobalSecondaryIndexDescription::builder()
                    .index_name("GSI1")
                    .set_key_schema(Some(input.gsis[0].key_schema().to_vec()))
                    .set_projection(input.gsis[0].projection().cloned())
                    .set_provisioned_throughput(input.gsis[0].provisioned_throughput().map(pt))
                    .build(),
            )
            .local_secondary_indexes(
                aws_sdk_dynamodb::types::LocalSecondaryIndexDescription::builder()
                    .index_name("L")
                    .set_key_schema(Some(input.lsis[0].key_schema().to_vec()))
                    .set_projection(input.lsis[0].projection().cloned())
                    .build(),
            )
            .build();
        assert_eq!(spec_from_description("Users", &description), spec);
    }
}
