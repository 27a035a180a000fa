//! The handler behind the generated dispatch: the Studio operations ([`Studios`]) and the cluster, step, instance,
//! policy, security configuration, release catalogue, notebook execution, app UI and session ones ([`Clusters`])
//! over one state.

use crate::clusters::{legacy_error, mixed_error, modern_error, unmodelled_error, Clusters};
use crate::model::operations::*;
use crate::model::server::{Handler, OPERATIONS};
use crate::state::TagRecord;
use crate::studios::{self, Studios};

/// The operations of the model that the emulator does not perform: each would answer
/// [`ServiceError::not_served`](crate::awsjson::ServiceError::not_served) (`NotImplementedException`, HTTP 501).
/// None now; an operation a newer model adds lands here until it is written (the README's emulator section says so).
pub const NOT_SERVED: &[&str] = &[];

/// The operations the emulator performs: every operation of the model but [`NOT_SERVED`].
pub fn served() -> impl Iterator<Item = &'static str> {
    OPERATIONS.iter().copied().filter(|op| !NOT_SERVED.contains(op))
}

/// Everything the emulator performs.
#[derive(Debug)]
pub struct Emr {
    pub(crate) studios: Studios,
    pub(crate) clusters: Clusters,
}

/// Each operation it performs: the work of [`Studios`] or [`Clusters`], its failure turned into the operation's own
/// error. The others answer [`ServiceError::not_served`](crate::awsjson::ServiceError::not_served) (the trait's provided methods); [`NOT_SERVED`] lists them.
impl Handler for Emr {
    async fn create_studio(&self, input: CreateStudioInput) -> Result<CreateStudioOutput, CreateStudioError> {
        let id = self
            .studios
            .create_studio_record(input)
            .map_err(studios::studio_error::<CreateStudioError>)?;
        let url = self.studios.store.read(|s| s.studios.get(&id).map(|r| r.url.clone()));
        Ok(CreateStudioOutput::builder().studio_id(id).set_url(url).build())
    }

    async fn describe_studio(&self, input: DescribeStudioInput) -> Result<DescribeStudioOutput, DescribeStudioError> {
        self.studios.describe(input).map_err(studios::studio_error)
    }

    async fn list_studios(&self, input: ListStudiosInput) -> Result<ListStudiosOutput, ListStudiosError> {
        self.studios.list_studios_page(input).map_err(studios::studio_error)
    }

    async fn update_studio(&self, input: UpdateStudioInput) -> Result<UpdateStudioOutput, UpdateStudioError> {
        self.studios.update(input).map_err(studios::studio_error)
    }

    async fn delete_studio(&self, input: DeleteStudioInput) -> Result<DeleteStudioOutput, DeleteStudioError> {
        self.studios.delete(input).map_err(studios::studio_error)
    }

    async fn create_studio_session_mapping(
        &self,
        input: CreateStudioSessionMappingInput,
    ) -> Result<CreateStudioSessionMappingOutput, CreateStudioSessionMappingError> {
        self.studios.create_mapping(input).map_err(studios::mapping_error)
    }

    async fn get_studio_session_mapping(
        &self,
        input: GetStudioSessionMappingInput,
    ) -> Result<GetStudioSessionMappingOutput, GetStudioSessionMappingError> {
        self.studios.get_mapping(input).map_err(studios::mapping_error)
    }

    async fn update_studio_session_mapping(
        &self,
        input: UpdateStudioSessionMappingInput,
    ) -> Result<UpdateStudioSessionMappingOutput, UpdateStudioSessionMappingError> {
        self.studios.update_mapping(input).map_err(studios::mapping_error)
    }

    async fn delete_studio_session_mapping(
        &self,
        input: DeleteStudioSessionMappingInput,
    ) -> Result<DeleteStudioSessionMappingOutput, DeleteStudioSessionMappingError> {
        self.studios.delete_mapping(input).map_err(studios::mapping_error)
    }

