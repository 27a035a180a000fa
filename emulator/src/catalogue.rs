//! Release labels and the instance types each supports, from a small sample of the EMR release catalogue shipped
//! as data (`catalogue/releases.json`, which names the Release Guide pages it was transcribed from): three
//! releases, a few of their applications and instance types. ListReleaseLabels lists them newest first, filtered
//! by `Prefix` and by `Application` (`spark` or `spark@3.5.0`), `MaxResults` a page (100 by default) with
//! `NextToken`; DescribeReleaseLabel gives a release's applications (by name, `MaxResults` a page with `NextToken`)
//! and its OS releases (the newest release when none is named); ListSupportedInstanceTypes gives a release's
//! instance types, 50 a page with `Marker`. RunJobFlow does not check its label against the sample.

use crate::clusters::{fill, page, Clusters, Failure, OWN_NO_RELEASE_LABEL, PAGE_SIZE};
use crate::model::operations::*;
use crate::model::types::*;
use serde::Deserialize;
use std::sync::LazyLock;

/// How many release labels a ListReleaseLabels page holds when `MaxResults` does not say (the API reference's).
pub const DEFAULT_MAX_RESULTS: usize = 100;

/// The catalogue's text, as shipped.
pub const CATALOGUE_JSON: &str = include_str!("../catalogue/releases.json");

/// The catalogue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    #[serde(rename = "_about")]
    pub about: Vec<String>,
    /// Newest first.
    pub releases: Vec<Release>,
    pub instance_types: Vec<InstanceType>,
}

/// A release: its label, its applications (by name), its OS releases and the instance types it supports.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Release {
    pub label: String,
    pub applications: Vec<App>,
    pub os_releases: Vec<String>,
    pub instance_types: Vec<String>,
}

/// An application of a release.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub name: String,
    pub version: String,
}

/// An instance type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceType {
    pub r#type: String,
    pub family: String,
    pub vcpu: i32,
    pub memory_gb: f32,
    pub architecture: String,
    pub ebs_storage_only: bool,
}

static CATALOGUE: LazyLock<Result<Catalogue, String>> = LazyLock::new(|| {
    let catalogue: Catalogue = serde_json::from_str(CATALOGUE_JSON).map_err(|e| e.to_string())?;
    for r in &catalogue.releases {
        if let Some(t) = r
            .instance_types
            .iter()
            .find(|t| !catalogue.instance_types.iter().any(|i| i.r#type == **t))
        {
            return Err(format!(
                "{} names instance type {t}, which the catalogue does not describe",
                r.label
            ));
        }
    }
    Ok(catalogue)
});

/// The catalogue shipped with the emulator; an error says why its file does not read (a unit test reads it).
pub fn catalogue() -> Result<&'static Catalogue, String> {
    CATALOGUE.as_ref().map_err(Clone::clone)
}

fn shipped() -> Result<&'static Catalogue, Failure> {
    catalogue().map_err(|e| Failure::Internal(format!("the release catalogue does not read: {e}")))
}

fn release(label: &str) -> Result<&'static Release, Failure> {
    shipped()?
        .releases
        .iter()
        .find(|r| r.label == label)
        .ok_or_else(|| Failure::Invalid(fill(OWN_NO_RELEASE_LABEL, &[("label", label)])))
}

/// Whether `release` has the application `filter` names: `name` or `name@version`, the name in any case.
fn has_application(release: &Release, filter: &str) -> bool {
    let (name, version) = match filter.split_once('@') {
        Some((name, version)) => (name, Some(version)),
        None => (filter, None),
    };
    release
        .applications
        .iter()
        .any(|a| a.name.eq_ignore_ascii_case(name) && version.is_none_or(|v| v == a.version))
}

fn page_size(max_results: Option<i32>, default: usize) -> usize {
    max_results
        .and_then(|m| usize::try_from(m).ok())
        .filter(|m| *m > 0)
        .unwrap_or(default)
}

