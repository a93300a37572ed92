"""What every human-readable reporter says, computed once.

The terminal, Markdown and HTML reporters differ only in how they draw; the numbers
(how much of the environment is ready, what blocks, which results are partial) come
from here so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..collectors.binary.abi_tag import static_only_note
from ..collectors.environment.names import normalize_name
from ..model import (
    AuditReport,
    Distribution,
    ExtensionModule,
    Finding,
    HammerVerdict,
    InterpreterRun,
    RuntimeGil,
    SampleResult,
    Severity,
    Verdict,
)
from ..pipelines.report_advice import was_probed  # noqa: F401  (re-exported for the reporters)

# Reading order: good news first, then what blocks, then what could not be decided.
VERDICT_ORDER = [Verdict.READY, Verdict.PURE, Verdict.GIL_FALLBACK, Verdict.NEEDS_BUILD, Verdict.UNKNOWN]
VERDICT_LABELS = {
    Verdict.READY: "ready",
    Verdict.PURE: "pure Python",
    Verdict.GIL_FALLBACK: "falls back to the GIL",
    Verdict.NEEDS_BUILD: "needs a build",
    Verdict.UNKNOWN: "unknown",
}
# Colours chosen to stay apart for the common colour-vision deficiencies (Okabe-Ito).
VERDICT_COLOURS = {
    Verdict.READY: "#009E73",
    Verdict.PURE: "#56B4E9",
    Verdict.GIL_FALLBACK: "#E69F00",
    Verdict.NEEDS_BUILD: "#D55E00",
    Verdict.UNKNOWN: "#999999",
}
# PackageWheelStatus.status values, in reading order (auditor/model/tree.py).
TREE_STATUS_LABELS = {
    "ready": "target wheel",
    "pure": "pure Python",
    "needs-build": "no target wheel",
    "unknown": "unknown",
}
TREE_STATUS_COLOURS = {
    "ready": VERDICT_COLOURS[Verdict.READY],
    "pure": VERDICT_COLOURS[Verdict.PURE],
    "needs-build": VERDICT_COLOURS[Verdict.NEEDS_BUILD],
    "unknown": VERDICT_COLOURS[Verdict.UNKNOWN],
}
SEVERITY_ORDER = [Severity.ERROR, Severity.WARNING, Severity.NOTE]


@dataclass
class ReadinessSummary:
    total: int
    counts: dict[Verdict, int]
    blockers: list[Distribution] = field(default_factory=list)  # gil-fallback and needs-build
    undecided: list[Distribution] = field(default_factory=list)

    @property
    def usable(self) -> int:
        """Distributions that run without the GIL today: ready ones and pure Python."""
        return self.counts[Verdict.READY] + self.counts[Verdict.PURE]

    @property
    def usable_share(self) -> float:
        return self.usable / self.total if self.total else 0.0

    def headline(self) -> str:
        if not self.total:
            return "no installed distributions were scanned"
        share = round(100 * self.usable_share)
        parts = [f"{self.usable} of {self.total} distributions ({share}%) run without the GIL"]
        fallbacks, builds = self.counts[Verdict.GIL_FALLBACK], self.counts[Verdict.NEEDS_BUILD]
        if fallbacks:
            parts.append(f"{fallbacks} {'falls' if fallbacks == 1 else 'fall'} back to the GIL")
        if builds:
            parts.append(f"{builds} {'needs' if builds == 1 else 'need'} a build for the target")
        if self.counts[Verdict.UNKNOWN]:
            parts.append(f"{self.counts[Verdict.UNKNOWN]} could not be decided")
        return "; ".join(parts)


def summarize(report: AuditReport) -> ReadinessSummary:
    distributions = report.scan.distributions if report.scan else []
    counts = {verdict: 0 for verdict in VERDICT_ORDER}
    for distribution in distributions:
        counts[distribution.verdict] += 1
    return ReadinessSummary(
        total=len(distributions),
        counts=counts,
        blockers=[d for d in distributions if d.verdict in (Verdict.GIL_FALLBACK, Verdict.NEEDS_BUILD)],
        undecided=[d for d in distributions if d.verdict is Verdict.UNKNOWN],
    )


def sorted_distributions(report: AuditReport) -> list[Distribution]:
    """Blockers first (what a reader acts on), then by name."""
    if not report.scan:
        return []
    rank = {
        Verdict.NEEDS_BUILD: 0,
        Verdict.GIL_FALLBACK: 1,
        Verdict.UNKNOWN: 2,
        Verdict.READY: 3,
        Verdict.PURE: 4,
    }
    return sorted(report.scan.distributions, key=lambda d: (rank[d.verdict], d.name.lower()))


def partial_warnings(report: AuditReport) -> list[str]:
    """Every reason the report is incomplete, as sentences; empty when it is whole."""
    return report.incomplete_reasons()


def findings_by_severity(report: AuditReport) -> dict[Severity, list[Finding]]:
    grouped: dict[Severity, list[Finding]] = {severity: [] for severity in SEVERITY_ORDER}
    for finding in report.all_findings():
        grouped[finding.severity].append(finding)
    return grouped


def location_text(finding: Finding) -> str:
    location = finding.location
    if location is None:
        return f"distribution {finding.distribution}" if finding.distribution else ""
    text = location.path
    if location.line:
        text += f":{location.line}"
        if location.column:
            text += f":{location.column}"
    if location.symbol:
        text += f" ({location.symbol})"
    return text


def runtime_text(extension: ExtensionModule) -> str:
    """What the probe saw, and whether the static reading predicted it."""
    if extension.runtime_gil is None:
        return "not probed"
    text = {
        RuntimeGil.ENABLED: "GIL enabled",
        RuntimeGil.DISABLED: "GIL stays off",
        RuntimeGil.IMPORT_ERROR: "import failed",
        RuntimeGil.CRASH: "crashed on import",
        RuntimeGil.TIMEOUT: "import timed out",
    }[extension.runtime_gil]
    if extension.agrees_with_runtime is True:
        text += " (agrees)"
    elif extension.agrees_with_runtime is False:
        text += " (DISAGREES with static)"
    return text


def distribution_runtime_text(distribution: Distribution) -> str:
    probed = [extension for extension in distribution.extensions if extension.runtime_gil is not None]
    if not distribution.extensions:
        return "-"
    if not probed:
        return "not probed"
    disagreements = [extension for extension in probed if extension.agrees_with_runtime is False]
    enabled = [extension for extension in probed if extension.runtime_gil is RuntimeGil.ENABLED]
    failed = [
        extension
        for extension in probed
        if extension.runtime_gil in (RuntimeGil.IMPORT_ERROR, RuntimeGil.CRASH, RuntimeGil.TIMEOUT)
    ]
    parts = []
    if enabled:
        parts.append(f"{len(enabled)}/{len(probed)} enable the GIL")
    if failed:
        parts.append(f"{len(failed)} failed to import")
    if not parts:
        parts.append("GIL stays off")
    if disagreements:
        parts.append(f"{len(disagreements)} disagree with static")
    elif all(extension.agrees_with_runtime for extension in probed):
        parts.append("agrees")
    return ", ".join(parts)


def extensions_text(distribution: Distribution, limit: int = 3) -> str:
    names = [extension.module for extension in distribution.extensions]
    if not names:
        return "-"
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += f" +{len(names) - limit} more"
    return shown


def throughput_text(run: InterpreterRun | None) -> str:
    """'8 threads 610k calls/s, 1 thread 300k/s: 2.0x on 2 cores'; empty when not measured.

    The unit is one call = one of the ITERATIONS a work() call is asked to do, and both
    figures time the same THREADS x ITERATIONS calls (see Throughput in the model)."""
    if run is None or not run.throughput:
        return ""
    points = sorted(run.throughput, key=lambda point: -point.threads)
    text = ", ".join(
        f"{point.threads} thread{'s' if point.threads != 1 else ''} "
        f"{human_rate(point.calls_per_second)} calls/s"
        for point in points
    )
    if run.throughput_problem:
        return f"{text}; no speedup: {run.throughput_problem}"
    if run.speedup is not None:
        text += f": {run.speedup:.2f}x" + (f" on {run.cores} cores" if run.cores else "")
    return text


def _parallel_point(run: InterpreterRun | None):
    if run is None or not run.throughput:
        return None
    point = max(run.throughput, key=lambda each: each.threads)
    return point if point.threads > 1 and point.calls_per_second > 0 else None


def free_threading_gain_text(sample: SampleResult) -> str:
    """What free-threading gives this sample: its THREADS-thread rate on the free-threaded
    build over the GIL build's, for the same work ('' when either was not measured)."""
    free, gil = _parallel_point(sample.target), _parallel_point(sample.baseline)
    if free is None or gil is None or free.threads != gil.threads:
        return ""
    return f"{free.calls_per_second / gil.calls_per_second:.2f}x the GIL build at {free.threads} threads"


