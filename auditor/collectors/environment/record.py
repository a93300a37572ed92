"""The list of files a distribution installed: RECORD (dist-info) or
installed-files.txt (legacy egg-info), reduced to paths inside site-packages.

RECORD is CSV (path, hash, size) with paths relative to the folder holding the
.dist-info (the wheel spec, "The .dist-info directory"). Entries that leave that folder
("../../../bin/tool") are normal for scripts and data files: they are dropped silently
unless they name a module (.py, .so, .pyd), which must live inside site-packages, and
then they are reported. Absolute paths are always reported.
"""

from __future__ import annotations

import csv
import io
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from ...shared.regular_files import FileTooLargeError, NotRegularFileError, read_regular_file
from .metadata import MAX_METADATA_BYTES

# Only extension modules outside site-packages are worth a message: RECORD routinely
# lists scripts (pyelftools installs ../../../bin/readelf.py), headers and data files
# there, and reporting those would mark every ordinary environment's scan partial.
_EXTENSION_SUFFIXES = (".so", ".pyd")


@dataclass
class FileList:
    files: list[str] = field(default_factory=list)  # relative to site-packages, POSIX
    errors: list[str] = field(default_factory=list)
    found: bool = True  # False when the distribution has no file list at all


def _inside(relative: str, source: str, errors: list[str]) -> str | None:
    """``relative`` normalised, or None when it points outside site-packages."""
    relative = relative.replace("\\", "/")
    if "\x00" in relative:
        errors.append(f"{source}: path {relative!r} contains a NUL byte; ignored")
        return None
    if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        errors.append(f"{source}: absolute path {relative!r} ignored (entries must be relative)")
        return None
    normalised = posixpath.normpath(relative)
    if normalised == ".." or normalised.startswith("../"):
        if normalised.endswith(_EXTENSION_SUFFIXES):
            errors.append(f"{source}: {relative!r} points outside site-packages; ignored")
        return None
    if normalised == ".":
        return None
    return normalised


def _read_limited(path: Path, source: str, result: FileList) -> str | None:
    try:
        return read_regular_file(path, MAX_METADATA_BYTES).decode("utf-8", errors="replace")
    except FileNotFoundError:
        result.found = False
    except NotRegularFileError as error:
        result.errors.append(f"{source}: {str(error).split(': ', 1)[-1]}; not read")
    except FileTooLargeError:
        result.errors.append(
            f"{source}: over {MAX_METADATA_BYTES} bytes is too large for a file list; not read"
        )
    except OSError as error:
        result.errors.append(f"{source}: cannot be read ({error.strerror or error})")
    return None


def read_record(dist_info: Path) -> FileList:
    result = FileList()
    source = f"{dist_info.name}/RECORD"
    text = _read_limited(dist_info / "RECORD", source, result)
    if text is None:
        if not result.found:
            result.errors.append(f"{source} is missing: the distribution's files are unknown")
        return result
    # strict: every installer writes well-formed CSV, so a stray quote means corruption.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if not row or not row[0].strip():
                continue
            if len(row) > 3:
                result.errors.append(
                    f"{source} line {reader.line_num}: {len(row)} fields, expected 3 (path,hash,size)"
                )
            relative = _inside(row[0].strip(), source, result.errors)
            if relative is not None:
                result.files.append(relative)
    except csv.Error as error:
        result.errors.append(
            f"{source} line {reader.line_num}: not valid CSV ({error}); rest of RECORD ignored"
        )
    return result


def read_installed_files(egg_info: Path) -> FileList:
    """installed-files.txt: one path per line, relative to the .egg-info folder."""
    result = FileList()
    source = f"{egg_info.name}/installed-files.txt"
    text = _read_limited(egg_info / "installed-files.txt", source, result)
    if text is None:
        return result
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        relative = _inside(posixpath.join(egg_info.name, line.replace("\\", "/")), source, result.errors)
        if relative is not None:
            result.files.append(relative)
    return result
