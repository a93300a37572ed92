"""`ftaudit tree` end to end, against a real index server on 127.0.0.1 serving real
wheels and sdists built by tests/_index_server.py. Nothing here reaches the internet.

The fixture world (see ``standard_world``):
fastlib 1.0 (cp312 + abi3 only), 1.1 (adds cp313t), 2.0rc1 (pre-release, cp314t);
purelib 3.0 (py3-none-any, extra "speed" -> fastlib); oldpin 2024.1 (no cp314t) and
2025.2 (cp314t); chaina -> chainb -> chainc<2 (1.5: cp312 only; 2.0: cp313t);
sdistonly (sdist, static PKG-INFO -> purelib); yankpkg 1.0 / 2.0 (yanked); winonly
(win_amd64 only); nometa (no PEP 658 file); newpy 2.0 (Requires-Python >=3.14);
dynsdist (dynamic Requires-Dist); story0..story9 (2024.3 without cp314t, 2025.9 with).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _index_server import FixtureIndex, Release, standard_world

from auditor.cli import main as ftaudit_main
from auditor.collectors.tree import TargetError, TreeInputError
from auditor.collectors.tree.index.cache import HttpCache
from auditor.collectors.tree.index.client import IndexClient
from auditor.model.serialize import from_dict, to_dict
from auditor.model.tree import TreeResult
from auditor.pipelines.dependency_tree import resolve_tree

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with FixtureIndex(standard_world(), tmp_path_factory.mktemp("index-files")) as index:
        yield index


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def by_name(result: TreeResult) -> dict:
    return {package.name: package for package in result.packages}


def tree(path: Path, index: FixtureIndex, cache: Path, **options) -> TreeResult:
    return resolve_tree(path, index_url=index.url, cache_dir=cache, **options)


# -- resolution ------------------------------------------------------------------------------


def test_unpinned_requirements_resolve_to_newest_final_release_with_dependencies(world, tmp_path):
    requirements = write(tmp_path, "requirements.txt", "purelib[speed]\nchaina\n")
    result = tree(requirements, world, tmp_path / "cache")
    packages = by_name(result)
    assert set(packages) == {"purelib", "fastlib", "chaina", "chainb", "chainc"}
    # 2.0rc1 is a pre-release nobody asked for.
    assert packages["fastlib"].version == "1.1"
    assert packages["fastlib"].status == "ready"
    assert packages["fastlib"].required_by == ["purelib"]
    assert packages["fastlib"].matching_files == [
        "fastlib-1.1-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    ]
    assert packages["purelib"].status == "pure" and packages["purelib"].ready is True
    assert "thread-safety is a separate question" in packages["purelib"].reason
    # chainb caps chainc below its first free-threaded release.
    assert packages["chainc"].version == "1.5"
    assert packages["chainc"].status == "needs-build"
    assert packages["chainc"].ready is False
    assert packages["chainc"].first_ready_version == "2.0"
    assert packages["chainc"].latest_version == "2.0"
    assert packages["chainc"].required_by == ["chainb"]
    assert packages["chainc"].held_back_by == ["chainb requires chainc<2"]
    assert "2.0 ships one but is ruled out (chainb requires chainc<2)" in packages["chainc"].reason
    assert packages["fastlib"].held_back_by == []
    assert not result.partial and result.errors == []
    assert result.target == "3.13t" and result.source_kind == "requirements"


def test_pinned_releases_are_judged_by_their_own_files_not_the_latest(world, tmp_path):
    """The issue's story: ten 2024 pins whose latest releases ship cp314t wheels."""
    pins = "".join(f"story{number}==2024.3\n" for number in range(10))
    result = tree(
        write(tmp_path, "requirements.txt", pins + "oldpin==2024.1\n"),
        world,
        tmp_path / "cache",
        target="3.14t",
    )
    assert len(result.packages) == 11
    for package in result.packages:
        assert package.pinned
        assert package.status == "needs-build", package
        assert package.ready is False
        assert package.first_ready_version in ("2025.9", "2025.2")
        assert package.latest_version == package.first_ready_version
        assert package.version != package.latest_version
    # The same projects unpinned: the latest releases are ready.
    unpinned = tree(
        write(tmp_path, "unpinned.txt", "story3\noldpin\n"), world, tmp_path / "cache", target="3.14t"
    )
    assert {(p.name, p.version, p.status, p.pinned) for p in unpinned.packages} == {
        ("story3", "2025.9", "ready", False),
        ("oldpin", "2025.2", "ready", False),
    }


