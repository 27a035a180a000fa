//! `tests/endpoint_rules/cases.rs` of a service crate: one `#[test]` per case of botocore's endpoint test suite, each
//! resolving through the crate's own embedded rule set and partitions.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use std::collections::BTreeSet;

/// The test file for `suite` (an `endpoint-tests-1.json`), for the crate named `crate_ident`.
pub fn emit(suite: &Value, crate_ident: &str) -> Result<TokenStream, String> {
    let cases = suite
        .get("testCases")
        .and_then(Value::as_array)
        .ok_or("endpoint tests: no `testCases`")?;
    let krate = format_ident!("{crate_ident}");
    let mut seen = BTreeSet::new();
    let mut tests = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let doc = case.get("documentation").and_then(Value::as_str).unwrap_or("case");
        let mut slug: String = doc
            .to_snake_case()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        slug.truncate(90);
        let name = format_ident!("case_{:02}_{}", i + 1, slug.trim_end_matches('_'));
        if !seen.insert(name.to_string()) {
            return Err(format!("endpoint tests: two cases map to {name}"));
        }
        let json = case.to_string();
        let doc_line = format!(" {doc}");
        tests.push(quote! {
            #[doc = #doc_line]
            #[test]
            fn #name() {
                check(#json);
            }
        });
    }
    Ok(quote! {
        //! botocore's endpoint test suite for this service, one test per case.
        use lean_aws_runtime::endpoint::testing::{check_case, Outcome};
        use lean_aws_runtime::endpoint::Resolver;
        use std::sync::LazyLock;

        static RESOLVER: LazyLock<Resolver> = LazyLock::new(|| {
            Resolver::new(#krate::service::ENDPOINT_RULE_SET, #krate::service::PARTITIONS)
                .expect("the embedded rule set loads")
        });

        fn check(case: &str) {
            let case = serde_json::from_str(case).expect("the case is JSON");
            match check_case(&RESOLVER, &case) {
                Ok(Outcome::Passed) => {}
                Ok(Outcome::Skipped(why)) => panic!("case cannot be expressed: {why}"),
                Err(failure) => panic!("{failure}"),
            }
        }

        #(#tests)*
    })
}
