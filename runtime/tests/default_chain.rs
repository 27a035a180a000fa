//! The default credentials chain: each profile source, its errors, and the report when every source fails.
//!
//! The machine is described with `Env::from_pairs` and `ProfileSet::parse`; STS is a loopback stand-in; IMDS is
//! disabled with `AWS_EC2_METADATA_DISABLED=true` and the container variables are left unset.

mod support;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::credentials::{
    default_provider, Credentials, CredentialsError, DefaultChain, ProvideCredentials, SsoError,
};
use lean_aws_runtime::env::Env;
use lean_aws_runtime::profile::{Fs, ProfileSet};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};
use support::https_transport;
use test_support::{reply, Recorded, Server, TempFile};

/// 2026-01-01T00:00:00Z
const NOW: u64 = 1_767_225_600;

fn sts_success(action: &str, key_id: &str) -> String {
    format!(
        r#"<{action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <{action}Result>
    <Credentials>
      <AccessKeyId>{key_id}</AccessKeyId>
      <SecretAccessKey>secret-of-{key_id}</SecretAccessKey>
      <SessionToken>token-of-{key_id}</SessionToken>
      <Expiration>2026-01-01T01:00:00Z</Expiration>
    </Credentials>
  </{action}Result>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</{action}Response>"#
    )
}

/// IMDS off, no container variables, plus `pairs`.
fn env(pairs: &[(&str, &str)]) -> Env {
    let base = [("HOME", "/home/u"), ("AWS_EC2_METADATA_DISABLED", "true")];
    Env::from_pairs(base.iter().chain(pairs).copied())
}

fn chain(env: Env, config: &str, credentials: &str) -> DefaultChain {
    let profiles = ProfileSet::parse(Some(config), Some(credentials)).expect("profiles parse");
    DefaultChain::new(env)
        .profiles(profiles)
        .sts_transport(https_transport())
        .clock(Arc::new(FixedClock::from_epoch_secs(NOW)))
}

async fn provide(chain: DefaultChain) -> Result<Credentials, CredentialsError> {
    chain.build().provide_credentials().await
}

fn failed(err: CredentialsError) -> (String, String) {
    match err {
        CredentialsError::Failed { source, reason } => (source, reason),
        other => panic!("expected Failed, got {other:?}"),
    }
}

fn authorization(request: &Recorded) -> &str {
    request.header("authorization").expect("signed")
}

#[tokio::test]
async fn static_profile_keys_with_session_token_and_env_keys_first() {
    let credentials = "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n\
                       aws_session_token = tok\n[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = s\n";
    let creds = provide(chain(env(&[]), "", credentials)).await.unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.secret_access_key(), creds.session_token()),
        ("AKIDPROFILE", "s", Some("tok"))
    );
    let creds = provide(chain(env(&[("AWS_PROFILE", "other")]), "", credentials))
        .await
        .unwrap();
    assert_eq!((creds.access_key_id(), creds.session_token()), ("AKIDOTHER", None));
    let creds = provide(chain(env(&[]), "", credentials).profile_name("other"))
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDOTHER");

    let keys = env(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "s")]);
    let creds = provide(chain(keys, "", credentials)).await.unwrap();
    assert_eq!(
        creds.access_key_id(),
        "AKIDENV",
        "the environment comes before the profile"
    );

    let half = "[default]\naws_access_key_id = AKID\n";
    let (source, reason) = failed(provide(chain(env(&[]), "", half)).await.unwrap_err());
    assert_eq!(source, "profile \"default\"");
    assert_eq!(reason, "aws_access_key_id is set but aws_secret_access_key is not");
}

#[tokio::test]
async fn profiles_load_through_fs() {
    let fs = Fs::from_files([(
        "/home/u/.aws/credentials",
        "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n",
    )]);
    let creds = DefaultChain::new(env(&[]))
        .fs(fs)
        .build()
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDFILE");

    let broken = Fs::from_files([("/home/u/.aws/config", "[default]\n= oops\n")]);
    let err = DefaultChain::new(env(&[]))
        .fs(broken)
        .build()
        .provide_credentials()
        .await
        .unwrap_err();
    let (source, reason) = failed(err);
    assert_eq!(source, "profile \"default\"");
    assert!(
        reason.contains("error parsing /home/u/.aws/config on line 2"),
        "{reason}"
    );
}