def test_abi3_wheels_do_not_count_on_free_threaded_targets(world, tmp_path):
    requirements = write(tmp_path, "requirements.txt", "fastlib==1.0\n")
    free_threaded = by_name(tree(requirements, world, tmp_path / "cache"))["fastlib"]
    assert free_threaded.status == "needs-build"
    assert "abi3" in free_threaded.reason and free_threaded.first_ready_version == "1.1"
    # Only the 2.0rc1 pre-release ships cp314t wheels: not chosen, but worth saying.
    on_314 = by_name(tree(write(tmp_path, "b.txt", "fastlib\n"), world, tmp_path / "cache", target="3.14t"))
    assert on_314["fastlib"].version == "1.1" and on_314["fastlib"].first_ready_version is None
    assert "pre-release 2.0rc1 ships one" in on_314["fastlib"].reason
    gil = by_name(tree(requirements, world, tmp_path / "cache", target="3.13"))["fastlib"]
    assert gil.status == "ready"
    assert gil.matching_files == ["fastlib-1.0-cp311-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"]


def test_sdist_only_release_needs_build_and_its_static_pkg_info_gives_dependencies(world, tmp_path):
    result = tree(write(tmp_path, "requirements.txt", "sdistonly\n"), world, tmp_path / "cache")
    packages = by_name(result)
    assert packages["sdistonly"].status == "needs-build"
    assert "sdist only" in packages["sdistonly"].reason
    assert packages["sdistonly"].first_ready_version is None
    assert packages["purelib"].required_by == ["sdistonly"]
    assert not result.partial


def test_dynamic_sdist_dependencies_are_reported_and_make_the_result_partial(world, tmp_path):
    result = tree(write(tmp_path, "requirements.txt", "dynsdist\n"), world, tmp_path / "cache")
    package = by_name(result)["dynsdist"]
    assert package.status == "needs-build"
    assert any("Dynamic" in error for error in package.errors)
    assert result.partial


def test_yanked_release_is_skipped_unless_pinned(world, tmp_path):
    unpinned = by_name(tree(write(tmp_path, "a.txt", "yankpkg\n"), world, tmp_path / "cache"))["yankpkg"]
    assert unpinned.version == "1.0" and not unpinned.yanked
    assert unpinned.latest_version == "1.0"
    pinned = by_name(tree(write(tmp_path, "b.txt", "yankpkg==2.0\n"), world, tmp_path / "cache"))["yankpkg"]
    assert pinned.version == "2.0" and pinned.yanked
    assert "broken build" in pinned.reason


def test_markers_are_evaluated_for_the_target_platform(world, tmp_path):
    requirements = write(tmp_path, "requirements.txt", 'winonly; sys_platform == "win32"\npurelib\n')
    linux = tree(requirements, world, tmp_path / "cache")
    assert set(by_name(linux)) == {"purelib"}
    windows = tree(requirements, world, tmp_path / "cache", platform="win_amd64")
    assert by_name(windows)["winonly"].status == "ready"
    assert windows.platforms == ["win_amd64"]


def test_platform_option_judges_other_platforms(world, tmp_path):
    requirements = write(tmp_path, "requirements.txt", "fastlib\noldpin\n")
    mac = by_name(tree(requirements, world, tmp_path / "cache", platform="macosx_14_0_arm64"))
    assert mac["fastlib"].status == "ready"  # a macosx_11_0_arm64 wheel runs on macOS 14
    assert mac["oldpin"].status == "needs-build"
    assert "other platforms" in mac["oldpin"].reason


def test_requires_python_steers_the_choice_per_target(world, tmp_path):
    requirements = write(tmp_path, "requirements.txt", "newpy\n")
    assert by_name(tree(requirements, world, tmp_path / "cache"))["newpy"].version == "1.0"
    assert by_name(tree(requirements, world, tmp_path / "cache", target="3.14t"))["newpy"].version == "2.0"


def test_wheel_is_downloaded_for_metadata_when_the_index_has_no_pep658_file(world, tmp_path):
    before = world.count("/files/nometa-1.0-cp313-cp313t")
    packages = by_name(tree(write(tmp_path, "requirements.txt", "nometa\n"), world, tmp_path / "cache"))
    assert packages["purelib"].required_by == ["nometa"]
    assert world.count("/files/nometa-1.0-cp313-cp313t") == before + 1
    assert world.count("nometa-1.0-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl.metadata") == 0


