"""Build one migration report out of the pieces the other commands write.

``scan``, ``probe``, ``hammer``, ``scan-source`` and ``tree`` each write a JSON
document (an :class:`~auditor.model.AuditReport` with one section filled, or the bare
section). :func:`build_report` merges any number of them, in order:

* a later scan section *refines* an earlier one: distributions are matched by their
  normalised name (PEP 503) and extensions by module name, so a probe run over the same
  environment adds ``runtime_gil`` and agreement to the static results rather than
  listing every distribution twice;
* findings are de-duplicated by :attr:`~auditor.model.Finding.fingerprint`;
* hammer samples are matched by name (the later run wins), as are tree packages.

:func:`auditor.pipelines.report_advice.next_steps` turns a report into concrete advice.
"""

from __future__ import annotations

import copy
import json
from os import PathLike
from pathlib import Path
from typing import Any

from ..collectors.environment.names import normalize_name
from ..model import (
    SCHEMA_VERSION,
    AuditReport,
    Distribution,
    ExtensionModule,
    Finding,
    SampleResult,
    ScanResult,
    SourceScanResult,
    TreeResult,
    Verdict,
)
from ..model.serialize import from_dict
from ..shared.regular_files import FileTooLargeError, read_regular_file

ReportSource = AuditReport | ScanResult | SourceScanResult | TreeResult | list | dict | str | PathLike


# The deepest document ftaudit writes nests 7 levels (report > scan > distributions >
# extension > findings > evidence); real input never comes near this, and a JSON bomb
# of nested brackets is refused before any recursive code walks it.
MAX_REPORT_DEPTH = 64
# A scan of 300 distributions is 2 MB of JSON; a 256 MiB input is not a report.
MAX_REPORT_BYTES = 256 * 1024 * 1024


class ReportInputError(ValueError):
    """An input document that cannot be read or is not an ftaudit document."""


def build_report(*sources: ReportSource, target: str | None = None) -> AuditReport:
    """Merge reports, sections, JSON dicts or JSON files (paths) into one AuditReport.

    Raises :class:`ReportInputError` naming the input that could not be read.
    """
    merged = AuditReport.create()
    targets: list[str] = []
    for source in sources:
        # Merging refines sections in place; the caller's objects stay as they were.
        piece = copy.deepcopy(_as_report(source))
        if piece.target and (piece.scan or piece.source or piece.hammer or piece.tree or piece.findings):
            targets.append(piece.target)
        _merge_into(merged, piece)
    merged.target = (
        target or (merged.scan.target if merged.scan else None) or (targets[0] if targets else "3.13t")
    )
    return merged


def load_report(path: str | PathLike) -> AuditReport:
    """Read one JSON document written by any ftaudit command."""
    return _as_report(Path(path))


Section = ScanResult | SourceScanResult | TreeResult | list[SampleResult]


def _section_report(section: Section) -> AuditReport:
    """A bare section as a report of its own, unstamped: it is an input to merge, and the
    merged report is the one :meth:`AuditReport.create` stamps."""
    if isinstance(section, ScanResult):
        return AuditReport(target=section.target, scan=section)
    if isinstance(section, SourceScanResult):
        return AuditReport(source=section)
    if isinstance(section, TreeResult):
        return AuditReport(target=section.target, tree=section)
    return AuditReport(hammer=list(section))


def _as_report(source: ReportSource) -> AuditReport:
    if isinstance(source, AuditReport):
        return source
    if isinstance(source, (ScanResult, SourceScanResult, TreeResult)):
        return _section_report(source)
    if isinstance(source, list) and source and all(isinstance(item, SampleResult) for item in source):
        return _section_report(source)
    if isinstance(source, (str, PathLike)):
        path = Path(source)
        try:
            data = parse_report_json(read_regular_file(path, MAX_REPORT_BYTES))
        except FileTooLargeError as error:
            raise ReportInputError(
                f"{path}: over {MAX_REPORT_BYTES} bytes, not a report ftaudit wrote"
            ) from error
        except OSError as error:
            raise ReportInputError(f"{path}: cannot read it ({error.strerror or error})") from error
        except ReportInputError as error:
            raise ReportInputError(f"{path}: {error}") from error
        try:
            return _report_from_json(data)
        except ReportInputError as error:
            raise ReportInputError(f"{path}: {error}") from error
    if isinstance(source, (dict, list)):
        return _report_from_json(source)
    raise ReportInputError(f"cannot build a report from a {type(source).__name__}")


def _refuse_constant(name: str) -> None:
    raise ReportInputError(f"{name} is not a JSON value (ftaudit never writes NaN or Infinity)")


def _depth(data: Any) -> int:
    """How deeply lists and objects nest, counted without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, (list, dict)):
            deepest = max(deepest, level)
            if level > MAX_REPORT_DEPTH:
                break
            stack.extend((item, level + 1) for item in (value.values() if isinstance(value, dict) else value))
    return deepest


def parse_report_json(raw: bytes | str) -> Any:
    """The JSON value of an input document, refused with :class:`ReportInputError` when it
    is not JSON, uses NaN/Infinity, or nests deeper than any ftaudit document does."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ReportInputError(
            f"not a JSON document ftaudit wrote: nested deeper than {MAX_REPORT_DEPTH} levels"
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        if isinstance(error, ReportInputError):
            raise
        raise ReportInputError(f"not a JSON document ({error})") from error
    if _depth(data) > MAX_REPORT_DEPTH:
        raise ReportInputError(
            f"not a JSON document ftaudit wrote: nested deeper than {MAX_REPORT_DEPTH} levels"
        )
    return data


