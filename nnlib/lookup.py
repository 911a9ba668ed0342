"""Finding a function by name: one rule for activations, losses and initialisers.

Names are case-insensitive, ``-`` and ``_`` are the same, and a few aliases
are accepted (``"mse"`` for the quadratic cost). An unknown name raises a
``ValueError`` that lists every valid name, so a typo is fixed in one step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


def lookup(kind: str, name: object, table: Mapping[str, T], aliases: Mapping[str, str] = {}, example: str = "") -> T:
    """Return ``table[name]`` (after aliases), or raise a clear error naming ``kind``."""
    if not isinstance(name, str):
        raise TypeError(
            f"{kind} must be a name (str) such as {example or next(iter(table))!r}, got {type(name).__name__}"
        )
    key = name.strip().lower().replace("-", "_")
    key = aliases.get(key, key)
    if key not in table:
        also = f" (aliases: {', '.join(sorted(aliases))})" if aliases else ""
        raise ValueError(f"unknown {kind} {name!r}; valid names are: {', '.join(sorted(table))}{also}")
    return table[key]