    async fn list_studio_session_mappings(
        &self,
        input: ListStudioSessionMappingsInput,
    ) -> Result<ListStudioSessionMappingsOutput, ListStudioSessionMappingsError> {
        self.studios.list_mappings(input).map_err(studios::mapping_error)
    }

    async fn run_job_flow(&self, input: RunJobFlowInput) -> Result<RunJobFlowOutput, RunJobFlowError> {
        self.clusters.run_job_flow(input).map_err(legacy_error)
    }

    async fn add_job_flow_steps(
        &self,
        input: AddJobFlowStepsInput,
    ) -> Result<AddJobFlowStepsOutput, AddJobFlowStepsError> {
        self.clusters.add_job_flow_steps(input).map_err(legacy_error)
    }

    async fn describe_cluster(
        &self,
        input: DescribeClusterInput,
    ) -> Result<DescribeClusterOutput, DescribeClusterError> {
        self.clusters.describe_cluster(input).map_err(modern_error)
    }

    async fn list_clusters(&self, input: ListClustersInput) -> Result<ListClustersOutput, ListClustersError> {
        self.clusters.list_clusters(input).map_err(modern_error)
    }

    async fn describe_step(&self, input: DescribeStepInput) -> Result<DescribeStepOutput, DescribeStepError> {
        self.clusters.describe_step(input).map_err(modern_error)
    }

    async fn list_steps(&self, input: ListStepsInput) -> Result<ListStepsOutput, ListStepsError> {
        self.clusters.list_steps(input).map_err(modern_error)
    }

    async fn cancel_steps(&self, input: CancelStepsInput) -> Result<CancelStepsOutput, CancelStepsError> {
        self.clusters.cancel_steps(input).map_err(mixed_error)
    }

    async fn terminate_job_flows(
        &self,
        input: TerminateJobFlowsInput,
    ) -> Result<TerminateJobFlowsOutput, TerminateJobFlowsError> {
        self.clusters.terminate_job_flows(input).map_err(legacy_error)
    }

    async fn set_termination_protection(
        &self,
        input: SetTerminationProtectionInput,
    ) -> Result<SetTerminationProtectionOutput, SetTerminationProtectionError> {
        self.clusters
            .set_termination_protection(input)
            .map_err(legacy_error::<SetTerminationProtectionError>)?;
        Ok(SetTerminationProtectionOutput::builder().build())
    }

    async fn set_visible_to_all_users(
        &self,
        input: SetVisibleToAllUsersInput,
    ) -> Result<SetVisibleToAllUsersOutput, SetVisibleToAllUsersError> {
        self.clusters
            .set_visible_to_all_users(input)
            .map_err(legacy_error::<SetVisibleToAllUsersError>)?;
        Ok(SetVisibleToAllUsersOutput::builder().build())
    }

    async fn set_keep_job_flow_alive_when_no_steps(
        &self,
        input: SetKeepJobFlowAliveWhenNoStepsInput,
    ) -> Result<SetKeepJobFlowAliveWhenNoStepsOutput, SetKeepJobFlowAliveWhenNoStepsError> {
        self.clusters
            .set_keep_alive(input)
            .map_err(legacy_error::<SetKeepJobFlowAliveWhenNoStepsError>)?;
        Ok(SetKeepJobFlowAliveWhenNoStepsOutput::builder().build())
    }

    async fn set_unhealthy_node_replacement(
        &self,
        input: SetUnhealthyNodeReplacementInput,
    ) -> Result<SetUnhealthyNodeReplacementOutput, SetUnhealthyNodeReplacementError> {
        self.clusters
            .set_unhealthy_node_replacement(input)
            .map_err(legacy_error::<SetUnhealthyNodeReplacementError>)?;
        Ok(SetUnhealthyNodeReplacementOutput::builder().build())
    }

    async fn modify_cluster(&self, input: ModifyClusterInput) -> Result<ModifyClusterOutput, ModifyClusterError> {
        self.clusters.modify_cluster(input).map_err(mixed_error)
    }

