"""Clusters and steps through boto3/botocore: the model's three waiters, its paginators, and every cluster, step,
instance, policy, security configuration, release catalogue, notebook execution, app UI and session operation the
emulator performs, called at least once with a valid input.

Run by tests/botocore.rs against an emulator it started on its manual clock (EMULATOR_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY in the environment). The waiters run with a short WaiterConfig (no delay): a hook on the
operation each waiter polls moves the emulator's clock 30 s (the model's delay) before each poll, through the
control endpoint, so a waiter sees the states a client polling every 30 s would see, and nothing sleeps.
Exits 0 and prints a summary when everything behaved as the service does.
"""

import json
import os
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, WaiterError

URL = os.environ["EMULATOR_URL"]
emr = boto3.client("emr", endpoint_url=URL, region_name="us-east-1", config=Config(retries={"max_attempts": 1}))
FAST = {"Delay": 0, "MaxAttempts": 20}


def advance(seconds):
    request = urllib.request.Request(
        f"{URL}/_emulator/advance", data=json.dumps({"seconds": seconds}).encode(), method="POST"
    )
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200


def faults(**kwargs):
    request = urllib.request.Request(f"{URL}/_emulator/faults", data=json.dumps(kwargs).encode(), method="POST")
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200


class Polls:
    """Moves the clock one waiter delay before each call of `operation`, and counts the calls."""

    def __init__(self, operation):
        self.event = f"before-call.emr.{operation}"
        self.count = 0

    def __call__(self, **_):
        self.count += 1
        advance(30)

    def __enter__(self):
        emr.meta.events.register(self.event, self)
        return self

    def __exit__(self, *_):
        emr.meta.events.unregister(self.event, self)


def step(name, action="CONTINUE"):
    return {"Name": name, "ActionOnFailure": action,
            "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", f"{name}.py"]}}


