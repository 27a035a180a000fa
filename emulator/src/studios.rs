//! What each Studio operation does, for the handler behind the generated dispatch ([`crate::service::Emr`]).
//!
//! Errors follow the EMR API reference and the service's words where they could be found: an unknown studio is
//! "Studio does not exist.", a missing mapping "Studio session mapping does not exist.", a mapping that is there
//! already "Studio session mapping already exists.", an identity id the directory does not hold "IdentityId is
//! invalid"; each an `InvalidRequestException`.

use crate::identities::{Directory, Identity};
use crate::ids::Ids;
use crate::model::operations::*;
use crate::model::types::{
    AuthMode, IdcUserAssignment, IdentityType, InternalServerError, InternalServerException, InvalidRequestException,
    SessionMappingDetail, SessionMappingSummary, Studio, StudioSummary, Tag,
};
use crate::state::{MappingKey, MappingRecord, State, Store, StudioRecord, TagRecord, UpdateError};
use lean_aws_runtime::clock::Clock;
use lean_aws_runtime::DateTime;
use std::sync::Arc;

/// Messages in the service's words (see the module docs for their sources).
const NO_STUDIO: &str = "Studio does not exist.";
const NO_MAPPING: &str = "Studio session mapping does not exist.";
const MAPPING_EXISTS: &str = "Studio session mapping already exists.";
const INVALID_IDENTITY_ID: &str = "IdentityId is invalid";
const INVALID_IDENTITY_NAME: &str = "IdentityName is invalid";
/// The model's documentation of `IdentityId` and `IdentityName`.
const BOTH_IDENTITIES: &str = "Either IdentityName or IdentityId must be specified, but not both.";
const NO_IDENTITY: &str = "Either IdentityName or IdentityId must be specified.";
/// The API reference on `SubnetIds`.
const TOO_MANY_SUBNETS: &str = "A Studio can have a maximum of 5 subnets.";
const SUBNETS_DROPPED: &str =
    "The list of subnet IDs must include all of the subnet IDs previously associated with the Studio.";
const MAX_SUBNETS: usize = 5;
const INVALID_MARKER: &str = "Marker is invalid.";

/// Why an operation failed, before it becomes the operation's own error type.
#[derive(Debug)]
pub(crate) enum Failure {
    /// `InvalidRequestException` with this message.
    Invalid(&'static str),
    /// The internal error: the state file could not be written.
    Internal(String),
}

impl From<UpdateError<Failure>> for Failure {
    fn from(e: UpdateError<Failure>) -> Self {
        match e {
            UpdateError::Rejected(f) => f,
            UpdateError::Persist(message) => Failure::Internal(message),
        }
    }
}

fn invalid_request(message: &str) -> InvalidRequestException {
    InvalidRequestException::builder().message(message).build()
}

/// The error of a studio operation (these have `InternalServerException`).
pub(crate) fn studio_error<E: From<InvalidRequestException> + From<InternalServerException>>(f: Failure) -> E {
    match f {
        Failure::Invalid(message) => invalid_request(message).into(),
        Failure::Internal(message) => InternalServerException::builder().message(message).build().into(),
    }
}

/// The error of a session mapping operation (these have `InternalServerError`, which has no message).
pub(crate) fn mapping_error<E: From<InvalidRequestException> + From<InternalServerError>>(f: Failure) -> E {
    match f {
        Failure::Invalid(message) => invalid_request(message).into(),
        Failure::Internal(_) => InternalServerError::builder().build().into(),
    }
}

/// The Studio operations over a [`Store`].
#[derive(Debug)]
pub struct Studios {
    pub(crate) store: Arc<Store>,
    pub(crate) directory: Directory,
    pub(crate) region: String,
    pub(crate) account_id: String,
    pub(crate) page_size: usize,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) ids: Arc<dyn Ids>,
}

fn millis(t: i64) -> DateTime {
    DateTime::from_millis(t)
}