    async fn list_instance_groups(
        &self,
        input: ListInstanceGroupsInput,
    ) -> Result<ListInstanceGroupsOutput, ListInstanceGroupsError> {
        self.clusters.list_instance_groups(input).map_err(modern_error)
    }

    async fn list_instance_fleets(
        &self,
        input: ListInstanceFleetsInput,
    ) -> Result<ListInstanceFleetsOutput, ListInstanceFleetsError> {
        self.clusters.list_instance_fleets(input).map_err(modern_error)
    }

    async fn list_bootstrap_actions(
        &self,
        input: ListBootstrapActionsInput,
    ) -> Result<ListBootstrapActionsOutput, ListBootstrapActionsError> {
        self.clusters.list_bootstrap_actions(input).map_err(modern_error)
    }

    async fn add_tags(&self, input: AddTagsInput) -> Result<AddTagsOutput, AddTagsError> {
        let added: Vec<TagRecord> = input
            .tags
            .iter()
            .map(|t| TagRecord {
                key: t.key.clone(),
                value: t.value.clone(),
            })
            .collect();
        self.clusters
            .retag(&input.resource_id, |tags| {
                for tag in added {
                    tags.retain(|t| t.key != tag.key);
                    tags.push(tag);
                }
            })
            .map_err(modern_error::<AddTagsError>)?;
        Ok(AddTagsOutput::builder().build())
    }

    async fn remove_tags(&self, input: RemoveTagsInput) -> Result<RemoveTagsOutput, RemoveTagsError> {
        self.clusters
            .retag(&input.resource_id, |tags| {
                tags.retain(|t| !t.key.as_ref().is_some_and(|k| input.tag_keys.contains(k)));
            })
            .map_err(modern_error::<RemoveTagsError>)?;
        Ok(RemoveTagsOutput::builder().build())
    }

    async fn describe_job_flows(
        &self,
        input: DescribeJobFlowsInput,
    ) -> Result<DescribeJobFlowsOutput, DescribeJobFlowsError> {
        self.clusters.describe_job_flows(input).map_err(legacy_error)
    }

    async fn list_instances(&self, input: ListInstancesInput) -> Result<ListInstancesOutput, ListInstancesError> {
        self.clusters.list_instances(input).map_err(modern_error)
    }

    async fn add_instance_groups(
        &self,
        input: AddInstanceGroupsInput,
    ) -> Result<AddInstanceGroupsOutput, AddInstanceGroupsError> {
        self.clusters.add_instance_groups(input).map_err(legacy_error)
    }

    async fn modify_instance_groups(
        &self,
        input: ModifyInstanceGroupsInput,
    ) -> Result<ModifyInstanceGroupsOutput, ModifyInstanceGroupsError> {
        self.clusters.modify_instance_groups(input).map_err(legacy_error)
    }

    async fn add_instance_fleet(
        &self,
        input: AddInstanceFleetInput,
    ) -> Result<AddInstanceFleetOutput, AddInstanceFleetError> {
        self.clusters.add_instance_fleet(input).map_err(modern_error)
    }

    async fn modify_instance_fleet(
        &self,
        input: ModifyInstanceFleetInput,
    ) -> Result<ModifyInstanceFleetOutput, ModifyInstanceFleetError> {
        self.clusters.modify_instance_fleet(input).map_err(modern_error)
    }

    async fn put_auto_scaling_policy(
        &self,
        input: PutAutoScalingPolicyInput,
    ) -> Result<PutAutoScalingPolicyOutput, PutAutoScalingPolicyError> {
        self.clusters.put_auto_scaling_policy(input).map_err(unmodelled_error)
    }

    async fn remove_auto_scaling_policy(
        &self,
        input: RemoveAutoScalingPolicyInput,
    ) -> Result<RemoveAutoScalingPolicyOutput, RemoveAutoScalingPolicyError> {
        self.clusters
            .remove_auto_scaling_policy(input)
            .map_err(unmodelled_error)
    }

    async fn put_managed_scaling_policy(
        &self,
        input: PutManagedScalingPolicyInput,
    ) -> Result<PutManagedScalingPolicyOutput, PutManagedScalingPolicyError> {
        self.clusters
            .put_managed_scaling_policy(input)
            .map_err(unmodelled_error)
    }