#[tokio::test]
async fn default_provider_reads_the_given_profiles() {
    let profiles = ProfileSet::parse(
        None,
        Some("[default]\naws_access_key_id = AKIDDP\naws_secret_access_key = s\n"),
    )
    .unwrap();
    let creds = default_provider(&env(&[]), &profiles)
        .provide_credentials()
        .await
        .unwrap();
    assert_eq!(creds.access_key_id(), "AKIDDP");
}

#[tokio::test]
async fn credential_process_runs_the_command() {
    let config = r#"[profile proc]
credential_process = printf '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2026-01-01T02:00:00Z"}'
"#;
    let creds = provide(chain(env(&[("AWS_PROFILE", "proc")]), config, ""))
        .await
        .unwrap();
    assert_eq!((creds.access_key_id(), creds.session_token()), ("AKIDPROC", Some("t")));
    assert_eq!(creds.expiry(), Some(UNIX_EPOCH + Duration::from_secs(NOW + 7200)));

    let failing = "[default]\ncredential_process = sh -c 'exit 3'\n";
    let (source, reason) = failed(provide(chain(env(&[]), failing, "")).await.unwrap_err());
    assert_eq!(source, "credential_process `sh`");
    assert!(reason.contains("status 3"), "{reason}");
}

#[tokio::test]
async fn web_identity_profile_calls_sts_from_the_services_section_and_is_cached() {
    let server = Server::start(vec![reply(200, sts_success("AssumeRoleWithWebIdentity", "ASIAWEB"))]).await;
    let token = TempFile::new("the-oidc-token\n");
    let config = format!(
        "[profile web]\nrole_arn = arn:aws:iam::123:role/web\nweb_identity_token_file = {}\n\
         role_session_name = sess\nservices = local\n[services local]\nsts =\n  endpoint_url = {}\n",
        token.path_str(),
        server.url()
    );
    let provider = chain(env(&[("AWS_PROFILE", "web")]), &config, "").build();
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(
        (creds.access_key_id(), creds.secret_access_key(), creds.session_token()),
        ("ASIAWEB", "secret-of-ASIAWEB", Some("token-of-ASIAWEB"))
    );
    let again = provider.provide_credentials().await.unwrap();
    assert_eq!(again, creds, "the second call is served from the cache");

    let requests = server.finish().await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].body_text(),
        "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123%3Arole%2Fweb\
         &RoleSessionName=sess&WebIdentityToken=the-oidc-token"
    );
    assert_eq!(requests[0].header("authorization"), None, "the token is the proof");
}

#[tokio::test]
async fn web_identity_from_env_honours_aws_endpoint_url_sts() {
    let server = Server::start(vec![reply(200, sts_success("AssumeRoleWithWebIdentity", "ASIAENVWEB"))]).await;
    let token = TempFile::new("tok");
    let url = server.url();
    let token_path = token.path_str();
    let vars = env(&[
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_path.as_str()),
        ("AWS_ROLE_ARN", "arn:aws:iam::123:role/env"),
        ("AWS_ROLE_SESSION_NAME", "envsess"),
        ("AWS_ENDPOINT_URL_STS", url.as_str()),
    ]);
    let creds = provide(chain(vars, "", "")).await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAENVWEB");
    let requests = server.finish().await;
    assert!(
        requests[0].body_text().contains("RoleSessionName=envsess"),
        "{}",
        requests[0].body_text()
    );
}