def safe_twin_cost_text(sample: SampleResult, samples: list[SampleResult]) -> str:
    """What the fix costs: the safe twin's free-threaded rate against this racy sample's,
    both at THREADS threads ('' without a measured twin)."""
    if not sample.safe_twin:
        return ""
    twin = next((each for each in samples if each.name == sample.safe_twin), None)
    racy, safe = _parallel_point(sample.target), _parallel_point(twin.target if twin else None)
    if racy is None or safe is None:
        return f"safe twin {sample.safe_twin}: not measured in this run"
    ratio = safe.calls_per_second / racy.calls_per_second
    if ratio >= 1:
        return f"the fix ({sample.safe_twin}) costs nothing here: {ratio:.2f}x the racy rate"
    return f"the fix ({sample.safe_twin}) costs {100 * (1 - ratio):.0f}%: {ratio:.2f}x the racy rate"


def sample_performance_text(sample: SampleResult, samples: list[SampleResult]) -> str:
    """Throughput, the free-threading gain and the fix's cost, in one cell."""
    parts = [
        throughput_text(sample.target),
        free_threading_gain_text(sample),
        safe_twin_cost_text(sample, samples),
    ]
    return "; ".join(part for part in parts if part)


def human_rate(value: float) -> str:
    for threshold, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if value >= threshold:
            return f"{value / threshold:.1f}{suffix}"
    return f"{value:.0f}"


