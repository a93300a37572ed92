"""Terminal, Markdown and JUnit reporters on realistic reports (SARIF and HTML have their own files)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import pytest
from _report_samples import HOSTILE, full_report, hostile_report

from auditor.model import AuditReport
from auditor.reporters import available_reporters, get_reporter, reporter_for_filename
from auditor.reporters.markdown import MarkdownReporter
from auditor.reporters.terminal import MAX_WIDTH, TerminalReporter

pytestmark = pytest.mark.timeout(60)


def test_every_format_is_registered_and_picked_by_file_name():
    assert {"terminal", "markdown", "html", "sarif", "junit", "json"} <= set(available_reporters())
    assert reporter_for_filename("report.md", "terminal").name == "markdown"
    assert reporter_for_filename("report.html", "terminal").name == "html"
    assert reporter_for_filename("ftaudit.sarif", "terminal").name == "sarif"
    assert reporter_for_filename("junit.xml", "terminal").name == "junit"


@pytest.mark.parametrize("name", ["terminal", "markdown", "html", "sarif", "junit", "json"])
def test_every_format_renders_an_empty_report(name):
    text = get_reporter(name).render(AuditReport())
    assert text.strip()


# --------------------------------------------------------------------------- terminal


def test_terminal_piped_output_has_no_escape_codes_and_stays_narrow():
    text = TerminalReporter(width=100, color=False).render(full_report())
    assert "\x1b[" not in text
    assert max(len(line) for line in text.splitlines()) <= MAX_WIDTH


def test_terminal_shows_summary_tables_findings_and_partial_warning():
    text = TerminalReporter(width=100, color=False).render(full_report())
    assert "33% ready" in text  # numpy ready + requests pure, of six
    assert "PARTIAL RESULT" in text and "METADATA missing" in text
    for name in ("numpy 2.3.1", "PyYAML 6.0.2", "lxml 5.2.2", "oddpkg 0.1", "requests 2.32.4"):
        assert name in text
    # Probed: the runtime column is there and says whether the probe agreed.
    assert "runtime" in text and "agrees" in text
    assert "shared_counter" in text and "race in 17/20 trials" in text
    assert "8 threads 4.1M" in text and "3.42x" in text and "on 8 cores" in text  # wraps in the column
    assert text.index("ERROR (3)") < text.index("WARNING (2)") < text.index("NOTE (1)")
    assert "Upgrade lxml from 5.2.2 to 5.4.0" in " ".join(text.split())


def test_terminal_hides_runtime_column_when_not_probed():
    text = TerminalReporter(width=100, color=False).render(full_report(probed=False))
    header = next(line for line in text.splitlines() if "distribution" in line and "verdict" in line)
    assert "runtime" not in header


def test_terminal_colour_when_forced_and_markup_in_names_is_not_interpreted():
    report = hostile_report()
    report.scan.distributions[-1].name = "[bold red]fake[/]"
    text = TerminalReporter(width=100, color=True).render(report)
    assert "\x1b[" in text
    assert "[bold red]fake[/]" in re.sub(r"\x1b\[[0-9;]*m", "", text).replace("\n", "")


def test_terminal_lists_only_what_needs_attention_in_a_large_environment():
    text = TerminalReporter(width=100, color=False, full_table_limit=4).render(full_report())
    assert "Distributions needing attention (4; 2 ready or pure not listed" in text
    assert "numpy 2.3.1" not in text and "lxml 5.2.2" in text
    text = TerminalReporter(width=100, color=False, findings_limit=1).render(full_report())
    assert "... and 2 more error finding(s)" in text and "PyList_GET_ITEM returns" not in text


def test_terminal_stays_readable_on_a_narrow_terminal():
    text = TerminalReporter(width=60, color=False).render(full_report())
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "lxml" in text


# --------------------------------------------------------------------------- markdown


def _table_rows(markdown: str, heading: str) -> list[str]:
    section = markdown.split(heading, 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ---")]


def test_markdown_tables_and_sections():
    text = MarkdownReporter().render(full_report())
    assert text.startswith("# Free-threading readiness report")
    rows = _table_rows(text, "## Distributions")
    assert len(rows) == 1 + 6  # header + one per distribution
    assert all(row.count(" | ") == rows[0].count(" | ") for row in rows)
    assert "**needs-build**" in rows[1]  # blockers first
    assert "## Next steps" in text and "## Thread-hammer harness" in text
    numpy_row = next(row for row in _table_rows(text, "## Dependency tree") if row.startswith("| numpy |"))
    assert "| stays off |" in numpy_row
    assert "> [!WARNING]" in text


def test_markdown_escapes_html_and_table_syntax_from_packages():
    text = MarkdownReporter().render(hostile_report())
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    evil_row = next(row for row in _table_rows(text, "## Distributions") if "evil" in row)
    header = _table_rows(text, "## Distributions")[0]
    # The "|" in the reason is escaped, so the row has as many cells as the header.
    assert len(re.split(r"(?<!\\)\|", evil_row)) == len(re.split(r"(?<!\\)\|", header))
    assert "\x07" not in text


# --------------------------------------------------------------------------- junit


def test_junit_counts_cases_and_failures():
    root = ElementTree.fromstring(get_reporter("junit").render(full_report()).encode())
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"distributions", "dependency-tree", "thread-hammer", "findings", "partial-result"}
    distributions = suites["distributions"]
    assert distributions.get("tests") == "6"
    assert distributions.get("failures") == "3"  # two gil-fallback, one needs-build
    assert distributions.get("errors") == "1"  # unknown
    failed = {case.get("name") for case in distributions if case.find("failure") is not None}
    assert failed == {"PyYAML 6.0.2", "MarkupSafe 2.1.5", "lxml 5.2.2"}
    hammer = {case.get("name"): case for case in suites["thread-hammer"]}
    assert hammer["shared_counter"].find("failure").get("type") == "race-without-gil"
    assert hammer["cffi_buffer"].find("error") is not None
    assert hammer["locked_cache"].find("failure") is None
    assert hammer["shared_counter"].get("time") == "8.400"  # 4.2 s on each interpreter
    skipped = [case for case in suites["findings"] if case.find("skipped") is not None]
    assert len(skipped) == 1 and "never shared" in skipped[0].find("skipped").get("message")
    assert suites["dependency-tree"].get("failures") == "2"  # lxml and pyarrow ship no cp313t wheel
    total = sum(int(suite.get("tests")) for suite in root)
    assert root.get("tests") == str(total)


def test_junit_is_well_formed_with_hostile_and_control_characters():
    text = get_reporter("junit").render(hostile_report())
    root = ElementTree.fromstring(text.encode())  # raises on a bare control character
    names = [case.get("name") for case in root.iter("testcase")]
    assert any(HOSTILE in (name or "") for name in names)  # escaped by the XML writer, read back intact
    assert "\x07" not in text


def test_junit_fails_a_tree_wheel_that_would_re_enable_the_gil():
    report = full_report()
    numpy = next(package for package in report.tree.packages if package.name == "numpy")
    numpy.gil_fallback, numpy.gil_fallback_modules = True, ["numpy._core._multiarray_umath"]
    root = ElementTree.fromstring(get_reporter("junit").render(report).encode())
    case = next(
        case
        for case in root.iter("testcase")
        if case.get("name") == "numpy 2.3.1" and case.get("classname") == "ftaudit.tree"
    )
    assert case.find("failure").get("type") == "gil-fallback"


def test_markdown_next_steps_quote_commands_as_code_and_escape_the_rest():
    from auditor.reporters.markdown import step_text

    assert step_text("Run `ftaudit probe` to confirm <b>x_y</b>.") == (
        "Run `ftaudit probe` to confirm &lt;b&gt;x\\_y&lt;/b&gt;."
    )
    # Only our own command quotes become code; a package's backticks stay escaped text.
    assert step_text("name `rm -rf` here") == "name \\`rm -rf\\` here"