#[tokio::test]
async fn source_profile_chains_assume_role_through_each_hop() {
    let server = Server::start(vec![
        reply(200, sts_success("AssumeRole", "ASIAMID")),
        reply(200, sts_success("AssumeRole", "ASIADEV")),
    ])
    .await;
    let config = "[profile dev]\nregion = eu-west-2\nrole_arn = arn:aws:iam::123:role/dev\nsource_profile = mid\n\
         external_id = ext\nrole_session_name = devsess\nduration_seconds = 900\n\
         [profile mid]\nrole_arn = arn:aws:iam::123:role/mid\nsource_profile = base\nrole_session_name = midsess\n";
    let credentials = "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n";
    let url = server.url();
    let vars = env(&[("AWS_PROFILE", "dev"), ("AWS_ENDPOINT_URL_STS", url.as_str())]);
    let creds = provide(chain(vars, config, credentials)).await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIADEV");

    let requests = server.finish().await;
    assert_eq!(
        requests[0].body_text(),
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123%3Arole%2Fmid&RoleSessionName=midsess"
    );
    assert!(
        authorization(&requests[0]).contains("Credential=AKIDBASE/20260101/eu-west-2/sts/aws4_request"),
        "the first hop is signed with base's keys, in the profile's region: {}",
        authorization(&requests[0])
    );
    assert_eq!(
        requests[1].body_text(),
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123%3Arole%2Fdev\
         &RoleSessionName=devsess&ExternalId=ext&DurationSeconds=900"
    );
    assert!(authorization(&requests[1]).contains("Credential=ASIAMID/"));
    assert_eq!(requests[1].header("x-amz-security-token"), Some("token-of-ASIAMID"));
}

#[tokio::test]
async fn credential_source_environment_signs_with_the_env_keys() {
    let server = Server::start(vec![reply(200, sts_success("AssumeRole", "ASIAFROMENV"))]).await;
    let config = format!(
        "[default]\nrole_arn = arn:aws:iam::123:role/r\ncredential_source = Environment\nregion = us-west-2\n\
         services = s\n[services s]\nsts =\n  endpoint_url = {}\n",
        server.url()
    );
    let vars = env(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "s")]);
    // In the full chain the environment comes first, so ask the profile source alone.
    let provider = chain(vars, &config, "").build_profile_provider();
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "ASIAFROMENV");
    let requests = server.finish().await;
    assert!(
        authorization(&requests[0]).contains("Credential=AKIDENV/20260101/us-west-2/sts/aws4_request"),
        "{}",
        authorization(&requests[0])
    );

    // Without the variables the role has nothing to sign with: a failure, not a fallthrough.
    let (source, reason) = failed(
        chain(env(&[]), &config, "")
            .build_profile_provider()
            .provide_credentials()
            .await
            .unwrap_err(),
    );
    assert_eq!(source, "assume role arn:aws:iam::123:role/r");
    assert!(
        reason.contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set"),
        "{reason}"
    );
}

#[tokio::test]
async fn misconfigured_roles_fail_naming_the_profile() {
    let cases = [
        (
            "[default]\nrole_arn = r\n",
            "profile \"default\"",
            "role_arn is set without source_profile, credential_source or web_identity_token_file",
        ),
        (
            "[default]\nrole_arn = r\ncredential_source = Ec2\n",
            "profile \"default\"",
            "credential_source \"Ec2\" is not one of Environment, Ec2InstanceMetadata, EcsContainer",
        ),
        (
            "[default]\nrole_arn = r\ncredential_source = Environment\nsource_profile = b\n[profile b]\n",
            "profile \"default\"",
            "both source_profile and credential_source are set; use one of them",
        ),
        (
            "[default]\nrole_arn = r\nsource_profile = nowhere\n",
            "profile \"default\"",
            "source_profile \"nowhere\" does not exist",
        ),
        (
            "[default]\nrole_arn = r\nsource_profile = empty\n[profile empty]\nregion = eu-west-1\n",
            "profile \"empty\"",
            "the profile has no credentials, but profile \"default\" uses it as source_profile",
        ),
        (
            "[default]\nrole_arn = r\nsource_profile = default\n",
            "profile \"default\"",
            "source_profile names the profile itself, but it has no static keys",
        ),
    ];
    for (config, want_source, want_reason) in cases {
        let (source, reason) = failed(provide(chain(env(&[]), config, "")).await.unwrap_err());
        assert_eq!(
            (source.as_str(), reason.as_str()),
            (want_source, want_reason),
            "{config}"
        );
    }
}

