"""An exported init that only returns NULL makes no module: the file is a library.

pycryptodome 3.24.0's Windows wheels ship ``Crypto/Cipher/_raw_aes.pyd`` and 41 more whose
``PyInit__<name>`` is ``xor eax, eax; ret`` (``FAKE_INIT`` in its src/common.h, under
``_MSC_VER``, only so the MSVC build links); Crypto/Util/_raw_api.py loads them with ctypes.
The truth batch (benchmarks/wheel_truth_2.json) says they are not modules; read as modules
they turned the wheel to gil-fallback. Checked on that wheel (PE), on stubs compiled here
(ELF x86-64), and on a real arm64 function that returns a constant 0.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from _extension_builds import build_snippet, free_threaded_python
from test_binary_unseen_wheels import _wheel

from auditor.collectors.binary import read_extension
from auditor.collectors.binary.code_reader import CodeReader
from auditor.collectors.binary.formats import open_image
from auditor.collectors.binary.target import make_target
from auditor.collectors.tree.wheel_inspection import analyse_wheel

WINDOWS_WHEEL = "pycryptodome-3.24.0-cp314-cp314t-win_amd64"
FREE_THREADED = free_threaded_python()


def test_a_windows_pyd_whose_init_returns_null_is_a_library(tmp_path: Path) -> None:
    _entry, path = _wheel(WINDOWS_WHEEL)
    with zipfile.ZipFile(path) as archive:
        archive.extract("Crypto/Cipher/_raw_aes.pyd", tmp_path)
    facts = read_extension(tmp_path / "Crypto/Cipher/_raw_aes.pyd", tmp_path, "3.14t", platform="win_amd64")
    assert facts.is_plain_library and facts.init_returns_null
    assert facts.extension.init_style == "none"
    assert "PyInit__raw_aes returns NULL without calling anything" in facts.extension.gil_evidence


def test_the_windows_wheel_of_ctypes_libraries_is_pure() -> None:
    _entry, path = _wheel(WINDOWS_WHEEL)
    inspection = analyse_wheel(
        path.read_bytes(), path.name, make_target("3.14t"), "pycryptodome", "win_amd64"
    )
    assert (inspection.gil_fallback, inspection.extensions, inspection.problems) == (False, 0, [])
    assert inspection.gil_fallback_modules == []
    (note,) = inspection.notes
    assert note.startswith("42 shared libraries without a module init") and "not judged" in note


NULL_STUB = """
#include <Python.h>
/* What pycryptodome's FAKE_INIT expands to: an export for the linker, never a module. */
PyMODINIT_FUNC PyInit_nullstub(void) { return NULL; }
int nullstub_add(int a, int b) { return a + b; }
"""
# Returns NULL too, but after raising: a module that refuses to load, not a stub.
REFUSING = """
#include <Python.h>
PyMODINIT_FUNC PyInit_refusing(void) {
    PyErr_SetString(PyExc_ImportError, "refusing: not on this platform");
    return NULL;
}
"""


@pytest.mark.timeout(300)
@pytest.mark.skipif(FREE_THREADED is None, reason="no free-threaded 3.13 (ftaudit provision)")
def test_an_elf_init_that_returns_null_is_a_library_and_one_that_raises_is_not() -> None:
    stub = build_snippet(NULL_STUB, "nullstub", FREE_THREADED)
    facts = read_extension(stub.path, stub.site, "3.13t")
    assert facts.init_returns_null and facts.extension.init_style == "none"
    refusing = build_snippet(REFUSING, "refusing", FREE_THREADED)
    facts = read_extension(refusing.path, refusing.site, "3.13t")
    assert not facts.init_returns_null and not facts.is_plain_library
    assert facts.extension.init_style != "none"


def test_an_arm64_function_returning_zero_is_told_from_an_init(tmp_path: Path) -> None:
    _entry, path = _wheel("greenlet-3.2.2-cp313-cp313t-manylinux_2_17_aarch64")
    member = "greenlet/_greenlet.cpython-313t-aarch64-linux-gnu.so"
    with zipfile.ZipFile(path) as archive:
        archive.extract(member, tmp_path)
    with open_image(tmp_path / member) as image:
        reader = CodeReader(image)
        # Greenlet::force_slp_switch_error() const { return false; }: mov w0, #0; ret
        constant = image.symbols["_ZNK8greenlet8Greenlet22force_slp_switch_errorEv"]
        assert reader.returns_constant_null(constant.value, constant.size)
        init = image.symbols["PyInit__greenlet"]
        assert not reader.returns_constant_null(init.value, init.size)
    facts = read_extension(tmp_path / member, tmp_path, "3.13t", platform="manylinux_2_28_aarch64")
    assert not facts.init_returns_null and facts.extension.module == "greenlet._greenlet"
