"""The survey's HTML tracker page: one self-contained file, no network, no script.

It keeps the HTML report's Content-Security-Policy (``default-src 'none'``, inline styles
only), so sorting is done without JavaScript: every row carries its position in each sort
order as a CSS custom property (``style="--name:17"``), the table body is a flex column,
and a link to ``#by-name`` makes the ``:target`` rule set ``order: var(--name)``. A sort is
therefore also a URL one can send (``tracker.html#by-name``; ``#by-t2``: the third target).
Every string that comes from an index or a wheel goes through :func:`~auditor.reporters.html.e`.

Not a registered :class:`~auditor.reporters.interface.Reporter`: those render an
AuditReport, and a survey is a document of its own.
"""

from __future__ import annotations

from ..model.environment import Verdict
from ..model.survey import (
    GIL_FALLBACK,
    NEEDS_BUILD,
    PURE,
    READY,
    STATUS_ORDER,
    UNKNOWN,
    ReleaseStatus,
    SurveyProject,
    SurveyResult,
)
from ._summary import VERDICT_COLOURS
from .html import e, stacked_bar_svg

_STATUS_LABELS = {
    READY: "free-threaded",
    GIL_FALLBACK: "re-enables the GIL",
    PURE: "pure Python",
    NEEDS_BUILD: "no wheel",
    UNKNOWN: "unknown",
}
_STATUS_COLOURS = {
    READY: VERDICT_COLOURS[Verdict.READY],
    GIL_FALLBACK: VERDICT_COLOURS[Verdict.GIL_FALLBACK],
    PURE: VERDICT_COLOURS[Verdict.PURE],
    NEEDS_BUILD: VERDICT_COLOURS[Verdict.NEEDS_BUILD],
    UNKNOWN: VERDICT_COLOURS[Verdict.UNKNOWN],
}
_CSS = """
:root { --ink: #1d232a; --muted: #5b6570; --line: #d9dee3; --paper: #ffffff; --band: #f5f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--ink); background: var(--band); }
main { max-width: 1320px; margin: 0 auto; padding: 22px 26px 48px; background: var(--paper);
       min-height: 100vh; }
h1 { font-size: 25px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
.meta { color: var(--muted); margin: 0 0 14px; }
.warning { background: #fff6e0; border-left: 5px solid #E69F00; padding: 8px 14px; margin: 14px 0; }
.chart { margin: 8px 0 18px; }
.chart p { margin: 0 0 4px; font-weight: 600; }
.chart p span { font-weight: normal; color: var(--muted); }
nav.sort { margin: 6px 0 10px; color: var(--muted); }
nav.sort a { margin: 0 6px; color: #0072B2; }
/* Fixed, so following a sort link does not scroll the page to the (invisible) target. */
.anchor { position: fixed; top: 0; visibility: hidden; }
table.survey { display: block; width: 100%; border-top: 1px solid var(--line); }
table.survey thead, table.survey tbody { display: flex; flex-direction: column; }
table.survey tr { display: grid; grid-template-columns: var(--columns); border-bottom: 1px solid var(--line);
                  order: var(--rank); }
table.survey th, table.survey td { display: block; padding: 5px 7px; text-align: left;
                                   overflow-wrap: anywhere; }
table.survey th { background: var(--band); font-weight: 600; }
table.survey td.name { font-weight: 600; }
table.survey tbody tr:nth-child(even) { background: #fbfcfd; }
.pill { display: inline-block; padding: 0 8px; border-radius: 9px; color: #fff; font-size: 12px;
        font-weight: 600; white-space: nowrap; }
.small { display: block; color: var(--muted); font-size: 12px; }
code { font-size: 12px; }
footer { margin-top: 34px; color: var(--muted); font-size: 12.5px; }
"""


