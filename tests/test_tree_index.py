"""Index page parsing, the HTTP cache, targets and wheel judging, piece by piece."""

from __future__ import annotations

import json
import time

import pytest

from auditor.collectors.binary.target import TargetError, expand_platform, make_target
from auditor.collectors.tree.index.cache import CachedEntry, HttpCache, max_age_from
from auditor.collectors.tree.index.project_page import ProjectPageError, parse_project_page
from auditor.collectors.tree.judge import FileLike, judge_release

PAGE_URL = "https://index.example/simple/demo-pkg/"

HTML_PAGE = b"""<!DOCTYPE html>
<html><head><meta name="pypi:repository-version" content="1.1"></head><body>
<a href="../../packages/demo_pkg-1.0.tar.gz#sha256=aa" data-requires-python="&gt;=3.9">demo_pkg-1.0.tar.gz</a>
<a href="https://files.example/demo_pkg-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl#sha256=bb"
   data-requires-python="&gt;=3.9" data-core-metadata="sha256=cc">wheel</a>
<a href="/p/demo_pkg-1.1-py3-none-any.whl" data-yanked="">yanked without reason</a>
<a href="/p/demo_pkg-1.2-py3-none-any.whl" data-yanked="security hole" data-dist-info-metadata="true">x</a>
<a href="/p/other-1.0-py3-none-any.whl">belongs elsewhere</a>
<a href="/p/demo_pkg-1.3%2Bcpu-cp313-cp313t-manylinux_2_28_x86_64.whl">a local version, URL-encoded</a>
<a href="/p/demo_pkg-1.0.win32.exe">legacy installer</a>
</body></html>
"""


def test_pep503_html_page():
    page = parse_project_page("demo-pkg", PAGE_URL, HTML_PAGE, "text/html; charset=utf-8")
    assert page.form == "html"
    assert [file.filename for file in page.files] == [
        "demo_pkg-1.0.tar.gz",
        "demo_pkg-1.0-cp313-cp313t-manylinux_2_17_x86_64.whl",
        "demo_pkg-1.1-py3-none-any.whl",
        "demo_pkg-1.2-py3-none-any.whl",
        "demo_pkg-1.3+cpu-cp313-cp313t-manylinux_2_28_x86_64.whl",
    ]
    sdist, wheel, yanked, yanked_with_reason, local = page.files
    assert str(local.version) == "1.3+cpu"
    assert sdist.url == "https://index.example/packages/demo_pkg-1.0.tar.gz"
    assert sdist.requires_python == ">=3.9" and sdist.hashes == {"sha256": "aa"} and not sdist.is_wheel
    assert wheel.has_core_metadata and wheel.is_wheel and wheel.metadata_hashes == {"sha256": "cc"}
    assert yanked.yanked and yanked.yanked_reason is None
    assert yanked_with_reason.yanked_reason == "security hole" and yanked_with_reason.has_core_metadata
    assert [str(version) for version in page.versions()] == ["1.0", "1.1", "1.2", "1.3+cpu"]
    assert any("belongs to 'other'" in problem for problem in page.problems)


def test_pep691_json_page():
    document = {
        "meta": {"api-version": "1.1"},
        "name": "demo-pkg",
        "versions": ["1.0", "3.0"],
        "files": [
            {
                "filename": "demo_pkg-1.0-py3-none-any.whl",
                "url": "/f/demo_pkg-1.0-py3-none-any.whl",
                "hashes": {"sha256": "aa"},
                "requires-python": ">=3.8",
                "yanked": "bad",
                "core-metadata": {"sha256": "x"},
            },
            {
                "filename": "demo_pkg-1.0.tar.gz",
                "url": "https://f.example/demo_pkg-1.0.tar.gz",
                "hashes": {},
                "dist-info-metadata": False,
            },
            {"filename": "garbage.whl", "url": "x"},
        ],
    }
    page = parse_project_page(
        "demo-pkg", PAGE_URL, json.dumps(document).encode(), "application/vnd.pypi.simple.v1+json"
    )
    assert page.form == "json"
    wheel, sdist = page.files
    assert wheel.url == "https://index.example/f/demo_pkg-1.0-py3-none-any.whl"
    assert wheel.yanked and wheel.yanked_reason == "bad" and wheel.has_core_metadata
    assert not sdist.has_core_metadata
    assert wheel.metadata_hashes == {"sha256": "x"}
    # PEP 700 versions without files still count as releases.
    assert [str(version) for version in page.versions()] == ["1.0", "3.0"]
    assert any("garbage.whl" in problem for problem in page.problems)