def test_metadata_that_does_not_match_its_hash_is_not_trusted(world, tmp_path):
    packages = by_name(tree(write(tmp_path, "requirements.txt", "tampered\n"), world, tmp_path / "cache"))
    assert set(packages) == {"tampered", "purelib"}  # not evilpkg from the tampered .metadata
    wheel = "/files/tampered-1.0-cp313-cp313t-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    assert world.requests.count(wheel + ".metadata") == 1
    assert world.requests.count(wheel) == 1  # read METADATA from the wheel instead


def test_cycles_and_extras_that_name_their_own_project(world, tmp_path):
    result = tree(write(tmp_path, "requirements.txt", "cyca\nselfx[all]\n"), world, tmp_path / "cache")
    packages = by_name(result)
    assert set(packages) == {"cyca", "cycb", "selfx", "fastlib"}
    assert packages["cyca"].required_by == ["cycb"] and packages["cycb"].required_by == ["cyca"]
    assert packages["fastlib"].required_by == ["selfx"] and packages["fastlib"].version == "1.1"
    assert packages["selfx"].required_by == []
    assert not result.partial


def test_resolution_backtracks_like_pip(world, tmp_path):
    requirements = write(tmp_path, "requirements.txt", "btpin==1.0\nbtuser\n")
    result = tree(requirements, world, tmp_path / "cache")
    packages = by_name(result)
    assert (packages["btuser"].version, packages["btpin"].version) == ("1.0", "1.0")
    assert packages["btpin"].pinned and packages["btpin"].required_by == ["btuser"]
    assert not result.partial and result.errors == []
    # The walk alone cannot step back: it keeps btuser 2.0 and reports the contradiction.
    from auditor.collectors.binary.target import make_target
    from auditor.collectors.tree.index.cache import HttpCache
    from auditor.collectors.tree.resolver import Resolver
    from auditor.collectors.tree.sources import read_dependency_source

    target = make_target("3.13t")
    source = read_dependency_source(requirements, target.marker_environment)
    client = IndexClient(world.url, cache=HttpCache(tmp_path / "cache"))
    walk = Resolver(client, target).resolve_without_backtracking(source.requirements)
    assert walk.projects["btuser"].version.public == "2.0" and walk.partial


def test_a_project_that_dropped_its_free_threaded_wheels(world, tmp_path):
    dropper = by_name(tree(write(tmp_path, "requirements.txt", "dropper\n"), world, tmp_path / "cache"))[
        "dropper"
    ]
    assert (dropper.version, dropper.status) == ("2.0", "needs-build")
    assert dropper.first_ready_version == "1.1"  # not the pure 0.0.1 placeholder
    assert "1.2 was the last release before it with a cp313t wheel" in dropper.reason


def test_when_no_release_installs_on_the_platform_the_newest_is_judged(world, tmp_path):
    # chainb ships Linux wheels only and no sdist: pip on Windows would find nothing to
    # install; the report judges the newest release and says why.
    on_windows = by_name(
        tree(write(tmp_path, "r.txt", "chainb\n"), world, tmp_path / "c", platform="win_amd64")
    )
    assert (on_windows["chainb"].version, on_windows["chainb"].status) == ("2.0", "needs-build")
    assert "other platforms" in on_windows["chainb"].reason


def test_contradicting_specifiers_are_reported_not_guessed(world, tmp_path):
    result = tree(write(tmp_path, "requirements.txt", "chaina\nchainc>=2\n"), world, tmp_path / "cache")
    chainc = by_name(result)["chainc"]
    assert chainc.status == "unknown" and chainc.version is None
    assert any("no release of chainc satisfies" in error for error in chainc.errors)
    assert result.partial
    assert result.errors[0].startswith("no consistent set of versions exists (ResolutionImpossible")
    assert "chainb 2.0 requires chainc<2" in result.errors[0]


def test_unknown_project_is_unknown_and_partial(world, tmp_path):
    result = tree(write(tmp_path, "requirements.txt", "doesnotexist\npurelib\n"), world, tmp_path / "cache")
    missing = by_name(result)["doesnotexist"]
    assert missing.status == "unknown" and missing.ready is None
    assert "404" in missing.errors[0]
    assert by_name(result)["purelib"].status == "pure"
    assert result.partial


def test_constraints_file_pins_a_transitive_dependency(world, tmp_path):
    write(tmp_path, "constraints.txt", "fastlib==1.0\n")
    result = tree(
        write(tmp_path, "requirements.txt", "-c constraints.txt\npurelib[speed]\n"), world, tmp_path / "cache"
    )
    fastlib = by_name(result)["fastlib"]
    assert (fastlib.version, fastlib.pinned, fastlib.status) == ("1.0", True, "needs-build")
    assert fastlib.held_back_by == ["constraints file requires fastlib==1.0"]


