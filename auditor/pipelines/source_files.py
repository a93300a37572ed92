"""Which files a source scan reads: folders walked, single files, sdists extracted safely;
each file read and hashed once here (milliseconds) so the cache can answer first.

Build files (setup.py, pyproject.toml, CMakeLists.txt...) are kept as text per root:
a project-wide setting in one (a Cython directive, nanobind's FREE_THREADED) changes what
some findings mean.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..collectors.source.archives import ExtractionBudget, extract_archive, is_archive
from ..engine.source_checks import MAX_FILE_BYTES, content_key, language_for
from ..model.source import FileProblem, SourceScanResult
from ..shared.regular_files import FileTooLargeError, read_regular_file, regular_file_problem

_SKIPPED_DIRECTORIES = {
    ".git",
    ".hg",
    ".svn",
    ".tox",
    ".nox",
    ".venv",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "node_modules",
    ".eggs",
}
# Test code, by the names projects give it: a folder of tests, test modules, C test
# harnesses and fuzzers (CPython's Modules/_testcapi/, _testbuffer.c, _xxtestfuzz/).
_TEST_DIRECTORY = re.compile(
    r"^(?:tests?|testing|unittests?|test_\w+|\w+_tests?|_test\w*|\w*testfuzz\w*|fuzz(?:ing|ers?)?)$",
    re.IGNORECASE,
)
_TEST_FILE = re.compile(
    r"^(?:test_\w*|\w*_tests?|conftest|_test\w*|\w*_fuzzer|fuzz_\w*)\.(?:py|pyx|c|cc|cpp|cxx|h|hpp)$",
    re.IGNORECASE,
)


def is_test_path(relative: Path) -> bool:
    """Whether a path under a scanned folder is test code (``tests/x.py``, ``test_io.py``,
    ``_testcapimodule.c``); the folder named on the command line itself never counts."""
    *folders, name = relative.parts
    return any(_TEST_DIRECTORY.match(folder) for folder in folders) or _TEST_FILE.match(name) is not None


_BUILD_FILES = {"setup.py", "pyproject.toml", "setup.cfg", "meson.build", "CMakeLists.txt"}
_NOT_A_SOURCE_FILE = (
    "not a source file ftaudit reads (.c .h .cc .cpp .cxx .hpp .pyx .pxd .pxi .rs .py) or an sdist archive"
)


@dataclass
class SourceFile:
    path: Path  # where the bytes are on disk
    display: str  # what findings call it
    language: str
    root_index: int
    data: bytes = b""
    key: str = ""
    mentions_ftaudit: bool = False  # may hold a suppression comment


@dataclass
class SourceListing:
    files: list[SourceFile] = field(default_factory=list)
    # Root index -> the text of each build file found under that root.
    build_texts: dict[int, list[str]] = field(default_factory=dict)


def too_large_message() -> str:
    return f"over the {MAX_FILE_BYTES}-byte limit for source checks (generated code?); skipped"


def _walk(root: Path) -> Iterator[Path]:
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(name for name in subdirectories if name not in _SKIPPED_DIRECTORIES)
        for name in sorted(files):
            yield Path(directory) / name


def list_source_files(
    paths: list[Path], work_folder: Path, result: SourceScanResult, *, include_tests: bool = False
) -> SourceListing:
    """Every source file under ``paths``; what cannot be read goes to ``result.problems``
    (which makes the scan partial), what is not a source file to ``result.skipped``. Test
    code inside a folder or sdist is counted in ``result.test_files_skipped`` and left out
    unless ``include_tests``; a test file named on its own is always read."""
    listing = SourceListing()
    budget = ExtractionBudget()
    for root_index, raw_path in enumerate(paths):
        path = Path(raw_path)
        if not path.exists():
            result.problems.append(FileProblem(str(path), "no such file or folder"))
            continue
        if is_archive(path):
            extracted = extract_archive(path, work_folder / f"archive-{root_index}", budget)
            result.problems.extend(extracted.problems)
            _list_folder(extracted.folder, f"{path}::", root_index, listing, result, include_tests)
        elif path.is_dir():
            _list_folder(path, None, root_index, listing, result, include_tests)
        else:
            _list_named_file(path, root_index, listing, result)
    return listing


def _list_folder(
    base: Path,
    prefix: str | None,
    root_index: int,
    listing: SourceListing,
    result: SourceScanResult,
    include_tests: bool,
) -> None:
    for candidate in _walk(base):
        relative = candidate.relative_to(base)
        shown = f"{prefix}{relative.as_posix()}" if prefix else str(candidate)
        language = language_for(candidate)
        if language is not None and not include_tests and is_test_path(relative):
            result.test_files_skipped += 1
            continue
        if language is not None and _refused_as_not_regular(candidate, shown, result):
            continue
        _keep_build_file(candidate, root_index, listing)
        if language is not None and candidate.is_file():
            listing.files.append(SourceFile(candidate, shown, language, root_index))


def _list_named_file(path: Path, root_index: int, listing: SourceListing, result: SourceScanResult) -> None:
    if _refused_as_not_regular(path, str(path), result):
        return
    _keep_build_file(path, root_index, listing)
    language = language_for(path)
    if language is None:
        # Named explicitly but not a language the rules read: say so, without calling
        # the result partial (nothing was asked of it).
        result.skipped.append(FileProblem(str(path), _NOT_A_SOURCE_FILE))
    elif path.is_file():
        listing.files.append(SourceFile(path, str(path), language, root_index))


def _refused_as_not_regular(candidate: Path, shown: str, result: SourceScanResult) -> bool:
    # A FIFO or a link to /dev/zero is not a source file: reading it would hang or never
    # end, and passing over it in silence would hide it.
    not_regular = regular_file_problem(candidate)
    if not_regular is not None:
        result.problems.append(FileProblem(shown, not_regular))
    return not_regular is not None


def _keep_build_file(candidate: Path, root_index: int, listing: SourceListing) -> None:
    if candidate.name not in _BUILD_FILES:
        return
    try:
        text = read_regular_file(candidate, MAX_FILE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return  # a project setting we cannot read only costs its effect on FTC007/FTC009
    listing.build_texts.setdefault(root_index, []).append(text)


def read_and_hash(files: list[SourceFile], result: SourceScanResult) -> list[SourceFile]:
    """The files that could be read, each with its content key; the others are problems."""
    readable: list[SourceFile] = []
    for source_file in files:
        try:
            source_file.data = read_regular_file(source_file.path, MAX_FILE_BYTES)
        except FileTooLargeError:
            result.problems.append(FileProblem(source_file.display, too_large_message()))
            continue
        except OSError as error:
            result.problems.append(
                FileProblem(source_file.display, f"cannot read: {error.strerror or error}")
            )
            continue
        source_file.key = content_key(source_file.data, source_file.language)
        # Only a flag is kept: holding every file's bytes until the end made memory
        # grow with the whole tree (3 GB for three large sdists). The workers read
        # the file again; suppressions re-read it when it has findings.
        source_file.mentions_ftaudit = b"ftaudit" in source_file.data
        source_file.data = b""
        readable.append(source_file)
    return readable