#[tokio::test]
async fn source_profile_cycles_are_detected() {
    let config = "[profile a]\nrole_arn = ra\nsource_profile = b\n[profile b]\nrole_arn = rb\nsource_profile = c\n\
                  [profile c]\nrole_arn = rc\nsource_profile = a\n";
    let (source, reason) = failed(
        provide(chain(env(&[("AWS_PROFILE", "a")]), config, ""))
            .await
            .unwrap_err(),
    );
    assert_eq!(source, "profile \"a\"");
    assert_eq!(reason, "source_profile forms a cycle: a -> b -> c -> a");
}

#[tokio::test]
async fn sso_profiles_go_to_the_sso_provider() {
    let config = "[profile corp]\nsso_session = corp\nsso_account_id = 123\nsso_role_name = Admin\n\
                  [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n";
    let err = provide(chain(env(&[("AWS_PROFILE", "corp")]), config, ""))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, CredentialsError::Sso(SsoError::LoginRequired { profile, .. }) if profile == "corp"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .ends_with("sign in again with `aws sso login --profile corp`"),
        "{err}"
    );
    let legacy = "[default]\nsso_start_url = https://corp.awsapps.com/start\nsso_account_id = 1\n";
    let err = provide(chain(env(&[]), legacy, "")).await.unwrap_err();
    assert_eq!(
        err,
        CredentialsError::Sso(SsoError::InvalidSettings {
            profile: "default".into(),
            reason: "it has no sso_session and no sso_region".into()
        })
    );
}

#[tokio::test]
async fn a_named_profile_that_does_not_exist_fails() {
    let credentials = "[default]\naws_access_key_id = AKID\naws_secret_access_key = s\n";
    let (source, reason) = failed(
        provide(chain(env(&[("AWS_PROFILE", "typo")]), "", credentials))
            .await
            .unwrap_err(),
    );
    assert_eq!(source, "profile \"typo\"");
    assert_eq!(
        reason,
        "the profile does not exist in the shared config and credentials files"
    );
    let err = provide(chain(env(&[]), "", "").profile_name("typo")).await.unwrap_err();
    assert!(matches!(err, CredentialsError::Failed { .. }), "{err:?}");
}

#[tokio::test]
async fn when_every_source_fails_the_error_lists_them_all() {
    let err = provide(chain(env(&[]), "", "")).await.unwrap_err();
    assert!(
        matches!(&err, CredentialsError::NoneFound { tried } if tried.len() == 5),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "no AWS credentials found; looked in: \
         environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set); \
         profile \"default\" (no such profile in the shared config and credentials files); \
         web identity token (AWS_WEB_IDENTITY_TOKEN_FILE is not set); \
         container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and \
         AWS_CONTAINER_CREDENTIALS_FULL_URI are not set); \
         EC2 instance metadata (AWS_EC2_METADATA_DISABLED is true)"
    );

    let only_region = provide(chain(env(&[]), "[default]\nregion = eu-west-1\n", ""))
        .await
        .unwrap_err();
    assert!(
        only_region
            .to_string()
            .contains("profile \"default\" (the profile has no credentials)"),
        "{only_region}"
    );
}

#[test]
fn debug_shows_no_secrets() {
    let credentials =
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = hunter2\naws_session_token = tok3n\n";
    let chain = chain(env(&[]), "", credentials);
    let shown = format!("{:?} {:?}", chain, chain.build_chain());
    assert!(!shown.contains("hunter2") && !shown.contains("tok3n"), "{shown}");
}

#[tokio::test]
async fn a_role_profile_may_name_itself_as_source_for_its_own_keys() {
    let server = Server::start(vec![reply(200, sts_success("AssumeRole", "ASIASELF"))]).await;
    let credentials = "[default]\naws_access_key_id = AKIDSELF\naws_secret_access_key = s\n";
    let config = "[default]\nrole_arn = arn:aws:iam::123:role/self\nsource_profile = default\n";
    let url = server.url();
    let creds = provide(chain(
        env(&[("AWS_ENDPOINT_URL_STS", url.as_str())]),
        config,
        credentials,
    ))
    .await
    .unwrap();
    assert_eq!(creds.access_key_id(), "ASIASELF");
    let requests = server.finish().await;
    assert!(authorization(&requests[0]).contains("Credential=AKIDSELF/20260101/us-east-1/sts/aws4_request"));
}
