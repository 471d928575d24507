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


# A path is the codes from the root, each followed by a slash: /320500000000/320508000000/.


def child_path(parent_path: str | None, code: str) -> str:
    """The path of the node `code` under the node at `parent_path` (None or '' for a root)."""
    return f"{parent_path or '/'}{code}/"


def parent_path(path: str) -> str:
    """The path of the node above ('/' for a root, as `child_path` takes it)."""
    return path[: path.rstrip("/").rfind("/") + 1]


def path_codes(path: str) -> list[str]:
    """The codes of a path, root first."""
    return [c for c in path.split("/") if c]


def code_of(path: str) -> str:
    """The code of the node a path ends at."""
    return path_codes(path)[-1]


def path_segment(code: str) -> str:
    """What the path of the node `code` and of every node below it contains (a filter on a
    code at any level: `region__path__contains=path_segment(code)`)."""
    return f"/{code}/"


def ancestor_paths(path: str) -> list[str]:
    """The paths of a node and of every node above it, root first."""
    codes = path_codes(path)
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


# How many leading digits of a code a level's descendants share (12-digit division codes).
_SIGNIFICANT = {"city": 4, "district": 6, "street": 9, "community": 12, "grid": 15}


def grid_prefix(code: str, level: str) -> str:
    """The prefix every grid code under this node starts with (a grid: its own code)."""
    return code[: _SIGNIFICANT.get(level, len(code))]
