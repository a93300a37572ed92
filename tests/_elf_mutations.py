"""Byte-level edits of real ELF files, for the hostile-input tests and the fuzz benchmark.

Plain ``struct`` over the file (64-bit little-endian, what the fixtures are): the point
is to write exactly the damage a test names, which a parser-based writer would refuse.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class SectionHeader:
    name: str
    type: int
    address: int
    offset: int
    size: int
    header_offset: int  # where this section's header sits in the file


@dataclass(frozen=True)
class ProgramHeader:
    type: int
    flags: int
    offset: int
    vaddr: int
    filesz: int
    memsz: int
    header_offset: int


def program_headers(data: bytes | bytearray) -> list[ProgramHeader]:
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    headers = []
    for number in range(phnum):
        at = phoff + number * phentsize
        p_type, p_flags, p_offset, p_vaddr, _paddr, p_filesz, p_memsz, _align = struct.unpack_from(
            "<IIQQQQQQ", data, at
        )
        headers.append(ProgramHeader(p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz, at))
    return headers


def section_headers(data: bytes | bytearray) -> dict[str, SectionHeader]:
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    rows = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + n * shentsize) for n in range(shnum)]
    names_offset, names_size = rows[shstrndx][4], rows[shstrndx][5]
    names = bytes(data[names_offset : names_offset + names_size])
    sections = {}
    for number, row in enumerate(rows):
        name = names[row[0] : names.index(b"\0", row[0])].decode()
        sections[name] = SectionHeader(name, row[1], row[3], row[4], row[5], shoff + number * shentsize)
    return sections


def dynamic_symbol_offset(data: bytes | bytearray, name: str) -> int:
    """File offset of the ``.dynsym`` entry named ``name`` (Elf64_Sym, 24 bytes)."""
    sections = section_headers(data)
    symbols, strings = sections[".dynsym"], sections[".dynstr"]
    for entry in range(symbols.offset, symbols.offset + symbols.size, 24):
        (name_offset,) = struct.unpack_from("<I", data, entry)
        start = strings.offset + name_offset
        if bytes(data[start : data.index(b"\0", start)]) == name.encode():
            return entry
    raise KeyError(name)


def set_symbol(data: bytearray, name: str, *, value: int | None = None, size: int | None = None) -> None:
    entry = dynamic_symbol_offset(data, name)
    if value is not None:
        struct.pack_into("<Q", data, entry + 8, value)
    if size is not None:
        struct.pack_into("<Q", data, entry + 16, size)


def set_memsz(data: bytearray, header: ProgramHeader, memsz: int) -> None:
    struct.pack_into("<Q", data, header.header_offset + 40, memsz)


def put_u32(data: bytearray, offset: int, *values: int) -> None:
    struct.pack_into(f"<{len(values)}I", data, offset, *values)


def get_u32(data: bytes | bytearray, offset: int, count: int = 1) -> tuple[int, ...]:
    return struct.unpack_from(f"<{count}I", data, offset)


def section_header_field(data: bytearray, section: SectionHeader, field: str, value: int) -> None:
    """Overwrite one Elf64_Shdr field: ``type``, ``offset`` or ``size``."""
    position = {"type": 4, "offset": 24, "size": 32}[field]
    struct.pack_into("<I" if field == "type" else "<Q", data, section.header_offset + position, value)


# -- random damage, for the fuzz test and the fuzz benchmark --------------------------------------
# Values that sit on the edges parsers get wrong: zero, one, sign and width boundaries.
_EDGE_VALUES = (
    0,
    1,
    2,
    3,
    0x7F,
    0x80,
    0xFF,
    0xFFFF,
    0x7FFFFFFF,
    0x80000000,
    0xFFFFFFFF,
    1 << 32,
    1 << 62,
    1 << 63,
)
_TABLES = (
    ".gnu.hash",
    ".hash",
    ".dynsym",
    ".dynstr",
    ".rela.dyn",
    ".rela.plt",
    ".dynamic",
    ".init_array",
    ".data",
)


def _edge_value(rng, data: bytes | bytearray, width: int) -> int:
    choice = rng.random()
    if choice < 0.6:
        value = rng.choice(_EDGE_VALUES)
    elif choice < 0.8:
        value = len(data) + rng.randint(-64, 64)  # just inside / past the end of the file
    else:
        value = rng.getrandbits(8 * width)
    return value % (1 << (8 * width))


def _overwrite_word(data: bytearray, rng, start: int, end: int) -> str:
    width = rng.choice((2, 4, 8))
    if end - start < width:
        return "nothing"
    at = start + rng.randrange((end - start) // width) * width
    value = _edge_value(rng, data, width)
    data[at : at + width] = value.to_bytes(width, "little")
    return f"{width} bytes at {at:#x} := {value:#x}"


def mutate(original: bytes, rng) -> tuple[str, bytes]:
    """One randomly damaged copy of a real ELF file and a description of the damage.

    Deterministic for a given ``rng`` state, so a failing input can be made again from
    its seed. Damage is aimed where parsers trust the file: the ELF, program and section
    headers, the tables the reader decodes, the init function's symbol, and the length.
    """
    data = bytearray(original)
    sections = section_headers(original)
    kind = rng.choice(("bits", "headers", "table", "truncate", "init-symbol", "splice"))
    if kind == "bits":
        flips = [rng.randrange(len(data) * 8) for _ in range(rng.randint(1, 16))]
        for bit in flips:
            data[bit // 8] ^= 1 << (bit % 8)
        return f"bits: flipped {len(flips)} bits", bytes(data)
    if kind == "headers":
        phoff, shoff = (
            struct.unpack_from("<Q", original, 0x20)[0],
            struct.unpack_from("<Q", original, 0x28)[0],
        )
        phnum, shnum = (
            struct.unpack_from("<H", original, 0x38)[0],
            struct.unpack_from("<H", original, 0x3C)[0],
        )
        region = rng.choice(((0, 64), (phoff, phoff + 56 * phnum), (shoff, shoff + 64 * shnum)))
        changes = [_overwrite_word(data, rng, *region) for _ in range(rng.randint(1, 3))]
        return "headers: " + "; ".join(changes), bytes(data)
    if kind == "table":
        present = [sections[name] for name in _TABLES if name in sections]
        section = rng.choice(present)
        changes = [
            _overwrite_word(data, rng, section.offset, section.offset + section.size)
            for _ in range(rng.randint(1, 4))
        ]
        return f"table {section.name}: " + "; ".join(changes), bytes(data)
    if kind == "truncate":
        length = rng.randrange(len(data))
        return f"truncate: first {length} of {len(data)} bytes", bytes(data[:length])
    if kind == "init-symbol":
        symbols = sections[".dynsym"]
        entry = symbols.offset + 24 * rng.randrange(max(1, symbols.size // 24))
        field, width = rng.choice(((0, 4), (4, 1), (6, 2), (8, 8), (16, 8)))  # name, info, shndx, value, size
        value = _edge_value(rng, data, width)
        data[entry + field : entry + field + width] = value.to_bytes(width, "little")
        return f"symbol at {entry:#x}: field +{field} := {value:#x}", bytes(data)
    length = rng.randint(1, 256)
    source, target = rng.randrange(len(data) - length), rng.randrange(len(data) - length)
    data[target : target + length] = original[source : source + length]
    return f"splice: {length} bytes from {source:#x} to {target:#x}", bytes(data)
