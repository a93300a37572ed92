"""Analysis time of one binary as the parts a hostile file can inflate grow.

    python benchmarks/binary_growth.py [--largest-mb 4] [--repeat 3]

Each family starts from a real extension compiled by the tests and grows one thing the
readers loop over, appending the grown table to the file and pointing its section
header there (so the rest of the file stays as the compiler wrote it):

* ``exported symbols``: .dynsym/.dynstr with N more defined functions;
* ``relocations``: .rela.dyn with N more R_X86_64_RELATIVE entries;
* ``names without NUL``: N symbols whose names point into one string table with no NUL;
* ``generator look-alikes``: a .rodata of N bytes of "nanobind_x" (the ABI-tag search);
* ``one GNU chain``: a .gnu.hash of one bucket whose single chain covers N symbols;
* ``one SysV chain``: a .hash of one bucket whose chain links N symbols;
* ``init code window``: PyInit claiming N bytes of code (zeros in memory, the file does
  not grow): the instruction budget must keep this one flat.

Prints, per family and size, the best of ``--repeat`` runs of
:func:`auditor.engine.binary_checks.analyse_extension` and the cost per MB of file: linear growth
shows as a steady cost per MB.
"""

from __future__ import annotations

import argparse
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))
sys.path.insert(0, str(REPOSITORY / "tests"))

import _elf_mutations as mutations  # noqa: E402 - after the path set-up above
from _extension_builds import FIXTURES, build_extension, build_fixture, free_threaded_python  # noqa: E402

from auditor.engine.binary_checks import analyse_extension  # noqa: E402

_MODULE = "mp_slot_not_used"
_SYMBOL = struct.Struct("<IBBHQQ")  # Elf64_Sym
_FUNCTION_GLOBAL = 0x12  # STB_GLOBAL << 4 | STT_FUNC


def _gnu_hash(name: bytes) -> int:
    value = 5381
    for byte in name:
        value = (value * 33 + byte) & 0xFFFFFFFF
    return value


def _append(data: bytearray, blob: bytes) -> int:
    while len(data) % 8:
        data.append(0)
    offset = len(data)
    data.extend(blob)
    return offset


def _replace_section(data: bytearray, name: str, blob: bytes) -> None:
    section = mutations.section_headers(data)[name]
    mutations.section_header_field(data, section, "offset", _append(data, blob))
    mutations.section_header_field(data, section, "size", len(blob))


def _more_symbols(data: bytearray, count: int) -> tuple[bytes, bytes, list[bytes]]:
    """The original .dynsym and .dynstr with ``count`` defined functions after them."""
    sections = mutations.section_headers(data)
    symbols = bytearray(
        data[sections[".dynsym"].offset : sections[".dynsym"].offset + sections[".dynsym"].size]
    )
    strings = bytearray(
        data[sections[".dynstr"].offset : sections[".dynstr"].offset + sections[".dynstr"].size]
    )
    text = sections[".text"]
    names = []
    for number in range(count):
        name = b"exported_function_%d" % number
        names.append(name)
        symbols += _SYMBOL.pack(len(strings), _FUNCTION_GLOBAL, 0, 1, text.address, 1)
        strings += name + b"\0"
    return bytes(symbols), bytes(strings), names


def grow_exported_symbols(data: bytearray, count: int) -> None:
    symbols, strings, _names = _more_symbols(data, count)
    _replace_section(data, ".dynstr", strings)
    _replace_section(data, ".dynsym", symbols)


def grow_relocations(data: bytearray, count: int) -> None:
    section = mutations.section_headers(data)[".rela.dyn"]
    table = bytearray(data[section.offset : section.offset + section.size])
    for number in range(count):
        table += struct.pack("<QQq", 0x100000 + 8 * number, 8, 0x1000)  # R_X86_64_RELATIVE
    _replace_section(data, ".rela.dyn", bytes(table))


def grow_names_without_nul(data: bytearray, count: int) -> None:
    # The init function's name up front, so the reader does decode every symbol.
    init_name = b"\0PyInit_" + _MODULE.encode() + b"\0"
    _replace_section(data, ".dynstr", init_name + b"A" * (16 * count + 1024))
    _replace_section(
        data,
        ".dynsym",
        b"".join(
            _SYMBOL.pack(len(init_name) + 16 * number, _FUNCTION_GLOBAL, 0, 1, 0, 0)
            for number in range(count)
        ),
    )


