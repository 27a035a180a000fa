//! `aws emr list-clusters`, with the same flags:
//!
//! ```text
//! cargo run -p lean-emr --example list_clusters -- [--cluster-states STATE...] [--active | --terminated | --failed]
//!     [--created-after TIME] [--created-before TIME] [--region REGION] [--endpoint-url URL]
//! ```
//!
//! Follows every page and prints one cluster a line: its id and state, separated by a tab. Exits 0 on success;
//! prints the error (code, message, request id) and exits 1 on failure, 2 on bad usage.

mod common;

use lean_emr::operation::list_clusters::ListClustersInput;
use lean_emr::types::ClusterState;
use lean_emr::{Client, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: list_clusters [--cluster-states STATE...] [--active | --terminated | --failed] \
[--created-after TIME] [--created-before TIME] [--region REGION] [--endpoint-url URL]";

fn parse(args: &[String]) -> Result<(ListClustersInput, Config), String> {
    let mut input = ListClustersInput::builder();
    let mut config = common::config();
    let mut states: Vec<ClusterState> = Vec::new();
    for flag in common::flags(args)? {
        if common::config_flag(&flag, &mut config)? {
            continue;
        }
        // The aws CLI's shorthands for groups of states.
        let shorthand: &[&str] = match flag.name.as_str() {
            "--active" => &["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING", "TERMINATING"],
            "--terminated" => &["TERMINATED"],
            "--failed" => &["TERMINATED_WITH_ERRORS"],
            _ => &[],
        };
        match flag.name.as_str() {
            "--cluster-states" if flag.values.is_empty() => return Err("--cluster-states needs a value".into()),
            "--cluster-states" => {
                for value in &flag.values {
                    if !ClusterState::values().contains(&value.as_str()) {
                        return Err(format!(
                            "--cluster-states: {value:?} is not one of {}",
                            ClusterState::values().join(", ")
                        ));
                    }
                    states.push(ClusterState::from(value.as_str()));
                }
            }
            "--active" | "--terminated" | "--failed" => {
                flag.switch()?;
                states.extend(shorthand.iter().map(|s| ClusterState::from(*s)));
            }
            "--created-after" => input = input.created_after(common::timestamp(&flag)?),
            "--created-before" => input = input.created_before(common::timestamp(&flag)?),
            "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if !states.is_empty() {
        input = input.set_cluster_states(Some(states));
    }
    Ok((input.build().map_err(|e| e.to_string())?, config.build()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, config) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(e) => return common::usage(&e, USAGE),
    };
    let mut clusters = Client::new(config)
        .list_clusters()
        .set_cluster_states(input.cluster_states)
        .set_created_after(input.created_after)
        .set_created_before(input.created_before)
        .into_paginator()
        .items()
        .send();
    while let Some(cluster) = clusters.next().await {
        match cluster {
            Ok(cluster) => {
                let state = cluster.status().and_then(|s| s.state());
                println!(
                    "{}\t{}",
                    cluster.id().unwrap_or("-"),
                    state.map_or("-", ClusterState::as_str)
                );
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}
