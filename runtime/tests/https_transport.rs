//! `HttpsTransport` against loopback servers: connection reuse, and proxies from an injected environment (a
//! `CONNECT` tunnel for https, absolute form for http, basic credentials, `NO_PROXY`), for the transport itself and
//! for the credential providers (metadata services are never proxied; STS is).
//!
//! The "proxy" is the `test-support` server: it records what a client sends it, answers a `CONNECT` with 200 and
//! records the bytes that come through the tunnel. Nothing leaves the machine: every destination behind a proxy is
//! reached only through the loopback proxy, and `*.example.test` names are never resolved.

use lean_aws_runtime::credentials::{ContainerProvider, DefaultChain, ImdsProvider, ProvideCredentials, StsClient};
use lean_aws_runtime::env::Env;
use lean_aws_runtime::profile::Fs;
use lean_aws_runtime::transport::{HttpRequest, HttpsTransport, Transport, TransportError, TransportErrorKind};
use std::time::Duration;
use test_support::{reply, Reply, Server, TempFile};

const PROXY_USER: &str = "proxy-user";
const PROXY_PASSWORD: &str = "proxy-pa$$word";
/// `Basic ` and base64 of `proxy-user:proxy-pa$$word`.
const PROXY_BASIC: &str = "Basic cHJveHktdXNlcjpwcm94eS1wYSQkd29yZA==";

fn get(url: &str) -> HttpRequest {
    HttpRequest::new("GET", url).with_header("x-test", "1")
}

/// `http://user:password@127.0.0.1:port`, the password percent-encoded as a URL needs it.
fn proxy_url_with_credentials(proxy: &Server) -> String {
    format!(
        "http://{PROXY_USER}:{}@{}",
        PROXY_PASSWORD.replace('$', "%24"),
        proxy.addr()
    )
}

/// A transport whose proxies come from `pairs` only, with a short connect timeout.
fn transport(pairs: &[(&str, &str)]) -> HttpsTransport {
    HttpsTransport::builder()
        .proxy_env(Env::from_pairs(pairs.iter().copied()))
        .connect_timeout(Duration::from_millis(500))
        .build()
        .expect("transport")
}

/// Fails the test if `text` shows the proxy password or its basic encoding.
fn assert_no_proxy_secret(text: &str) {
    for secret in [PROXY_PASSWORD, "pa%24%24word", PROXY_BASIC, &PROXY_BASIC[6..]] {
        assert!(!text.contains(secret), "{secret:?} shown in {text}");
    }
}

fn expect_error(result: Result<lean_aws_runtime::transport::HttpResponse, TransportError>) -> TransportError {
    match result {
        Ok(response) => panic!("expected an error, got HTTP {}", response.status),
        Err(e) => e,
    }
}

#[tokio::test]
async fn connections_are_reused() {
    let server = Server::start([
        reply(200, "one").keep_alive(),
        reply(200, "two").keep_alive(),
        reply(200, "three"),
    ])
    .await;
    let transport = transport(&[]);
    for expected in ["one", "two", "three"] {
        let response = transport.send(get(&server.url())).await.expect("answered");
        assert_eq!(response.body, expected.as_bytes());
    }
    let connections: Vec<usize> = server.finish().await.iter().map(|r| r.connection).collect();
    assert_eq!(connections, [0, 0, 0], "every request on the first connection");
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_the_proxy_credentials() {
    let proxy = Server::start([Reply::Tunnel]).await;
    let proxy_url = proxy_url_with_credentials(&proxy);
    let transport = transport(&[("HTTPS_PROXY", proxy_url.as_str())]);
    // The proxy never completes TLS inside the tunnel: the handshake runs into the connect timeout.
    let err = expect_error(transport.send(get("https://sts.example.test/")).await);
    assert_eq!(err.kind, TransportErrorKind::Connect, "{err}");
    assert_no_proxy_secret(&err.to_string());

    let recorded = proxy.finish().await;
    assert_eq!(recorded.len(), 1);
    let connect = &recorded[0];
    assert_eq!(
        (connect.method.as_str(), connect.path.as_str()),
        ("CONNECT", "sts.example.test:443")
    );
    assert_eq!(connect.header("host"), Some("sts.example.test:443"));
    assert_eq!(connect.header("proxy-authorization"), Some(PROXY_BASIC));
    assert_eq!(
        connect.header("x-test"),
        None,
        "the request itself stays inside the tunnel"
    );
    // Through the tunnel came a TLS handshake record (a ClientHello) naming the destination (SNI), not HTTP.
    let hello = &connect.body;
    assert_eq!(hello.first(), Some(&0x16), "{hello:?}");
    assert!(
        hello.windows(16).any(|w| w == b"sts.example.test"),
        "SNI names the destination"
    );
    assert!(!hello.windows(3).any(|w| w == b"GET"));
}

#[tokio::test]
async fn plain_http_goes_to_the_proxy_in_absolute_form() {
    let proxy = Server::start([reply(200, "via proxy").header("x-amzn-RequestId", "p-1")]).await;
    let proxy_url = proxy_url_with_credentials(&proxy);
    let transport = transport(&[("http_proxy", proxy_url.as_str())]);
    let response = transport
        .send(get("http://emr.example.test:8080/path?q=1"))
        .await
        .expect("answered by the proxy");
    assert_eq!((response.status, response.body.as_slice()), (200, &b"via proxy"[..]));
    assert_eq!(response.header("x-amzn-requestid"), Some("p-1"));

    let recorded = proxy.finish().await;
    assert_eq!(recorded.len(), 1);
    let request = &recorded[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "http://emr.example.test:8080/path?q=1")
    );
    assert_eq!(request.header("host"), Some("emr.example.test:8080"));
    assert_eq!(request.header("proxy-authorization"), Some(PROXY_BASIC));
    assert_eq!(request.header("x-test"), Some("1"));
}

