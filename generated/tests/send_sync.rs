//! Compile-time checks: the client, its configuration and every error a call can return can move between threads
//! and be shared by them (`Send + Sync`: an `Arc<Client>`, an error kept in shared state); the futures of calls,
//! waits and paginators can move between threads (`Send`: `tokio::spawn` on a multi-threaded runtime), as
//! aws-sdk-rust's are. These tests pass by compiling.

use lean_emr::operations::{
    DescribeClusterError, DescribeClusterInput, DescribeClusterOutput, ListClustersError, ListClustersInput,
};
use lean_emr::{Client, Config, SdkError, WaiterError};
use std::future::Future;

fn send_sync<T: Send + Sync>() {}

fn send_future<F: Future + Send>(_: F) {}

fn send<T: Send>(value: T) -> T {
    value
}

#[test]
fn clients_configuration_and_errors_are_send_and_sync() {
    send_sync::<Client>();
    send_sync::<Config>();
    send_sync::<lean_emr::ConfigBuilder>();
    send_sync::<DescribeClusterError>();
    send_sync::<SdkError<DescribeClusterError>>();
    send_sync::<SdkError<ListClustersError>>();
    send_sync::<WaiterError<DescribeClusterOutput, DescribeClusterError>>();
    send_sync::<lean_emr::error::BuildError>();
}

/// Never called: it only has to compile.
#[allow(dead_code)]
fn call_futures_are_send(client: &Client, input: DescribeClusterInput) {
    send_future(client.describe_cluster(input.clone()));
    send_future(client.wait_until_cluster_running(input, lean_emr::WaiterSettings::new()));
    let pages = client.list_clusters_pages(ListClustersInput::builder().build());
    let mut items = send(pages).items();
    send_future(async move { items.next_item().await });
}
