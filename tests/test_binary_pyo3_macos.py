"""PyO3 0.25 on macOS: nh3 0.3.0's universal2 module reads not-used on both slices.

The truth batch (benchmarks/wheel_truth_2.json) takes nh3 0.3.0's runtime truth from its
Linux wheel (3.13t imports it without re-enabling the GIL); the macOS wheel read "the init
code is longer than the reading budget" on both slices. On x86-64, ``make_module`` computes
SetGIL's value as ``not r13b`` from its gil_used argument and comes after a PyErr::take
whose formatting code took the whole budget. On arm64, the SetGIL value was lost to the
linear walk: the call that passes it sits in a cold path whose registers come from the branch
that jumps there, not from the block before it; see :mod:`auditor.collectors.binary.code_reader`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from test_binary_unseen_wheels import _wheel

from auditor.collectors.binary import read_extension
from auditor.model.environment import GilDeclaration, GilDeclaredBy

NH3_MAC = "nh3-0.3.0-cp313-cp313t-macosx_10_12_x86_64.macosx_11_0_arm64"
MEMBER = "nh3/nh3.cpython-313t-darwin.so"


@pytest.fixture(scope="module")
def nh3_module(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    _entry, path = _wheel(NH3_MAC)
    site = tmp_path_factory.mktemp("nh3")
    with zipfile.ZipFile(path) as archive:
        archive.extract(MEMBER, site)
    return site / MEMBER, site


def test_the_x86_64_slice_reads_not_used(nh3_module: tuple[Path, Path]) -> None:
    module, site = nh3_module
    extension = read_extension(module, site, "3.13t", platform="macosx_10_12_x86_64").extension
    assert (extension.gil, extension.gil_declared_by) == (GilDeclaration.NOT_USED, GilDeclaredBy.SET_GIL_CALL)
    assert "Py_MOD_GIL_NOT_USED" in extension.gil_evidence and extension.errors == []


@pytest.mark.parametrize("platform", ["macosx_11_0_arm64", None])
def test_the_arm64_slice_reads_the_cold_path_with_its_branchs_registers(
    nh3_module: tuple[Path, Path], platform: str | None
) -> None:
    # The caller of make_module keeps gil_used in x20 and overwrites x20 on its early-return
    # path; the make_module call sits after the ret, reached by cbnz before the overwrite.
    # Without a platform both slices are read, and they must agree.
    module, site = nh3_module
    extension = read_extension(module, site, "3.13t", platform=platform).extension
    assert (extension.gil, extension.gil_declared_by) == (GilDeclaration.NOT_USED, GilDeclaredBy.SET_GIL_CALL)
    assert extension.errors == []
