//! Compile-time checks: the client, its configuration and every error a call can return can move between threads
//! and be shared by them (`Send + Sync`: an `Arc<Client>`, an error kept in shared state); the futures of calls
//! (`send()` of a fluent builder, `send_with` of an input builder), waits and paginators can move between threads
//! (`Send`: `tokio::spawn` on a multi-threaded runtime), as aws-sdk-rust's are. These tests pass by compiling.

use lean_emr::client::Waiters;
use lean_emr::operation::describe_cluster::builders::{
    DescribeClusterFluentBuilder, DescribeClusterInputBuilder, DescribeClusterOutputBuilder,
};
use lean_emr::operation::describe_cluster::{DescribeClusterError, DescribeClusterInput, DescribeClusterOutput};
use lean_emr::operation::list_clusters::builders::ListClustersFluentBuilder;
use lean_emr::operation::list_clusters::ListClustersError;
use lean_emr::waiters::cluster_running::ClusterRunningFluentBuilder;
use lean_emr::{Client, Config, FinalPoll, SdkError, WaiterError};
use std::future::Future;
use std::time::Duration;

fn send_sync<T: Send + Sync>() {}

fn send_future<F: Future + Send>(_: F) {}

fn send<T: Send>(value: T) -> T {
    value
}

#[test]
fn clients_configuration_builders_and_errors_are_send_and_sync() {
    send_sync::<Client>();
    send_sync::<Config>();
    send_sync::<lean_emr::ConfigBuilder>();
    send_sync::<DescribeClusterInput>();
    send_sync::<DescribeClusterOutput>();
    send_sync::<DescribeClusterInputBuilder>();
    send_sync::<DescribeClusterOutputBuilder>();
    send_sync::<DescribeClusterFluentBuilder>();
    send_sync::<ListClustersFluentBuilder>();
    send_sync::<ClusterRunningFluentBuilder>();
    send_sync::<DescribeClusterError>();
    send_sync::<SdkError<DescribeClusterError>>();
    send_sync::<SdkError<ListClustersError>>();
    send_sync::<WaiterError<DescribeClusterOutput, DescribeClusterError>>();
    send_sync::<FinalPoll<DescribeClusterOutput, SdkError<DescribeClusterError>>>();
    send_sync::<lean_emr::error::BuildError>();
    send_sync::<lean_emr::Error>();
}

/// Never called: it only has to compile.
#[allow(dead_code)]
fn call_futures_are_send(client: &Client) {
    send_future(client.describe_cluster().cluster_id("j-1").send());
    send_future(DescribeClusterInput::builder().cluster_id("j-1").send_with(client));
    send_future(
        client
            .wait_until_cluster_running()
            .cluster_id("j-1")
            .delay(Duration::from_secs(1))
            .wait(Duration::MAX),
    );
    let mut pages = send(client.list_clusters().into_paginator().send());
    send_future(async move { pages.next().await });
    let mut items = send(client.list_clusters().into_paginator().items().send());
    send_future(async move { items.next().await });
    send_future(client.list_clusters().into_paginator().send().try_collect());
    send_future(
        client
            .list_clusters()
            .into_paginator()
            .items()
            .send()
            .collect::<Vec<_>>(),
    );
}

/// Never called: a function that returns the crate-level error can `?` every kind of failure, and its future is
/// still `Send`.
#[allow(dead_code)]
fn crate_error_futures_are_send(client: &Client) {
    async fn run(client: Client) -> Result<(), lean_emr::Error> {
        client.describe_cluster().cluster_id("j-1").send().await?;
        client
            .wait_until_cluster_running()
            .cluster_id("j-1")
            .wait(Duration::MAX)
            .await?;
        client.list_clusters().into_paginator().send().try_collect().await?;
        Ok(())
    }
    send_future(run(client.clone()));
}