# -- index forms, cache, offline --------------------------------------------------------------


@pytest.mark.parametrize("mode", ["html", "json"])
def test_html_only_and_json_only_servers_give_the_same_answers(world, tmp_path, mode):
    requirements = write(
        tmp_path, "requirements.txt", "purelib[speed]\nchaina\nyankpkg==2.0\nnewpy\nsdistonly\n"
    )
    expected = tree(requirements, world, tmp_path / "cache-negotiated")
    with FixtureIndex(standard_world(), tmp_path / "files", mode=mode) as index:
        page = IndexClient(index.url, cache=HttpCache(tmp_path / "cache-page")).project_page("yankpkg")
        assert page.form == mode
        assert [file.yanked_reason for file in page.files if file.yanked] == ["broken build"]
        other = tree(requirements, index, tmp_path / f"cache-{mode}")

    def summary(result):
        return [
            (p.name, p.version, p.status, p.yanked, p.first_ready_version, p.required_by)
            for p in result.packages
        ]

    assert summary(other) == summary(expected)


def test_warm_cache_avoids_the_network_and_stale_pages_are_revalidated(tmp_path):
    requirements = write(tmp_path, "requirements.txt", "purelib[speed]\n")
    with FixtureIndex(standard_world(), tmp_path / "files", max_age=600) as index:
        tree(requirements, index, tmp_path / "cache")
        first = len(index.requests)
        assert first > 0
        tree(requirements, index, tmp_path / "cache")
        assert len(index.requests) == first  # pages fresh (max-age), metadata immutable
    with FixtureIndex(standard_world(), tmp_path / "files2", max_age=0) as index:
        tree(requirements, index, tmp_path / "cache0")
        metadata_requests = index.count(".metadata")
        assert metadata_requests == 2  # purelib 3.0 and fastlib 1.1
        tree(requirements, index, tmp_path / "cache0")
        # Pages expire at once: asked again with If-None-Match, answered 304.
        assert index.not_modified == 2
        assert index.count(".metadata") == metadata_requests  # immutable: never asked twice
        offline = tree(requirements, index, tmp_path / "cache0", offline=True)
        assert not offline.partial and [p.status for p in offline.packages] == ["ready", "pure"]
        assert "past their freshness" in offline.notes[0] and "fastlib, purelib" in offline.notes[0]


def test_offline_uses_the_cache_and_says_what_is_missing(world, tmp_path):
    requirements = write(tmp_path, "requirements.txt", "purelib[speed]\n")
    online = tree(requirements, world, tmp_path / "cache")
    before = len(world.requests)
    offline = tree(requirements, world, tmp_path / "cache", offline=True)
    assert len(world.requests) == before
    assert offline.offline and not offline.partial
    assert [(p.name, p.version, p.status) for p in offline.packages] == [
        (p.name, p.version, p.status) for p in online.packages
    ]
    assert offline.notes == []
    empty = tree(requirements, world, tmp_path / "empty-cache", offline=True)
    assert len(world.requests) == before
    assert empty.partial
    assert [p.status for p in empty.packages] == ["unknown"]
    assert "not in the cache" in empty.packages[0].errors[0] and "--offline" in empty.packages[0].errors[0]


def test_credentials_in_the_index_url_are_used_and_never_shown(tmp_path):
    requirements = write(tmp_path, "requirements.txt", "purelib[speed]\n")
    with FixtureIndex(standard_world(), tmp_path / "files", basic_auth=("ci", "s3cr%t")) as index:
        denied = tree(requirements, index, tmp_path / "cache-denied")
        assert denied.partial and "HTTP 401" in denied.packages[0].errors[0]
        authenticated_url = index.url.replace("http://", "http://ci:s3cr%25t@")
        result = resolve_tree(requirements, index_url=authenticated_url, cache_dir=tmp_path / "cache")
    assert [(p.name, p.status) for p in result.packages] == [("fastlib", "ready"), ("purelib", "pure")]
    assert result.index_url == index.url
    assert "s3cr" not in json.dumps(to_dict(result))
    assert not any(b"s3cr" in path.read_bytes() for path in (tmp_path / "cache").rglob("*") if path.is_file())