def test_bad_pages_raise_with_the_url():
    with pytest.raises(ProjectPageError, match="index.example.*not valid JSON"):
        parse_project_page("demo-pkg", PAGE_URL, b"{", "application/vnd.pypi.simple.v1+json")
    with pytest.raises(ProjectPageError, match="version 2.0 is not supported"):
        parse_project_page(
            "demo-pkg",
            PAGE_URL,
            b'{"meta": {"api-version": "2.0"}, "files": []}',
            "application/vnd.pypi.simple.v1+json",
        )
    with pytest.raises(ProjectPageError, match="unexpected Content-Type"):
        parse_project_page("demo-pkg", PAGE_URL, b"", "image/png")


def test_cache_control_and_freshness(tmp_path):
    assert max_age_from("max-age=600, public") == 600
    assert max_age_from("no-cache") == 0
    assert max_age_from(None) is None
    cache = HttpCache(tmp_path, ttl_seconds=100)
    cache.put(CachedEntry(url="https://x/a/", stored_at=time.time() - 50, etag='"e"', body=b"page"))
    entry = cache.get("https://x/a/")
    assert entry.body == b"page" and entry.etag == '"e"'
    assert entry.is_fresh(cache.ttl_seconds)
    assert not entry.is_fresh(cache.ttl_seconds, now=time.time() + 60)
    entry.max_age = 10
    assert not entry.is_fresh(cache.ttl_seconds)
    assert CachedEntry(url="u", stored_at=0, immutable=True).is_fresh(1)
    # A damaged record is a cache miss, not a crash.
    next(tmp_path.rglob("*.json")).write_text("{not json")
    assert cache.get("https://x/a/") is None


def test_platform_expansion():
    assert expand_platform("manylinux2014_x86_64")[:3] == [
        "manylinux_2_17_x86_64",
        "manylinux2014_x86_64",
        "manylinux_2_16_x86_64",
    ]
    assert "manylinux1_x86_64" in expand_platform("manylinux_2_28_x86_64")
    assert "manylinux_2_29_x86_64" not in expand_platform("manylinux_2_28_x86_64")
    assert expand_platform("musllinux_1_2_aarch64") == [
        "musllinux_1_2_aarch64",
        "musllinux_1_1_aarch64",
        "musllinux_1_0_aarch64",
    ]
    assert "macosx_10_9_universal2" in expand_platform("macosx_11_0_arm64")
    with pytest.raises(TargetError, match="unknown platform tag 'solaris'"):
        expand_platform("solaris")


def test_targets_and_their_marker_environments():
    target = make_target("3.14t", ["win_amd64"])
    assert target.abi == "cp314t" and target.free_threaded
    assert {tag.abi for tag in target.binary_tags} == {"cp314t"}  # no abi3, no abi3t before 3.15
    assert target.marker_environment["sys_platform"] == "win32"
    assert target.marker_environment["platform_machine"] == "AMD64"
    assert {tag.abi for tag in make_target("3.15t").binary_tags} == {"cp315t", "abi3t"}  # PEP 803
    assert "abi3" in {tag.abi for tag in make_target("3.13").binary_tags}
    with pytest.raises(TargetError):
        make_target("3.12t")


@pytest.mark.parametrize(
    ("files", "status", "reason_part"),
    [
        (["x-1-cp313-cp313t-manylinux_2_17_x86_64.whl", "x-1.tar.gz"], "ready", "cp313t wheel"),
        (["x-1-py3-none-any.whl", "x-1-cp312-cp312-win_amd64.whl"], "pure", "separate question"),
        (["x-1-py2.py3-none-any.whl"], "pure", ""),
        (["x-1-cp39-abi3-manylinux_2_17_x86_64.whl"], "needs-build", "abi3 wheels cannot load"),
        (["x-1-cp313-cp313-manylinux_2_17_x86_64.whl"], "needs-build", "binary wheels only for cp313"),
        (["x-1-cp313-cp313t-macosx_11_0_arm64.whl"], "needs-build", "other platforms"),
        (["x-1-cp313-cp313t-manylinux_2_40_x86_64.whl"], "needs-build", "other platforms"),  # glibc too new
        (["x-1.tar.gz"], "needs-build", "sdist only"),
        ([], "unknown", "no files"),
    ],
)
def test_judge_release(files, status, reason_part):
    judgement = judge_release([FileLike(name) for name in files], make_target("3.13t"))
    assert judgement.status == status
    assert reason_part in judgement.reason


def test_requires_python_excludes_files():
    target = make_target("3.13t")
    judgement = judge_release([FileLike("x-1-cp313-cp313t-manylinux_2_17_x86_64.whl", ">=3.14")], target)
    assert judgement.status == "needs-build" and "Requires-Python" in judgement.reason
