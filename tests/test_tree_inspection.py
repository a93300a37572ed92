"""``tree --inspect-wheels``: reading a target wheel's real compiled extensions before
install, and checking the prediction against the free-threaded interpreter itself."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from _index_server import FixtureIndex, gil_only_release, inspection_world
from packaging.utils import canonicalize_name

from auditor.collectors.interpreters.provision import find_provisioned
from auditor.pipelines.dependency_tree import resolve_tree

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def free_threaded_python() -> str:
    found = find_provisioned()
    if found is None:
        pytest.fail("no provisioned free-threaded 3.13 (run `ftaudit provision`) to build the extensions")
    return str(found.executable)


@pytest.fixture(scope="module")
def index(free_threaded_python, tmp_path_factory):
    with FixtureIndex(inspection_world(free_threaded_python), tmp_path_factory.mktemp("wheels")) as server:
        yield server


@pytest.fixture(scope="module")
def gil_python() -> str:
    found = find_provisioned(gil=True)
    if found is None:
        pytest.fail("no provisioned GIL 3.13 (`ftaudit provision --gil-baseline`) to build a cp313 extension")
    return str(found.executable)


def requirements(tmp_path: Path) -> Path:
    path = tmp_path / "requirements.txt"
    path.write_text("gilfree\ngilkeeper\npurelib\n")
    return path


def by_name(result) -> dict:
    return {package.name: package for package in result.packages}


def test_wheels_are_read_for_their_gil_declaration(index, tmp_path):
    result = resolve_tree(
        requirements(tmp_path), index_url=index.url, cache_dir=tmp_path / "cache", inspect_wheels=True
    )
    packages = by_name(result)
    keeper, free, pure = packages["gilkeeper"], packages["gilfree"], packages["purelib"]
    assert keeper.status == "ready" and keeper.gil_fallback is True
    assert keeper.gil_fallback_modules == ["gilkeeper._core"]
    assert "importing gilkeeper._core re-enables the GIL" in keeper.reason
    assert keeper.inspected_wheel == keeper.matching_files[0]
    # The bundled gilfree.libs/libhelper*.so has no Py_mod_gil either, but it is not a module.
    assert free.gil_fallback is False and free.gil_fallback_modules == [] and free.errors == []
    assert pure.gil_fallback is None and pure.inspected_wheel is None
    assert not result.partial
    # Without the option nothing is downloaded or said.
    plain = by_name(resolve_tree(requirements(tmp_path), index_url=index.url, cache_dir=tmp_path / "cache"))
    assert plain["gilkeeper"].gil_fallback is None and "GIL" not in plain["gilkeeper"].reason


def test_inspection_is_cached_and_bounded(index, tmp_path):
    cache = tmp_path / "cache"
    resolve_tree(requirements(tmp_path), index_url=index.url, cache_dir=cache, inspect_wheels=True)
    downloads = index.count(".whl") - index.count(".whl.metadata")
    again = resolve_tree(requirements(tmp_path), index_url=index.url, cache_dir=cache, inspect_wheels=True)
    assert index.count(".whl") - index.count(".whl.metadata") == downloads
    assert by_name(again)["gilkeeper"].gil_fallback is True
    offline = resolve_tree(
        requirements(tmp_path), index_url=index.url, cache_dir=cache, inspect_wheels=True, offline=True
    )
    assert by_name(offline)["gilkeeper"].gil_fallback is True and not offline.partial
    tiny = resolve_tree(
        requirements(tmp_path),
        index_url=index.url,
        cache_dir=tmp_path / "cache-tiny",
        inspect_wheels=True,
        max_wheel_bytes=100,
    )
    keeper = by_name(tiny)["gilkeeper"]
    assert keeper.gil_fallback is None and "larger than" in keeper.errors[0]
    assert tiny.partial


def test_prediction_matches_the_interpreter_after_a_real_install(index, tmp_path, free_threaded_python):
    """Install both wheels with pip on 3.13t and import them: the GIL comes back exactly
    for the package tree predicted."""
    result = by_name(
        resolve_tree(
            requirements(tmp_path), index_url=index.url, cache_dir=tmp_path / "c", inspect_wheels=True
        )
    )
    target = tmp_path / "site"
    environment = {"PIP_CONFIG_FILE": "/dev/null", "PIP_NO_CACHE_DIR": "1", "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [free_threaded_python, "-m", "pip", "install", "--quiet", "--no-deps", "--only-binary=:all:",
         "--disable-pip-version-check", "--index-url", index.url, "--target", str(target),
         "gilfree", "gilkeeper"],
        check=True, capture_output=True, text=True, timeout=180, env=environment,
    )  # fmt: skip
    for name in ("gilfree", "gilkeeper"):
        script = f"import sys; sys.path.insert(0, {str(target)!r}); import {name}._core; "
        script += "print(sys._is_gil_enabled())"
        probe = subprocess.run(
            [free_threaded_python, "-W", "ignore", "-c", script],
            check=True, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert probe.stdout.strip() == str(result[name].gil_fallback), (name, probe.stdout, probe.stderr)


def test_tree_before_install_agrees_with_scan_after_install(free_threaded_python, gil_python, tmp_path):
    """The issue's judging line: for an environment ftaudit has never seen, ``tree`` over
    its requirements and ``scan`` over its installed packages agree on which
    distributions lack free-threaded wheels (and, with --inspect-wheels, on which fall
    back to the GIL). The environment is made by real pip runs: the cp313t wheels by the
    free-threaded interpreter, the cp313-only package by the GIL build of 3.13 (as a
    project migrating from it would have it)."""
    from auditor.model.environment import Verdict
    from auditor.pipelines.scan import scan

    world = [*inspection_world(free_threaded_python), gil_only_release(gil_python)]
    with FixtureIndex(world, tmp_path / "wheels") as index:
        path = tmp_path / "requirements.txt"
        path.write_text("gilfree\ngilkeeper\npurelib\ngilonly2\n")
        tree = resolve_tree(path, index_url=index.url, cache_dir=tmp_path / "cache", inspect_wheels=True)
        site = tmp_path / "site"
        environment = {"PIP_CONFIG_FILE": "/dev/null", "PIP_NO_CACHE_DIR": "1", "PATH": "/usr/bin:/bin"}
        for python, packages in (
            (free_threaded_python, ["gilfree", "gilkeeper", "purelib"]),
            (gil_python, ["gilonly2"]),
        ):
            subprocess.run(
                [python, "-m", "pip", "install", "--quiet", "--no-deps", "--only-binary=:all:",
                 "--disable-pip-version-check", "--upgrade", "--index-url", index.url, "--target", str(site),
                 *packages],
                check=True, capture_output=True, text=True, timeout=180, env=environment,
            )  # fmt: skip
    scanned = scan(paths=[site], target="3.13t", use_cache=False, pool="thread")
    verdicts = {canonicalize_name(d.name): d.verdict for d in scanned.distributions}
    assert set(verdicts) == {"gilfree", "gilkeeper", "purelib", "gilonly2"}, scanned.errors
    tree_needs_build = {canonicalize_name(p.name) for p in tree.packages if p.status == "needs-build"}
    scan_needs_build = {name for name, verdict in verdicts.items() if verdict is Verdict.NEEDS_BUILD}
    assert tree_needs_build == scan_needs_build == {"gilonly2"}
    tree_fallback = {canonicalize_name(p.name) for p in tree.packages if p.gil_fallback}
    scan_fallback = {name for name, verdict in verdicts.items() if verdict is Verdict.GIL_FALLBACK}
    assert tree_fallback == scan_fallback == {"gilkeeper"}


def _member(wheel_name: str, suffix: str) -> bytes:
    """One extension module of a real wheel pinned in tests/data/free_threaded_wheels.json."""
    import json
    import sys
    import zipfile

    repository = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(repository / "scripts"))
    from fetch_test_wheels import cache_folder

    manifest = json.loads((repository / "tests" / "data" / "free_threaded_wheels.json").read_text())
    entry = next(entry for entry in manifest["wheels"] if entry["filename"] == wheel_name)
    wheel = cache_folder() / entry["filename"]
    if not wheel.exists():
        pytest.fail(f"{wheel} is missing: run scripts/setup.sh")
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(next(name for name in archive.namelist() if name.endswith(suffix)))


@pytest.fixture(scope="module")
def platform_index(tmp_path_factory):
    from _index_server import Release

    mac, win = "macosx_10_15_x86_64", "win_amd64"
    releases = [
        Release(
            "freeeverywhere",
            "1.0",
            [f"cp314-cp314t-{mac}", f"cp314-cp314t-{win}"],
            platform_binaries={
                "macosx": {
                    "freeeverywhere/_speedups.cpython-314t-darwin.so": _member(
                        f"markupsafe-3.0.4-cp314-cp314t-{mac}.whl", ".so"
                    )
                },
                "win": {
                    "freeeverywhere/_speedups.cp314t-win_amd64.pyd": _member(
                        f"markupsafe-3.0.4-cp314-cp314t-{win}.whl", ".pyd"
                    )
                },
            },
        ),
        Release(
            "gilonwindows",
            "1.0",
            [f"cp314-cp314t-{mac}", f"cp314-cp314t-{win}"],
            platform_binaries={
                "macosx": {
                    "gilonwindows/_speedups.cpython-314t-darwin.so": _member(
                        f"markupsafe-3.0.4-cp314-cp314t-{mac}.whl", ".so"
                    )
                },
                "win": {
                    "gilonwindows/sax.cp314t-win_amd64.pyd": _member(
                        f"lxml-6.1.3-cp314-cp314t-{win}.whl", "lxml/sax.cp314t-win_amd64.pyd"
                    )
                },
            },
        ),
    ]
    with FixtureIndex(releases, tmp_path_factory.mktemp("platform-wheels")) as server:
        yield server


def test_each_platform_asked_gets_its_own_wheel_read(platform_index, tmp_path):
    """--platform macosx_10_15_x86_64 --platform win_amd64: both wheels are read, each for its
    platform (Mach-O and PE), and a GIL fallback on one platform is named with that platform."""
    source = tmp_path / "requirements.txt"
    source.write_text("freeeverywhere\ngilonwindows\n")
    result = resolve_tree(
        source,
        target="3.14t",
        platform=["macosx_10_15_x86_64", "win_amd64"],
        index_url=platform_index.url,
        cache_dir=tmp_path / "cache",
        inspect_wheels=True,
    )
    packages = by_name(result)
    free, keeper = packages["freeeverywhere"], packages["gilonwindows"]
    assert [entry.platform for entry in free.platform_inspections] == ["macosx_10_15_x86_64", "win_amd64"]
    assert [entry.wheel.rsplit("-", 1)[-1] for entry in free.platform_inspections] == [
        "macosx_10_15_x86_64.whl",
        "win_amd64.whl",
    ]
    assert all(entry.gil_fallback is False for entry in free.platform_inspections), free.platform_inspections
    assert free.gil_fallback is False and free.errors == []
    by_platform = {entry.platform: entry for entry in keeper.platform_inspections}
    assert by_platform["macosx_10_15_x86_64"].gil_fallback is False
    assert by_platform["win_amd64"].gil_fallback is True
    assert by_platform["win_amd64"].gil_fallback_modules == ["gilonwindows.sax"]
    assert keeper.gil_fallback is True and "on win_amd64 importing gilonwindows.sax" in keeper.reason
    assert not result.partial