impl Clusters {
    pub(crate) fn list_release_labels(
        &self,
        input: ListReleaseLabelsInput,
    ) -> Result<ListReleaseLabelsOutput, Failure> {
        let filters = input.filters.unwrap_or_else(|| ReleaseLabelFilter::builder().build());
        let labels = shipped()?
            .releases
            .iter()
            .filter(|r| filters.prefix.as_ref().is_none_or(|p| r.label.starts_with(p.as_str())))
            .filter(|r| filters.application.as_ref().is_none_or(|a| has_application(r, a)))
            .map(|r| (r.label.clone(), r.label.clone()))
            .collect();
        let size = page_size(input.max_results, DEFAULT_MAX_RESULTS);
        let (labels, next) = page(labels, input.next_token.as_deref(), size)?;
        Ok(ListReleaseLabelsOutput::builder()
            .release_labels(labels)
            .set_next_token(next)
            .build())
    }

    pub(crate) fn describe_release_label(
        &self,
        input: DescribeReleaseLabelInput,
    ) -> Result<DescribeReleaseLabelOutput, Failure> {
        let release = match &input.release_label {
            Some(label) => release(label)?,
            None => shipped()?
                .releases
                .first()
                .ok_or_else(|| Failure::Internal("the release catalogue has no release".into()))?,
        };
        let applications = release
            .applications
            .iter()
            .map(|a| {
                let app = SimplifiedApplication::builder()
                    .name(&a.name)
                    .version(&a.version)
                    .build();
                (a.name.clone(), app)
            })
            .collect();
        let size = page_size(input.max_results, usize::MAX);
        let (applications, next) = page(applications, input.next_token.as_deref(), size)?;
        let os_releases: Vec<OsRelease> = release
            .os_releases
            .iter()
            .map(|l| OsRelease::builder().label(l).build())
            .collect();
        Ok(DescribeReleaseLabelOutput::builder()
            .release_label(&release.label)
            .applications(applications)
            .available_os_releases(os_releases)
            .set_next_token(next)
            .build())
    }

    pub(crate) fn list_supported_instance_types(
        &self,
        input: ListSupportedInstanceTypesInput,
    ) -> Result<ListSupportedInstanceTypesOutput, Failure> {
        let release = release(&input.release_label)?;
        let catalogue = shipped()?;
        let types = release
            .instance_types
            .iter()
            .filter_map(|name| catalogue.instance_types.iter().find(|t| t.r#type == *name))
            .map(|t| {
                let described = SupportedInstanceType::builder()
                    .r#type(&t.r#type)
                    .instance_family_id(&t.family)
                    .vcpu(t.vcpu)
                    .memory_gb(t.memory_gb)
                    .storage_gb(0)
                    .number_of_disks(0)
                    .ebs_storage_only(t.ebs_storage_only)
                    .ebs_optimized_available(true)
                    .ebs_optimized_by_default(true)
                    .is64_bits_only(true)
                    .architecture(&t.architecture)
                    .build();
                (t.r#type.clone(), described)
            })
            .collect();
        let (types, marker) = page(types, input.marker.as_deref(), PAGE_SIZE)?;
        Ok(ListSupportedInstanceTypesOutput::builder()
            .supported_instance_types(types)
            .set_marker(marker)
            .build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_reads_and_says_where_it_came_from() {
        let c = catalogue().unwrap();
        assert!(c.about.iter().any(|l| l.contains("SAMPLE")));
        assert!(c.about.iter().any(|l| l.contains("Release Guide")));
        assert!(c.releases.len() >= 3 && c.instance_types.len() >= 3);
        let labels: Vec<&str> = c.releases.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["emr-7.0.0", "emr-6.15.0", "emr-5.36.2"]);
        for r in &c.releases {
            let mut names: Vec<&str> = r.applications.iter().map(|a| a.name.as_str()).collect();
            let listed = names.clone();
            names.sort();
            assert_eq!(names, listed, "{}: applications by name", r.label);
        }
    }

    #[test]
    fn an_application_filter_names_an_application_with_or_without_its_version() {
        let c = catalogue().unwrap();
        let seven = &c.releases[0];
        assert!(has_application(seven, "spark") && has_application(seven, "Spark@3.5.0"));
        assert!(!has_application(seven, "spark@3.4.1") && !has_application(seven, "presto"));
    }
}