    async fn get_managed_scaling_policy(
        &self,
        input: GetManagedScalingPolicyInput,
    ) -> Result<GetManagedScalingPolicyOutput, GetManagedScalingPolicyError> {
        self.clusters
            .get_managed_scaling_policy(input)
            .map_err(unmodelled_error)
    }

    async fn remove_managed_scaling_policy(
        &self,
        input: RemoveManagedScalingPolicyInput,
    ) -> Result<RemoveManagedScalingPolicyOutput, RemoveManagedScalingPolicyError> {
        self.clusters
            .remove_managed_scaling_policy(input)
            .map_err(unmodelled_error)
    }

    async fn put_auto_termination_policy(
        &self,
        input: PutAutoTerminationPolicyInput,
    ) -> Result<PutAutoTerminationPolicyOutput, PutAutoTerminationPolicyError> {
        self.clusters
            .put_auto_termination_policy(input)
            .map_err(unmodelled_error)
    }

    async fn get_auto_termination_policy(
        &self,
        input: GetAutoTerminationPolicyInput,
    ) -> Result<GetAutoTerminationPolicyOutput, GetAutoTerminationPolicyError> {
        self.clusters
            .get_auto_termination_policy(input)
            .map_err(unmodelled_error)
    }

    async fn remove_auto_termination_policy(
        &self,
        input: RemoveAutoTerminationPolicyInput,
    ) -> Result<RemoveAutoTerminationPolicyOutput, RemoveAutoTerminationPolicyError> {
        self.clusters
            .remove_auto_termination_policy(input)
            .map_err(unmodelled_error)
    }

    async fn put_block_public_access_configuration(
        &self,
        input: PutBlockPublicAccessConfigurationInput,
    ) -> Result<PutBlockPublicAccessConfigurationOutput, PutBlockPublicAccessConfigurationError> {
        self.clusters
            .put_block_public_access_configuration(input)
            .map_err(modern_error)
    }

    async fn get_block_public_access_configuration(
        &self,
        _: GetBlockPublicAccessConfigurationInput,
    ) -> Result<GetBlockPublicAccessConfigurationOutput, GetBlockPublicAccessConfigurationError> {
        self.clusters
            .get_block_public_access_configuration()
            .map_err(modern_error)
    }

    async fn create_security_configuration(
        &self,
        input: CreateSecurityConfigurationInput,
    ) -> Result<CreateSecurityConfigurationOutput, CreateSecurityConfigurationError> {
        self.clusters.create_security_configuration(input).map_err(modern_error)
    }

    async fn describe_security_configuration(
        &self,
        input: DescribeSecurityConfigurationInput,
    ) -> Result<DescribeSecurityConfigurationOutput, DescribeSecurityConfigurationError> {
        self.clusters
            .describe_security_configuration(input)
            .map_err(modern_error)
    }

    async fn delete_security_configuration(
        &self,
        input: DeleteSecurityConfigurationInput,
    ) -> Result<DeleteSecurityConfigurationOutput, DeleteSecurityConfigurationError> {
        self.clusters.delete_security_configuration(input).map_err(modern_error)
    }

    async fn list_security_configurations(
        &self,
        input: ListSecurityConfigurationsInput,
    ) -> Result<ListSecurityConfigurationsOutput, ListSecurityConfigurationsError> {
        self.clusters.list_security_configurations(input).map_err(modern_error)
    }

    async fn list_release_labels(
        &self,
        input: ListReleaseLabelsInput,
    ) -> Result<ListReleaseLabelsOutput, ListReleaseLabelsError> {
        self.clusters.list_release_labels(input).map_err(modern_error)
    }

    async fn describe_release_label(
        &self,
        input: DescribeReleaseLabelInput,
    ) -> Result<DescribeReleaseLabelOutput, DescribeReleaseLabelError> {
        self.clusters.describe_release_label(input).map_err(modern_error)
    }