def test_credentials_do_not_follow_a_redirect_to_another_server(tmp_path):
    requirements = write(tmp_path, "requirements.txt", "nometa\n")  # its wheel must be downloaded
    with FixtureIndex(standard_world(), tmp_path / "cdn-files") as cdn:
        cdn_url = cdn.url.removesuffix("/simple")
        with FixtureIndex(
            standard_world(), tmp_path / "files", basic_auth=("ci", "token"), redirect_files_to=cdn_url
        ) as index:
            result = resolve_tree(
                requirements,
                index_url=index.url.replace("http://", "http://ci:token@"),
                cache_dir=tmp_path / "c",
            )
        assert by_name(result)["purelib"].required_by == ["nometa"]  # metadata came through the redirect
        assert cdn.count("/files/nometa-1.0") == 1
        assert cdn.authorization_headers == []
        assert index.authorization_headers  # the index itself did get them


def test_unreachable_index_is_a_per_package_error(tmp_path):
    requirements = write(tmp_path, "requirements.txt", "purelib\n")
    # A port nothing listens on: bind one, close it, use its number.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = resolve_tree(
        requirements, index_url=f"http://127.0.0.1:{port}/simple", cache_dir=tmp_path / "c", timeout_seconds=5
    )
    assert result.partial
    assert "cannot reach the index" in result.packages[0].errors[0]


# -- pyproject, pylock, uv.lock -----------------------------------------------------------


def test_pyproject_dependencies_extras_and_dependency_groups(world, tmp_path):
    pyproject = write(
        tmp_path,
        "pyproject.toml",
        """\
[project]
name = "myapp"
version = "0.1"
dependencies = ["purelib", "oldpin==2024.1"]

[project.optional-dependencies]
fast = ["fastlib==1.0"]
all = ["myapp[fast]"]

[dependency-groups]
test = ["chaina", {include-group = "lint"}]
lint = ["yankpkg"]
""",
    )
    base = by_name(tree(pyproject, world, tmp_path / "cache"))
    assert set(base) == {"purelib", "oldpin"}
    assert base["oldpin"].pinned and base["oldpin"].origin.startswith(f"{pyproject}:4")
    with_extras = tree(pyproject, world, tmp_path / "cache", extras=["all", "test"])
    assert set(by_name(with_extras)) == {
        "purelib",
        "oldpin",
        "fastlib",
        "chaina",
        "chainb",
        "chainc",
        "yankpkg",
    }
    assert by_name(with_extras)["fastlib"].version == "1.0"
    unknown_extra = tree(pyproject, world, tmp_path / "cache", extras=["nope"])
    assert unknown_extra.partial and "no extra or dependency group called 'nope'" in unknown_extra.errors[0]


PYLOCK = """\
lock-version = "1.0"
created-by = "ftaudit-tests"
requires-python = ">=3.12"

[[packages]]
name = "oldpin"
version = "2024.1"
index = "https://pypi.org/simple"
wheels = [
  {{ url = "https://files.example/oldpin-2024.1-cp313-cp313t-{linux}.whl", hashes = {{ sha256 = "00" }} }},
]

[[packages]]
name = "winonly"
version = "1.0"
marker = "sys_platform == 'win32'"
wheels = [
  {{ url = "https://files.example/winonly-1.0-cp313-cp313t-win_amd64.whl", hashes = {{ sha256 = "00" }} }},
]

[[packages]]
name = "vanished"
version = "0.1"
wheels = [{{ url = "https://files.example/vanished-0.1-py3-none-any.whl", hashes = {{ sha256 = "00" }} }}]
"""


def test_pylock_versions_are_judged_by_the_index_and_lock_lists_as_fallback(world, tmp_path):
    lock = write(tmp_path, "pylock.toml", PYLOCK.format(linux="manylinux_2_17_x86_64"))
    result = tree(lock, world, tmp_path / "cache", target="3.14t")
    packages = by_name(result)
    assert set(packages) == {"oldpin", "vanished"}  # winonly's marker is false on Linux
    assert packages["oldpin"].status == "needs-build" and packages["oldpin"].first_ready_version == "2025.2"
    assert packages["oldpin"].origin == f"{lock}:6"
    # Not on the index: judged from the wheel list in the lock, and said so.
    assert packages["vanished"].judged_from == "lock-file"
    assert packages["vanished"].status == "pure"
    assert "404" in packages["vanished"].errors[0]
    assert result.partial and result.source_kind == "pylock"


