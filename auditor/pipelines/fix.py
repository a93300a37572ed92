"""``ftaudit fix``: mechanical fixes for Python (LibCST codemods) and suggested C patches.

Python: :func:`fix_python_file` runs the codemods of the selected rules and returns the
new text; :func:`fix_paths` does that for a tree and returns unified diffs, writing
files only when asked. C/C++: :func:`c_suggestions` returns suggested patches that are
printed, never applied.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..engine.source_checks import language_for
from ..model.source import FileProblem
from ..rules.fixes.c_suggestions import suggest_patch
from .source_scan import scan_source

# Rule code -> codemod (text -> text). Only rules with a fix that is always safe.
PYTHON_CODEMODS = {"FTP003": "auditor.rules.fixes.lazy_init_lock:fix_lazy_init"}


@dataclass
class FixResult:
    diffs: dict[str, str] = field(default_factory=dict)  # path -> unified diff (Python, applicable)
    suggestions: list[str] = field(default_factory=list)  # C patches, for a person
    written: list[str] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


def _codemod(reference: str):
    import importlib

    module_name, attribute = reference.split(":")
    return getattr(importlib.import_module(module_name), attribute)


def fix_python_source(text: str, rules: set[str] | None = None) -> str:
    for code, reference in sorted(PYTHON_CODEMODS.items()):
        if rules and code not in rules:
            continue
        text = _codemod(reference)(text)
    return text


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path.lstrip('/')}",
            tofile=f"b/{path.lstrip('/')}",
        )
    )


def fix_paths(paths: list[Path], *, apply: bool = False, rules: set[str] | None = None) -> FixResult:
    """Diffs for every Python file the codemods change (written back when ``apply``), and
    suggested patches for C/C++ findings that have one."""
    import libcst

    result = FixResult()
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(candidate for candidate in path.rglob("*") if candidate.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            result.problems.append(FileProblem(str(path), "no such file or folder"))
    python_files = [path for path in files if language_for(path) == "python"]
    c_files = [path for path in files if language_for(path) in ("c", "cpp")]
    for path in python_files:
        try:
            before = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            result.problems.append(FileProblem(str(path), f"cannot read: {error}"))
            continue
        if "global" not in before and " in " not in before:
            continue
        try:
            after = fix_python_source(before, rules)
        except libcst.ParserSyntaxError as error:
            result.problems.append(FileProblem(str(path), f"syntax error: {error.message}"))
            continue
        if after != before:
            result.diffs[str(path)] = unified_diff(str(path), before, after)
            if apply:
                path.write_text(after, encoding="utf-8")
                result.written.append(str(path))
    if c_files and (not rules or "FTC003" in rules):
        scanned = scan_source(c_files, rules={"FTC003"}, use_cache=False)
        lines_by_path: dict[str, list[str]] = {}
        for finding in scanned.findings:
            if finding.suppressed or finding.location is None:
                continue
            path = finding.location.path
            if path not in lines_by_path:
                lines_by_path[path] = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
            patch = suggest_patch(finding, lines_by_path[path])
            if patch:
                result.suggestions.append(patch)
    return result
