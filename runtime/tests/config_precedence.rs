//! Where client settings come from: explicit config beats the environment, which beats the selected profile.
//!
//! Every test describes the machine with `Env::from_pairs` and `Fs::from_files` and sends one request through an
//! `InMemoryTransport`, then reads the URL, the user agent and the SigV4 credential scope off what was sent.

mod support;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::profile::Fs;
use lean_aws_runtime::transport::{HttpRequest, InMemoryTransport};
use lean_aws_runtime::{Client, Config, ConfigBuilder, Credentials, ErrorMetadata, SdkError};
use support::{Empty, ListClusters, SERVICE};

const HOME: &str = "/home/u";

/// `HOME` plus `pairs`; IMDS is off so that no test reaches for the network.
fn env(pairs: &[(&str, &str)]) -> Env {
    let base = [("HOME", HOME), ("AWS_EC2_METADATA_DISABLED", "true")];
    Env::from_pairs(base.iter().chain(pairs).copied())
}

fn config_file(text: &str) -> Fs {
    Fs::from_files([(format!("{HOME}/.aws/config"), text.to_owned())])
}

/// Explicit keys, so that only the setting under test comes from elsewhere.
fn builder(env: Env, fs: Fs) -> ConfigBuilder {
    Config::builder()
        .env(env)
        .fs(fs)
        .credentials(Credentials::new("AKIDEXPLICIT", "secret", None))
        .clock(FixedClock::from_epoch_secs(1_767_225_600))
}

/// The one request the client sent.
async fn send(builder: ConfigBuilder) -> Result<HttpRequest, SdkError<ErrorMetadata>> {
    let transport = InMemoryTransport::new();
    let client = Client::new(&SERVICE, builder.transport(transport.clone()).build());
    client.invoke::<ListClusters>(&Empty).await?;
    let requests = transport.requests();
    assert_eq!(requests.len(), 1);
    Ok(requests.into_iter().next().unwrap())
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> &'a str {
    request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name} header"))
}

/// `AKID/20260101/eu-west-1/elasticmapreduce/aws4_request` from the Authorization header.
fn credential_scope(request: &HttpRequest) -> String {
    let auth = header(request, "authorization");
    let start = auth.find("Credential=").expect("Credential=") + "Credential=".len();
    auth[start..].split(',').next().unwrap().to_owned()
}

fn region(request: &HttpRequest) -> String {
    credential_scope(request).split('/').nth(2).unwrap().to_owned()
}

const PROFILES: &str = "\
[default]
region = eu-west-1

[profile dev]
region = ap-south-1
";

#[tokio::test]
async fn region_explicit_beats_env_beats_profile() {
    let fs = config_file(PROFILES);
    let sent = send(builder(env(&[]), fs.clone())).await.unwrap();
    assert_eq!(region(&sent), "eu-west-1");
    assert_eq!(sent.url, "https://elasticmapreduce.eu-west-1.amazonaws.com/");

    let sent = send(builder(env(&[("AWS_PROFILE", "dev")]), fs.clone())).await.unwrap();
    assert_eq!(region(&sent), "ap-south-1", "AWS_PROFILE selects the profile");
    let sent = send(builder(env(&[]), fs.clone()).profile_name("dev")).await.unwrap();
    assert_eq!(region(&sent), "ap-south-1", "profile_name selects the profile");
    let sent = send(builder(env(&[("AWS_PROFILE", "default")]), fs.clone()).profile_name("dev"))
        .await
        .unwrap();
    assert_eq!(region(&sent), "ap-south-1", "profile_name beats AWS_PROFILE");

    let sent = send(builder(env(&[("AWS_DEFAULT_REGION", "us-west-2")]), fs.clone()))
        .await
        .unwrap();
    assert_eq!(region(&sent), "us-west-2");
    let with_env = env(&[("AWS_REGION", "us-east-2"), ("AWS_DEFAULT_REGION", "us-west-2")]);
    let sent = send(builder(with_env.clone(), fs.clone())).await.unwrap();
    assert_eq!(region(&sent), "us-east-2");

    let sent = send(builder(with_env, fs).region("ca-central-1")).await.unwrap();
    assert_eq!(region(&sent), "ca-central-1");
}

