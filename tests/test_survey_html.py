"""The survey's tracker page: self-contained, escaped, sortable without a script, and
rendered by a real headless Chromium (Debian's package, installed by setup)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from _survey_helpers import REAL_PROJECTS, survey_index

from auditor.pipelines.survey import LocalPoolEngine, ProjectEntry, run_survey
from auditor.reporters.survey_html import render_survey_html

pytestmark = pytest.mark.timeout(300)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'
_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]  # fmt: skip


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    folder = tmp_path_factory.mktemp("survey")
    names = [*REAL_PROJECTS, "coreproj", "sdistproj", "pureproj", "missingproj"]
    with survey_index(folder / "wheels") as index, LocalPoolEngine(2) as engine:
        result = run_survey(
            [ProjectEntry(name, rank) for rank, name in enumerate(names, start=1)],
            index_url=index.url,
            engine=engine,
            cache_dir=folder / "cache",
        )
    # What a hostile wheel could put into the page: a module name, a problem message.
    lxml = next(project for project in result.projects if project.name == "lxml")
    lxml.target("3.15t").latest.wheel.gil_fallback_modules.insert(0, HOSTILE)
    lxml.errors.append(HOSTILE)
    return result


def chromium(tmp_path: Path, url: str, *extra: str) -> subprocess.CompletedProcess:
    if CHROMIUM is None:
        pytest.fail("chromium is not installed: scripts/setup.sh installs it (apt-get install chromium)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [CHROMIUM, *_FLAGS, f"--user-data-dir={profile}", *extra, url],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_page_is_self_contained_and_escapes_what_wheels_say(survey):
    text = render_survey_html(survey)
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in text
    assert "default-src 'none'" in text and "Content-Security-Policy" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text) and "url(" not in text
    assert text.count("<tr style=") == len(survey.projects)
    # The chart says "has wheels" versus "really free-threaded", per target.
    assert "3.15t: 18 ship a 3.15t wheel, 16 really free-threaded" in text
    assert "Partial survey." in text  # missingproj is not on the index


def test_every_sort_order_is_a_permutation_in_the_right_order(survey):
    text = render_survey_html(survey)
    rows = re.findall(r'<tr style="([^"]+)"><td>[^<]*</td><td class="name">([^<]+)</td>', text)
    assert len(rows) == len(survey.projects)
    orders = [dict(part.split(":") for part in style.replace("--", "").split(";")) for style, _ in rows]
    names = [name for _, name in rows]
    for key in ("rank", "name", "t0", "t1", "t2"):
        assert sorted(int(order[key]) for order in orders) == list(range(len(rows))), key
    by_name = [name for _, name in sorted(zip((int(o["name"]) for o in orders), names, strict=True))]
    assert by_name == sorted(names)
    by_314 = [name for _, name in sorted(zip((int(o["t1"]) for o in orders), names, strict=True))]
    statuses = {project.name: project.target("3.14t") for project in survey.projects}
    ranking = ["ready", "pure", "gil-fallback", "needs-build", "unknown"]
    seen = [ranking.index(statuses[name].latest.status) if statuses[name] else 4 for name in by_314]
    assert seen == sorted(seen) and by_314[-1] == "missingproj"


def test_chromium_renders_it_runs_nothing_and_sorts_by_the_link(survey, tmp_path):
    page = tmp_path / "tracker.html"
    page.write_text(render_survey_html(survey), encoding="utf-8")
    dom = chromium(tmp_path, page.as_uri(), "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "pwned</title>" not in dom.stdout and "<title>ftaudit survey: 22 projects</title>" in dom.stdout
    assert "<script" not in dom.stdout.lower() and dom.stdout.count("<tr style=") == 22
    shots = {}
    for fragment in ("", "#by-name", "#by-t1"):
        png = tmp_path / f"shot{fragment.replace('#', '-')}.png"
        done = chromium(tmp_path, page.as_uri() + fragment, f"--screenshot={png}", "--window-size=1400,1700")
        assert done.returncode == 0 and png.exists(), done.stderr[-2000:]
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a page with content, not blank
        shots[fragment] = hashlib.sha256(data).hexdigest()
    # The CSS-only sort really reorders the rows: each order is a different picture.
    assert len(set(shots.values())) == 3
