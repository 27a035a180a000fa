//! Release labels and supported instance types through `lean-emr`: the emulator's sample catalogue listed,
//! filtered, paged and described, and its errors for a release it does not have and a marker it did not give.

mod support;

use lean_emr::operation::describe_release_label::DescribeReleaseLabelError;
use lean_emr::operation::list_supported_instance_types::ListSupportedInstanceTypesError;
use lean_emr::types::ReleaseLabelFilter;
use serde_json::json;
use support::{err, ok};

#[tokio::test]
async fn release_labels_are_listed_newest_first_filtered_and_paged() {
    let emulator = support::start();
    let client = support::client(&emulator);
    let all = client.list_release_labels().send().await.unwrap();
    assert_eq!(all.release_labels(), ["emr-7.0.0", "emr-6.15.0", "emr-5.36.2"]);
    assert_eq!(all.next_token(), None);

    let sixes = client
        .list_release_labels()
        .filters(ReleaseLabelFilter::builder().prefix("emr-6").build())
        .send()
        .await
        .unwrap();
    assert_eq!(sixes.release_labels(), ["emr-6.15.0"]);
    // An application with its version, or by name in any case; one no release has gives none.
    let with = |application: &'static str| {
        let client = client.clone();
        async move {
            client
                .list_release_labels()
                .filters(ReleaseLabelFilter::builder().application(application).build())
                .send()
                .await
                .unwrap()
                .release_labels()
                .to_vec()
        }
    };
    assert_eq!(with("spark@3.5.0").await, ["emr-7.0.0"]);
    assert_eq!(with("Flink").await, ["emr-7.0.0", "emr-6.15.0"]);
    assert!(with("presto").await.is_empty());

    // Pages of MaxResults, with NextToken.
    let first = client.list_release_labels().max_results(2).send().await.unwrap();
    assert_eq!(first.release_labels(), ["emr-7.0.0", "emr-6.15.0"]);
    let token = first.next_token().expect("a second page").to_owned();
    let second = client
        .list_release_labels()
        .max_results(2)
        .next_token(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        (second.release_labels(), second.next_token()),
        (&["emr-5.36.2".to_owned()][..], None)
    );
    let refused = err(&emulator, "ListReleaseLabels", json!({"NextToken": "bm90LWEtbGFiZWw="})).await;
    assert_eq!(
        refused,
        (400, "InvalidRequestException".into(), "Marker is invalid.".into())
    );
}

#[tokio::test]
async fn a_release_label_is_described_with_its_applications_and_os_releases() {
    let emulator = support::start();
    let client = support::client(&emulator);
    let seven = client
        .describe_release_label()
        .release_label("emr-7.0.0")
        .send()
        .await
        .unwrap();
    assert_eq!(seven.release_label(), Some("emr-7.0.0"));
    let apps: Vec<(&str, &str)> = seven
        .applications()
        .iter()
        .map(|a| (a.name().unwrap(), a.version().unwrap()))
        .collect();
    assert_eq!(apps[0], ("flink", "1.18.0"));
    assert!(
        apps.contains(&("spark", "3.5.0")) && apps.contains(&("hadoop", "3.3.6")),
        "{apps:?}"
    );
    assert!(!seven.available_os_releases().is_empty());
    assert!(seven
        .available_os_releases()
        .iter()
        .all(|o| o.label().is_some_and(|l| l.starts_with("2023."))));

    // Without a label, the newest; applications page with MaxResults and NextToken.
    let newest = ok(&emulator, "DescribeReleaseLabel", json!({"MaxResults": 2})).await;
    assert_eq!(newest["ReleaseLabel"], "emr-7.0.0");
    assert_eq!(newest["Applications"].as_array().unwrap().len(), 2);
    let rest = ok(
        &emulator,
        "DescribeReleaseLabel",
        json!({"ReleaseLabel": "emr-7.0.0", "MaxResults": 10, "NextToken": newest["NextToken"]}),
    )
    .await;
    assert_eq!(rest["Applications"][0]["Name"], "hive");
    assert!(rest.get("NextToken").is_none());

    let unknown = client
        .describe_release_label()
        .release_label("emr-9.9.9")
        .send()
        .await
        .unwrap_err();
    match unknown.into_service_error() {
        DescribeReleaseLabelError::InvalidRequestException(e) => assert_eq!(
            e.message.as_deref(),
            Some("Release label 'emr-9.9.9' is not in the emulator's release catalogue (a sample: see catalogue/releases.json).")
        ),
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn supported_instance_types_are_listed_per_release() {
    let emulator = support::start();
    let client = support::client(&emulator);
    let seven = client
        .list_supported_instance_types()
        .release_label("emr-7.0.0")
        .send()
        .await
        .unwrap();
    let types: Vec<&str> = seven
        .supported_instance_types()
        .iter()
        .map(|t| t.r#type().unwrap())
        .collect();
    assert!(types.contains(&"m6g.xlarge"), "{types:?}");
    let m5 = seven
        .supported_instance_types()
        .iter()
        .find(|t| t.r#type() == Some("m5.xlarge"))
        .unwrap();
    assert_eq!(
        (m5.vcpu(), m5.memory_gb(), m5.architecture()),
        (Some(4), Some(16.0), Some("x86_64"))
    );
    assert_eq!(seven.marker(), None);
    // Graviton types are not in the 5.x sample.
    let five = client
        .list_supported_instance_types()
        .release_label("emr-5.36.2")
        .send()
        .await
        .unwrap();
    assert!(five
        .supported_instance_types()
        .iter()
        .all(|t| t.architecture() == Some("x86_64")));

    let unknown = client
        .list_supported_instance_types()
        .release_label("emr-1.0.0")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(unknown.as_service_error(), Some(ListSupportedInstanceTypesError::InvalidRequestException(e))
            if e.message.as_deref().is_some_and(|m| m.contains("'emr-1.0.0'"))),
        "{unknown}"
    );
}
