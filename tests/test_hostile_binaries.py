"""Hostile binaries: damaged or crafted ``.so`` files end with a message, never a crash, hang or guess.

Every input is made from a real extension compiled here (``_extension_builds``), with
exactly the damage a test names written over its bytes (``_elf_mutations``). The
reported cases come first, each with the message it must produce; then crafted headers
aimed at the reader's loops; then a short seeded fuzz run over mutated copies. Time is
guarded only by pytest-timeout: a limit far above the real cost that catches a hang or
a quadratic blow-up, never a timing assertion.
"""

from __future__ import annotations

import random
import struct
import subprocess
from pathlib import Path

import _elf_mutations as mutations
import pytest
from _extension_builds import (
    FIXTURES,
    BuiltExtension,
    build_extension,
    build_fixture,
    build_snippet,
    free_threaded_python,
)

from auditor.collectors.binary.code_reader import _DECODE_CHUNK, _INSTRUCTION_BUDGET, CodeReader
from auditor.collectors.binary.elf import ElfImage, ElfReadError, SymbolLookup
from auditor.collectors.binary.gil_declaration import init_function_name
from auditor.engine.binary_checks import analyse_extension
from auditor.model.environment import GilDeclaration, GilDeclaredBy

pytestmark = pytest.mark.timeout(300)  # the first session compiles the fixtures

FREE_THREADED = free_threaded_python()
MODULE = "mp_slot_not_used"
INIT = f"PyInit_{MODULE}"
DAMAGED_TABLE = "{name}: damaged dynamic symbol hash table: its {detail}. " + (
    "The dynamic loader finds PyInit_<name> through this table, so whether the module "
    "imports cannot be told; reinstall or rebuild the package"
)


def _interpreter() -> Path:
    # conftest.py refuses to start without the provisioned interpreters, so this only
    # fails when provisioning is broken, and then it should fail, not skip.
    assert FREE_THREADED is not None, "no free-threaded 3.13: run scripts/setup.sh"
    return FREE_THREADED


@pytest.fixture(scope="module")
def gnu_hashed() -> BuiltExtension:
    """The plain build: Debian's gcc links with --hash-style=gnu, so only .gnu.hash."""
    return build_fixture(MODULE, _interpreter())


@pytest.fixture(scope="module")
def sysv_hashed() -> BuiltExtension:
    return build_extension(
        [FIXTURES / f"{MODULE}.c"], MODULE, _interpreter(), extra_flags=("-Wl,--hash-style=sysv",)
    )


def _write(tmp_path: Path, built: BuiltExtension, data: bytes | bytearray) -> Path:
    path = tmp_path / built.path.name
    path.write_bytes(bytes(data))
    return path


def _gnu_layout(data: bytes | bytearray) -> tuple[mutations.SectionHeader, int, int, int, int]:
    """(.gnu.hash header, nbuckets, symoffset, bloom words, where the chains start)."""
    section = mutations.section_headers(data)[".gnu.hash"]
    buckets, symbol_offset, bloom_words, _shift = mutations.get_u32(data, section.offset, 4)
    return section, buckets, symbol_offset, bloom_words, section.offset + 16 + 8 * bloom_words + 4 * buckets


def _symbol_index(data: bytes | bytearray, name: str) -> int:
    dynsym = mutations.section_headers(data)[".dynsym"]
    return (mutations.dynamic_symbol_offset(data, name) - dynsym.offset) // 24


def _assert_unknown_with(path: Path, message: str) -> None:
    extension, findings = analyse_extension(path, path.parent, "3.13t")
    assert extension.errors == [message]
    assert extension.gil == GilDeclaration.UNKNOWN
    assert extension.gil_declared_by == GilDeclaredBy.UNDETERMINED
    assert not [finding for finding in findings if finding.rule in ("FTB001", "FTB002")]


