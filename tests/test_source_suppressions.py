"""Inline `ftaudit: ignore` comments in Python and C, applied by the engine."""

from __future__ import annotations

import pytest

from auditor.engine.suppressions import parse_suppressions
from auditor.pipelines.source_scan import scan_source

pytestmark = pytest.mark.timeout(60)


def test_parse_codes_bare_and_line_above():
    table = parse_suppressions("a = 1  # ftaudit: ignore[FTP001, ftp002]\n# ftaudit: ignore\nb = 2\n")
    assert table[1] == {"FTP001", "FTP002"}
    assert table[2] == {"FTP001", "FTP002", "*"}
    assert table[3] == {"*"}
    assert 4 not in table


def test_python_suppressions(tmp_path):
    (tmp_path / "state.py").write_text(
        "_a = []\n_b = []\n_c = []\n\n"
        "def f(x):\n"
        "    _a.append(x)  # ftaudit: ignore[FTP001]\n"
        "    # ftaudit: ignore\n"
        "    _b.append(x)\n"
        "    _c.append(x)  # ftaudit: ignore[FTP003]\n"
    )
    result = scan_source([tmp_path], use_cache=False)
    by_line = {finding.location.line: finding for finding in result.findings}
    assert set(by_line) == {6, 8, 9}
    assert by_line[6].suppressed and by_line[6].suppression_reason == "inline comment"
    assert by_line[8].suppressed
    assert not by_line[9].suppressed, "a directive for another code does not hide this one"


def test_c_suppressions_both_comment_styles(tmp_path):
    (tmp_path / "mod.c").write_text(
        "static int a, b, c;\n"
        "void f(void) {\n"
        "    a++; /* ftaudit: ignore[FTC001] */\n"
        "    // ftaudit: ignore[FTC001]\n"
        "    b++;\n"
        "    c++;\n"
        "}\n"
    )
    result = scan_source([tmp_path], use_cache=False)
    state = {finding.location.line: finding.suppressed for finding in result.findings}
    assert state == {3: True, 5: True, 6: False}
