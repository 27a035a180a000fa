//! The README's offline demo, against a running emulator (or EMR itself): credentials, region and endpoint come
//! from the environment as for any `lean-emr` client.
//!
//! ```text
//! studio_demo create IDENTITY_NAME     create a studio and map the user IDENTITY_NAME to it; print the studio id
//! studio_demo show STUDIO_ID IDENTITY_NAME   print the user's session mapping
//! ```
//!
//! `create` waits up to two minutes for the endpoint to accept connections, so that it can follow an emulator
//! that is still being built. Exits 1 on a failed call, 2 on bad usage.

use lean_emr::operation::create_studio::CreateStudioInput;
use lean_emr::operation::create_studio_session_mapping::CreateStudioSessionMappingInput;
use lean_emr::operation::get_studio_session_mapping::GetStudioSessionMappingInput;
use lean_emr::types::{AuthMode, IdentityType};
use lean_emr::{Client, Config};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: studio_demo create IDENTITY_NAME | studio_demo show STUDIO_ID IDENTITY_NAME";
const POLICY: &str = "arn:aws:iam::123456789012:policy/EMRStudioSessionPolicy";

/// Waits until `AWS_ENDPOINT_URL`'s host and port accept a connection (when it names one).
async fn wait_for_endpoint() {
    let Ok(url) = std::env::var("AWS_ENDPOINT_URL") else {
        return;
    };
    let Some(authority) = url
        .split("://")
        .nth(1)
        .map(|rest| rest.split('/').next().unwrap_or(rest).to_owned())
    else {
        return;
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    while tokio::net::TcpStream::connect(&authority).await.is_err() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

async fn create(client: &Client, identity_name: &str) -> Result<String, String> {
    wait_for_endpoint().await;
    let studio = CreateStudioInput::builder()
        .name("demo")
        .auth_mode(AuthMode::Sso)
        .vpc_id("vpc-0123456789abcdef0")
        .set_subnet_ids(Some(vec!["subnet-0123456789abcdef0".to_owned()]))
        .service_role("arn:aws:iam::123456789012:role/EMRStudioServiceRole")
        .user_role("arn:aws:iam::123456789012:role/EMRStudioUserRole")
        .workspace_security_group_id("sg-0123456789abcdef0")
        .engine_security_group_id("sg-0fedcba9876543210")
        .default_s3_location("s3://studio-bucket/workspaces");
    let studio_id = studio
        .send_with(client)
        .await
        .map_err(|e| e.to_string())?
        .studio_id
        .ok_or("CreateStudio returned no studio id")?;
    let mapping = CreateStudioSessionMappingInput::builder()
        .studio_id(&studio_id)
        .identity_type(IdentityType::User)
        .identity_name(identity_name)
        .session_policy_arn(POLICY);
    mapping.send_with(client).await.map_err(|e| e.to_string())?;
    eprintln!("created studio {studio_id} and mapped {identity_name} to it with {POLICY}");
    Ok(studio_id)
}

async fn show(client: &Client, studio_id: &str, identity_name: &str) -> Result<String, String> {
    let input = GetStudioSessionMappingInput::builder()
        .studio_id(studio_id)
        .identity_type(IdentityType::User)
        .identity_name(identity_name);
    let mapping = input
        .send_with(client)
        .await
        .map_err(|e| e.to_string())?
        .session_mapping
        .ok_or("GetStudioSessionMapping returned no mapping")?;
    Ok(format!(
        "{} ({}) in {}: session policy {}",
        mapping.identity_name.unwrap_or_default(),
        mapping.identity_id.unwrap_or_default(),
        mapping.studio_id.unwrap_or_default(),
        mapping.session_policy_arn.unwrap_or_default()
    ))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let client = Client::new(Config::default());
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["create", name] => create(&client, name).await,
        ["show", studio, name] => show(&client, studio, name).await,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
