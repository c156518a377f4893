//! Where a model is deployed: an endpoint, a region, and whether the user has
//! agreed to touch something that is not on this machine.

use serde::{Deserialize, Serialize};

use super::DeployError;

/// The endpoint DynamoDB Local answers on by default (`scripts/dynamodb-local.sh`).
pub const DEFAULT_ENDPOINT: &str = "http://localhost:8000";
pub const DEFAULT_REGION: &str = "us-east-1";

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub endpoint: String,
    pub region: String,
    /// The explicit opt-in a non-loopback endpoint needs. Even then, tables there
    /// are never deleted or replaced.
    #[serde(default)]
    pub allow_remote: bool,
    /// Put before every table name of the model, e.g. `test-42-` (empty: none),
    /// so several copies of a model can share one endpoint.
    #[serde(default)]
    pub table_prefix: String,
}

impl Default for Target {
    fn default() -> Self {
        Target::local(DEFAULT_ENDPOINT)
    }
}

impl Target {
    pub fn local(endpoint: impl Into<String>) -> Self {
        Target {
            endpoint: endpoint.into(),
            region: DEFAULT_REGION.to_string(),
            allow_remote: false,
            table_prefix: String::new(),
        }
    }

    pub fn with_table_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.table_prefix = prefix.into();
        self
    }

    /// Whether the endpoint names this machine — a loopback address, or
    /// `localhost` — without resolving anything: a hint for the Deploy tab (which
    /// asks before a job on anything else). A job decides on the addresses the
    /// host resolves to (`locality::locate`): `db.localhost` is not assumed to be
    /// here, and `localhost` mapped elsewhere is not local either.
    pub fn is_loopback(&self) -> bool {
        parse_endpoint(&self.endpoint).is_ok_and(|e| {
            e.host == "localhost"
                || e.host
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(super::locality::is_loopback)
        })
    }

    /// "DynamoDB Local at http://localhost:8000", or "DynamoDB at https://…",
    /// as [`Target::is_loopback`] guesses.
    pub fn description(&self) -> String {
        self.description_for(self.is_loopback())
    }

    /// The description once it is known whether the endpoint is local.
    pub fn description_for(&self, local: bool) -> String {
        if local {
            format!("DynamoDB Local at {}", self.endpoint)
        } else {
            format!("DynamoDB at {} ({})", self.endpoint, self.region)
        }
    }

    /// Checks the target before anything is resolved or sent: a well-formed
    /// endpoint and a region. Whether it may be used (local, or remote with the
    /// opt-in) is decided on its resolved addresses.
    pub fn validate(&self) -> Result<(), DeployError> {
        parse_endpoint(&self.endpoint).map_err(|reason| DeployError::InvalidEndpoint {
            endpoint: self.endpoint.clone(),
            reason,
        })?;
        if self.region.trim().is_empty() {
            return Err(DeployError::InvalidEndpoint {
                endpoint: self.endpoint.clone(),
                reason: "the region is empty".to_string(),
            });
        }
        Ok(())
    }
}

/// The host (lower case, IPv6 without brackets) and port (80 or 443 when the URL
/// names none) of an endpoint URL.
pub fn endpoint_host(url: &str) -> Result<(String, u16), String> {
    parse_endpoint(url).map(|e| (e.host, e.port))
}

/// The parts of an endpoint URL the deployer cares about.
#[derive(Debug, PartialEq, Eq)]
struct Endpoint {
    host: String,
    port: u16,
}

fn parse_endpoint(url: &str) -> Result<Endpoint, String> {
    let url = url.trim();
    let (rest, default_port) = match (url.strip_prefix("http://"), url.strip_prefix("https://")) {
        (Some(rest), _) => (rest, 80),
        (_, Some(rest)) => (rest, 443),
        _ => return Err("it must start with http:// or https://".to_string()),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("it must not hold a user name or password".to_string());
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or_else(|| "an IPv6 address needs its closing ]".to_string())?;
        if !after.is_empty() && !after.starts_with(':') {
            return Err(format!("unexpected `{after}` after the address"));
        }
        (host, check_port(after.strip_prefix(':'))?)
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        (host, check_port(port)?)
    };
    if host.is_empty() {
        return Err("it names no host".to_string());
    }
    Ok(Endpoint {
        host: host.to_ascii_lowercase(),
        port: port.unwrap_or(default_port),
    })
}

fn check_port(port: Option<&str>) -> Result<Option<u16>, String> {
    match port {
        None => Ok(None),
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 => Ok(Some(n)),
            _ => Err(format!("`{p}` is not a port number")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(endpoint: &str) -> Target {
        Target::local(endpoint)
    }

    #[test]
    fn the_hint_takes_loopback_addresses_and_localhost_only() {
        for url in [
            "http://localhost:8000",
            "http://LOCALHOST:8000/",
            "http://127.0.0.1:8000",
            "http://127.1.2.3",
            "http://[::1]:8000",
        ] {
            assert!(target(url).is_loopback(), "{url}");
            assert_eq!(target(url).validate(), Ok(()), "{url}");
        }
        // Names are resolved before a job decides; the hint does not guess.
        for url in [
            "https://db.localhost",
            "https://dynamodb.us-east-1.amazonaws.com",
            "http://10.0.0.5:8000",
            "http://localhost.example.com:8000",
            "http://[::2]:8000",
        ] {
            assert!(!target(url).is_loopback(), "{url}");
            assert_eq!(target(url).validate(), Ok(()), "{url}");
        }
        let mut remote = target("https://dynamodb.eu-west-1.amazonaws.com");
        assert!(remote.description().starts_with("DynamoDB at https://"));
        assert!(
            remote
                .description_for(true)
                .starts_with("DynamoDB Local at")
        );
        remote.region = " ".into();
        assert!(matches!(
            remote.validate(),
            Err(DeployError::InvalidEndpoint { .. })
        ));
    }

    #[test]
    fn host_and_port_come_from_the_url() {
        assert_eq!(
            endpoint_host("http://LocalHost:8000/x"),
            Ok(("localhost".into(), 8000))
        );
        assert_eq!(endpoint_host("https://[::1]"), Ok(("::1".into(), 443)));
        assert_eq!(
            endpoint_host("http://db.localhost"),
            Ok(("db.localhost".into(), 80))
        );
        assert!(endpoint_host("http://h:0").is_err());
    }

    #[test]
    fn malformed_endpoints_are_refused() {
        for url in [
            "localhost:8000",
            "ftp://localhost",
            "http://",
            "http://localhost:eighty",
            "http://[::1",
            "http://user:pw@localhost:8000",
        ] {
            assert!(
                matches!(
                    target(url).validate(),
                    Err(DeployError::InvalidEndpoint { .. })
                ),
                "{url}"
            );
            assert!(!target(url).is_loopback(), "{url}");
        }
    }
}
