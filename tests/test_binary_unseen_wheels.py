"""Real wheels the ground-truth audit found read wrongly, and the verdicts they must get.

benchmarks/wheel_truth_audit.py sets the reader against runtime and source truth on wheels
no other test reads. These are the ones it got wrong, one cause each (pinned in
tests/data/free_threaded_wheels.json under "reader_regression_wheels", fetched by setup):

* cffi out-of-line modules (argon2-cffi-bindings, PyNaCl): cffi's backend creates the
  module and declares Py_MOD_GIL_NOT_USED; they are not "never declared";
* greenlet 3.2.2: its PyInit builds a std::string through libstdc++, which cannot declare
  for it: never declared, not "another library may declare";
* mypy on Windows: ``librt_*_ops.cp315t-win_amd64.pyd`` are modules, not bundled libraries;
* pycryptodome: ``_raw_*.abi3.so`` are ctypes libraries without a module init: not judged,
  and the wheel is pure, in the wheel inspection and in a scan of the installed files.

A cffi module compiled here from cffi's own generated C checks the first cause without a
download, and a hand-written module that imports ``_cffi_backend`` for something else is
not taken for one.
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest
from _extension_builds import CACHE, build_extension, build_snippet, free_threaded_python
from _scan_helpers import write_distribution

from auditor.collectors.binary import read_extension
from auditor.collectors.binary.runtime_libraries import is_cxx_runtime_function
from auditor.collectors.binary.target import make_target
from auditor.collectors.tree.wheel_inspection import analyse_wheel, read_wheel_extensions
from auditor.model.environment import GilDeclaration, GilDeclaredBy, Verdict
from auditor.pipelines.scan import scan

REPOSITORY = Path(__file__).resolve().parent.parent
MANIFEST = json.loads((REPOSITORY / "tests" / "data" / "free_threaded_wheels.json").read_text())[
    "reader_regression_wheels"
]
sys.path.insert(0, str(REPOSITORY / "scripts"))
from fetch_test_wheels import cache_folder, sha256_of  # noqa: E402

# The audit's platform families -> the platform tag the reader is told (None: this Linux host).
PLATFORM_TAGS = {"lx": None, "la": "manylinux_2_28_aarch64", "ma": "musllinux_1_2_aarch64"}
PLATFORM_TAGS |= {"mac-arm": "macosx_11_0_arm64", "win": "win_amd64"}
TARGETS = {"cp313t": "3.13t", "cp314t": "3.14t", "cp315t": "3.15t", "abi3t": "3.15t"}
FREE_THREADED = free_threaded_python()


def _wheel(prefix: str) -> tuple[dict, Path]:
    entry = next(entry for entry in MANIFEST if entry["filename"].startswith(prefix))
    path = cache_folder() / entry["filename"]
    if not path.exists() or sha256_of(path) != entry["sha256"]:
        pytest.fail(f"{path} is missing or not the pinned file: run scripts/setup.sh")
    return entry, path


def _read(prefix: str):
    """(the wheel's modules by name, its problems, the shared libraries it left unjudged)."""
    entry, path = _wheel(prefix)
    libraries: list[str] = []
    extensions, problems = read_wheel_extensions(
        path.read_bytes(),
        path.name,
        make_target(TARGETS[entry["abi"]]),
        entry["project"],
        PLATFORM_TAGS[entry["platform"]],
        libraries,
    )
    return {extension.module: extension for extension in extensions}, problems, libraries


CFFI_WHEELS = [entry["filename"] for entry in MANIFEST if "cffi" in entry["checks"]]


@pytest.mark.parametrize("filename", CFFI_WHEELS)
def test_cffi_out_of_line_modules_are_declared_by_the_backend(filename: str) -> None:
    modules, problems, _libraries = _read(filename)
    (name,) = [name for name in modules if name in ("_argon2_cffi_bindings._ffi", "nacl._sodium")]
    module = modules[name]
    assert (module.gil, module.gil_declared_by) == (GilDeclaration.NOT_USED, GilDeclaredBy.CFFI_BACKEND)
    assert module.generator == "cffi" and module.errors == [] and problems == []
    # Read from the code on every platform, not guessed from strings; and honest about
    # what it rests on.
    assert '"_cffi_backend"' in module.gil_evidence and "read from the code" in module.gil_evidence
    assert "installed cffi supports free threading" in module.gil_evidence


def test_a_cffi_wheel_is_ready() -> None:
    _entry, path = _wheel("argon2_cffi_bindings-26.2.0-cp314")
    inspection = analyse_wheel(path.read_bytes(), path.name, make_target("3.14t"), "argon2-cffi-bindings")
    assert (inspection.gil_fallback, inspection.extensions, inspection.problems) == (False, 1, [])


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_a_call_into_libstdcxx_leaves_greenlet_never_declared(arch: str) -> None:
    modules, problems, _libraries = _read(f"greenlet-3.2.2-cp313-cp313t-manylinux_2_17_{arch}")
    greenlet = modules["greenlet._greenlet"]
    assert (greenlet.gil, greenlet.gil_declared_by) == (GilDeclaration.USED, GilDeclaredBy.NEVER)
    assert "may declare" not in greenlet.gil_evidence and problems == []


def test_windows_modules_named_lib_are_read() -> None:
    modules, problems, libraries = _read("mypy-2.3.1-cp315-cp315t-win_amd64")
    librt = {name: module for name, module in modules.items() if ".librt_" in name}
    assert set(librt) >= {
        f"mypyc.primitives.librt_{name}_ops" for name in ("random", "strings", "threading", "time", "vecs")
    }
    assert all(module.gil is GilDeclaration.NOT_USED for module in librt.values())
    assert problems == [] and libraries == []


def test_a_scan_lists_windows_modules_named_lib(tmp_path: Path) -> None:
    _entry, path = _wheel("mypy-2.3.1-cp315-cp315t-win_amd64")
    member = "mypyc/primitives/librt_time_ops.cp315t-win_amd64.pyd"
    with zipfile.ZipFile(path) as archive:
        data = archive.read(member)
    site = tmp_path / "site"
    write_distribution(site, "librtonly", "1.0", {member: data})
    result = scan(paths=[site], target="3.15t", platform="win_amd64", use_cache=False, jobs=1)
    (distribution,) = [item for item in result.distributions if item.name == "librtonly"]
    assert [extension.module for extension in distribution.extensions] == ["mypyc.primitives.librt_time_ops"]
    assert distribution.native_libraries == [] and distribution.verdict is Verdict.READY


def test_ctypes_libraries_are_not_judged_and_the_wheel_is_pure() -> None:
    modules, problems, libraries = _read("pycryptodome-3.24.1")
    assert modules == {} and problems == []
    assert "Crypto/Cipher/_raw_aes.abi3.so" in libraries and len(libraries) >= 40
    _entry, path = _wheel("pycryptodome-3.24.1")
    inspection = analyse_wheel(path.read_bytes(), path.name, make_target("3.13t"), "pycryptodome")
    assert (inspection.gil_fallback, inspection.extensions, inspection.problems) == (False, 0, [])
    (note,) = inspection.notes
    assert (
        note.startswith(f"{len(libraries)} shared libraries without a module init") and "not judged" in note
    )


@pytest.mark.timeout(300)
def test_a_scan_leaves_ctypes_libraries_out_and_keeps_damaged_modules_in(tmp_path: Path) -> None:
    _entry, crypto_wheel = _wheel("pycryptodome-3.24.1")
    site = tmp_path / "site"
    with zipfile.ZipFile(crypto_wheel) as archive:
        archive.extractall(site)  # as pip installs it: RECORD lists every _raw_*.abi3.so
        raw_aes = archive.read("Crypto/Cipher/_raw_aes.abi3.so")
    _entry, greenlet_wheel = _wheel("greenlet-3.2.2-cp313-cp313t-manylinux_2_17_x86_64")
    with zipfile.ZipFile(greenlet_wheel) as archive:
        greenlet = archive.read("greenlet/_greenlet.cpython-313t-x86_64-linux-gnu.so")
    write_distribution(
        site,
        "mixed",
        "1.0",
        {
            "mixed/__init__.py": b"",
            "mixed/_greenlet.cpython-313t-x86_64-linux-gnu.so": greenlet,
            "mixed/_raw_aes.abi3.so": raw_aes,  # a ctypes library beside a module
            "mixed/_cut.cpython-313t-x86_64-linux-gnu.so": raw_aes[
                :300
            ],  # damaged: cannot be told from a module
        },
    )
    result = scan(paths=[site], target="3.13t", use_cache=False, jobs=1)
    found = {distribution.name: distribution for distribution in result.distributions}
    crypto = found["pycryptodome"]
    assert crypto.verdict is Verdict.PURE and crypto.extensions == []
    assert "Crypto/Cipher/_raw_aes.abi3.so" in crypto.native_libraries
    mixed = found["mixed"]
    assert mixed.native_libraries == ["mixed/_raw_aes.abi3.so"]
    assert {extension.module for extension in mixed.extensions} == {"mixed._cut", "mixed._greenlet"}
    assert mixed.verdict is Verdict.GIL_FALLBACK  # greenlet never declares; _cut stays undecided
    assert "1 could not be decided: mixed._cut" in mixed.reason
    assert (
        "1 shared library without a module init" in mixed.reason and "mixed/_raw_aes.abi3.so" in mixed.reason
    )


# -- a cffi module compiled here -----------------------------------------------------------------
def _cffi_source(module: str) -> Path:
    """cffi's generated C for a small out-of-line module, written by the cffi installed here."""
    cffi = pytest.importorskip("cffi")
    folder = CACHE / "cffi-sources"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{module.replace('.', '_')}-cffi{cffi.__version__}.c"
    if not source.exists():
        ffi = cffi.FFI()
        ffi.cdef("int add(int, int);")
        ffi.set_source(module, "static int add(int a, int b) { return a + b; }")
        ffi.emit_c_code(str(source))
    return source


@pytest.mark.timeout(300)
@pytest.mark.skipif(FREE_THREADED is None, reason="no free-threaded 3.13 (ftaudit provision)")
def test_a_compiled_cffi_module_is_declared_by_the_backend(tmp_path: Path) -> None:
    # cffi picks the limited API for Py_GIL_DISABLED, which 3.13t refuses; its own switch
    # turns that off, as a cp314t build does.
    built = build_extension(
        [_cffi_source("cffipkg._adder")], "cffipkg._adder", FREE_THREADED, defines=("_CFFI_NO_LIMITED_API",)
    )
    module = read_extension(built.path, built.site, "3.13t").extension
    assert (module.gil, module.gil_declared_by, module.generator) == (
        GilDeclaration.NOT_USED,
        GilDeclaredBy.CFFI_BACKEND,
        "cffi",
    )
    assert "read from the code" in module.gil_evidence
    # The same source built for a GIL interpreter (this host's): the GIL stays, whatever cffi does.
    gil_build = build_extension([_cffi_source("cffipkg._adder")], "cffipkg._adder", sys.executable)
    on_gil = read_extension(gil_build.path, gil_build.site, "3.13t").extension
    assert (on_gil.gil, on_gil.gil_declared_by) == (GilDeclaration.USED, GilDeclaredBy.NOT_APPLICABLE)


LOOKALIKE = r"""
#include <Python.h>
/* Imports _cffi_backend, but calls some other method of it: not cffi's module creation. */
PyMODINIT_FUNC PyInit_cffi_lookalike(void) {
    PyObject *backend = PyImport_ImportModule("_cffi_backend");
    if (backend == NULL) return NULL;
    PyObject *module = PyObject_CallMethod(backend, "new_module_somehow", "s", "x");
    Py_DECREF(backend);
    return module;
}
static const char *keep = "_init_cffi_1_0_external_module";
const char *cffi_lookalike_name(void) { return keep; }
"""


@pytest.mark.timeout(300)
@pytest.mark.skipif(FREE_THREADED is None, reason="no free-threaded 3.13 (ftaudit provision)")
def test_a_module_calling_another_backend_method_is_not_taken_for_cffi() -> None:
    built = build_snippet(LOOKALIKE, "cffi_lookalike", FREE_THREADED)
    module = read_extension(built.path, built.site, "3.13t").extension
    assert module.gil_declared_by is not GilDeclaredBy.CFFI_BACKEND
    assert module.gil is not GilDeclaration.NOT_USED


# -- PyO3 0.26 on arm64 ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prefix", "module"),
    [
        ("bcrypt-5.0.0-cp313-cp313t-manylinux_2_28_aarch64", "bcrypt._bcrypt"),
        ("blake3-1.0.8-cp313-cp313t-manylinux_2_17_aarch64", "blake3.blake3"),
        ("pydantic_core-2.41.4-cp313-cp313t-macosx_11_0_arm64", "pydantic_core._pydantic_core"),
        # Reached only because a function is re-read at most a few times (code_reader).
        ("watchfiles-1.1.1-cp314-cp314t-macosx_11_0_arm64", "watchfiles._rust_notify"),
    ],
)
def test_pyo3_gil_used_is_followed_through_byte_moves_on_arm64(prefix: str, module: str) -> None:
    modules, problems, _libraries = _read(prefix)
    extension = modules[module]
    assert (extension.gil, extension.gil_declared_by) == (GilDeclaration.NOT_USED, GilDeclaredBy.SET_GIL_CALL)
    assert "Py_MOD_GIL_NOT_USED" in extension.gil_evidence and problems == []


