"""What the binary readers need of an extension module, whatever its file format.

:mod:`.code_reader` and :mod:`.gil_declaration` read an init function and the static data
it points at. They need the same few facts from an ELF shared object (Linux), a Mach-O
bundle (macOS) and a PE DLL (Windows), so each format is one class behind
:class:`BinaryImage`:

* memory at virtual addresses as the loader maps it (``read``, ``read_int``), and the
  pointer the loader leaves in a pointer-sized slot once relocations, rebases or chained
  fixups are applied (``read_pointer``, through ``relocations``);
* the names the module exports and imports, normalised to their C spelling (Mach-O
  prefixes every C symbol with ``_``; the readers look up ``PyInit_foo``);
* where calls to imported functions land: a PLT entry (ELF), a ``__stubs`` entry
  (Mach-O), an import thunk (PE), each resolved to the imported name;
* function sizes (ELF ``st_size``, Mach-O ``LC_FUNCTION_STARTS``, PE ``.pdata``), which
  zero-initialised data is, and which functions run before the init function (C++
  dynamic initialisers).

Addresses are the format's own: ELF and Mach-O virtual addresses, PE relative virtual
addresses (RVAs; absolute pointers in PE data are rebased to RVAs through the base
relocations), so an address found in code and an address found in data agree.
"""

from __future__ import annotations

import abc
import errno
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self


class BinaryReadError(Exception):
    """The file is not a binary we can read; the message says why, for a user."""


def describe_os_error(path: Path, error: OSError) -> str:
    """Why a binary of any format could not be opened, in words for a user."""
    if error.errno == errno.ELOOP:
        return f"{path}: symbolic link loop (too many levels of symbolic links); fix or remove the link"
    if isinstance(error, PermissionError):
        return f"{path}: permission denied; the scan needs read access to this file"
    if isinstance(error, FileNotFoundError):
        return f"{path}: file not found (a dangling symbolic link?)"
    if isinstance(error, IsADirectoryError):
        return f"{path}: is a directory, not a shared object"
    return f"{path}: could not be read: {error.strerror or error}"


@dataclass(frozen=True)
class DynamicSymbol:
    name: str
    value: int
    size: int
    is_function: bool


@dataclass(frozen=True)
class Relocation:
    kind: str  # "relative" | "absolute" | "glob_dat" | "jump_slot" | "other"
    symbol: str | None
    addend: int


@dataclass(frozen=True)
class PointerValue:
    """What the loader leaves in a pointer-sized slot: an address in this binary, or a symbol."""

    address: int | None = None
    symbol: str | None = None  # an imported (or exported) symbol's name


@dataclass(frozen=True)
class SymbolLookup:
    """Whether a name is exported, and which table said so."""

    defined: bool  # the module defines the name and makes it visible to the loader
    table: str  # ".gnu.hash" | ".hash" | ".dynsym (linear scan)" | "export trie" | "export table"
    problem: str | None = None  # why no hash table answered (damaged or missing), for a user


