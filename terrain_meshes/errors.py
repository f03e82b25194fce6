"""Why a file was refused, in words an artist can act on."""

from enum import StrEnum


class MeshProblem(StrEnum):
    UNSUPPORTED_TYPE = "unsupported_file_type"
    NOT_A_MESH = "not_a_mesh"
    EMPTY = "empty_mesh"
    NON_FINITE = "non_finite_vertices"
    TOO_MANY_TRIANGLES = "too_many_triangles"
    TOO_LARGE = "too_large"
    #: The processing child ran out of memory, CPU or wall time, or crashed.
    OVER_LIMITS = "over_limits"


class MeshError(ValueError):
    def __init__(self, problem: MeshProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message
