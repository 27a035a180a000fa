//! `aws emr update-studio-session-mapping`, with the same flags:
//!
//! ```text
//! cargo run -p lean-emr --example update_studio_session_mapping -- \
//!     --studio-id es-XXXXXXXX --identity-name alice --identity-type USER \
//!     --session-policy-arn arn:aws:iam::123456789012:policy/MyPolicy [--region eu-west-1] [--endpoint-url URL]
//! ```
//!
//! Credentials and region come from the same places the client looks. Prints the request id and exits 0 on
//! success; prints the error (code, message, request id) and exits 1 on failure, 2 on bad usage.

mod common;

use lean_emr::operation::update_studio_session_mapping::builders::UpdateStudioSessionMappingInputBuilder;
use lean_emr::operation::update_studio_session_mapping::UpdateStudioSessionMappingInput;
use lean_emr::operation::RequestId;
use lean_emr::{Client, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: update_studio_session_mapping --studio-id ID (--identity-id ID | --identity-name NAME) \
--identity-type USER|GROUP --session-policy-arn ARN [--region REGION] [--endpoint-url URL]";

fn parse(args: &[String]) -> Result<(UpdateStudioSessionMappingInputBuilder, Config), String> {
    let mut input = UpdateStudioSessionMappingInput::builder();
    let mut config = common::config();
    for flag in common::flags(args)? {
        if common::config_flag(&flag, &mut config)? {
            continue;
        }
        match flag.name.as_str() {
            "--studio-id" => input = input.studio_id(flag.value()?),
            "--identity-id" => input = input.identity_id(flag.value()?),
            "--identity-name" => input = input.identity_name(flag.value()?),
            "--identity-type" => input = input.identity_type(flag.value()?.as_str()),
            "--session-policy-arn" => input = input.session_policy_arn(flag.value()?),
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
            println!("request id: {}", output.request_id().unwrap_or("<none>"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
