//! `aws emr describe-cluster`, with the same flag:
//!
//! ```text
//! cargo run -p lean-emr --example describe_cluster -- --cluster-id j-XXXXXXXX [--region REGION] [--endpoint-url URL]
//! ```
//!
//! Prints the cluster's id, name and state, one `key: value` a line. Exits 0 on success; prints the error (code,
//! message, request id) and exits 1 on failure, 2 on bad usage.

mod common;

use lean_emr::operations::DescribeClusterInput;
use lean_emr::{Client, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: describe_cluster --cluster-id ID [--region REGION] [--endpoint-url URL]";

fn parse(args: &[String]) -> Result<(DescribeClusterInput, Config), String> {
    let mut input = DescribeClusterInput::builder();
    let mut config = common::config();
    for flag in common::flags(args)? {
        if common::config_flag(&flag, &mut config)? {
            continue;
        }
        match flag.name.as_str() {
            "--cluster-id" => input = input.cluster_id(flag.value()?),
            "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}")),
        }
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
    match Client::new(config).describe_cluster(input).await {
        Ok(output) => {
            let cluster = output
                .cluster
                .unwrap_or_else(|| lean_emr::types::Cluster::builder().build());
            let state = cluster.status.and_then(|s| s.state);
            println!("id: {}", cluster.id.as_deref().unwrap_or("-"));
            println!("name: {}", cluster.name.as_deref().unwrap_or("-"));
            println!("state: {}", state.as_ref().map_or("-", |s| s.as_str()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
