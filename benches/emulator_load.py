#!/usr/bin/env python3
"""Load: lean-emr-emulator against moto's server, the same boto3 clients driving both, side by side in one run.

    benches/emulator_load.py [--clients 64] [--processes 4] [--cycles 8] [--timeout 240] [--keep]

Builds this checkout's emulator (`cargo build --release -p lean-emr-emulator`, not timed) and makes a virtual
environment under target/emulator-load-venv with moto[server], boto3 and botocore at pinned versions (PINS below),
then runs itself again with that environment's Python. Loopback only: each server is started on a free 127.0.0.1
port, every client has it as endpoint_url, static credentials, region us-east-1, no retries, and no AWS_ variable,
config or credentials file of the caller's; the servers are stopped at the end, whatever happens.

For each server in turn (the emulator, then moto), nothing else running against it:

1. Start-up: the time from starting the server's process to the first answered request (ListClusters, sent again
   every 2 ms until it is answered; the client is made, and has made one refused call, before the process starts,
   so that loading its own service model is not counted).
2. Load: --clients concurrent boto3 clients (threads spread over --processes processes, one client each, all made
   before the clock starts) each run --cycles cycles of seven calls, one of each operation: RunJobFlow (a cluster
   kept alive, with one spark-submit step), DescribeCluster, AddJobFlowSteps (two more), ListSteps,
   DescribeStep, ListClusters (the active ones, first page) and TerminateJobFlows. Every call must be answered,
   and answered right (the cluster and step ids asked for, three steps listed), or it counts as an error.
   Measured: calls per second (all calls over the time from the start signal to the last client's end), the
   latency of each call (p50, p99, max; and p50, p99 by operation), errors by code, and the CPU time per call of
   the server and of the client processes together (which shows which side bounds the throughput).
3. State: untimed, every cluster created must be listed by ListClusters (all states, every page), and no other;
   be TERMINATING or TERMINATED once TerminateJobFlows was answered; and list exactly the steps it was given
   (ListSteps, every page: three, with the ids AddJobFlowSteps returned).
4. The server's peak resident memory (VmHWM of /proc/<pid>/status, read after the state check) and the CPU time it
   used during the load (/proc/<pid>/stat).

The client processes share the machine's cores with the server: on a small machine the clients' own CPU bounds
the throughput that can be measured (the report prints nproc and the load average). The defaults make
64 x 8 x 7 = 3584 calls per server, and the whole run take one to three minutes once built, most of it moto's.
The exit status is non-zero when a build, a start or a state check fails or a call is not answered right; nothing
else is asserted. It is a benchmark, not part of CI. Nothing is written to the repository but the venv and the
build under target/.
"""

import argparse
import multiprocessing
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.dont_write_bytecode = True  # importing common must not leave a __pycache__ in the repository
from common import REPO, load_average, out, print_environment, table

VENV = REPO / "target" / "emulator-load-venv"
# Why each pin: moto[server] 5.2.5 is the moto measured (its server mode brings flask and flask-cors, which its
# own requirements bound); boto3 and botocore 1.44.5 are the versions of the EMR model the emulator and the client
# are generated from (model/SOURCES.md) and that .ci/run installs, so both servers see the same requests as the
# project's botocore tests send.
PINS = ["moto[server]==5.2.5", "boto3==1.44.5", "botocore==1.44.5"]
KEY_ID, SECRET, REGION = "AKIDEMULATORLOAD", "emulator-load-secret", "us-east-1"
ACTIVE = ["STARTING", "BOOTSTRAPPING", "RUNNING", "WAITING"]
OPERATIONS = ["RunJobFlow", "DescribeCluster", "AddJobFlowSteps", "ListSteps", "DescribeStep", "ListClusters",
              "TerminateJobFlows"]
STEPS_PER_CLUSTER = 3


# ---- in the caller's Python: the build and the virtual environment ----