    async fn list_supported_instance_types(
        &self,
        input: ListSupportedInstanceTypesInput,
    ) -> Result<ListSupportedInstanceTypesOutput, ListSupportedInstanceTypesError> {
        self.clusters.list_supported_instance_types(input).map_err(modern_error)
    }

    async fn start_notebook_execution(
        &self,
        input: StartNotebookExecutionInput,
    ) -> Result<StartNotebookExecutionOutput, StartNotebookExecutionError> {
        self.clusters.start_notebook_execution(input).map_err(modern_error)
    }

    async fn describe_notebook_execution(
        &self,
        input: DescribeNotebookExecutionInput,
    ) -> Result<DescribeNotebookExecutionOutput, DescribeNotebookExecutionError> {
        self.clusters.describe_notebook_execution(input).map_err(mixed_error)
    }

    async fn list_notebook_executions(
        &self,
        input: ListNotebookExecutionsInput,
    ) -> Result<ListNotebookExecutionsOutput, ListNotebookExecutionsError> {
        self.clusters.list_notebook_executions(input).map_err(mixed_error)
    }

    async fn stop_notebook_execution(
        &self,
        input: StopNotebookExecutionInput,
    ) -> Result<StopNotebookExecutionOutput, StopNotebookExecutionError> {
        self.clusters.stop_notebook_execution(input).map_err(mixed_error)
    }

    async fn create_persistent_app_ui(
        &self,
        input: CreatePersistentAppUiInput,
    ) -> Result<CreatePersistentAppUiOutput, CreatePersistentAppUiError> {
        self.clusters.create_persistent_app_ui(input).map_err(modern_error)
    }

    async fn describe_persistent_app_ui(
        &self,
        input: DescribePersistentAppUiInput,
    ) -> Result<DescribePersistentAppUiOutput, DescribePersistentAppUiError> {
        self.clusters.describe_persistent_app_ui(input).map_err(modern_error)
    }

    async fn get_persistent_app_ui_presigned_url(
        &self,
        input: GetPersistentAppUiPresignedUrlInput,
    ) -> Result<GetPersistentAppUiPresignedUrlOutput, GetPersistentAppUiPresignedUrlError> {
        self.clusters
            .get_persistent_app_ui_presigned_url(input)
            .map_err(mixed_error)
    }

    async fn get_on_cluster_app_ui_presigned_url(
        &self,
        input: GetOnClusterAppUiPresignedUrlInput,
    ) -> Result<GetOnClusterAppUiPresignedUrlOutput, GetOnClusterAppUiPresignedUrlError> {
        self.clusters
            .get_on_cluster_app_ui_presigned_url(input)
            .map_err(mixed_error)
    }

    async fn start_session(&self, input: StartSessionInput) -> Result<StartSessionOutput, StartSessionError> {
        self.clusters.start_session(input).map_err(modern_error)
    }

    async fn get_session(&self, input: GetSessionInput) -> Result<GetSessionOutput, GetSessionError> {
        self.clusters.get_session(input).map_err(modern_error)
    }

    async fn list_sessions(&self, input: ListSessionsInput) -> Result<ListSessionsOutput, ListSessionsError> {
        self.clusters.list_sessions(input).map_err(modern_error)
    }

    async fn terminate_session(
        &self,
        input: TerminateSessionInput,
    ) -> Result<TerminateSessionOutput, TerminateSessionError> {
        self.clusters.terminate_session(input).map_err(modern_error)
    }

    async fn get_session_endpoint(
        &self,
        input: GetSessionEndpointInput,
    ) -> Result<GetSessionEndpointOutput, GetSessionEndpointError> {
        self.clusters.get_session_endpoint(input).map_err(modern_error)
    }

    async fn get_cluster_session_credentials(
        &self,
        input: GetClusterSessionCredentialsInput,
    ) -> Result<GetClusterSessionCredentialsOutput, GetClusterSessionCredentialsError> {
        self.clusters
            .get_cluster_session_credentials(input)
            .map_err(mixed_error)
    }
}
