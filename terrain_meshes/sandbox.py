"""The child process that runs the pipeline on one untrusted file, under hard limits.

Run as `python -m terrain_meshes.sandbox REQUEST.json`. The limits (address space, CPU
seconds) are set before trimesh, numpy or VTK are imported, as hard limits the child cannot
raise again; the parent adds the wall-time limit and reads `result.json` from the output
directory. A crash here (segfault in a native reader, the kernel's SIGKILL past RLIMIT_CPU)
ends only this process; no result file tells the parent that it did.
"""

import ctypes
import json
import resource
import signal
import sys
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

RESULT_FILE = "result.json"
PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Request:
    source: str
    filename: str
    units: str | None
    out_dir: str
    max_triangles: int
    max_decompressed_bytes: int
    display_max_triangles: int
    memory_bytes: int
    cpu_seconds: int


def limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    """Hard limits: past RLIMIT_AS allocations fail (MemoryError), past RLIMIT_CPU the kernel
    sends SIGXCPU and, a second later, SIGKILL."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _die_with_parent()


def _die_with_parent() -> None:
    """A worker stopped mid-job must not leave its child running (Linux: PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the CPU limit still ends it
        pass


#: How running out of address space shows when it is not a MemoryError (loading a library).
_NO_MEMORY = ("failed to map segment", "cannot allocate memory", "std::bad_alloc")


def out_of_memory(exc: BaseException) -> bool:
    return isinstance(exc, MemoryError) or any(words in str(exc).lower() for words in _NO_MEMORY)


def run(request: Request) -> dict[str, object]:
    from terrain_meshes import analysis, limits, pipeline
    from terrain_meshes.errors import MeshError, MeshProblem

    bounds = limits.Limits(request.max_triangles, request.max_decompressed_bytes)
    try:
        processed = pipeline.process_model(
            Path(request.source),
            request.filename,
            analysis.Units(request.units) if request.units else None,
            Path(request.out_dir),
            bounds,
            request.display_max_triangles,
        )
    except MeshError as exc:
        return {"ok": False, "problem": exc.problem.value, "message": exc.message}
    except (MemoryError, ImportError, OSError, RuntimeError) as exc:
        if not out_of_memory(exc):
            raise
        megabytes = request.memory_bytes // 2**20
        return {
            "ok": False,
            "problem": MeshProblem.OVER_LIMITS.value,
            "message": f"The model needs more than the {megabytes:,} MB of memory allowed.",
        }
    result = asdict(processed)
    result["units"] = processed.units.value
    return {"ok": True, **result}


def main(argv: list[str]) -> int:
    request = Request(**json.loads(Path(argv[1]).read_text()))
    limit_resources(request.memory_bytes, request.cpu_seconds)
    try:
        result = run(request)
    except Exception:  # anything else is our bug or a reader's: report it, do not hide it
        traceback.print_exc()
        result = {
            "ok": False,
            "problem": "internal",
            "message": "The model could not be processed (an unexpected error in the reader).",
        }
    staging = Path(request.out_dir) / (RESULT_FILE + ".tmp")
    staging.write_text(json.dumps(result))
    staging.replace(Path(request.out_dir) / RESULT_FILE)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
