//! Whether an endpoint is this machine. Decided on the addresses its host
//! resolves to — every one loopback — before the first connection, not on its
//! name (`db.localhost` mapped to another machine in /etc/hosts is not local);
//! and held to when connecting: the client of a local endpoint resolves the host
//! with [`PinnedLoopback`], which answers only the loopback addresses decided on,
//! and it uses no proxy.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_dynamodb::config::SharedHttpClient;
use aws_smithy_http_client::tls::{self, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::dns::{DnsFuture, ResolveDns, ResolveDnsError};

use super::target::{Target, endpoint_host};

/// Where an endpoint's host is, as resolved before any request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The host as the endpoint names it (lower case, IPv6 without brackets).
    pub host: String,
    /// What the host resolved to (the address itself for an IP address), sorted.
    pub addresses: Vec<IpAddr>,
    /// Every address is loopback (and there is at least one).
    pub local: bool,
    /// Why the endpoint is not local, for messages: `it resolves to 10.0.0.5`.
    pub reason: String,
}

/// A loopback address: `127.0.0.0/8`, `::1`, or `::ffff:127.x.y.z`.
pub fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
    }
}

/// The place of `host` given what resolving it gave: local only when it resolved
/// to at least one address and every one is loopback.
pub fn classify(host: &str, resolved: Result<Vec<IpAddr>, String>) -> Place {
    let (addresses, local, reason) = match resolved {
        Err(e) => (Vec::new(), false, format!("it could not be resolved: {e}")),
        Ok(mut addresses) => {
            addresses.sort();
            addresses.dedup();
            let others: Vec<String> = addresses
                .iter()
                .filter(|ip| !is_loopback(**ip))
                .map(IpAddr::to_string)
                .collect();
            if addresses.is_empty() {
                (addresses, false, "it resolves to no address".to_string())
            } else if others.is_empty() {
                (addresses, true, String::new())
            } else {
                let reason = if host.parse::<IpAddr>().is_ok() {
                    "it is not a loopback address".to_string()
                } else {
                    format!("it resolves to {}", others.join(", "))
                };
                (addresses, false, reason)
            }
        }
    };
    Place {
        host: host.to_string(),
        addresses,
        local,
        reason,
    }
}

/// Resolves the endpoint's host (an IP address is taken as it is), waiting at
/// most `within`. A target that does not parse is not local (`validate` says why).
pub async fn locate(target: &Target, within: Duration) -> Place {
    let Ok((host, port)) = endpoint_host(&target.endpoint) else {
        return classify(&target.endpoint, Err("it is not an endpoint URL".into()));
    };
    if let Ok(ip) = host.parse::<IpAddr>() {
        return classify(&host, Ok(vec![ip]));
    }
    // std's resolver (getaddrinfo: /etc/hosts, then DNS) is the one connecting
    // would have used; it blocks, so it runs beside the runtime.
    let name = host.clone();
    let lookup = tokio::task::spawn_blocking(move || {
        (name.as_str(), port)
            .to_socket_addrs()
            .map(|addrs| addrs.map(|a: SocketAddr| a.ip()).collect::<Vec<_>>())
            .map_err(|e| e.to_string())
    });
    let resolved = match tokio::time::timeout(within, lookup).await {
        Ok(Ok(result)) => result,
        Ok(Err(join)) => Err(join.to_string()),
        Err(_) => Err(format!("no answer within {} s", within.as_secs_f64())),
    };
    classify(&host, resolved)
}

/// The DNS resolver of a local endpoint's client: it answers the endpoint's host
/// with the loopback addresses decided on before the first request, every time,
/// and refuses any other name — so a connection can only go to those addresses,
/// however DNS or /etc/hosts change meanwhile. The request keeps the host's name
/// (Host header, TLS server name).
#[derive(Clone, Debug)]
pub struct PinnedLoopback {
    host: String,
    addresses: Arc<[IpAddr]>,
}

impl PinnedLoopback {
    pub fn new(place: &Place) -> PinnedLoopback {
        PinnedLoopback {
            host: place.host.clone(),
            addresses: place.addresses.clone().into(),
        }
    }

    fn answer(&self, name: &str) -> Result<Vec<IpAddr>, ResolveDnsError> {
        let name = name.trim_start_matches('[').trim_end_matches(']');
        if !name.eq_ignore_ascii_case(&self.host) {
            return Err(ResolveDnsError::new(format!(
                "`{name}` is not the local endpoint's host `{}`",
                self.host
            )));
        }
        if self.addresses.is_empty() || !self.addresses.iter().all(|ip| is_loopback(*ip)) {
            return Err(ResolveDnsError::new(format!(
                "`{name}` is not known to resolve to loopback addresses only"
            )));
        }
        Ok(self.addresses.to_vec())
    }
}

