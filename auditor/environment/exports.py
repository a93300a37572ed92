"""Telling an extension module from a plain shared library that sits beside it.

A file named with an interpreter tag (``.cpython-313t-….so``, ``.abi3.so``) is built as
an extension module by every build backend. A bare ``name.so`` may be either: Cython or
hand builds name modules so, but so are helper libraries (``capstone/lib/libcapstone.so``,
``scipy/special/libsf_error_state.so``). CPython imports a file only through its
``PyInit_<name>`` export (Python/importdl.c), so for bare names we look for that symbol
in the dynamic symbol table; nothing is loaded or run.
"""

from __future__ import annotations

from pathlib import Path

from .names import init_function_name


def exports_module_init(path: Path, module_basename: str) -> bool | None:
    """True when the ELF file exports the module's init function (``PyInit_<name>``, or
    ``PyInitU_<punycode>`` for a non-ASCII name); None when it cannot be
    read as ELF (the binary analysis reports why)."""
    from elftools.common.exceptions import ELFError
    from elftools.elf.elffile import ELFFile
    from elftools.elf.hash import ELFHashSection, GNUHashSection
    from elftools.elf.sections import SymbolTableSection

    wanted = init_function_name(module_basename)
    try:
        with open(path, "rb") as stream:
            elf = ELFFile(stream)
            # The dynamic linker's own hash tables answer "is this name exported" without
            # walking every symbol (helper libraries such as OpenBLAS export thousands).
            for section in elf.iter_sections():
                if isinstance(section, (GNUHashSection, ELFHashSection)):
                    symbol = section.get_symbol(wanted)
                    return symbol is not None and symbol["st_shndx"] != "SHN_UNDEF"
            table = elf.get_section_by_name(".dynsym")
            if not isinstance(table, SymbolTableSection):
                return False
            return any(
                symbol.name == wanted and symbol["st_shndx"] != "SHN_UNDEF" for symbol in table.iter_symbols()
            )
    except (OSError, ELFError, ValueError, KeyError, AssertionError):
        return None
