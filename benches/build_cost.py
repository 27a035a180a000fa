#!/usr/bin/env python3
"""Build cost of one EMR call: lean-emr (default features, seed operation only) against aws-sdk-emr.

    benches/build_cost.py [--only lean|sdk] [--variant NAME ...] [--keep]

Generates a small user program that makes one UpdateStudioSessionMapping call, in five variants, into a
temporary folder, and builds each with `cargo build --release` in its own fresh, empty target directory, one
after the other:

    lean-default  lean-emr (path dependency on this checkout's generated/) with its default features
    lean-seed     lean-emr with default-features = false, features = ["update-studio-session-mapping"]
    lean-blocking lean-emr with its default features and "blocking"
    lean-serde    lean-emr with its default features and "serde" (skipped when the checkout has no such feature)
    lean-aws-config lean-emr with its default features and "aws-config" (skipped likewise)
    sdk           aws-sdk-emr + aws-config, as the AWS docs write it

All of them use tokio with the same features and the default release profile. Every dependency is downloaded by
`cargo fetch` before any build starts, and the timed builds run with `--frozen`, so no download is timed (and
with `--timings`, whose report names the slowest crates). The lean programs start from this checkout's
Cargo.lock. The programs are only built, never run.

Reports wall time, the number of `Compiling` lines and the binary size of each build, then the lean/SDK ratios
next to issue 7's targets. The targets are about wall time; the CPU time of the build (user + system of cargo and
every process it waited for) is shown beside it because it moves much less when others share the cores. The
targets are reported, not asserted: the exit status is non-zero only when a fetch or a build fails. Nothing is
written to the repository or its target/ directory.
"""

import argparse
import html
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.dont_write_bytecode = True  # importing common must not leave a __pycache__ in the repository
from common import (LEAN_DEPS, LEAN_PATH, LEAN_VERSIONS, SDK_DEPS, SDK_VERSIONS, cargo_env, fail, fetch, load_average,
                    locked_versions, out, print_environment, table, write_program)

SEED_FEATURE = "update-studio-session-mapping"

STUDIO_ID = "es-0123456789ABCDEFGHIJKLMNO"
IDENTITY_NAME = "alice@example.com"
POLICY_ARN = "arn:aws:iam::123456789012:policy/EMRStudioSessionPolicy"

SDK_MAIN = f"""\
use aws_config::BehaviorVersion;
use aws_sdk_emr::error::DisplayErrorContext;
use aws_sdk_emr::operation::RequestId;
use aws_sdk_emr::types::IdentityType;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {{
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let client = aws_sdk_emr::Client::new(&config);
    let result = client
        .update_studio_session_mapping()
        .studio_id("{STUDIO_ID}")
        .identity_name("{IDENTITY_NAME}")
        .identity_type(IdentityType::User)
        .session_policy_arn("{POLICY_ARN}")
        .send()
        .await;
    match result {{
        Ok(output) => println!("request id: {{:?}}", output.request_id()),
        Err(e) => {{
            eprintln!("error: {{}}", DisplayErrorContext(&e));
            std::process::exit(1);
        }}
    }}
    Ok(())
}}
"""

# The lean program is the SDK's, ported as issue 13 says a user ports one: the crate path changed, and the line
# that builds the client.
SDK_CLIENT = """\
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let client = aws_sdk_emr::Client::new(&config);
"""
assert SDK_MAIN.count(SDK_CLIENT) == 1
LEAN_MAIN = (SDK_MAIN.replace("use aws_config::BehaviorVersion;\n", "")
             .replace(SDK_CLIENT, "    let client = lean_emr::Client::from_env();\n")
             .replace("aws_sdk_emr", "lean_emr"))

