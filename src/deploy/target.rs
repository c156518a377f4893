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

    /// Whether the endpoint is this machine (`localhost`, `127.0.0.0/8`, `::1`).
    /// An endpoint that cannot be parsed is not.
    pub fn is_loopback(&self) -> bool {
        parse_endpoint(&self.endpoint).is_ok_and(|e| is_loopback_host(&e.host))
    }

    /// "DynamoDB Local at http://localhost:8000", or "DynamoDB at https://…".
    pub fn description(&self) -> String {
        if self.is_loopback() {
            format!("DynamoDB Local at {}", self.endpoint)
        } else {
            format!("DynamoDB at {} ({})", self.endpoint, self.region)
        }
    }

    /// Checks the target before any request is made: a well-formed endpoint, and
    /// the opt-in for one that is not loopback.
    pub fn validate(&self) -> Result<(), DeployError> {
        let endpoint =
            parse_endpoint(&self.endpoint).map_err(|reason| DeployError::InvalidEndpoint {
                endpoint: self.endpoint.clone(),
                reason,
            })?;
        if !is_loopback_host(&endpoint.host) && !self.allow_remote {
            return Err(DeployError::RemoteNotAllowed {
                endpoint: self.endpoint.clone(),
            });
        }
        if self.region.trim().is_empty() {
            return Err(DeployError::InvalidEndpoint {
                endpoint: self.endpoint.clone(),
                reason: "the region is empty".to_string(),
            });
        }
        Ok(())
    }
}

/// The parts of an endpoint URL the deployer cares about.
#[derive(Debug, PartialEq, Eq)]
struct Endpoint {
    host: String,
}

fn parse_endpoint(url: &str) -> Result<Endpoint, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))
        .ok_or_else(|| "it must start with http:// or https://".to_string())?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("it must not hold a user name or password".to_string());
    }
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        let (host, after) = bracketed
            .split_once(']')
            .ok_or_else(|| "an IPv6 address needs its closing ]".to_string())?;
        if !after.is_empty() && !after.starts_with(':') {
            return Err(format!("unexpected `{after}` after the address"));
        }
        check_port(after.strip_prefix(':'))?;
        host
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        check_port(port)?;
        host
    };
    if host.is_empty() {
        return Err("it names no host".to_string());
    }
    Ok(Endpoint {
        host: host.to_ascii_lowercase(),
    })
}

fn check_port(port: Option<&str>) -> Result<(), String> {
    match port {
        None => Ok(()),
        Some(p) if p.parse::<u16>().is_ok_and(|n| n > 0) => Ok(()),
        Some(p) => Err(format!("`{p}` is not a port number")),
    }
}

fn is_loopback_host(host: &str) -> bool {
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(endpoint: &str) -> Target {
        Target::local(endpoint)
    }

    #[test]
    fn loopback_endpoints_are_recognised() {
        for url in [
            "http://localhost:8000",
            "http://LOCALHOST:8000/",
            "http://127.0.0.1:8000",
            "http://127.1.2.3",
            "http://[::1]:8000",
            "https://db.localhost",
        ] {
            assert!(target(url).is_loopback(), "{url}");
            assert_eq!(target(url).validate(), Ok(()), "{url}");
        }
        for url in [
            "https://dynamodb.us-east-1.amazonaws.com",
            "http://10.0.0.5:8000",
            "http://localhost.example.com:8000",
            "http://[::2]:8000",
        ] {
            assert!(!target(url).is_loopback(), "{url}");
        }
    }

    #[test]
    fn a_remote_endpoint_needs_the_opt_in() {
        let mut t = target("https://dynamodb.eu-west-1.amazonaws.com");
        assert_eq!(
            t.validate(),
            Err(DeployError::RemoteNotAllowed {
                endpoint: t.endpoint.clone()
            })
        );
        t.allow_remote = true;
        assert_eq!(t.validate(), Ok(()));
        assert!(t.description().starts_with("DynamoDB at https://"));
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
