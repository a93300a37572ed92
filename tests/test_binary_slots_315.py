"""Every 3.15 slot layout, pinned by binaries compiled here (fixtures/extensions/slots315/).

Real cp315t wheels cover the common layouts (tests/test_binary_free_threaded_wheels.py);
these cover the rest: compat ids in a 3.15 binary, ids no header defines, a type slot in a
module, PySlot_OPTIONAL, nested Py_slot_subslots / Py_mod_slots arrays, a PEP 793 hook
with no PyInit, a hook beside a PyInit that says otherwise, and conflicting values. Each
expectation fails if the ids or the record layout are read wrong.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.collectors.binary.elf import ElfImage
from auditor.collectors.binary.gil_declaration import read_gil_declaration
from auditor.engine.binary_checks import analyse_extension
from auditor.model.environment import GilDeclaration, GilDeclaredBy

SOURCE = Path(__file__).resolve().parent.parent / "fixtures" / "extensions" / "slots315" / "layouts.c"
SUFFIX_315 = ".cpython-315t-x86_64-linux-gnu.so"

NOT_USED, USED, UNKNOWN = GilDeclaration.NOT_USED, GilDeclaration.USED, GilDeclaration.UNKNOWN
# variant: (verdict, who declared, text the evidence must contain)
EXPECTED = {
    "new_ids_not_used": (
        NOT_USED,
        GilDeclaredBy.SLOT,
        "slot id 87 in record 2 of the PyModuleDef_Slot array",
    ),
    "new_ids_used": (USED, GilDeclaredBy.SLOT, "Py_MOD_GIL_USED"),
    "new_ids_no_gil_slot": (
        USED,
        GilDeclaredBy.NEVER,
        "2 slots read with the 3.15 ids in the PyModuleDef_Slot array",
    ),
    "compat_ids_on_315": (NOT_USED, GilDeclaredBy.SLOT, "slot id 4"),
    "unknown_id": (UNKNOWN, GilDeclaredBy.UNDETERMINED, "200 (not defined by the 3.15 headers)"),
    "type_slot_in_module": (UNKNOWN, GilDeclaredBy.UNDETERMINED, "65 (a type slot in the 3.15 headers"),
    "export_only": (NOT_USED, GilDeclaredBy.SLOT, "PyModExport_export_only (PEP 793) returns"),
    "export_wins_over_init": (NOT_USED, GilDeclaredBy.SLOT, "PyModExport_export_wins_over_init"),
    "export_uint64_value": (NOT_USED, GilDeclaredBy.SLOT, "slot id 87"),
    "optional_unknown_id": (NOT_USED, GilDeclaredBy.SLOT, "slot id 87 in record 1 of the PySlot array"),
    "required_unknown_id": (UNKNOWN, GilDeclaredBy.UNDETERMINED, "300 (not defined by the 3.15 headers)"),
    "nested_subslots": (NOT_USED, GilDeclaredBy.SLOT, "nested PySlot array"),
    "nested_module_def_slots": (USED, GilDeclaredBy.SLOT, "nested PyModuleDef_Slot array"),
    "conflicting_gil": (
        UNKNOWN,
        GilDeclaredBy.UNDETERMINED,
        "Py_mod_gil is given twice with different values",
    ),
}


def _compile(variant: str, destination: Path) -> None:
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.fail("no C compiler: scripts/setup.sh installs build-essential")
    subprocess.run(
        [
            compiler,
            "-shared",
            "-fPIC",
            "-O2",
            "-fvisibility=hidden",
            f"-DVARIANT_{variant.upper()}",
            f'-DMODULE_NAME="{variant}"',
            str(SOURCE),
            "-o",
            str(destination),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("slots315")
    for variant in EXPECTED:
        _compile(variant, site / f"{variant}{SUFFIX_315}")
    _compile("export_only", site / "abi3t_export_only.abi3t.so.tmp")
    return site


@pytest.mark.parametrize("variant", sorted(EXPECTED))
def test_315_layout_is_read_as_declared(builds: Path, variant: str) -> None:
    extension, _findings = analyse_extension(builds / f"{variant}{SUFFIX_315}", builds, "3.15t")
    verdict, declared_by, evidence = EXPECTED[variant]
    assert extension.errors == []
    assert (extension.gil, extension.gil_declared_by) == (verdict, declared_by), extension.gil_evidence
    assert evidence in extension.gil_evidence


def test_unknown_ids_are_named_and_flagged_as_undetermined(builds: Path) -> None:
    _extension, findings = analyse_extension(builds / f"unknown_id{SUFFIX_315}", builds, "3.15t")
    assert [finding.rule for finding in findings if finding.rule.startswith("FTB00")] == ["FTB004"]


def test_export_hook_is_only_read_by_315_importers(builds: Path) -> None:
    with ElfImage(builds / f"export_wins_over_init{SUFFIX_315}") as image:
        by_315 = read_gil_declaration(
            image, "export_wins_over_init", True, header_release=(3, 15), importer_release=(3, 15)
        )
        by_314 = read_gil_declaration(
            image, "export_wins_over_init", True, header_release=(3, 15), importer_release=(3, 14)
        )
    assert (by_315.gil, by_315.init_style) == (NOT_USED, "export-hook")
    assert (by_314.gil, by_314.init_style) == (USED, "multi-phase")


def test_315_ids_under_a_314_name_are_not_guessed(builds: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "new_ids_not_used.cpython-314t-x86_64-linux-gnu.so"
    shutil.copy(builds / f"new_ids_not_used{SUFFIX_315}", renamed)
    extension, _ = analyse_extension(renamed, tmp_path, "3.14t")
    assert extension.gil == UNKNOWN
    assert "slot ids the reader does not know for the 3.14 ABI: 85" in extension.gil_evidence
    assert "87" in extension.gil_evidence


def test_bare_so_is_read_with_every_release_ids(builds: Path, tmp_path: Path) -> None:
    bare = tmp_path / "new_ids_not_used.so"
    shutil.copy(builds / f"new_ids_not_used{SUFFIX_315}", bare)
    extension, _ = analyse_extension(bare, tmp_path, "3.15t")
    assert extension.gil == NOT_USED and "3.13-3.15 ids" not in extension.gil_evidence


def test_abi3t_module_with_only_an_export_hook(builds: Path, tmp_path: Path) -> None:
    module = tmp_path / "export_only.abi3t.so"
    shutil.copy(builds / "abi3t_export_only.abi3t.so.tmp", module)
    on_315, _ = analyse_extension(module, tmp_path, "3.15t")
    assert (on_315.abi, on_315.loadable_on_target, on_315.gil) == ("abi3t", True, NOT_USED)
    assert on_315.init_style == "export-hook"
    on_313, findings = analyse_extension(module, tmp_path, "3.13t")
    assert on_313.loadable_on_target is False
    assert "FTB003" in {finding.rule for finding in findings}