#[tokio::test]
async fn no_region_anywhere_names_the_profile_too() {
    let err = send(builder(env(&[("AWS_PROFILE", "dev")]), config_file("[profile dev]\n")))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains(
            "no AWS region configured; looked in: Config::region, AWS_REGION, AWS_DEFAULT_REGION, \
             region in profile \"dev\""
        ),
        "{err}"
    );
}

const ENDPOINTS: &str = "\
[default]
region = eu-west-1
endpoint_url = http://profile-global:1
services = local

[services local]
emr =
  endpoint_url = http://profile-emr:2
sts =
  endpoint_url = http://profile-sts:3
";

#[tokio::test]
async fn endpoint_explicit_beats_env_beats_services_section_beats_profile() {
    let url = |request: HttpRequest| request.url;
    let global_only = config_file("[default]\nregion = eu-west-1\nendpoint_url = http://profile-global:1\n");
    assert_eq!(
        url(send(builder(env(&[]), global_only)).await.unwrap()),
        "http://profile-global:1/"
    );

    let fs = config_file(ENDPOINTS);
    assert_eq!(
        url(send(builder(env(&[]), fs.clone())).await.unwrap()),
        "http://profile-emr:2/",
        "the services section's emr endpoint beats the profile's endpoint_url"
    );
    let global = env(&[("AWS_ENDPOINT_URL", "http://env-global:4")]);
    assert_eq!(
        url(send(builder(global, fs.clone())).await.unwrap()),
        "http://env-global:4/"
    );
    let both = env(&[
        ("AWS_ENDPOINT_URL", "http://env-global:4"),
        ("AWS_ENDPOINT_URL_EMR", "http://env-emr:5"),
    ]);
    assert_eq!(
        url(send(builder(both.clone(), fs.clone())).await.unwrap()),
        "http://env-emr:5/"
    );
    assert_eq!(
        url(send(builder(both, fs).endpoint_url("http://explicit:6")).await.unwrap()),
        "http://explicit:6/"
    );
}

#[tokio::test]
async fn ignoring_configured_endpoints_skips_env_and_profile_but_not_code() {
    let fs = config_file(ENDPOINTS);
    let regional = "https://elasticmapreduce.eu-west-1.amazonaws.com/";
    let ignore = env(&[
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ("AWS_ENDPOINT_URL_EMR", "http://env-emr:5"),
    ]);
    assert_eq!(send(builder(ignore.clone(), fs.clone())).await.unwrap().url, regional);
    assert_eq!(
        send(builder(ignore, fs).endpoint_url("http://explicit:6"))
            .await
            .unwrap()
            .url,
        "http://explicit:6/"
    );

    let in_profile = config_file(&format!(
        "{ENDPOINTS}\n[profile quiet]\nregion = eu-west-1\nendpoint_url = http://x:1\nignore_configured_endpoint_urls = true\n"
    ));
    let quiet = env(&[("AWS_PROFILE", "quiet"), ("AWS_ENDPOINT_URL", "http://env-global:4")]);
    assert_eq!(send(builder(quiet, in_profile.clone())).await.unwrap().url, regional);
    let overridden = env(&[
        ("AWS_PROFILE", "quiet"),
        ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"),
    ]);
    assert_eq!(
        send(builder(overridden, in_profile)).await.unwrap().url,
        "http://x:1/",
        "the variable beats the profile's ignore setting"
    );
}

#[tokio::test]
async fn fips_and_dual_stack_explicit_beat_env_beat_profile() {
    let fs = config_file("[default]\nregion = eu-west-1\nuse_fips_endpoint = true\n");
    let fips = "https://elasticmapreduce-fips.eu-west-1.amazonaws.com/";
    let plain = "https://elasticmapreduce.eu-west-1.amazonaws.com/";
    assert_eq!(send(builder(env(&[]), fs.clone())).await.unwrap().url, fips);
    let off = env(&[("AWS_USE_FIPS_ENDPOINT", "false")]);
    assert_eq!(send(builder(off.clone(), fs.clone())).await.unwrap().url, plain);
    assert_eq!(send(builder(off, fs).use_fips(true)).await.unwrap().url, fips);

    let fs = config_file("[default]\nregion = eu-west-1\nuse_dualstack_endpoint = TRUE\n");
    let dual = "https://elasticmapreduce.eu-west-1.api.aws/";
    assert_eq!(send(builder(env(&[]), fs.clone())).await.unwrap().url, dual);
    let off = env(&[("AWS_USE_DUALSTACK_ENDPOINT", "false")]);
    assert_eq!(send(builder(off.clone(), fs.clone())).await.unwrap().url, plain);
    assert_eq!(send(builder(off, fs).use_dual_stack(true)).await.unwrap().url, dual);
}

