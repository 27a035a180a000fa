//! botocore's awsJson 1.1 protocol suites, run against the generator and the runtime.
//!
//! Each group of a suite (`tests/vendor/botocore/protocols/{input,output}-json.json`) carries a small botocore
//! model. `cargo xtask codegen` puts every group's model through the same pipeline as the EMR crate (`ir::load`,
//! the same emitters, prettyplease) into a module of [`suites`], `suites::<suite>_<NN>`, with a client, types,
//! serializers and validators of its own, and adds a generated `tests.rs` with one test per case, named after
//! the case's `id`.
//!
//! * An **input** case's `params` are turned into Rust at generation time: the builder calls, enum conversions,
//!   boxes and literals a user would write. (A generated `from_json` constructor would have been less code, but
//!   it would have bypassed the builders and the types, the very API under test.) The test calls the operation
//!   through the generated client with an in-memory transport, and the `harness` module compares the recorded request with
//!   the suite's `serialized`: method, path and query, the listed headers (case-insensitively), required and
//!   forbidden headers, the host, and the body (as JSON when the suite's body is JSON; not at all when the suite
//!   gives none, as for the gzip cases, whose body is checked to decompress to JSON instead).
//! * An **output** case queues the suite's `response` on the in-memory transport and calls the operation, so the
//!   response takes the real path (status, error-code rules, body parsing). A result is compared as JSON: a
//!   generated `dump` module turns outputs into JSON in the suite's terms (blobs as text, timestamps as epoch
//!   seconds, NaN as `"NaN"`), compared with `result` numerically where numbers are concerned. An error must be
//!   the modelled variant, with the suite's code, message and members.
//!
//! `edges` adds hand-written tests, on the same generated modules, for what the suites touch but do not pin
//! down: hostile host labels, and the compression threshold and switches.
//!
//! Cases that cannot apply are listed in `skip.txt` with a reason and generated as ignored tests. The `summary`
//! test target, last in `cargo test -p protocol-conformance`, runs every case that is not skipped itself (each
//! group's generated `CASES`, listed in `suites::GROUPS`) and prints what passed, failed and was skipped, per
//! suite: the counts are outcomes, not the number of tests that exist.

#[rustfmt::skip]
pub mod suites;

#[cfg(test)]
mod edges;
pub mod harness;