def _sort_keys(result: SurveyResult) -> dict[str, list[int]]:
    """Per sort order, each project's position (0-based) in it, in result.projects order."""
    projects = result.projects
    positions: dict[str, list[int]] = {}

    def positions_of(key) -> list[int]:
        ordered = sorted(range(len(projects)), key=key)
        place = [0] * len(projects)
        for position, index in enumerate(ordered):
            place[index] = position
        return place

    def rank(index: int) -> int:
        return projects[index].rank if projects[index].rank is not None else 10**9

    positions["rank"] = positions_of(lambda index: (rank(index), projects[index].name))
    positions["name"] = positions_of(lambda index: projects[index].name)
    for number, target in enumerate(result.targets):

        def readiness(index: int, target: str = target) -> tuple[int, int]:
            status = projects[index].target(target)
            latest = status.latest.status if status and status.latest else UNKNOWN
            return STATUS_ORDER.index(latest) if latest in STATUS_ORDER else len(STATUS_ORDER), rank(index)

        positions[f"t{number}"] = positions_of(readiness)
    return positions


def _counts(result: SurveyResult, target: str) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for project in result.projects:
        status = project.target(target)
        latest = status.latest.status if status and status.latest else UNKNOWN
        counts[latest if latest in counts else UNKNOWN] += 1
    return counts


def _chart(result: SurveyResult, target: str) -> str:
    counts = _counts(result, target)
    has_wheel = counts[READY] + counts[GIL_FALLBACK]
    segments = [(_STATUS_LABELS[status], counts[status], _STATUS_COLOURS[status]) for status in STATUS_ORDER]
    description = f"{target}: {has_wheel} projects ship a wheel, {counts[READY]} really run free-threaded"
    return (
        f'<div class="chart"><p>{e(target)}: {has_wheel} ship a {e(target)} wheel, '
        f"{counts[READY]} really free-threaded <span>({counts[GIL_FALLBACK]} re-enable the GIL on import;"
        f" {counts[PURE]} pure Python; {counts[NEEDS_BUILD]} without a wheel)</span></p>"
        + stacked_bar_svg(f"chart-{target}", description, segments, width=900)
        + "</div>"
    )


def _release_cell(release: ReleaseStatus | None, first: ReleaseStatus | None) -> str:
    if release is None:
        return '<td><span class="small">not judged</span></td>'
    colour = _STATUS_COLOURS.get(release.status, _STATUS_COLOURS[UNKNOWN])
    label = _STATUS_LABELS.get(release.status, release.status)
    parts = [f'<span class="pill" style="background:{colour}" title="{e(release.reason)}">{e(label)}</span>']
    wheel = release.wheel
    if wheel is not None:
        detail = f"{len(wheel.modules)} module(s), {', '.join(wheel.abis)}"
        parts.append(f'<span class="small">{e(detail)}</span>')
    if first is not None and first.version != release.version:
        first_label = _STATUS_LABELS.get(first.status, first.status)
        parts.append(f'<span class="small">first: {e(first.version)} ({e(first_label)})</span>')
    return f"<td>{''.join(parts)}</td>"


def _row(project: SurveyProject, targets: list[str], orders: dict[str, int]) -> str:
    style = ";".join(f"--{key}:{value}" for key, value in orders.items())
    cells = [
        f"<td>{e(project.rank if project.rank is not None else '')}</td>",
        f'<td class="name">{e(project.name)}</td>',
        f"<td>{e(project.latest_version or '-')}</td>",
    ]
    generators: set[str] = set()
    fallbacks: list[str] = []
    risky: dict[str, int] = {}
    for target in targets:
        status = project.target(target)
        cells.append(_release_cell(status.latest if status else None, status.first_ready if status else None))
        wheel = status.latest.wheel if status and status.latest else None
        if wheel is not None:
            generators.update(wheel.generators)
            fallbacks.extend(module for module in wheel.gil_fallback_modules if module not in fallbacks)
            for rule, count in wheel.risky_symbols.items():
                risky[rule] = max(risky.get(rule, 0), count)
    cells.append(f"<td>{e(', '.join(sorted(generators)) or '-')}</td>")
    shown = ", ".join(fallbacks[:4]) + (f" and {len(fallbacks) - 4} more" if len(fallbacks) > 4 else "")
    cells.append(f"<td><code>{e(shown)}</code></td>" if fallbacks else "<td>-</td>")
    risky_text = ", ".join(f"{rule} \u00d7{count}" for rule, count in sorted(risky.items()))
    problems = f'<span class="small">{len(project.errors)} problem(s)</span>' if project.errors else ""
    cells.append(f'<td title="{e("; ".join(project.errors[:5]))}">{e(risky_text or "-")}{problems}</td>')
    return f'<tr style="{style}">' + "".join(cells) + "</tr>"


