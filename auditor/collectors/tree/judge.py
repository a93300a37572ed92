"""Judging one release's files for a target: does it ship a wheel the target can load?

A wheel is usable when one of the tags in its file name (``parse_wheel_filename``
expands compressed tag sets such as ``manylinux_2_17_x86_64.manylinux2014_x86_64``) is
in the target's tag set. The answer is one of:

* ``ready`` - a wheel built for the target's own ABI (``cp313t``): it installs without
  a compiler. (Whether its extensions keep the GIL disabled is for ``scan``/``probe``
  to say once installed.)
* ``pure`` - only wheels without a Python ABI (``py3-none-any``) fit: nothing to
  compile, but Python-level thread-safety is a separate question.
* ``needs-build`` - only an sdist, or only binary wheels for other ABIs (``cp313``,
  ``abi3`` - which free-threaded 3.13/3.14 cannot load - or other platforms).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.tags import Tag
from packaging.utils import InvalidWheelFilename
from packaging.version import InvalidVersion, Version

from ..binary.target import Target
from .index.project_page import parse_wheel_name

READY = "ready"
PURE = "pure"
NEEDS_BUILD = "needs-build"
UNKNOWN = "unknown"


@dataclass
class FileLike:
    """The little a judgement needs from a file: its name and Requires-Python."""

    filename: str
    requires_python: str | None = None


@dataclass
class ReleaseJudgement:
    status: str
    matching_files: list[str] = field(default_factory=list)
    reason: str = ""


def wheel_tags(filename: str) -> frozenset[Tag] | None:
    try:
        return parse_wheel_name(filename)[2]
    except (InvalidWheelFilename, InvalidVersion):
        return None


def python_supported(requires_python: str | None, target: Target) -> bool:
    if not requires_python:
        return True
    return _python_supported(requires_python, target.marker_environment["python_full_version"])


@functools.lru_cache(maxsize=8192)
def _python_supported(requires_python: str, python_full_version: str) -> bool:
    # Memoised: a project repeats the same few Requires-Python strings on thousands of files.
    try:
        specifier = SpecifierSet(requires_python)
    except InvalidSpecifier:
        # pip ignores an invalid Requires-Python too (with a warning).
        return True
    return specifier.contains(Version(python_full_version), prereleases=True)


def tags_of(file: FileLike) -> frozenset[Tag] | None:
    """A file's wheel tags: parsed with its page when it came from an index."""
    tags = getattr(file, "tags", None)
    return tags if tags is not None else wheel_tags(file.filename)


def _describe_other_wheels(tags: Iterable[Tag], target: Target) -> str:
    abis = sorted({tag.abi for tag in tags})
    platforms = sorted({tag.platform for tag in tags})
    notes = []
    if "abi3" in abis and target.free_threaded:
        notes.append(
            f"abi3 wheels cannot load on free-threaded {target.name[:-1]} (the stable ABI "
            "needs the GIL build until abi3t, PEP 803, in 3.15)"
        )
    if any(tag.abi == target.abi for tag in tags):
        notes.append(f"its {target.abi} wheels are for other platforms ({', '.join(platforms[:4])})")
    text = f"binary wheels only for {', '.join(abis)}"
    return text + ("; " + "; ".join(notes) if notes else "")


def judge_release(files: Iterable[FileLike], target: Target) -> ReleaseJudgement:
    """Judge one release by its own files."""
    files = list(files)
    ready: list[str] = []
    pure: list[str] = []
    other_tags: set[Tag] = set()
    sdists: list[str] = []
    excluded_by_python: list[str] = []
    for file in files:
        if not python_supported(file.requires_python, target):
            excluded_by_python.append(file.filename)
            continue
        if not file.filename.endswith(".whl"):
            sdists.append(file.filename)
            continue
        tags = tags_of(file)
        if tags is None:
            continue
        if tags & target.binary_tags:
            ready.append(file.filename)
        elif tags & target.generic_tags:
            pure.append(file.filename)
        else:
            other_tags.update(tags)
    if ready:
        return ReleaseJudgement(
            READY, sorted(ready), f"ships {len(ready)} {target.abi} wheel(s) for the platform"
        )
    if pure:
        return ReleaseJudgement(
            PURE,
            sorted(pure),
            "only wheels without compiled code for this Python (e.g. py3-none-any): installs as is;"
            " Python-level thread-safety is a separate question",
        )
    if not files:
        return ReleaseJudgement(UNKNOWN, [], "the release has no files")
    if excluded_by_python and not (sdists or other_tags):
        return ReleaseJudgement(
            NEEDS_BUILD, [], f"every file's Requires-Python excludes Python {target.name.rstrip('t')}"
        )
    parts = []
    if other_tags:
        parts.append(_describe_other_wheels(other_tags, target))
    if sdists:
        parts.append("an sdist" + (" only" if not other_tags else ""))
    return ReleaseJudgement(
        NEEDS_BUILD,
        [],
        f"no {target.abi} wheel for the platform: "
        + "; ".join(parts)
        + " - pip would compile it from source",
    )
