//! Credentials printed by an external command: a profile's `credential_process`.
//!
//! The command runs through the shell (`sh -c` on Unix, `cmd /C` on Windows) and must print
//! `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken"?: ..., "Expiration"?: RFC 3339}`.

use super::common::{json_credentials, json_object, truncate};
use super::{Credentials, CredentialsError, ProvideCredentials};
use crate::time::BoxFuture;
use std::fmt;
use std::process::Stdio;

/// Runs a command and reads credentials from its standard output.
///
/// `Debug` and error messages show only the program, never its arguments: they may hold secrets (a password, a
/// vault token).
#[derive(Clone)]
pub struct ProcessProvider {
    command: String,
}

impl ProcessProvider {
    /// Runs `command` (a shell command line) on each call.
    pub fn new(command: impl Into<String>) -> Self {
        ProcessProvider {
            command: command.into(),
        }
    }

    /// The first word of the command: what messages may show.
    fn program(&self) -> &str {
        self.command.split_whitespace().next().unwrap_or("")
    }

    fn source(&self) -> String {
        format!("credential_process `{}`", self.program())
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let source = self.source();
        if self.command.trim().is_empty() {
            return Err(CredentialsError::failed(source, "the command is empty"));
        }
        let (shell, flag) = if cfg!(windows) { ("cmd", "/C") } else { ("sh", "-c") };
        let output = tokio::process::Command::new(shell)
            .arg(flag)
            .arg(&self.command)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| CredentialsError::failed(&source, format!("cannot run `{shell}`: {e}")))?;
        if !output.status.success() {
            let status = output
                .status
                .code()
                .map_or_else(|| "a signal".to_owned(), |c| format!("status {c}"));
            let stderr = truncate(&String::from_utf8_lossy(&output.stderr), 300);
            let detail = if stderr.is_empty() {
                String::new()
            } else {
                format!(": {stderr}")
            };
            return Err(CredentialsError::failed(
                source,
                format!("the command exited with {status}{detail}"),
            ));
        }
        parse_output(&source, &output.stdout)
    }
}

/// The credentials in the command's output. Errors name fields, never values.
fn parse_output(source: &str, stdout: &[u8]) -> Result<Credentials, CredentialsError> {
    let object = json_object(source, stdout)?;
    match object.get("Version") {
        Some(v) if v.as_u64() == Some(1) => {}
        Some(v) => {
            let shown = truncate(&v.to_string(), 20);
            return Err(CredentialsError::failed(
                source,
                format!("unsupported `Version` {shown}; only 1 is supported"),
            ));
        }
        None => {
            return Err(CredentialsError::failed(
                source,
                "the output has no `Version` (expected 1)",
            ))
        }
    }
    json_credentials(source, &object, "SessionToken")
}

impl fmt::Debug for ProcessProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessProvider")
            .field("program", &self.program())
            .field("arguments", &"** redacted **")
            .finish()
    }
}

impl ProvideCredentials for ProcessProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}
