"""``ftaudit tree --inspect-wheels --platform ...`` in the terminal, Markdown and HTML: the
wheel read for each platform is shown there too, not only in the JSON, so a GIL fallback
on one platform is visible with the platform it happens on."""

from __future__ import annotations

import pytest
from _index_server import LINUX, FixtureIndex, inspection_world

from auditor.cli import main as ftaudit_main
from auditor.collectors.interpreters.provision import find_provisioned
from auditor.model import AuditReport
from auditor.model.tree import PackageWheelStatus, TreeResult, WheelPlatformInspection
from auditor.reporters import get_reporter
from auditor.reporters.terminal import TerminalReporter

pytestmark = pytest.mark.timeout(300)


def _render(tree: TreeResult) -> str:
    return TerminalReporter(width=200, color=False).render(AuditReport.create(target=tree.target, tree=tree))


def _platform_rows(text: str) -> list[tuple[str, ...]]:
    """The rows of the per-platform table, each cell's folded lines joined with a space."""
    lines = text.split("Wheels read per platform", 1)[1].splitlines()
    rows: list[list[str]] = []
    for line in lines[4:]:  # title, top border, header, header rule
        if not line.startswith("│"):
            break
        cells = [cell.strip() for cell in line.strip("│").split("│")]
        if cells[0] or not rows:
            rows.append(cells)
        else:  # a folded continuation of the row above
            rows[-1] = [f"{before} {after}" for before, after in zip(rows[-1], cells, strict=True)]
    return [tuple(row) for row in rows]


def _squeezed(text: str) -> str:
    # A cell folds at spaces or, for a long word, anywhere: compare without the spaces.
    return "".join(text.split())


def _has_row(text: str, package: str, platform: str, gil: str, problem: str = "") -> bool:
    return any(
        _squeezed(row[0]) == package
        and _squeezed(row[1]) == platform
        and _squeezed(row[3]) == _squeezed(gil)
        and _squeezed(problem) in _squeezed(row[4])
        for row in _platform_rows(text)
    )


def _platform_tree() -> TreeResult:
    keeper = PackageWheelStatus(
        name="gilonwindows",
        version="1.0",
        pinned=False,
        ready=True,
        status="ready",
        gil_fallback=True,
        gil_fallback_modules=["gilonwindows.sax"],
        platform_inspections=[
            WheelPlatformInspection(
                "macosx_10_15_x86_64", "gilonwindows-1.0-cp314-cp314t-macosx_10_15_x86_64.whl", False
            ),
            WheelPlatformInspection(
                "win_amd64", "gilonwindows-1.0-cp314-cp314t-win_amd64.whl", True, ["gilonwindows.sax"]
            ),
            WheelPlatformInspection(
                "musllinux_1_2_x86_64", None, problems=["no musllinux_1_2_x86_64 wheel to inspect"]
            ),
        ],
    )
    unread = PackageWheelStatus(
        name="toolarge",
        version="2.0",
        pinned=False,
        ready=True,
        status="ready",
        platform_inspections=[
            WheelPlatformInspection(
                "win_amd64", "toolarge-2.0-cp314-cp314t-win_amd64.whl", None, [], ["too big"]
            )
        ],
    )
    return TreeResult(
        "requirements.txt",
        "3.14t",
        "https://example.invalid/simple",
        packages=[keeper, unread],
        platforms=["macosx_10_15_x86_64", "win_amd64", "musllinux_1_2_x86_64"],
    )


def test_each_platform_read_gets_a_row():
    text = _render(_platform_tree())
    assert _has_row(text, "gilonwindows", "macosx_10_15_x86_64", "stays off")
    assert _has_row(text, "gilonwindows", "win_amd64", "re-enables: gilonwindows.sax")
    assert _has_row(text, "gilonwindows", "musllinux_1_2_x86_64", "no wheel", "no musllinux_1_2_x86_64 wheel")
    assert _has_row(text, "toolarge", "win_amd64", "unknown", "too big")
    assert len(_platform_rows(text)) == 4


def test_without_platform_inspections_there_is_no_such_table():
    plain = PackageWheelStatus(name="purelib", version="3.0", pinned=False, ready=True, status="pure")
    text = _render(
        TreeResult("requirements.txt", "3.13t", "https://example.invalid/simple", packages=[plain])
    )
    assert "purelib" in text and "Wheels read per platform" not in text


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    found = find_provisioned()
    if found is None:
        pytest.fail("no provisioned free-threaded 3.13 (run `ftaudit provision`) to build the extensions")
    with FixtureIndex(inspection_world(str(found.executable)), tmp_path_factory.mktemp("wheels")) as server:
        yield server


def test_the_cli_shows_the_wheel_read_for_each_platform(index, tmp_path, capsys):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("gilfree\ngilkeeper\n")
    linux = LINUX.split(".")[0]
    arguments = ["tree", str(requirements), "--index-url", index.url, "--cache-dir", str(tmp_path / "cache")]
    arguments += ["--inspect-wheels", "--platform", linux, "--platform", "win_amd64", "--format", "terminal"]
    arguments += ["--target", "3.13t"]  # the fixture wheels are cp313t
    ftaudit_main(arguments)
    text = capsys.readouterr().out  # piped, so at the reporter's 100 columns: cells fold
    assert _has_row(text, "gilkeeper", linux, "re-enables: gilkeeper._core")
    assert _has_row(text, "gilfree", linux, "stays off")
    assert _has_row(text, "gilkeeper", "win_amd64", "no wheel", "no win_amd64 wheel")
    assert len(_platform_rows(text)) == 4


def test_markdown_and_html_show_the_same_rows():
    tree = _platform_tree()
    report = AuditReport.create(target=tree.target, tree=tree)
    markdown = get_reporter("markdown").render(report)
    section = markdown.split("### Wheels read per platform", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:5]
    # Markdown escapes the underscores of a platform tag; read the cells as text.
    cells = [[cell.strip().replace("\\_", "_") for cell in row.strip("|").split("|")] for row in rows]
    assert [(row[0], row[1]) for row in cells] == [
        ("gilonwindows", "macosx_10_15_x86_64"),
        ("gilonwindows", "win_amd64"),
        ("gilonwindows", "musllinux_1_2_x86_64"),
        ("toolarge", "win_amd64"),
    ]
    assert "re-enables: gilonwindows.sax" in cells[1][3] and "too big" in cells[3][4]

    from html.parser import HTMLParser

    class TableCells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.rows, self.in_cell = False, [], False

        def handle_starttag(self, tag, attrs):
            if tag == "h3" and ("id", "tree-platforms") in attrs:
                self.inside = True
            elif self.inside and tag == "tr":
                self.rows.append([])
            elif self.inside and tag == "td":
                self.in_cell = True
                self.rows[-1].append("")

        def handle_endtag(self, tag):
            if tag == "td":
                self.in_cell = False
            elif tag == "table" and self.inside:
                self.inside = False

        def handle_data(self, data):
            if self.in_cell:
                self.rows[-1][-1] += data

    parser = TableCells()
    parser.feed(get_reporter("html").render(report))
    html_rows = [row for row in parser.rows if row]
    assert [tuple(row[:2]) for row in html_rows] == [(row[0], row[1]) for row in cells]
    assert "re-enables: gilonwindows.sax" in html_rows[1][3]
