"""Region codes: 12-digit statistical division codes, and grid codes built on them."""

import re

_DIVISION = re.compile(r"^\d{12}$")
_GRID = re.compile(r"^\d{15}$")


def is_division_code(code: str) -> bool:
    return bool(_DIVISION.match(code))


def is_grid_code(code: str, community_code: str | None = None) -> bool:
    if not _GRID.match(code):
        return False
    return community_code is None or code.startswith(community_code)


def grid_code(community_code: str, number: int) -> str:
    if not is_division_code(community_code):
        raise ValueError(f"not a 12-digit division code: {community_code!r}")
    if not 1 <= number <= 999:
        raise ValueError("a grid number runs from 1 to 999")
    return f"{community_code}{number:03d}"


def child_path(parent_path: str, code: str) -> str:
    return f"{parent_path or '/'}{code}/"


def ancestor_paths(path: str) -> list[str]:
    """The paths of a node and of every node above it, root first."""
    codes = [c for c in path.split("/") if c]
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]
