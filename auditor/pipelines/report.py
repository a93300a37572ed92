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

:func:`next_steps` turns a report into concrete advice, most urgent first.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any

from ..model import (
    SCHEMA_VERSION,
    AuditReport,
    Distribution,
    ExtensionModule,
    Finding,
    HammerVerdict,
    PackageWheelStatus,
    RuntimeGil,
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


def normalize_name(name: str) -> str:
    """PEP 503 normalisation: 'Foo.Bar_baz' and 'foo-bar-baz' are one project."""
    return re.sub(r"[-_.]+", "-", name).lower()


def build_report(*sources: ReportSource, target: str | None = None) -> AuditReport:
    """Merge reports, sections, JSON dicts or JSON files (paths) into one AuditReport.

    Raises :class:`ReportInputError` naming the input that could not be read.
    """
    from .. import __version__

    merged = AuditReport(tool_version=__version__)
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
    merged.created = datetime.now(UTC).replace(microsecond=0).isoformat()
    return merged


def load_report(path: str | PathLike) -> AuditReport:
    """Read one JSON document written by any ftaudit command."""
    return _as_report(Path(path))


def _as_report(source: ReportSource) -> AuditReport:
    if isinstance(source, AuditReport):
        return source
    if isinstance(source, ScanResult):
        return AuditReport(target=source.target, scan=source)
    if isinstance(source, SourceScanResult):
        return AuditReport(source=source)
    if isinstance(source, TreeResult):
        return AuditReport(target=source.target, tree=source)
    if isinstance(source, list) and source and all(isinstance(item, SampleResult) for item in source):
        return AuditReport(hammer=list(source))
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
            return AuditReport(hammer=[from_dict(SampleResult, item, strict=True) for item in data])
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
            scan = from_dict(ScanResult, data, strict=True)
            return AuditReport(target=scan.target, scan=scan)
        if "roots" in data and "files_checked" in data:
            return AuditReport(source=from_dict(SourceScanResult, data, strict=True))
        if "packages" in data and "index_url" in data:
            tree = from_dict(TreeResult, data, strict=True)
            return AuditReport(target=tree.target, tree=tree)
        if "samples" in data and isinstance(data["samples"], list):
            return AuditReport(
                hammer=[from_dict(SampleResult, item, strict=True) for item in data["samples"]]
            )
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


# --------------------------------------------------------------------------- next steps


def next_steps(report: AuditReport) -> list[str]:
    """Concrete advice, most urgent first: races, then blockers, then findings."""
    steps: list[str] = []
    target = report.target or "3.13t"
    wheel_tag = "cp" + target.replace(".", "")
    tree_packages = {normalize_name(p.name): p for p in (report.tree.packages if report.tree else [])}
    ready_elsewhere = _ready_on_other_targets(report)

    def needs_build_step(name: str, version: str, package: PackageWheelStatus | None) -> str:
        later = ready_elsewhere.get(normalize_name(name), [])
        if later and not (package and package.first_ready_version):
            # Never advise a rebuild for a release the package has not shipped for (cffi
            # refuses 3.13t outright) when it ships for another free-threaded target.
            return (
                f"{name} {version} ships no {wheel_tag} wheel but does for {', '.join(later)}: target "
                f"{later[-1]} rather than rebuilding it for {target}."
            )
        return _needs_build_step(name, version, package, wheel_tag)

    for sample in report.hammer or []:
        twin = f" Its safe twin {sample.safe_twin} shows a fix." if sample.safe_twin else ""
        if sample.classification == "race-without-gil":
            steps.append(
                f"Fix sample {sample.name} (race only without the GIL): it is safe today only "
                f"because the GIL serialises it; add a lock or per-object critical section.{twin}"
            )
        elif sample.classification == "race":
            steps.append(
                f"Fix sample {sample.name} (racy even with the GIL): the bug is not new to "
                f"free-threading, but will show up more often without the GIL.{twin}"
            )
        elif sample.verdict in (HammerVerdict.ERROR, HammerVerdict.BUILD_ERROR):
            steps.append(
                f"Make sample {sample.name} run ({sample.verdict.value}): until it does, the "
                f"harness says nothing about it."
            )

    installed: set[str] = set()
    for distribution in report.scan.distributions if report.scan else []:
        key = normalize_name(distribution.name)
        installed.add(key)
        package = tree_packages.get(key)
        if distribution.verdict is Verdict.NEEDS_BUILD:
            if package and package.status == "ready" and package.version == distribution.version:
                # The index has a wheel for the target, yet the installed copy cannot load:
                # it was installed for another interpreter (or built for the GIL ABI).
                steps.append(
                    f"Reinstall {distribution.name} {distribution.version} with the {target} interpreter's "
                    f"own pip: the index has {wheel_tag} wheels for it, but the installed copy was built "
                    f"for another ABI."
                )
            else:
                steps.append(needs_build_step(distribution.name, distribution.version, package))
        elif distribution.verdict is Verdict.GIL_FALLBACK:
            modules = [e.module for e in distribution.extensions if e.gil.value != "not-used"]
            listed = ", ".join(modules[:3]) + (f" and {len(modules) - 3} more" if len(modules) > 3 else "")
            step = (
                f"Ask upstream of {distribution.name} {distribution.version} to declare Py_mod_gil "
                f"(Py_MOD_GIL_NOT_USED) in {listed or 'its extension modules'} once they are "
                f"thread-safe; importing it re-enables the GIL for the whole process."
            )
            if package and _is_newer(package.first_ready_version, distribution.version):
                step += f" {package.first_ready_version} ships {wheel_tag} wheels: try upgrading to it."
            steps.append(step)
        elif distribution.verdict is Verdict.UNKNOWN:
            steps.append(
                f"Check {distribution.name} {distribution.version} by hand or with "
                f"`ftaudit probe`: the static scan could not decide ({distribution.reason or 'no reason'})."
            )
        for extension in distribution.extensions:
            if extension.agrees_with_runtime is False:
                seen = extension.runtime_gil.value if extension.runtime_gil else "?"
                steps.append(
                    f"{extension.module}: the static reading and the probe disagree "
                    f"({extension.gil.value} vs {seen});"
                    f" trust the probe and report it to ftaudit."
                )
            elif extension.runtime_gil in (RuntimeGil.IMPORT_ERROR, RuntimeGil.CRASH, RuntimeGil.TIMEOUT):
                steps.append(
                    f"{extension.module} ({distribution.name}) does not import on {target} "
                    f"({extension.runtime_gil.value}); see the probe detail."
                )

    decided = bool(report.project and report.project.decisions)
    if decided:
        # A project audit judged every target: its per-target advice replaces the
        # single-target package steps (which would advise for report.target only).
        steps.extend(_decision_steps(report))
    for key, package in tree_packages.items():
        if key in installed or decided:
            continue
        if package.status == "needs-build":
            steps.append(needs_build_step(package.name, package.version or "?", package))
        elif package.gil_fallback:
            modules = ", ".join(package.gil_fallback_modules) or "its extension modules"
            steps.append(
                f"{package.name} {package.version or ''}: its {wheel_tag} wheel installs, but {modules} "
                f"re-enable the GIL on import; ask upstream to declare Py_mod_gil."
            )

    if (
        report.scan
        and not was_probed(report)
        and any(d.verdict is Verdict.GIL_FALLBACK for d in report.scan.distributions)
    ):
        steps.append(
            "Run `ftaudit probe` to confirm the GIL fallbacks by importing each module in a "
            "free-threaded subprocess."
        )

    # The environment findings (FTE003-FTE005) and races repeat what the steps above say.
    hammer_findings = {id(f) for sample in report.hammer or [] for f in sample.findings}
    open_errors = [
        f
        for f in report.all_findings()
        if id(f) not in hammer_findings  # the sample steps above cover races
        if f.severity.value == "error" and not f.suppressed and f.rule not in _COVERED_ABOVE
    ]
    if open_errors:
        by_rule: dict[str, int] = {}
        for finding in open_errors:
            by_rule[finding.rule] = by_rule.get(finding.rule, 0) + 1
        listed = ", ".join(f"{rule} x{count}" for rule, count in sorted(by_rule.items()))
        steps.append(
            f"Fix or baseline {len(open_errors)} error finding(s): {listed} "
            f"(`ftaudit rules CODE` explains each)."
        )
    return steps


_COVERED_ABOVE = {"FTE003", "FTE004", "FTE005"}


def _is_newer(candidate: str | None, current: str | None) -> bool:
    """True when ``candidate`` is a later release than ``current``.

    Some projects dropped their free-threaded wheels again (regex, pandas 3 at one
    point), so the first release with a target wheel can be older than the installed
    one: advising an "upgrade" to it would be advising a downgrade.
    """
    if not candidate or not current:
        return bool(candidate) and not current
    from packaging.version import InvalidVersion, Version

    try:
        return Version(candidate) > Version(current)
    except InvalidVersion:
        return False


def _decision_steps(report: AuditReport) -> list[str]:
    """Which target to move to, then what each blocker needs there, from the decisions."""
    project = report.project
    decisions = {decision.target: decision for decision in project.decisions}
    recommended = decisions.get(project.recommended_target or "")
    if recommended is None:
        return []
    steps: list[str] = []
    dependency_blockers = [b for b in recommended.blockers if b.kind != "own-code"]
    others = ", ".join(
        f"{d.target}: {sum(1 for b in d.blockers if b.kind != 'own-code')}"
        for d in project.decisions
        if d.target != recommended.target
    )
    if not dependency_blockers:
        steps.append(
            f"Move to {recommended.target}: every dependency ships wheels for it that keep the GIL off"
            + (f" (blocking dependencies elsewhere - {others})" if others else "")
            + "."
        )
    else:
        steps.append(
            f"Aim for {recommended.target}: it has the fewest blocking dependencies "
            f"({len(dependency_blockers)}; {others})."
        )
        steps.extend(f"For {recommended.target}: {blocker.advice}." for blocker in dependency_blockers)
    for decision in project.decisions:
        if decision is recommended:
            continue
        blockers = [b for b in decision.blockers if b.kind != "own-code"]
        if blockers:
            steps.append(
                f"Should you need {decision.target} instead: " + "; ".join(b.advice for b in blockers) + "."
            )
    return steps


def _ready_on_other_targets(report: AuditReport) -> dict[str, list[str]]:
    """Package -> the other targets (of `tree --target A,B`) for which the same pin is ready."""
    ready: dict[str, list[str]] = {}
    for tree in report.tree_targets or []:
        if tree.target == report.target:
            continue
        for package in tree.packages:
            if package.status == "ready":
                ready.setdefault(normalize_name(package.name), []).append(tree.target)
    return ready


def _needs_build_step(name: str, version: str, package: PackageWheelStatus | None, wheel_tag: str) -> str:
    if (
        package
        and package.first_ready_version
        and not _is_newer(package.first_ready_version, version)
        and package.first_ready_version != version
    ):
        return (
            f"{name} {version} ships no {wheel_tag} wheel, though {package.first_ready_version} did: "
            f"pin {name}=={package.first_ready_version} or build {version} from source."
        )
    if package and _is_newer(package.first_ready_version, version):
        step = (
            f"Upgrade {name} from {version} to {package.first_ready_version}, the first release with "
            f"{wheel_tag} wheels."
        )
        if package.held_back_by:
            step += f" Other requirements rule it out first: {'; '.join(package.held_back_by)}."
        return step
    if package and package.latest_version and package.ready is False:
        return (
            f"{name}: no release up to {package.latest_version} ships {wheel_tag} wheels; rebuild from "
            f"source for {wheel_tag} (pip install --no-binary {name} {name}) and ask upstream for wheels."
        )
    return (
        f"Rebuild {name} {version} from source for {wheel_tag} (pip install --no-binary {name} {name}), "
        f"or run `ftaudit tree` to find a release that ships {wheel_tag} wheels."
    )


def was_probed(report: AuditReport) -> bool:
    if not report.scan:
        return False
    return bool(report.scan.probed_with) or any(
        e.runtime_gil is not None for d in report.scan.distributions for e in d.extensions
    )
