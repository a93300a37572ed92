"""Which tool generated an extension module, from strings it cannot avoid carrying.

Each generator leaves fixed text in the read-only data or the dynamic string table:

* PyO3: panic locations name its crate sources (``.../pyo3-0.23.3/src/...``) and its
  error strings say "PyO3";
* nanobind: the internals key ``__nb_internals_%s_%s__`` and its ABI tag
  ``nanobind_<compiler>..._ft`` (``NB_PLATFORM_ABI_TAG`` in nb_platform.h, where the
  ``_ft`` part is present exactly when the module was built with ``NB_FREE_THREADED``);
* pybind11: its internals capsule id ``__pybind11_internals_v<N>...`` and type names;
* Cython: the ``cython_runtime`` module it creates and ``__pyx_`` names;
* f2py: the "auto-generated with f2py" banner in the module docstring and
  ``fortranobject`` helpers;
* mypyc: the shared ``<group>__mypyc`` library its per-module shims import;
* cffi (out-of-line API mode): the name of the ``_cffi_backend`` function its init calls.

Recognition is by these strings only: a hand-written module that mentions "pybind11"
in a message would be mislabelled, which is why the GIL verdict never rests on the
generator alone except where its code is known for certain (nanobind's ``_ft`` tag).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .image import BinaryImage

# Checked in this order: a Rust module embedding C would still be PyO3, a nanobind or
# pybind11 module may link Cython-free C, etc.
_SIGNATURES: list[tuple[str, list[bytes]]] = [
    # Rust panic locations on Windows spell the crate path with backslashes.
    (
        "PyO3",
        [b"/pyo3-0.", b"/pyo3-ffi-0.", b"\\pyo3-0.", b"\\pyo3-ffi-0.", b"PyO3 modules", b"pyo3_runtime"],
    ),
    ("nanobind", [b"__nb_internals_", b"nb_internals", b"nanobind_"]),
    ("pybind11", [b"__pybind11_internals_", b"pybind11_object", b"pybind11::", b"_ZN8pybind11"]),
    ("Cython", [b"cython_runtime", b"__pyx_capi__", b"__pyx_vtable__", b"_cython_3_"]),
    ("f2py", [b"auto-generated with f2py", b"fortranobject", b"f2py_rout_"]),
    ("mypyc", [b"__mypyc", b"CPyInit_"]),
    ("cffi", [b"_init_cffi_1_0_external_module"]),
]
# Every part has a length cap: with an open-ended middle, data made of "nanobind_x"
# repeated made each occurrence scan to the end of .rodata (80 KB took 16 s). Real tags
# (NB_PLATFORM_ABI_TAG) are a compiler, a C++ library and flags: under 100 characters.
_NANOBIND_ABI_TAG = re.compile(
    rb"nanobind(?:_\d{1,9}_\d{1,9}_\d{1,9}_dev\d{1,9})?_[A-Za-z0-9_]{0,128}?(_ft)?_a\d{1,9}_v\d{1,9}"
)


@dataclass(frozen=True)
class GeneratorInfo:
    name: str  # "PyO3" | "nanobind" | "pybind11" | "Cython" | "f2py" | "mypyc" | "cffi" | "hand-written"
    evidence: str
    nanobind_free_threaded: bool | None = None  # the _ft ABI tag, when nanobind


def recognise_generator(image: BinaryImage) -> GeneratorInfo:
    needles = [needle for _name, group in _SIGNATURES for needle in group]
    present = image.strings_present(needles)
    for name, group in _SIGNATURES:
        hits = [needle for needle in group if needle in present]
        if not hits:
            continue
        evidence = f"carries {hits[0].decode(errors='replace')!r}"
        if name == "nanobind":
            rodata = image.read_only_data()
            match = _NANOBIND_ABI_TAG.search(rodata)
            if match:
                free_threaded = match.group(1) is not None
                return GeneratorInfo(
                    name,
                    f"nanobind ABI tag {match.group(0).decode(errors='replace')!r}",
                    nanobind_free_threaded=free_threaded,
                )
        return GeneratorInfo(name, evidence)
    return GeneratorInfo("hand-written", "no generator's signature strings")
