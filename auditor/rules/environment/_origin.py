"""Where a dependency-tree package was asked for, as a finding Location."""

from __future__ import annotations

from ...model.finding import Location


def origin_location(origin: str) -> Location | None:
    """``"requirements.txt:3"`` -> requirements.txt, line 3; ``""`` (transitive) -> None."""
    if not origin:
        return None
    path, _, line = origin.rpartition(":")
    if path and line.isdigit():
        return Location(path=path, line=int(line), column=1)
    return Location(path=origin)