def grow_generator_look_alikes(data: bytearray, count: int) -> None:
    _replace_section(data, ".rodata", b"nanobind_x" * (count // 10))


def grow_one_gnu_chain(data: bytearray, count: int) -> None:
    sections = mutations.section_headers(data)
    symbols, strings, _names = _more_symbols(data, count)
    gnu = sections[".gnu.hash"]
    (symbol_offset,) = mutations.get_u32(data, gnu.offset + 4)
    total = len(symbols) // _SYMBOL.size
    chain = []
    for index in range(symbol_offset, total):
        name_offset = _SYMBOL.unpack_from(symbols, index * _SYMBOL.size)[0]
        name = strings[name_offset : strings.index(b"\0", name_offset)]
        chain.append(_gnu_hash(name) & ~1)
    chain[-1] |= 1  # one chain: the only end marker is on the last symbol
    bloom = 0xFFFFFFFFFFFFFFFF  # every name passes the filter, so lookups walk the chain
    table = struct.pack("<4IQI", 1, symbol_offset, 1, 6, bloom, symbol_offset) + struct.pack(
        f"<{len(chain)}I", *chain
    )
    _replace_section(data, ".dynstr", strings)
    _replace_section(data, ".dynsym", symbols)
    _replace_section(data, ".gnu.hash", table)


def grow_one_sysv_chain(data: bytearray, count: int) -> None:
    symbols, strings, _names = _more_symbols(data, count)
    total = len(symbols) // _SYMBOL.size
    # Bucket 0 -> symbol total-1 -> ... -> 1 -> end: PyInit is reached only near the end.
    chain = [0] + list(range(0, total - 1))
    table = struct.pack(f"<3I{total}I", 1, total, total - 1, *chain)
    _replace_section(data, ".dynstr", strings)
    _replace_section(data, ".dynsym", symbols)
    _replace_section(data, ".hash", table)


def grow_init_code_window(data: bytearray, count: int) -> None:
    code = next(header for header in mutations.program_headers(data) if header.type == 1 and header.flags & 1)
    mutations.set_memsz(data, code, code.filesz + count)
    mutations.set_symbol(data, f"PyInit_{_MODULE}", value=code.vaddr + code.filesz, size=count - 16)


# family -> (grow, entries per MB of file added, the build to start from)
FAMILIES: dict[str, tuple[Callable[[bytearray, int], None], int, str]] = {
    "exported symbols": (grow_exported_symbols, (1 << 20) // 46, "gnu"),
    "relocations": (grow_relocations, (1 << 20) // 24, "gnu"),
    "names without NUL": (grow_names_without_nul, (1 << 20) // 40, "gnu"),
    "generator look-alikes": (grow_generator_look_alikes, 1 << 20, "gnu"),
    "one GNU chain": (grow_one_gnu_chain, (1 << 20) // 50, "gnu"),
    "one SysV chain": (grow_one_sysv_chain, (1 << 20) // 50, "sysv"),
    "init code window": (grow_init_code_window, 1 << 20, "gnu"),
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--largest-mb", type=float, default=4.0, help="the largest growth, in MB (default 4)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per input; the best is shown (default 3)")
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES), help="only these families")
    args = parser.parse_args()
    python = free_threaded_python()
    if python is None:
        print("no free-threaded 3.13 to compile the inputs against: run `ftaudit provision`", file=sys.stderr)
        return 2
    builds = {
        "gnu": build_fixture(_MODULE, python),
        "sysv": build_extension(
            [FIXTURES / f"{_MODULE}.c"], _MODULE, python, extra_flags=("-Wl,--hash-style=sysv",)
        ),
    }
    scratch = Path(tempfile.mkdtemp(prefix="ftaudit-growth-"))
    steps = []
    size = 1 / 16
    while size <= args.largest_mb + 1e-9:
        steps.append(size)
        size *= 4
    print(f"{'family':24} {'grown by':>10} {'file':>10} {'time':>10} {'per MB of file':>15}  result")
    for family in args.family or FAMILIES:
        grow, per_mb, build = FAMILIES[family]
        for megabytes in steps:
            data = bytearray(builds[build].path.read_bytes())
            count = max(1, int(per_mb * megabytes))
            grow(data, count)
            path = scratch / builds[build].path.name
            path.write_bytes(data)
            best = float("inf")
            for _ in range(args.repeat):
                started = time.perf_counter()
                extension, _findings = analyse_extension(path, scratch, "3.13t")
                best = min(best, time.perf_counter() - started)
            result = (
                extension.errors[0][len(path.name) + 2 :][:40] if extension.errors else extension.gil.value
            )
            print(
                f"{family:24} {count:>10} {len(data) / (1 << 20):>8.2f}MB {best * 1000:>8.1f}ms "
                f"{best * 1000 / (len(data) / (1 << 20)):>12.1f}ms  {result}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
