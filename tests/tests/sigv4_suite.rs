//! The AWS SigV4 test suite (vendored from botocore's sdist), signed through the client's own signing path
//! (`lean_aws_runtime::sign::sign`). Cases that cannot apply are listed in `sigv4_suite.skip` with the reason.

use lean_aws_runtime::sign::sign;
use lean_aws_runtime::transport::HttpRequest;
use lean_aws_runtime::Credentials;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, UNIX_EPOCH};

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/vendor/botocore/auth/aws4_testsuite");
const SKIP: &str = include_str!("sigv4_suite.skip");

/// Every case folder: one holding a `.req` and an `.authz` named after it.
fn cases(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries.into_iter().filter(|p| p.is_dir()) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.join(format!("{name}.req")).exists() {
            out.push(path.clone());
        }
        cases(&path, out);
    }
}

/// Parses a `.req` file into a request; the suite's own `X-Amz-Date` is left to the signer to add.
fn parse_request(text: &str) -> (HttpRequest, Option<String>) {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.lines();
    let request_line = lines.next().unwrap();
    let method = request_line.split(' ').next().unwrap().to_owned();
    let target = request_line[method.len() + 1..request_line.rfind(' ').unwrap()].to_owned();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut token = None;
    for line in lines {
        if line.starts_with(' ') || line.starts_with('\t') {
            // A folded continuation of the previous header value.
            let last = headers.last_mut().unwrap();
            last.1.push('\n');
            last.1.push_str(line);
            continue;
        }
        let (name, value) = line.split_once(':').unwrap();
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "x-amz-date" => {}
            "x-amz-security-token" => token = Some(value.to_owned()),
            _ => headers.push((lower, value.to_owned())),
        }
    }
    let host = headers
        .iter()
        .find(|(n, _)| n == "host")
        .map(|(_, v)| v.clone())
        .unwrap();
    let request = headers
        .into_iter()
        .fold(
            HttpRequest::new(method, format!("https://{host}{target}")),
            |r, (n, v)| r.with_header(n, v),
        )
        .with_body(body);
    (request, token)
}

#[test]
fn aws4_testsuite() {
    let skips: BTreeMap<&str, &str> = SKIP
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(": "))
        .collect();
    let mut all = Vec::new();
    cases(Path::new(SUITE), &mut all);
    let (mut passed, mut skipped, mut failures) = (0, 0, Vec::new());
    let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
    for dir in &all {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if skips.contains_key(name.as_str()) {
            skipped += 1;
            continue;
        }
        let req_text = fs::read_to_string(dir.join(format!("{name}.req"))).unwrap();
        let expected = fs::read_to_string(dir.join(format!("{name}.authz"))).unwrap();
        let (mut request, token) = parse_request(&req_text);
        // get-vanilla-with-session-token's .req omits the token; the suite gives it only in the canonical request
        // (botocore's own harness hard-codes the same value).
        let creq = fs::read_to_string(dir.join(format!("{name}.creq"))).unwrap_or_default();
        let token = token.or_else(|| {
            creq.lines()
                .find_map(|l| l.strip_prefix("x-amz-security-token:").map(str::to_owned))
        });
        let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token);
        let got = match sign(&mut request, &creds, "us-east-1", "service", time) {
            Ok(()) => request.header("authorization").unwrap_or_default().to_owned(),
            Err(e) => format!("signing error: {e}"),
        };
        if got == expected.trim() {
            passed += 1;
        } else {
            failures.push(format!("{name}:\n  expected {}\n  got      {got}", expected.trim()));
        }
    }
    for skip in skips.keys() {
        assert!(
            all.iter().any(|d| d.ends_with(skip)),
            "skip list names unknown case {skip}"
        );
    }
    println!(
        "sigv4 suite: {passed} passed, {} failed, {skipped} skipped",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(passed + skipped, all.len());
}
