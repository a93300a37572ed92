"""`ftaudit survey` on the local process pool, against a real index on 127.0.0.1 serving real
wheels (Cython, PyO3, pybind11, nanobind, mypyc, hand-written C; cp314t, cp315t, abi3t) and
real extensions compiled here. The judging line of issue 10: every wheel judged, verdicts
equal to `tree --inspect-wheels` on the same wheels, and a re-run does no work."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from _survey_helpers import MANIFEST, REAL_PROJECTS, built_releases, comparable, survey_index
from packaging.utils import canonicalize_name

import auditor.model.survey as survey_model
from auditor.pipelines.dependency_tree import resolve_tree
from auditor.pipelines.survey import (
    LocalPoolEngine,
    ProjectEntry,
    ResultStore,
    diff_surveys,
    load_survey,
    run_survey,
)

pytestmark = pytest.mark.timeout(600)
REPOSITORY = Path(__file__).resolve().parent.parent
PROJECTS = [*REAL_PROJECTS, "coreproj", "sdistproj", "pureproj"]
# Every real wheel is read once per target it loads on, plus coreproj 1.0 and 2.0 for 3.13t.
EXPECTED_WHEELS = len(MANIFEST) + 2


def entries(names: list[str]) -> list[ProjectEntry]:
    return [ProjectEntry(name, rank) for rank, name in enumerate(names, start=1)]


def by_name(result) -> dict:
    return {project.name: project for project in result.projects}


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    with survey_index(tmp_path_factory.mktemp("wheels")) as server:
        yield server


@pytest.fixture(scope="module")
def local_survey(index, tmp_path_factory):
    folder = tmp_path_factory.mktemp("local")
    with LocalPoolEngine(2) as engine:
        result = run_survey(
            entries(PROJECTS),
            index_url=index.url,
            engine=engine,
            store=folder / "store.jsonl",
            cache_dir=folder / "cache",
        )
        assert engine.tasks_submitted == EXPECTED_WHEELS
    return result, folder


def test_every_wheel_is_judged_from_its_binaries(local_survey):
    result, _ = local_survey
    assert not result.partial, [project.errors for project in result.projects if project.errors]
    assert result.stats.wheels == result.stats.wheels_judged == EXPECTED_WHEELS
    assert result.stats.wheels_failed == 0 and result.stats.bytes_downloaded > 100 * 2**20
    projects = by_name(result)
    assert [project.name for project in result.projects] == PROJECTS  # the list's order, i.e. rank
    for name in REAL_PROJECTS:
        # No cp313t wheel among the pinned ones: 3.13t needs a build, the others have a wheel.
        assert projects[name].target("3.13t").latest.status == "needs-build"
        for target in ("3.14t", "3.15t"):
            status = projects[name].target(target)
            assert status.latest.wheel is not None and status.latest.wheel.modules, (name, target)
            assert status.first_ready.version == status.latest.version
    # Cython's lxml and nanobind's pyopencl ship free-threaded wheels that re-enable the GIL.
    for name in ("lxml", "pyopencl"):
        for target in ("3.14t", "3.15t"):
            latest = projects[name].target(target).latest
            assert latest.status == "gil-fallback" and latest.wheel.gil_fallback_modules, (name, target)
    assert "lxml.etree" in projects["lxml"].target("3.15t").latest.wheel.gil_fallback_modules
    numpy = projects["numpy"].target("3.15t").latest
    assert numpy.status == "ready" and len(numpy.wheel.modules) >= 15
    assert all(module.gil.value == "not-used" for module in numpy.wheel.modules)
    # PEP 803: cryptography's 3.15 wheel is abi3t, and its module says so.
    cryptography = projects["cryptography"].target("3.15t").latest.wheel
    assert cryptography.filename.endswith(".whl") and "abi3t" in cryptography.filename
    assert cryptography.abis == ["abi3t"] and cryptography.generators == ["PyO3"]
    generators = {
        generator
        for project in result.projects
        for status in project.targets
        if status.latest and status.latest.wheel
        for generator in status.latest.wheel.generators
    }
    assert {"Cython", "PyO3", "pybind11", "nanobind", "mypyc", "hand-written"} <= generators
    assert projects["cbor2"].target("3.14t").latest.wheel.risky_symbols  # the risky-import summary
    # The first 3.13t release of coreproj re-enabled the GIL; the newest does not.
    core = projects["coreproj"].target("3.13t")
    assert (core.first_ready.version, core.first_ready.status) == ("1.0", "gil-fallback")
    assert core.first_ready.wheel.gil_fallback_modules == ["coreproj._core"]
    assert (core.latest.version, core.latest.status) == ("2.0", "ready")
    assert projects["coreproj"].target("3.14t").latest.status == "needs-build"
    assert {status.latest.status for status in projects["sdistproj"].targets} == {"needs-build"}
    assert {status.latest.status for status in projects["pureproj"].targets} == {"pure"}


def test_verdicts_equal_tree_inspect_wheels_on_the_same_wheels(local_survey, index, tmp_path):
    result, _ = local_survey
    releases = [
        (project.name, status.target, which, release)
        for project in result.projects
        for status in project.targets
        for which, release in (("latest", status.latest), ("first_ready", status.first_ready))
        if release is not None
    ]
    compared = 0
    for target in result.targets:
        for which in ("latest", "first_ready"):
            wanted = {
                name: release for name, each, kind, release in releases if each == target and kind == which
            }
            requirements = tmp_path / f"requirements-{target}-{which}.txt"
            requirements.write_text(
                "".join(f"{name}=={release.version}\n" for name, release in wanted.items())
            )
            tree = resolve_tree(
                requirements,
                target=target,
                index_url=index.url,
                cache_dir=tmp_path / "tree-cache",
                inspect_wheels=True,
            )
            judged = {canonicalize_name(package.name): package for package in tree.packages}
            assert set(wanted) <= set(judged)
            for name, release in wanted.items():
                # The tree also lists what the pinned ones depend on; only the pinned are compared.
                package = judged[name]
                if package.status != "ready":
                    assert release.status == package.status, (package.name, target, which)
                    continue
                wheel = release.wheel
                assert wheel.filename == package.inspected_wheel, (package.name, target)
                assert wheel.gil_fallback == package.gil_fallback, (package.name, target)
                assert wheel.gil_fallback_modules == package.gil_fallback_modules, (package.name, target)
                assert release.status == ("gil-fallback" if package.gil_fallback else "ready")
                compared += 1
    assert compared == EXPECTED_WHEELS + len(REAL_PROJECTS) * 2  # the first ready is also the newest


def test_a_rerun_of_a_finished_survey_does_no_work(local_survey, index):
    result, folder = local_survey
    downloads = index.count("/files/")
    with LocalPoolEngine(2) as engine:
        again = run_survey(
            entries(PROJECTS),
            index_url=index.url,
            engine=engine,
            store=folder / "store.jsonl",
            cache_dir=folder,
        )
        assert engine.tasks_submitted == 0
    assert again.stats.tasks_submitted == 0 and again.stats.wheels_from_store == EXPECTED_WHEELS
    assert index.count("/files/") == downloads  # not a single wheel fetched
    assert comparable(again) == comparable(result)


def test_a_torn_store_line_costs_only_that_wheel(local_survey, index, tmp_path):
    result, folder = local_survey
    store = tmp_path / "store.jsonl"
    lines = (folder / "store.jsonl").read_text().splitlines(keepends=True)
    assert len(lines) == EXPECTED_WHEELS
    # A crash mid-append: the last line is cut in half.
    store.write_text("".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2])
    assert len(ResultStore(store)) == EXPECTED_WHEELS - 1 and ResultStore(store).damaged_lines == 1
    with LocalPoolEngine(1) as engine:
        again = run_survey(
            entries(PROJECTS), index_url=index.url, engine=engine, store=store, cache_dir=tmp_path
        )
        assert engine.tasks_submitted == 1
    assert comparable(again) == comparable(result)
    reloaded = ResultStore(store)
    assert len(reloaded) == EXPECTED_WHEELS and reloaded.damaged_lines == 1  # the torn half stays, unread


def test_a_wheel_that_cannot_be_fetched_is_not_stored_and_is_retried(index, tmp_path):
    store = tmp_path / "store.jsonl"
    names = ["numpy", "markupsafe"]
    with LocalPoolEngine(2) as engine:
        small = run_survey(
            entries(names),
            index_url=index.url,
            engine=engine,
            store=store,
            cache_dir=tmp_path,
            max_wheel_bytes=2**21,
        )
    assert small.partial and small.stats.wheels_failed == 2  # numpy's two 15 MB wheels
    numpy = by_name(small)["numpy"]
    assert numpy.target("3.14t").latest.status == "unknown"
    assert any("larger than" in problem for problem in numpy.errors)
    assert by_name(small)["markupsafe"].target("3.14t").latest.status == "ready"
    assert len(ResultStore(store)) == 2
    with LocalPoolEngine(2) as engine:
        full = run_survey(entries(names), index_url=index.url, engine=engine, store=store, cache_dir=tmp_path)
        assert engine.tasks_submitted == 2
    assert not full.partial and by_name(full)["numpy"].target("3.14t").latest.status == "ready"


def _ftaudit(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPOSITORY,
    )


def test_cli_exit_codes_and_per_project_errors(index, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("# two projects\nmarkupsafe 1000\nPyYAML\n")
    common = ["--index-url", index.url, "--store", str(tmp_path / "s.jsonl"), "--cache-dir", str(tmp_path)]
    done = _ftaudit("survey", str(good), *common, "-o", str(tmp_path / "good.json"), "--workers", "1")
    assert done.returncode == 0, done.stderr
    document = json.loads((tmp_path / "good.json").read_text())
    assert document["kind"] == "survey" and not document["partial"]
    assert [project["name"] for project in document["projects"]] == ["markupsafe", "pyyaml"]
    assert document["projects"][0]["downloads"] == 1000
    assert "3.15t: 2 ship a wheel, 2 really free-threaded" in done.stderr

    mixed = tmp_path / "mixed.txt"
    mixed.write_text("markupsafe\nnot-on-this-index\n../../etc/passwd\n")
    partial = _ftaudit("survey", str(mixed), *common, "-o", str(tmp_path / "mixed.json"))
    assert partial.returncode == 3, partial.stderr
    document = json.loads((tmp_path / "mixed.json").read_text())
    assert document["partial"] is True
    missing = next(project for project in document["projects"] if project["name"] == "not-on-this-index")
    assert "not found on the index" in missing["errors"][0]
    assert any("'../../etc/passwd' is not a valid project name" in problem for problem in document["errors"])
    assert index.count("passwd") == 0  # refused before any request
    assert "not-on-this-index" in partial.stderr

    assert _ftaudit("survey", str(tmp_path / "absent.txt"), *common).returncode == 2
    assert _ftaudit("survey", str(good), *common, "--target", "3.12x").returncode == 2
    assert _ftaudit("survey", str(good), "--dask", "--scheduler", "tcp://127.0.0.1:1").returncode == 2
    unreachable = _ftaudit("survey", str(good), *common, "--scheduler", "tcp://127.0.0.1:9")
    assert unreachable.returncode == 2 and "cannot reach the Dask scheduler" in unreachable.stderr


def test_survey_diff_shows_what_changed(index, tmp_path):
    old_world = [
        release for release in built_releases() if (release.project, release.version) != ("coreproj", "2.0")
    ]
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    common = ["--store", str(tmp_path / "s.jsonl"), "--target", "3.13t,3.14t", "-q"]
    projects = tmp_path / "projects.txt"
    projects.write_text("coreproj\nmarkupsafe\n")
    with survey_index(tmp_path / "old-wheels", releases=old_world) as old_index:
        old_run = _ftaudit(
            "survey", str(projects), "--index-url", old_index.url, *common, "-o", str(old_path),
            "--cache-dir", str(tmp_path / "old-cache"),
        )  # fmt: skip
    assert old_run.returncode == 0, old_run.stderr
    new_run = _ftaudit(
        "survey", str(projects), "--index-url", index.url, *common, "-o", str(new_path),
        "--cache-dir", str(tmp_path / "new-cache"),
    )  # fmt: skip
    assert new_run.returncode == 0, new_run.stderr
    diff = diff_surveys(load_survey(old_path), load_survey(new_path))
    assert [change.describe() for change in diff.improvements] == [
        "coreproj [3.13t]: 1.0 gil-fallback -> 2.0 ready"
    ]
    assert diff.regressions == [] and diff.added_projects == diff.removed_projects == []
    shown = _ftaudit("survey", "diff", str(old_path), str(new_path), "--fail-on-regression")
    assert shown.returncode == 0 and "coreproj [3.13t]: 1.0 gil-fallback -> 2.0 ready" in shown.stdout
    backwards = _ftaudit("survey", "diff", str(new_path), str(old_path), "--fail-on-regression")
    assert backwards.returncode == 1 and "Regressions (1)" in backwards.stdout
    as_json = json.loads(_ftaudit("survey", "diff", str(new_path), str(old_path), "-f", "json").stdout)
    assert as_json["regressions"] == ["coreproj [3.13t]: 2.0 ready -> 1.0 gil-fallback"]
    assert _ftaudit("survey", "diff", str(old_path), str(tmp_path / "none.json")).returncode == 2
    not_a_survey = tmp_path / "report.json"
    not_a_survey.write_text('{"schema_version": "1.0", "tool": "ftaudit"}')
    refused = _ftaudit("survey", "diff", str(old_path), str(not_a_survey))
    assert refused.returncode == 2 and "not a survey document" in refused.stderr


def test_every_survey_field_is_described_in_the_json_schema_page():
    text = (REPOSITORY / "docs" / "json-schema.md").read_text(encoding="utf-8")
    sections = {part.split()[0]: part for part in re.split(r"^#{2,4} ", text, flags=re.MULTILINE)[1:]}
    missing = []
    for cls in vars(survey_model).values():
        if not (dataclasses.is_dataclass(cls) and cls.__module__ == survey_model.__name__):
            continue
        section = sections.get(cls.__name__, "")
        missing += [
            f"{cls.__name__}.{f.name}" for f in dataclasses.fields(cls) if f"| `{f.name}` |" not in section
        ]
    assert not missing, missing


def test_the_dask_extra_is_declared_and_installed_by_setup():
    assert '"dask[distributed]>=2024.1"' in (REPOSITORY / "pyproject.toml").read_text()
    assert "'.[test,dask]'" in (REPOSITORY / "scripts" / "setup.sh").read_text()
