"""The main job: audit an environment and hammer the shipped samples, on defaults.

``ftaudit audit`` with no arguments scans the running interpreter's environment
against free-threaded 3.13 (statically: nothing is imported), then compiles and
hammers the samples in ``ext_samples/`` on the free-threaded interpreter with a GIL
build as the baseline, and writes the readiness report as HTML, Markdown and JSON.
Each part is optional, and a part that fails is recorded, not fatal: the report says
what is missing.
"""

from __future__ import annotations

import datetime as _datetime
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .model.finding import Finding
from .model.report import AuditReport

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SHIPPED_SAMPLES = PROJECT_ROOT / "ext_samples"


@dataclass
class AuditOutcome:
    report: AuditReport
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _problem_finding(message: str) -> Finding:
    # A part of the audit that could not run at all is itself reported, so a partial
    # report never looks complete.
    from .rules.environment.audit_incomplete import AuditIncomplete

    return AuditIncomplete.finding(message)


def audit(
    *,
    python: str | Path | None = None,
    paths: list[Path] | None = None,
    target: str | None = None,
    probe: bool = False,
    samples: list[Path] | None = None,
    hammer_samples: bool = True,
    budget: float | None = None,
    source_checks: bool = False,
    output_dir: Path | None = Path("."),
    progress=None,
    hammer_progress=None,
) -> AuditOutcome:
    """Run the whole audit; ``progress`` feeds the scan's bar, ``hammer_progress`` the
    harness's (see :func:`auditor.harness.hammer`)."""
    report = AuditReport(
        tool_version=__version__,
        target=target or "",
        created=_datetime.datetime.now(_datetime.UTC).isoformat(timespec="seconds"),
    )
    outcome = AuditOutcome(report)

    from .scan import scan

    report.scan = scan(python=python, paths=paths, target=target, probe=probe, progress=progress)
    report.target = report.scan.target  # the default follows the scanned environment

    if source_checks and report.scan.distributions:
        from .scan import check_distribution_sources

        report.source = check_distribution_sources(report.scan)

    if hammer_samples:
        sample_paths = samples if samples is not None else [SHIPPED_SAMPLES]
        missing = [path for path in sample_paths if not path.exists()]
        for path in missing:
            outcome.problems.append(f"sample folder {path} does not exist")
        sample_paths = [path for path in sample_paths if path.exists()]
        if sample_paths:
            from .harness import hammer

            try:
                kwargs = {"budget": budget} if budget is not None else {}
                report.hammer = hammer(sample_paths, progress=hammer_progress, **kwargs)
            except Exception as error:  # a harness failure must not lose the scan
                outcome.problems.append(f"the harness could not run: {error}")

    report.findings.extend(_problem_finding(problem) for problem in outcome.problems)

    if output_dir is not None:
        from .reporters import get_reporter

        output_dir.mkdir(parents=True, exist_ok=True)
        for format_name, file_name in (
            ("html", "ftaudit-report.html"),
            ("markdown", "ftaudit-report.md"),
            ("json", "ftaudit-report.json"),
        ):
            try:
                reporter = get_reporter(format_name)
            except KeyError:
                continue
            destination = output_dir / file_name
            destination.write_text(reporter.render(report), encoding="utf-8")
            outcome.written.append(destination)
    return outcome