impl ResolveDns for PinnedLoopback {
    fn resolve_dns<'a>(&'a self, name: &'a str) -> DnsFuture<'a> {
        DnsFuture::ready(self.answer(name))
    }
}

/// The HTTP client of a local endpoint: the SDK's own hyper client and TLS, with
/// the host resolved by [`PinnedLoopback`] and no proxy (the default client
/// takes HTTP_PROXY/HTTPS_PROXY from the environment, which would send the
/// requests elsewhere).
pub fn local_http_client(place: &Place) -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::AwsLc))
        .build_with_resolver(PinnedLoopback::new(place))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ips(list: &[&str]) -> Vec<IpAddr> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn local_means_every_address_is_loopback() {
        for addresses in [
            &["127.0.0.1"][..],
            &["127.0.0.1", "::1"],
            &["127.1.2.3"],
            &["::ffff:127.0.0.1"],
        ] {
            let place = classify("db.localhost", Ok(ips(addresses)));
            assert!(place.local, "{addresses:?}");
            assert_eq!(place.reason, "");
        }
        // A name ending in localhost that /etc/hosts or a resolver maps elsewhere.
        let place = classify("db.localhost", Ok(ips(&["10.0.0.5"])));
        assert!(!place.local);
        assert_eq!(place.reason, "it resolves to 10.0.0.5");
        // One address elsewhere is enough to make it remote.
        let place = classify("localhost", Ok(ips(&["::1", "192.168.1.9", "127.0.0.1"])));
        assert!(!place.local);
        assert_eq!(place.reason, "it resolves to 192.168.1.9");
        assert_eq!(place.addresses, ips(&["127.0.0.1", "192.168.1.9", "::1"]));
        for addresses in [&["0.0.0.0"][..], &["::"], &["::2"], &["::ffff:10.0.0.1"]] {
            assert!(!classify("h", Ok(ips(addresses))).local, "{addresses:?}");
        }
        assert!(!classify("h", Ok(Vec::new())).local);
        let unresolved = classify("nowhere.invalid", Err("no such host".into()));
        assert!(!unresolved.local);
        assert_eq!(unresolved.reason, "it could not be resolved: no such host");
        assert_eq!(
            classify("10.0.0.5", Ok(ips(&["10.0.0.5"]))).reason,
            "it is not a loopback address"
        );
    }

    #[test]
    fn the_pinned_resolver_answers_only_the_endpoints_host_with_what_was_decided() {
        let place = classify("db.localhost", Ok(ips(&["127.0.0.2", "::1"])));
        let pinned = PinnedLoopback::new(&place);
        assert_eq!(
            pinned.answer("DB.localhost").unwrap(),
            ips(&["127.0.0.2", "::1"])
        );
        let other = pinned.answer("evil.example").unwrap_err();
        assert!(
            super::super::client::error_chain(&other).contains("not the local endpoint's host"),
            "{other:?}"
        );
        // A place that is not local never makes a resolver that answers.
        let remote = classify("db.localhost", Ok(ips(&["127.0.0.1", "10.0.0.5"])));
        assert!(PinnedLoopback::new(&remote).answer("db.localhost").is_err());
        let empty = classify("db.localhost", Err("none".into()));
        assert!(PinnedLoopback::new(&empty).answer("db.localhost").is_err());
    }

    #[test]
    fn locating_resolves_names_and_takes_addresses_as_they_are() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let locate =
            |url: &str| runtime.block_on(locate(&Target::local(url), Duration::from_secs(5)));
        let place = locate("http://127.0.0.2:8000");
        assert!(place.local);
        assert_eq!(place.addresses, ips(&["127.0.0.2"]));
        assert!(locate("http://[::1]:8000").local);
        assert!(!locate("http://10.255.255.1:8000").local);
        // `localhost` is in every /etc/hosts, as loopback.
        let localhost = locate("http://localhost:8000");
        assert!(localhost.local, "{localhost:?}");
        assert!(!localhost.addresses.is_empty());
        // A name that cannot resolve (RFC 2606 reserves .invalid) is not local.
        let nowhere = locate("http://nowhere.invalid:8000");
        assert!(
            !nowhere.local && nowhere.addresses.is_empty(),
            "{nowhere:?}"
        );
        assert!(!locate("not a url").local);
    }
}
