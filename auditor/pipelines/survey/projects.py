"""The list of projects to survey: a text file of names, or a downloads ranking.

* Text: one project per line; ``#`` starts a comment; a second column (after spaces or a
  comma) is read as a download count. The file's order is the rank.
* JSON: the shape of the public "top PyPI packages" dumps,
  ``{"rows": [{"project": "boto3", "download_count": 123}, ...]}``, or a plain list of
  names / of such rows. Ranked by download count, highest first.

Names are checked against PEP 508's name grammar before they go into a URL, so a line
like ``../../admin`` is reported, not requested.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name

# PEP 508: letters, digits, and . _ - inside; must start and end with a letter or digit.
_NAME = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")


class SurveyInputError(Exception):
    """The project list cannot be read at all; the message names the file."""


@dataclass(frozen=True)
class ProjectEntry:
    name: str  # PEP 503 normalised
    rank: int
    downloads: int | None = None


@dataclass
class ProjectList:
    projects: list[ProjectEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # entries that were not usable


def _rows_from_json(document: object, path: Path) -> list[tuple[str, int | None]]:
    rows = document.get("rows") if isinstance(document, dict) else document
    if not isinstance(rows, list):
        raise SurveyInputError(f"{path}: expected a list of projects or an object with a 'rows' list")
    found: list[tuple[str, int | None]] = []
    for row in rows:
        if isinstance(row, str):
            found.append((row, None))
        elif isinstance(row, dict) and isinstance(row.get("project"), str):
            count = row.get("download_count")
            found.append((row["project"], count if isinstance(count, int) else None))
        else:
            found.append((repr(row)[:80], None))
    if any(count is not None for _, count in found):
        # Stable: equal counts keep the file's order.
        found.sort(key=lambda pair: -(pair[1] or 0))
    return found


def _rows_from_text(text: str) -> list[tuple[str, int | None]]:
    found: list[tuple[str, int | None]] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = re.split(r"[\s,]+", line)
        count = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        found.append((parts[0], count))
    return found


def read_project_list(path: Path, top: int | None = None) -> ProjectList:
    """The projects named by ``path``, the ``top`` first of them when given."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        raise SurveyInputError(f"cannot read the project list {path}: {problem}") from problem
    if path.suffix == ".json":
        try:
            rows = _rows_from_json(json.loads(text), path)
        except ValueError as problem:
            raise SurveyInputError(f"{path}: not valid JSON ({problem})") from problem
    else:
        rows = _rows_from_text(text)
    result = ProjectList()
    seen: set[str] = set()
    for raw_name, count in rows:
        if top is not None and len(result.projects) >= top:
            break
        if not _NAME.match(raw_name):
            result.problems.append(f"{path}: {raw_name!r} is not a valid project name; skipped")
            continue
        name = canonicalize_name(raw_name)
        if name in seen:
            continue
        seen.add(name)
        result.projects.append(ProjectEntry(name, len(result.projects) + 1, count))
    if not result.projects and not result.problems:
        raise SurveyInputError(f"{path}: names no project")
    return result