VARIANTS = [
    {
        "name": "lean-default",
        "side": "lean",
        "what": "lean-emr, default features",
        "deps": LEAN_DEPS,
        "main": LEAN_MAIN,
        "lock": True,
    },
    {
        "name": "lean-seed",
        "side": "lean",
        "what": f'lean-emr, only "{SEED_FEATURE}"',
        "deps": f'lean-emr = {{ path = {LEAN_PATH}, default-features = false, features = ["{SEED_FEATURE}"] }}\n',
        "main": LEAN_MAIN,
        "lock": True,
    },
    {
        "name": "lean-blocking",
        "side": "lean",
        "what": 'lean-emr, default features and "blocking"',
        "deps": f'lean-emr = {{ path = {LEAN_PATH}, features = ["blocking"] }}\n',
        "main": LEAN_MAIN,
        "lock": True,
    },
    {
        "name": "lean-serde",
        "side": "lean",
        "what": 'lean-emr, default features and "serde"',
        "deps": f'lean-emr = {{ path = {LEAN_PATH}, features = ["serde"] }}\n',
        "main": LEAN_MAIN,
        "lock": True,
        "needs_feature": "serde",
    },
    {
        "name": "lean-aws-config",
        "side": "lean",
        "what": 'lean-emr, default features and "aws-config"',
        "deps": f'lean-emr = {{ path = {LEAN_PATH}, features = ["aws-config"] }}\n',
        "main": LEAN_MAIN,
        "lock": True,
        "needs_feature": "aws-config",
    },
    {
        "name": "sdk",
        "side": "sdk",
        "what": "aws-sdk-emr + aws-config",
        "deps": SDK_DEPS,
        "main": SDK_MAIN,
        "lock": False,
    },
]

# (label, numerator, denominator, measure, target); a "time" ratio is measured on wall time and shown on CPU time too
RATIOS = [
    ("build time, seed only / SDK", "lean-seed", "sdk", "time", 0.25),
    ("build time, default features / SDK", "lean-default", "sdk", "time", 0.35),
    ("binary size, default features / SDK", "lean-default", "sdk", "bytes", 0.35),
    ("binary size, seed only / SDK", "lean-seed", "sdk", "bytes", None),
    ("build time, default + blocking / SDK", "lean-blocking", "sdk", "time", None),
    ("build time, default + serde / SDK", "lean-serde", "sdk", "time", None),
    ("build time, default + blocking / default", "lean-blocking", "lean-default", "time", None),
    ("build time, default + serde / default", "lean-serde", "lean-default", "time", None),
    ("build time, default + aws-config / default", "lean-aws-config", "lean-default", "time", None),
]


def has_feature(name):
    """Whether this checkout's lean-emr has cargo feature `name` (a variant that needs one is skipped without)."""
    manifest = (Path(__file__).resolve().parent.parent / "generated" / "Cargo.toml").read_text()
    return re.search(rf'^{re.escape(name)} = ', manifest, re.MULTILINE) is not None


def write_project(root, v):
    return write_program(root / v["name"], f"build-cost-{v['name']}", v["deps"], {"src/main.rs": v["main"]}, v["lock"])


def slowest_units(target_dir, count=6):
    """The slowest units from cargo's --timings report, best effort (the HTML's embedded UNIT_DATA)."""
    report = target_dir / "cargo-timings" / "cargo-timing.html"
    try:
        text = report.read_text()
        match = re.search(r"const UNIT_DATA = (\[.*?\]);\n", text, re.S)
        units = json.loads(html.unescape(match.group(1)))
    except (OSError, AttributeError, ValueError):
        return None
    units.sort(key=lambda u: u.get("duration", 0), reverse=True)
    result = []
    for u in units[:count]:
        label = f"{u.get('name')} {u.get('version', '')}".strip()
        if u.get("mode") == "run-custom-build":
            label += " (build script run)"
        elif u.get("target", "").strip():
            label += f" ({u['target'].strip()})"
        result.append((label, u.get("duration", 0.0)))
    return result