# -- the sound tables answer like the loader ------------------------------------------------------
@pytest.mark.parametrize("hash_style", ["gnu", "sysv"])
def test_sound_hash_tables_find_what_the_loader_finds(
    hash_style: str, gnu_hashed: BuiltExtension, sysv_hashed: BuiltExtension
) -> None:
    built = gnu_hashed if hash_style == "gnu" else sysv_hashed
    table = ".gnu.hash" if hash_style == "gnu" else ".hash"
    with ElfImage(built.path) as image:
        assert image.hash_table_problems == []
        assert image.find_exported_symbol(INIT) == SymbolLookup(True, table)
        # Imported, so in .dynsym (and, for SysV, in the table) but not defined here.
        assert image.find_exported_symbol("PyModuleDef_Init") == SymbolLookup(False, table)
        assert image.find_exported_symbol("PyInit_some_other_module") == SymbolLookup(False, table)


# -- the reported damaged .gnu.hash variants ------------------------------------------------------
def _bloom_size_zero(data: bytearray) -> str:
    section, *_ = _gnu_layout(data)
    mutations.put_u32(data, section.offset + 8, 0)
    return ".gnu.hash section has a bloom filter of 0 words (a power of two is required)"


def _zero_buckets(data: bytearray) -> str:
    section, *_ = _gnu_layout(data)
    mutations.put_u32(data, section.offset, 0)
    return ".gnu.hash section has 0 buckets"


def _chain_past_the_end(data: bytearray) -> str:
    section, buckets, symbol_offset, _bloom, chain_start = _gnu_layout(data)
    last_head = max(mutations.get_u32(data, chain_start - 4 * buckets, buckets))
    symbol_count = mutations.section_headers(data)[".dynsym"].size // 24
    for at in range(chain_start, section.offset + section.size, 4):
        mutations.put_u32(data, at, mutations.get_u32(data, at)[0] & ~1)  # no chain ends any more
    return (
        f".gnu.hash section has a chain from symbol {last_head} that runs past the end of the table "
        f"(no end marker before symbol {symbol_count})"
    )


def _zeroed_bloom_filter(data: bytearray) -> str:
    # The variant that turned a module into "pure": every size is right, but the bloom
    # filter now says "absent" for every name, so pyelftools (like dlsym) misses PyInit.
    section, _buckets, _offset, bloom_words, _chains = _gnu_layout(data)
    data[section.offset + 16 : section.offset + 16 + 8 * bloom_words] = bytes(8 * bloom_words)
    return (
        f".gnu.hash section does not lead to {INIT}, which .dynsym defines as symbol "
        f"{_symbol_index(data, INIT)}; the dynamic loader would not find it"
    )


