"""Runs `terrain_meshes.sandbox` on one file in a child process and says how it ended.

The child sets its own hard limits (address space, CPU seconds) before loading anything; this
side enforces wall time (SIGKILL) and turns every way the child can end — a result file, a
signal, an exit without a result — into an outcome with a reason an artist can read.
"""

import json
import os
import signal
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from terrain_meshes.sandbox import RESULT_FILE, Request

STDERR_FILE = "stderr.txt"


@dataclass(frozen=True)
class SandboxLimits:
    memory_bytes: int
    cpu_seconds: int
    wall_seconds: float
    max_triangles: int
    max_decompressed_bytes: int
    display_max_triangles: int


@dataclass(frozen=True)
class Outcome:
    ok: bool
    #: The pipeline's result (units, dimensions, triangles, files) when ok.
    result: dict[str, Any]
    #: A machine code (a MeshProblem value, or over_limits / crashed / internal) when not ok.
    problem: str = ""
    message: str = ""
    #: What an operator needs when the child died: signal or exit code, the end of stderr.
    diagnostics: str = ""


def run_child(
    source: Path, filename: str, units: str | None, out_dir: Path, limits: SandboxLimits
) -> Outcome:
    request = Request(
        source=str(source),
        filename=filename,
        units=units,
        out_dir=str(out_dir),
        max_triangles=limits.max_triangles,
        max_decompressed_bytes=limits.max_decompressed_bytes,
        display_max_triangles=limits.display_max_triangles,
        memory_bytes=limits.memory_bytes,
        cpu_seconds=limits.cpu_seconds,
    )
    request_path = out_dir / "request.json"
    request_path.write_text(json.dumps(asdict(request)))
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    with (out_dir / STDERR_FILE).open("wb") as stderr:
        child = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "terrain_meshes.sandbox", str(request_path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
            start_new_session=True,  # a signal meant for the worker does not reach the child
        )
        try:
            returncode = child.wait(timeout=limits.wall_seconds)
            timed_out = False
        except subprocess.TimeoutExpired:
            child.kill()
            returncode = child.wait()
            timed_out = True
    return interpret(returncode, out_dir, limits, timed_out)


def run_in_this_process(
    source: Path, filename: str, units: str | None, out_dir: Path, limits: SandboxLimits
) -> Outcome:
    """The same pipeline without a child, for files we ship ourselves (the sample library):
    no limits are set, so never use it for an upload."""
    from terrain_meshes import sandbox

    request = Request(
        str(source),
        filename,
        units,
        str(out_dir),
        limits.max_triangles,
        limits.max_decompressed_bytes,
        limits.display_max_triangles,
        limits.memory_bytes,
        limits.cpu_seconds,
    )
    result = sandbox.run(request)
    if result.get("ok"):
        return Outcome(True, result)
    return Outcome(False, {}, str(result["problem"]), str(result["message"]))


def interpret(returncode: int, out_dir: Path, limits: SandboxLimits, timed_out: bool) -> Outcome:
    """How the child ended, as an outcome; only a clean exit with a result file is trusted."""
    result_path = out_dir / RESULT_FILE
    if not timed_out and returncode == 0 and result_path.is_file():
        result = json.loads(result_path.read_text())
        if result.get("ok"):
            return Outcome(True, result)
        return Outcome(False, {}, str(result["problem"]), str(result["message"]))
    tail = _stderr_tail(out_dir)
    if timed_out:
        return Outcome(
            False,
            {},
            "over_limits",
            f"Processing took longer than the {limits.wall_seconds:g} seconds allowed.",
            f"killed after {limits.wall_seconds:g} s wall time\n{tail}",
        )
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return Outcome(
            False,
            {},
            "over_limits",
            f"Processing needed more than the {limits.cpu_seconds} CPU seconds allowed "
            "(or more memory than allowed).",
            f"signal {-returncode}\n{tail}",
        )
    if "MemoryError" in tail:
        return Outcome(
            False,
            {},
            "over_limits",
            f"The model needs more than the {limits.memory_bytes // 2**20:,} MB of memory allowed.",
            f"exit {returncode}\n{tail}",
        )
    how = f"signal {_signal_name(-returncode)}" if returncode < 0 else f"exit {returncode}"
    return Outcome(
        False,
        {},
        "crashed",
        "The file crashed the mesh reader; it is probably damaged. Try exporting it again.",
        f"{how}\n{tail}",
    )


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _stderr_tail(out_dir: Path) -> str:
    path = out_dir / STDERR_FILE
    if not path.is_file():
        return ""
    with path.open("rb") as handle:
        handle.seek(max(0, path.stat().st_size - 4000))
        return handle.read().decode("utf-8", "replace")
