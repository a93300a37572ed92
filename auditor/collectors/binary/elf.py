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

The segment and section tables are decoded in :mod:`.elf_layout`, the relocation tables
in :mod:`.elf_relocations`, the dynamic loader's hash tables in :mod:`.elf_hash_tables`;
this module holds :class:`ElfImage`, which reads memory and symbols through them.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Self

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

from .elf_hash_tables import GnuHashTable, SysvHashTable
from .elf_layout import (
    MAX_SYMBOL_NAME_BYTES,
    SHT_GNU_HASH,
    SHT_HASH,
    SHT_NOBITS,
    SHT_REL,
    SHT_RELA,
    ElfReadError,
    Section,
    c_string,
    read_load_segments,
    read_sections,
)
from .elf_relocations import ElfRelocations
from .image import BinaryImage, DynamicSymbol, PointerValue, Relocation, SymbolLookup, describe_os_error

__all__ = [
    "DynamicSymbol",
    "ElfImage",
    "ElfReadError",
    "PointerValue",
    "Relocation",
    "SymbolLookup",
    "describe_os_error",
]

SUPPORTED_MACHINES = {"EM_X86_64": "x86_64", "EM_AARCH64": "aarch64"}
_SHN_UNDEF = 0
_STT_FUNC = 2
_STT_OBJECT = 1
_STB_LOCAL = 0


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
        # The header tables are decoded with struct (see .elf_layout).
        self._segments = read_load_segments(
            self.path,
            self._read_at(self.elf["e_phoff"], self.elf["e_phnum"] * self.elf["e_phentsize"]),
            self._endian,
            self.is_64bit,
            size,
        )
        self._all_sections = read_sections(
            self.path,
            self._read_at(self.elf["e_shoff"], self.elf["e_shnum"] * self.elf["e_shentsize"]),
            self.elf["e_shstrndx"],
            self._read_at,
            self._endian,
            self.is_64bit,
            size,
        )
        self._sections: dict[str, Section] = {}
        for section in self._all_sections:
            self._sections.setdefault(section.name, section)
        self._sections_by_index = {section.index: section for section in self._all_sections}
        self._plt_ranges = [
            bounds
            for bounds in (self.section_range(name) for name in (".plt", ".plt.sec", ".plt.got", ".iplt"))
            if bounds
        ]
        self._symbols: dict[str, DynamicSymbol] | None = None
        self._imported: set[str] | None = None
        self._relocations: ElfRelocations | None = None
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
        if section is None or section.type == SHT_NOBITS:
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
        if section is None or section.type == SHT_NOBITS:
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
                name = names[name_offset] = c_string(strings, name_offset, MAX_SYMBOL_NAME_BYTES)
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
        self._hash_tables: list[GnuHashTable | SysvHashTable] = []
        self.hash_table_problems: list[str] = []
        # Counted in .dynsym, the table every lookup here reads (the loader's DT_SYMTAB).
        dynsym = self._sections.get(".dynsym")
        symbol_count = 0
        if dynsym is not None and dynsym.type != SHT_NOBITS:
            symbol_count = dynsym.size // (24 if self.is_64bit else 16)
        for section in self._all_sections:
            if section.type not in (SHT_GNU_HASH, SHT_HASH):
                continue
            data = self._read_at(section.offset, section.size)
            kind = GnuHashTable if section.type == SHT_GNU_HASH else SysvHashTable
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
        self._hash_tables.sort(key=lambda table: not isinstance(table, GnuHashTable))

    def _init_functions_unreachable(self, table: GnuHashTable | SysvHashTable) -> str | None:
        strings = self.section_bytes(".dynstr")
        if strings is not None and b"PyInit" not in strings:
            return None  # cheap way out for bundled libraries with thousands of exports
        if self._symbols is None:
            self._load_dynamic_symbols()
        for index, (name, info, shndx, _value, _size) in enumerate(self._table):
            if not name.startswith(("PyInit_", "PyInitU_")) or shndx == _SHN_UNDEF or info >> 4 == _STB_LOCAL:
                continue
            if "\ufffd" in name or len(name) >= MAX_SYMBOL_NAME_BYTES:
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
    def relocations(self) -> ElfRelocations:
        """Address -> relocation, from every SHT_RELA / SHT_REL section."""
        if self._relocations is None:
            self._relocations = self._load_relocations()
        return self._relocations

    def _load_relocations(self) -> ElfRelocations:
        if self._symbols is None:
            self._load_dynamic_symbols()
        tables = [
            (self.section_bytes(section.name) or b"", section.type == SHT_RELA)
            for section in self._sections.values()
            if section.type in (SHT_RELA, SHT_REL)
        ]
        return ElfRelocations(
            tables,
            self._table,
            machine=self.machine,
            is_64bit=self.is_64bit,
            little_endian=self.little_endian,
        )

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
