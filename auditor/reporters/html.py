"""HTML: a self-contained migration report to open in a browser or attach to a ticket.

One file, no network: the CSS is inline, the readiness chart is inline SVG, and there
is no JavaScript at all. A Content-Security-Policy forbids scripts and remote loads, so
even a string that escaped escaping could not run or fetch anything; but every string
that comes from a package (names, reasons, messages, evidence, paths) goes through
:func:`html.escape` regardless - the policy is the second lock, not the first.
"""

from __future__ import annotations

import html
import re

from ..model import AuditReport, Finding, HammerVerdict, Severity
from ..pipelines.report_advice import next_steps
from . import _summary
from .interface import Reporter, register_reporter

_CSS = """
:root { --ink: #1d232a; --muted: #5b6570; --line: #d9dee3; --paper: #ffffff; --band: #f5f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); background: var(--band); }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; background: var(--paper);
       min-height: 100vh; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 18px 0 8px; }
.meta { color: var(--muted); margin: 0 0 18px; }
.headline { font-size: 17px; margin: 12px 0 4px; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 14px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 120px; }
.card b { display: block; font-size: 24px; }
.card span { color: var(--muted); font-size: 13px; }
.warning { background: #fff6e0; border-left: 5px solid #E69F00; padding: 10px 16px; margin: 16px 0; }
.warning ul { margin: 6px 0 0; padding-left: 20px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--band); font-weight: 600; }
td.name { font-weight: 600; overflow-wrap: anywhere; min-width: 9em; }
td code, li code { font-size: 12.5px; word-break: break-all; }
.pill { display: inline-block; padding: 1px 9px; border-radius: 10px; color: #fff; font-size: 12.5px;
        font-weight: 600; white-space: nowrap; }
.sev-error { background: #D55E00; } .sev-warning { background: #E69F00; } .sev-note { background: #0072B2; }
.race { color: #B03A00; font-weight: 600; } .ok { color: #00775A; }
.muted { color: var(--muted); font-weight: normal; }
ol.steps li { margin: 4px 0; }
details.finding { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; padding: 6px 10px; }
details.finding summary { cursor: pointer; }
details.finding ul { margin: 6px 0; }
.suppressed { opacity: 0.65; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
.decisions { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 12px;
             margin: 12px 0 8px; }
.decision { border: 2px solid var(--line); border-radius: 10px; padding: 10px 14px; }
.decision.ready { border-color: #009E73; background: #eefaf5; }
.decision.blocked { border-color: #D55E00; background: #fff3ec; }
.decision h3 { margin: 0 0 4px; font-size: 20px; }
.decision .badge { font-size: 12.5px; font-weight: 600; margin-left: 6px; padding: 1px 8px;
                   border-radius: 9px;
                   background: #0072B2; color: #fff; vertical-align: middle; }
.decision ul { margin: 6px 0 0; padding-left: 18px; font-size: 13.5px; }
.decision .static { color: var(--muted); font-size: 12.5px; margin-top: 6px; }
table.parts td:first-child { font-weight: 600; white-space: nowrap; }
@media print { body { background: #fff; } details.finding { break-inside: avoid; } }
"""


# C0 controls other than tab/newline are not allowed in HTML text (they render as boxes).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def e(value: object) -> str:
    """Escape any package-derived text for HTML text and attribute positions."""
    return html.escape(_CONTROL_CHARACTERS.sub("", "" if value is None else str(value)), quote=True)


