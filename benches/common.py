"""What the scripts under benches/ share: the programs' manifests, cargo in a folder of its own, the emulator, measuring
one process, and printing. Python 3.11 standard library only; nothing here writes into the repository.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import tomllib
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOKIO = '{ version = "1", features = ["rt-multi-thread", "macros"] }'
LEAN_PATH = json.dumps(str(REPO / "generated"))  # a TOML basic string is a JSON string here
LEAN_DEPS = f"lean-emr = {{ path = {LEAN_PATH} }}\n"
SDK_DEPS = 'aws-config = { version = "1", features = ["behavior-version-latest"] }\naws-sdk-emr = "1"\n'
LEAN_VERSIONS = ["lean-emr", "lean-aws-runtime", "tokio"]
SDK_VERSIONS = ["aws-sdk-emr", "aws-config", "tokio"]


def out(text=""):
    print(text, flush=True)


def command_output(cmd, **kwargs):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True, **kwargs).stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        return f"unknown ({e})"


def print_environment(root):
    """The toolchain, the machine and the checkout, for the top of a report."""
    out(f"rustc:      {command_output(['rustc', '-V'])}")
    out(f"cargo:      {command_output(['cargo', '-V'])}")
    out(f"nproc:      {command_output(['nproc'])}")
    out(f"load avg:   {load_average()} (1, 5, 15 min) at start")
    out(f"checkout:   {REPO} @ {command_output(['git', 'rev-parse', '--short', 'HEAD'], cwd=REPO)}")
    out(f"temp dir:   {root}")
    if os.environ.get("RUSTFLAGS"):
        out(f"RUSTFLAGS:  {os.environ['RUSTFLAGS']}")


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def manifest(name, deps):
    # The empty [workspace] keeps the program its own workspace wherever the temporary folder is.
    return f"""\