#[tokio::test]
async fn all_proxy_covers_both_schemes_and_a_specific_variable_wins() {
    let specific = Server::start([reply(200, "specific")]).await;
    let all = Server::start([reply(200, "all")]).await;
    let (specific_url, all_url) = (specific.url(), all.url());
    let transport = transport(&[("ALL_PROXY", all_url.as_str()), ("HTTP_PROXY", specific_url.as_str())]);
    let response = transport.send(get("http://a.example.test/")).await.expect("answered");
    assert_eq!(response.body, b"specific");
    let recorded = specific.finish().await;
    assert_eq!(recorded[0].path, "http://a.example.test/");
    assert_eq!(
        recorded[0].header("proxy-authorization"),
        None,
        "no credentials in the URL"
    );
    assert!(all.finish().await.is_empty());
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let proxy = Server::start([reply(502, "proxied")]).await;
    let proxy_url = proxy.url();
    for no_proxy in [("NO_PROXY", "example.com, 127.0.0.1"), ("no_proxy", "127.0.0.0/8")] {
        let transport = transport(&[("HTTP_PROXY", proxy_url.as_str()), no_proxy]);
        let server = Server::start([reply(200, "direct")]).await;
        let response = transport.send(get(&server.url())).await.expect("answered");
        assert_eq!(response.body, b"direct", "{no_proxy:?}");
        assert_eq!(server.finish().await[0].path, "/", "origin form: not a proxy request");
    }
    assert!(proxy.finish().await.is_empty(), "nothing reached the proxy");
}

#[tokio::test]
async fn without_proxy_variables_or_with_no_proxy_nothing_is_proxied() {
    let proxy = Server::start([reply(502, "proxied"), reply(502, "proxied")]).await;
    let proxy_url = proxy.url();
    let cgi = transport(&[("HTTP_PROXY", proxy_url.as_str()), ("REQUEST_METHOD", "GET")]);
    let explicit = HttpsTransport::builder()
        .proxy_env(Env::from_pairs([("HTTP_PROXY", proxy_url.as_str())]))
        .no_proxy()
        .build()
        .expect("transport");
    for transport in [cgi, explicit] {
        let server = Server::start([reply(200, "direct")]).await;
        let response = transport.send(get(&server.url())).await.expect("answered");
        assert_eq!(response.body, b"direct");
    }
    assert!(proxy.finish().await.is_empty(), "nothing reached the proxy");
}

#[tokio::test]
async fn a_refused_tunnel_is_a_connect_error_without_the_credentials() {
    let proxy = Server::start([reply(407, "").header("proxy-authenticate", "Basic realm=\"p\"")]).await;
    let proxy_url = proxy_url_with_credentials(&proxy);
    let transport = transport(&[("HTTPS_PROXY", proxy_url.as_str())]);
    let err = expect_error(transport.send(get("https://sts.example.test/")).await);
    assert_eq!(err.kind, TransportErrorKind::Connect, "{err}");
    assert!(err.message.contains("proxy authorization required"), "{err}");
    assert_no_proxy_secret(&err.to_string());
    assert_no_proxy_secret(&format!("{err:?}"));
    assert_eq!(proxy.finish().await[0].method, "CONNECT");
}

#[tokio::test]
async fn an_unreachable_or_unsupported_proxy_is_a_connect_error() {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr")
    };
    let unreachable = format!("http://{PROXY_USER}:{}@{closed}", PROXY_PASSWORD.replace('$', "%24"));
    for (scheme, url) in [("http", "http://a.example.test/"), ("https", "https://a.example.test/")] {
        let transport = transport(&[("ALL_PROXY", unreachable.as_str())]);
        let err = expect_error(transport.send(get(url)).await);
        assert_eq!(err.kind, TransportErrorKind::Connect, "{scheme}: {err}");
        assert_no_proxy_secret(&err.to_string());
    }
    let socks = transport(&[("HTTPS_PROXY", "socks5://127.0.0.1:1080")]);
    let err = expect_error(socks.send(get("https://a.example.test/")).await);
    assert_eq!(err.kind, TransportErrorKind::Connect, "{err}");
    assert!(err.message.contains("unsupported proxy"), "{err}");
}

