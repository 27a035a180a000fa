//! Telling failures apart by `SdkError`'s variants, and one function, generic over `ProvideErrorMetadata`, that
//! describes every error that has metadata: the operation's error and the `SdkError` around it.

use aws_sdk_emr::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_emr::operation::list_clusters::ListClustersError;

#[tokio::main]
async fn main() {
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_emr::Client::new(&config);

    let code = match client.list_clusters().send().await {
        Ok(output) => {
            println!("clusters: {}", output.clusters().len());
            0
        }
        Err(SdkError::ServiceError(e)) => {
            println!("service error: {}", summary(e.err()));
            match e.err() {
                ListClustersError::InternalServerException(_) => 4,
                _ => 3,
            }
        }
        Err(SdkError::DispatchFailure(_)) => {
            println!("no response");
            5
        }
        Err(SdkError::TimeoutError(_)) => {
            println!("timed out");
            6
        }
        Err(other) => {
            println!("other failure: {}", summary(&other));
            7
        }
    };
    std::process::exit(code);
}

/// The code and message of any error that has them.
fn summary(error: &impl ProvideErrorMetadata) -> String {
    format!("{} ({})", error.code().unwrap_or("-"), error.message().unwrap_or("-"))
}