def build(project):
    target = project / "target"
    assert not target.exists(), f"{target} must start empty"
    log = project / "build.log"
    cmd = ["cargo", "build", "--release", "--frozen", "--timings"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with open(log, "w") as f:
        rc = subprocess.run(cmd, cwd=project, stdout=f, stderr=subprocess.STDOUT, env=cargo_env(target)).returncode
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if rc != 0:
        fail(f"{' '.join(cmd)} in {project}", log)
        return None
    lines = log.read_text(errors="replace").splitlines()
    compiling = [line for line in lines if line.strip().startswith("Compiling ")]
    binary = target / "release" / f"build-cost-{project.name}"
    return {
        "seconds": seconds,
        "cpu": cpu,
        "compiling": len(compiling),
        "bytes": binary.stat().st_size,
        "blocked": any("Blocking waiting for file lock" in line for line in lines),
        "slowest": slowest_units(target),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["lean", "sdk"], help="build only the lean variants or only the SDK")
    parser.add_argument("--variant", action="append", metavar="NAME",
                        help="build only this variant (repeatable); ratios whose two sides were both built are shown")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (programs, logs, targets)")
    args = parser.parse_args()

    variants = [v for v in VARIANTS if args.only in (None, v["side"]) and args.variant in (None, []) or
                (args.variant and v["name"] in args.variant)]
    unknown = set(args.variant or []) - {v["name"] for v in VARIANTS}
    if unknown:
        parser.error(f"unknown variant(s): {', '.join(sorted(unknown))}")
    for v in [v for v in variants if v.get("needs_feature") and not has_feature(v["needs_feature"])]:
        out(f"  {v['name']}: skipped, lean-emr has no feature {v['needs_feature']!r} in this checkout")
        variants.remove(v)
    root = Path(tempfile.mkdtemp(prefix="lean-emr-build-cost-"))
    started = time.monotonic()
    ok = True
    try:
        out("== build cost of one UpdateStudioSessionMapping call")
        print_environment(root)
        out()

        out("== fetching (not timed)")
        projects = {}
        for v in variants:
            project = write_project(root, v)
            fetch_started = time.monotonic()
            if not fetch(project):
                return 1
            projects[v["name"]] = project
            out(f"  {v['name']:<13} cargo fetch done in {time.monotonic() - fetch_started:.1f} s")
        out()

        out("== versions")
        for v in variants:
            names = LEAN_VERSIONS if v["side"] == "lean" else SDK_VERSIONS
            versions = locked_versions(projects[v["name"]], names)
            out(f"  {v['name']:<13} " + ", ".join(f"{n} {ver}" for n, ver in versions.items()))
        out()

        out("== clean release builds, one at a time (cargo build --release --frozen --timings, fresh target dir)")
        results = {}
        for v in variants:
            out(f"  {v['name']:<13} building ...")
            result = build(projects[v["name"]])
            if result is None:
                ok = False
                continue
            results[v["name"]] = result
            note = "  (waited for a cargo file lock: time includes the wait)" if result["blocked"] else ""
            out(f"  {v['name']:<13} {result['seconds']:.1f} s ({result['cpu']:.1f} s CPU), "
                f"{result['compiling']} crates compiled, "
                f"{result['bytes']} bytes{note}")
        out()

        rows = [("variant", "what", "build (s)", "CPU (s)", "crates compiled", "binary (bytes)", "binary (MB)")]
        for v in variants:
            r = results.get(v["name"])
            if r:
                rows.append((v["name"], v["what"], f"{r['seconds']:.1f}", f"{r['cpu']:.1f}", r["compiling"],
                             r["bytes"], f"{r['bytes'] / 1e6:.2f}"))
            else:
                rows.append((v["name"], v["what"], "failed", "-", "-", "-", "-"))
        out("== results")
        table(rows)
        out()

        ratio_rows = [("ratio (lean / SDK)", "measured", "target", "", "on CPU time")]
        for label, num, den, measure, target in RATIOS:
            if num in results and den in results:
                a, b = results[num], results[den]
                ratio = a["seconds"] / b["seconds"] if measure == "time" else a[measure] / b[measure]
                cpu = f"{a['cpu'] / b['cpu']:.3f}x" if measure == "time" else "-"
                verdict = "" if target is None else ("met" if ratio <= target else "MISSED")
                target = "-" if target is None else f"<= {target:.2f}x"
                ratio_rows.append((label, f"{ratio:.3f}x", target, verdict, cpu))
        if len(ratio_rows) > 1:
            out("== ratios (targets from issue 7, reported, not asserted)")
            table(ratio_rows)
            out()

        out("== slowest units per build (from cargo --timings; on 2 cores units overlap)")
        for v in variants:
            r = results.get(v["name"])
            if r and r["slowest"]:
                out(f"  {v['name']}: " + "; ".join(f"{label} {secs:.1f} s" for label, secs in r["slowest"]))
        out()
        out(f"load avg:   {load_average()} (1, 5, 15 min) at end")
        out(f"total:      {time.monotonic() - started:.0f} s for the whole run")
        return 0 if ok else 1
    finally:
        if args.keep:
            out(f"kept:       {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
