//! Error handling three ways: matching the operation's error, reading code and message through
//! `ProvideErrorMetadata`, and `?` into the crate's `Error`.

use lean_emr::error::ProvideErrorMetadata;
use lean_emr::operation::describe_cluster::DescribeClusterError;

#[tokio::main]
async fn main() {
    let cluster_id = std::env::args().nth(1).unwrap_or_else(|| "j-NOTACLUSTER".to_string());
    let client = lean_emr::Client::from_env();

    match client.describe_cluster().cluster_id(&cluster_id).send().await {
        Ok(output) => println!("found: {}", output.cluster().and_then(|c| c.name()).unwrap_or("-")),
        Err(err) => {
            let service_error = err.into_service_error();
            if service_error.is_invalid_request_exception() {
                println!("invalid request: {}", service_error.message().unwrap_or("-"));
            } else if let DescribeClusterError::InternalServerException(e) = &service_error {
                println!("server error: {}", e.message().unwrap_or("-"));
            } else {
                println!("other: {}", service_error.code().unwrap_or("-"));
            }
        }
    }

    if let Err(e) = describe_name(&client, &cluster_id).await {
        match &e {
            lean_emr::Error::InvalidRequestException(inner) => {
                println!(
                    "crate error: InvalidRequestException: {}",
                    inner.message().unwrap_or("-")
                )
            }
            other => println!("crate error: {}", other.code().unwrap_or("-")),
        }
        std::process::exit(3);
    }
}

async fn describe_name(client: &lean_emr::Client, cluster_id: &str) -> Result<String, lean_emr::Error> {
    let output = client.describe_cluster().cluster_id(cluster_id).send().await?;
    Ok(output.cluster().and_then(|c| c.name()).unwrap_or_default().to_string())
}