fn studio_of(r: &StudioRecord) -> Studio {
    Studio::builder()
        .studio_id(&r.id)
        .studio_arn(&r.arn)
        .name(&r.name)
        .set_description(r.description.clone())
        .auth_mode(r.auth_mode.as_str())
        .vpc_id(&r.vpc_id)
        .subnet_ids(r.subnet_ids.clone())
        .service_role(&r.service_role)
        .set_user_role(r.user_role.clone())
        .workspace_security_group_id(&r.workspace_security_group_id)
        .engine_security_group_id(&r.engine_security_group_id)
        .url(&r.url)
        .creation_time(millis(r.creation_time))
        .default_s3_location(&r.default_s3_location)
        .set_idp_auth_url(r.idp_auth_url.clone())
        .set_idp_relay_state_parameter_name(r.idp_relay_state_parameter_name.clone())
        .tags(
            r.tags
                .iter()
                .map(|t| Tag::builder().set_key(t.key.clone()).set_value(t.value.clone()).build())
                .collect::<Vec<_>>(),
        )
        .set_idc_instance_arn(r.idc_instance_arn.clone())
        .set_trusted_identity_propagation_enabled(r.trusted_identity_propagation_enabled)
        .set_idc_user_assignment(r.idc_user_assignment.as_deref().map(IdcUserAssignment::from))
        .set_encryption_key_arn(r.encryption_key_arn.clone())
        .build()
}

fn summary_of(r: &StudioRecord) -> StudioSummary {
    StudioSummary::builder()
        .studio_id(&r.id)
        .name(&r.name)
        .vpc_id(&r.vpc_id)
        .set_description(r.description.clone())
        .url(&r.url)
        .auth_mode(AuthMode::from(r.auth_mode.as_str()))
        .creation_time(millis(r.creation_time))
        .build()
}

/// A marker (the key to start the next page at) as the client sees it: opaque text.
fn marker_of(key: &[&str]) -> String {
    let json = serde_json::to_string(key).unwrap_or_default();
    aws_smithy_types::base64::encode(json)
}

fn key_of_marker(marker: &str, parts: usize) -> Result<Vec<String>, Failure> {
    let json = aws_smithy_types::base64::decode(marker).map_err(|_| Failure::Invalid(INVALID_MARKER))?;
    serde_json::from_slice::<Vec<String>>(&json)
        .ok()
        .filter(|key| key.len() == parts)
        .ok_or(Failure::Invalid(INVALID_MARKER))
}

