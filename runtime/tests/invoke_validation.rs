//! `Client::invoke` checks an input twice before sending it: against the model's rules, and while writing it
//! (a timestamp its format cannot express). Both run, and their violations come back as one error.

mod support;

use lean_aws_runtime::clock::FixedClock;
use lean_aws_runtime::env::Env;
use lean_aws_runtime::protocol::json::{DecodeError, JsonWriter, TimestampFormat};
use lean_aws_runtime::transport::InMemoryTransport;
use lean_aws_runtime::validate::{check_length, Path, Rule, Validate, ValidationMode, Violation};
use lean_aws_runtime::{Client, Config, Credentials, DateTime, ErrorMetadata, Operation, SdkError};
use serde_json::Value;
use support::SERVICE;

/// A name of at most 8 characters, and a time written as ISO 8601 (four-digit years).
struct Input {
    name: String,
    at: DateTime,
}

impl Validate for Input {
    const SHAPE: &'static str = "Input";
    fn validate_into(&self, path: &Path<'_>, _: ValidationMode, out: &mut Vec<Violation>) {
        check_length(self.name.chars().count(), None, Some(8), &path.member("Name"), out);
    }
}

struct Put;

impl Operation for Put {
    const NAME: &'static str = "Put";
    type Input = Input;
    type Output = ();
    type Error = ErrorMetadata;

    fn serialize(input: &Input, w: &mut JsonWriter) {
        w.begin_object();
        w.key("Name");
        w.string(&input.name);
        w.key("At");
        w.timestamp(&input.at, TimestampFormat::Iso8601);
        w.end_object();
    }
    fn deserialize_output(_: &Value, _: Option<String>) -> Result<(), DecodeError> {
        Ok(())
    }
    fn deserialize_error(_: &Value, meta: ErrorMetadata) -> ErrorMetadata {
        meta
    }
}

async fn put(input: Input) -> (Result<(), SdkError<ErrorMetadata>>, InMemoryTransport) {
    let transport = InMemoryTransport::new();
    let config = Config::builder()
        .env(Env::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")]))
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .clock(FixedClock::from_epoch_secs(1_767_225_600))
        .transport(transport.clone())
        .build();
    let result = Client::new(&SERVICE, config).invoke::<Put>(&input).await;
    (result, transport)
}

/// 10000-01-01T00:00:00Z, one second past what a four-digit year can say.
const YEAR_10000: i64 = 253_402_300_800;

#[tokio::test]
async fn a_forbidden_value_and_an_unwritable_timestamp_are_reported_together_and_nothing_is_sent() {
    let (result, transport) = put(Input {
        name: "n".repeat(9),
        at: DateTime::from_secs(YEAR_10000),
    })
    .await;
    let Err(SdkError::Validation(err)) = result else {
        panic!("expected a validation error, got {result:?}")
    };
    let found: Vec<(String, &Rule)> = err.violations.iter().map(|v| (v.path.to_string(), &v.rule)).collect();
    assert_eq!(
        found,
        vec![
            ("Name".to_owned(), &Rule::MaxLength { max: 8, actual: 9 }),
            ("At".to_owned(), &Rule::TimestampRange { format: "iso8601" }),
        ],
        "{err}"
    );
    assert!(err.to_string().starts_with("invalid Input: 2 violations; "), "{err}");
    assert!(transport.requests().is_empty(), "nothing is sent");
}

#[tokio::test]
async fn either_check_alone_still_stops_the_call() {
    let (result, transport) = put(Input {
        name: "n".repeat(9),
        at: DateTime::from_secs(0),
    })
    .await;
    let Err(SdkError::Validation(err)) = result else {
        panic!("expected a validation error, got {result:?}")
    };
    assert_eq!(err.violations.len(), 1, "{err}");
    assert_eq!(err.violations[0].rule, Rule::MaxLength { max: 8, actual: 9 });
    let (result, transport_2) = put(Input {
        name: "ok".to_owned(),
        at: DateTime::from_secs(YEAR_10000),
    })
    .await;
    let Err(SdkError::Validation(err)) = result else {
        panic!("expected a validation error, got {result:?}")
    };
    assert_eq!(err.violations.len(), 1, "{err}");
    assert_eq!(err.violations[0].rule, Rule::TimestampRange { format: "iso8601" });
    assert!(transport.requests().is_empty() && transport_2.requests().is_empty());
}
