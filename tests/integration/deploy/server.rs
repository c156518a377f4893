//! DynamoDB Local for the tests: the shared server (`DYNAMODB_ENDPOINT` when
//! set, else one `scripts/dynamodb-local.sh start` starts), a prefix of its own
//! per test whose tables are dropped after it, and servers a test starts and
//! stops itself.

use std::process::Command;
use std::sync::OnceLock;

use dynamodel::deploy::Target;

/// The DynamoDB Local every deploy test (and the Deploy tab's test) talks to.
pub fn local_endpoint() -> &'static str {
    static ENDPOINT: OnceLock<String> = OnceLock::new();
    ENDPOINT.get_or_init(|| {
        if let Ok(endpoint) = std::env::var("DYNAMODB_ENDPOINT")
            && !endpoint.trim().is_empty()
        {
            return endpoint;
        }
        let port = std::env::var("DYNAMODB_LOCAL_PORT").unwrap_or_else(|_| "8000".into());
        assert!(
            dynamodb_local("start", &port),
            "DynamoDB Local is needed for the deploy tests and did not start (scripts/dynamodb-local.sh start)"
        );
        format!("http://127.0.0.1:{port}")
    })
}

/// Runs `scripts/dynamodb-local.sh COMMAND` for `port`; whether it succeeded.
pub fn dynamodb_local(command: &str, port: &str) -> bool {
    Command::new(crate::root().join("scripts/dynamodb-local.sh"))
        .arg(command)
        .env("DYNAMODB_LOCAL_PORT", port)
        .status()
        .is_ok_and(|s| s.success())
}

/// A target on the shared server with table names of this test's own; the tables
/// are dropped with it.
pub fn local_target(test: &str) -> LocalTarget {
    let target = Target::local(local_endpoint())
        .with_table_prefix(format!("{}-{test}-", std::process::id()));
    LocalTarget {
        _cleanup: DropTables::new(&target.endpoint, &target.table_prefix),
        target,
    }
}

/// A test's target on the shared DynamoDB Local, read as a `Target`.
pub struct LocalTarget {
    target: Target,
    _cleanup: DropTables,
}

impl std::ops::Deref for LocalTarget {
    type Target = Target;

    fn deref(&self) -> &Target {
        &self.target
    }
}

/// Deletes the tables whose names start with a test's prefix when dropped (also
/// when the test fails), so that a DynamoDB Local that outlives the run — one a
/// plain `cargo test` started — does not collect every run's tables. Loopback
/// endpoints only; the tests never deploy anywhere else.
pub struct DropTables {
    endpoint: String,
    prefix: String,
}

impl DropTables {
    pub fn new(endpoint: &str, prefix: &str) -> Self {
        assert!(
            !prefix.is_empty(),
            "an empty prefix would drop every table on the server"
        );
        DropTables {
            endpoint: endpoint.trim().to_string(),
            prefix: prefix.to_string(),
        }
    }
}

impl Drop for DropTables {
    fn drop(&mut self) {
        let local = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
            .iter()
            .any(|start| self.endpoint.starts_with(start));
        if !local {
            return;
        }
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        // A cleanup that fails leaves tables behind; it must not hide the test's outcome.
        if let Err(e) = runtime.block_on(drop_tables(&self.endpoint, &self.prefix)) {
            eprintln!("could not drop the `{}*` tables: {e}", self.prefix);
        }
    }
}

/// A plain SDK client for a local endpoint, to look at what a job left there.
pub fn local_client(endpoint: &str) -> aws_sdk_dynamodb::Client {
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("local", "local", None, None, "tests"))
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

async fn drop_tables(endpoint: &str, prefix: &str) -> Result<(), String> {
    let client = local_client(endpoint);
    let mut names = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = client
            .list_tables()
            .set_exclusive_start_table_name(after.take())
            .send()
            .await
            .map_err(|e| format!("ListTables: {e:?}"))?;
        names.extend(
            page.table_names()
                .iter()
                .filter(|n| n.starts_with(prefix))
                .cloned(),
        );
        match page.last_evaluated_table_name() {
            Some(last) => after = Some(last.to_string()),
            None => break,
        }
    }
    for name in names {
        client
            .delete_table()
            .table_name(&name)
            .send()
            .await
            .map_err(|e| format!("DeleteTable {name}: {e:?}"))?;
    }
    Ok(())
}

/// A port nothing listens on (for a moment).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port()
}

/// A DynamoDB Local of a test's own, on a free port; stopped when dropped.
pub struct OwnServer {
    port: u16,
}

impl OwnServer {
    pub fn start() -> OwnServer {
        let server = OwnServer { port: free_port() };
        server.script("start");
        server
    }

    pub fn script(&self, command: &str) {
        assert!(
            dynamodb_local(command, &self.port.to_string()),
            "dynamodb-local.sh {command} on port {}",
            self.port
        );
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        self.script("stop");
    }
}
