"""Py_mod_gil read from real extension binaries built here, for 3.13t and for a GIL 3.13."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from _extension_builds import (
    EXPECTED_ON_FREE_THREADED,
    FIXTURES,
    HAND_WRITTEN,
    BuildError,
    build_cython,
    build_extension,
    build_fixture,
    build_nanobind,
    build_pybind11,
    free_threaded_python,
    gil_python,
    interpreter_build_info,
)

from auditor.collectors.binary.module_slots import M_SLOTS_OFFSET
from auditor.engine.binary_checks import analyse_extension
from auditor.model.environment import GilDeclaration, GilDeclaredBy

pytestmark = pytest.mark.timeout(600)

FREE_THREADED = free_threaded_python()
GIL = gil_python()
needs_free_threaded = pytest.mark.skipif(
    FREE_THREADED is None, reason="no free-threaded 3.13 (ftaudit provision)"
)
needs_gil = pytest.mark.skipif(GIL is None, reason="no GIL CPython 3.13 found")

EXPECTED_DECLARED_BY = {
    "mp_slot_not_used": GilDeclaredBy.SLOT,
    "mp_slot_used": GilDeclaredBy.SLOT,
    "mp_no_slot": GilDeclaredBy.NEVER,
    "sp_setgil_not_used": GilDeclaredBy.SET_GIL_CALL,
    "sp_setgil_used": GilDeclaredBy.SET_GIL_CALL,
    "sp_no_setgil": GilDeclaredBy.NEVER,
    "cpp_mp_not_used": GilDeclaredBy.SLOT,
    "cpp_mp_no_slot": GilDeclaredBy.NEVER,
    "cpp_mp_dynamic_slots": GilDeclaredBy.SLOT,
    "risky_calls": GilDeclaredBy.SLOT,
    "submodule": GilDeclaredBy.SLOT,
}


@needs_free_threaded
@pytest.mark.parametrize("name", sorted(EXPECTED_ON_FREE_THREADED))
def test_free_threaded_fixture_declaration(name: str) -> None:
    built = build_fixture(name, FREE_THREADED)
    extension, findings = analyse_extension(built.path, built.site, "3.13t")
    assert extension.errors == []
    assert extension.module == built.module and extension.path == built.relative_path
    assert (extension.abi, extension.abi_free_threaded, extension.loadable_on_target) == (
        "cp313t",
        True,
        True,
    )
    assert extension.gil.value == EXPECTED_ON_FREE_THREADED[name], extension.gil_evidence
    assert extension.gil_declared_by == EXPECTED_DECLARED_BY[name], extension.gil_evidence
    assert extension.generator == "hand-written"
    expected_style = "single-phase" if name.startswith("sp_") else "multi-phase"
    assert extension.init_style == expected_style
    codes = {finding.rule for finding in findings}
    assert ("FTB001" in codes) == (EXPECTED_DECLARED_BY[name] == GilDeclaredBy.NEVER)
    assert ("FTB002" in codes) == (name in ("mp_slot_used", "sp_setgil_used"))
    assert all(finding.module == built.module for finding in findings)


COMPILER_FLAGS = [
    ("-O0",),
    ("-O1",),
    ("-O3",),
    ("-Os",),
    ("-O2", "-fno-plt"),
    ("-O0", "-fno-plt"),
    ("-O2", "-fcf-protection=full"),
]


@needs_free_threaded
@pytest.mark.parametrize("flags", COMPILER_FLAGS, ids=[" ".join(flags) for flags in COMPILER_FLAGS])
def test_declaration_survives_compiler_flags(flags: tuple[str, ...]) -> None:
    """-O0 keeps values on the stack, -fno-plt calls through the GOT, CET adds endbr64/notrack."""
    wrong = {}
    for name, expected in EXPECTED_ON_FREE_THREADED.items():
        source, module, cpp = HAND_WRITTEN[name]
        built = build_extension([FIXTURES / source], module, FREE_THREADED, cpp=cpp, extra_flags=flags)
        extension, _ = analyse_extension(built.path, built.site, "3.13t")
        if extension.gil.value != expected:
            wrong[name] = extension.gil_evidence
    assert wrong == {}


@needs_gil
@pytest.mark.parametrize("name", ["mp_slot_not_used", "sp_setgil_not_used", "mp_no_slot", "cpp_mp_not_used"])
def test_gil_build_is_not_applicable(name: str) -> None:
    built = build_fixture(name, GIL)
    for target in ("3.13", "3.13t"):
        extension, findings = analyse_extension(built.path, built.site, target)
        assert extension.abi == "cp313" and extension.abi_free_threaded is False
        assert extension.gil_declared_by == GilDeclaredBy.NOT_APPLICABLE
        assert extension.gil == GilDeclaration.USED
        codes = {finding.rule for finding in findings}
        assert extension.loadable_on_target is (target == "3.13")
        assert ("FTB003" in codes) is (target == "3.13t")
        assert not codes & {"FTB001", "FTB002", "FTB004"}


@needs_free_threaded
def test_stripped_binary_is_read_the_same(tmp_path: Path) -> None:
    """Wheels ship stripped binaries: only .dynsym is left, no static symbol sizes."""
    for name in ("mp_slot_not_used", "sp_setgil_not_used", "mp_no_slot"):
        built = build_fixture(name, FREE_THREADED)
        copy = tmp_path / built.path.name
        shutil.copy(built.path, copy)
        subprocess.run(["strip", "--strip-all", str(copy)], check=True)
        extension, _ = analyse_extension(copy, tmp_path)
        assert extension.gil.value == EXPECTED_ON_FREE_THREADED[name], extension.gil_evidence


@needs_free_threaded
def test_bare_so_name_is_decided_from_symbols(tmp_path: Path) -> None:
    built = build_fixture("mp_slot_not_used", FREE_THREADED)
    bare = tmp_path / "mp_slot_not_used.so"
    shutil.copy(built.path, bare)
    extension, _ = analyse_extension(bare, tmp_path, "3.13t")
    assert extension.abi == "unknown" and extension.abi_free_threaded is True
    assert extension.loadable_on_target is True
    assert extension.gil == GilDeclaration.NOT_USED
    extension, findings = analyse_extension(bare, tmp_path, "3.13")
    assert extension.loadable_on_target is False and "FTB003" in {f.rule for f in findings}


@needs_gil
def test_renamed_gil_build_is_caught(tmp_path: Path) -> None:
    built = build_fixture("mp_slot_not_used", GIL)
    renamed = tmp_path / "mp_slot_not_used.cpython-313t-x86_64-linux-gnu.so"
    shutil.copy(built.path, renamed)
    extension, findings = analyse_extension(renamed, tmp_path, "3.13t")
    assert extension.abi_free_threaded is False
    assert extension.loadable_on_target is False
    assert any("file name says cp313t" in error and "GIL" in error for error in extension.errors)
    assert extension.gil_declared_by == GilDeclaredBy.NOT_APPLICABLE
    assert "FTB003" in {finding.rule for finding in findings}


def _offset_of_m_slots(python: Path, tmp_path: Path) -> int:
    info = interpreter_build_info(str(python))
    source = tmp_path / "offset.c"
    source.write_text(
        "#include <Python.h>\n#include <stddef.h>\n#include <stdio.h>\n"
        'int main(void) { printf("%zu", offsetof(PyModuleDef, m_slots)); return 0; }\n'
    )
    program = tmp_path / "offset"
    subprocess.run(["gcc", f"-I{info.include_dir}", str(source), "-o", str(program)], check=True)
    return int(subprocess.run([str(program)], capture_output=True, text=True, check=True).stdout)


@needs_free_threaded
def test_m_slots_offset_matches_the_free_threaded_headers(tmp_path: Path) -> None:
    assert _offset_of_m_slots(FREE_THREADED, tmp_path) == M_SLOTS_OFFSET[True]


@needs_gil
def test_m_slots_offset_matches_the_gil_headers(tmp_path: Path) -> None:
    assert _offset_of_m_slots(GIL, tmp_path) == M_SLOTS_OFFSET[False]


# -- modules made by generators: the slot array is built at run time (pybind11, nanobind)
def _generator_build(kind: str, variant: str):
    try:
        if kind == "pybind11":
            return build_pybind11(variant, FREE_THREADED)
        if kind == "nanobind":
            return build_nanobind(variant == "nanobind_free_threaded", FREE_THREADED)
        return build_cython(variant, FREE_THREADED)
    except BuildError as error:
        pytest.fail(f"could not build the {kind} fixture here: {str(error)[:300]}")


GENERATOR_CASES = [
    ("pybind11", "pybind11_gil_not_used", "not-used", GilDeclaredBy.SLOT),
    ("pybind11", "pybind11_default", "used", GilDeclaredBy.NEVER),
    ("nanobind", "nanobind_free_threaded", "not-used", GilDeclaredBy.SLOT),
    ("nanobind", "nanobind_default", "used", GilDeclaredBy.NEVER),
    ("Cython", "cython_freethreading", "not-used", GilDeclaredBy.SLOT),
    ("Cython", "cython_default", "used", GilDeclaredBy.SLOT),
]


@needs_free_threaded
@pytest.mark.slow
@pytest.mark.parametrize(("generator", "variant", "gil", "declared_by"), GENERATOR_CASES)
def test_generator_modules(generator: str, variant: str, gil: str, declared_by: GilDeclaredBy) -> None:
    built = _generator_build(generator, variant)
    extension, _ = analyse_extension(built.path, built.site, "3.13t")
    assert extension.generator == generator
    assert extension.gil.value == gil, extension.gil_evidence
    assert extension.gil_declared_by == declared_by, extension.gil_evidence


@needs_free_threaded
@pytest.mark.slow
@pytest.mark.parametrize("variant", ["pybind11_gil_not_used", "pybind11_default"])
def test_pybind11_is_decided_from_its_code_not_its_name(variant: str) -> None:
    """pybind11 fills a zeroed static slot array in PyInit: the verdict must come from the stores."""
    built = _generator_build("pybind11", variant)
    extension, _ = analyse_extension(built.path, built.site, "3.13t")
    assert "built by the init code" in extension.gil_evidence


def test_expected_table_is_json_clean() -> None:
    assert json.loads(json.dumps(EXPECTED_ON_FREE_THREADED)) == EXPECTED_ON_FREE_THREADED