@register_reporter
class HtmlReporter(Reporter):
    name = "html"
    file_extension = ".html"
    description = "a self-contained HTML report with a readiness chart (no network, no scripts)"

    def render(self, report: AuditReport) -> str:
        body = [
            self._header(report),
            self._decisions(report),
            self._summary(report),
            self._warnings(report),
            self._steps(report),
            self._distributions(report),
            self._tree(report),
            self._target_matrix(report),
            self._hammer(report),
            self._findings(report),
            self._footer(report),
        ]
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; img-src data:\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>ftaudit: free-threading readiness ({e(report.target)})</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(part for part in body if part)
            + "\n</main>\n</body>\n</html>\n"
        )

    def _header(self, report: AuditReport) -> str:
        interpreter = report.scan.interpreter if report.scan else None
        meta = f"Target <b>{e(report.target)}</b>"
        if interpreter:
            meta += f" · {e(interpreter.label)} · <code>{e(interpreter.executable)}</code>"
        if report.created:
            meta += f" · {e(report.created)}"
        notes = "".join(f'\n<p class="meta">{e(note)}</p>' for note in _summary.target_notes(report))
        return f'<h1>Free-threading readiness report</h1>\n<p class="meta">{meta}</p>{notes}'

    def _decisions(self, report: AuditReport) -> str:
        """The decision first: one card per target, then what was audited."""
        project = report.project
        if project is None:
            return ""
        parts = [
            f'<section id="decision"><h2>Decision for {e(project.name)}: which free-threaded '
            "interpreter can we move to?</h2>"
        ]
        if project.decisions:
            cards = []
            for decision in project.decisions:
                state = "ready" if decision.ready else "blocked"
                badge = (
                    '<span class="badge">recommended</span>'
                    if decision.target == project.recommended_target
                    else ""
                )
                verdict = "ready to move" if decision.ready else f"blocked ({len(decision.blockers)})"
                items = "".join(f"<li>{e(blocker.advice)}</li>" for blocker in decision.blockers)
                static = f'<p class="static">{e(decision.static_only)}</p>' if decision.static_only else ""
                cards.append(
                    f'<div class="decision {state}" data-target="{e(decision.target)}">'
                    f"<h3>{e(decision.target)}{badge}</h3><b>{e(verdict)}</b>"
                    f'<p class="meta">{e(decision.headline)}</p>'
                    + (f"<ul>{items}</ul>" if items else "")
                    + static
                    + "</div>"
                )
            parts.append(f'<div class="decisions">{"".join(cards)}</div>')
        rows = "".join(
            f"<tr><td>{e(part.name)}</td><td>{e(part.status)}</td><td>{e(part.detail)}</td></tr>"
            for part in project.parts
        )
        where = [f"project <code>{e(project.path)}</code>"]
        if project.dependency_file:
            where.append(f"dependencies from <code>{e(project.dependency_file)}</code>")
        if project.index:
            where.append(f"index {e(project.index)}")
        parts.append(f'<p class="meta">{" · ".join(where)}</p>')
        parts.append(
            '<table class="parts" id="parts"><thead><tr><th>Part</th><th>Status</th><th>What was done, or '
            f"why not</th></tr></thead><tbody>{rows}</tbody></table></section>"
        )
        return "\n".join(parts)

    def _summary(self, report: AuditReport) -> str:
        summary = _summary.summarize(report)
        parts = ['<section id="summary">', f'<p class="headline">{e(summary.headline())}.</p>']
        if summary.total:
            parts.append(readiness_svg(summary))
        if report.tree and report.tree.packages:
            parts.append(f'<p class="headline">{e(_summary.tree_headline(report))}.</p>')
            parts.append(tree_svg(report))
        findings = _summary.findings_by_severity(report)
        cards = [(str(summary.total), "distributions scanned")] if report.scan else []
        cards += [(str(len(items)), f"{severity.value} findings") for severity, items in findings.items()]
        if report.hammer:
            races = sum(1 for sample in report.hammer if sample.verdict is HammerVerdict.RACE)
            cards.append((f"{races}/{len(report.hammer)}", "samples with a race"))
        if report.tree:
            blocked = sum(1 for package in report.tree.packages if package.status == "needs-build")
            cards.append((f"{blocked}/{len(report.tree.packages)}", "dependencies without a target wheel"))
        parts.append(
            '<div class="cards">'
            + "".join(
                f'<div class="card"><b>{e(value)}</b><span>{e(label)}</span></div>' for value, label in cards
            )
            + "</div>"
        )
        parts.append("</section>")
        return "\n".join(parts)

    def _warnings(self, report: AuditReport) -> str:
        warnings = _summary.partial_warnings(report)
        if not warnings:
            return ""
        items = "".join(f"<li>{e(warning)}</li>" for warning in warnings)
        return (
            f'<div class="warning" id="partial"><b>Partial result:</b> some items could not be '
            f"processed, so the figures below may be incomplete.<ul>{items}</ul></div>"
        )

    def _steps(self, report: AuditReport) -> str:
        steps = next_steps(report)
        if not steps:
            return ""
        items = "".join(f"<li>{e(step)}</li>" for step in steps)
        return f'<h2 id="next-steps">Next steps</h2>\n<ol class="steps">{items}</ol>'

    def _distributions(self, report: AuditReport) -> str:
        if not report.scan or not report.scan.distributions:
            return ""
        probed = _summary.was_probed(report)
        header = "<tr><th>Distribution</th><th>Version</th><th>Verdict</th><th>Reason</th><th>Extensions</th>"
        header += "<th>Runtime (probe)</th></tr>" if probed else "</tr>"
        rows = []
        for distribution in _summary.sorted_distributions(report):
            colour = _summary.VERDICT_COLOURS[distribution.verdict]
            extensions = (
                "<br>".join(
                    f'<code>{e(extension.module)}</code> <span class="muted">{e(extension.abi)}, '
                    f"{e(extension.gil.value)}</span>"
                    for extension in distribution.extensions
                )
                or "-"
            )
            row = (
                f'<tr class="distribution" data-verdict="{e(distribution.verdict.value)}">'
                f'<td class="name">{e(distribution.name)}</td><td>{e(distribution.version)}</td>'
                f'<td><span class="pill" style="background:{colour}">{e(distribution.verdict.value)}'
                f"</span></td><td>{e(distribution.reason)}</td><td>{extensions}</td>"
            )
            if probed:
                row += f"<td>{e(_summary.distribution_runtime_text(distribution))}</td>"
            rows.append(row + "</tr>")
        return (
            f'<h2 id="distributions">Distributions ({len(rows)})</h2>\n'
            f'<table id="distribution-table"><thead>{header}</thead><tbody>{"".join(rows)}</tbody></table>'
        )

    def _tree(self, report: AuditReport) -> str:
        if not report.tree or not report.tree.packages:
            return ""
        rows = "".join(
            f'<tr class="package"><td class="name">{e(p.name)}</td><td>{e(p.version or "?")}</td>'
            f"<td>{e(p.status)}</td><td>{e(p.first_ready_version or '-')}</td>"
            f"<td>{e(p.latest_version or '-')}</td><td>{e(_summary.tree_gil_text(p))}</td>"
            f"<td>{e(p.reason)}</td></tr>"
            for p in report.tree.packages
        )
        return (
            f'<h2 id="tree">Dependency tree <span class="muted">({e(report.tree.source)}, '
            f"{e(report.tree.index_url)})</span></h2>\n<table><thead><tr><th>Package</th><th>Version</th>"
            "<th>Status</th><th>First ready</th><th>Latest</th><th>GIL on import</th><th>Reason</th>"
            "</tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        ) + self._platform_inspections(report)

    def _platform_inspections(self, report: AuditReport) -> str:
        rows = "".join(
            "<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in row) + "</tr>"
            for row in _summary.platform_inspection_rows(report)
        )
        if not rows:
            return ""
        return (
            '\n<h3 id="tree-platforms">Wheels read per platform (--inspect-wheels)</h3>\n<table><thead><tr>'
            "<th>Package</th><th>Platform</th><th>Wheel</th><th>GIL on import</th><th>Problems</th>"
            f"</tr></thead><tbody>{rows}</tbody></table>"
        )

    def _target_matrix(self, report: AuditReport) -> str:
        matrix = _summary.target_matrix(report)
        if matrix is None:
            return ""
        heads = "".join(f"<th>{e(target)}</th>" for target in matrix.targets)
        rows = "".join(
            f'<tr><td class="name">{e(name)}</td>'
            + "".join(f"<td>{e(cell)}</td>" for cell in cells)
            + "</tr>"
            for name, cells in matrix.rows
        )
        headlines = "".join(f"<li>{e(line)}</li>" for line in matrix.headlines)
        return (
            f'<h2 id="targets">Which interpreter the pins reach</h2>\n<ul>{headlines}</ul>\n'
            f"<table><thead><tr><th>Package</th>{heads}</tr></thead><tbody>{rows}</tbody></table>"
        )

    def _hammer(self, report: AuditReport) -> str:
        if not report.hammer:
            return ""
        rows = []
        for sample in report.hammer:
            css = (
                "race"
                if sample.verdict is HammerVerdict.RACE
                else ("ok" if sample.verdict is HammerVerdict.NO_RACE_OBSERVED else "muted")
            )
            expected = {True: "yes", False: '<b class="race">no</b>', None: "-"}[sample.matches_expectation]
            first_failure = ""
            if sample.target and sample.target.failure_examples:
                example = sample.target.failure_examples[0]
                first_failure = (
                    f'<br><span class="muted">{e(example.kind.value)}: {e(example.message)} '
                    f"(after {example.seconds_into_run:.2f}s)</span>"
                )
            rows.append(
                f'<tr class="sample"><td class="name">{e(sample.name)}<br><span class="muted">'
                f"{e(sample.description)}</span></td>"
                f'<td class="{css}">{e(_summary.sample_verdict_text(sample))}{first_failure}</td>'
                f"<td>{e(_summary.baseline_verdict_text(sample))}</td>"
                f"<td>{e(_summary.classification_text(sample))}</td><td>{expected}</td>"
                f"<td>{e(_summary.sample_performance_text(sample, report.hammer) or '-')}</td></tr>"
            )
        return (
            '<h2 id="harness">Thread-hammer harness</h2>\n<table><thead><tr><th>Sample</th>'
            "<th>Free-threaded</th><th>With the GIL</th><th>Classification</th><th>As expected</th>"
            "<th>Throughput (free-threaded), gain over the GIL, cost of the fix</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def _findings(self, report: AuditReport) -> str:
        grouped = _summary.findings_by_severity(report)
        if not any(grouped.values()):
            return ""
        parts = ['<h2 id="findings">Findings</h2>']
        for severity, findings in grouped.items():
            if findings:
                parts.append(f"<h3>{e(severity.value.capitalize())} ({len(findings)})</h3>")
                parts.extend(_finding_html(finding, severity) for finding in findings)
        return "\n".join(parts)

    def _footer(self, report: AuditReport) -> str:
        return (
            f"<footer>Generated by {e(report.tool)} {e(report.tool_version)} · JSON schema "
            f"{e(report.schema_version)}</footer>"
        )


def _finding_html(finding: Finding, severity: Severity) -> str:
    where = _summary.location_text(finding)
    details = []
    if finding.distribution:
        details.append(f"<li>distribution: {e(finding.distribution)}</li>")
    if finding.location and finding.location.snippet:
        details.append(f"<li>source: <code>{e(finding.location.snippet)}</code></li>")
    details += [f"<li>evidence: {e(item)}</li>" for item in finding.evidence]
    if finding.fix:
        details.append(f"<li>fix: {e(finding.fix)}</li>")
    if finding.suppressed:
        details.append(f"<li>suppressed: {e(finding.suppression_reason or 'no reason given')}</li>")
    css = "finding suppressed" if finding.suppressed else "finding"
    # Open what needs action, so the evidence and the fix are read (and printed).
    opened = " open" if severity is not Severity.NOTE and not finding.suppressed else ""
    where_summary = f' <span class="muted">{e(where)}</span>' if where else ""
    return (
        f'<details class="{css}"{opened}><summary><span class="pill sev-{e(severity.value)}">'
        f"{e(finding.rule)}</span> {e(finding.message)}{where_summary}</summary>"
        f"<ul>{''.join(details)}</ul></details>"
    )


def readiness_svg(summary: _summary.ReadinessSummary, width: int = 760) -> str:
    """The installed environment: one segment per verdict."""
    segments = [
        (_summary.VERDICT_LABELS[v], summary.counts[v], _summary.VERDICT_COLOURS[v])
        for v in _summary.VERDICT_ORDER
    ]
    share = round(100 * summary.usable_share)
    return stacked_bar_svg(
        "readiness-chart", f"{share}% of distributions run without the GIL", segments, width
    )


def tree_svg(report: AuditReport, width: int = 760) -> str:
    """The dependency tree before install: one segment per wheel status."""
    counts = _summary.tree_counts(report)
    segments = [
        (label, counts[status], _summary.TREE_STATUS_COLOURS[status])
        for status, label in _summary.TREE_STATUS_LABELS.items()
    ]
    total = sum(counts.values())
    ready = counts["ready"] + counts["pure"]
    return stacked_bar_svg(
        "tree-chart", f"{ready} of {total} dependencies have wheels for the target", segments, width
    )


def stacked_bar_svg(
    element_id: str, description: str, segments: list[tuple[str, int, str]], width: int = 760
) -> str:
    """A stacked bar with a legend; pure SVG (no script), every label escaped."""
    bar_height, legend_top = 30, 48
    total = sum(count for _, count, _ in segments) or 1
    x = 0.0
    shapes = []
    for label, count, colour in segments:
        if not count:
            continue
        segment_width = width * count / total
        shapes.append(
            f'<rect x="{x:.1f}" y="0" width="{segment_width:.1f}" height="{bar_height}" '
            f'fill="{colour}"><title>{e(label)}: {count}</title></rect>'
        )
        if segment_width > 28:
            shapes.append(
                f'<text x="{x + segment_width / 2:.1f}" y="20" text-anchor="middle" '
                f'fill="#fff" font-size="14" font-weight="600">{count}</text>'
            )
        x += segment_width
    legend_x = 0
    for label, count, colour in segments:
        text = f"{label} ({count})"
        shapes.append(
            f'<rect x="{legend_x}" y="{legend_top}" width="14" height="14" fill="{colour}"/>'
            f'<text x="{legend_x + 20}" y="{legend_top + 12}" font-size="13" fill="#1d232a">{e(text)}</text>'
        )
        legend_x += 30 + 7 * len(text)
    return (
        f'<svg id="{e(element_id)}" role="img" aria-label="{e(description)}" '
        f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{legend_top + 20}" '
        f'viewBox="0 0 {width} {legend_top + 20}" style="max-width:100%;height:auto">'
        f"{''.join(shapes)}</svg>"
    )
