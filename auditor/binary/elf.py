"""Reading just enough of an ELF extension module: dynamic symbols, memory, relocations, PLT.

pyelftools parses the headers, sections and segments. The two tables that can be large
(``.dynsym`` and ``.rela.dyn``: numpy's ``_multiarray_umath`` carries tens of thousands of
relocations) are decoded here with ``struct.iter_unpack`` over the raw section bytes,
because building one pyelftools object per entry costs ~100x more and the whole scan of
~500 modules has a budget of a few seconds.

Everything about a virtual address goes through the PT_LOAD segments (what the dynamic
loader maps), so a pointer read here is what the process would see before relocation;
relocations then say what the loader writes there:

* ``R_X86_64_RELATIVE`` / ``R_AARCH64_RELATIVE``: base + addend (we use the addend, i.e.
  the address inside this binary);
* ``R_X86_64_64``, ``GLOB_DAT``, ``JUMP_SLOT`` (and aarch64 ``ABS64``, ``GLOB_DAT``,
  ``JUMP_SLOT``): the address of a symbol, defined here or imported;
* packed ``.relr.dyn`` relative relocations keep their addend in place, so a plain read of
  the bytes already gives the target.
"""

from __future__ import annotations

import errno
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

# Relocation type numbers (System V x86-64 psABI; ELF for the Arm 64-bit Architecture).
_X86_64_RELOCATIONS = {1: "absolute", 6: "glob_dat", 7: "jump_slot", 8: "relative"}
_AARCH64_RELOCATIONS = {257: "absolute", 1025: "glob_dat", 1026: "jump_slot", 1027: "relative"}
SUPPORTED_MACHINES = {"EM_X86_64": "x86_64", "EM_AARCH64": "aarch64"}
_SHN_UNDEF = 0
_STT_FUNC = 2
_STT_OBJECT = 1
_STB_LOCAL = 0


class ElfReadError(Exception):
    """The file is not an ELF shared object we can read; the message says why, for a user."""


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
class _Section:
    name: str
    type: int
    address: int
    offset: int
    size: int
    link: int
    index: int


_PT_LOAD = 1
_SHT_RELA, _SHT_NOBITS, _SHT_REL = 4, 8, 9


@dataclass(frozen=True)
class _Segment:
    vaddr: int
    memsz: int
    offset: int
    filesz: int
    executable: bool


