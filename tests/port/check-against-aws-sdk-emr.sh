#!/usr/bin/env bash
# Compiles the originals in aws/ against aws-sdk-emr 1.132 and aws-config 1.13, in a scratch crate outside the
# workspace (it downloads and builds about 200 crates, so it is not part of CI): the programs the port test runs
# are real aws-sdk-emr programs. Usage: bash tests/port/check-against-aws-sdk-emr.sh [SCRATCH_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
scratch="${1:-${TMPDIR:-/tmp}/lean-emr-port-aws}"
mkdir -p "$scratch/src/bin"
cp "$here"/aws/*.rs "$scratch/src/bin/"
cat > "$scratch/Cargo.toml" <<'TOML'
[package]
name = "port-originals"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
aws-sdk-emr = "=1.132.0"
aws-config = { version = "=1.13.0", features = ["behavior-version-latest"] }
tokio = { version = "1", features = ["rt-multi-thread", "macros"] }

[workspace]
TOML
cd "$scratch"
RUSTFLAGS="-D warnings" cargo check --bins
echo "every original in $here/aws compiles against aws-sdk-emr 1.132, without a warning"
