"""A local index serving the real free-threaded wheels setup cached, plus a few built here.

The real wheels (tests/data/free_threaded_wheels.json, several generators: Cython, PyO3,
pybind11, nanobind, mypyc, hand-written C) are served as they are, byte for byte, next to
small releases built by _index_server for the cases the real ones do not cover: a project
whose first free-threaded release re-enabled the GIL and whose next one does not, an
sdist-only project and a pure-Python one.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path

import pytest
from _index_server import LINUX, FixtureIndex, Release, ServedFile, compiled_core_extension

from auditor.collectors.interpreters.provision import find_provisioned
from auditor.model.serialize import to_dict

REPOSITORY = Path(__file__).resolve().parent.parent
# The Linux x86-64 wheels: what a survey judges on its default platform (the manifest
# also pins aarch64 and, later, macOS and Windows wheels for the binary-reader tests).
MANIFEST = [
    entry
    for entry in json.loads((REPOSITORY / "tests" / "data" / "free_threaded_wheels.json").read_text())[
        "wheels"
    ]
    if "x86_64" in entry["filename"] and "linux" in entry["filename"]
]
sys.path.insert(0, str(REPOSITORY / "scripts"))
from fetch_test_wheels import cache_folder  # noqa: E402

REAL_PROJECTS = sorted({entry["project"] for entry in MANIFEST})


def real_wheels() -> list[tuple[dict, Path]]:
    """Every pinned real wheel and its cached file; fails (never skips) when setup did not fetch it."""
    found = []
    for entry in MANIFEST:
        path = cache_folder() / entry["filename"]
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            pytest.fail(f"{path} is missing or not the pinned file: run scripts/setup.sh")
        found.append((entry, path))
    return found


def built_releases() -> list[Release]:
    """coreproj: 1.0 is its first cp313t release and re-enables the GIL, 2.0 declares
    Py_MOD_GIL_NOT_USED (both real extensions compiled with the free-threaded 3.13)."""
    python = find_provisioned()
    if python is None:
        pytest.fail("no provisioned free-threaded 3.13 (run `ftaudit provision`) to build the extensions")
    keeper, keeper_name = compiled_core_extension(str(python.executable), False)
    free, free_name = compiled_core_extension(str(python.executable), True)
    return [
        Release("coreproj", "0.9", [f"cp313-cp313-{LINUX}"], sdist=True),
        Release("coreproj", "1.0", [f"cp313-cp313t-{LINUX}"], binaries={f"coreproj/{keeper_name}": keeper}),
        Release("coreproj", "2.0", [f"cp313-cp313t-{LINUX}"], binaries={f"coreproj/{free_name}": free}),
        Release("sdistproj", "1.0", [], sdist=True),
        Release("pureproj", "1.0", ["py3-none-any"]),
    ]


def survey_index(build_dir: Path, *, latency_seconds: float = 0.0, releases=None) -> FixtureIndex:
    """A FixtureIndex (not started) serving the real wheels and ``releases`` (default:
    :func:`built_releases`)."""
    index = FixtureIndex(
        built_releases() if releases is None else releases, build_dir, latency_seconds=latency_seconds
    )
    for entry, path in real_wheels():
        served = ServedFile(entry["filename"], path, Release(entry["project"], entry["version"]), None)
        index.files[entry["filename"]] = served
        index.projects.setdefault(entry["project"], []).append(served)
    return index


def comparable(result) -> dict:
    """A survey as a dict without what legitimately differs between runs and engines:
    when it ran, how long things took, which worker read a wheel."""
    document = copy.deepcopy(to_dict(result))
    document.pop("created")
    document.pop("stats")
    for project in document["projects"]:
        for target in project["targets"]:
            for release in (target["latest"], target["first_ready"]):
                if release and release["wheel"]:
                    for key in ("worker", "download_seconds", "analysis_seconds"):
                        release["wheel"].pop(key)
    return document
