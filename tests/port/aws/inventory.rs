//! Inventory: every active cluster, first with a Marker loop written by hand, then with the paginator, and a
//! count per state.

use aws_sdk_emr::types::ClusterState;
use std::collections::BTreeMap;

#[tokio::main]
async fn main() {
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_emr::Client::new(&config);
    if let Err(e) = run(&client).await {
        eprintln!("error: {}", aws_sdk_emr::error::DisplayErrorContext(&e));
        std::process::exit(1);
    }
}

async fn run(client: &aws_sdk_emr::Client) -> Result<(), aws_sdk_emr::Error> {
    // By hand: follow the Marker until the service stops returning one.
    let mut marker: Option<String> = None;
    let mut by_hand = Vec::new();
    loop {
        let page = client
            .list_clusters()
            .cluster_states(ClusterState::Waiting)
            .cluster_states(ClusterState::Running)
            .set_marker(marker.clone())
            .send()
            .await?;
        for cluster in page.clusters() {
            by_hand.push(cluster.id().unwrap_or_default().to_string());
        }
        match page.marker() {
            Some(next) if !next.is_empty() => marker = Some(next.to_string()),
            _ => break,
        }
    }
    println!("by hand: {} clusters", by_hand.len());

    // With the paginator, counting by state.
    let clusters = client
        .list_clusters()
        .cluster_states(ClusterState::Waiting)
        .cluster_states(ClusterState::Running)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await?;
    let mut per_state: BTreeMap<String, usize> = BTreeMap::new();
    for cluster in &clusters {
        let state = cluster
            .status()
            .and_then(|s| s.state())
            .map(|s| s.as_str().to_string())
            .unwrap_or_else(|| "UNKNOWN".to_string());
        *per_state.entry(state).or_default() += 1;
    }
    for (state, count) in &per_state {
        println!("{state}: {count}");
    }
    for cluster in &clusters {
        println!(
            "{} {} {}",
            cluster.id().unwrap_or("-"),
            cluster.name().unwrap_or("-"),
            cluster.normalized_instance_hours().unwrap_or(0)
        );
    }
    Ok(())
}