HAMMER_VERDICT_LABELS = {
    HammerVerdict.RACE: "race",
    HammerVerdict.NO_RACE_OBSERVED: "no race",
    HammerVerdict.BUILD_ERROR: "build error",
    HammerVerdict.ERROR: "harness error",
}


def sample_verdict_text(sample: SampleResult) -> str:
    text = HAMMER_VERDICT_LABELS[sample.verdict]
    if sample.trials:
        text += (
            f" in {sample.failures}/{sample.trials} trials"
            if sample.failures
            else f" in {sample.trials} trials"
        )
    return text


def baseline_verdict_text(sample: SampleResult) -> str:
    return HAMMER_VERDICT_LABELS[sample.baseline_verdict] if sample.baseline_verdict else "-"


def classification_text(sample: SampleResult) -> str:
    return {
        "race-without-gil": "race only without the GIL (migration risk)",
        "race": "racy with and without the GIL",
        "safe": "no race observed",
    }.get(sample.classification or "", "undecided")


def tree_counts(report: AuditReport) -> dict[str, int]:
    counts = {status: 0 for status in TREE_STATUS_LABELS}
    for package in report.tree.packages if report.tree else []:
        counts[package.status if package.status in counts else "unknown"] += 1
    return counts


def tree_headline(report: AuditReport) -> str:
    counts = tree_counts(report)
    total = sum(counts.values())
    usable = counts["ready"] + counts["pure"]
    text = (
        f"Before install ({report.tree.source if report.tree else '?'}): {usable} of {total} dependencies "
        f"have wheels for {report.target}"
    )
    if counts["needs-build"]:
        text += f"; {counts['needs-build']} would need a build"
    return text


def tree_gil_text(package) -> str:
    """What an inspected target wheel would do to the GIL ('-' when not inspected)."""
    if package.gil_fallback is None:
        return "-"
    if package.gil_fallback:
        return "re-enables: " + (", ".join(package.gil_fallback_modules) or "yes")
    return "stays off"


