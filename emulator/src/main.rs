//! `lean-emr-emulator`: the EMR emulator on a loopback port.
//!
//! ```text
//! cargo run -p lean-emr-emulator -- --port 4599 --credentials AKID:SECRET [--identities FILE] [--state FILE]
//!     [--region REGION] [--account-id ID] [--page-size N] [--quiet]
//!     [--clock real|manual] [--durations STATE=SECONDS,...]
//!     [--fail-step NAME]... [--fail-bootstrap CLUSTER_NAME]... [--throttle SHARE] [--server-errors SHARE]
//!     [--delay-ms MS]
//! ```
//!
//! Prints the URL it listens on (`--port 0` picks a free port), then a line per request on standard error
//! unless `--quiet`. Runs until stopped. Exits 2 on bad usage, 1 when it cannot start.

use lean_aws_runtime::clock::ManualClock;
use lean_emr_emulator::identities::Directory;
use lean_emr_emulator::lifecycle::{Durations, Faults};
use lean_emr_emulator::Settings;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: lean-emr-emulator --port PORT --credentials ACCESS_KEY_ID:SECRET [--identities FILE] \
[--state FILE] [--region REGION] [--account-id ID] [--page-size N] [--quiet] [--clock real|manual] \
[--durations STATE=SECONDS,...] [--fail-step NAME]... [--fail-bootstrap CLUSTER_NAME]... [--throttle SHARE] \
[--server-errors SHARE] [--delay-ms MS]";

fn share(flag: &str, text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| (0.0..=1.0).contains(s))
        .ok_or(format!("{flag}: {text:?} is not a share from 0 to 1"))
}

/// The settings the arguments ask for, and the identity directory's path for the start-up line.
fn parse(args: &[String]) -> Result<(Settings, Option<String>), String> {
    let mut settings = Settings::default().log(true);
    let mut port = None;
    let mut credentials = false;
    let mut identities = None;
    let mut manual = false;
    let mut durations = None;
    let mut faults = Faults::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag {
            "--port" => {
                let text = value()?;
                port = Some(
                    text.parse::<u16>()
                        .map_err(|_| format!("--port: {text:?} is not a port number"))?,
                );
            }
            "--credentials" => {
                let text = value()?;
                // The secret is never echoed back, not even in an error.
                let (id, secret) = text
                    .split_once(':')
                    .filter(|(id, secret)| !id.is_empty() && !secret.is_empty())
                    .ok_or("--credentials: expected ACCESS_KEY_ID:SECRET")?;
                settings = settings.credentials(id, secret);
                credentials = true;
            }
            "--identities" => identities = Some(value()?),
            "--state" => settings = settings.state_file(value()?),
            "--region" => settings = settings.region(value()?),
            "--account-id" => settings = settings.account_id(value()?),
            "--page-size" => {
                let text = value()?;
                let n = text
                    .parse::<usize>()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or(format!("--page-size: {text:?} is not a number from 1 to 1000"))?;
                settings = settings.page_size(n);
            }
            "--quiet" => settings = settings.log(false),
            "--clock" => match value()?.as_str() {
                "real" => manual = false,
                "manual" => manual = true,
                other => return Err(format!("--clock: {other:?} is not real or manual")),
            },
            "--durations" => durations = Some(value()?),
            "--fail-step" => {
                faults.failing_steps.insert(value()?);
            }
            "--fail-bootstrap" => {
                faults.bootstrap_failures.insert(value()?);
            }
            "--throttle" => faults.throttle = share(flag, &value()?)?,
            "--server-errors" => faults.server_errors = share(flag, &value()?)?,
            "--delay-ms" => {
                let text = value()?;
                faults.delay_ms = text
                    .parse::<u64>()
                    .ok()
                    .filter(|ms| *ms <= 60_000)
                    .ok_or(format!("--delay-ms: {text:?} is not a number from 0 to 60000"))?;
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let port = port.ok_or(format!("--port is required (0 picks a free port)\n{USAGE}"))?;
    if !credentials {
        return Err(format!("--credentials is required\n{USAGE}"));
    }
    let defaults = if manual {
        // The manual clock starts at the time the emulator starts, and moves only through POST /_emulator/advance.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        settings = settings.manual_clock(ManualClock::from_epoch_secs(now));
        Durations::manual_default()
    } else {
        Durations::real_default()
    };
    if let Some(spec) = durations {
        settings = settings.durations(defaults.parse_into(&spec).map_err(|e| format!("--durations: {e}"))?);
    }
    Ok((settings.port(port).faults(faults), identities))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mut settings, identities_path) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &identities_path {
        match Directory::load(path.as_ref()) {
            Ok(directory) => {
                let (users, groups) = directory.counts();
                eprintln!("identities: {users} users and {groups} groups from {path}");
                settings = settings.identities(directory.into_identities());
            }
            Err(e) => {
                eprintln!("--identities: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let emulator = match lean_emr_emulator::start(settings) {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!("lean-emr-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The URL alone on the first line of standard output, for scripts and tests to read.
    println!("{}", emulator.url());
    let _ = std::io::stdout().flush();
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
