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
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from .image import BinaryImage, BinaryReadError, DynamicSymbol, PointerValue, Relocation, SymbolLookup

__all__ = [
    "DynamicSymbol",
    "ElfImage",
    "ElfReadError",
    "PointerValue",
    "Relocation",
    "SymbolLookup",
    "describe_os_error",
]

# Relocation type numbers (System V x86-64 psABI; ELF for the Arm 64-bit Architecture).
_X86_64_RELOCATIONS = {1: "absolute", 6: "glob_dat", 7: "jump_slot", 8: "relative"}
_AARCH64_RELOCATIONS = {257: "absolute", 1025: "glob_dat", 1026: "jump_slot", 1027: "relative"}
SUPPORTED_MACHINES = {"EM_X86_64": "x86_64", "EM_AARCH64": "aarch64"}
_SHN_UNDEF = 0
_STT_FUNC = 2
_STT_OBJECT = 1
_STB_LOCAL = 0


class ElfReadError(BinaryReadError):
    """The file is not an ELF shared object we can read; the message says why, for a user."""


def _c_string(table: bytes, offset: int, limit: int) -> str:
    """The NUL-terminated name at ``offset`` of a string table, at most ``limit`` bytes of it."""
    end = table.find(b"\0", offset, offset + limit)
    return table[offset : end if end >= 0 else offset + limit].decode("utf-8", "replace")


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
_SHT_RELA, _SHT_HASH, _SHT_NOBITS, _SHT_REL = 4, 5, 8, 9
_SHT_GNU_HASH = 0x6FFFFFF6
# Names are cut at these lengths. Nothing here looks up a name longer than a few dozen
# bytes (PyInit_*, C-API and libc imports), and without a cap a string table with no NUL
# bytes that every entry points into costs entries x table size to decode (a 1 MB file
# with 40,000 symbols would decode 20 GB).
_MAX_SYMBOL_NAME_BYTES = 1024
_MAX_SECTION_NAME_BYTES = 256


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


