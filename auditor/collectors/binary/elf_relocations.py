"""What the dynamic loader writes into an ELF module's memory: its relocations.

Only the kinds the code reader needs are named (System V x86-64 psABI; ELF for the Arm
64-bit Architecture): ``relative`` (base + addend, i.e. an address inside this binary),
``absolute``, ``glob_dat`` and ``jump_slot`` (the address of a symbol, defined here or
imported). numpy's ``_multiarray_umath`` carries tens of thousands of them, so they are
indexed in columns rather than decoded one object per entry.
"""

from __future__ import annotations

import struct

from .image import Relocation

# Relocation type numbers (System V x86-64 psABI; ELF for the Arm 64-bit Architecture).
X86_64_RELOCATIONS = {1: "absolute", 6: "glob_dat", 7: "jump_slot", 8: "relative"}
AARCH64_RELOCATIONS = {257: "absolute", 1025: "glob_dat", 1026: "jump_slot", 1027: "relative"}


class ElfRelocations:
    """Address -> :class:`Relocation`, decoded on lookup.

    The tables are split into columns with ``memoryview.cast`` and indexed with one
    C-level ``dict(zip(...))``: 50,000 relative relocations cost ~5 ms instead of the
    ~0.2 s that building one object per entry takes.
    """

    def __init__(
        self,
        tables: list[tuple[bytes, bool]],
        symbol_table: list[tuple[str, int, int, int, int]],
        *,
        machine: str,
        is_64bit: bool,
        little_endian: bool,
    ) -> None:
        """``tables``: the bytes of each SHT_RELA / SHT_REL section, and whether its rows
        carry an addend (RELA); ``symbol_table``: the ``.dynsym`` rows ``r_info`` indexes."""
        self._is_64bit = is_64bit
        self._kinds = AARCH64_RELOCATIONS if machine == "aarch64" else X86_64_RELOCATIONS
        self._table = symbol_table
        self._columns: list[tuple[object, object, object | None]] = []
        self._index: dict[int, tuple[int, int]] = {}
        self._cache: dict[int, Relocation] = {}
        endian = "<" if little_endian else ">"
        for data, has_addends in tables:
            fields = 3 if has_addends else 2
            word = 8 if is_64bit else 4
            usable = len(data) // (fields * word) * (fields * word)
            if not usable:
                continue
            if little_endian == (struct.pack("=H", 1) == b"\x01\x00"):
                words = memoryview(data[:usable]).cast("Q" if word == 8 else "I")
            else:  # foreign byte order: rare (big-endian ELF); decode the slow way
                words = struct.unpack(endian + ("Q" if word == 8 else "I") * (usable // word), data[:usable])
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
        word_bits = 64 if self._is_64bit else 32
        addend = addends[row] if addends is not None else 0
        if addend >= 1 << (word_bits - 1):
            addend -= 1 << word_bits  # r_addend is signed
        symbol_shift, type_mask = (32, 0xFFFFFFFF) if self._is_64bit else (8, 0xFF)
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
