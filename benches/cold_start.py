#!/usr/bin/env python3
"""Cold start: from starting a one-call program to its exit after printing the answer, lean-emr against aws-sdk-emr.

    benches/cold_start.py [--repetitions 40] [--work-dir DIR | --keep]

Generates one command-line program per side that makes one ListStudios call, as `aws emr list-studios` does,
into a temporary folder (or --work-dir), and builds it with `cargo build --release` after an untimed
`cargo fetch` (the lean program from this checkout's Cargo.lock, with lean-emr's default features and
`Client::from_env()`; the SDK program with aws-sdk-emr + aws-config and `aws_config::load_defaults`, as the AWS
docs write it; tokio with the same features on both sides), and builds this checkout's lean-emr-emulator in
release mode. The builds are not timed; --work-dir reuses what an earlier run of this script or of
benches/concurrency.py built there.

One emulator, started once on a free loopback port, answers every run of both sides. Each program finds
everything where a user would set it: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and AWS_ENDPOINT_URL
(the emulator's URL) in the environment, HOME an empty folder so no real profile is read, no other AWS_ variable,
and AWS_EC2_METADATA_DISABLED=true so neither waits on the instance metadata service. A run is timed from just
before the process is started to just after it is reaped; it must exit 0 having printed the answer, or the script
says which side failed and how, and exits 1.

After two untimed warm-up runs per side (the binaries are in the page cache for both), --repetitions runs per side
alternate (lean, sdk, sdk, lean, ...). Reported per side: the median, the 10th and 90th percentiles, the lowest
and the highest start-to-exit time, the median CPU time of the process (user + system, from wait4), and the
lean/SDK ratios of the medians. Nothing is asserted: the exit status is non-zero only when a build or a run
fails. Nothing is written to the repository or its target/ directory.

The programs' sources are LEAN_PROGRAM and SDK_PROGRAM below.
"""

import argparse
import statistics
import sys
import time

sys.dont_write_bytecode = True  # importing common must not leave a __pycache__ in the repository
from common import (EMULATOR_KEY_ID, EMULATOR_SECRET, REGION, SIDES, Emulator, add_work_dir_options, alternating,
                    build_runtime_programs, load_average, out, print_environment, program_env, run_measured,
                    show_failure, table, work_dir)

BIN = "cold_start"
WARM_UPS = 2

# aws-sdk-emr + aws-config, as the AWS docs write it.
SDK_PROGRAM = """\
use aws_config::BehaviorVersion;
use aws_sdk_emr::error::DisplayErrorContext;
use aws_sdk_emr::operation::RequestId;

#[tokio::main]
async fn main() {
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let client = aws_sdk_emr::Client::new(&config);
    match client.list_studios().send().await {
        Ok(output) => {
            let studios = output.studios().len();
            println!("studios: {studios}, request id: {:?}", output.request_id());
        }
        Err(e) => {
            eprintln!("error: {}", DisplayErrorContext(&e));
            std::process::exit(1);
        }
    }
}
"""

# lean-emr: the SDK's program, ported as a user ports one (the crate path, and the line that builds the client).
SDK_CLIENT = """\
    let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
    let client = aws_sdk_emr::Client::new(&config);
"""
assert SDK_PROGRAM.count(SDK_CLIENT) == 1
LEAN_PROGRAM = (SDK_PROGRAM.replace("use aws_config::BehaviorVersion;\n", "")
                .replace(SDK_CLIENT, "    let client = lean_emr::Client::from_env();\n")
                .replace("aws_sdk_emr", "lean_emr"))

PROGRAMS = {"lean": LEAN_PROGRAM, "sdk": SDK_PROGRAM}


def answered(run):
    """Whether the program exited 0 having printed an answer that carries the emulator's request id."""
    lines = run["stdout"].splitlines()
    return run["rc"] == 0 and len(lines) == 1 and lines[0].startswith("studios: ") and 'request id: Some("' in lines[0]


def percentile(values, p):
    """The p-th percentile (0-100), interpolated between the nearest ranks."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=40, help="measured runs per side (default 40)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds a run may take (default 60)")
    add_work_dir_options(parser)
    args = parser.parse_args()

    started = time.monotonic()
    with work_dir(args, "lean-emr-cold-start-") as root:
        out("== cold start: a one-call program (ListStudios), from starting it to its exit after the answer")
        print_environment(root)
        out()
        binaries = build_runtime_programs(root, BIN, PROGRAMS)
        if binaries is None:
            return 1
        with Emulator(binaries["emulator"], root) as emulator:
            env = program_env(root / "home", {
                "AWS_ACCESS_KEY_ID": EMULATOR_KEY_ID,
                "AWS_SECRET_ACCESS_KEY": EMULATOR_SECRET,
                "AWS_REGION": REGION,
                "AWS_ENDPOINT_URL": emulator.url,
            })
            out(f"== runs against {emulator.url} ({WARM_UPS} warm-ups per side, then {args.repetitions} per side, "
                "alternating)")
            out("  environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL, "
                f"AWS_EC2_METADATA_DISABLED=true, HOME={env['HOME']} (empty)")
            results = {"lean": [], "sdk": []}
            order = ["lean", "sdk"] * WARM_UPS + list(alternating(args.repetitions))
            for n, side in enumerate(order):
                run = run_measured([str(binaries[side])], env, root, args.timeout)
                if not answered(run):
                    show_failure(side, run, "no answer printed")
                    return 1
                if n >= 2 * WARM_UPS:
                    results[side].append(run)
            for side in ("lean", "sdk"):
                out(f"  {side:<5} first answer: {results[side][0]['stdout'].strip()}")
            out()

        rows = [("side", "median (ms)", "p10 (ms)", "p90 (ms)", "min (ms)", "max (ms)", "CPU, median (ms)")]
        medians = {}
        for side in ("lean", "sdk"):
            ms = [r["seconds"] * 1e3 for r in results[side]]
            medians[side] = (statistics.median(ms), statistics.median(r["cpu"] * 1e3 for r in results[side]))
            rows.append((f"{side} ({SIDES[side][0]})", f"{medians[side][0]:.2f}", f"{percentile(ms, 10):.2f}",
                         f"{percentile(ms, 90):.2f}", f"{min(ms):.2f}", f"{max(ms):.2f}", f"{medians[side][1]:.2f}"))
        out(f"== results ({args.repetitions} runs per side, start to exit)")
        table(rows)
        out()
        (lt, lc), (st, sc) = medians["lean"], medians["sdk"]
        out("== ratios (lean / SDK, of the medians)")
        table([("measure", "lean / SDK"), ("start to exit", f"{lt / st:.3f}x"), ("CPU time", f"{lc / sc:.3f}x")])
        out()
        out(f"load avg:   {load_average()} (1, 5, 15 min) at end")
        out(f"total:      {time.monotonic() - started:.0f} s for the whole run")
        return 0


if __name__ == "__main__":
    sys.exit(main())