class ElfImage(BinaryImage):
    """An opened extension module. Use as a context manager; every reader is lazy.

    A damaged ``.gnu.hash`` or ``.hash`` section raises :class:`ElfReadError` here unless
    ``tolerate_damaged_hash_tables``: the dynamic loader finds ``PyInit_<name>`` through
    those tables only, so a module whose table is damaged may not import at all and no
    verdict about it can be trusted. Tolerated, the problems are kept in
    ``hash_table_problems`` and :meth:`find_exported_symbol` scans ``.dynsym`` instead.
    """

    def __init__(self, path: Path | str, *, tolerate_damaged_hash_tables: bool = False) -> None:
        self.path = Path(path)
        self._tolerate_damaged_hash_tables = tolerate_damaged_hash_tables
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
        self._all_sections: list[_Section] = []
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
            name = _c_string(names, name_offset, _MAX_SECTION_NAME_BYTES)
            if section_type != _SHT_NOBITS and offset + section_size > size:
                raise ElfReadError(
                    f"{self.path}: truncated or damaged: section {name} ends at byte "
                    f"{offset + section_size} but the file has {size}; reinstall the package"
                )
            section = _Section(name, section_type, address, offset, section_size, link, index)
            self._sections.setdefault(name, section)
            self._all_sections.append(section)
        self._sections_by_index = {section.index: section for section in self._all_sections}
        self._plt_ranges = [
            bounds
            for bounds in (self.section_range(name) for name in (".plt", ".plt.sec", ".plt.got", ".iplt"))
            if bounds
        ]
        self._symbols: dict[str, DynamicSymbol] | None = None
        self._imported: set[str] | None = None
        self._relocations: _LazyRelocations | None = None
        self._check_hash_tables()

    # -- lifetime -------------------------------------------------------------------------
    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- raw access -------------------------------------------------------------------------
    def _read_at(self, offset: int, size: int) -> bytes:
        # Clamped to the file: read(n) allocates n bytes first, so a damaged header's
        # 2**63 (the section-name table's size is used before any check) was a MemoryError,
        # and a few GB would have been taken for real.
        size = min(size, self.file_size - offset)
        if size <= 0:
            return b""
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

    def is_mapped(self, address: int, size: int) -> bool:
        """Whether ``size`` bytes from ``address`` lie in one loaded segment (what :meth:`read` reads)."""
        return any(s.vaddr <= address and address + size <= s.vaddr + s.memsz for s in self._segments)

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
        names: dict[int, str] = {}  # entries often share a name offset (all the empty names at 0)
        for name_offset, info, shndx, value, size in rows:
            name = names.get(name_offset)
            if name is None:
                name = names[name_offset] = _c_string(strings, name_offset, _MAX_SYMBOL_NAME_BYTES)
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
            elif _exports((name, info, shndx, value, size)):
                defined[name] = DynamicSymbol(name, value, size, (info & 0xF) == _STT_FUNC)
        self._symbols, self._imported = defined, imported

    # -- the dynamic loader's hash tables ---------------------------------------------------
    def _check_hash_tables(self) -> None:
        """Decode and check ``.gnu.hash`` / ``.hash`` once, so every later lookup is bounded.

        Checked: the sizes the header promises fit the section, every bucket and chain
        entry names a symbol of ``.dynsym``, every GNU chain ends inside the table, no
        SysV chain loops, and each ``PyInit_*`` that ``.dynsym`` defines is reachable
        through the table (a zeroed bloom filter passes every size check, yet glibc's
        ``dlsym`` would then miss the init function).
        """
        self._hash_tables: list[_GnuHashTable | _SysvHashTable] = []
        self.hash_table_problems: list[str] = []
        # Counted in .dynsym, the table every lookup here reads (the loader's DT_SYMTAB).
        dynsym = self._sections.get(".dynsym")
        symbol_count = 0
        if dynsym is not None and dynsym.type != _SHT_NOBITS:
            symbol_count = dynsym.size // (24 if self.is_64bit else 16)
        for section in self._all_sections:
            if section.type not in (_SHT_GNU_HASH, _SHT_HASH):
                continue
            data = self._read_at(section.offset, section.size)
            kind = _GnuHashTable if section.type == _SHT_GNU_HASH else _SysvHashTable
            table, problem = kind.decode(data, self._endian, self.pointer_size, symbol_count)
            if problem is None and table is not None:
                problem = self._init_functions_unreachable(table)
            if problem is not None:
                self.hash_table_problems.append(f"{section.name or kind.section_name} section {problem}")
            elif table is not None:
                self._hash_tables.append(table)
        if self.hash_table_problems and not self._tolerate_damaged_hash_tables:
            raise ElfReadError(
                f"{self.path}: damaged dynamic symbol hash table: its {'; '.join(self.hash_table_problems)}. "
                "The dynamic loader finds PyInit_<name> through this table, so whether the module "
                "imports cannot be told; reinstall or rebuild the package"
            )
        # GNU first, as glibc and musl consult it when both are present.
        self._hash_tables.sort(key=lambda table: not isinstance(table, _GnuHashTable))

    def _init_functions_unreachable(self, table: _GnuHashTable | _SysvHashTable) -> str | None:
        strings = self.section_bytes(".dynstr")
        if strings is not None and b"PyInit" not in strings:
            return None  # cheap way out for bundled libraries with thousands of exports
        if self._symbols is None:
            self._load_dynamic_symbols()
        for index, (name, info, shndx, _value, _size) in enumerate(self._table):
            if not name.startswith(("PyInit_", "PyInitU_")) or shndx == _SHN_UNDEF or info >> 4 == _STB_LOCAL:
                continue
            if "\ufffd" in name or len(name) >= _MAX_SYMBOL_NAME_BYTES:
                continue  # not valid UTF-8, or cut: its bytes, and so its hash, are not known here
            if table.find(name.encode(), self._table) != index:
                return (
                    f"does not lead to {name}, which .dynsym defines as symbol {index}; "
                    "the dynamic loader would not find it"
                )
        return None

    def find_exported_symbol(self, name: str) -> SymbolLookup:
        """Is ``name`` exported, as the dynamic loader would look it up (bounded work).

        Through ``.gnu.hash`` (else ``.hash``) when sound; when both are damaged or missing,
        by a scan of ``.dynsym``, with the reason in ``problem``.
        """
        if self._symbols is None:
            self._load_dynamic_symbols()
        if self._hash_tables:
            table = self._hash_tables[0]
            index = table.find(name.encode(), self._table)
            return SymbolLookup(index is not None and _exports(self._table[index]), table.section_name)
        problem = (
            "; ".join(self.hash_table_problems) or "the file has neither a .gnu.hash nor a .hash section"
        )
        return SymbolLookup(
            name in self.symbols, ".dynsym (linear scan)", f"{problem}: looked up in .dynsym instead"
        )

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

    # -- what the format-neutral readers ask (auditor.collectors.binary.image) ---------------------------
    file_format = "ELF"
    operating_system = "linux"
    export_table_name = ".dynsym"
    # The PLT records no stub -> name table: the code reader decodes each entry's jump.
    stubs_need_decoding = True

    def is_zero_initialised(self, address: int) -> bool:
        bounds = self.section_range(".bss")
        return bool(bounds and bounds[0] <= address < bounds[1])

    def initialiser_functions(self) -> Iterator[int]:
        bounds = self.section_range(".init_array")
        if bounds is None:
            return
        # The section size is not checked against the file for SHT_NOBITS, and a damaged
        # one may claim 2**63 bytes: walk no more slots than the file could hold (and the
        # caller stops asking when its instruction budget is spent).
        last = min(bounds[1], bounds[0] + self.file_size)
        for slot in range(bounds[0], last, self.pointer_size):
            target = self.read_pointer(slot)
            if target is not None and target.address and self.is_executable(target.address):
                yield target.address

    def read_only_data(self) -> bytes:
        return self.section_bytes(".rodata") or b""

    @property
    def imported_libraries(self) -> list[str]:
        return [tag.needed for tag in self._dynamic_tags("DT_NEEDED")]

    def _dynamic_tags(self, kind: str) -> list:
        section = self.elf.get_section_by_name(".dynamic")
        if section is None or not hasattr(section, "iter_tags"):
            return []
        try:
            return [tag for tag in section.iter_tags() if tag.entry.d_tag == kind]
        except Exception:  # noqa: BLE001 - a damaged .dynamic only loses the library names
            return []