def test_pylock_packages_are_judged_on_the_index_the_lock_names(world, tmp_path):
    """Without --index-url, each locked package is asked of its own ``index``."""
    with FixtureIndex([Release("vanished", "0.1", ["py3-none-any"])], tmp_path / "second") as second:
        text = PYLOCK.format(linux="manylinux_2_17_x86_64").replace(
            'index = "https://pypi.org/simple"', f'index = "{world.url}"'
        )
        text = text.replace(
            'name = "vanished"\nversion = "0.1"\n',
            f'name = "vanished"\nversion = "0.1"\nindex = "{second.url}"\n',
        )
        result = resolve_tree(write(tmp_path, "pylock.toml", text), cache_dir=tmp_path / "cache")
    packages = by_name(result)
    assert packages["oldpin"].judged_from == "index" and packages["vanished"].judged_from == "index"
    assert packages["vanished"].status == "pure" and packages["vanished"].errors == []
    assert not result.partial
    assert "several indexes" in result.notes[0] and "pypi.org" not in result.notes[0]


UV_LOCK = """\
version = 1
revision = 2
requires-python = ">=3.12"
resolution-markers = ["python_full_version >= '3.14'", "python_full_version < '3.14'"]

[[package]]
name = "myapp"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "chaina" },
    { name = "newpy", version = "1.0", @PYPI@, marker = "python_full_version < '3.14'" },
    { name = "newpy", version = "2.0", @PYPI@, marker = "python_full_version >= '3.14'" },
    { name = "winonly", marker = "sys_platform == 'win32'" },
]

[package.optional-dependencies]
speed = [{ name = "fastlib" }]

[[package]]
name = "chaina"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "chainb" }]
wheels = [{ url = "https://files.example/chaina-1.0-py3-none-any.whl", hash = "sha256:00", size = 1 }]

[[package]]
name = "chainb"
version = "2.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "chainc" }]
wheels = [
    { url = "https://files.example/chainb-2.0-cp313-cp313t-manylinux_2_17_x86_64.whl", hash = "sha256:00" },
]

[[package]]
name = "chainc"
version = "1.5"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.example/chainc-1.5.tar.gz", hash = "sha256:00" }

[[package]]
name = "fastlib"
version = "1.1"
source = { registry = "https://pypi.org/simple" }
wheels = [
    { url = "https://files.example/fastlib-1.1-cp313-cp313t-manylinux_2_17_x86_64.whl", hash = "sha256:00" },
]

[[package]]
name = "newpy"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version < '3.14'"]

[[package]]
name = "newpy"
version = "2.0"
source = { registry = "https://pypi.org/simple" }
resolution-markers = ["python_full_version >= '3.14'"]

[[package]]
name = "winonly"
version = "1.0"
source = { registry = "https://pypi.org/simple" }
""".replace("@PYPI@", 'source = { registry = "https://pypi.org/simple" }')


def test_uv_lock_walks_from_the_workspace_along_edges_that_apply(world, tmp_path):
    lock = write(tmp_path, "uv.lock", UV_LOCK)
    result = tree(lock, world, tmp_path / "cache")
    packages = by_name(result)
    assert set(packages) == {"chaina", "chainb", "chainc", "newpy"}
    assert packages["newpy"].version == "1.0"
    assert packages["chainc"].status == "needs-build" and packages["chainc"].required_by == ["chainb"]
    assert packages["chaina"].required_by == ["myapp"]
    assert not result.partial
    on_314 = by_name(tree(lock, world, tmp_path / "cache", target="3.14t", extras=["speed"]))
    assert on_314["newpy"].version == "2.0" and on_314["newpy"].status == "ready"
    assert on_314["fastlib"].status == "needs-build"  # locked 1.1 has no cp314t wheel


# -- bad input ------------------------------------------------------------------------------


def test_broken_files_name_the_file_and_line(world, tmp_path):
    requirements = write(tmp_path, "requirements.txt", "purelib\nfastlib >=\nchaina\n")
    result = tree(requirements, world, tmp_path / "cache")
    assert set(by_name(result)) == {"purelib", "chaina", "chainb", "chainc"}
    assert result.partial
    assert result.errors[0].startswith(f"{requirements}:2: invalid requirement 'fastlib >='")
    broken_toml = write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\ndependencies = ['a' 'b']\n")
    with pytest.raises(TreeInputError, match=r"pyproject.toml: not valid TOML: .*line 3"):
        tree(broken_toml, world, tmp_path / "cache")
    with pytest.raises(TreeInputError, match="no such file"):
        tree(tmp_path / "missing.txt", world, tmp_path / "cache")
    with pytest.raises(TargetError, match="unknown target"):
        tree(requirements, world, tmp_path / "cache", target="3.13x")


# -- CLI and JSON ---------------------------------------------------------------------------


