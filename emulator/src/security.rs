//! Security configurations: created under a name no other has, kept with their JSON text exactly as given and
//! their creation time, described, listed (oldest first, 50 a page with `Marker`) and deleted. `RunJobFlow` may
//! name one that exists; [`crate::clusters`] checks that.

use crate::clusters::{
    built, fill, page, time, Clusters, Failure, NO_SECURITY_CONFIGURATION, OWN_CONFIG_EXISTS, OWN_CONFIG_NOT_JSON,
    PAGE_SIZE,
};
use crate::model::operations::*;
use crate::model::types::*;
use crate::state::SecurityConfigurationRecord;

fn missing(name: &str) -> Failure {
    Failure::Invalid(fill(NO_SECURITY_CONFIGURATION, &[("name", name)]))
}

impl Clusters {
    pub(crate) fn create_security_configuration(
        &self,
        input: CreateSecurityConfigurationInput,
    ) -> Result<CreateSecurityConfigurationOutput, Failure> {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&input.security_configuration) {
            return Err(Failure::Invalid(fill(
                OWN_CONFIG_NOT_JSON,
                &[("error", &e.to_string())],
            )));
        }
        let created = self.change(|state, now| {
            if state.security_configurations.contains_key(&input.name) {
                return Err(Failure::Invalid(fill(OWN_CONFIG_EXISTS, &[("name", &input.name)])));
            }
            state.security_configurations.insert(
                input.name.clone(),
                SecurityConfigurationRecord {
                    name: input.name.clone(),
                    configuration: input.security_configuration.clone(),
                    created: now,
                },
            );
            Ok(now)
        })?;
        built(
            CreateSecurityConfigurationOutput::builder()
                .name(&input.name)
                .creation_date_time(time(created))
                .build(),
        )
    }

    pub(crate) fn describe_security_configuration(
        &self,
        input: DescribeSecurityConfigurationInput,
    ) -> Result<DescribeSecurityConfigurationOutput, Failure> {
        let record = self
            .store
            .read(|s| s.security_configurations.get(&input.name).cloned())
            .ok_or_else(|| missing(&input.name))?;
        Ok(DescribeSecurityConfigurationOutput::builder()
            .name(record.name)
            .security_configuration(record.configuration)
            .creation_date_time(time(record.created))
            .build())
    }

    pub(crate) fn delete_security_configuration(
        &self,
        input: DeleteSecurityConfigurationInput,
    ) -> Result<DeleteSecurityConfigurationOutput, Failure> {
        self.change(|state, _| {
            state
                .security_configurations
                .remove(&input.name)
                .map(drop)
                .ok_or_else(|| missing(&input.name))
        })?;
        Ok(DeleteSecurityConfigurationOutput::builder().build())
    }

    pub(crate) fn list_security_configurations(
        &self,
        input: ListSecurityConfigurationsInput,
    ) -> Result<ListSecurityConfigurationsOutput, Failure> {
        let mut items: Vec<(i64, String)> = self.store.read(|s| {
            s.security_configurations
                .values()
                .map(|r| (r.created, r.name.clone()))
                .collect()
        });
        items.sort();
        let items = items
            .into_iter()
            .map(|(created, name)| {
                let summary = SecurityConfigurationSummary::builder()
                    .name(&name)
                    .creation_date_time(time(created))
                    .build();
                (name, summary)
            })
            .collect();
        let (configurations, marker) = page(items, input.marker.as_deref(), PAGE_SIZE)?;
        Ok(ListSecurityConfigurationsOutput::builder()
            .security_configurations(configurations)
            .set_marker(marker)
            .build())
    }
}