def test_the_arm64_slice_of_a_universal2_pyo3_module_reads_not_used(tmp_path: Path) -> None:
    _entry, path = _wheel("nh3-0.3.1-cp313-cp313t-macosx_10_12_x86_64.macosx_11_0_arm64")
    with zipfile.ZipFile(path) as archive:
        archive.extract("nh3/nh3.cpython-313t-darwin.so", tmp_path)
    module = read_extension(
        tmp_path / "nh3" / "nh3.cpython-313t-darwin.so", tmp_path, "3.13t", platform="macosx_11_0_arm64"
    ).extension
    assert (module.gil, module.gil_declared_by) == (GilDeclaration.NOT_USED, GilDeclaredBy.SET_GIL_CALL)


@pytest.mark.parametrize(
    ("name", "runtime"),
    [
        ("_ZNSs4_Rep9_S_createEmmRKSaIcE", True),  # libstdc++'s pre-C++11 std::string (greenlet)
        ("_ZNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE9_M_createERmm", True),
        ("_ZNSt3__112basic_stringIcNS_11char_traitsIcEENS_9allocatorIcEEE6appendEPKc", True),  # libc++
        ("_ZNKSt9exception4whatEv", True),
        ("_ZSt20__throw_length_errorPKc", True),
        ("_ZN9__gnu_cxx18__exchange_and_addEPVii", True),
        ("_Znwm", True),
        ("_ZdlPvm", True),
        ("__cxa_guard_acquire", True),
        ("_Unwind_Resume", True),
        ("_ZN8nanobind6detail10nb_module_newEPKcP11PyModuleDef", False),  # a shared libnanobind
        ("_ZN6Sample4initEv", False),  # a namespace that starts with S is still not std
    ],
)
def test_the_cxx_runtime_is_told_from_other_libraries(name: str, runtime: bool) -> None:
    assert is_cxx_runtime_function(name) is runtime
