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
            self._file = open(self.path, "rb")  # noqa: SIM115 - closed by close()/__exit__
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
        except Exception as error:  # construct's StreamError and friends on mangled headers
            self._file.close()
            raise ElfReadError(f"{self.path}: malformed ELF headers ({type(error).__name__}: {error})") from None

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
            raise ElfReadError(f"{self.path}: truncated: {size} bytes, shorter than an ELF header; "
                               "reinstall the package")
        self._file.seek(0)
        self.elf = ELFFile(self._file)
        for what, offset, count, entry_size in (
                ("program header table", self.elf["e_phoff"], self.elf["e_phnum"], self.elf["e_phentsize"]),
                ("section header table", self.elf["e_shoff"], self.elf["e_shnum"], self.elf["e_shentsize"])):
            if count and offset + count * entry_size > size:
                raise ElfReadError(f"{self.path}: truncated: its {what} ends at byte {offset + count * entry_size} "
                                   f"but the file has {size}; reinstall the package")
        machine = self.elf["e_machine"]
        self.machine = SUPPORTED_MACHINES.get(machine, machine)
        self.is_64bit = self.elf.elfclass == 64
        self.little_endian = self.elf.little_endian
        self._endian = "<" if self.little_endian else ">"
        self._segments: list[_Segment] = []
        for segment in self.elf.iter_segments():
            if segment["p_type"] != "PT_LOAD":
                continue
            end = segment["p_offset"] + segment["p_filesz"]
            if end > size:
                raise ElfReadError(
                    f"{self.path}: truncated: its program headers describe {end} bytes but the file has "
                    f"{size}; reinstall the package")
            self._segments.append(_Segment(segment["p_vaddr"], segment["p_memsz"], segment["p_offset"],
                                           segment["p_filesz"], bool(segment["p_flags"] & 1)))
        if not self._segments:
            raise ElfReadError(f"{self.path}: an ELF file without loadable segments (an object file, "
                               "not a shared object)")
        self._sections = {}
        for section in self.elf.iter_sections():
            if section["sh_type"] != "SHT_NOBITS" and section["sh_offset"] + section["sh_size"] > size:
                raise ElfReadError(
                    f"{self.path}: truncated: section {section.name} ends at byte "
                    f"{section['sh_offset'] + section['sh_size']} but the file has {size}; reinstall the package")
            self._sections[section.name] = section
        self._symbols: dict[str, DynamicSymbol] | None = None
        self._imported: set[str] | None = None
        self._relocations: dict[int, Relocation] | None = None

    # -- lifetime -------------------------------------------------------------------------
    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> ElfImage:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- raw access -------------------------------------------------------------------------
    def section_bytes(self, name: str) -> bytes | None:
        section = self._sections.get(name)
        if section is None or section["sh_type"] == "SHT_NOBITS":
            return None
        self._file.seek(section["sh_offset"])
        return self._file.read(section["sh_size"])

    def section_range(self, name: str) -> tuple[int, int] | None:
        section = self._sections.get(name)
        if section is None:
            return None
        return section["sh_addr"], section["sh_addr"] + section["sh_size"]

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

    def _symbol_table(self) -> list[tuple[str, int, int, int, int]]:
        section = self._sections.get(".dynsym")
        if section is None:
            return []
        data = self.section_bytes(".dynsym") or b""
        strings_section = self.elf.get_section(section["sh_link"])
        self._file.seek(strings_section["sh_offset"])
        strings = self._file.read(strings_section["sh_size"])
        if self.is_64bit:
            layout, entry_size = self._endian + "IBBHQQ", 24
            rows = ((name, info, shndx, value, size)
                    for name, info, _other, shndx, value, size in
                    struct.iter_unpack(layout, data[: len(data) // entry_size * entry_size]))
        else:
            layout, entry_size = self._endian + "IIIBBH", 16
            rows = ((name, info, shndx, value, size)
                    for name, value, size, info, _other, shndx in
                    struct.iter_unpack(layout, data[: len(data) // entry_size * entry_size]))
        table = []
        for name_offset, info, shndx, value, size in rows:
            end = strings.find(b"\0", name_offset)
            name = strings[name_offset:end if end >= 0 else None].decode("utf-8", "replace")
            table.append((name, info, shndx, value, size))
        return table

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
    def relocations(self) -> dict[int, Relocation]:
        """Address -> relocation, from every SHT_RELA / SHT_REL section."""
        if self._relocations is None:
            self._relocations = self._load_relocations()
        return self._relocations

    def _load_relocations(self) -> dict[int, Relocation]:
        kinds = _AARCH64_RELOCATIONS if self.machine == "aarch64" else _X86_64_RELOCATIONS
        if self._symbols is None:
            self._load_dynamic_symbols()
        table = self._table
        relocations: dict[int, Relocation] = {}
        for section in self._sections.values():
            section_type = section["sh_type"]
            if section_type not in ("SHT_RELA", "SHT_REL"):
                continue
            data = self.section_bytes(section.name) or b""
            with_addend = section_type == "SHT_RELA"
            if self.is_64bit:
                layout = self._endian + ("QQq" if with_addend else "QQ")
                symbol_shift, type_mask = 32, 0xFFFFFFFF
            else:
                layout = self._endian + ("IIi" if with_addend else "II")
                symbol_shift, type_mask = 8, 0xFF
            entry_size = struct.calcsize(layout)
            for entry in struct.iter_unpack(layout, data[: len(data) // entry_size * entry_size]):
                offset, info = entry[0], entry[1]
                addend = entry[2] if with_addend else 0
                symbol_index = info >> symbol_shift
                symbol = table[symbol_index][0] if 0 < symbol_index < len(table) else None
                relocations[offset] = Relocation(kinds.get(info & type_mask, "other"), symbol or None, addend)
        return relocations

    # -- code --------------------------------------------------------------------------------
    def function_code(self, address: int, size: int, limit: int = 4096) -> bytes | None:
        """Machine code of a function; ``size`` 0 (unknown) reads ``limit`` bytes."""
        length = min(size or limit, limit)
        return self.read(address, length)

    def in_plt(self, address: int) -> bool:
        for name in (".plt", ".plt.sec", ".plt.got", ".iplt"):
            bounds = self.section_range(name)
            if bounds and bounds[0] <= address < bounds[1]:
                return True
        return False

    def strings_present(self, needles: list[bytes], sections: tuple[str, ...] = (".rodata", ".dynstr")
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