def test_cli_exit_codes_and_json_round_trip(world, tmp_path, capsys):
    cache = str(tmp_path / "cache")
    ready = write(tmp_path, "ready.txt", "fastlib\npurelib\n")
    assert (
        ftaudit_main(
            [
                "tree",
                str(ready),
                "--target",
                "3.13t",
                "--index-url",
                world.url,
                "--cache-dir",
                cache,
                "--format",
                "json",
            ]
        )
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    result = from_dict(TreeResult, document["tree"])
    assert to_dict(result) == document["tree"]
    assert {p.name: p.status for p in result.packages} == {"fastlib": "ready", "purelib": "pure"}
    needs_build = write(tmp_path, "needs.txt", "oldpin==2024.1\n")
    assert (
        ftaudit_main(
            [
                "tree",
                str(needs_build),
                "--target",
                "3.14t",
                "--index-url",
                world.url,
                "--cache-dir",
                cache,
                "--format",
                "json",
            ]
        )
        == 1
    )
    capsys.readouterr()
    assert (
        ftaudit_main(
            [
                "tree",
                str(needs_build),
                "--offline",
                "--cache-dir",
                str(tmp_path / "none"),
                "--index-url",
                world.url,
                "--format",
                "json",
            ]
        )
        == 3
    )
    capsys.readouterr()
    # needs-build outranks partial: oldpin 2024.1 needs a build, doesnotexist is unknown.
    mixed = write(tmp_path, "mixed.txt", "oldpin==2024.1\ndoesnotexist\n")
    arguments = ["--target", "3.14t", "--index-url", world.url, "--cache-dir", cache, "--format", "json"]
    assert ftaudit_main(["tree", str(mixed), *arguments]) == 1
    assert json.loads(capsys.readouterr().out)["tree"]["partial"] is True
    assert ftaudit_main(["tree", str(tmp_path / "missing.txt"), "--format", "json"]) == 2
    assert "missing.txt: no such file" in capsys.readouterr().err
    assert ftaudit_main(["tree", str(ready), "--platform", "beos_ppc", "--format", "json"]) == 2


def test_cli_subprocess_writes_the_report_file(world, tmp_path):
    requirements = write(tmp_path, "requirements.txt", "chaina\n")
    output = tmp_path / "tree.json"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "tree",
            str(requirements),
            "--target",
            "3.13t",
            "--index-url",
            world.url,
            "--cache-dir",
            str(tmp_path / "cache"),
            "--output",
            str(output),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 1, completed.stderr
    document = json.loads(output.read_text())
    assert document["tree"]["packages"][2]["name"] == "chainc"
    assert document["tree"]["packages"][2]["status"] == "needs-build"


# -- agreement with pip on a real free-threaded interpreter ----------------------------------


def _free_threaded_python() -> Path | None:
    from auditor.collectors.interpreters.provision import find_provisioned

    found = find_provisioned()
    return Path(found.executable) if found is not None else None


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_tree_agrees_with_pip_on_a_real_313t_interpreter(world, tmp_path):
    """For each judged release, pip running ON CPython 3.13t (its own tag list) either finds
    a wheel (tree: ready/pure) or does not (tree: needs-build); the wheel pip picks
    carries the tags tree matched."""
    python = _free_threaded_python()
    if python is None:
        pytest.fail("no provisioned free-threaded 3.13: scripts/setup.sh provisions it (`ftaudit provision`)")
    requirements = write(
        tmp_path,
        "requirements.txt",
        "purelib[speed]\nchaina\noldpin==2024.1\nsdistonly\nyankpkg\nnometa\nnewpy\ngilonly\n",
    )
    result = tree(requirements, world, tmp_path / "cache")
    extra = tree(write(tmp_path, "old.txt", "fastlib==1.0\n"), world, tmp_path / "cache")
    judged = result.packages + extra.packages
    assert len(judged) >= 11
    assert by_name(result)["gilonly"].status == "needs-build"
    environment = {
        "PIP_CONFIG_FILE": "/dev/null",
        "PIP_NO_CACHE_DIR": "1",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PATH": "/usr/bin:/bin",
    }

    def pip_download(pins: list[str], destination: Path) -> subprocess.CompletedProcess:
        return subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "download",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--index-url",
                world.url,
                "--dest",
                str(destination),
                *pins,
            ],
            check=False,
            capture_output=True,
            text=True,
            timeout=120,
            env=environment,
        )

    # Everything tree calls installable without a build: pip finds a wheel for each, in
    # one run, and the wheel it picks is one tree matched.
    installable = [package for package in judged if package.status in ("ready", "pure")]
    completed = pip_download([f"{p.name}=={p.version}" for p in installable], tmp_path / "wheels")
    assert completed.returncode == 0, completed.stderr
    downloaded = sorted(path.name for path in (tmp_path / "wheels").glob("*.whl"))
    assert len(downloaded) == len(installable)
    for package in installable:
        assert len(set(downloaded) & set(package.matching_files)) == 1, (package, downloaded)
    # Everything tree says needs a build: pip on 3.13t finds no wheel either.
    for package in judged:
        if package.status == "needs-build":
            refused = pip_download([f"{package.name}=={package.version}"], tmp_path / "refused")
            assert refused.returncode != 0, (package, refused.stdout)
            assert "No matching distribution" in refused.stderr or "from versions: none" in refused.stderr


