"""ABI tags from file names, and which targets can load them (CPython 3.13 import rules)."""

from __future__ import annotations

import pytest

from auditor.collectors.binary.abi_tag import (
    abi_from_imported_symbols,
    loadability,
    module_name_from_filename,
    parse_abi_tag,
)
from auditor.collectors.binary.target import Target


@pytest.mark.parametrize(
    ("filename", "tag", "free_threaded"),
    [
        ("foo.cpython-313t-x86_64-linux-gnu.so", "cp313t", True),
        ("foo.cpython-313-x86_64-linux-gnu.so", "cp313", False),
        ("foo.cpython-314t-aarch64-linux-gnu.so", "cp314t", True),
        ("foo.cpython-311-x86_64-linux-gnu.so", "cp311", False),
        ("foo.cpython-313td-x86_64-linux-gnu.so", "cp313t", True),
        ("foo.abi3.so", "abi3", False),
        ("foo.so", "unknown", None),
        ("foo.cp313t-win_amd64.pyd", "windows", True),
        ("foo.pyd", "windows", None),
    ],
)
def test_file_name_gives_abi_tag(filename: str, tag: str, free_threaded: bool | None) -> None:
    abi = parse_abi_tag(filename)
    assert (abi.tag, abi.free_threaded) == (tag, free_threaded)
    assert filename.endswith(abi.suffix)


def test_debug_flag_and_platform_are_kept() -> None:
    abi = parse_abi_tag("foo.cpython-313td-x86_64-linux-gnu.so")
    assert abi.debug and abi.platform == "x86_64-linux-gnu"


def test_module_name_is_the_part_before_the_first_dot() -> None:
    assert module_name_from_filename("_speedups.cpython-313t-x86_64-linux-gnu.so") == "_speedups"


@pytest.mark.parametrize(
    ("filename", "target", "expected"),
    [
        ("a.cpython-313t-x86_64-linux-gnu.so", "3.13t", True),
        ("a.cpython-313-x86_64-linux-gnu.so", "3.13t", False),
        ("a.cpython-313t-x86_64-linux-gnu.so", "3.13", False),
        ("a.cpython-313t-x86_64-linux-gnu.so", "3.14t", False),
        ("a.cpython-314t-x86_64-linux-gnu.so", "3.14t", True),
        ("a.cpython-311-x86_64-linux-gnu.so", "3.13", False),
        ("a.abi3.so", "3.13t", False),  # found by the importer, but the limited API is the GIL ABI
        ("a.abi3.so", "3.14t", False),
        ("a.abi3.so", "3.13", True),
        ("a.pyd", "3.13t", False),
        ("a.so", "3.13t", None),  # decided from the binary's imports, see below
    ],
)
def test_loadability_by_name(filename: str, target: str, expected: bool | None) -> None:
    verdict = loadability(parse_abi_tag(filename), target, host_platform="x86_64-linux-gnu")
    assert verdict.loadable is expected
    assert verdict.reason


def test_other_platform_is_not_loadable() -> None:
    verdict = loadability(
        parse_abi_tag("a.cpython-313t-aarch64-linux-gnu.so"), "3.13t", host_platform="x86_64-linux-gnu"
    )
    assert verdict.loadable is False and "aarch64" in verdict.reason


def test_bare_so_is_decided_by_its_imported_symbols() -> None:
    bare = parse_abi_tag("a.so")
    free_threaded, reason = abi_from_imported_symbols({"PyLong_FromLong", "_Py_MergeZeroLocalRefcount"})
    assert free_threaded is True and "_Py_MergeZeroLocalRefcount" in reason
    assert loadability(bare, "3.13t", symbol_abi_free_threaded=free_threaded).loadable is True
    assert loadability(bare, "3.13", symbol_abi_free_threaded=free_threaded).loadable is False
    gil, _ = abi_from_imported_symbols({"_Py_Dealloc", "PyLong_FromLong"})
    assert gil is False
    assert loadability(bare, "3.13t", symbol_abi_free_threaded=gil).loadable is False
    assert abi_from_imported_symbols({"Py_DecRef"})[0] is None


@pytest.mark.parametrize("text", ["3.13", "13t", "3.13tt", "python3.13t"])
def test_bad_targets_are_refused(text: str) -> None:
    if text == "3.13":
        assert str(Target.parse(text)) == "3.13"
        return
    with pytest.raises(ValueError):
        Target.parse(text)
