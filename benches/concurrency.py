#!/usr/bin/env python3
"""Concurrency: 64 tasks sharing one client call DescribeStudio on the emulator, lean-emr against aws-sdk-emr.

    benches/concurrency.py [--tasks 64] [--calls 200] [--repetitions 5] [--work-dir DIR | --keep]

Generates one program per side into a temporary folder (or --work-dir), builds it with `cargo build --release`
after an untimed `cargo fetch` (the lean program from this checkout's Cargo.lock, with lean-emr's default
features; the SDK program with aws-sdk-emr + aws-config as the AWS docs write it; tokio with the same features on
both sides), and builds this checkout's lean-emr-emulator in release mode. The builds are not timed.

One emulator, started once on a free loopback port with one access key, serves every run of both sides. Each run
is a process that builds one client with static credentials, region us-east-1 and the emulator's URL as
endpoint_url, creates a studio (not timed), then starts --tasks tasks that share the client and each make --calls
DescribeStudio calls one after another; it prints how many calls were answered with that studio, how many were
not, and the seconds from the first task's start to the last task's end. Every call must be answered, or the
script says which side failed and how, and exits 1. The programs run with HOME pointed at an empty folder, no AWS_
variable and the instance metadata service off.

After one untimed warm-up run per side, --repetitions runs per side alternate (lean, sdk, sdk, lean, ...). Reported
per side, as the median with the lowest and highest run: calls per second, the client process's peak resident
memory (max RSS: its VmHWM, which it prints when the calls are done), the client's CPU time per call (from wait4
of that process alone), and the emulator's CPU time per call and the cores it kept busy (which show whether the
server could be the bottleneck). Then the lean/SDK ratios of the medians. Nothing is asserted: the exit status is non-zero only when a
build or a run fails. Nothing is written to the repository or its target/ directory.

The programs' sources are LEAN_PROGRAM and SDK_PROGRAM below (with ARGS and FINISH, which both share).
"""

import argparse
import statistics
import sys
import time

sys.dont_write_bytecode = True  # importing common must not leave a __pycache__ in the repository
from common import (EMULATOR_KEY_ID, EMULATOR_SECRET, REGION, SIDES, Emulator, add_work_dir_options, alternating,
                    build_runtime_programs, load_average, out, print_environment, program_env, run_measured,
                    show_failure, spread, table, work_dir)

BIN = "concurrency"
USAGE = "usage: concurrency ENDPOINT_URL ACCESS_KEY_ID SECRET TASKS CALLS_PER_TASK"
# The studio each run creates before it is timed (the emulator's README demo's values).
STUDIO = {
    "name": "concurrency",
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet": "subnet-0123456789abcdef0",
    "service_role": "arn:aws:iam::123456789012:role/EMRStudioServiceRole",
    "user_role": "arn:aws:iam::123456789012:role/EMRStudioUserRole",
    "workspace_sg": "sg-0123456789abcdef0",
    "engine_sg": "sg-0fedcba9876543210",
    "s3": "s3://studio-bucket/workspaces",
}
# The parts both programs share. How a run starts: its arguments.
ARGS = f"""\
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint_url, access_key_id, secret, tasks, calls] = &args[..] else {{
        return Err("{USAGE}".into());
    }};
    let (tasks, calls): (usize, usize) = (tasks.parse()?, calls.parse()?);
"""
# How it ends: it adds up what the tasks counted and prints "answered N", "failed N", "seconds S" and
# "peak_rss_kib N" (the process's VmHWM: wait4's ru_maxrss would also count the memory of the Python process it was
# forked from); the first failure's text goes to standard error.
FINISH = """\
    let (mut answered, mut failed, mut first) = (0, 0, None);
    for handle in handles {
        let (a, f, e) = handle.await?;
        answered += a;
        failed += f;
        first = first.or(e);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("answered {answered}");
    println!("failed {failed}");
    println!("seconds {seconds:.6}");
    // This process's peak resident memory (Linux), read last, when every call has been answered.
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status.lines().find_map(|line| line.strip_prefix("VmHWM:"));
    println!("peak_rss_kib {}", peak.unwrap_or("-").trim().trim_end_matches(" kB"));
    if let Some(first) = first {
        eprintln!("first failure: {first}");
    }
    Ok(())
}
"""