def test_several_targets_are_judged_in_one_run_with_a_column_each(tmp_path, capsys):
    linux = "manylinux_2_17_x86_64.manylinux2014_x86_64"
    releases = [
        Release("oldft", "1.0", [f"cp313-cp313t-{linux}"], sdist=True),
        Release("newft", "1.0", [f"cp314-cp314t-{linux}", f"cp315-cp315t-{linux}"], sdist=True),
        # PEP 803: one binary for abi3 (GIL) and abi3t (free-threaded 3.15+) interpreters.
        Release("stable", "1.0", [f"cp315-abi3.abi3t-{linux}", f"cp311-abi3-{linux}"], sdist=True),
    ]
    with FixtureIndex(releases, tmp_path / "files") as index:
        requirements = write(tmp_path, "requirements.txt", "oldft\nnewft\nstable\n")
        common = ["--index-url", index.url, "--cache-dir", str(tmp_path / "cache")]
        code = ftaudit_main(
            ["tree", str(requirements), "--target", "3.13t,3.14t,3.15t", *common, "--format", "json"]
        )
        document = json.loads(capsys.readouterr().out)
        statuses = {
            tree["target"]: {package["name"]: package["status"] for package in tree["packages"]}
            for tree in document["tree_targets"]
        }
        assert statuses == {
            "3.13t": {"oldft": "ready", "newft": "needs-build", "stable": "needs-build"},
            "3.14t": {"oldft": "needs-build", "newft": "ready", "stable": "needs-build"},
            "3.15t": {"oldft": "needs-build", "newft": "ready", "stable": "ready"},
        }
        assert document["tree"]["target"] == "3.13t" and code == 1  # the first target decides
        assert (
            ftaudit_main(["tree", str(requirements), "--target", "3.15t,3.13t", *common, "--format", "json"])
            == 1
        )
        capsys.readouterr()
        assert ftaudit_main(["tree", str(requirements), "--target", "3.15t,3.14x", *common]) == 2
        assert "unknown target" in capsys.readouterr().err
        assert (
            ftaudit_main(
                ["tree", str(requirements), "--target", "3.14t,3.15t", *common, "--format", "markdown"]
            )
            == 1
        )
        markdown = capsys.readouterr().out
    assert "## Which interpreter the pins reach" in markdown
    assert "- 3.15t: 2 of 3 run without the GIL; blocked by oldft 1.0" in markdown
    assert "| stable 1.0 | needs-build | ready |" in markdown


def test_next_steps_point_to_the_target_a_package_ships_for(tmp_path, capsys):
    from auditor.pipelines.report import build_report
    from auditor.pipelines.report_advice import next_steps

    linux = "manylinux_2_17_x86_64.manylinux2014_x86_64"
    # Like cffi: refuses free-threaded 3.13, ships wheels for 3.14t and later.
    releases = [Release("likecffi", "2.1", [f"cp314-cp314t-{linux}", f"cp315-cp315t-{linux}"], sdist=True)]
    with FixtureIndex(releases, tmp_path / "files") as index:
        requirements = write(tmp_path, "requirements.txt", "likecffi==2.1\n")
        output = tmp_path / "tree.json"
        ftaudit_main(
            [
                "tree",
                str(requirements),
                "--target",
                "3.13t,3.15t",
                "--index-url",
                index.url,
                "--cache-dir",
                str(tmp_path / "cache"),
                "-o",
                str(output),
            ]
        )
    steps = next_steps(build_report(output))
    assert steps == [
        "likecffi 2.1 ships no cp313t wheel but does for 3.15t: "
        "target 3.15t rather than rebuilding it for 3.13t."
    ]
    assert not any("Rebuild" in step for step in steps)