impl Studios {
    fn now(&self) -> i64 {
        let now = self.clock.now();
        match now.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
        }
    }

    /// The identity a mapping request names: exactly one of id and name, which the directory must hold.
    fn identity(
        &self,
        identity_type: &IdentityType,
        id: Option<&str>,
        name: Option<&str>,
    ) -> Result<Identity, Failure> {
        let ty = identity_type.as_str();
        match (id, name) {
            (Some(_), Some(_)) => Err(Failure::Invalid(BOTH_IDENTITIES)),
            (None, None) => Err(Failure::Invalid(NO_IDENTITY)),
            (Some(id), None) => self
                .directory
                .by_id(ty, id)
                .cloned()
                .ok_or(Failure::Invalid(INVALID_IDENTITY_ID)),
            (None, Some(name)) => self
                .directory
                .by_name(ty, name)
                .cloned()
                .ok_or(Failure::Invalid(INVALID_IDENTITY_NAME)),
        }
    }

    /// The key of the mapping a request names, once its studio and identity are known to exist.
    fn mapping_key(
        &self,
        state: &State,
        studio_id: &str,
        identity_type: &IdentityType,
        id: Option<&str>,
        name: Option<&str>,
    ) -> Result<(MappingKey, Identity), Failure> {
        // The request's own shape first, then what the service holds.
        if id.is_some() == name.is_some() {
            return Err(Failure::Invalid(if id.is_some() {
                BOTH_IDENTITIES
            } else {
                NO_IDENTITY
            }));
        }
        if !state.studios.contains_key(studio_id) {
            return Err(Failure::Invalid(NO_STUDIO));
        }
        let identity = self.identity(identity_type, id, name)?;
        let key = (
            studio_id.to_owned(),
            identity.identity_type.clone(),
            identity.identity_id.clone(),
        );
        Ok((key, identity))
    }

    pub(crate) fn create_studio_record(&self, input: CreateStudioInput) -> Result<String, Failure> {
        if input.subnet_ids.len() > MAX_SUBNETS {
            return Err(Failure::Invalid(TOO_MANY_SUBNETS));
        }
        let now = self.now();
        let ids = &self.ids;
        Ok(self.store.update(|state| {
            // Random ids do not repeat; a counter starting again after a restart would.
            let id = std::iter::repeat_with(|| ids.studio_id())
                .take(1000)
                .find(|id| !state.studios.contains_key(id))
                .ok_or(Failure::Internal("no unused studio id".into()))?;
            let record = StudioRecord {
                arn: format!(
                    "arn:aws:elasticmapreduce:{}:{}:studio/{id}",
                    self.region, self.account_id
                ),
                url: format!("https://{id}.emrstudio-prod.{}.amazonaws.com", self.region),
                id: id.clone(),
                name: input.name,
                description: input.description,
                auth_mode: input.auth_mode.as_str().to_owned(),
                vpc_id: input.vpc_id,
                subnet_ids: input.subnet_ids,
                service_role: input.service_role,
                user_role: input.user_role,
                workspace_security_group_id: input.workspace_security_group_id,
                engine_security_group_id: input.engine_security_group_id,
                creation_time: now,
                default_s3_location: input.default_s3_location,
                idp_auth_url: input.idp_auth_url,
                idp_relay_state_parameter_name: input.idp_relay_state_parameter_name,
                tags: input
                    .tags
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| TagRecord {
                        key: t.key,
                        value: t.value,
                    })
                    .collect(),
                idc_instance_arn: input.idc_instance_arn,
                trusted_identity_propagation_enabled: input.trusted_identity_propagation_enabled,
                idc_user_assignment: input.idc_user_assignment.map(|a| a.as_str().to_owned()),
                encryption_key_arn: input.encryption_key_arn,
            };
            state.studios.insert(id.clone(), record);
            Ok(id)
        })?)
    }

    pub(crate) fn list_mappings(
        &self,
        input: ListStudioSessionMappingsInput,
    ) -> Result<ListStudioSessionMappingsOutput, Failure> {
        let start = match &input.marker {
            Some(marker) => {
                let key = key_of_marker(marker, 3)?;
                Some((key[0].clone(), key[1].clone(), key[2].clone()))
            }
            None => None,
        };
        self.store.read(|state| {
            if let Some(studio) = &input.studio_id {
                if !state.studios.contains_key(studio) {
                    return Err(Failure::Invalid(NO_STUDIO));
                }
            }
            let wanted = |m: &&MappingRecord| {
                input.studio_id.as_ref().is_none_or(|s| *s == m.studio_id)
                    && input
                        .identity_type
                        .as_ref()
                        .is_none_or(|t| t.as_str() == m.identity_type)
            };
            let mut matching = state
                .mappings
                .values()
                .filter(|m| start.as_ref().is_none_or(|s| m.key() >= *s))
                .filter(wanted);
            let page: Vec<SessionMappingSummary> = matching
                .by_ref()
                .take(self.page_size)
                .map(|m| {
                    SessionMappingSummary::builder()
                        .studio_id(&m.studio_id)
                        .identity_id(&m.identity_id)
                        .identity_name(&m.identity_name)
                        .identity_type(m.identity_type.as_str())
                        .session_policy_arn(&m.session_policy_arn)
                        .creation_time(millis(m.creation_time))
                        .build()
                })
                .collect();
            let next = matching
                .next()
                .map(|m| marker_of(&[&m.studio_id, &m.identity_type, &m.identity_id]));
            Ok(ListStudioSessionMappingsOutput::builder()
                .session_mappings(page)
                .set_marker(next)
                .build())
        })
    }
}

impl Studios {
    pub(crate) fn describe(&self, input: DescribeStudioInput) -> Result<DescribeStudioOutput, Failure> {
        let studio = self
            .store
            .read(|s| s.studios.get(&input.studio_id).map(studio_of))
            .ok_or(Failure::Invalid(NO_STUDIO))?;
        Ok(DescribeStudioOutput::builder().studio(studio).build())
    }

    pub(crate) fn list_studios_page(&self, input: ListStudiosInput) -> Result<ListStudiosOutput, Failure> {
        let start = match &input.marker {
            Some(marker) => Some(key_of_marker(marker, 1)?.remove(0)),
            None => None,
        };
        Ok(self.store.read(|state| {
            let mut matching = state
                .studios
                .values()
                .filter(|r| start.as_ref().is_none_or(|s| r.id >= *s));
            let page: Vec<StudioSummary> = matching.by_ref().take(self.page_size).map(summary_of).collect();
            let next = matching.next().map(|r| marker_of(&[&r.id]));
            ListStudiosOutput::builder().studios(page).set_marker(next).build()
        }))
    }

