"""Telling an extension module from a plain shared library that sits beside it.

A file named with an interpreter tag (``.cpython-313t-….so``, ``.abi3.so``) is built as
an extension module by every build backend. A bare ``name.so`` may be either: Cython or
hand builds name modules so, but so are helper libraries (``capstone/lib/libcapstone.so``,
``scipy/special/libsf_error_state.so``). CPython imports a file only through its
``PyInit_<name>`` export (Python/importdl.c), so for bare names we look for that symbol
in the dynamic symbol table; nothing is loaded or run. A tagged name is not proof either
(pycryptodome names its ctypes libraries ``_raw_aes.abi3.so``): those are told apart after
the binary analysis, which runs outside ftaudit's process, by the reader's
``init_style == "none"`` (``auditor.pipelines.scan``).
"""

from __future__ import annotations

from pathlib import Path

from ..binary.cpython_slots import export_hook_name
from ..binary.formats import open_image
from ..binary.gil_declaration import init_function_name
from ..binary.image import BinaryReadError


def exports_module_init(path: Path, module_basename: str) -> bool | None:
    """True when the binary (ELF, Mach-O or PE) exports the module's init function
    (``PyInit_<name>``, or ``PyInitU_<punycode>`` for a non-ASCII name) or a PEP 793 export
    hook (``PyModExport_<name>``, which 3.15 calls instead); None when it cannot be read or
    its symbol hash tables are damaged (the binary analysis then reports why, so the file
    stays an extension module rather than silently turning into a plain library)."""
    try:
        with open_image(path) as image:
            # ELF: the dynamic linker's own hash tables answer "is this name exported" in
            # bounded steps without walking every symbol (helper libraries such as OpenBLAS
            # export thousands); ElfImage refuses tables that are damaged. Mach-O and PE:
            # the export trie / export table.
            return any(
                image.find_exported_symbol(name).defined
                for name in (init_function_name(module_basename), export_hook_name(module_basename))
            )
    except BinaryReadError:
        return None
