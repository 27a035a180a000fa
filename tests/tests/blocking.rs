//! The blocking client (feature `blocking`) against the loopback server: a call from a plain thread and from
//! many threads at once, a paginated listing as an iterator, a waiter, a retry, and a call made from inside a
//! tokio runtime (where it must neither panic nor deadlock). The caller's code has no tokio in it: the loopback
//! server needs a runtime of its own, the test's.

// A blocking call returns what the async call returns, `SdkError` and all; the closures around it do too.
#![allow(clippy::result_large_err)]

use lean_aws_runtime::clock::ManualClock;
use lean_aws_runtime::retry::RetryConfig;
use lean_emr::blocking::Client;
use lean_emr::operation::RequestId;
use std::time::Duration;
use test_support::{offline_config, reply, Recorded, Reply, Server};

fn client(server: &Server) -> Client {
    Client::new(offline_config().endpoint_url(server.url()).build())
}

fn target(r: &Recorded) -> String {
    r.header("x-amz-target").unwrap_or_default().to_owned()
}

fn ok(body: &str) -> Reply {
    reply(200, body.to_owned()).header("x-amzn-RequestId", "rid-blocking")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_from_a_plain_thread_returns_the_result() {
    let server = Server::start([ok(r#"{"Cluster":{"Id":"j-1","Name":"nightly"}}"#)]).await;
    let client = client(&server);
    let thread = std::thread::spawn(move || client.describe_cluster().cluster_id("j-1").send());
    let output = tokio::task::spawn_blocking(move || thread.join().expect("the thread"))
        .await
        .expect("the join")
        .expect("the call succeeds");
    assert_eq!(output.cluster().and_then(|c| c.name()), Some("nightly"));
    assert_eq!(output.request_id(), Some("rid-blocking"));
    let requests = server.finish().await;
    assert_eq!(target(&requests[0]), "ElasticMapReduce.DescribeCluster");
    assert_eq!(requests[0].body_text(), r#"{"ClusterId":"j-1"}"#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_threads_call_at_once() {
    const THREADS: usize = 8;
    let server = Server::route(THREADS, |r| {
        let body: serde_json::Value = serde_json::from_slice(&r.body).expect("JSON");
        let id = body["ClusterId"].as_str().unwrap_or_default().to_owned();
        ok(&format!(r#"{{"Cluster":{{"Id":"{id}"}}}}"#))
    })
    .await;
    let client = client(&server);
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let client = client.clone();
            std::thread::spawn(move || client.describe_cluster().cluster_id(format!("j-{i}")).send())
        })
        .collect();
    let ids = tokio::task::spawn_blocking(move || {
        threads
            .into_iter()
            .map(|t| {
                t.join()
                    .expect("the thread")
                    .expect("the call")
                    .cluster()
                    .and_then(|c| c.id())
                    .map(str::to_owned)
            })
            .collect::<Vec<_>>()
    })
    .await
    .expect("the join");
    let expected: Vec<Option<String>> = (0..THREADS).map(|i| Some(format!("j-{i}"))).collect();
    assert_eq!(ids, expected, "each thread got its own answer");
    assert_eq!(server.finish().await.len(), THREADS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paginated_listing_is_an_iterator() {
    let server = Server::route(2, |r| {
        if r.body_text().contains("\"Marker\":\"m-1\"") {
            ok(r#"{"Clusters":[{"Id":"j-3"}]}"#)
        } else {
            ok(r#"{"Clusters":[{"Id":"j-1"},{"Id":"j-2"}],"Marker":"m-1"}"#)
        }
    })
    .await;
    let client = client(&server);
    let ids = tokio::task::spawn_blocking(move || {
        client
            .list_clusters()
            .into_paginator()
            .items()
            .send()
            .map(|c| c.expect("every page succeeds").id().map(str::to_owned))
            .collect::<Vec<_>>()
    })
    .await
    .expect("the join");
    assert_eq!(ids, [Some("j-1".into()), Some("j-2".into()), Some("j-3".into())]);
    let requests = server.finish().await;
    assert_eq!(requests[1].body_text(), r#"{"Marker":"m-1"}"#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_waiter_blocks_until_the_state_is_reached() {
    let server = Server::start([
        ok(r#"{"Cluster":{"Id":"j-1","Status":{"State":"STARTING"}}}"#),
        ok(r#"{"Cluster":{"Id":"j-1","Status":{"State":"BOOTSTRAPPING"}}}"#),
        ok(r#"{"Cluster":{"Id":"j-1","Status":{"State":"RUNNING"}}}"#),
    ])
    .await;
    let clock = ManualClock::from_epoch_secs(1_700_000_000);
    let config = offline_config()
        .endpoint_url(server.url())
        .clock(clock.clone())
        .sleep(clock.clone())
        .build();
    let client = Client::new(config);
    let poll = tokio::task::spawn_blocking(move || {
        client
            .wait_until_cluster_running()
            .cluster_id("j-1")
            .wait(Duration::from_secs(3600))
    })
    .await
    .expect("the join")
    .expect("the cluster runs");
    let state = poll
        .as_result()
        .ok()
        .and_then(|o| o.cluster())
        .and_then(|c| c.status())
        .and_then(|s| s.state());
    assert_eq!(state.map(|s| s.as_str()), Some("RUNNING"));
    assert_eq!(
        clock.sleeps(),
        [Duration::from_secs(30), Duration::from_secs(30)],
        "the model's delay, twice"
    );
    assert_eq!(server.finish().await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_throttled_call_is_retried() {
    let server = Server::start([
        reply(400, r#"{"__type":"ThrottlingException","Message":"Rate exceeded"}"#),
        ok(r#"{"Cluster":{"Id":"j-1"}}"#),
    ])
    .await;
    let clock = ManualClock::from_epoch_secs(1_700_000_000);
    let config = offline_config()
        .endpoint_url(server.url())
        .retry_config(RetryConfig {
            max_attempts: 3,
            ..RetryConfig::default()
        })
        .clock(clock.clone())
        .sleep(clock.clone())
        .build();
    let client = Client::new(config);
    let output = tokio::task::spawn_blocking(move || client.describe_cluster().cluster_id("j-1").send())
        .await
        .expect("the join")
        .expect("the second attempt succeeds");
    assert_eq!(output.cluster().and_then(|c| c.id()), Some("j-1"));
    assert_eq!(clock.sleeps().len(), 1, "one backoff before the retry");
    assert_eq!(server.finish().await.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_call_from_inside_an_async_runtime_works_without_panicking() {
    let server = Server::start([ok(r#"{"Cluster":{"Id":"j-1"}}"#)]).await;
    let client = client(&server);
    // Straight from async code: the call blocks this worker thread, and runs on the background runtime.
    let output = client
        .describe_cluster()
        .cluster_id("j-1")
        .send()
        .expect("the call succeeds");
    assert_eq!(output.cluster().and_then(|c| c.id()), Some("j-1"));
    assert_eq!(server.finish().await.len(), 1);
}

#[test]
fn a_call_from_inside_a_current_thread_runtime_works_without_panicking() {
    // The server runs on a runtime of its own, on another thread; the caller's runtime is current-thread, whose
    // only thread the call blocks.
    let (url_tx, url_rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            let server = Server::start([ok(r#"{"Cluster":{"Id":"j-1"}}"#)]).await;
            url_tx.send(server.url()).expect("the url");
            // Serve until the caller is done.
            let _ = done_rx.await;
            server.finish().await.len()
        })
    });
    let url = url_rx.recv().expect("the url");
    let caller = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let output = caller.block_on(async move {
        let client = Client::new(offline_config().endpoint_url(url).build());
        client.describe_cluster().cluster_id("j-1").send()
    });
    let _ = done_tx.send(());
    assert_eq!(
        output.expect("the call succeeds").cluster().and_then(|c| c.id()),
        Some("j-1")
    );
    assert_eq!(server.join().expect("the server thread"), 1);
}

#[test]
fn validation_fails_before_sending_as_with_the_async_client() {
    let client = Client::new(offline_config().endpoint_url("http://127.0.0.1:9").build());
    let error = client.describe_cluster().send().expect_err("ClusterId is required");
    assert!(matches!(&error, lean_emr::SdkError::Validation(_)), "{error}");
    assert!(error.to_string().contains("ClusterId"), "{error}");
}
