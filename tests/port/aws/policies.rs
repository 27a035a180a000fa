//! Scaling and auto-termination policies, and block public access: set them, read them back.

use aws_sdk_emr::types::{
    AutoTerminationPolicy, BlockPublicAccessConfiguration, ComputeLimits, ComputeLimitsUnitType, ManagedScalingPolicy,
    PortRange,
};

#[tokio::main]
async fn main() {
    let Some(cluster_id) = std::env::args().nth(1) else {
        eprintln!("usage: policies CLUSTER_ID");
        std::process::exit(2);
    };
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_emr::Client::new(&config);
    if let Err(e) = run(&client, &cluster_id).await {
        eprintln!("error: {}", aws_sdk_emr::error::DisplayErrorContext(&e));
        std::process::exit(1);
    }
}

async fn run(client: &aws_sdk_emr::Client, cluster_id: &str) -> Result<(), aws_sdk_emr::Error> {
    client
        .put_auto_termination_policy()
        .cluster_id(cluster_id)
        .auto_termination_policy(AutoTerminationPolicy::builder().idle_timeout(3600).build())
        .send()
        .await?;
    let limits = ComputeLimits::builder()
        .unit_type(ComputeLimitsUnitType::Instances)
        .minimum_capacity_units(2)
        .maximum_capacity_units(10)
        .build();
    client
        .put_managed_scaling_policy()
        .cluster_id(cluster_id)
        .managed_scaling_policy(ManagedScalingPolicy::builder().compute_limits(limits).build())
        .send()
        .await?;
    let policy = client
        .get_managed_scaling_policy()
        .cluster_id(cluster_id)
        .send()
        .await?;
    let max = policy
        .managed_scaling_policy()
        .and_then(|p| p.compute_limits())
        .and_then(|l| l.maximum_capacity_units());
    println!("managed scaling: max {}", max.unwrap_or(0));
    let idle = client
        .get_auto_termination_policy()
        .cluster_id(cluster_id)
        .send()
        .await?
        .auto_termination_policy()
        .and_then(|p| p.idle_timeout());
    println!("auto-termination: {} s idle", idle.unwrap_or(0));

    let ssh = PortRange::builder().min_range(22).max_range(22).build();
    client
        .put_block_public_access_configuration()
        .block_public_access_configuration(
            BlockPublicAccessConfiguration::builder()
                .block_public_security_group_rules(true)
                .permitted_public_security_group_rule_ranges(ssh)
                .build(),
        )
        .send()
        .await?;
    let bpa = client.get_block_public_access_configuration().send().await?;
    let ranges: Vec<String> = bpa
        .block_public_access_configuration()
        .map(|c| {
            c.permitted_public_security_group_rule_ranges()
                .iter()
                .map(|r| format!("{}-{}", r.min_range().unwrap_or(0), r.max_range().unwrap_or(0)))
                .collect()
        })
        .unwrap_or_default();
    println!("block public access: permitted {}", ranges.join(","));
    Ok(())
}
