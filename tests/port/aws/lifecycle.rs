//! A cluster's life: create it, wait until it runs, protect it, find that a protected cluster cannot be
//! terminated, lift the protection, terminate it and wait until it is gone.

use aws_sdk_emr::client::Waiters;
use aws_sdk_emr::error::ProvideErrorMetadata;
use aws_sdk_emr::types::{Application, InstanceGroupConfig, InstanceRoleType, JobFlowInstancesConfig};
use std::time::Duration;

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
    let instances = JobFlowInstancesConfig::builder()
        .instance_groups(
            InstanceGroupConfig::builder()
                .instance_role(InstanceRoleType::Master)
                .instance_type("m5.xlarge")
                .instance_count(1)
                .build(),
        )
        .instance_groups(
            InstanceGroupConfig::builder()
                .instance_role(InstanceRoleType::Core)
                .instance_type("m5.xlarge")
                .instance_count(2)
                .build(),
        )
        .keep_job_flow_alive_when_no_steps(true)
        .build();
    let created = client
        .run_job_flow()
        .name("nightly")
        .release_label("emr-7.5.0")
        .applications(Application::builder().name("Spark").build())
        .instances(instances)
        .service_role("EMR_DefaultRole")
        .job_flow_role("EMR_EC2_DefaultRole")
        .visible_to_all_users(true)
        .tags(aws_sdk_emr::types::Tag::builder().key("team").value("data").build())
        .send()
        .await?;
    let cluster_id = created.job_flow_id().unwrap_or_default().to_string();
    println!("created: {cluster_id}");

    let running = client
        .wait_until_cluster_running()
        .cluster_id(&cluster_id)
        .wait(Duration::from_secs(1800))
        .await?;
    let state = running
        .as_result()
        .ok()
        .and_then(|o| o.cluster())
        .and_then(|c| c.status())
        .and_then(|s| s.state())
        .map(|s| s.as_str().to_string());
    println!("running: {}", state.unwrap_or_default());

    client
        .set_termination_protection()
        .job_flow_ids(&cluster_id)
        .termination_protected(true)
        .send()
        .await?;
    match client.terminate_job_flows().job_flow_ids(&cluster_id).send().await {
        Ok(_) => println!("terminated a protected cluster?"),
        Err(e) => println!("refused: {}: {}", e.code().unwrap_or("-"), e.message().unwrap_or("-")),
    }
    client
        .set_termination_protection()
        .job_flow_ids(&cluster_id)
        .termination_protected(false)
        .send()
        .await?;
    client.terminate_job_flows().job_flow_ids(&cluster_id).send().await?;
    client
        .wait_until_cluster_terminated()
        .cluster_id(&cluster_id)
        .wait(Duration::from_secs(1800))
        .await?;
    println!("terminated: {cluster_id}");
    Ok(())
}
