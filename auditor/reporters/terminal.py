"""Terminal: a rich summary for a person at a shell (and readable when piped)."""

from __future__ import annotations

import io
import os
import shutil
import sys

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..model import AuditReport, HammerVerdict, Severity, Verdict
from ..pipelines.report_advice import next_steps
from ..shared.display_text import printable_copy
from . import _summary
from .interface import Reporter, register_reporter

# Wider than this and tables become hard to read; the style guide's line length.
MAX_WIDTH = 110
PIPE_WIDTH = 100
_RICH_VERDICT_STYLE = {
    Verdict.READY: "green",
    Verdict.PURE: "cyan",
    Verdict.GIL_FALLBACK: "yellow",
    Verdict.NEEDS_BUILD: "red",
    Verdict.UNKNOWN: "dim",
}
_RICH_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.NOTE: "cyan"}
_BAR_CELLS = 50


@register_reporter
class TerminalReporter(Reporter):
    name = "terminal"
    file_extension = ".txt"
    description = "a summary for people: readiness bar, tables, findings by severity (rich)"

    def __init__(
        self,
        width: int | None = None,
        color: bool | None = None,
        full_table_limit: int = 60,
        findings_limit: int = 50,
    ) -> None:
        self.full_table_limit = full_table_limit
        self.findings_limit = findings_limit
        interactive = sys.stdout.isatty()
        self.color = interactive and "NO_COLOR" not in os.environ if color is None else color
        if width is None:
            width = (
                min(shutil.get_terminal_size((PIPE_WIDTH, 24)).columns, MAX_WIDTH)
                if interactive
                else PIPE_WIDTH
            )
        self.width = width

    def render(self, report: AuditReport) -> str:
        # Names, reasons and messages come from the scanned tree: an escape sequence in
        # a package name must not reach the user's terminal (display_text).
        report = printable_copy(report)
        buffer = io.StringIO()
        console = Console(
            file=buffer,
            width=self.width,
            force_terminal=self.color,
            color_system="standard" if self.color else None,
            no_color=not self.color,
            highlight=False,
            emoji=False,
            soft_wrap=False,
        )
        for renderable in self._renderables(report):
            console.print(renderable)
        if self.color:
            return buffer.getvalue()
        # rich pads wrapped text to the full width; piped output (CI logs) is easier to
        # read and diff without the trailing blanks.
        return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"

    def _renderables(self, report: AuditReport) -> list:
        parts: list = []
        decisions = _summary.decision_lines(report)
        if decisions:
            # The decision first: which target the project can move to, then the evidence.
            body = Text("\n".join(decisions + [""] + _summary.part_lines(report)))
            parts.append(Panel(body, title=f"Decision for {report.project.name}", title_align="left"))
        parts.append(self._summary_panel(report))
        warnings = _summary.partial_warnings(report)
        if warnings:
            shown = warnings[:12]
            lines = Text("PARTIAL RESULT: some items could not be processed\n", style="bold yellow")
            for warning in shown:
                lines.append(f"  ! {warning}\n")
            if len(warnings) > len(shown):
                lines.append(f"  ... and {len(warnings) - len(shown)} more (see the JSON output)\n")
            parts.append(lines)
        if report.scan and report.scan.distributions:
            parts.append(self._distribution_table(report))
        if report.tree and report.tree.packages:
            parts.append(self._tree_table(report))
            platform_rows = _summary.platform_inspection_rows(report)
            if platform_rows:
                parts.append(self._platform_inspection_table(platform_rows))
        matrix = _summary.target_matrix(report)
        if matrix:
            parts.append(self._target_matrix_table(matrix))
        if report.hammer:
            parts.append(self._hammer_table(report))
            # Below the table, not in it: what free-threading gains and what each fix costs.
            gains = [
                f"{sample.name}: {text}"
                for sample in report.hammer
                if (
                    text := "; ".join(
                        part
                        for part in (
                            _summary.free_threading_gain_text(sample),
                            _summary.safe_twin_cost_text(sample, report.hammer),
                        )
                        if part
                    )
                )
            ]
            if gains:
                parts.append(Text("\n".join(gains)))
        parts.extend(self._findings(report))
        steps = next_steps(report)
        if steps:
            text = Text()
            for number, step in enumerate(steps, 1):
                text.append(f"{number}. ", style="bold")
                text.append(step + "\n")
            text.rstrip()
            parts.append(Panel(text, title="Next steps", title_align="left", expand=True))
        return parts

    def _summary_panel(self, report: AuditReport) -> Panel:
        summary = _summary.summarize(report)
        lines: list = []
        interpreter = report.scan.interpreter if report.scan else None
        target_line = Text(f"target {report.target}")
        if interpreter:
            target_line.append(f"  ·  {interpreter.label} at {interpreter.executable}")
        lines.append(target_line)
        for note in _summary.target_notes(report):
            lines.append(Text(note, style="dim"))
        if summary.total:
            bar = Text()
            used = 0
            for verdict in _summary.VERDICT_ORDER:
                count = summary.counts[verdict]
                cells = round(_BAR_CELLS * count / summary.total)
                cells = min(cells, _BAR_CELLS - used)
                used += cells
                # Different glyphs, so the bar still reads without colour.
                glyph = {"ready": "█", "pure": "▓", "gil-fallback": "▒", "needs-build": "░"}.get(
                    verdict.value, "·"
                )
                bar.append(glyph * cells, style=_RICH_VERDICT_STYLE[verdict])
            bar.append(f"  {round(100 * summary.usable_share)}% ready")
            lines.append(bar)
            legend = Text()
            for verdict in _summary.VERDICT_ORDER:
                glyph = {"ready": "█", "pure": "▓", "gil-fallback": "▒", "needs-build": "░"}.get(
                    verdict.value, "·"
                )
                legend.append(f"{glyph} ", style=_RICH_VERDICT_STYLE[verdict])
                legend.append(f"{_summary.VERDICT_LABELS[verdict]} {summary.counts[verdict]}   ")
            lines.append(legend)
        lines.append(Text(summary.headline()))
        if report.tree and report.tree.packages:
            lines.append(Text(_summary.tree_headline(report)))
        source_line = _summary.source_headline(report)
        if source_line:
            lines.append(Text(source_line))
        findings = _summary.findings_by_severity(report)
        counts = ", ".join(f"{len(items)} {severity.value}" for severity, items in findings.items())
        suppressed = sum(1 for items in findings.values() for finding in items if finding.suppressed)
        lines.append(Text(f"findings: {counts}" + (f" ({suppressed} suppressed)" if suppressed else "")))
        if report.hammer:
            races = sum(1 for sample in report.hammer if sample.verdict is HammerVerdict.RACE)
            lines.append(Text(f"harness: {len(report.hammer)} samples, {races} with a race observed"))
        return Panel(Group(*lines), title="ftaudit: free-threading readiness", title_align="left")

    def _distribution_table(self, report: AuditReport) -> Table:
        probed = _summary.was_probed(report)
        distributions = _summary.sorted_distributions(report)
        title = "Distributions"
        if len(distributions) > self.full_table_limit:
            # A shell is no place for hundreds of "ready" rows: list what needs attention
            # and count the rest (Markdown and HTML always list everything).
            working = [d for d in distributions if d.verdict in (Verdict.READY, Verdict.PURE)]
            distributions = [d for d in distributions if d.verdict not in (Verdict.READY, Verdict.PURE)]
            title += (
                f" needing attention ({len(distributions)}; {len(working)} ready or pure not listed,"
                " see --format html or markdown)"
            )
        table = Table(title=title, title_justify="left", expand=True, show_lines=False)
        table.add_column("distribution", overflow="fold", ratio=3)
        table.add_column("verdict", no_wrap=True)
        table.add_column("reason", overflow="fold", ratio=5)
        table.add_column("extensions", overflow="fold", ratio=3)
        if probed:
            table.add_column("runtime", overflow="fold", ratio=2)
        for distribution in distributions:
            row = [
                escape(f"{distribution.name} {distribution.version}"),
                f"[{_RICH_VERDICT_STYLE[distribution.verdict]}]{distribution.verdict.value}[/]",
                escape(distribution.reason),
                escape(_summary.extensions_text(distribution)),
            ]
            if probed:
                row.append(escape(_summary.distribution_runtime_text(distribution)))
            table.add_row(*row)
        return table

    def _tree_table(self, report: AuditReport) -> Table:
        tree = report.tree
        table = Table(
            title=f"Dependency tree ({tree.source}, index {tree.index_url})",
            title_justify="left",
            expand=True,
        )
        for column in ("package", "version", "status", "first ready", "reason"):
            table.add_column(column, overflow="fold")
        for package in tree.packages:
            table.add_row(
                escape(package.name),
                escape(package.version or "?"),
                escape(package.status),
                escape(package.first_ready_version or "-"),
                escape(package.reason),
            )
        return table

    def _platform_inspection_table(self, rows: list[tuple[str, str, str, str, str]]) -> Table:
        table = Table(title="Wheels read per platform (--inspect-wheels)", title_justify="left", expand=True)
        table.add_column("package", overflow="fold", ratio=2)
        table.add_column("platform", no_wrap=True)  # a tag cut in two reads as two tags
        table.add_column("wheel", overflow="fold", ratio=5)
        table.add_column("GIL", overflow="fold", ratio=3)
        table.add_column("problems", overflow="fold", ratio=4)
        for package, platform, wheel, gil, problems in rows:
            style = "yellow" if gil.startswith("re-enables") else "green" if gil == "stays off" else "dim"
            table.add_row(
                escape(package),
                escape(platform),
                escape(wheel),
                f"[{style}]{escape(gil)}[/]",
                escape(problems),
            )
        return table

    def _target_matrix_table(self, matrix) -> Table:
        table = Table(
            title="Which interpreter the pins reach\n" + "\n".join(matrix.headlines),
            title_justify="left",
            expand=True,
        )
        table.add_column("package", overflow="fold")
        for target in matrix.targets:
            table.add_column(target, overflow="fold")
        for package, cells in matrix.rows:
            table.add_row(escape(package), *(escape(cell) for cell in cells))
        return table

    def _hammer_table(self, report: AuditReport) -> Table:
        table = Table(title="Thread-hammer harness", title_justify="left", expand=True)
        table.add_column("sample", overflow="fold", ratio=3)
        table.add_column("free-threaded", overflow="fold", ratio=3)
        table.add_column("with GIL", overflow="fold", ratio=1, min_width=8)
        table.add_column("classification", overflow="fold", ratio=3)
        table.add_column("throughput (free-threaded)", overflow="fold", ratio=3)
        for sample in report.hammer or []:
            style = (
                "red"
                if sample.verdict is HammerVerdict.RACE
                else (
                    "yellow"
                    if sample.verdict in (HammerVerdict.ERROR, HammerVerdict.BUILD_ERROR)
                    else "green"
                )
            )
            expectation = "" if sample.matches_expectation is not False else " [bold red](unexpected)[/]"
            table.add_row(
                escape(sample.name),
                f"[{style}]{escape(_summary.sample_verdict_text(sample))}[/]",
                escape(_summary.baseline_verdict_text(sample)),
                escape(_summary.classification_text(sample)) + expectation,
                escape(_summary.throughput_text(sample.target) or "-"),
            )
        return table

    def _findings(self, report: AuditReport) -> list:
        parts: list = []
        for severity, findings in _summary.findings_by_severity(report).items():
            if not findings:
                continue
            heading = f"\n{severity.value.upper()} ({len(findings)})"
            parts.append(Text(heading, style=_RICH_SEVERITY_STYLE[severity]))
            for finding in findings[: self.findings_limit]:
                headline = Text()
                headline.append(f"{finding.rule} ", style="bold")
                headline.append(finding.message)
                if finding.suppressed:
                    headline.append(
                        f"  [suppressed: {finding.suppression_reason or 'no reason given'}]", style="dim"
                    )
                parts.append(Padding(headline, (0, 0, 0, 2), expand=False))
                details = Text(style="dim")
                where = _summary.location_text(finding)
                if where:
                    details.append(f"at {where}\n")
                for line in finding.evidence[:3]:
                    details.append(f"evidence: {line}\n")
                if finding.fix and not finding.suppressed:
                    details.append(f"fix: {finding.fix}\n")
                details.rstrip()
                if details.plain:
                    # Indented as a block, so wrapped lines stay under their finding.
                    parts.append(Padding(details, (0, 0, 0, 8), expand=False))
            if len(findings) > self.findings_limit:
                hidden = len(findings) - self.findings_limit
                parts.append(
                    Text(
                        f"  ... and {hidden} more {severity.value} finding(s): "
                        "see --format json, sarif or html",
                        style="dim",
                    )
                )
        return parts
