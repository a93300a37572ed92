"""The HTML report: self-contained, escaped, and rendered by a real headless Chromium.

Chromium is Debian's package (`apt-get install -y chromium`). Every run gets a fresh
profile and flags that stop it from reaching the network on its own, so the test also
shows the page needs nothing from outside.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from _report_samples import HOSTILE, full_report, hostile_report

from auditor.reporters.html import HtmlReporter

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--hide-scrollbars",
]


def _chromium(tmp_path: Path, page: Path, *extra: str) -> subprocess.CompletedProcess:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    profile.mkdir()
    return subprocess.run(
        [CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=90,
        stdin=subprocess.DEVNULL,
    )


def _dump_dom(tmp_path: Path, page: Path) -> str:
    completed = _chromium(tmp_path, page, "--dump-dom")
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def _png_size_and_distinct_rows(png: bytes) -> tuple[int, int, int]:
    """Width, height and how many distinct scanlines (a blank page has one or two)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, width, height, bytes_per_pixel = 8, b"", 0, 0, 4
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, _, colour_type = struct.unpack(">IIBB", data[:10])
            bytes_per_pixel = {2: 3, 6: 4}.get(colour_type, 4)
        elif kind == b"IDAT":
            idat += data
        position += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + width * bytes_per_pixel
    # Filter bytes differ between identical rows, so compare the rows without them.
    rows = {raw[offset + 1 : offset + stride] for offset in range(0, len(raw), stride)}
    return width, height, len(rows)


def test_page_is_self_contained_and_escapes_every_package_string():
    text = HtmlReporter().render(hostile_report())
    assert "<script" not in text.lower()
    assert "onerror=" not in text.replace("onerror=&quot;", "")  # only as escaped text
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in text
    # Nothing is fetched: no external stylesheet, script, font or image.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "url(" not in text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "\x07" not in text
    assert 'id="readiness-chart"' in text and "<svg" in text


def test_rows_and_sections():
    text = HtmlReporter().render(full_report())
    assert text.count('<tr class="distribution"') == 6
    assert text.count('<tr class="sample"') == 3
    assert text.count('<tr class="package"') == 3
    assert 'id="partial"' in text and "METADATA missing" in text
    assert "Upgrade lxml from 5.2.2 to 5.4.0, the first release with cp313t wheels." in text
    assert "Runtime (probe)" in text
    assert "Runtime (probe)" not in HtmlReporter().render(full_report(probed=False))


def test_tree_only_report_has_its_own_chart():
    from _report_samples import tree_result

    from auditor.model import AuditReport

    text = HtmlReporter().render(AuditReport(tree=tree_result()))
    assert 'id="tree-chart"' in text and 'id="readiness-chart"' not in text
    assert "Before install (requirements.txt): 1 of 3 dependencies have wheels for 3.13t" in text
    assert "2 would need a build" in text


@needs_chromium
@pytest.mark.timeout(240)
def test_chromium_renders_the_rows_and_runs_no_injected_script(tmp_path):
    # First prove the check can fail: a page that does run a script changes its title.
    control = tmp_path / "control.html"
    control.write_text(
        "<!DOCTYPE html><html><head><title>clean</title></head><body>"
        '<script>document.title="pwned"</script></body></html>',
        encoding="utf-8",
    )
    assert "<title>pwned</title>" in _dump_dom(tmp_path, control)

    page = tmp_path / "report.html"
    page.write_text(HtmlReporter().render(hostile_report()), encoding="utf-8")
    dom = _dump_dom(tmp_path, page)
    assert "pwned</title>" not in dom and "<title>ftaudit: free-threading readiness (3.13t)</title>" in dom
    assert len(re.findall(r'<tr class="distribution"', dom)) == 7
    assert len(re.findall(r'<tr class="sample"', dom)) == 3
    assert "<script" not in dom.lower() and "<img" not in dom.lower()
    # The hostile name is shown as text, exactly as the package wrote it.
    assert 'evil&lt;script&gt;document.title="pwned"&lt;/script&gt;' in dom


@needs_chromium
@pytest.mark.timeout(240)
def test_chromium_screenshot_is_a_real_picture(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(HtmlReporter().render(full_report()), encoding="utf-8")
    screenshot = tmp_path / "report.png"
    completed = _chromium(tmp_path, page, f"--screenshot={screenshot}", "--window-size=1280,2000")
    assert completed.returncode == 0, completed.stderr[-2000:]
    png = screenshot.read_bytes()
    width, height, distinct_rows = _png_size_and_distinct_rows(png)
    assert (width, height) == (1280, 2000)
    # Text, tables and the chart give hundreds of different scanlines; a blank or
    # failed render gives a handful.
    assert distinct_rows > 300, distinct_rows
    assert len(png) > 50_000
    print(f"screenshot kept at {screenshot}")


def test_hostile_constant_is_really_hostile():
    # Guard the fixture itself: if someone defused it, the escaping tests prove nothing.
    assert "<script>" in HOSTILE and "onerror=" in HOSTILE


def test_a_project_report_leads_with_the_decision_per_target():
    from _report_samples import project_report

    text = HtmlReporter().render(project_report())
    assert text.index('id="decision"') < text.index('id="summary"') < text.index('id="next-steps"')
    assert text.count('class="decision blocked"') == 2
    assert 'data-target="3.14t"><h3>3.14t<span class="badge">recommended</span>' in text
    assert "no active virtualenv and no .venv/ in the project" in text  # a skipped part says why


@needs_chromium
@pytest.mark.timeout(240)
def test_chromium_screenshot_of_a_project_report_shows_the_decision_at_the_top(tmp_path):
    from _report_samples import project_report

    page = tmp_path / "project.html"
    page.write_text(HtmlReporter().render(project_report()), encoding="utf-8")
    dom = _dump_dom(tmp_path, page)
    assert dom.index('id="decision"') < dom.index('id="summary"')
    screenshot = tmp_path / "project.png"
    completed = _chromium(tmp_path, page, f"--screenshot={screenshot}", "--window-size=1280,900")
    assert completed.returncode == 0, completed.stderr[-2000:]
    width, height, distinct_rows = _png_size_and_distinct_rows(screenshot.read_bytes())
    assert (width, height) == (1280, 900) and distinct_rows > 200, distinct_rows
    shutil.copy(screenshot, Path("/tmp") / "ftaudit-project-report.png")
    print(f"screenshot kept at {screenshot}")