#[test]
fn debug_shows_the_proxy_but_never_its_credentials() {
    let env = Env::from_pairs([
        (
            "HTTPS_PROXY",
            "http://proxy-user:proxy-pa%24%24word@proxy.example.test:3128",
        ),
        ("NO_PROXY", "169.254.169.254"),
    ]);
    let transport = HttpsTransport::builder()
        .proxy_env(env)
        .read_timeout(Duration::from_secs(2))
        .build()
        .expect("transport");
    let debug = format!("{transport:?}");
    assert!(debug.contains("proxy.example.test:3128"), "{debug}");
    assert!(debug.contains("read_timeout: Some(2s)"), "{debug}");
    assert_no_proxy_secret(&debug);
    assert!(!debug.contains(PROXY_USER), "{debug}");
}

// The credential providers' own default transports.

const CREDS_JSON: &str = r#"{"AccessKeyId":"ASIADIRECT","SecretAccessKey":"direct-secret","Token":"direct-token",
    "Expiration":"2030-01-01T00:00:00Z"}"#;

/// A proxy that would answer anything: the assertions check that it received nothing.
async fn bystander_proxy() -> Server {
    Server::start((0..4).map(|_| reply(502, "from the proxy"))).await
}

#[tokio::test]
async fn instance_metadata_is_never_proxied() {
    let proxy = bystander_proxy().await;
    let imds = Server::start([
        reply(200, "imds-session-token"),
        reply(200, "my-role"),
        reply(200, CREDS_JSON),
    ])
    .await;
    let proxy_url = proxy.url();
    let env = Env::from_pairs([
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url()),
        ("HTTP_PROXY", proxy_url.clone()),
        ("ALL_PROXY", proxy_url),
    ]);
    let creds = ImdsProvider::from_env(env)
        .provide_credentials()
        .await
        .expect("credentials");
    assert_eq!(creds.access_key_id(), "ASIADIRECT");
    assert_eq!(imds.finish().await.len(), 3);
    assert!(proxy.finish().await.is_empty(), "nothing reached the proxy");
}

#[tokio::test]
async fn container_credentials_are_never_proxied() {
    let proxy = bystander_proxy().await;
    let endpoint = Server::start([reply(200, CREDS_JSON)]).await;
    let proxy_url = proxy.url();
    let env = Env::from_pairs([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/creds", endpoint.url()),
        ),
        ("HTTP_PROXY", proxy_url.clone()),
        ("http_proxy", proxy_url),
    ]);
    let creds = ContainerProvider::from_env(env)
        .provide_credentials()
        .await
        .expect("credentials");
    assert_eq!(creds.access_key_id(), "ASIADIRECT");
    assert_eq!(endpoint.finish().await[0].path, "/creds");
    assert!(proxy.finish().await.is_empty(), "nothing reached the proxy");
}

const WEB_IDENTITY_XML: &str = r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <Credentials>
      <AccessKeyId>ASIAPROXIED</AccessKeyId>
      <SecretAccessKey>proxied-secret</SecretAccessKey>
      <SessionToken>proxied-token</SessionToken>
      <Expiration>2030-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleWithWebIdentityResult>
</AssumeRoleWithWebIdentityResponse>"#;

#[tokio::test]
async fn sts_uses_the_proxies_of_its_environment() {
    let proxy = Server::start([reply(200, WEB_IDENTITY_XML)]).await;
    let env = Env::from_pairs([
        ("AWS_ENDPOINT_URL_STS", "http://sts.example.test".to_owned()),
        ("HTTP_PROXY", proxy_url_with_credentials(&proxy)),
    ]);
    let creds = StsClient::from_env(&env)
        .assume_role_with_web_identity("arn:aws:iam::123456789012:role/r", "s", "web-token")
        .await
        .expect("credentials through the proxy");
    assert_eq!(creds.access_key_id(), "ASIAPROXIED");
    let recorded = proxy.finish().await;
    assert_eq!(
        (recorded[0].method.as_str(), recorded[0].path.as_str()),
        ("POST", "http://sts.example.test/")
    );
    assert_eq!(recorded[0].header("proxy-authorization"), Some(PROXY_BASIC));
}

#[tokio::test]
async fn the_default_chain_gives_sts_the_proxies_of_its_environment() {
    let proxy = Server::start([reply(200, WEB_IDENTITY_XML)]).await;
    let token = TempFile::new("web-identity-token");
    let env = Env::from_pairs([
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.path_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r".to_owned()),
        ("AWS_REGION", "eu-west-1".to_owned()),
        ("AWS_ENDPOINT_URL_STS", "http://sts.example.test".to_owned()),
        ("HTTP_PROXY", proxy.url()),
    ]);
    let creds = DefaultChain::new(env)
        .fs(Fs::from_files::<&str, &str>([]))
        .build_chain()
        .provide_credentials()
        .await
        .expect("web identity through the proxy");
    assert_eq!(creds.access_key_id(), "ASIAPROXIED");
    let recorded = proxy.finish().await;
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].path, "http://sts.example.test/");
}
