//! `aws emr wait cluster-running`, with the same flag, plus the pace (the model's is a poll every 30 s, at most
//! 60 times):
//!
//! ```text
//! cargo run -p lean-emr --example wait_cluster_running -- --cluster-id j-XXXXXXXX [--delay SECONDS]
//!     [--max-attempts N] [--region REGION] [--endpoint-url URL]
//! ```
//!
//! `--delay` takes fractions (`0.5`). Exits 0 once the cluster is running or waiting; prints why and exits 255
//! when it reached a failure state (as the aws CLI does), 1 on any other error (including running out of
//! attempts), 2 on bad usage.

mod common;

use lean_emr::client::Waiters;
use lean_emr::operation::describe_cluster::DescribeClusterInput;
use lean_emr::{Client, Config, WaiterError};
use std::process::ExitCode;
use std::time::Duration;

const USAGE: &str = "usage: wait_cluster_running --cluster-id ID [--delay SECONDS] [--max-attempts N] \
[--region REGION] [--endpoint-url URL]";

/// The aws CLI's exit code for a waiter that reached a failure state.
const FAILURE_STATE: u8 = 255;

/// The waiter's pace from `--delay` and `--max-attempts`; unset, the model's.
#[derive(Default)]
struct Pace {
    delay: Option<Duration>,
    max_attempts: Option<u32>,
}

fn parse(args: &[String]) -> Result<(DescribeClusterInput, Pace, Config), String> {
    let mut input = DescribeClusterInput::builder();
    let mut pace = Pace::default();
    let mut config = common::config();
    for flag in common::flags(args)? {
        if common::config_flag(&flag, &mut config)? {
            continue;
        }
        match flag.name.as_str() {
            "--cluster-id" => input = input.cluster_id(flag.value()?),
            "--delay" => {
                let value = flag.value()?;
                let seconds = value
                    .parse::<f64>()
                    .ok()
                    .and_then(|s| Duration::try_from_secs_f64(s).ok())
                    .ok_or_else(|| format!("--delay: {value:?} is not a number of seconds"))?;
                pace.delay = Some(seconds);
            }
            "--max-attempts" => {
                let value = flag.value()?;
                let attempts = value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--max-attempts: {value:?} is not a whole number of at least 1"))?;
                pace.max_attempts = Some(attempts);
            }
            "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let input = input.build().map_err(|e| e.to_string())?;
    common::required(&input)?;
    Ok((input, pace, config.build()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, pace, config) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(e) => return common::usage(&e, USAGE),
    };
    let mut waiter = Client::new(config)
        .wait_until_cluster_running()
        .set_cluster_id(input.cluster_id);
    if let Some(delay) = pace.delay {
        waiter = waiter.delay(delay);
    }
    if let Some(max_attempts) = pace.max_attempts {
        waiter = waiter.max_attempts(max_attempts);
    }
    // No limit on the whole wait but the attempts, as the aws CLI.
    match waiter.wait(Duration::MAX).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(e @ WaiterError::FailureState { .. }) => {
            eprintln!("error: {e}");
            ExitCode::from(FAILURE_STATE)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
