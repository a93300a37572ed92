"""The dynamic loader's symbol hash tables of an ELF file: ``.gnu.hash`` and ``.hash``.

``dlsym`` finds ``PyInit_<name>`` through these tables only, never by scanning
``.dynsym``; so :class:`~.elf.ElfImage` decodes them once, refuses a damaged one (sizes
that do not fit, indexes past ``.dynsym``, chains without an end or with a loop), and
then looks names up as glibc does, with bounded work.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass


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
class GnuHashTable:
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
    ) -> tuple[GnuHashTable | None, str | None]:
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
class SysvHashTable:
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
    ) -> tuple[SysvHashTable | None, str | None]:
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