def describe_os_error(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return f"{path}: symbolic link loop (too many levels of symbolic links); fix or remove the link"
    if isinstance(error, PermissionError):
        return f"{path}: permission denied; the scan needs read access to this file"
    if isinstance(error, FileNotFoundError):
        return f"{path}: file not found (a dangling symbolic link?)"
    if isinstance(error, IsADirectoryError):
        return f"{path}: is a directory, not a shared object"
    return f"{path}: could not be read: {error.strerror or error}"


class ElfImage:
    """An opened extension module. Use as a context manager; every reader is lazy."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self._file = open(self.path, "rb")  # noqa: SIM115 - kept open for lazy reads; closed by close()
        except OSError as error:
            raise ElfReadError(describe_os_error(self.path, error)) from None
        try:
            self._open()
        except ElfReadError:
            self._file.close()
            raise
        except (ELFError, struct.error, ValueError, KeyError, IndexError, OSError, EOFError) as error:
            self._file.close()
            raise ElfReadError(f"{self.path}: not a readable ELF shared object ({error})") from None
        except Exception as error:  # noqa: BLE001 - construct's StreamError and friends on mangled headers
            self._file.close()
            raise ElfReadError(
                f"{self.path}: malformed ELF headers ({type(error).__name__}: {error})"
            ) from None

    def _open(self) -> None:
        size = os.fstat(self._file.fileno()).st_size
        self.file_size = size
        if size == 0:
            raise ElfReadError(f"{self.path}: empty file (0 bytes), not a shared object")
        magic = self._file.read(4)
        if magic != b"\x7fELF":
            hint = " (a Mach-O or PE binary?)" if magic[:2] in (b"MZ", b"\xcf\xfa", b"\xfe\xed") else ""
            raise ElfReadError(f"{self.path}: not an ELF file: starts with {magic!r}{hint}")
        self._file.seek(0)
        header_size = 64 if magic and self._file.read(5)[4:5] == b"\x02" else 52
        if size < header_size:
            raise ElfReadError(
                f"{self.path}: truncated: {size} bytes, shorter than an ELF header; reinstall the package"
            )
        self._file.seek(0)
        self.elf = ELFFile(self._file)
        for what, offset, count, entry_size in (
            ("program header table", self.elf["e_phoff"], self.elf["e_phnum"], self.elf["e_phentsize"]),
            ("section header table", self.elf["e_shoff"], self.elf["e_shnum"], self.elf["e_shentsize"]),
        ):
            if count and offset + count * entry_size > size:
                raise ElfReadError(
                    f"{self.path}: truncated or damaged: its {what} ends at byte "
                    f"{offset + count * entry_size} but the file has {size}; reinstall the package"
                )
        machine = self.elf["e_machine"]
        self.machine = SUPPORTED_MACHINES.get(machine, machine)
        self.is_64bit = self.elf.elfclass == 64
        self.little_endian = self.elf.little_endian
        self._endian = "<" if self.little_endian else ">"
        # The header tables are decoded with struct: pyelftools' per-entry parsing of
        # section headers alone cost ~7 ms per module, most of a scan's budget.
        self._segments: list[_Segment] = []
        program_headers = self._read_at(self.elf["e_phoff"], self.elf["e_phnum"] * self.elf["e_phentsize"])
        layout = self._endian + ("IIQQQQQQ" if self.is_64bit else "IIIIIIII")
        for row in struct.iter_unpack(
            layout,
            program_headers[: len(program_headers) // struct.calcsize(layout) * struct.calcsize(layout)],
        ):
            if self.is_64bit:
                p_type, p_flags, p_offset, p_vaddr, _paddr, p_filesz, p_memsz, _align = row
            else:
                p_type, p_offset, p_vaddr, _paddr, p_filesz, p_memsz, p_flags, _align = row
            if p_type != _PT_LOAD:
                continue
            if p_offset + p_filesz > size:
                raise ElfReadError(
                    f"{self.path}: truncated or damaged: its program headers describe "
                    f"{p_offset + p_filesz} bytes but the file has {size}; reinstall the package"
                )
            self._segments.append(_Segment(p_vaddr, p_memsz, p_offset, p_filesz, bool(p_flags & 1)))
        if not self._segments:
            raise ElfReadError(
                f"{self.path}: an ELF file without loadable segments (an object file, not a shared object)"
            )
        self._sections: dict[str, _Section] = {}
        raw_sections = self._read_at(self.elf["e_shoff"], self.elf["e_shnum"] * self.elf["e_shentsize"])
        layout = self._endian + ("IIQQQQIIQQ" if self.is_64bit else "IIIIIIIIII")
        rows = list(
            struct.iter_unpack(
                layout, raw_sections[: len(raw_sections) // struct.calcsize(layout) * struct.calcsize(layout)]
            )
        )
        names = b""
        if 0 < self.elf["e_shstrndx"] < len(rows):
            names_row = rows[self.elf["e_shstrndx"]]
            names = self._read_at(names_row[4], names_row[5])
        for index, (
            name_offset,
            section_type,
            _flags,
            address,
            offset,
            section_size,
            link,
            *_rest,
        ) in enumerate(rows):
            end_of_name = names.find(b"\0", name_offset)
            name = names[name_offset : end_of_name if end_of_name >= 0 else None].decode("utf-8", "replace")
            if section_type != _SHT_NOBITS and offset + section_size > size:
                raise ElfReadError(
                    f"{self.path}: truncated or damaged: section {name} ends at byte "
                    f"{offset + section_size} but the file has {size}; reinstall the package"
                )
            section = _Section(name, section_type, address, offset, section_size, link, index)
            self._sections.setdefault(name, section)
        self._sections_by_index = {section.index: section for section in self._sections.values()}
        self._plt_ranges = [
            bounds
            for bounds in (self.section_range(name) for name in (".plt", ".plt.sec", ".plt.got", ".iplt"))
            if bounds
        ]
        self._symbols: dict[str, DynamicSymbol] | None = None
        self._imported: set[str] | None = None
        self._relocations: _LazyRelocations | None = None

    # -- lifetime -------------------------------------------------------------------------
    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- raw access -------------------------------------------------------------------------
    def _read_at(self, offset: int, size: int) -> bytes:
        self._file.seek(offset)
        return self._file.read(size)

    def section_bytes(self, name: str) -> bytes | None:
        section = self._sections.get(name)
        if section is None or section.type == _SHT_NOBITS:
            return None
        return self._read_at(section.offset, section.size)

    def section_range(self, name: str) -> tuple[int, int] | None:
        section = self._sections.get(name)
        if section is None:
            return None
        return section.address, section.address + section.size

    def read(self, address: int, size: int) -> bytes | None:
        """Bytes at a virtual address as mapped by the loader (zeros past p_filesz: .bss)."""
        for segment in self._segments:
            if segment.vaddr <= address and address + size <= segment.vaddr + segment.memsz:
                start = address - segment.vaddr
                in_file = max(0, min(size, segment.filesz - start))
                data = b""
                if in_file:
                    self._file.seek(segment.offset + start)
                    data = self._file.read(in_file)
                return data + b"\0" * (size - len(data))
        return None

    def is_executable(self, address: int) -> bool:
        return any(s.executable and s.vaddr <= address < s.vaddr + s.memsz for s in self._segments)

    def read_int(self, address: int, size: int, signed: bool = False) -> int | None:
        data = self.read(address, size)
        if data is None:
            return None
        return int.from_bytes(data, "little" if self.little_endian else "big", signed=signed)

    @property
    def pointer_size(self) -> int:
        return 8 if self.is_64bit else 4

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

    def read_c_string(self, address: int, limit: int = 256) -> str | None:
        for segment in self._segments:
            if segment.vaddr <= address < segment.vaddr + segment.memsz:
                limit = min(limit, segment.vaddr + segment.memsz - address)
                break
        else:
            return None
        data = self.read(address, limit)
        if data is None:
            return None
        return data.split(b"\0", 1)[0].decode("utf-8", "replace")

    # -- dynamic symbols ---------------------------------------------------------------------
    def may_have_dynamic_symbol(self, name: str) -> bool:
        """False when ``name`` is surely not a dynamic symbol: a cheap test on ``.dynstr``
        before decoding ``.dynsym`` (bundled libraries such as OpenBLAS export ~10,000)."""
        strings = self.section_bytes(".dynstr")
        return strings is None or (b"\0" + name.encode() + b"\0") in strings

    @property
    def symbols(self) -> dict[str, DynamicSymbol]:
        """Symbols this module defines and exports (``.dynsym`` entries with a section)."""
        if self._symbols is None:
            self._load_dynamic_symbols()
        return self._symbols  # type: ignore[return-value]

    @property
    def imported_symbols(self) -> set[str]:
        """Undefined dynamic symbols: what the module needs from libpython, libc, ..."""
        if self._imported is None:
            self._load_dynamic_symbols()
        return self._imported  # type: ignore[return-value]

    def _symbol_table(self, section_name: str = ".dynsym") -> list[tuple[str, int, int, int, int]]:
        """(name, st_info, st_shndx, st_value, st_size) rows of a symbol table section."""
        section = self._sections.get(section_name)
        if section is None or section.type == _SHT_NOBITS:
            return []
        data = self.section_bytes(section_name) or b""
        strings_section = self._sections_by_index.get(section.link)
        strings = self._read_at(strings_section.offset, strings_section.size) if strings_section else b""
        if self.is_64bit:
            layout, entry_size = self._endian + "IBBHQQ", 24
            rows = (
                (name, info, shndx, value, size)
                for name, info, _other, shndx, value, size in struct.iter_unpack(
                    layout, data[: len(data) // entry_size * entry_size]
                )
            )
        else:
            layout, entry_size = self._endian + "IIIBBH", 16
            rows = (
                (name, info, shndx, value, size)
                for name, value, size, info, _other, shndx in struct.iter_unpack(
                    layout, data[: len(data) // entry_size * entry_size]
                )
            )
        table = []
        for name_offset, info, shndx, value, size in rows:
            end = strings.find(b"\0", name_offset)
            name = strings[name_offset : end if end >= 0 else None].decode("utf-8", "replace")
            table.append((name, info, shndx, value, size))
        return table

    def function_sizes(self) -> dict[int, int]:
        """Start address -> size of every sized function symbol (.dynsym, and .symtab if not stripped)."""
        sizes: dict[int, int] = {}
        for section_name in (".dynsym", ".symtab"):
            data = self.section_bytes(section_name) or b""
            if self.is_64bit:
                layout, entry_size = self._endian + "IBBHQQ", 24
                rows = (
                    (info, shndx, value, size)
                    for _name, info, _other, shndx, value, size in struct.iter_unpack(
                        layout, data[: len(data) // entry_size * entry_size]
                    )
                )
            else:
                layout, entry_size = self._endian + "IIIBBH", 16
                rows = (
                    (info, shndx, value, size)
                    for _name, value, size, info, _other, shndx in struct.iter_unpack(
                        layout, data[: len(data) // entry_size * entry_size]
                    )
                )
            for info, shndx, value, size in rows:
                if size and (info & 0xF) == _STT_FUNC and shndx != _SHN_UNDEF:
                    sizes.setdefault(value, size)
        return sizes

    def _load_dynamic_symbols(self) -> None:
        self._table = self._symbol_table()
        defined: dict[str, DynamicSymbol] = {}
        imported: set[str] = set()
        for name, info, shndx, value, size in self._table:
            if not name:
                continue
            if shndx == _SHN_UNDEF:
                imported.add(name)
            elif info >> 4 != _STB_LOCAL:
                defined[name] = DynamicSymbol(name, value, size, (info & 0xF) == _STT_FUNC)
        self._symbols, self._imported = defined, imported

    # -- relocations -------------------------------------------------------------------------
    @property
    def relocations(self) -> _LazyRelocations:
        """Address -> relocation, from every SHT_RELA / SHT_REL section."""
        if self._relocations is None:
            self._relocations = self._load_relocations()
        return self._relocations

    def _load_relocations(self) -> _LazyRelocations:
        return _LazyRelocations(self)

    # -- code --------------------------------------------------------------------------------
    def function_code(self, address: int, size: int, limit: int = 4096) -> bytes | None:
        """Machine code of a function; ``size`` 0 (unknown) reads ``limit`` bytes."""
        length = min(size or limit, limit)
        return self.read(address, length)

    def in_plt(self, address: int) -> bool:
        return any(start <= address < end for start, end in self._plt_ranges)

    def strings_present(
        self, needles: list[bytes], sections: tuple[str, ...] = (".rodata", ".dynstr")
    ) -> set[bytes]:
        """Which of ``needles`` occur in the read-only data (for generator recognition)."""
        found: set[bytes] = set()
        for name in sections:
            data = self.section_bytes(name)
            if not data:
                continue
            for needle in needles:
                if needle not in found and needle in data:
                    found.add(needle)
        return found


class _LazyRelocations:
    """Address -> :class:`Relocation`, decoded on lookup.

    The tables are split into columns with ``memoryview.cast`` and indexed with one
    C-level ``dict(zip(...))``: 50,000 relative relocations cost ~5 ms instead of the
    ~0.2 s that building one object per entry takes.
    """

    def __init__(self, image: ElfImage) -> None:
        self._image = image
        self._kinds = _AARCH64_RELOCATIONS if image.machine == "aarch64" else _X86_64_RELOCATIONS
        if image._symbols is None:
            image._load_dynamic_symbols()
        self._table = image._table
        self._columns: list[tuple[object, object, object | None]] = []
        self._index: dict[int, tuple[int, int]] = {}
        self._cache: dict[int, Relocation] = {}
        for section in image._sections.values():
            if section.type not in (_SHT_RELA, _SHT_REL):
                continue
            data = image.section_bytes(section.name) or b""
            fields = 3 if section.type == _SHT_RELA else 2
            word = 8 if image.is_64bit else 4
            usable = len(data) // (fields * word) * (fields * word)
            if not usable:
                continue
            if image.little_endian == (struct.pack("=H", 1) == b"\x01\x00"):
                words = memoryview(data[:usable]).cast("Q" if word == 8 else "I")
            else:  # foreign byte order: rare (big-endian ELF); decode the slow way
                words = struct.unpack(
                    image._endian + ("Q" if word == 8 else "I") * (usable // word), data[:usable]
                )
            offsets, infos = words[0::fields], words[1::fields]
            addends = words[2::fields] if fields == 3 else None
            table_number = len(self._columns)
            self._columns.append((offsets, infos, addends))
            self._index.update((offset, (table_number, position)) for position, offset in enumerate(offsets))

    def get(self, address: int, default: Relocation | None = None) -> Relocation | None:
        cached = self._cache.get(address)
        if cached is not None:
            return cached
        found = self._index.get(address)
        if found is None:
            return default
        table_number, row = found
        _offsets, infos, addends = self._columns[table_number]
        info = infos[row]
        word_bits = 64 if self._image.is_64bit else 32
        addend = addends[row] if addends is not None else 0
        if addend >= 1 << (word_bits - 1):
            addend -= 1 << word_bits  # r_addend is signed
        symbol_shift, type_mask = (32, 0xFFFFFFFF) if self._image.is_64bit else (8, 0xFF)
        symbol_index = info >> symbol_shift
        symbol = self._table[symbol_index][0] if 0 < symbol_index < len(self._table) else None
        relocation = Relocation(self._kinds.get(info & type_mask, "other"), symbol or None, addend)
        self._cache[address] = relocation
        return relocation

    def __contains__(self, address: int) -> bool:
        return address in self._index

    def __getitem__(self, address: int) -> Relocation:
        relocation = self.get(address)
        if relocation is None:
            raise KeyError(address)
        return relocation

    def values(self):
        return (self[address] for address in self._index)

    def __len__(self) -> int:
        return len(self._index)
