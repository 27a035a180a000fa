//! Every case of botocore's EMR endpoint test suite against the EMR rule set.

use lean_aws_runtime::endpoint::testing::{check_case, Outcome};
use lean_aws_runtime::endpoint::Resolver;
use serde_json::Value;

fn read(relative: &str) -> String {
    let path = format!("{}/../{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn emr_endpoint_tests() {
    let resolver = Resolver::new(
        &read("model/emr/2009-03-31/endpoint-rule-set-1.json"),
        &read("model/partitions.json"),
    )
    .expect("the EMR rule set loads");
    let suite: Value =
        serde_json::from_str(&read("tests/vendor/botocore/endpoint-rules/emr/endpoint-tests-1.json")).unwrap();
    let cases = suite["testCases"].as_array().expect("testCases");
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    for case in cases {
        match check_case(&resolver, case) {
            Ok(Outcome::Passed) => passed += 1,
            Ok(Outcome::Skipped(why)) => {
                println!("skipped: {why}");
                skipped += 1;
            }
            Err(failure) => failures.push(failure),
        }
    }
    println!("endpoint rules: {passed} passed, {skipped} skipped");
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!((passed, skipped), (50, 0));
}
