"""What the scripts under benches/ share: the programs' manifests, cargo in a folder of its own, the emulator, measuring
one process, and printing. Python 3.11 standard library only; nothing here writes into the repository.
"""

import json
import os
import re
import shutil
import subprocess
import tomllib
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