def render_survey_html(result: SurveyResult) -> str:
    """The whole tracker page for ``result``."""
    targets = list(result.targets)
    sort_keys = _sort_keys(result)
    sort_names = {"rank": "rank", "name": "name"} | {
        f"t{number}": f"status on {target}" for number, target in enumerate(targets)
    }
    # One :target rule per sort order; each id is a hidden element before the table.
    sort_css = "".join(
        f"#by-{key}:target ~ table.survey tbody tr {{ order: var(--{key}); }}\n"
        f'#by-{key}:target ~ nav.sort a[href="#by-{key}"] {{ font-weight: 700; color: var(--ink); }}\n'
        for key in sort_names
    )
    columns = f"3.5em minmax(9em,1.3fr) 6.5em repeat({len(targets)}, minmax(9.5em,1fr)) 1fr 1.4fr 1fr"
    anchors = "".join(f'<span class="anchor" id="by-{key}"></span>' for key in sort_names)
    links = " ".join(f'<a href="#by-{key}">{e(label)}</a>' for key, label in sort_names.items())
    header = (
        "<thead><tr><th>#</th><th>Project</th><th>Newest</th>"
        + "".join(f"<th>{e(target)}</th>" for target in targets)
        + "<th>Generators</th><th>Re-enable the GIL</th><th>Risky imports</th></tr></thead>"
    )
    rows = [
        _row(project, targets, {key: values[index] for key, values in sort_keys.items()})
        for index, project in enumerate(result.projects)
    ]
    warning = ""
    if result.partial:
        troubled = sum(1 for project in result.projects if project.errors)
        warning = (
            f'<div class="warning"><b>Partial survey.</b> {troubled} project(s) could not be read completely'
            f"{' and ' + str(len(result.errors)) + ' input problem(s)' if result.errors else ''}; the JSON"
            " document lists each problem. A re-run reads only what is missing.</div>"
        )
    stats = result.stats
    meta = (
        f"{len(result.projects)} projects from <code>{e(result.index_url)}</code> · targets "
        f"{e(', '.join(targets))} · {stats.wheels} wheels read ({stats.wheels_from_store} from the store) · "
        f"created {e(result.created)}"
    )
    body = [
        "<h1>Free-threading survey</h1>",
        f'<p class="meta">{meta}</p>',
        warning,
        '<section id="summary"><h2>Has wheels versus really free-threaded</h2>',
        "<p>A wheel tag says a wheel exists; the binaries say whether importing it keeps the GIL off."
        " Newest release of each project, per target.</p>",
        *(_chart(result, target) for target in targets),
        "</section>",
        '<section id="projects"><h2>Projects</h2>',
        anchors,
        f'<nav class="sort">Sort by {links}</nav>',
        f'<table class="survey" style="--columns:{columns}">{header}<tbody>'
        + "".join(rows)
        + "</tbody></table>",
        "</section>",
        f"<footer>ftaudit {e(result.tool_version)} · analyser {e(result.analyser)} · read from the ELF"
        " binaries, nothing installed or imported.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>ftaudit survey: {len(result.projects)} projects</title>\n"
        f"<style>{_CSS}{sort_css}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(part for part in body if part)
        + "\n</main>\n</body>\n</html>\n"
    )