def _report_from_json(data: Any) -> AuditReport:
    """Recognise a whole report or a bare section by its keys."""
    try:
        if isinstance(data, list):
            return _section_report([from_dict(SampleResult, item, strict=True) for item in data])
        if not isinstance(data, dict):
            raise ReportInputError(f"expected a JSON object, found {type(data).__name__}")
        if "schema_version" in data:
            version = str(data["schema_version"])
            if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
                raise ReportInputError(
                    f"schema version {version} is not readable by this ftaudit (it reads "
                    f"{SCHEMA_VERSION.split('.')[0]}.x); upgrade ftaudit"
                )
            return from_dict(AuditReport, data, strict=True)
        if "distributions" in data and "site_packages" in data:
            return _section_report(from_dict(ScanResult, data, strict=True))
        if "roots" in data and "files_checked" in data:
            return _section_report(from_dict(SourceScanResult, data, strict=True))
        if "packages" in data and "index_url" in data:
            return _section_report(from_dict(TreeResult, data, strict=True))
        if "samples" in data and isinstance(data["samples"], list):
            return _section_report([from_dict(SampleResult, item, strict=True) for item in data["samples"]])
    except (TypeError, ValueError, KeyError) as error:
        if isinstance(error, ReportInputError):
            raise
        raise ReportInputError(f"not a valid ftaudit document ({error})") from error
    raise ReportInputError(
        "not an ftaudit document (no schema_version, and not a scan, source, tree or hammer section)"
    )


def _merge_into(merged: AuditReport, piece: AuditReport) -> None:
    if piece.scan:
        merged.scan = piece.scan if merged.scan is None else _merge_scans(merged.scan, piece.scan)
    if piece.source:
        merged.source = piece.source if merged.source is None else _merge_sources(merged.source, piece.source)
    if piece.hammer is not None:
        by_name = {sample.name: sample for sample in merged.hammer or []}
        for sample in piece.hammer:
            by_name[sample.name] = sample
        merged.hammer = list(by_name.values())
    if piece.tree:
        merged.tree = piece.tree if merged.tree is None else _merge_trees(merged.tree, piece.tree)
    if piece.tree_targets:
        # A later multi-target tree replaces the judgement of each target it covers.
        by_target = {tree.target: tree for tree in merged.tree_targets or []}
        by_target.update({tree.target: tree for tree in piece.tree_targets})
        merged.tree_targets = list(by_target.values())
    merged.findings = _unique_findings(merged.findings + piece.findings)


def _unique_findings(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    unique = []
    for finding in findings:
        if finding.fingerprint not in seen:
            seen.add(finding.fingerprint)
            unique.append(finding)
    return unique


def _merge_scans(first: ScanResult, later: ScanResult) -> ScanResult:
    by_name = {normalize_name(d.name): d for d in first.distributions}
    for distribution in later.distributions:
        existing = by_name.get(normalize_name(distribution.name))
        if existing is None or existing.version != distribution.version:
            # A different version is a different installation: keep both rather than mix.
            key = (
                normalize_name(distribution.name)
                if existing is None
                else (f"{normalize_name(distribution.name)}=={distribution.version}")
            )
            by_name[key] = distribution
            continue
        _merge_distribution(existing, distribution)
    first.distributions = list(by_name.values())
    first.site_packages = _union(first.site_packages, later.site_packages)
    first.errors = _union(first.errors, later.errors)
    first.partial = first.partial or later.partial
    first.probed_with = later.probed_with or first.probed_with
    first.interpreter = first.interpreter or later.interpreter
    first.duration_seconds += later.duration_seconds
    return first


def _merge_distribution(existing: Distribution, later: Distribution) -> None:
    by_module = {extension.module: extension for extension in existing.extensions}
    for extension in later.extensions:
        match = by_module.get(extension.module)
        if match is None:
            existing.extensions.append(extension)
        else:
            _merge_extension(match, extension)
    # A later, probed scan has seen more; its verdict and reason stand unless it could
    # not decide and the earlier one could.
    if later.verdict is not Verdict.UNKNOWN or existing.verdict is Verdict.UNKNOWN:
        existing.verdict = later.verdict
        existing.reason = later.reason or existing.reason
    existing.findings = _unique_findings(existing.findings + later.findings)
    existing.errors = _union(existing.errors, later.errors)
    existing.free_threading_classifier = existing.free_threading_classifier or later.free_threading_classifier
    existing.wheel_tags = _union(existing.wheel_tags, later.wheel_tags)


def _merge_extension(existing: ExtensionModule, later: ExtensionModule) -> None:
    if later.runtime_gil is not None:
        existing.runtime_gil = later.runtime_gil
        existing.runtime_warning = later.runtime_warning
        existing.runtime_detail = later.runtime_detail
        existing.agrees_with_runtime = later.agrees_with_runtime
    existing.errors = _union(existing.errors, later.errors)


def _merge_sources(first: SourceScanResult, later: SourceScanResult) -> SourceScanResult:
    first.roots = _union(first.roots, later.roots)
    first.files_checked += later.files_checked
    first.files_from_cache += later.files_from_cache
    first.test_files_skipped += later.test_files_skipped
    first.findings = _unique_findings(first.findings + later.findings)
    seen = {(problem.path, problem.message) for problem in first.problems}
    first.problems += [problem for problem in later.problems if (problem.path, problem.message) not in seen]
    first.partial = first.partial or later.partial
    first.duration_seconds += later.duration_seconds
    return first


def _merge_trees(first: TreeResult, later: TreeResult) -> TreeResult:
    by_name = {normalize_name(package.name): package for package in first.packages}
    for package in later.packages:
        by_name[normalize_name(package.name)] = package
    later.packages = list(by_name.values())
    later.errors = _union(first.errors, later.errors)
    later.partial = first.partial or later.partial
    return later


def _union(first: list[str], later: list[str]) -> list[str]:
    return first + [item for item in later if item not in first]
