"""The layout of an ELF file: its loadable segments and its section headers.

Both tables are decoded with ``struct`` rather than pyelftools' per-entry parsing, which
cost ~7 ms per module for the section headers alone, most of a scan's budget. Every
offset and size is checked against the file, so a truncated or damaged file is refused
here with a message that says which table is wrong, rather than read past its end.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .image import BinaryReadError

PT_LOAD = 1
SHT_RELA, SHT_HASH, SHT_NOBITS, SHT_REL = 4, 5, 8, 9
SHT_GNU_HASH = 0x6FFFFFF6
# Names are cut at these lengths. Nothing here looks up a name longer than a few dozen
# bytes (PyInit_*, C-API and libc imports), and without a cap a string table with no NUL
# bytes that every entry points into costs entries x table size to decode (a 1 MB file
# with 40,000 symbols would decode 20 GB).
MAX_SYMBOL_NAME_BYTES = 1024
MAX_SECTION_NAME_BYTES = 256


class ElfReadError(BinaryReadError):
    """The file is not an ELF shared object we can read; the message says why, for a user."""


def c_string(table: bytes, offset: int, limit: int) -> str:
    """The NUL-terminated name at ``offset`` of a string table, at most ``limit`` bytes of it."""
    end = table.find(b"\0", offset, offset + limit)
    return table[offset : end if end >= 0 else offset + limit].decode("utf-8", "replace")


@dataclass(frozen=True)
class Segment:
    vaddr: int
    memsz: int
    offset: int
    filesz: int
    executable: bool


@dataclass(frozen=True)
class Section:
    name: str
    type: int
    address: int
    offset: int
    size: int
    link: int
    index: int


def _rows(layout: str, data: bytes) -> Iterator:
    return struct.iter_unpack(layout, data[: len(data) // struct.calcsize(layout) * struct.calcsize(layout)])


def read_load_segments(
    path: Path, program_headers: bytes, endian: str, is_64bit: bool, file_size: int
) -> list[Segment]:
    """The PT_LOAD segments (what the dynamic loader maps) of the program header table."""
    segments: list[Segment] = []
    for row in _rows(endian + ("IIQQQQQQ" if is_64bit else "IIIIIIII"), program_headers):
        if is_64bit:
            p_type, p_flags, p_offset, p_vaddr, _paddr, p_filesz, p_memsz, _align = row
        else:
            p_type, p_offset, p_vaddr, _paddr, p_filesz, p_memsz, p_flags, _align = row
        if p_type != PT_LOAD:
            continue
        if p_offset + p_filesz > file_size:
            raise ElfReadError(
                f"{path}: truncated or damaged: its program headers describe "
                f"{p_offset + p_filesz} bytes but the file has {file_size}; reinstall the package"
            )
        segments.append(Segment(p_vaddr, p_memsz, p_offset, p_filesz, bool(p_flags & 1)))
    if not segments:
        raise ElfReadError(
            f"{path}: an ELF file without loadable segments (an object file, not a shared object)"
        )
    return segments


def read_sections(
    path: Path,
    section_headers: bytes,
    names_index: int,
    read_at: Callable[[int, int], bytes],
    endian: str,
    is_64bit: bool,
    file_size: int,
) -> list[Section]:
    """Every section header, named from the section-name table at ``names_index`` (e_shstrndx)."""
    rows = list(_rows(endian + ("IIQQQQIIQQ" if is_64bit else "IIIIIIIIII"), section_headers))
    names = b""
    if 0 < names_index < len(rows):
        names_row = rows[names_index]
        names = read_at(names_row[4], names_row[5])
    sections = []
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
        name = c_string(names, name_offset, MAX_SECTION_NAME_BYTES)
        if section_type != SHT_NOBITS and offset + section_size > file_size:
            raise ElfReadError(
                f"{path}: truncated or damaged: section {name} ends at byte "
                f"{offset + section_size} but the file has {file_size}; reinstall the package"
            )
        sections.append(Section(name, section_type, address, offset, section_size, link, index))
    return sections
