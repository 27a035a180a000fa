//! Persistent application UIs and presigned URLs. `CreatePersistentAppUI` attaches one (`p-` and 13 characters) to
//! a cluster of the emulator's, named by its ARN; it outlives its cluster, as the service's does, and is ATTACHED
//! from when it is created. `GetPersistentAppUIPresignedURL` and `GetOnClusterAppUIPresignedURL` answer a URL on
//! the emulator's own host, under `/_emulator/app-ui/`, that says it is the emulator's and points at no AWS host:
//! the emulator serves no UI there. An on-cluster URL is ready while its cluster is RUNNING or WAITING; a
//! persistent one always; `DryRun` answers whether it would be, without a URL.

use crate::clusters::{fill, time, Clusters, Failure, OWN_APP_UI_TYPE, OWN_NO_APP_UI_TARGET, OWN_NO_PERSISTENT_APP_UI};
use crate::ids::Fresh;
use crate::lifecycle::cluster_state as cs;
use crate::model::operations::*;
use crate::model::types::*;
use crate::state::{PersistentAppUiRecord, TagRecord};

/// The status of every persistent app UI the emulator holds (the emulator's word).
pub const ATTACHED: &str = "ATTACHED";

/// The UI types a persistent app UI offers: the one its `ProfilerType` names, or all three.
fn types_of(profiler: Option<&str>) -> Vec<&'static str> {
    match profiler {
        Some("SHS") => vec!["SHS"],
        Some("TEZUI") => vec!["TEZ"],
        Some("YTS") => vec!["YTS"],
        _ => vec!["SHS", "TEZ", "YTS"],
    }
}

fn missing(id: &str) -> Failure {
    Failure::Invalid(fill(OWN_NO_PERSISTENT_APP_UI, &[("id", id)]))
}

/// `?name=value&…` of the members given, with the marker that the URL is the emulator's first.
fn query(members: &[(&str, Option<&str>)]) -> String {
    let mut q = String::from("?served-by=lean-emr-emulator");
    for (name, value) in members {
        if let Some(v) = value {
            let v: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
                    _ => format!("%{b:02X}"),
                })
                .collect();
            q.push_str(&format!("&{name}={v}"));
        }
    }
    q
}

impl Clusters {
    pub(crate) fn create_persistent_app_ui(
        &self,
        input: CreatePersistentAppUiInput,
    ) -> Result<CreatePersistentAppUiOutput, Failure> {
        let id = self.change(|state, now| {
            let cluster = state
                .clusters
                .values()
                .find(|c| c.arn == input.target_resource_arn)
                .ok_or_else(|| Failure::Invalid(fill(OWN_NO_APP_UI_TARGET, &[("arn", &input.target_resource_arn)])))?;
            let cluster_id = cluster.id.clone();
            let id = Fresh::new(self.ids.as_ref(), state.resource_ids()).resource_id("p-");
            state.persistent_app_uis.insert(
                id.clone(),
                PersistentAppUiRecord {
                    id: id.clone(),
                    target_resource_arn: input.target_resource_arn.clone(),
                    cluster_id,
                    profiler_type: input.profiler_type.as_ref().map(|p| p.as_str().to_owned()),
                    tags: input
                        .tags
                        .iter()
                        .flatten()
                        .map(|t| TagRecord {
                            key: t.key.clone(),
                            value: t.value.clone(),
                        })
                        .collect(),
                    created: now,
                },
            );
            Ok(id)
        })?;
        Ok(CreatePersistentAppUiOutput::builder().persistent_app_ui_id(id).build())
    }

    pub(crate) fn describe_persistent_app_ui(
        &self,
        input: DescribePersistentAppUiInput,
    ) -> Result<DescribePersistentAppUiOutput, Failure> {
        let r = self
            .store
            .read(|s| s.persistent_app_uis.get(&input.persistent_app_ui_id).cloned())
            .ok_or_else(|| missing(&input.persistent_app_ui_id))?;
        let described = PersistentAppUi::builder()
            .persistent_app_ui_id(&r.id)
            .persistent_app_ui_type_list(
                types_of(r.profiler_type.as_deref())
                    .into_iter()
                    .map(PersistentAppUiType::from)
                    .collect::<Vec<_>>(),
            )
            .persistent_app_ui_status(ATTACHED)
            .author_id(&self.account_id)
            .creation_time(time(r.created))
            .last_modified_time(time(r.created))
            .last_state_change_reason("Created by user request")
            .tags(
                r.tags
                    .iter()
                    .map(|t| Tag::builder().set_key(t.key.clone()).set_value(t.value.clone()).build())
                    .collect::<Vec<_>>(),
            )
            .build();
        Ok(DescribePersistentAppUiOutput::builder()
            .persistent_app_ui(described)
            .build())
    }

    pub(crate) fn get_persistent_app_ui_presigned_url(
        &self,
        input: GetPersistentAppUiPresignedUrlInput,
    ) -> Result<GetPersistentAppUiPresignedUrlOutput, Failure> {
        let id = &input.persistent_app_ui_id;
        let r = self
            .store
            .read(|s| s.persistent_app_uis.get(id).cloned())
            .ok_or_else(|| missing(id))?;
        let offered = types_of(r.profiler_type.as_deref());
        let wanted = input.persistent_app_ui_type.as_ref().map_or(offered[0], |t| t.as_str());
        if !offered.contains(&wanted) {
            return Err(Failure::Invalid(fill(
                OWN_APP_UI_TYPE,
                &[("type", wanted), ("offered", &offered.join(", "))],
            )));
        }
        let url = format!(
            "{}/_emulator/app-ui/persistent/{id}/{}{}",
            self.url,
            wanted.to_ascii_lowercase(),
            query(&[
                ("application", input.application_id.as_deref()),
                ("execution-role", input.execution_role_arn.as_deref()),
                (
                    "auth-proxy",
                    input.auth_proxy_call.map(|b| if b { "true" } else { "false" })
                ),
            ])
        );
        Ok(GetPersistentAppUiPresignedUrlOutput::builder()
            .presigned_url_ready(true)
            .presigned_url(url)
            .build())
    }

    pub(crate) fn get_on_cluster_app_ui_presigned_url(
        &self,
        input: GetOnClusterAppUiPresignedUrlInput,
    ) -> Result<GetOnClusterAppUiPresignedUrlOutput, Failure> {
        let id = &input.cluster_id;
        let state = self.read(id, |c| Ok(c.state.clone()))?;
        let ready = matches!(state.as_str(), cs::RUNNING | cs::WAITING);
        let ui = input
            .on_cluster_app_ui_type
            .as_ref()
            .map_or("ApplicationMaster", |t| t.as_str());
        let url = (ready && input.dry_run != Some(true)).then(|| {
            format!(
                "{}/_emulator/app-ui/on-cluster/{id}/{ui}{}",
                self.url,
                query(&[
                    ("application", input.application_id.as_deref()),
                    ("execution-role", input.execution_role_arn.as_deref()),
                ])
            )
        });
        Ok(GetOnClusterAppUiPresignedUrlOutput::builder()
            .presigned_url_ready(ready)
            .set_presigned_url(url)
            .build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_escaped_and_name_the_emulator() {
        let q = query(&[("application", Some("application_1 2")), ("skipped", None)]);
        assert_eq!(q, "?served-by=lean-emr-emulator&application=application_1%202");
        assert_eq!(types_of(Some("TEZUI")), ["TEZ"]);
        assert_eq!(types_of(None), ["SHS", "TEZ", "YTS"]);
    }
}
