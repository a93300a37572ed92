"""Builders: turn a sample's C/C++ sources into something the target interpreter loads.

* ``capi`` (:mod:`.capi`) - an extension module compiled against the target's headers.
* ``cffi`` (:mod:`.cffi_api`) - cffi's API mode, run inside the target interpreter (a
  per-interpreter build venv holds cffi), wherever cffi supports the interpreter.
* ``cffi-ctypes`` (:mod:`.cffi_ctypes`) - where cffi refuses the interpreter
  (free-threaded 3.13): the same C as a plain shared library, reached through ctypes
  with signatures from cffi's parser.

Every build lives in its own folder under the cache, named by a hash of the sample's
sources and the interpreter's identity, and is reused while neither changes. A folder
only becomes visible (renamed into place) once the build succeeded, so two runs never
see half a build.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...interpreters.provision import default_cache_dir
from ..sample import Sample
from .capi import build_capi
from .cffi_api import BuildVenvError, build_cffi, build_venv_python
from .cffi_ctypes import build_cffi_ctypes
from .toolchain import Toolchain, ToolchainError, query_toolchain

# Bump when the way builds are made changes, so old cached builds are not reused.
BUILDER_VERSION = "1"
MANIFEST = "manifest.json"


@dataclass
class BuildResult:
    ok: bool
    route: str  # "capi" | "cffi" | "cffi-ctypes"
    python: str  # the interpreter that runs the trials (a build venv's python for "cffi")
    log: str = ""  # every command and its output; the compiler's errors in full
    load: dict = field(default_factory=dict)  # how the child loads the build
    cached: bool = False
    notes: list[str] = field(default_factory=list)
    directory: Path | None = None


def builds_root(cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / "harness-builds"


def choose_route(sample: Sample, toolchain: Toolchain) -> str:
    if sample.kind == "capi":
        return "capi"
    major_minor = tuple(int(part) for part in toolchain.version.split(".")[:2])
    # cffi's policy (cffi 2.0): every GIL build; free-threaded only from 3.14 on.
    if toolchain.free_threaded and major_minor < (3, 14):
        return "cffi-ctypes"
    # cffi's generated code is not built for ThreadSanitizer; the plain library is.
    if toolchain.tsan:
        return "cffi-ctypes"
    return "cffi"


def build_sample(
    sample: Sample,
    python: str,
    *,
    tsan: bool = False,
    cache_dir: Path | None = None,
    route: str | None = None,
) -> BuildResult:
    """Build ``sample`` for the interpreter ``python`` (cached). Never raises for a bad sample."""
    try:
        toolchain = query_toolchain(str(python))
    except ToolchainError as error:
        return BuildResult(ok=False, route=route or sample.kind, python=str(python), log=str(error))
    route = route or choose_route(sample, toolchain)
    notes: list[str] = []
    run_python = str(python)
    if route == "cffi":
        try:
            run_python = str(build_venv_python(toolchain, cache_dir))
        except BuildVenvError as error:
            notes.append(
                f"cffi could not be installed for {python} ({error}); used the cffi-ctypes route instead"
            )
            route = "cffi-ctypes"
    key_material = json.dumps(
        [BUILDER_VERSION, route, tsan, sample.content_hash(), toolchain.identity(), run_python]
    )
    key = hashlib.sha256(key_material.encode()).hexdigest()[:24]
    root = builds_root(cache_dir)
    final = root / f"{sample.name.replace('/', '_')[:40]}-{key}"
    manifest_path = final / MANIFEST
    if manifest_path.is_file():
        load = json.loads(manifest_path.read_text())
        return BuildResult(
            ok=True,
            route=route,
            python=run_python,
            load=load,
            cached=True,
            notes=notes,
            log=(final / "build.log").read_text(errors="replace") if (final / "build.log").exists() else "",
            directory=final,
        )
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
    try:
        if route == "capi":
            ok, log, load = build_capi(sample, toolchain, staging, tsan=tsan)
        elif route == "cffi":
            ok, log, load = build_cffi(sample, toolchain, run_python, staging)
        else:
            ok, log, load = build_cffi_ctypes(sample, toolchain, staging, tsan=tsan)
        if not ok:
            return BuildResult(ok=False, route=route, python=run_python, log=log, notes=notes)
        (staging / "build.log").write_text(log)
        # The child loads files from the final folder, so paths are rewritten to it.
        load = {
            name: (value.replace(str(staging), str(final)) if isinstance(value, str) else value)
            for name, value in load.items()
        }
        (staging / MANIFEST).write_text(json.dumps(load))
        try:
            os.rename(staging, final)
        except OSError:
            # Another run finished the same build first; theirs is as good as ours.
            if not manifest_path.is_file():
                raise
        return BuildResult(
            ok=True, route=route, python=run_python, log=log, load=load, notes=notes, directory=final
        )
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
