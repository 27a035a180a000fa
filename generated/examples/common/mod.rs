//! What the examples share: reading `--flag value` / `--flag=value` arguments the way the aws CLI does, the
//! `--region` and `--endpoint-url` flags every example takes, missing required members as bad usage, and the
//! exit codes.
#![allow(dead_code)] // Each example uses its own part.

use lean_emr::runtime::validate::{Rule, Validate, ValidationMode};
use lean_emr::runtime::{DateTime, DateTimeFormat};
use lean_emr::{Config, ConfigBuilder};
use std::process::ExitCode;

/// Bad usage: nothing was sent.
pub const USAGE_ERROR: u8 = 2;

/// One flag and its values (none for a switch, several for a list such as `--cluster-states A B`).
pub struct Flag {
    pub name: String,
    pub values: Vec<String>,
}

impl Flag {
    /// The one value of the flag.
    pub fn value(&self) -> Result<String, String> {
        match self.values.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(format!("{} needs a value", self.name)),
            _ => Err(format!("{} takes one value, got {}", self.name, self.values.len())),
        }
    }

    /// No value: a switch.
    pub fn switch(&self) -> Result<(), String> {
        if self.values.is_empty() {
            Ok(())
        } else {
            Err(format!("{} takes no value", self.name))
        }
    }
}

/// Splits `args` into flags: `--name value...` (every argument up to the next `--flag`) or `--name=value`.
pub fn flags(args: &[String]) -> Result<Vec<Flag>, String> {
    let mut flags: Vec<Flag> = Vec::new();
    for arg in args {
        if let Some(rest) = arg.strip_prefix("--") {
            let (name, inline) = match rest.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (rest, None),
            };
            flags.push(Flag {
                name: format!("--{name}"),
                values: inline.into_iter().collect(),
            });
        } else if arg == "-h" {
            flags.push(Flag {
                name: "--help".into(),
                values: Vec::new(),
            });
        } else {
            let last = flags.last_mut().ok_or_else(|| format!("unexpected argument {arg:?}"))?;
            last.values.push(arg.clone());
        }
    }
    Ok(flags)
}

/// Applies `--region` and `--endpoint-url`; `Ok(false)` for any other flag.
pub fn config_flag(flag: &Flag, config: &mut ConfigBuilder) -> Result<bool, String> {
    match flag.name.as_str() {
        "--region" => *config = std::mem::take(config).region(flag.value()?),
        "--endpoint-url" => *config = std::mem::take(config).endpoint_url(flag.value()?),
        _ => return Ok(false),
    }
    Ok(true)
}

/// A point in time as the aws CLI takes one: epoch seconds, an ISO 8601 date-time (UTC when it names no
/// offset), or a date (midnight UTC).
pub fn timestamp(flag: &Flag) -> Result<DateTime, String> {
    let text = flag.value()?;
    let bad = || {
        format!(
            "{}: {text:?} is not a time (epoch seconds, 2024-05-01T12:00:00Z or 2024-05-01)",
            flag.name
        )
    };
    if let Ok(secs) = text.parse::<f64>() {
        return if secs.is_finite() {
            Ok(DateTime::from_secs_f64(secs))
        } else {
            Err(bad())
        };
    }
    let has_offset =
        text.ends_with('Z') || text.ends_with('z') || text.get(19..).is_some_and(|t| t.contains(['+', '-']));
    let full = if !text.contains('T') {
        format!("{text}T00:00:00Z")
    } else if has_offset {
        text.clone()
    } else {
        format!("{text}Z")
    };
    DateTime::from_str(&full, DateTimeFormat::DateTimeWithOffset).map_err(|_| bad())
}

/// Refuses an input that lacks a required member, naming every one (`cannot build DescribeClusterInput: missing
/// required member ClusterId`): bad usage, found by the model's validator before anything is sent, as the aws CLI
/// refuses a missing required flag. Every other rule is left to the call, which reports it as a failed call.
pub fn required(input: &impl Validate) -> Result<(), String> {
    let Err(error) = input.validate_with(ValidationMode::Essential) else {
        return Ok(());
    };
    let missing: Vec<String> = error
        .violations
        .iter()
        .filter(|v| v.rule == Rule::Required)
        .map(|v| v.path.to_string())
        .collect();
    match missing.len() {
        0 => Ok(()),
        n => Err(format!(
            "cannot build {}: missing required member{} {}",
            error.shape,
            if n == 1 { "" } else { "s" },
            missing.join(", ")
        )),
    }
}

/// Prints a usage error and returns the exit code for it.
pub fn usage(message: &str, usage: &str) -> ExitCode {
    eprintln!("{message}\n{usage}");
    ExitCode::from(USAGE_ERROR)
}

/// A config from `--region` / `--endpoint-url` and the rest of the environment.
pub fn config() -> ConfigBuilder {
    Config::builder()
}