# lean-emr, in the fluent call style it shares with aws-sdk-emr.
LEAN_PROGRAM = f"""\
use lean_emr::types::AuthMode;
use lean_emr::{{AwsCredentials, Client, Config}};
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {{
{ARGS}    let config = Config::builder()
        .region("{REGION}")
        .credentials(AwsCredentials::new(access_key_id, secret, None))
        .endpoint_url(endpoint_url)
        .build();
    let client = Client::new(config);
    let studio_id = client
        .create_studio()
        .name("{STUDIO['name']}")
        .auth_mode(AuthMode::Sso)
        .vpc_id("{STUDIO['vpc_id']}")
        .subnet_ids("{STUDIO['subnet']}")
        .service_role("{STUDIO['service_role']}")
        .user_role("{STUDIO['user_role']}")
        .workspace_security_group_id("{STUDIO['workspace_sg']}")
        .engine_security_group_id("{STUDIO['engine_sg']}")
        .default_s3_location("{STUDIO['s3']}")
        .send()
        .await?
        .studio_id
        .ok_or("CreateStudio answered without a studio id")?;

    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {{
            let client = client.clone();
            let studio_id = studio_id.clone();
            tokio::spawn(async move {{
                let (mut answered, mut failed, mut first) = (0usize, 0usize, None);
                for _ in 0..calls {{
                    match client.describe_studio().studio_id(&studio_id).send().await {{
                        Ok(output) if output.studio.as_ref().and_then(|s| s.studio_id.as_deref()) == Some(studio_id.as_str()) => {{
                            answered += 1
                        }}
                        Ok(_) => {{
                            failed += 1;
                            first.get_or_insert_with(|| "an answer without the studio".to_owned());
                        }}
                        Err(e) => {{
                            failed += 1;
                            first.get_or_insert_with(|| e.to_string());
                        }}
                    }}
                }}
                (answered, failed, first)
            }})
        }})
        .collect();
{FINISH}"""

# aws-sdk-emr + aws-config, as the AWS docs write it (aws_config::defaults, then fluent calls).
SDK_PROGRAM = f"""\
use aws_config::BehaviorVersion;
use aws_sdk_emr::config::{{Credentials, Region}};
use aws_sdk_emr::error::DisplayErrorContext;
use aws_sdk_emr::types::AuthMode;
use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {{
{ARGS}    let config = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new("{REGION}"))
        .credentials_provider(Credentials::new(access_key_id, secret, None, None, "benchmark"))
        .endpoint_url(endpoint_url)
        .load()
        .await;
    let client = aws_sdk_emr::Client::new(&config);
    let studio_id = client
        .create_studio()
        .name("{STUDIO['name']}")
        .auth_mode(AuthMode::Sso)
        .vpc_id("{STUDIO['vpc_id']}")
        .subnet_ids("{STUDIO['subnet']}")
        .service_role("{STUDIO['service_role']}")
        .user_role("{STUDIO['user_role']}")
        .workspace_security_group_id("{STUDIO['workspace_sg']}")
        .engine_security_group_id("{STUDIO['engine_sg']}")
        .default_s3_location("{STUDIO['s3']}")
        .send()
        .await
        .map_err(|e| DisplayErrorContext(e).to_string())?
        .studio_id
        .ok_or("CreateStudio answered without a studio id")?;

    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {{
            let client = client.clone();
            let studio_id = studio_id.clone();
            tokio::spawn(async move {{
                let (mut answered, mut failed, mut first) = (0usize, 0usize, None);
                for _ in 0..calls {{
                    match client.describe_studio().studio_id(&studio_id).send().await {{
                        Ok(output) if output.studio().and_then(|s| s.studio_id()) == Some(studio_id.as_str()) => {{
                            answered += 1
                        }}
                        Ok(_) => {{
                            failed += 1;
                            first.get_or_insert_with(|| "an answer without the studio".to_owned());
                        }}
                        Err(e) => {{
                            failed += 1;
                            first.get_or_insert_with(|| DisplayErrorContext(&e).to_string());
                        }}
                    }}
                }}
                (answered, failed, first)
            }})
        }})
        .collect();
{FINISH}"""

PROGRAMS = {"lean": LEAN_PROGRAM, "sdk": SDK_PROGRAM}


def parse_report(text):
    """The program's "answered N", "failed N", "seconds S" and "peak_rss_kib N" lines (the peak is None where
    /proc/self/status has no VmHWM), or None when one is missing."""
    values = dict(line.split(" ", 1) for line in text.splitlines() if " " in line)
    try:
        peak = None if values["peak_rss_kib"] == "-" else int(values["peak_rss_kib"])
        return int(values["answered"]), int(values["failed"]), float(values["seconds"]), peak
    except (KeyError, ValueError):
        return None