def _exports(row: tuple[str, int, int, int, int]) -> bool:
    """A ``.dynsym`` row this module defines and makes visible to other modules."""
    _name, info, shndx, _value, _size = row
    return shndx != _SHN_UNDEF and info >> 4 != _STB_LOCAL


def _gnu_hash(name: bytes) -> int:
    """``dl_new_hash`` (glibc elf/dl-lookup.c): h = h * 33 + c from 5381."""
    value = 5381
    for byte in name:
        value = (value * 33 + byte) & 0xFFFFFFFF
    return value


def _sysv_hash(name: bytes) -> int:
    """``_dl_elf_hash`` (System V ABI, "Hash Table")."""
    value = 0
    for byte in name:
        value = (value << 4) + byte
        high = value & 0xF0000000
        if high:
            value ^= high >> 24
        value &= ~high & 0xFFFFFFFF
    return value


@dataclass(frozen=True)
class _GnuHashTable:
    """``.gnu.hash``: a header of four words, a bloom filter, buckets, and the chains.

    Layout (glibc elf/dl-setup_hash.c, binutils bfd/elflink.c): nbuckets, symoffset,
    bloom_size (in words of the ELF class), bloom_shift; then the bloom words, then
    nbuckets 32-bit bucket heads, then one 32-bit hash per symbol from ``symoffset`` on,
    whose low bit marks the end of a chain.
    """

    section_name = ".gnu.hash"
    symbol_offset: int
    bloom: tuple[int, ...]
    bloom_shift: int
    word_bits: int
    buckets: tuple[int, ...]
    chain: tuple[int, ...]

    @classmethod
    def decode(
        cls, data: bytes, endian: str, word_size: int, symbol_count: int
    ) -> tuple[_GnuHashTable | None, str | None]:
        if len(data) < 16:
            return None, f"is {len(data)} bytes, shorter than its 16-byte header"
        bucket_count, symbol_offset, bloom_size, bloom_shift = struct.unpack_from(endian + "4I", data)
        if bloom_size == 0 or bloom_size & (bloom_size - 1):
            # glibc masks with bloom_size - 1, so only a power of two means what it says.
            return None, f"has a bloom filter of {bloom_size} words (a power of two is required)"
        if bucket_count == 0:
            return None, "has 0 buckets"
        if bloom_shift >= 32:
            return None, f"has a bloom shift of {bloom_shift} (hashes are 32 bits)"
        chain_start = 16 + bloom_size * word_size + bucket_count * 4
        if chain_start > len(data):
            return None, (
                f"promises {bloom_size} bloom words and {bucket_count} buckets ({chain_start} bytes) "
                f"but is {len(data)} bytes"
            )
        if symbol_offset > symbol_count:
            return None, f"starts its chains at symbol {symbol_offset}, past the {symbol_count} of .dynsym"
        bloom = struct.unpack_from(f"{endian}{bloom_size}{'Q' if word_size == 8 else 'I'}", data, 16)
        buckets = struct.unpack_from(f"{endian}{bucket_count}I", data, 16 + bloom_size * word_size)
        chain_length = min((len(data) - chain_start) // 4, symbol_count - symbol_offset)
        chain = struct.unpack_from(f"{endian}{chain_length}I", data, chain_start)
        last_head = 0
        for number, head in enumerate(buckets):
            if head and not symbol_offset <= head < symbol_count:
                return None, (
                    f"has bucket {number} start at symbol {head}, outside symbols "
                    f"{symbol_offset}-{symbol_count - 1} of .dynsym"
                )
            last_head = max(last_head, head)
        # Chains are consecutive runs: if the one starting last ends, every one does.
        if last_head and not any(value & 1 for value in chain[last_head - symbol_offset :]):
            return None, (
                f"has a chain from symbol {last_head} that runs past the end of the table "
                f"(no end marker before symbol {symbol_offset + chain_length})"
            )
        return cls(symbol_offset, bloom, bloom_shift, word_size * 8, buckets, chain), None

    def find(self, name: bytes, table: list[tuple[str, int, int, int, int]]) -> int | None:
        """The ``.dynsym`` index of ``name``, as ``do_lookup_x`` walks it; None when absent."""
        wanted = _gnu_hash(name)
        word = self.bloom[(wanted // self.word_bits) % len(self.bloom)]
        mask = (1 << (wanted % self.word_bits)) | (1 << ((wanted >> self.bloom_shift) % self.word_bits))
        if word & mask != mask:
            return None
        index = self.buckets[wanted % len(self.buckets)]
        if index == 0:
            return None
        text = name.decode("utf-8", "replace")
        # decode() checked that a chain end exists before the end of the table.
        while index - self.symbol_offset < len(self.chain):
            value = self.chain[index - self.symbol_offset]
            if value | 1 == wanted | 1 and index < len(table) and table[index][0] == text:
                return index
            if value & 1:
                return None
            index += 1
        return None


@dataclass(frozen=True)
class _SysvHashTable:
    """``.hash`` (System V ABI): nbucket, nchain, then both arrays of 32-bit symbol indexes.

    Chains are linked lists (``chain[i]`` is the next symbol after ``i``, 0 ends), so a
    damaged table can loop; :meth:`decode` walks every chain once to refuse that.
    """

    section_name = ".hash"
    buckets: tuple[int, ...]
    chain: tuple[int, ...]

    @classmethod
    def decode(
        cls, data: bytes, endian: str, _word_size: int, symbol_count: int
    ) -> tuple[_SysvHashTable | None, str | None]:
        if len(data) < 8:
            return None, f"is {len(data)} bytes, shorter than its 8-byte header"
        bucket_count, chain_count = struct.unpack_from(endian + "2I", data)
        if bucket_count == 0:
            return None, "has 0 buckets"
        needed = 8 + 4 * (bucket_count + chain_count)
        if needed > len(data):
            return None, (
                f"promises {bucket_count} buckets and {chain_count} chain entries ({needed} bytes) "
                f"but is {len(data)} bytes"
            )
        buckets = struct.unpack_from(f"{endian}{bucket_count}I", data, 8)
        chain = struct.unpack_from(f"{endian}{chain_count}I", data, 8 + 4 * bucket_count)
        limit = min(chain_count, symbol_count)
        for what, values in (("bucket", buckets), ("chain entry", chain)):
            for number, index in enumerate(values):
                if index >= limit:
                    return None, (
                        f"has {what} {number} point to symbol {index}, past the {limit} symbols "
                        "of .dynsym and the table"
                    )
        # One walk per bucket; a symbol already reached from an earlier bucket ends the
        # walk (its rest was checked then), so the whole check is O(nbucket + nchain).
        reached_from = [0] * chain_count
        for number, head in enumerate(buckets, start=1):
            index = head
            while index:
                if reached_from[index] == number:
                    return None, f"has a chain from bucket {number - 1} that loops back to symbol {index}"
                if reached_from[index]:
                    break
                reached_from[index] = number
                index = chain[index]
        return cls(buckets, chain), None

    def find(self, name: bytes, table: list[tuple[str, int, int, int, int]]) -> int | None:
        index = self.buckets[_sysv_hash(name) % len(self.buckets)]
        text = name.decode("utf-8", "replace")
        # decode() refused loops; the step cap is a second guard that costs nothing.
        for _step in range(len(self.chain) + 1):
            if index == 0:
                return None
            if index < len(table) and table[index][0] == text:
                return index
            index = self.chain[index]
        return None


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
