//! `aws emr describe-cluster`, with the same flag:
//!
//! ```text
//! cargo run -p lean-emr --example describe_cluster -- --cluster-id j-XXXXXXXX [--region REGION] [--endpoint-url URL]
//! ```
//!
//! Prints the cluster's id, name and state, one `key: value` a line. Exits 0 on success; prints the error (code,
//! message, request id) and exits 1 on failure, 2 on bad usage.

mod common;

use lean_emr::operation::describe_cluster::builders::DescribeClusterInputBuilder;
use lean_emr::operation::describe_cluster::DescribeClusterInput;
use lean_emr::{Client, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: describe_cluster --cluster-id ID [--region REGION] [--endpoint-url URL]";

fn parse(args: &[String]) -> Result<(DescribeClusterInputBuilder, Config), String> {
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
    common::required(&input.clone().build().map_err(|e| e.to_string())?)?;
    Ok((input, config.build()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, config) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(e) => return common::usage(&e, USAGE),
    };
    match input.send_with(&Client::new(config)).await {
        Ok(output) => {
            let cluster = output.cluster();
            let state = cluster.and_then(|c| c.status()).and_then(|s| s.state());
            println!("id: {}", cluster.and_then(|c| c.id()).unwrap_or("-"));
            println!("name: {}", cluster.and_then(|c| c.name()).unwrap_or("-"));
            println!("state: {}", state.map_or("-", |s| s.as_str()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
