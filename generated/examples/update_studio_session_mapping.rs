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

use lean_emr::operations::UpdateStudioSessionMappingInput;
use lean_emr::{Client, Config};
use std::process::ExitCode;

const USAGE: &str = "usage: update_studio_session_mapping --studio-id ID (--identity-id ID | --identity-name NAME) \
--identity-type USER|GROUP --session-policy-arn ARN [--region REGION] [--endpoint-url URL]";

fn parse(args: &[String]) -> Result<(UpdateStudioSessionMappingInput, Config), String> {
    let mut input = UpdateStudioSessionMappingInput::builder();
    let mut config = Config::builder();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f, Some(v.to_owned())),
            None => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or(format!("{flag} needs a value"))
        };
        match flag {
            "--studio-id" => input = input.studio_id(value()?),
            "--identity-id" => input = input.identity_id(value()?),
            "--identity-name" => input = input.identity_name(value()?),
            "--identity-type" => input = input.identity_type(value()?.as_str()),
            "--session-policy-arn" => input = input.session_policy_arn(value()?),
            "--region" => config = config.region(value()?),
            "--endpoint-url" => config = config.endpoint_url(value()?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    let input = input.build().map_err(|e| format!("{e}\n{USAGE}"))?;
    Ok((input, config.build()))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, config) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    match Client::new(config).update_studio_session_mapping(input).await {
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
