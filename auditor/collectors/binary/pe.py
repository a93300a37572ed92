"""Reading a PE/COFF extension module (Windows ``.pyd``, x64 and arm64).

LIEF parses the headers, the export table, the import descriptors (one per DLL, with
the RVA of each function's Import Address Table slot), the delay-load descriptors and
the base relocations. The rest is read from the raw bytes here:

* Addresses are RVAs. Code addresses are RVAs, and an absolute pointer in data is
  ``ImageBase + RVA`` with an ``IMAGE_REL_BASED_DIR64`` base relocation on its slot, so
  such a slot reads as a ``relative`` relocation to the RVA (PE format, "The .reloc
  Section").
* An IAT slot reads as a ``jump_slot`` relocation to the imported name: MSVC calls a
  ``__declspec(dllimport)`` function with ``call [rip + slot]`` (x64) or ``adrp/ldr/blr``
  (arm64); without dllimport the linker adds a thunk ``jmp [rip + slot]`` (x64) or
  ``adrp x16; ldr x16, [x16, #off]; br x16`` (arm64), which :meth:`PeImage.stub_target`
  decodes.
* Function sizes come from the exception directory (``.pdata``): x64
  ``RUNTIME_FUNCTION`` records (begin, end, unwind info); arm64 ``.pdata`` records are
  (begin, unwind word) with the length packed in the word (Flag 1 or 2: bits 2-12, in
  4-byte units) or in the first word of the ``.xdata`` record it points to (Flag 0:
  bits 0-17, in 4-byte units) ("ARM64 exception handling", Microsoft Learn).

The DLLs a module imports say which CPython built it: ``python314t.dll`` is the
free-threaded 3.14 runtime, ``python314.dll`` the GIL one, ``python3.dll`` the stable
ABI and ``python3t.dll`` its free-threaded form (PEP 803).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .image import BinaryReadError, DynamicSymbol, Relocation, TablesReadAtOpen, describe_os_error

_IMAGE_SCN_CNT_UNINITIALIZED_DATA = 0x00000080
_IMAGE_SCN_MEM_EXECUTE = 0x20000000
_MACHINES = {"AMD64": "x86_64", "ARM64": "aarch64"}
_READ_ONLY_SECTIONS = (".rdata", ".rodata")


def is_pe(head: bytes) -> bool:
    return head[:2] == b"MZ"


@dataclass(frozen=True)
class _Section:
    name: str
    address: int  # RVA
    mapped_size: int  # what the loader maps (VirtualSize, else the raw size)
    offset: int
    raw_size: int
    characteristics: int


def _lief():
    # deferred: LIEF is needed only for Mach-O and PE files; the sandboxed ELF reader runs without it
    import lief

    lief.logging.disable()
    return lief


class PeImage(TablesReadAtOpen):
    file_format = "PE"
    operating_system = "windows"
    export_table_name = "export table"
    initialisers_known = False  # see BinaryImage.initialisers_known

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            with open(self.path, "rb") as stream:
                self._data = stream.read()
        except OSError as error:
            raise BinaryReadError(describe_os_error(self.path, error)) from None
        self.file_size = len(self._data)
        lief = _lief()
        config = lief.PE.ParserConfig()
        config.parse_rsrc = False
        config.parse_signature = False
        config.parse_exceptions = False  # .pdata is decoded below, in a few lines
        binary = lief.PE.parse(self._data, config)
        if binary is None:
            raise BinaryReadError(
                f"{self.path}: a PE (Windows) binary, not an ELF file, whose headers could not be read "
                "(truncated or damaged); reinstall the package"
            )
        machine = binary.header.machine.__name__
        self.machine = _MACHINES.get(machine, machine)
        try:
            self._load(binary)
        except (AttributeError, ValueError, IndexError, struct.error) as error:
            raise BinaryReadError(
                f"{self.path}: a PE binary whose tables could not be read ({type(error).__name__}: {error}); "
                "reinstall the package"
            ) from None
        del binary

    def _load(self, binary) -> None:
        lief = _lief()
        self.image_base = binary.optional_header.imagebase
        if binary.optional_header.magic != lief.PE.PE_TYPE.PE32_PLUS:
            raise BinaryReadError(
                f"{self.path}: a 32-bit PE binary (win32); only 64-bit Windows modules (x64, arm64) are read"
            )
        self._sections = [
            _Section(
                section.name,
                section.virtual_address,
                section.virtual_size or section.size,
                section.offset,
                min(section.size, max(0, self.file_size - section.offset)),
                section.characteristics,
            )
            for section in binary.sections
        ]
        self._symbols: dict[str, DynamicSymbol] = {}
        self._relocations: dict[int, Relocation] = {}
        self._imported: set[str] = set()
        self._libraries: list[str] = []
        self._load_exports(binary)
        self._load_imports(binary)
        self._load_base_relocations(binary, lief.PE.RelocationEntry.BASE_TYPES.DIR64)
        self._function_sizes = self._read_pdata(binary)
        for name, symbol in list(self._symbols.items()):
            size = self._function_sizes.get(symbol.value, 0)
            if size:
                self._symbols[name] = DynamicSymbol(name, symbol.value, size, symbol.is_function)
        self._thunks: dict[int, str | None] = {}

    def _load_exports(self, binary) -> None:
        if binary.has_exports:
            for entry in binary.get_export().entries:
                if entry.name and not entry.is_extern:  # not a forwarder to another DLL
                    self._symbols.setdefault(
                        entry.name,
                        DynamicSymbol(entry.name, entry.address, 0, self.is_executable(entry.address)),
                    )

    def _load_imports(self, binary) -> None:
        """Imported names, their DLLs, and each name's IAT slot as a ``jump_slot`` relocation."""
        for delayed, descriptors in (
            (False, binary.imports),
            (True, binary.delay_imports if binary.has_delay_imports else []),
        ):
            for library in descriptors:
                self._libraries.append(library.name)
                for number, entry in enumerate(library.entries):
                    if entry.is_ordinal or not entry.name:
                        continue
                    self._imported.add(entry.name)
                    # A delay-load descriptor's IAT is one 8-byte slot per entry, in order
                    # (PE format, "Delay-Load Import Tables").
                    slot = library.iat + 8 * number if delayed else entry.iat_address
                    if slot:
                        self._relocations[slot] = Relocation("jump_slot", entry.name, 0)

    def _load_base_relocations(self, binary, dir64) -> None:
        """Absolute pointers the loader rebases, kept as RVAs (what code addresses are)."""
        for block in binary.relocations:
            for entry in block.entries:
                if entry.type != dir64 or entry.address in self._relocations:
                    continue
                raw = self.read_int(entry.address, 8)
                if raw is not None and raw >= self.image_base:
                    self._relocations[entry.address] = Relocation("relative", None, raw - self.image_base)

    def _read_pdata(self, binary) -> dict[int, int]:
        lief = _lief()
        directory = binary.data_directory(lief.PE.DataDirectory.TYPES.EXCEPTION_TABLE)
        if directory is None or not directory.size:
            return {}
        data = self.read(directory.rva, directory.size) or b""
        # (begin, end, continues the function before it): MSVC splits a function into
        # records, the later ones chained to the first, and places them right after it.
        records: list[tuple[int, int, bool]] = []
        if self.machine == "x86_64":
            for begin, end, unwind in struct.iter_unpack("<III", data[: len(data) // 12 * 12]):
                # UNWIND_INFO byte 0: version (3 bits), flags (5 bits); UNW_FLAG_CHAININFO = 4.
                header = self.read_int(unwind, 1)
                records.append((begin, end, bool(header is not None and (header >> 3) & 4)))
        elif self.machine == "aarch64":
            for begin, unwind in struct.iter_unpack("<II", data[: len(data) // 8 * 8]):
                flag = unwind & 3
                if flag in (1, 2):
                    # Flag 2: packed data of code without prolog, a function's later fragment.
                    records.append((begin, begin + ((unwind >> 2) & 0x7FF) * 4, flag == 2))
                elif flag == 0:
                    length, fragment = self._arm64_xdata(unwind)
                    records.append((begin, begin + length, fragment))
        records.sort()
        sizes: dict[int, int] = {}
        current: int | None = None
        reach = 0
        for begin, end, continuation in records:
            if continuation and current is not None and begin <= reach:
                reach = max(reach, end)
                sizes[current] = reach - current
                continue
            if end > begin and not continuation:
                current, reach = begin, end
                sizes.setdefault(begin, end - begin)
            else:
                current = None
        return sizes

    def _arm64_xdata(self, address: int) -> tuple[int, bool]:
        """(function length, is a later fragment) from an arm64 ``.xdata`` record.

        Header word: FunctionLength (bits 0-17, 4-byte units), E (bit 21), Epilog Count
        (22-26), Code Words (27-31); both counts 0 means an extension word follows. Then the
        epilog scopes (none when E is set), then the unwind codes of the prolog, ending with
        ``end`` (0xE4). A fragment's codes say ``end_c`` (0xE5) first: what follows unwinds
        the function it continues ("ARM64 exception handling", Microsoft Learn).
        """
        header = self.read_int(address, 4)
        if header is None:
            return 0, False
        length = (header & 0x3FFFF) * 4
        epilogs, code_words = (header >> 22) & 0x1F, header >> 27
        position = address + 4
        if not epilogs and not code_words:
            extension = self.read_int(position, 4) or 0
            epilogs, code_words = extension & 0xFFFF, (extension >> 16) & 0xFF
            position += 4
        if not (header >> 21) & 1:
            position += 4 * epilogs
        codes = self.read(position, 4 * code_words) or b""
        index = 0
        while index < len(codes):
            code = codes[index]
            if code == 0xE4:
                return length, False
            if code == 0xE5:
                return length, True
            index += 1 if code < 0xC0 else 2 if code < 0xE0 else {0xE0: 4, 0xE2: 2, 0xE7: 3}.get(code, 1)
        return length, False

    # -- memory ------------------------------------------------------------------------------
    def _section_of(self, address: int, size: int) -> _Section | None:
        for section in self._sections:
            if section.address <= address and address + size <= section.address + section.mapped_size:
                return section
        return None

    def read(self, address: int, size: int) -> bytes | None:
        section = self._section_of(address, size)
        if section is None or size < 0:
            return None
        start = address - section.address
        in_file = max(0, min(size, section.raw_size - start))
        data = self._data[section.offset + start : section.offset + start + in_file] if in_file else b""
        return data + b"\0" * (size - len(data))

    def is_mapped(self, address: int, size: int) -> bool:
        return self._section_of(address, size) is not None

    def is_executable(self, address: int) -> bool:
        section = self._section_of(address, 1)
        return bool(section and section.characteristics & _IMAGE_SCN_MEM_EXECUTE)

    def read_c_string(self, address: int, limit: int = 256) -> str | None:
        section = self._section_of(address, 1)
        if section is None:
            return None
        data = self.read(address, min(limit, section.address + section.mapped_size - address))
        return None if data is None else data.split(b"\0", 1)[0].decode("utf-8", "replace")

    # -- symbols ------------------------------------------------------------------------------
    # -- code ----------------------------------------------------------------------------------
    def in_plt(self, address: int) -> bool:
        return self.stub_target(address) is not None

    def stub_target(self, address: int) -> str | None:
        if address not in self._thunks:
            self._thunks[address] = self._decode_thunk(address)
        return self._thunks[address]

    def _decode_thunk(self, address: int) -> str | None:
        code = self.read(address, 12)
        if not code:
            return None
        slot = None
        if self.machine == "x86_64":
            # jmp qword ptr [rip + disp32]: FF 25 disp32, optionally with a REX.W prefix.
            start = 1 if code[0] == 0x48 else 0
            if code[start : start + 2] == b"\xff\x25":
                displacement = struct.unpack_from("<i", code, start + 2)[0]
                slot = address + start + 6 + displacement
        elif self.machine == "aarch64":
            adrp, load, branch = struct.unpack("<3I", code)
            # adrp x16, page; ldr x16, [x16, #offset]; br x16 (Arm A64 encodings).
            if adrp & 0x9F00001F == 0x90000010 and load & 0xFFC003FF == 0xF9400210 and branch == 0xD61F0200:
                immediate = ((adrp >> 29) & 3) | (((adrp >> 5) & 0x7FFFF) << 2)
                if immediate & (1 << 20):
                    immediate -= 1 << 21
                page = (address & ~0xFFF) + (immediate << 12)
                slot = page + ((load >> 10) & 0xFFF) * 8
        if slot is None:
            return None
        relocation = self._relocations.get(slot)
        return relocation.symbol if relocation is not None and relocation.kind == "jump_slot" else None

    # -- data ----------------------------------------------------------------------------------
    def is_zero_initialised(self, address: int) -> bool:
        section = self._section_of(address, 1)
        if section is None:
            return False
        return bool(
            section.characteristics & _IMAGE_SCN_CNT_UNINITIALIZED_DATA
            or address - section.address >= section.raw_size
        )

    def initialiser_functions(self) -> Iterator[int]:
        return iter(())

    def read_only_data(self) -> bytes:
        return b"\0".join(
            self.read(section.address, section.mapped_size) or b""
            for section in self._sections
            if section.name in _READ_ONLY_SECTIONS
        )