def prepare():
    """Builds the emulator and the virtual environment; returns the emulator's binary or None."""
    logs = Path(tempfile.mkdtemp(prefix="lean-emr-load-build-"))
    steps = [
        ("cargo build --release -p lean-emr-emulator", ["cargo", "build", "--release", "-p", "lean-emr-emulator"]),
        (f"python3 -m venv {VENV}", [sys.executable, "-m", "venv", str(VENV)]),
        ("pip install " + " ".join(PINS),
         [str(VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", *PINS]),
    ]
    if (VENV / "bin" / "python").exists():
        steps.pop(1)
    for n, (what, cmd) in enumerate(steps):
        started = time.monotonic()
        log = logs / f"{n}.log"
        with open(log, "w") as f:
            rc = subprocess.run(cmd, cwd=REPO, stdout=f, stderr=subprocess.STDOUT).returncode
        if rc != 0:
            out(f"FAILED: {what} (exit status {rc}); its log's last lines:")
            for line in log.read_text(errors="replace").splitlines()[-30:]:
                out(f"  | {line}")
            return None
        out(f"  {what}: done in {time.monotonic() - started:.1f} s (not timed)")
    shutil.rmtree(logs, ignore_errors=True)
    return REPO / "target" / "release" / "lean-emr-emulator"


# ---- in the virtual environment's Python: the measurements ----

def isolate_environment():
    """No AWS_ variable, config or credentials file of the caller's reaches boto3; no instance metadata lookup."""
    for key in [k for k in os.environ if k.startswith("AWS_")]:
        del os.environ[key]
    os.environ["AWS_CONFIG_FILE"] = os.devnull
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"


def make_client(url, read_timeout=60):
    import boto3
    from botocore.config import Config
    config = Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=read_timeout,
                    max_pool_connections=4)
    return boto3.session.Session().client("emr", endpoint_url=url, region_name=REGION, aws_access_key_id=KEY_ID,
                                          aws_secret_access_key=SECRET, config=config)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status_kib(pid, field):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """A server process on loopback, its output in a log file; stopped on exit."""

    def __init__(self, name, cmd, url, root):
        self.name, self.cmd, self.url = name, cmd, url
        self.log_path = root / f"{name}.log"

    def start(self):
        """Starts the process; returns the seconds to its first answered ListClusters."""
        from botocore.exceptions import EndpointConnectionError
        client = make_client(self.url)
        # A first call before the server exists loads the client's service model and endpoint rules, so that the
        # time measured is the server's alone.
        try:
            client.list_clusters()
            raise SystemExit(f"FAILED: something already answers on {self.url}")
        except EndpointConnectionError:
            pass
        self.log = open(self.log_path, "w")
        started = time.perf_counter()
        self.process = subprocess.Popen(self.cmd, stdout=self.log, stderr=subprocess.STDOUT, env=dict(os.environ))
        while True:
            try:
                client.list_clusters()
                return time.perf_counter() - started
            except EndpointConnectionError:
                if self.process.poll() is not None:
                    raise SystemExit(f"FAILED: {self.name} exited with status {self.process.returncode} before "
                                     f"answering; see {self.log_path}")
                if time.perf_counter() - started > 60:
                    raise SystemExit(f"FAILED: {self.name} did not answer within 60 s; see {self.log_path}")
                time.sleep(0.002)

    def stop(self):
        process = getattr(self, "process", None)
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if getattr(self, "log", None):
            self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def cluster_request(name):
    return {
        "Name": name,
        "ReleaseLabel": "emr-7.5.0",
        "LogUri": "s3://logs/emr/",
        "ServiceRole": "EMR_DefaultRole",
        "JobFlowRole": "EMR_EC2_DefaultRole",
        "Applications": [{"Name": "Spark"}],
        "Instances": {
            "InstanceGroups": [
                {"Name": "Primary", "InstanceRole": "MASTER", "InstanceType": "m5.xlarge", "InstanceCount": 1},
                {"Name": "Core", "InstanceRole": "CORE", "InstanceType": "m5.xlarge", "InstanceCount": 2},
            ],
            "KeepJobFlowAliveWhenNoSteps": True,
        },
        "Steps": [step(f"{name}-first")],
    }


def step(name):
    return {"Name": name, "ActionOnFailure": "CONTINUE",
            "HadoopJarStep": {"Jar": "command-runner.jar", "Args": ["spark-submit", "s3://jobs/etl.py"]}}


class Wrong(Exception):
    """An answer that does not say what was asked for."""


class Created:
    """What the answers so far say a cluster should be: how many steps it has, the ids known, whether it ends."""

    def __init__(self):
        self.steps, self.step_ids, self.terminated = 1, set(), False


def cycle(client, name, timed, created):
    """One cluster's seven calls; `timed(operation, call)` makes and times each. Records in `created` (cluster id ->
    Created) what each answered call did, so that a cycle cut short by an error is checked for what it did."""
    cluster = timed("RunJobFlow", lambda: client.run_job_flow(**cluster_request(name)))["JobFlowId"]
    record = created[cluster] = Created()
    described = timed("DescribeCluster", lambda: client.describe_cluster(ClusterId=cluster))
    if described["Cluster"]["Id"] != cluster or described["Cluster"]["Name"] != name:
        raise Wrong(f"DescribeCluster {cluster} answered {described['Cluster']['Id']}")
    added = timed("AddJobFlowSteps", lambda: client.add_job_flow_steps(
        JobFlowId=cluster, Steps=[step(f"{name}-second"), step(f"{name}-third")]))["StepIds"]
    record.steps += 2
    record.step_ids.update(added)
    listed = timed("ListSteps", lambda: client.list_steps(ClusterId=cluster))["Steps"]
    if len(listed) != STEPS_PER_CLUSTER or not set(added) <= {s["Id"] for s in listed}:
        raise Wrong(f"ListSteps {cluster} listed {len(listed)} steps, not the {STEPS_PER_CLUSTER} it was given")
    one = timed("DescribeStep", lambda: client.describe_step(ClusterId=cluster, StepId=added[0]))
    if one["Step"]["Id"] != added[0]:
        raise Wrong(f"DescribeStep {added[0]} answered {one['Step']['Id']}")
    timed("ListClusters", lambda: client.list_clusters(ClusterStates=ACTIVE))
    timed("TerminateJobFlows", lambda: client.terminate_job_flows(JobFlowIds=[cluster]))
    record.terminated = True


def client_thread(url, process_index, thread_index, cycles, ready, go, results):
    client = make_client(url)
    latencies, errors, created = [], Counter(), {}
    first_errors = []

    def timed(operation, call):
        started = time.perf_counter()
        try:
            return call()
        finally:
            latencies.append((operation, time.perf_counter() - started))

    ready.wait()
    go.wait()
    for i in range(cycles):
        name = f"load-{process_index}-{thread_index}-{i}"
        try:
            cycle(client, name, timed, created)
        except Exception as e:  # every failure is counted and reported, never dropped
            code = getattr(e, "response", {}).get("Error", {}).get("Code") or type(e).__name__
            errors[code] += 1
            if len(first_errors) < 3:
                first_errors.append(f"{name}: {code}: {e}")
    results.append({"latencies": latencies, "errors": errors, "created": created, "first_errors": first_errors,
                    "end": time.perf_counter()})


def client_process(url, process_index, threads, cycles, ready, go, queue):
    """`threads` clients in this process; sends what they measured to `queue`."""
    results = []
    local_ready = threading.Barrier(threads + 1)
    local_go = threading.Event()
    workers = [threading.Thread(target=client_thread,
                                args=(url, process_index, t, cycles, local_ready, local_go, results))
               for t in range(threads)]
    for w in workers:
        w.start()
    local_ready.wait()  # every client made
    ready.wait()  # every process ready
    go.wait()
    local_go.set()
    for w in workers:
        w.join()
    queue.put(results)


def load(server, args):
    """Runs the load against `server`; returns what the clients measured, merged, and the server's CPU time."""
    context = multiprocessing.get_context("fork")
    spread = [args.clients // args.processes + (1 if i < args.clients % args.processes else 0)
              for i in range(args.processes)]
    spread = [n for n in spread if n > 0]
    ready = context.Barrier(len(spread) + 1)
    go = context.Event()
    queue = context.Queue()
    processes = [context.Process(target=client_process, args=(server.url, i, n, args.cycles, ready, go, queue))
                 for i, n in enumerate(spread)]
    for p in processes:
        p.start()
    ready.wait(timeout=120)
    cpu_before = cpu_seconds(server.process.pid)
    clients_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    go.set()
    results = []
    deadline = time.monotonic() + args.timeout
    for _ in processes:
        remaining = deadline - time.monotonic()
        try:
            results.extend(queue.get(timeout=max(remaining, 0.1)))
        except Exception:
            for p in processes:
                p.kill()
            raise SystemExit(f"FAILED: {server.name}: the load did not finish within --timeout {args.timeout} s")
    for p in processes:
        p.join()
    cpu = cpu_seconds(server.process.pid) - cpu_before
    # The client processes have been reaped; the server, still running, is not counted in RUSAGE_CHILDREN yet.
    clients_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    clients_cpu = sum(getattr(clients_after, f) - getattr(clients_before, f) for f in ("ru_utime", "ru_stime"))
    by_operation = {}
    for r in results:
        for operation, seconds in r["latencies"]:
            by_operation.setdefault(operation, []).append(seconds)
    for values in by_operation.values():
        values.sort()
    latencies = sorted(x for values in by_operation.values() for x in values)
    errors = sum((r["errors"] for r in results), Counter())
    created = {c: record for r in results for c, record in r["created"].items()}
    first_errors = [e for r in results for e in r["first_errors"]][:5]
    seconds = max(r["end"] for r in results) - started
    return {"latencies": latencies, "errors": errors, "created": created, "first_errors": first_errors,
            "seconds": seconds, "server_cpu": cpu, "clients_cpu": clients_cpu, "by_operation": by_operation}


def percentile(sorted_values, p):
    """Nearest rank."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def check_state(server, created):
    """Every cluster created is listed, ending or ended when it was terminated, with the steps it was given.
    Returns a list of problems and the number of clusters listed."""
    from concurrent.futures import ThreadPoolExecutor
    client = make_client(server.url)
    listed = {}
    for page in client.get_paginator("list_clusters").paginate():
        for c in page["Clusters"]:
            listed[c["Id"]] = c["Status"]["State"]
    problems = []
    missing = [c for c in created if c not in listed]
    if missing:
        problems.append(f"{len(missing)} of {len(created)} clusters created are not listed, e.g. {missing[0]}")
    if len(listed) != len(created):
        problems.append(f"ListClusters lists {len(listed)} clusters; {len(created)} were created")
    live = [c for c, r in created.items() if r.terminated and listed.get(c) not in (None, "TERMINATING", "TERMINATED")]
    if live:
        problems.append(f"{len(live)} clusters terminated are {listed[live[0]]}, e.g. {live[0]}")
    clients = threading.local()

    def steps_of(cluster):
        if not hasattr(clients, "client"):
            clients.client = make_client(server.url)
        pages = clients.client.get_paginator("list_steps").paginate(ClusterId=cluster)
        return cluster, {s["Id"] for page in pages for s in page["Steps"]}

    with ThreadPoolExecutor(8) as pool:
        for cluster, steps in pool.map(steps_of, created):
            given = created[cluster]
            if len(steps) != given.steps or not given.step_ids <= steps:
                problems.append(f"{cluster} lists {len(steps)} steps; it was given {given.steps}")
    return problems, len(listed)


def measure(server, args):
    first_answer = server.start()
    rss_started = proc_status_kib(server.process.pid, "VmRSS")
    result = load(server, args)
    problems, listed = check_state(server, result["created"])
    result.update(first_answer=first_answer, rss_started_kib=rss_started,
                  peak_rss_kib=proc_status_kib(server.process.pid, "VmHWM"), problems=problems, listed=listed)
    return result


def measured_main(args):
    import boto3
    import botocore
    from importlib.metadata import version
    isolate_environment()
    root = Path(tempfile.mkdtemp(prefix="lean-emr-load-"))
    binary = REPO / "target" / "release" / "lean-emr-emulator"
    out(f"python:     {sys.version.split()[0]} ({sys.executable})")
    out(f"versions:   moto {version('moto')}, boto3 {boto3.__version__}, botocore {botocore.__version__}, "
        f"flask {version('flask')}, werkzeug {version('werkzeug')}")
    port_e, port_m = free_port(), free_port()
    servers = [
        Server("emulator", [str(binary), "--port", str(port_e), "--credentials", f"{KEY_ID}:{SECRET}", "--quiet"],
               f"http://127.0.0.1:{port_e}", root),
        Server("moto", [str(VENV / "bin" / "moto_server"), "-H", "127.0.0.1", "-p", str(port_m)],
               f"http://127.0.0.1:{port_m}", root),
    ]
    calls = args.clients * args.cycles * len(OPERATIONS)
    out(f"load:       {args.clients} clients ({args.processes} processes of threads, one boto3 client each), "
        f"{args.cycles} cycles of {len(OPERATIONS)} calls each = {calls} calls per server")
    out()
    results = {}
    failed = False
    for server in servers:
        out(f"== {server.name}: {' '.join(server.cmd)}")
        with server:
            r = measure(server, args)
        answered = len(r["latencies"]) - sum(r["errors"].values())
        out(f"  first answer {r['first_answer'] * 1000:.0f} ms; {len(r['latencies'])} calls in {r['seconds']:.2f} s; "
            f"{sum(r['errors'].values())} errors; {r['listed']} clusters listed after")
        for e in r["first_errors"]:
            out(f"  error: {e}")
        for p in r["problems"]:
            out(f"  state: {p}")
        failed |= bool(r["errors"]) or bool(r["problems"]) or len(r["latencies"]) != calls
        r["answered"] = answered
        results[server.name] = r
        out()

    e, m = results["emulator"], results["moto"]
    ms = lambda v: f"{v * 1000:.1f}"  # noqa: E731
    mib = lambda kib: "-" if kib is None else f"{kib / 1024:.1f}"  # noqa: E731
    rows = [("measure", "emulator", "moto", "moto / emulator")]

    def row(label, key, fmt, ratio=True):
        a, b = key(e), key(m)
        rows.append((label, fmt(a), fmt(b), f"{b / a:.2f}x" if ratio and a else ""))

    row("start to first answer (ms)", lambda r: r["first_answer"], ms)
    row("calls made", lambda r: len(r["latencies"]), str, False)
    row("calls answered right", lambda r: r["answered"], str, False)
    row("errors", lambda r: sum(r["errors"].values()), str, False)
    row("throughput (calls/s)", lambda r: len(r["latencies"]) / r["seconds"], lambda v: f"{v:.0f}")
    row("latency p50 (ms)", lambda r: percentile(r["latencies"], 50), ms)
    row("latency p99 (ms)", lambda r: percentile(r["latencies"], 99), ms)
    row("latency max (ms)", lambda r: r["latencies"][-1] if r["latencies"] else float("nan"), ms)
    per_call = lambda cpu: lambda r: r[cpu] / max(len(r["latencies"]), 1)  # noqa: E731
    row("server CPU per call (ms)", per_call("server_cpu"), lambda v: f"{v * 1000:.2f}")
    row("clients' CPU per call (ms)", per_call("clients_cpu"), lambda v: f"{v * 1000:.2f}")
    row("server RSS after start (MiB)", lambda r: r["rss_started_kib"], mib)
    row("server peak RSS, VmHWM (MiB)", lambda r: r["peak_rss_kib"], mib)
    row("clusters listed after", lambda r: r["listed"], str, False)
    rows.append(("state consistent", *("yes" if not r["problems"] else "NO" for r in (e, m)), ""))
    out("== results (one run each, the emulator first, then moto)")
    table(rows)
    out()
    rows = [("operation", "calls", "emulator p50", "emulator p99", "moto p50", "moto p99")]
    for operation in OPERATIONS:
        a, b = (r["by_operation"].get(operation, []) for r in (e, m))
        rows.append((operation, f"{len(a)} / {len(b)}", ms(percentile(a, 50)), ms(percentile(a, 99)),
                     ms(percentile(b, 50)), ms(percentile(b, 99))))
    out("== latency by operation (ms)")
    table(rows)
    out()
    out(f"load avg:   {load_average()} (1, 5, 15 min) at end")
    if args.keep or failed:
        out(f"kept:       {root} (the servers' logs)")
    else:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients (default 64)")
    parser.add_argument("--processes", type=int, default=4,
                        help="processes the clients' threads are spread over (default 4)")
    parser.add_argument("--cycles", type=int, default=8, help="cycles of seven calls per client (default 8)")
    parser.add_argument("--timeout", type=float, default=240, help="seconds one server's load may take (default 240)")
    parser.add_argument("--keep", action="store_true", help="keep the servers' logs")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)  # set by the re-run in the venv
    args = parser.parse_args()
    for name in ("clients", "processes", "cycles"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1, got {getattr(args, name)}")
    if args.timeout <= 0:
        parser.error(f"--timeout must be more than 0 seconds, got {args.timeout}")
    args.processes = min(args.processes, args.clients)
    return args


def main():
    args = parse_args()
    if args.measure:
        return measured_main(args)
    started = time.monotonic()
    out("== emulator load: lean-emr-emulator and moto's server on loopback, the same boto3 clients")
    print_environment(Path(tempfile.gettempdir()))
    out()
    out("== building (not timed)")
    if prepare() is None:
        return 1
    out()
    python = VENV / "bin" / "python"
    rc = subprocess.run([str(python), str(Path(__file__).resolve()), *sys.argv[1:], "--measure"]).returncode
    out(f"total:      {time.monotonic() - started:.0f} s for the whole run")
    return rc


if __name__ == "__main__":
    sys.exit(main())