def run(name, keep_alive=True, steps=(), fleets=False):
    instances = {"KeepJobFlowAliveWhenNoSteps": keep_alive}
    if fleets:
        instances["InstanceFleets"] = [
            {"Name": "primary", "InstanceFleetType": "MASTER", "TargetOnDemandCapacity": 1,
             "InstanceTypeConfigs": [{"InstanceType": "m5.xlarge"}]},
        ]
    else:
        instances["InstanceGroups"] = [
            {"Name": "primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
            {"Name": "core", "InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 2},
        ]
    return emr.run_job_flow(
        Name=name, ReleaseLabel="emr-7.5.0", LogUri="s3://logs/", ServiceRole="EMR_DefaultRole",
        JobFlowRole="EMR_EC2_DefaultRole", Instances=instances, Steps=list(steps),
        BootstrapActions=[{"Name": "setup", "ScriptBootstrapAction": {"Path": "s3://b/setup.sh"}}],
    )["JobFlowId"]


def code_of(call):
    try:
        call()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["Error"]["Message"]
    raise AssertionError("expected an error")


# ClusterRunning: STARTING, BOOTSTRAPPING, then RUNNING on the third poll.
cluster = run("boto3", steps=[step("first")])
with Polls("DescribeCluster") as polls:
    emr.get_waiter("cluster_running").wait(ClusterId=cluster, WaiterConfig=FAST)
assert polls.count == 2, polls.count
assert emr.describe_cluster(ClusterId=cluster)["Cluster"]["Status"]["State"] == "RUNNING"

# StepComplete, and its failure on a step that a fault makes fail.
faults(failing_steps=["broken"])
ids = emr.add_job_flow_steps(JobFlowId=cluster, Steps=[step("second"), step("broken")])["StepIds"]
with Polls("DescribeStep"):
    emr.get_waiter("step_complete").wait(ClusterId=cluster, StepId=ids[0], WaiterConfig=FAST)
    try:
        emr.get_waiter("step_complete").wait(ClusterId=cluster, StepId=ids[1], WaiterConfig=FAST)
        raise AssertionError("a failed step is not complete")
    except WaiterError as e:
        assert "terminal failure state" in str(e), e
faults()
broken = emr.describe_step(ClusterId=cluster, StepId=ids[1])["Step"]
assert broken["Status"]["State"] == "FAILED"
assert broken["Status"]["FailureDetails"]["LogFile"] == f"s3://logs/{cluster}/steps/{ids[1]}/stderr.gz"

# The other cluster and step operations, each with a valid input.
emr.set_visible_to_all_users(JobFlowIds=[cluster], VisibleToAllUsers=False)
emr.set_unhealthy_node_replacement(JobFlowIds=[cluster], UnhealthyNodeReplacement=True)
emr.add_tags(ResourceId=cluster, Tags=[{"Key": "team", "Value": "data"}, {"Key": "tmp", "Value": "1"}])
emr.remove_tags(ResourceId=cluster, TagKeys=["tmp"])
described = emr.describe_cluster(ClusterId=cluster)["Cluster"]
assert (described["VisibleToAllUsers"], described["UnhealthyNodeReplacement"]) == (False, True), described
assert described["Tags"] == [{"Key": "team", "Value": "data"}], described["Tags"]
assert emr.modify_cluster(ClusterId=cluster, StepConcurrencyLevel=3)["StepConcurrencyLevel"] == 3
pending = emr.add_job_flow_steps(JobFlowId=cluster, Steps=[step("unwanted")])["StepIds"][0]
info = emr.cancel_steps(ClusterId=cluster, StepIds=[pending])["CancelStepsInfoList"][0]
assert (info["StepId"], info["Status"]) == (pending, "SUBMITTED"), info
groups = emr.list_instance_groups(ClusterId=cluster)["InstanceGroups"]
assert [g["InstanceGroupType"] for g in groups] == ["MASTER", "CORE"], groups
assert emr.list_bootstrap_actions(ClusterId=cluster)["BootstrapActions"][0]["ScriptPath"] == "s3://b/setup.sh"
fleet_cluster = run("fleets", fleets=True)
fleets = emr.list_instance_fleets(ClusterId=fleet_cluster)["InstanceFleets"]
assert fleets[0]["Id"].startswith("if-") and fleets[0]["InstanceFleetType"] == "MASTER", fleets
assert emr.describe_cluster(ClusterId=fleet_cluster)["Cluster"]["InstanceCollectionType"] == "INSTANCE_FLEET"

# Paginators: clusters and steps page at 50.
for n in range(50):
    run(f"many-{n}")
pages = list(emr.get_paginator("list_clusters").paginate())
assert [len(p["Clusters"]) for p in pages] == [50, 2], [len(p["Clusters"]) for p in pages]
emr.add_job_flow_steps(JobFlowId=fleet_cluster, Steps=[step(f"s{n}") for n in range(55)])
pages = list(emr.get_paginator("list_steps").paginate(ClusterId=fleet_cluster))
assert [len(p["Steps"]) for p in pages] == [50, 5], [len(p["Steps"]) for p in pages]
assert pages[0]["Steps"][0]["Name"] == "s54", "newest first"
for name in ["list_instance_groups", "list_bootstrap_actions"]:
    assert len(list(emr.get_paginator(name).paginate(ClusterId=cluster))) == 1
assert len(list(emr.get_paginator("list_instance_fleets").paginate(ClusterId=fleet_cluster))) == 1

# Instances and resizes, policies, block public access and security configurations.
instances = emr.list_instances(ClusterId=cluster)["Instances"]
assert len(instances) == 3, instances
assert all(i["Id"].startswith("ci-") and i["Ec2InstanceId"].startswith("i-") for i in instances), instances
assert len(list(emr.get_paginator("list_instances").paginate(ClusterId=cluster))) == 1
core = [g for g in emr.list_instance_groups(ClusterId=cluster)["InstanceGroups"] if g["InstanceGroupType"] == "CORE"]
emr.modify_instance_groups(ClusterId=cluster, InstanceGroups=[{"InstanceGroupId": core[0]["Id"], "InstanceCount": 3}])
assert len(emr.list_instances(ClusterId=cluster, InstanceGroupTypes=["CORE"])["Instances"]) == 3
task = emr.add_instance_groups(
    JobFlowId=cluster, InstanceGroups=[{"InstanceRole": "TASK", "InstanceType": "m5.xlarge", "InstanceCount": 1}]
)["InstanceGroupIds"][0]
rule = {"Name": "out", "Action": {"SimpleScalingPolicyConfiguration": {"ScalingAdjustment": 1}},
        "Trigger": {"CloudWatchAlarmDefinition": {"ComparisonOperator": "LESS_THAN", "MetricName": "Memory",
                                                  "Period": 300, "Threshold": 15.5}}}
put = emr.put_auto_scaling_policy(ClusterId=cluster, InstanceGroupId=task, AutoScalingPolicy={
    "Constraints": {"MinCapacity": 0, "MaxCapacity": 4}, "Rules": [rule]})
assert put["AutoScalingPolicy"]["Status"]["State"] == "PENDING", put
emr.remove_auto_scaling_policy(ClusterId=cluster, InstanceGroupId=task)
limits = {"UnitType": "Instances", "MinimumCapacityUnits": 1, "MaximumCapacityUnits": 4}
emr.put_managed_scaling_policy(ClusterId=cluster, ManagedScalingPolicy={"ComputeLimits": limits})
assert emr.get_managed_scaling_policy(ClusterId=cluster)["ManagedScalingPolicy"] == {"ComputeLimits": limits}
emr.remove_managed_scaling_policy(ClusterId=cluster)
emr.put_auto_termination_policy(ClusterId=cluster, AutoTerminationPolicy={"IdleTimeout": 3600})
assert emr.get_auto_termination_policy(ClusterId=cluster)["AutoTerminationPolicy"] == {"IdleTimeout": 3600}
emr.remove_auto_termination_policy(ClusterId=cluster)
fleet = emr.add_instance_fleet(ClusterId=fleet_cluster, InstanceFleet={
    "InstanceFleetType": "TASK", "TargetSpotCapacity": 1, "InstanceTypeConfigs": [{"InstanceType": "c5.xlarge"}]})
emr.modify_instance_fleet(ClusterId=fleet_cluster, InstanceFleet={
    "InstanceFleetId": fleet["InstanceFleetId"], "TargetOnDemandCapacity": 0, "TargetSpotCapacity": 2})
assert len(emr.list_instances(ClusterId=fleet_cluster, InstanceFleetId=fleet["InstanceFleetId"])["Instances"]) == 2
flow = emr.describe_job_flows(JobFlowIds=[cluster])["JobFlows"][0]
assert (flow["JobFlowId"], flow["Instances"]["InstanceCount"]) == (cluster, 5), flow
assert flow["ExecutionStatusDetail"]["CreationDateTime"].year >= 2023, flow
ranges = emr.get_block_public_access_configuration()["BlockPublicAccessConfiguration"]
assert ranges["PermittedPublicSecurityGroupRuleRanges"] == [{"MinRange": 22, "MaxRange": 22}], ranges
emr.put_block_public_access_configuration(BlockPublicAccessConfiguration={"BlockPublicSecurityGroupRules": False})
assert not emr.get_block_public_access_configuration()["BlockPublicAccessConfiguration"]["BlockPublicSecurityGroupRules"]
emr.create_security_configuration(Name="sc", SecurityConfiguration='{"EncryptionConfiguration": {}}')
assert emr.describe_security_configuration(Name="sc")["SecurityConfiguration"] == '{"EncryptionConfiguration": {}}'
pages = emr.get_paginator("list_security_configurations").paginate()
assert [c["Name"] for p in pages for c in p["SecurityConfigurations"]] == ["sc"]
emr.delete_security_configuration(Name="sc")
assert code_of(lambda: emr.describe_security_configuration(Name="sc")) == (
    "InvalidRequestException", "Security configuration with name 'sc' does not exist."
)

# The sample release catalogue: labels (paged with NextToken), one described, its instance types.
labels = emr.list_release_labels(Filters={"Application": "spark"}, MaxResults=2)
assert labels["ReleaseLabels"] == ["emr-7.0.0", "emr-6.15.0"], labels
rest = emr.list_release_labels(Filters={"Application": "spark"}, MaxResults=2, NextToken=labels["NextToken"])
assert rest["ReleaseLabels"] == ["emr-5.36.2"] and "NextToken" not in rest, rest
release = emr.describe_release_label(ReleaseLabel="emr-6.15.0")
assert {"Name": "spark", "Version": "3.4.1"} in release["Applications"], release
assert release["AvailableOSReleases"], release
types = emr.list_supported_instance_types(ReleaseLabel="emr-6.15.0")["SupportedInstanceTypes"]
assert any(t["Type"] == "m5.xlarge" and t["VCPU"] == 4 for t in types), types
assert code_of(lambda: emr.describe_release_label(ReleaseLabel="emr-0.0.1"))[0] == "InvalidRequestException"

# A notebook execution on the running cluster: START_PENDING, then through its states; one stopped.
execution = emr.start_notebook_execution(
    EditorId="e-BOTO3EDITOR0000000000000", RelativePath="report.ipynb", ExecutionEngine={"Id": cluster},
    ServiceRole="EMR_Notebooks_DefaultRole",
)["NotebookExecutionId"]
assert execution.startswith("ex-"), execution
assert emr.describe_notebook_execution(NotebookExecutionId=execution)["NotebookExecution"]["Status"] == "START_PENDING"
emr.stop_notebook_execution(NotebookExecutionId=execution)
advance(30)
assert emr.describe_notebook_execution(NotebookExecutionId=execution)["NotebookExecution"]["Status"] == "STOPPED"
listed = emr.list_notebook_executions(Status="STOPPED")["NotebookExecutions"]
assert [e["NotebookExecutionId"] for e in listed] == [execution], listed
assert code_of(lambda: emr.describe_notebook_execution(NotebookExecutionId="ex-NOTANEXEC001")) == (
    "InvalidRequestException", "Notebook execution id 'ex-NOTANEXEC001' is not valid."
)

# A persistent app UI on the cluster, and presigned URLs on the emulator's own host.
arn = emr.describe_cluster(ClusterId=cluster)["Cluster"]["ClusterArn"]
ui = emr.create_persistent_app_ui(TargetResourceArn=arn)["PersistentAppUIId"]
assert ui.startswith("p-"), ui
assert emr.describe_persistent_app_ui(PersistentAppUIId=ui)["PersistentAppUI"]["PersistentAppUIStatus"] == "ATTACHED"
presigned = emr.get_persistent_app_ui_presigned_url(PersistentAppUIId=ui, PersistentAppUIType="SHS")
assert presigned["PresignedURLReady"] and presigned["PresignedURL"].startswith(f"{URL}/_emulator/app-ui/"), presigned
on_cluster = emr.get_on_cluster_app_ui_presigned_url(ClusterId=cluster, OnClusterAppUIType="ResourceManager")
assert on_cluster["PresignedURLReady"] and on_cluster["PresignedURL"].startswith(URL), on_cluster
assert code_of(lambda: emr.describe_persistent_app_ui(PersistentAppUIId="p-NOTAUI000001"))[0] == "InvalidRequestException"

# An interactive session on the cluster, its endpoint, and cluster session credentials (plainly fake).
session = emr.start_session(ClusterId=cluster, Name="boto3")["Id"]
advance(90)
assert emr.get_session(ClusterId=cluster, SessionId=session)["Session"]["State"] == "IDLE"
assert emr.get_session_endpoint(ClusterId=cluster, SessionId=session)["Endpoint"].startswith(f"{URL}/_emulator/")
assert [s["Id"] for s in emr.list_sessions(ClusterId=cluster, SessionStates=["IDLE"])["Sessions"]] == [session]
assert emr.terminate_session(ClusterId=cluster, SessionId=session)["State"] == "TERMINATING"
credentials = emr.get_cluster_session_credentials(ClusterId=cluster)
assert credentials["Credentials"]["UsernamePassword"]["Username"].startswith("ASIAEMULATOR"), credentials
assert code_of(lambda: emr.get_session(ClusterId=cluster, SessionId="ses-NOTASESSION1"))[0] == "InvalidRequestException"

# Termination protection, then ClusterTerminated.
emr.set_termination_protection(JobFlowIds=[cluster], TerminationProtected=True)
code, message = code_of(lambda: emr.terminate_job_flows(JobFlowIds=[cluster]))
assert (code, message) == (
    "ValidationException", "Could not shut down one or more job flows since they are termination protected."
), (code, message)
emr.set_termination_protection(JobFlowIds=[cluster], TerminationProtected=False)
emr.set_keep_job_flow_alive_when_no_steps(JobFlowIds=[cluster], KeepJobFlowAliveWhenNoSteps=False)
emr.terminate_job_flows(JobFlowIds=[cluster])
with Polls("DescribeCluster") as polls:
    emr.get_waiter("cluster_terminated").wait(ClusterId=cluster, WaiterConfig=FAST)
assert polls.count == 1, polls.count
final = emr.describe_cluster(ClusterId=cluster)["Cluster"]["Status"]
assert (final["State"], final["StateChangeReason"]["Code"]) == ("TERMINATED", "USER_REQUEST"), final
assert code_of(lambda: emr.describe_cluster(ClusterId="j-NOTACLUSTER1")) == (
    "InvalidRequestException", "Cluster id 'j-NOTACLUSTER1' is not valid."
)
print("botocore clusters: ok")