def platform_inspection_rows(report: AuditReport) -> list[tuple[str, str, str, str, str]]:
    """(package, platform, wheel, GIL, problems) for each wheel read per ``--platform``.

    Empty unless the tree was judged with ``--inspect-wheels`` and ``--platform``: then a
    package's own GIL fields merge its platforms, and these rows say which one differs.
    """
    rows = []
    for package in report.tree.packages if report.tree else []:
        for entry in package.platform_inspections:
            if entry.wheel is None:
                gil = "no wheel"
            elif entry.gil_fallback is None:
                gil = "unknown"
            else:
                gil = tree_gil_text(entry)
            rows.append((package.name, entry.platform, entry.wheel or "-", gil, "; ".join(entry.problems)))
    return rows


def target_notes(report: AuditReport) -> list[str]:
    """Why this target was judged, and whether only statically: said next to the target."""
    notes: list[str] = []
    if report.scan and report.scan.target_reason and not report.scan.target_reason.endswith("asked for"):
        notes.append("default target " + report.scan.target_reason)
    static = (report.scan.target_note if report.scan else "") or static_only_note(report.target or "")
    if static:
        notes.append(static)
    return notes


@dataclass
class TargetMatrix:
    """`tree --target A,B,C`: one row per package, one column per target."""

    targets: list[str]
    rows: list[tuple[str, list[str]]]  # (package, cell per target)
    headlines: list[str]  # per target: "3.15t: 12 of 14 ready; blocked by numpy 1.26.4, ..."


def _matrix_cell(package) -> str:
    if package is None:
        return "-"
    if package.status == "ready" and package.gil_fallback:
        return "ready, re-enables the GIL"
    if package.status == "needs-build" and package.first_ready_version:
        return f"needs-build (first ready {package.first_ready_version})"
    return package.status


def target_matrix(report: AuditReport) -> TargetMatrix | None:
    trees = report.tree_targets or []
    if len(trees) < 2:
        return None
    by_target = [{normalize_name(p.name): p for p in tree.packages} for tree in trees]
    names: dict[str, str] = {}
    for tree in trees:
        for package in tree.packages:
            names.setdefault(normalize_name(package.name), f"{package.name} {package.version or '?'}")
    rows = [
        (label, [_matrix_cell(packages.get(key)) for packages in by_target]) for key, label in names.items()
    ]
    headlines = []
    for tree in trees:
        usable = [p for p in tree.packages if p.status in ("ready", "pure") and not p.gil_fallback]
        blocked = [f"{p.name} {p.version or '?'}" for p in tree.packages if p not in usable]
        line = f"{tree.target}: {len(usable)} of {len(tree.packages)} run without the GIL"
        if blocked:
            line += f"; blocked by {', '.join(blocked[:6])}" + (" ..." if len(blocked) > 6 else "")
        if tree.partial:
            line += " (partial)"
        headlines.append(line)
    return TargetMatrix([tree.target for tree in trees], rows, headlines)


def decision_lines(report: AuditReport) -> list[str]:
    """One line per target judged by a project audit, the recommended one marked."""
    project = report.project
    if project is None or not project.decisions:
        return []
    lines = []
    for decision in project.decisions:
        mark = " (recommended)" if decision.target == project.recommended_target else ""
        state = "READY" if decision.ready else "BLOCKED"
        lines.append(f"{state}{mark} {decision.headline}")
    return lines


def part_lines(report: AuditReport) -> list[str]:
    """What a project audit did, part by part, and why a part was skipped."""
    if report.project is None:
        return []
    return [f"{part.name}: {part.status} - {part.detail}" for part in report.project.parts]


def source_headline(report: AuditReport) -> str | None:
    """How much source was read, and what test code was left out (and how to include it)."""
    source = report.source
    if source is None:
        return None
    checked, tests = source.files_checked, source.test_files_skipped
    text = f"sources: {checked} {'file' if checked == 1 else 'files'} checked"
    if tests:
        noun = "file" if tests == 1 else "files"
        text += f"; {tests} test {noun} left out (scan-source --include-tests reads them)"
    return text
