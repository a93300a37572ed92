"""Reading a target wheel's extension modules before install (``--inspect-wheels``).

A ``cp313t`` wheel installs without a compiler, but its extensions may still not
declare ``Py_mod_gil = Py_MOD_GIL_NOT_USED``; CPython then re-enables the GIL when one
is imported (Python/import.c, PEP 703 "Py_mod_gil slot"). The scan finds that after
install; here the wheel is downloaded, its ``.so`` / ``.pyd`` files are extracted to a
temporary folder and read by the same analysis the scan uses
(:func:`auditor.collectors.binary.read_extension`: ELF, Mach-O and PE), nothing is imported or run.
With ``--platform`` the wheel of each platform asked is read, for that platform; without,
a Linux (ELF) wheel. The answer is cached per wheel URL, target, platform and analyser
version, so a warm run downloads nothing.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from packaging.utils import parse_wheel_filename

from ...model.environment import ExtensionModule, GilDeclaration
from ..binary import analyser_fingerprint, read_extension
from ..binary.facts import native_libraries_note
from ..binary.import_order import other_interpreters_note, split_by_import_choice
from ..binary.target import Target, expand_platform
from .index.client import IndexClient, IndexFetchError
from .index.metadata import hash_problem
from .index.project_page import IndexFile

DEFAULT_MAX_WHEEL_BYTES = 100 * 2**20
_ELF_PLATFORM_PREFIXES = ("manylinux", "musllinux", "linux_")


@dataclass
class WheelInspection:
    wheel: str
    gil_fallback: bool | None
    gil_fallback_modules: list[str] = field(default_factory=list)
    extensions: int = 0
    problems: list[str] = field(default_factory=list)
    # What was read but not judged (shared libraries without a module init, other
    # interpreters' builds of a module), for a user.
    notes: list[str] = field(default_factory=list)


def choose_inspectable_wheel(filenames: list[str], platform: str | None = None) -> str | None:
    """The first wheel among ``filenames`` built for an ELF platform, or, with ``platform``
    (a wheel platform tag as given to ``--platform``), the first one a machine with that
    platform installs (``macosx_11_0_arm64`` accepts a ``macosx_10_15_universal2`` wheel)."""
    accepted = set(expand_platform(platform)) if platform else None
    for filename in filenames:
        tags = parse_wheel_filename(filename)[3]
        if accepted is None:
            if any(tag.platform.startswith(_ELF_PLATFORM_PREFIXES) for tag in tags):
                return filename
        elif any(tag.platform in accepted for tag in tags):
            return filename
    return None


def _is_bundled_library(relative: PurePosixPath) -> bool:
    """auditwheel/delocate copy shared libraries into ``<package>.libs/``; they are not
    extension modules (no PyInit_*), and neither is a ``lib*.so`` without an ABI tag.

    A ``.pyd`` is always an extension module (Windows names its libraries ``.dll``), whatever
    its name: mypy ships ``mypyc/primitives/librt_time_ops.cp315t-win_amd64.pyd``, whose
    Windows tag has neither ``.cpython-`` nor ``.abi3.`` in it.
    """
    if any(part.endswith(".libs") for part in relative.parts[:-1]):
        return True
    name = relative.name
    if name.endswith(".pyd"):
        return False
    return name.startswith("lib") and ".cpython-" not in name and ".abi3." not in name


def _site_relative(member: str) -> PurePosixPath | None:
    """Where a wheel member lands relative to site-packages; None for unsafe names."""
    path = PurePosixPath(member)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        return None
    # PEP 427: <name>.data/platlib/... and .../purelib/... install into site-packages.
    if len(path.parts) > 2 and path.parts[0].endswith(".data") and path.parts[1] in ("platlib", "purelib"):
        return PurePosixPath(*path.parts[2:])
    return path


def read_wheel_extensions(
    wheel_bytes: bytes,
    filename: str,
    target: Target,
    distribution: str,
    platform: str | None = None,
    native_libraries: list[str] | None = None,
    other_interpreter_files: list[str] | None = None,
) -> tuple[list[ExtensionModule], list[str]]:
    """Every extension module of one wheel (already downloaded and checked), read for
    ``target``, and the problems met; never raises for a bad wheel.

    A ``.so`` / ``.pyd`` that is a readable shared library but exports no module init
    (pycryptodome's ``_raw_*.abi3.so``, loaded with ctypes) is no module: CPython never
    imports it, so it cannot re-enable the GIL. It is left out of the extensions and its
    path goes to ``native_libraries`` when given. A file that cannot be read stays an
    extension with its error: it may be a damaged module.

    When a module has a file the target imports and builds for other interpreters beside it
    (pymongo ships one per CPython), only that file is read; the others go to
    ``other_interpreter_files`` when given (:mod:`auditor.collectors.binary.import_order`).
    """
    extensions: list[ExtensionModule] = []
    problems: list[str] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(wheel_bytes))
    except zipfile.BadZipFile as problem:
        return extensions, [f"{filename}: not a readable wheel ({problem})"]
    with archive, tempfile.TemporaryDirectory(prefix="ftaudit-wheel-") as scratch:
        site = Path(scratch)
        members: dict[str, tuple[zipfile.ZipInfo, PurePosixPath]] = {}
        for member in archive.infolist():
            if member.is_dir() or not member.filename.endswith((".so", ".pyd")):
                continue
            relative = _site_relative(member.filename)
            if relative is None:
                problems.append(f"{filename}: unsafe member name {member.filename!r} skipped")
                continue
            if not _is_bundled_library(relative):
                members[relative.as_posix()] = (member, relative)
        judged, left_out = split_by_import_choice(members, target)
        if other_interpreter_files is not None:
            other_interpreter_files.extend(left_out)
        for path in judged:
            member, relative = members[path]
            destination = site.joinpath(*relative.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.read(member))
            facts = read_extension(destination, site, target.name, platform=platform)
            if facts.is_plain_library:
                if native_libraries is not None:
                    native_libraries.append(path)
                continue
            extensions.append(facts.extension)
    return extensions, problems


def summarise_extensions(
    filename: str,
    extensions: list[ExtensionModule],
    problems: list[str],
    native_libraries: list[str] | tuple[str, ...] = (),
    other_interpreter_files: list[str] | tuple[str, ...] = (),
) -> WheelInspection:
    """The wheel's GIL verdict from its modules: the one rule ``tree --inspect-wheels``
    and ``survey`` share, so the two cannot disagree. ``native_libraries`` (shared libraries
    without a module init) and ``other_interpreter_files`` (builds the target never imports
    beside the one it does) are not judged, only named in a note."""
    inspection = WheelInspection(wheel=filename, gil_fallback=None, problems=list(problems))
    if native_libraries:
        inspection.notes.append(native_libraries_note(native_libraries))
    if other_interpreter_files:
        inspection.notes.append(other_interpreters_note(other_interpreter_files))
    for extension in extensions:
        inspection.extensions += 1
        inspection.problems.extend(extension.errors)
        if extension.gil is GilDeclaration.USED:
            inspection.gil_fallback_modules.append(extension.module)
        elif extension.gil is GilDeclaration.UNKNOWN:
            inspection.problems.append(f"{extension.module}: the GIL declaration could not be read")
    if inspection.gil_fallback_modules:
        inspection.gil_fallback = True
    elif inspection.extensions and not inspection.problems:
        inspection.gil_fallback = False
    elif not inspection.extensions and not problems:
        # A platform wheel without extension modules; not one whose members were unreadable.
        inspection.gil_fallback = False
    return inspection


def analyse_wheel(
    wheel_bytes: bytes, filename: str, target: Target, distribution: str, platform: str | None = None
) -> WheelInspection:
    """One wheel's GIL verdict; ``platform`` (a wheel platform tag) judges a macOS or
    Windows wheel for its own platform rather than for this host."""
    native_libraries: list[str] = []
    other_interpreter_files: list[str] = []
    extensions, problems = read_wheel_extensions(
        wheel_bytes, filename, target, distribution, platform, native_libraries, other_interpreter_files
    )
    return summarise_extensions(filename, extensions, problems, native_libraries, other_interpreter_files)


def inspect_wheel(
    client: IndexClient,
    file: IndexFile,
    target: Target,
    distribution: str,
    max_bytes: int = DEFAULT_MAX_WHEEL_BYTES,
    platform: str | None = None,
) -> WheelInspection:
    """Download ``file`` (a wheel) and read its extensions' GIL declarations for ``platform``
    (a wheel platform tag; None: as this Linux host would); never raises."""
    # Keyed by the reader's own source: a reader that learnt a release's slot ids re-reads.
    cache_key = f"{file.url}#ftaudit-gil-inspection/{target.name}/{platform or ''}/{analyser_fingerprint()}"
    cached = client.load_derived(cache_key)
    if cached is not None:
        try:
            return WheelInspection(**json.loads(cached))
        except (TypeError, ValueError):
            pass
    try:
        response = client.fetch(file.url, store=False, max_bytes=max_bytes)
    except IndexFetchError as problem:
        return WheelInspection(wheel=file.filename, gil_fallback=None, problems=[str(problem)])
    mismatch = hash_problem(response.body, file.hashes, file.filename)
    if mismatch:
        return WheelInspection(wheel=file.filename, gil_fallback=None, problems=[mismatch])
    inspection = analyse_wheel(response.body, file.filename, target, distribution, platform)
    client.store_derived(cache_key, json.dumps(inspection.__dict__).encode())
    return inspection