[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
{deps}tokio = {TOKIO}

[workspace]
"""


def cargo_env(target_dir):
    env = dict(os.environ)
    # Each build gets its own target directory, never the repository's, and no compiler cache.
    for key in ("CARGO_BUILD_TARGET_DIR", "RUSTC_WRAPPER", "CARGO_BUILD_RUSTC_WRAPPER", "CARGO_INCREMENTAL"):
        env.pop(key, None)
    env["CARGO_TARGET_DIR"] = str(target_dir)
    env["CARGO_TERM_COLOR"] = "never"
    return env


def fail(what, log, keep_hint="--keep keeps the whole log"):
    out(f"FAILED: {what}; the log's last lines follow ({keep_hint}, {log})")
    lines = Path(log).read_text(errors="replace").splitlines()
    for line in lines[-40:]:
        out(f"  | {line}")


def write_program(project, package, deps, sources, lock):
    """Writes a program's Cargo.toml and `sources` (path in the project -> text) into `project`, leaving files that
    already hold the same text untouched so that a kept build stays fresh. With `lock`, the program starts from
    this checkout's Cargo.lock (cargo drops the workspace's own entries and adds what is missing)."""
    files = {"Cargo.toml": manifest(package, deps), **sources}
    for relative, text in files.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    if lock and not (project / "Cargo.lock").exists():
        shutil.copy(REPO / "Cargo.lock", project / "Cargo.lock")
    return project


def fetch(project, cmd=("cargo", "fetch")):
    log = project / "fetch.log"
    with open(log, "w") as f:
        rc = subprocess.run(list(cmd), cwd=project, stdout=f, stderr=subprocess.STDOUT,
                            env=cargo_env(project / "target")).returncode
    if rc != 0:
        fail(f"cargo fetch in {project}", log)
    return rc == 0


def locked_versions(project, names):
    lock = tomllib.loads((project / "Cargo.lock").read_text())
    found = {}
    for package in lock.get("package", []):
        if package["name"] in names:
            found.setdefault(package["name"], []).append(package["version"])
    return {name: ", ".join(found.get(name, ["-"])) for name in names}


def numeric(cell):
    return re.fullmatch(r"[<=\s]*[0-9.]+x?", str(cell)) is not None


def table(rows):
    """Text columns left-aligned, columns holding a number right-aligned."""
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    right = [any(numeric(row[i]) for row in rows[1:]) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        cells = [str(c).rjust(w) if r else str(c).ljust(w) for c, w, r in zip(row, widths, right)]
        out("  " + "  ".join(cells).rstrip())
        if n == 0:
            out("  " + "  ".join("-" * w for w in widths))


# ---- the runtime benchmarks (concurrency.py, cold_start.py): programs that run against the emulator ----

EMULATOR_KEY_ID = "AKIDLEANEMRBENCH"
EMULATOR_SECRET = "lean-emr-bench-secret"
REGION = "us-east-1"
SIDES = {"lean": ("lean-emr", LEAN_DEPS, True), "sdk": ("aws-sdk-emr + aws-config", SDK_DEPS, False)}


def add_work_dir_options(parser):
    parser.add_argument("--work-dir", type=Path,
                        help="build and keep the programs here, reusing what an earlier run of either script built "
                             "(default: a temporary folder, removed at the end)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (programs, logs, targets)")


@contextmanager
def work_dir(args, prefix):
    """The folder the programs are built in: --work-dir (kept), or a temporary one (removed unless --keep)."""
    if args.work_dir:
        root = args.work_dir.resolve()
        if root == REPO or REPO in root.parents:
            raise SystemExit(f"--work-dir {root} is inside the repository; pick a folder outside it")
        root.mkdir(parents=True, exist_ok=True)
    else:
        root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        if args.work_dir or args.keep:
            out(f"kept:       {root} (--work-dir {root} reuses its builds)")
        else:
            shutil.rmtree(root, ignore_errors=True)


def build_runtime_programs(root, bin_name, sources):
    """Writes and builds (release, --frozen after an untimed `cargo fetch`) the lean and the SDK program `bin_name`
    from `sources` (side -> Rust source), and the emulator from this checkout. Each side is one cargo project under
    `root` whose src/bin/ holds the programs of both scripts, so one build of aws-sdk-emr serves both. The
    emulator and the lean programs share a target directory (same lock file, so shared crates build once).
    Returns side -> binary path, with "emulator" too, or None when something failed (after showing its log)."""
    binaries = {}
    lean_target = root / "target-lean"
    out("== fetching (not timed)")
    if not fetch_repo(root):
        return None
    projects = {}
    for side, (_, deps, lock) in SIDES.items():
        project = write_program(root / side, f"lean-emr-bench-{side}", deps, {f"src/bin/{bin_name}.rs": sources[side]},
                                lock)
        started = time.monotonic()
        if not fetch(project):
            return None
        projects[side] = project
        out(f"  {side:<9} cargo fetch done in {time.monotonic() - started:.1f} s")
    out()
    out("== versions")
    for side, project in projects.items():
        versions = locked_versions(project, LEAN_VERSIONS if side == "lean" else SDK_VERSIONS)
        out(f"  {side:<9} " + ", ".join(f"{n} {v}" for n, v in versions.items()))
    out()
    out("== release builds (not timed; a kept --work-dir makes them no-ops)")
    builds = [("emulator", REPO, lean_target, ["-p", "lean-emr-emulator", "--bin", "lean-emr-emulator"],
               "lean-emr-emulator", root / "emulator-build.log")]
    for side, project in projects.items():
        target = lean_target if side == "lean" else project / "target"
        builds.append((side, project, target, ["--bin", bin_name], bin_name, project / f"build-{bin_name}.log"))
    for name, cwd, target, selection, binary, log in builds:
        cmd = ["cargo", "build", "--release", "--frozen", *selection]
        started = time.monotonic()
        with open(log, "w") as f:
            rc = subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT, env=cargo_env(target)).returncode
        if rc != 0:
            fail(f"{' '.join(cmd)} in {cwd}", log, "--work-dir keeps it")
            return None
        binaries[name] = target / "release" / binary
        size = binaries[name].stat().st_size
        out(f"  {name:<9} built in {time.monotonic() - started:.1f} s: {binaries[name]} ({size / 1e6:.2f} MB)")
    out()
    return binaries


def fetch_repo(root):
    """The emulator's dependencies, from this checkout's Cargo.lock (which --locked leaves as it is)."""
    log = root / "emulator-fetch.log"
    with open(log, "w") as f:
        rc = subprocess.run(["cargo", "fetch", "--locked"], cwd=REPO, stdout=f, stderr=subprocess.STDOUT,
                            env=cargo_env(root / "target-lean")).returncode
    if rc != 0:
        fail(f"cargo fetch --locked in {REPO}", log, "--work-dir keeps it")
    return rc == 0


def program_env(home, extra=None):
    """The environment a program runs in: the caller's without any AWS_ variable, HOME an empty folder (no
    profile is read), the instance metadata service off (nobody waits on its timeout), plus `extra`."""
    home.mkdir(parents=True, exist_ok=True)
    assert not any(home.iterdir()), f"{home} must be empty"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["HOME"] = str(home)
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env.update(extra or {})
    return env


class Emulator:
    """The repository's lean-emr-emulator on a free loopback port, quiet, with one access key; stops on exit."""

    def __init__(self, binary, root):
        cmd = [str(binary), "--port", "0", "--credentials", f"{EMULATOR_KEY_ID}:{EMULATOR_SECRET}", "--quiet"]
        self.log = root / "emulator.log"
        self.stderr = open(self.log, "w")
        self.process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr, text=True)
        url = [None]
        reader = threading.Thread(target=lambda: url.__setitem__(0, self.process.stdout.readline().strip()))
        reader.start()
        reader.join(30)
        if not url[0] or not url[0].startswith("http://127.0.0.1:"):
            self.stop()
            raise SystemExit(f"FAILED: the emulator printed no loopback URL within 30 s (got {url[0]!r}); "
                             f"see {self.log}")
        self.url = url[0]

    def cpu_seconds(self):
        """User + system CPU time the emulator has used so far (Linux /proc), or None."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def run_measured(cmd, env, root, timeout):
    """Runs `cmd` to its exit and measures that one process: wall time from just before it is started to just
    after it is reaped, and its CPU time (from wait4, so no other child counts). Not its peak memory: wait4's
    ru_maxrss also counts the Python process it was forked from. A process still running after `timeout` seconds
    is killed and counts as failed."""
    stdout_path, stderr_path = root / "run.stdout", root / "run.stderr"
    with open(stdout_path, "w") as stdout, open(stderr_path, "w") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env)
        killed = threading.Event()
        timer = threading.Timer(timeout, lambda: (killed.set(), process.kill()))
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: tell Popen, so it never waits again
    return {
        "seconds": seconds,
        "rc": process.returncode,
        "timed_out": killed.is_set(),
        "cpu": usage.ru_utime + usage.ru_stime,
        "stdout": stdout_path.read_text(errors="replace"),
        "stderr": stderr_path.read_text(errors="replace"),
    }


def alternating(repetitions):
    """The order of the measured runs: lean, sdk, then sdk, lean, and so on, so that a drift in the machine's load
    touches both sides alike."""
    for i in range(repetitions):
        yield from (("lean", "sdk") if i % 2 == 0 else ("sdk", "lean"))


def spread(values):
    """Median, and the lowest and highest value."""
    return statistics.median(values), min(values), max(values)


def show_failure(side, run, what):
    out(f"FAILED: {side}: {what} (exit status {run['rc']}{', killed after the time limit' if run['timed_out'] else ''})")
    for name in ("stdout", "stderr"):
        for line in run[name].splitlines()[-20:]:
            out(f"  {name} | {line}")

