"""Materialized paths of the unit tree: the alphabet and step of `orgs.Unit`, and what follows from them.

A unit's path is its parent's path plus one step of STEPLEN characters from ALPHABET
(treebeard's MP_Node), so a subtree is every path starting with the unit's path: one index
range, and the ancestors of a unit are the prefixes of its path.
"""

from __future__ import annotations

from django.db.models import Q

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def next_prefix(path: str) -> str | None:
    """The smallest path greater than every path starting with `path` (same alphabet)."""
    chars = list(path)
    for i in range(len(chars) - 1, -1, -1):
        pos = ALPHABET.index(chars[i])
        if pos + 1 < len(ALPHABET):
            chars[i] = ALPHABET[pos + 1]
            return "".join(chars[: i + 1])
    return None


def path_range_q(prefix: str, field: str = "path") -> Q:
    """Q for every path under `prefix` as an index range (SQLite never indexes LIKE)."""
    q = Q(**{f"{field}__gte": prefix})
    upper = next_prefix(prefix)
    if upper is not None:
        q &= Q(**{f"{field}__lt": upper})
    return q


def path_range_sql(prefix: str, column: str) -> tuple[str, list[str]]:
    """`path_range_q` as an SQL condition on `column` (e.g. 'u."path"'), with its parameters."""
    upper = next_prefix(prefix)
    if upper is None:
        return f"{column} >= %s", [prefix]
    return f"({column} >= %s AND {column} < %s)", [prefix, upper]


def ancestor_paths(path: str, *, include_self: bool = False) -> list[str]:
    """The paths of the units above `path`, top first; with `include_self`, `path` last."""
    end = len(path) + 1 if include_self else len(path)
    return [path[:i] for i in range(STEPLEN, end, STEPLEN)]