    pub(crate) fn update(&self, input: UpdateStudioInput) -> Result<UpdateStudioOutput, Failure> {
        self.store.update(|state| {
            let studio = state
                .studios
                .get_mut(&input.studio_id)
                .ok_or(Failure::Invalid(NO_STUDIO))?;
            if let Some(subnets) = input.subnet_ids {
                if subnets.len() > MAX_SUBNETS {
                    return Err(Failure::Invalid(TOO_MANY_SUBNETS));
                }
                if studio.subnet_ids.iter().any(|old| !subnets.contains(old)) {
                    return Err(Failure::Invalid(SUBNETS_DROPPED));
                }
                studio.subnet_ids = subnets;
            }
            if let Some(name) = input.name {
                studio.name = name;
            }
            if let Some(description) = input.description {
                studio.description = Some(description);
            }
            if let Some(location) = input.default_s3_location {
                studio.default_s3_location = location;
            }
            if let Some(key) = input.encryption_key_arn {
                studio.encryption_key_arn = Some(key);
            }
            Ok(())
        })?;
        Ok(UpdateStudioOutput::builder().build())
    }

    pub(crate) fn delete(&self, input: DeleteStudioInput) -> Result<DeleteStudioOutput, Failure> {
        self.store.update(|state| {
            state
                .studios
                .remove(&input.studio_id)
                .ok_or(Failure::Invalid(NO_STUDIO))?;
            state.mappings.retain(|(studio, _, _), _| *studio != input.studio_id);
            Ok(())
        })?;
        Ok(DeleteStudioOutput::builder().build())
    }

    pub(crate) fn create_mapping(
        &self,
        input: CreateStudioSessionMappingInput,
    ) -> Result<CreateStudioSessionMappingOutput, Failure> {
        let now = self.now();
        self.store.update(|state| {
            let (key, identity) = self.mapping_key(
                state,
                &input.studio_id,
                &input.identity_type,
                input.identity_id.as_deref(),
                input.identity_name.as_deref(),
            )?;
            if state.mappings.contains_key(&key) {
                return Err(Failure::Invalid(MAPPING_EXISTS));
            }
            let record = MappingRecord {
                studio_id: input.studio_id.clone(),
                identity_type: identity.identity_type,
                identity_id: identity.identity_id,
                identity_name: identity.identity_name,
                session_policy_arn: input.session_policy_arn.clone(),
                creation_time: now,
                last_modified_time: now,
            };
            state.mappings.insert(key, record);
            Ok(())
        })?;
        Ok(CreateStudioSessionMappingOutput::builder().build())
    }

    pub(crate) fn get_mapping(
        &self,
        input: GetStudioSessionMappingInput,
    ) -> Result<GetStudioSessionMappingOutput, Failure> {
        let mapping = self.store.read(|state| {
            let (key, _) = self.mapping_key(
                state,
                &input.studio_id,
                &input.identity_type,
                input.identity_id.as_deref(),
                input.identity_name.as_deref(),
            )?;
            state.mappings.get(&key).cloned().ok_or(Failure::Invalid(NO_MAPPING))
        })?;
        let detail = SessionMappingDetail::builder()
            .studio_id(mapping.studio_id)
            .identity_id(mapping.identity_id)
            .identity_name(mapping.identity_name)
            .identity_type(mapping.identity_type.as_str())
            .session_policy_arn(mapping.session_policy_arn)
            .creation_time(millis(mapping.creation_time))
            .last_modified_time(millis(mapping.last_modified_time))
            .build();
        Ok(GetStudioSessionMappingOutput::builder().session_mapping(detail).build())
    }

    pub(crate) fn update_mapping(
        &self,
        input: UpdateStudioSessionMappingInput,
    ) -> Result<UpdateStudioSessionMappingOutput, Failure> {
        let now = self.now();
        self.store.update(|state| {
            let (key, _) = self.mapping_key(
                state,
                &input.studio_id,
                &input.identity_type,
                input.identity_id.as_deref(),
                input.identity_name.as_deref(),
            )?;
            let mapping = state.mappings.get_mut(&key).ok_or(Failure::Invalid(NO_MAPPING))?;
            mapping.session_policy_arn = input.session_policy_arn.clone();
            mapping.last_modified_time = now;
            Ok(())
        })?;
        Ok(UpdateStudioSessionMappingOutput::builder().build())
    }

    pub(crate) fn delete_mapping(
        &self,
        input: DeleteStudioSessionMappingInput,
    ) -> Result<DeleteStudioSessionMappingOutput, Failure> {
        self.store.update(|state| {
            let (key, _) = self.mapping_key(
                state,
                &input.studio_id,
                &input.identity_type,
                input.identity_id.as_deref(),
                input.identity_name.as_deref(),
            )?;
            state.mappings.remove(&key).ok_or(Failure::Invalid(NO_MAPPING))?;
            Ok(())
        })?;
        Ok(DeleteStudioSessionMappingOutput::builder().build())
    }
}
