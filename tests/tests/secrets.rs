//! Secrets never appear in `Debug` or `Display` of credentials, config, client, requests or errors.

mod support;

use lean_aws_runtime::credentials::{CredentialsChain, EnvironmentProvider, ProvideCredentials};
use lean_aws_runtime::env::Env;
use lean_aws_runtime::transport::{HttpRequest, InMemoryTransport};
use lean_aws_runtime::Credentials;
use support::*;

fn assert_clean(text: &str) {
    assert!(!text.contains(SECRET_KEY), "secret key leaked: {text}");
    assert!(!text.contains(SESSION_TOKEN), "session token leaked: {text}");
    assert!(!text.contains("K7MDENG"), "part of the secret key leaked: {text}");
}

#[test]
fn credentials_debug_redacts() {
    let creds = Credentials::new(ACCESS_KEY, SECRET_KEY, Some(SESSION_TOKEN.to_owned()));
    let shown = format!("{creds:?} {creds:#?}");
    assert_clean(&shown);
    assert!(
        shown.contains(ACCESS_KEY),
        "the key id is not secret and helps debugging"
    );
}

#[test]
fn config_and_client_debug_redact() {
    let config = offline_config(Some(SESSION_TOKEN))
        .transport(InMemoryTransport::new())
        .build();
    assert_clean(&format!("{config:?} {config:#?}"));
    let client = lean_emr::Client::new(config);
    assert_clean(&format!("{client:?} {client:#?}"));
}

#[test]
fn config_builder_debug_redacts_and_clones_build_the_same_config() {
    let builder = offline_config(Some(SESSION_TOKEN)).env(Env::from_pairs([
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", SESSION_TOKEN),
    ]));
    let shown = format!("{builder:?} {builder:#?}");
    assert_clean(&shown);
    assert!(shown.starts_with("ConfigBuilder(Config {"), "{shown}");
    assert!(shown.contains("** set, redacted **"), "{shown}");
    let clone = builder.clone().region("eu-west-1");
    assert_eq!(
        format!("{:?}", builder.build()),
        format!("{:?}", clone.region("us-east-1").build()),
        "a clone starts from what was set and changes apart"
    );
}

#[test]
fn env_debug_shows_names_not_values() {
    let env = Env::from_pairs([
        ("AWS_SECRET_ACCESS_KEY", SECRET_KEY),
        ("AWS_SESSION_TOKEN", SESSION_TOKEN),
    ]);
    let shown = format!("{env:?}");
    assert_clean(&shown);
    assert!(shown.contains("AWS_SECRET_ACCESS_KEY"));
}

#[tokio::test]
async fn signed_request_debug_redacts_authorization_and_token() {
    let transport = InMemoryTransport::new();
    let client = lean_emr::Client::new(offline_config(Some(SESSION_TOKEN)).transport(transport.clone()).build());
    valid_builder().send_with(&client).await.unwrap();
    let sent: Vec<HttpRequest> = transport.requests();
    let shown = format!("{:?}", sent[0]);
    assert_clean(&shown);
    let signature = sent[0]
        .header("authorization")
        .unwrap()
        .split("Signature=")
        .nth(1)
        .unwrap()
        .to_owned();
    assert!(!shown.contains(&signature), "signature leaked: {shown}");
    assert!(
        !format!("{transport:?}").contains(&signature),
        "the transport's Debug shows recorded requests redacted"
    );
}

#[tokio::test]
async fn credential_errors_say_where_they_looked_without_values() {
    let env = Env::from_pairs([("AWS_SECRET_ACCESS_KEY", SECRET_KEY)]);
    let chain = CredentialsChain::new().or_else(EnvironmentProvider::new(env));
    let err = chain.provide_credentials().await.unwrap_err();
    assert_clean(&err.to_string());
    assert!(
        err.to_string()
            .contains("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"),
        "{err}"
    );
}