class BinaryImage(abc.ABC):
    """An opened extension module; use as a context manager."""

    path: Path
    file_format: str  # "ELF" | "Mach-O" | "PE"
    # "linux" | "darwin" | "windows": the system whose loader reads this format.
    operating_system: str
    machine: str  # "x86_64" | "aarch64" (or the format's own name for others)
    file_size: int
    pointer_size: int = 8
    little_endian: bool = True

    # -- lifetime -------------------------------------------------------------------------
    def close(self) -> None:  # noqa: B027 - formats that keep nothing open need not override
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def calling_convention(self) -> str:
        """Where integer arguments go: "sysv" (rdi, rsi, ...), "win64" (rcx, rdx, r8, r9) or
        "aapcs64" (x0-x7; Apple's and Microsoft's arm64 ABIs keep these registers)."""
        if self.machine == "aarch64":
            return "aapcs64"
        return "win64" if self.operating_system == "windows" else "sysv"

    # -- memory ---------------------------------------------------------------------------
    @abc.abstractmethod
    def read(self, address: int, size: int) -> bytes | None:
        """Bytes at a virtual address as mapped by the loader (zero-fill past the file's bytes)."""

    @abc.abstractmethod
    def is_mapped(self, address: int, size: int) -> bool: ...

    @abc.abstractmethod
    def is_executable(self, address: int) -> bool: ...

    def read_int(self, address: int, size: int, signed: bool = False) -> int | None:
        data = self.read(address, size)
        if data is None:
            return None
        return int.from_bytes(data, "little" if self.little_endian else "big", signed=signed)

    @property
    @abc.abstractmethod
    def relocations(self):
        """Address -> :class:`Relocation` (``get``, ``in``): what the loader writes there."""

    def read_pointer(self, address: int) -> PointerValue | None:
        """The pointer the loader leaves at ``address``, following its relocation if any."""
        relocation = self.relocations.get(address)
        if relocation is not None:
            if relocation.kind == "relative":
                return PointerValue(address=relocation.addend)
            if relocation.symbol:
                defined = self.symbols.get(relocation.symbol)
                if defined is not None and defined.value:
                    return PointerValue(address=defined.value + relocation.addend, symbol=relocation.symbol)
                return PointerValue(symbol=relocation.symbol)
        raw = self.read_int(address, self.pointer_size)
        return None if raw is None else PointerValue(address=raw)

    @abc.abstractmethod
    def read_c_string(self, address: int, limit: int = 256) -> str | None: ...

    # -- symbols ----------------------------------------------------------------------------
    @property
    @abc.abstractmethod
    def symbols(self) -> dict[str, DynamicSymbol]:
        """Symbols this module exports, by their C name."""

    @property
    @abc.abstractmethod
    def imported_symbols(self) -> set[str]:
        """Names the module needs from other images (libpython, the C library), by C name."""

    @property
    def imported_libraries(self) -> list[str]:
        """The libraries it links (DT_NEEDED, LC_LOAD_DYLIB, PE import descriptors)."""
        return []

    def may_have_dynamic_symbol(self, name: str) -> bool:
        """False when ``name`` is surely not exported (a cheap test before a full lookup)."""
        return True

    def find_exported_symbol(self, name: str) -> SymbolLookup:
        """Is ``name`` exported, as the format's loader would look it up."""
        symbol = self.symbols.get(name)
        return SymbolLookup(symbol is not None and bool(symbol.value), self.export_table_name)

    export_table_name = "exported symbols"

    @abc.abstractmethod
    def function_sizes(self) -> dict[int, int]:
        """Start address -> size of every function whose extent the binary records."""

    # -- code -------------------------------------------------------------------------------
    @abc.abstractmethod
    def in_plt(self, address: int) -> bool:
        """Whether ``address`` is an import stub (PLT entry, Mach-O stub, PE import thunk)."""

    def stub_target(self, address: int) -> str | None:
        """The imported name a stub at ``address`` jumps to, when the format records it.

        ELF records no such table: :class:`~.code_reader.CodeReader` decodes the PLT entry
        (see ``stubs_need_decoding``).
        """
        return None

    stubs_need_decoding = False

    # -- data -------------------------------------------------------------------------------
    @abc.abstractmethod
    def is_zero_initialised(self, address: int) -> bool:
        """Whether ``address`` lies in memory the file holds no bytes for (``.bss``, zerofill)."""

    @abc.abstractmethod
    def initialiser_functions(self) -> Iterator[int]:
        """Addresses of the functions the loader runs before the init function (C++ dynamic
        initialisers: ``.init_array``, ``__mod_init_func`` / ``__init_offsets``), lazily:
        a damaged table may claim more entries than anyone should walk."""

    # Whether :meth:`initialiser_functions` finds them all. A PE image's C++ initialisers sit
    # in an unnamed ``.CRT$XCU`` table merged into ``.rdata``: not found there, so memory
    # that is zero in the file may still be filled before PyInit runs.
    initialisers_known = True

    @abc.abstractmethod
    def read_only_data(self) -> bytes:
        """The read-only data and name tables (for generator recognition)."""

    def strings_present(self, needles: list[bytes]) -> set[bytes]:
        """Which of ``needles`` occur in the read-only data or the symbol names."""
        data = self.read_only_data()
        return {needle for needle in needles if needle in data}


class TablesReadAtOpen(BinaryImage):
    """An image whose parser (LIEF) hands over every table when the file is opened: the
    Mach-O and PE readers fill these five attributes then, and the accessors are shared."""

    _relocations: dict[int, Relocation]
    _symbols: dict[str, DynamicSymbol]
    _imported: set[str]
    _libraries: list[str]
    _function_sizes: dict[int, int]

    @property
    def relocations(self) -> dict[int, Relocation]:
        return self._relocations

    @property
    def symbols(self) -> dict[str, DynamicSymbol]:
        return self._symbols

    @property
    def imported_symbols(self) -> set[str]:
        return self._imported

    @property
    def imported_libraries(self) -> list[str]:
        return list(self._libraries)

    def function_sizes(self) -> dict[int, int]:
        return self._function_sizes
