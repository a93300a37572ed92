"""One wheel, a build of each module per CPython: only the file the target imports is judged.

pymongo 4.15.1's ``cp313t`` wheels ship ``bson/_cbson.cpython-39-…so`` up to
``cpython-313-…so`` beside ``_cbson.cpython-313t-…so`` (the runtime truth in
benchmarks/wheel_truth_2.json: 3.13t imports the 313t file, which declares
Py_MOD_GIL_NOT_USED). CPython's path finder loads the first file its extension suffixes
find, so the GIL builds never count; a module with no file the target imports keeps all of
them, each saying why it cannot load.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from _scan_helpers import write_distribution
from test_binary_unseen_wheels import _wheel

from auditor.collectors.binary.import_order import import_rank, split_by_import_choice
from auditor.collectors.binary.target import Target, make_target
from auditor.collectors.tree.wheel_inspection import analyse_wheel, read_wheel_extensions
from auditor.model.environment import GilDeclaration, Verdict
from auditor.pipelines.scan import scan

LINUX_WHEEL = "pymongo-4.15.1-cp313-cp313t-manylinux_2_17_x86_64"
MAC_X86_WHEEL = "pymongo-4.15.1-cp313-cp313t-macosx_10_13_x86_64"


@pytest.mark.parametrize(
    ("target", "filename", "rank"),
    [
        ("3.13t", "m.cpython-313t-x86_64-linux-gnu.so", 0),
        ("3.13t", "m.cpython-313-x86_64-linux-gnu.so", None),
        ("3.13t", "m.cpython-314t-x86_64-linux-gnu.so", None),
        ("3.13t", "m.abi3.so", 2),  # 3.13.5t lists .abi3.so (and then cannot load the file)
        ("3.13t", "m.abi3t.so", None),
        ("3.13t", "m.so", 3),
        ("3.15t", "m.abi3t.so", 1),
        ("3.15t", "m.abi3.so", None),  # PEP 803: the free-threaded 3.15 importer does not look
        ("3.15", "m.abi3.so", 2),
        ("3.14t", "m.cp314t-win_amd64.pyd", 0),
        ("3.14t", "m.cp314-win_amd64.pyd", None),
        ("3.14t", "m.pyd", 3),
        ("3.13t", "m.cpython-313t-darwin.so", 0),
    ],
)
def test_the_rank_follows_the_targets_extension_suffixes(
    target: str, filename: str, rank: int | None
) -> None:
    assert import_rank(filename, Target.parse(target)) == rank


def test_only_the_picked_file_of_each_module_is_judged() -> None:
    paths = [
        "pkg/_a.cpython-312-x86_64-linux-gnu.so",
        "pkg/_a.cpython-313t-x86_64-linux-gnu.so",
        "pkg/_a.so",  # shadowed by the 313t file
        "pkg/_b.cpython-312-x86_64-linux-gnu.so",  # no 3.13t build: kept, says it cannot load
        "other/_a.cpython-312-x86_64-linux-gnu.so",  # another folder, another module
    ]
    judged, left_out = split_by_import_choice(paths, Target.parse("3.13t"))
    assert judged == [paths[1], paths[3], paths[4]]
    assert left_out == [paths[0], paths[2]]


@pytest.mark.parametrize(
    ("prefix", "platform"), [(LINUX_WHEEL, None), (MAC_X86_WHEEL, "macosx_10_13_x86_64")]
)
def test_a_wheel_with_a_build_per_cpython_is_judged_by_its_own_build(
    prefix: str, platform: str | None
) -> None:
    _entry, path = _wheel(prefix)
    left_out: list[str] = []
    extensions, problems = read_wheel_extensions(
        path.read_bytes(), path.name, make_target("3.13t"), "pymongo", platform, [], left_out
    )
    assert sorted(extension.module for extension in extensions) == ["bson._cbson", "pymongo._cmessage"]
    assert all(extension.abi == "cp313t" and extension.loadable_on_target for extension in extensions)
    assert all(extension.gil is GilDeclaration.NOT_USED for extension in extensions)
    # On macOS x86_64 the other builds are arm64-only: never read, so no error about them.
    assert problems == [] and all(not extension.errors for extension in extensions)
    assert len(left_out) == 10 and not any("313t" in name for name in left_out)
    inspection = analyse_wheel(path.read_bytes(), path.name, make_target("3.13t"), "pymongo", platform)
    assert (inspection.gil_fallback, inspection.extensions, inspection.problems) == (False, 2, [])
    assert inspection.notes == [
        "10 files for other interpreters not judged: the target imports its own build of the same module "
        f"({left_out[0]}, …)"
    ]


def test_a_wheel_without_a_build_for_the_target_still_needs_one() -> None:
    _entry, path = _wheel(LINUX_WHEEL)
    left_out: list[str] = []
    extensions, _problems = read_wheel_extensions(
        path.read_bytes(), path.name, make_target("3.14t"), "pymongo", None, [], left_out
    )
    assert left_out == [] and len(extensions) == 12
    assert all(extension.loadable_on_target is False for extension in extensions)


@pytest.mark.timeout(300)
def test_a_scan_judges_the_installed_file_the_target_imports(tmp_path: Path) -> None:
    _entry, path = _wheel(LINUX_WHEEL)
    with zipfile.ZipFile(path) as archive:
        files = {
            f"pymongo/{name}": archive.read(f"pymongo/{name}")
            for name in (
                "_cmessage.cpython-313t-x86_64-linux-gnu.so",
                "_cmessage.cpython-312-x86_64-linux-gnu.so",
                "_cmessage.cpython-39-x86_64-linux-gnu.so",
            )
        }
    site = tmp_path / "site"
    write_distribution(site, "pymongolike", "1.0", files)
    result = scan(paths=[site], target="3.13t", use_cache=False, jobs=1)
    (distribution,) = [item for item in result.distributions if item.name == "pymongolike"]
    assert [extension.path for extension in distribution.extensions] == [
        "pymongo/_cmessage.cpython-313t-x86_64-linux-gnu.so"
    ]
    assert sorted(distribution.other_interpreter_files) == [
        "pymongo/_cmessage.cpython-312-x86_64-linux-gnu.so",
        "pymongo/_cmessage.cpython-39-x86_64-linux-gnu.so",
    ]
    assert distribution.verdict is Verdict.READY
    assert "2 files for other interpreters not judged" in distribution.reason
    # For 3.14t no file is its own: every build is judged and says it cannot load.
    other = scan(paths=[site], target="3.14t", use_cache=False, jobs=1)
    (distribution,) = [item for item in other.distributions if item.name == "pymongolike"]
    assert len(distribution.extensions) == 3 and distribution.other_interpreter_files == []
    assert distribution.verdict is Verdict.NEEDS_BUILD