#[tokio::test]
async fn unusable_profile_values_are_reported_naming_the_profile() {
    let fs = config_file("[default]\nregion = eu-west-1\nuse_fips_endpoint = maybe\n");
    let err = send(builder(env(&[]), fs.clone())).await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Endpoint(e)
            if e.message == "invalid use_fips_endpoint in profile \"default\": expected true or false, got \"maybe\""),
        "{err:?}"
    );
    // Not needed when the environment already decides.
    send(builder(env(&[("AWS_USE_FIPS_ENDPOINT", "false")]), fs))
        .await
        .unwrap();

    let broken = config_file("[default]\nregion = eu-west-1\n= oops\n");
    let err = send(builder(env(&[]), broken.clone())).await.unwrap_err();
    assert!(
        matches!(&err, SdkError::Config(e) if e.to_string().contains("error parsing /home/u/.aws/config on line 3")),
        "{err:?}"
    );
    // Everything set elsewhere: the broken file is not needed.
    send(
        builder(
            env(&[
                ("AWS_USE_FIPS_ENDPOINT", "false"),
                ("AWS_USE_DUALSTACK_ENDPOINT", "false"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
            ]),
            broken,
        )
        .region("eu-west-1"),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn app_id_is_appended_to_the_user_agent() {
    let user_agent = |request: HttpRequest| header(&request, "user-agent").to_owned();
    let none = config_file("[default]\nregion = eu-west-1\n");
    assert_eq!(
        user_agent(send(builder(env(&[]), none)).await.unwrap()),
        "lean-emr/0.1.0"
    );
    let fs = config_file("[default]\nregion = eu-west-1\nsdk_ua_app_id = from-profile\n");
    assert_eq!(
        user_agent(send(builder(env(&[]), fs.clone())).await.unwrap()),
        "lean-emr/0.1.0 app/from-profile"
    );
    let with_env = env(&[("AWS_SDK_UA_APP_ID", "from env")]);
    assert_eq!(
        user_agent(send(builder(with_env.clone(), fs.clone())).await.unwrap()),
        "lean-emr/0.1.0 app/from-env"
    );
    assert_eq!(
        user_agent(send(builder(with_env, fs).app_id("explicit")).await.unwrap()),
        "lean-emr/0.1.0 app/explicit"
    );
}

#[tokio::test]
async fn retry_settings_come_from_the_profile_and_the_environment_beats_them() {
    use lean_aws_runtime::retry::FixedJitter;
    use lean_aws_runtime::time::RecordingSleep;
    use lean_aws_runtime::transport::HttpResponse;
    let attempts = |env: Env| async move {
        let transport = InMemoryTransport::new();
        for _ in 0..5 {
            transport.push_response(HttpResponse::new(503, ""));
        }
        let config = Config::builder()
            .env(env)
            .fs(config_file("[profile dev]\nmax_attempts = 2\nretry_mode = standard\n"))
            .region("us-east-1")
            .credentials(Credentials::new("AKID", "secret", None))
            .transport(transport.clone())
            .jitter(FixedJitter(0.0))
            .sleep(RecordingSleep::default())
            .build();
        let result = Client::new(&SERVICE, config).invoke::<ListClusters>(&Empty).await;
        assert!(matches!(result, Err(SdkError::ServiceError(_))), "{result:?}");
        transport.requests().len()
    };
    assert_eq!(attempts(env(&[("AWS_PROFILE", "dev")])).await, 2);
    assert_eq!(
        attempts(env(&[("AWS_PROFILE", "dev"), ("AWS_MAX_ATTEMPTS", "4")])).await,
        4
    );
    assert_eq!(
        attempts(env(&[])).await,
        3,
        "the default profile has no setting: 3 attempts"
    );
}

#[tokio::test]
async fn profile_keys_sign_when_nothing_is_explicit_and_env_keys_beat_them() {
    let fs = Fs::from_files([
        (
            format!("{HOME}/.aws/config"),
            "[default]\nregion = eu-west-1\n".to_owned(),
        ),
        (
            format!("{HOME}/.aws/credentials"),
            "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n".to_owned(),
        ),
    ]);
    let no_explicit_keys = |env: Env| {
        Config::builder()
            .env(env)
            .fs(fs.clone())
            .clock(FixedClock::from_epoch_secs(1_767_225_600))
    };
    let sent = send(no_explicit_keys(env(&[]))).await.unwrap();
    assert!(
        credential_scope(&sent).starts_with("AKIDPROFILE/20260101/eu-west-1/"),
        "{}",
        credential_scope(&sent)
    );
    let keys = env(&[("AWS_ACCESS_KEY_ID", "AKIDENV"), ("AWS_SECRET_ACCESS_KEY", "s")]);
    let sent = send(no_explicit_keys(keys.clone())).await.unwrap();
    assert!(credential_scope(&sent).starts_with("AKIDENV/"));
    let sent = send(no_explicit_keys(keys).credentials(Credentials::new("AKIDCODE", "s", None)))
        .await
        .unwrap();
    assert!(credential_scope(&sent).starts_with("AKIDCODE/"));
}

#[tokio::test]
async fn config_debug_shows_no_secrets() {
    let config = builder(
        env(&[("AWS_SECRET_ACCESS_KEY", "hunter2")]),
        config_file("aws_secret_access_key = hunter2"),
    )
    .app_id("app")
    .profile_name("dev")
    .build();
    let shown = format!("{config:?}");
    assert!(!shown.contains("hunter2") && shown.contains("dev"), "{shown}");
    let client = Client::new(&SERVICE, config);
    assert!(!format!("{client:?}").contains("hunter2"));
}

#[tokio::test]
async fn aws_config_setter_names_set_the_same_settings() {
    use lean_aws_runtime::config::timeout::TimeoutConfig;
    use lean_aws_runtime::config::{AppName, BehaviorVersion};
    use std::time::Duration;
    let none = config_file("[default]\nregion = eu-west-1\n");
    let named = builder(env(&[]), none.clone()).app_name(AppName::new("nightly-etl").unwrap());
    let request = send(named).await.unwrap();
    assert_eq!(header(&request, "user-agent"), "lean-emr/0.1.0 app/nightly-etl");

    let timeouts = TimeoutConfig::builder()
        .connect_timeout(Duration::from_millis(700))
        .read_timeout(Duration::from_secs(4))
        .operation_attempt_timeout(Duration::from_secs(9))
        .operation_timeout(Duration::from_secs(30))
        .build();
    let config = Config::builder().timeout_config(timeouts).build();
    let debug = format!("{config:?}");
    for expected in [
        "connect_timeout: Some(700ms)",
        "read_timeout: Some(4s)",
        "attempt_timeout: Some(9s)",
        "operation_timeout: Some(30s)",
    ] {
        assert!(debug.contains(expected), "{expected} in {debug}");
    }
    // A disabled timeout is unset, as it is when aws-config leaves it out: the client's default applies.
    let disabled = Config::builder()
        .connect_timeout(Duration::from_secs(1))
        .timeout_config(TimeoutConfig::disabled())
        .build();
    assert!(
        format!("{disabled:?}").contains("connect_timeout: None"),
        "{disabled:?}"
    );

    // Accepted and ignored: the request is the one sent without it.
    let plain = send(builder(env(&[]), none.clone())).await.unwrap();
    let versioned = send(builder(env(&[]), none.clone()).behavior_version(BehaviorVersion::latest()))
        .await
        .unwrap();
    let latest = send(builder(env(&[]), none).behavior_version_latest()).await.unwrap();
    for request in [&versioned, &latest] {
        assert_eq!(request.body, plain.body);
        assert_eq!(header(request, "user-agent"), header(&plain, "user-agent"));
    }
}