def measure(side, binary, emulator, args, env, root):
    """One run of `side`'s program; None (after saying why) unless every call was answered."""
    cmd = [str(binary), emulator.url, EMULATOR_KEY_ID, EMULATOR_SECRET, str(args.tasks), str(args.calls)]
    server_before = emulator.cpu_seconds()
    run = run_measured(cmd, env, root, args.timeout)
    server_after = emulator.cpu_seconds()
    report = parse_report(run["stdout"])
    expected = args.tasks * args.calls
    if run["rc"] != 0 or report is None or report[0] != expected or report[1] != 0:
        answered = "no report" if report is None else f"{report[0]} of {expected} calls answered, {report[1]} not"
        show_failure(side, run, answered)
        return None
    answered, _, seconds, peak_rss_kib = report
    server = None if server_before is None or server_after is None else server_after - server_before
    return {
        "calls_per_second": answered / seconds,
        "seconds": seconds,
        "max_rss_mib": None if peak_rss_kib is None else peak_rss_kib / 1024,
        "client_us_per_call": run["cpu"] / answered * 1e6,
        "server_us_per_call": None if server is None else server / answered * 1e6,
        "server_share": None if server is None else server / run["seconds"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=64, help="tasks sharing the one client (default 64)")
    parser.add_argument("--calls", type=int, default=200, help="calls each task makes (default 200)")
    parser.add_argument("--repetitions", type=int, default=5, help="measured runs per side (default 5)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a run may take (default 300)")
    add_work_dir_options(parser)
    args = parser.parse_args()

    started = time.monotonic()
    with work_dir(args, "lean-emr-concurrency-") as root:
        out(f"== concurrency: {args.tasks} tasks sharing one client, {args.calls} DescribeStudio calls each, "
            "against lean-emr-emulator on loopback")
        print_environment(root)
        out()
        binaries = build_runtime_programs(root, BIN, PROGRAMS)
        if binaries is None:
            return 1
        env = program_env(root / "home")
        with Emulator(binaries["emulator"], root) as emulator:
            out(f"== runs against {emulator.url} (one warm-up per side, then {args.repetitions} per side, alternating)")
            results = {"lean": [], "sdk": []}
            for n, side in enumerate(["lean", "sdk", *alternating(args.repetitions)]):
                result = measure(side, binaries[side], emulator, args, env, root)
                if result is None:
                    return 1
                label = "warm-up" if n < 2 else f"run {len(results[side]) + 1}"
                out(f"  {side:<5} {label:<8} {result['calls_per_second']:9.0f} calls/s in {result['seconds']:.2f} s, "
                    + ("" if result["max_rss_mib"] is None else f"peak RSS {result['max_rss_mib']:.1f} MiB, ")
                    + f"client CPU {result['client_us_per_call']:.0f} µs/call"
                    + ("" if result["server_us_per_call"] is None else
                       f", emulator CPU {result['server_us_per_call']:.0f} µs/call "
                       f"({result['server_share']:.2f} cores)"))
                if n >= 2:
                    results[side].append(result)
            out()

        measures = [("calls per second", "calls_per_second", "{:.0f}", "higher is better"),
                    ("peak RSS (MiB)", "max_rss_mib", "{:.1f}", "lower is better"),
                    ("client CPU per call (µs)", "client_us_per_call", "{:.1f}", "lower is better"),
                    ("emulator CPU per call (µs)", "server_us_per_call", "{:.1f}", "the server's side of each call"),
                    ("emulator cores busy", "server_share", "{:.2f}", "of the machine's cores")]
        rows = [("measure", "lean median", "lean range", "SDK median", "SDK range", "lean / SDK", "")]
        for label, key, fmt, note in measures:
            if any(r[key] is None for side in results for r in results[side]):
                continue
            (lm, llo, lhi), (sm, slo, shi) = (spread([r[key] for r in results[side]]) for side in ("lean", "sdk"))
            rows.append((label, fmt.format(lm), f"{fmt.format(llo)}-{fmt.format(lhi)}", fmt.format(sm),
                         f"{fmt.format(slo)}-{fmt.format(shi)}", f"{lm / sm:.3f}x", note))
        out(f"== results (median of {args.repetitions} runs per side; SDK = {SIDES['sdk'][0]})")
        table(rows)
        out()
        seconds = statistics.median(r["seconds"] for side in results for r in results[side])
        out(f"calls:      {args.tasks} x {args.calls} = {args.tasks * args.calls} per run, every one answered "
            f"(median run {seconds:.2f} s)")
        out(f"load avg:   {load_average()} (1, 5, 15 min) at end")
        out(f"total:      {time.monotonic() - started:.0f} s for the whole run")
        return 0


if __name__ == "__main__":
    sys.exit(main())
