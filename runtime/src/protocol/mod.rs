//! Wire protocols. Today: awsJson 1.0 / 1.1 ([`json`]).

pub mod json;