GNU_HASH_DAMAGE = {
    "bloom-size-zero": _bloom_size_zero,
    "zero-buckets": _zero_buckets,
    "chain-past-the-end": _chain_past_the_end,
    "zeroed-bloom-filter": _zeroed_bloom_filter,
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("damage", sorted(GNU_HASH_DAMAGE))
def test_damaged_gnu_hash_leaves_the_module_unknown(
    damage: str, gnu_hashed: BuiltExtension, tmp_path: Path
) -> None:
    data = bytearray(gnu_hashed.path.read_bytes())
    detail = GNU_HASH_DAMAGE[damage](data)
    path = _write(tmp_path, gnu_hashed, data)
    _assert_unknown_with(path, DAMAGED_TABLE.format(name=path.name, detail=detail))


@pytest.mark.timeout(30)
@pytest.mark.parametrize("damage", sorted(GNU_HASH_DAMAGE))
def test_damaged_gnu_hash_falls_back_to_a_dynsym_scan_and_says_why(
    damage: str, gnu_hashed: BuiltExtension, tmp_path: Path
) -> None:
    data = bytearray(gnu_hashed.path.read_bytes())
    detail = GNU_HASH_DAMAGE[damage](data)
    path = _write(tmp_path, gnu_hashed, data)
    with pytest.raises(ElfReadError):
        ElfImage(path)
    with ElfImage(path, tolerate_damaged_hash_tables=True) as image:
        assert image.hash_table_problems == [detail]
        assert image.find_exported_symbol(INIT) == SymbolLookup(
            True, ".dynsym (linear scan)", f"{detail}: looked up in .dynsym instead"
        )
        assert image.find_exported_symbol("PyInit_elsewhere").defined is False


# -- the looping SysV chain -----------------------------------------------------------------------
def _looping_chain(data: bytearray) -> tuple[str, int]:
    """One bucket whose chain starts at a symbol that is not PyInit and points to itself."""
    section = mutations.section_headers(data)[".hash"]
    _buckets, chain_count = mutations.get_u32(data, section.offset, 2)
    looping = 1 if _symbol_index(data, INIT) != 1 else 2
    chain = [0] * chain_count
    chain[looping] = looping
    # nbucket 1 is smaller than the built table's, so the section still holds it all.
    mutations.put_u32(data, section.offset, 1, chain_count, looping, *chain)
    return f".hash section has a chain from bucket 0 that loops back to symbol {looping}", looping


@pytest.mark.timeout(30)
def test_looping_sysv_chain_is_refused_not_walked(sysv_hashed: BuiltExtension, tmp_path: Path) -> None:
    data = bytearray(sysv_hashed.path.read_bytes())
    detail, _looping = _looping_chain(data)
    path = _write(tmp_path, sysv_hashed, data)
    _assert_unknown_with(path, DAMAGED_TABLE.format(name=path.name, detail=detail))
    with ElfImage(path, tolerate_damaged_hash_tables=True) as image:
        assert image.find_exported_symbol(INIT) == SymbolLookup(
            True, ".dynsym (linear scan)", f"{detail}: looked up in .dynsym instead"
        )


@pytest.mark.timeout(30)
def test_sysv_table_with_zero_buckets(sysv_hashed: BuiltExtension, tmp_path: Path) -> None:
    data = bytearray(sysv_hashed.path.read_bytes())
    mutations.put_u32(data, mutations.section_headers(data)[".hash"].offset, 0)
    path = _write(tmp_path, sysv_hashed, data)
    _assert_unknown_with(path, DAMAGED_TABLE.format(name=path.name, detail=".hash section has 0 buckets"))


# -- the slow-disassembly binary ------------------------------------------------------------------
def _init_over_a_megabyte_of_zeros(built: BuiltExtension) -> bytearray:
    """PyInit moved to where the code segment, grown to 1 MB in memory, holds only zeros.

    The file stays ~15 KB; zeros decode as ``add [rax], al`` forever, so only the
    instruction budget ends the reading.
    """
    data = bytearray(built.path.read_bytes())
    code = next(header for header in mutations.program_headers(data) if header.type == 1 and header.flags & 1)
    window = 1 << 20
    mutations.set_memsz(data, code, code.filesz + window)
    mutations.set_symbol(data, INIT, value=code.vaddr + code.filesz, size=window - 16)
    return data


@pytest.mark.timeout(20)  # it took 3.3 s before the lazy decoding; the reading budget costs ~0.4 s
def test_slow_disassembly_binary_is_bounded_by_the_budget(gnu_hashed: BuiltExtension, tmp_path: Path) -> None:
    path = _write(tmp_path, gnu_hashed, _init_over_a_megabyte_of_zeros(gnu_hashed))
    assert path.stat().st_size < 20_000
    extension, findings = analyse_extension(path, tmp_path, "3.13t")
    assert extension.errors == []
    assert extension.gil == GilDeclaration.UNKNOWN
    assert extension.gil_evidence == "the init code is longer than the reading budget"
    assert [finding.rule for finding in findings] == ["FTB004"]


class _CountingEngine:
    """The real capstone engine, counting the instructions it decodes."""

    def __init__(self, engine) -> None:
        self._engine = engine
        self.decoded = 0

    def disasm(self, code, offset, count=0):
        for instruction in self._engine.disasm(code, offset, count):
            self.decoded += 1
            yield instruction


@pytest.mark.timeout(20)
def test_disassembler_decodes_no_more_than_the_budget(gnu_hashed: BuiltExtension, tmp_path: Path) -> None:
    path = _write(tmp_path, gnu_hashed, _init_over_a_megabyte_of_zeros(gnu_hashed))
    with ElfImage(path) as image:
        reader = CodeReader(image)
        counting = reader.engine = _CountingEngine(reader.engine)
        init = image.symbols[INIT]
        reading = reader.read_function(init.value, init.size, follow_calls=False)
    assert reading.truncated and reading.instructions == _INSTRUCTION_BUDGET + 1
    # Whole-window decoding would have decoded ~500,000 instructions here.
    assert counting.decoded <= _INSTRUCTION_BUDGET + _DECODE_CHUNK


# -- crafted headers aimed at the reader's other loops --------------------------------------------
def _append(data: bytearray, blob: bytes) -> int:
    offset = len(data)
    data.extend(blob)
    return offset


def _nobits_init_array_of_2_63_bytes(data: bytearray) -> None:
    section = mutations.section_headers(data)[".init_array"]
    mutations.section_header_field(data, section, "type", 8)  # SHT_NOBITS: its size is not checked
    mutations.section_header_field(data, section, "size", 1 << 63)


def _rodata_of_nanobind_lookalikes(data: bytearray) -> None:
    section = mutations.section_headers(data)[".rodata"]
    blob = b"nanobind_x" * 40_000  # each occurrence used to scan to the end: quadratic
    mutations.section_header_field(data, section, "offset", _append(data, blob))
    mutations.section_header_field(data, section, "size", len(blob))


def _dynsym_of_40000_names_in_a_table_without_nul(data: bytearray) -> None:
    sections = mutations.section_headers(data)
    strings = b"A" * (1 << 20)
    symbols = b"".join(struct.pack("<IBBHQQ", 16 * number, 0x12, 0, 1, 0, 0) for number in range(40_000))
    mutations.section_header_field(data, sections[".dynstr"], "offset", _append(data, strings))
    mutations.section_header_field(data, sections[".dynstr"], "size", len(strings))
    mutations.section_header_field(data, sections[".dynsym"], "offset", _append(data, symbols))
    mutations.section_header_field(data, sections[".dynsym"], "size", len(symbols))


def _section_name_table_of_2_63_bytes(data: bytearray) -> None:
    (shstrndx,) = struct.unpack_from("<H", data, 0x3E)
    (shoff,) = struct.unpack_from("<Q", data, 0x28)
    struct.pack_into("<Q", data, shoff + 64 * shstrndx + 32, 1 << 63)


CRAFTED = {
    # name: (fixture, damage, what the analysis must end with)
    "nobits-init-array-of-2**63-bytes": ("cpp_mp_dynamic_slots", _nobits_init_array_of_2_63_bytes, None),
    "rodata-of-nanobind-lookalikes": (MODULE, _rodata_of_nanobind_lookalikes, None),
    "names-without-nul": (
        MODULE,
        _dynsym_of_40000_names_in_a_table_without_nul,
        "{name}: exports no PyInit_mp_slot_not_used (nor a PEP 793 PyModExport_mp_slot_not_used): "
        "not an extension module named 'mp_slot_not_used' (a bundled shared library, or a renamed file?)",
    ),
    "section-name-table-of-2**63-bytes": (
        MODULE,
        _section_name_table_of_2_63_bytes,
        "{name}: truncated or damaged: section .shstrtab ends at byte",
    ),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_crafted_headers_end_quickly_with_a_message(case: str, tmp_path: Path) -> None:
    fixture, damage, message = CRAFTED[case]
    built = build_fixture(fixture, _interpreter())
    data = bytearray(built.path.read_bytes())
    damage(data)
    path = _write(tmp_path, built, data)
    extension, _findings = analyse_extension(path, tmp_path, "3.13t")
    if message is None:
        # Readable, just large or odd: a verdict is allowed, a reader's exception is not.
        assert not any("could not be read" in error for error in extension.errors), extension.errors
    else:
        assert len(extension.errors) == 1 and extension.errors[0].startswith(message.format(name=path.name))
        assert extension.gil == GilDeclaration.UNKNOWN
    if case == "rodata-of-nanobind-lookalikes":
        assert extension.generator == "nanobind"


# -- non-ASCII module names (PEP 489: PyInitU_ + punycode, '-' replaced by '_') --------------------
NON_ASCII_SOURCE = r"""
#include <Python.h>
static PyModuleDef_Slot slots[] = {{Py_mod_gil, Py_MOD_GIL_NOT_USED}, {0, NULL}};
static struct PyModuleDef definition = {PyModuleDef_HEAD_INIT, "caf\xc3\xa9", NULL, 0, NULL, slots};
PyMODINIT_FUNC PyInitU_caf_dma(void) { return PyModuleDef_Init(&definition); }
"""


@pytest.fixture(scope="module")
def non_ascii_module() -> BuiltExtension:
    built = build_snippet(NON_ASCII_SOURCE, "café", _interpreter())
    # The interpreter itself finds PyInitU_caf_dma, so the name below is CPython's, not ours.
    result = subprocess.run(
        [str(_interpreter()), "-c", "import café, sys; print(sys._is_gil_enabled())"],
        cwd=built.site,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, "False"), result.stderr
    return built


def test_non_ascii_module_is_found_like_an_ascii_one(non_ascii_module: BuiltExtension) -> None:
    assert init_function_name("café") == "PyInitU_caf_dma"
    extension, _findings = analyse_extension(non_ascii_module.path, non_ascii_module.site, "3.13t")
    assert extension.module == "café" and extension.errors == []
    assert (extension.gil, extension.gil_declared_by) == (GilDeclaration.NOT_USED, GilDeclaredBy.SLOT)
    with ElfImage(non_ascii_module.path) as image:
        assert image.find_exported_symbol("PyInitU_caf_dma") == SymbolLookup(True, ".gnu.hash")


def test_non_ascii_module_with_a_zeroed_bloom_filter(
    non_ascii_module: BuiltExtension, tmp_path: Path
) -> None:
    data = bytearray(non_ascii_module.path.read_bytes())
    section, _buckets, _offset, bloom_words, _chains = _gnu_layout(data)
    data[section.offset + 16 : section.offset + 16 + 8 * bloom_words] = bytes(8 * bloom_words)
    path = _write(tmp_path, non_ascii_module, data)
    detail = (
        ".gnu.hash section does not lead to PyInitU_caf_dma, which .dynsym defines as symbol "
        f"{_symbol_index(data, 'PyInitU_caf_dma')}; the dynamic loader would not find it"
    )
    _assert_unknown_with(path, DAMAGED_TABLE.format(name=path.name, detail=detail))


# -- seeded fuzz: mutated real extensions ---------------------------------------------------------
FUZZ_CORPUS = ("mp_slot_not_used", "sp_setgil_used", "cpp_mp_dynamic_slots", "sysv:mp_slot_used")
FUZZ_BATCHES = 4
FUZZ_INPUTS_PER_BATCH = 50  # 800 inputs in all: ~1.5 ms each, a couple of seconds


def _corpus_entry(name: str) -> BuiltExtension:
    if name.startswith("sysv:"):
        module = name.split(":", 1)[1]
        return build_extension(
            [FIXTURES / f"{module}.c"], module, _interpreter(), extra_flags=("-Wl,--hash-style=sysv",)
        )
    return build_fixture(name, _interpreter())


@pytest.mark.timeout(60)  # a hang guard: the batch takes well under a second
@pytest.mark.parametrize("batch", range(FUZZ_BATCHES))
@pytest.mark.parametrize("corpus", FUZZ_CORPUS)
def test_fuzzed_extensions_end_with_a_verdict_or_a_message(corpus: str, batch: int, tmp_path: Path) -> None:
    built = _corpus_entry(corpus)
    original = built.path.read_bytes()
    rng = random.Random(f"{corpus}/{batch}")  # deterministic: a failure names its seed
    path = tmp_path / built.path.name
    for number in range(FUZZ_INPUTS_PER_BATCH):
        description, data = mutations.mutate(original, rng)
        path.write_bytes(data)
        context = f"seed {corpus}/{batch}, input {number}: {description}"
        extension, _findings = analyse_extension(path, tmp_path, "3.13t")  # must not raise
        for error in extension.errors:
            assert error.startswith((path.name, "the file name says")), (context, error)
            # The reader's own messages, not the last-resort catch-all or an allocation failure.
            assert "could not be read completely" not in error and "MemoryError" not in error, (
                context,
                error,
            )
        damage = [error for error in extension.errors if not error.startswith("the file name says")]
        if damage:
            assert extension.gil == GilDeclaration.UNKNOWN, (context, extension.errors, extension.gil)
