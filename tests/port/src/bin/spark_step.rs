//! Submits a spark-submit step through command-runner.jar and prints its id and state.

use lean_emr::types::{ActionOnFailure, HadoopJarStepConfig, StepConfig};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(cluster_id), Some(script)) = (args.next(), args.next()) else {
        eprintln!("usage: spark_step CLUSTER_ID S3_SCRIPT [ARG...]");
        std::process::exit(2);
    };
    let script_args: Vec<String> = args.collect();
    let client = lean_emr::Client::from_env();
    if let Err(e) = run(&client, &cluster_id, &script, &script_args).await {
        eprintln!("error: {}", lean_emr::error::DisplayErrorContext(&e));
        std::process::exit(1);
    }
}

async fn run(
    client: &lean_emr::Client,
    cluster_id: &str,
    script: &str,
    script_args: &[String],
) -> Result<(), lean_emr::Error> {
    let mut jar = HadoopJarStepConfig::builder()
        .jar("command-runner.jar")
        .args("spark-submit")
        .args("--deploy-mode")
        .args("cluster")
        .args(script);
    for arg in script_args {
        jar = jar.args(arg);
    }
    let step = StepConfig::builder()
        .name("spark job")
        .action_on_failure(ActionOnFailure::Continue)
        .hadoop_jar_step(jar.build())
        .build();
    let added = client
        .add_job_flow_steps()
        .job_flow_id(cluster_id)
        .steps(step)
        .send()
        .await?;
    let step_id = added.step_ids().first().cloned().unwrap_or_default();
    println!("step: {step_id}");
    let described = client
        .describe_step()
        .cluster_id(cluster_id)
        .step_id(&step_id)
        .send()
        .await?;
    let state = described
        .step()
        .and_then(|s| s.status())
        .and_then(|s| s.state())
        .map(|s| s.to_string());
    println!("state: {}", state.as_deref().unwrap_or("unknown"));
    let args = described
        .step()
        .and_then(|s| s.config())
        .map(|c| c.args().join(" "))
        .unwrap_or_default();
    println!("args: {args}");
    Ok(())
}
