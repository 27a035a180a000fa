//! `ProcessProvider`: commands run through `sh -c` (Unix only; the commands below are POSIX shell).
#![cfg(unix)]

use lean_aws_runtime::credentials::{CredentialsError, ProcessProvider, ProvideCredentials};
use std::time::{Duration, UNIX_EPOCH};

fn printing(json: &str) -> ProcessProvider {
    // printf with a %s argument prints the JSON verbatim; the single quotes keep the shell away from it.
    ProcessProvider::new(format!("printf '%s' '{json}'"))
}

fn failed_reason(err: CredentialsError) -> String {
    match err {
        CredentialsError::Failed { reason, .. } => reason,
        other => panic!("expected Failed, got {other:?}"),
    }
}

#[tokio::test]
async fn parses_full_output() {
    let provider = printing(
        r#"{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"proc-secret","SessionToken":"proc-token","Expiration":"2026-01-01T00:00:00Z"}"#,
    );
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!(creds.access_key_id(), "AKIDPROC");
    assert_eq!(creds.secret_access_key(), "proc-secret");
    assert_eq!(creds.session_token(), Some("proc-token"));
    assert_eq!(creds.expiry(), Some(UNIX_EPOCH + Duration::from_secs(1_767_225_600)));
}

#[tokio::test]
async fn session_token_and_expiration_are_optional() {
    let provider = printing(r#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s"}"#);
    let creds = provider.provide_credentials().await.unwrap();
    assert_eq!((creds.session_token(), creds.expiry()), (None, None));
}

#[tokio::test]
async fn version_other_than_1_fails() {
    let provider = printing(r#"{"Version":2,"AccessKeyId":"AKID","SecretAccessKey":"s"}"#);
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert_eq!(reason, "unsupported `Version` 2; only 1 is supported");

    let provider = printing(r#"{"AccessKeyId":"AKID","SecretAccessKey":"s"}"#);
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(reason.contains("no `Version`"), "{reason}");
}

#[tokio::test]
async fn malformed_json_fails_without_quoting_the_secret() {
    let provider = printing(r#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"do-not-leak-me""#);
    let err = provider.provide_credentials().await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("do-not-leak-me"), "{shown}");
    assert!(failed_reason(err).contains("not valid JSON"));
}

#[tokio::test]
async fn bad_expiration_or_missing_secret_fails() {
    let provider = printing(r#"{"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s","Expiration":"next tuesday"}"#);
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert!(reason.contains("`Expiration` is not an RFC 3339 timestamp"), "{reason}");

    let provider = printing(r#"{"Version":1,"AccessKeyId":"AKID"}"#);
    let reason = failed_reason(provider.provide_credentials().await.unwrap_err());
    assert_eq!(reason, "response has no `SecretAccessKey`");
}

#[tokio::test]
async fn non_zero_exit_fails_with_status_and_stderr_but_not_arguments() {
    let provider = ProcessProvider::new("echo 'token expired' >&2; echo hidden-arg >/dev/null; exit 3");
    let err = provider.provide_credentials().await.unwrap_err();
    let shown = err.to_string();
    assert!(shown.contains("credential_process `echo`"), "{shown}");
    assert!(shown.contains("exited with status 3: token expired"), "{shown}");
    assert!(!shown.contains("hidden-arg"), "{shown}");
}

#[tokio::test]
async fn empty_command_fails() {
    let reason = failed_reason(ProcessProvider::new("  ").provide_credentials().await.unwrap_err());
    assert_eq!(reason, "the command is empty");
}

#[test]
fn debug_shows_the_program_only() {
    let provider = ProcessProvider::new("vault-helper --password hunter2 --profile prod");
    let shown = format!("{provider:?}");
    assert!(shown.contains("vault-helper"), "{shown}");
    assert!(!shown.contains("hunter2") && !shown.contains("prod"), "{shown}");
}
