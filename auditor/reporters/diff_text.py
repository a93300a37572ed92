"""What changed between two audits (:func:`auditor.diff_reports`), written for people:
plain text for a terminal, or Markdown for a pull-request comment."""

from __future__ import annotations

from ..model import Severity
from ..pipelines.diff import ReportDiff
from .markdown import text as markdown_text


def render_diff(diff: ReportDiff, markdown: bool = False) -> str:
    """Plain text (or Markdown) for people; JSON comes from :func:`auditor.model.serialize.to_dict`."""
    bullet = "- " if markdown else "  "
    escape = markdown_text if markdown else str
    lines: list[str] = []

    def section(title: str, items: list[str]) -> None:
        if items:
            lines.append(f"## {title}" if markdown else f"{title}:")
            lines.extend(f"{bullet}{escape(item)}" for item in items)
            lines.append("")

    section("Regressions", diff.regressions)
    section("Improvements", diff.improvements)
    section("Version changes", [change.describe() for change in diff.version_changes])
    section("Other verdict changes", [change.describe() for change in diff.other_verdict_changes])
    section("Added distributions", [change.describe() for change in diff.added_distributions])
    section("Removed distributions", [change.describe() for change in diff.removed_distributions])
    lowered = [
        f"{f.rule}: {f.message}"
        for f in diff.new_findings
        if f.suppressed or f.severity.rank < Severity.WARNING.rank
    ]
    section("New notes and suppressed findings", lowered)
    if not lines:
        lines = ["No changes between the two audits.", ""]
    verdict = f"{len(diff.regressions)} regression(s)" if diff.has_regression else "no regressions"
    return "\n".join([("# ftaudit diff: " if markdown else "ftaudit diff: ") + verdict, "", *lines])
