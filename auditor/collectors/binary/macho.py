"""Reading a Mach-O extension module (macOS): a thin or universal ("fat") bundle.

LIEF parses the load commands, the export trie, and both ways dyld learns what to write
into pointers: the classic rebase/bind opcode streams of ``LC_DYLD_INFO(_ONLY)`` and the
chained fixups of ``LC_DYLD_CHAINED_FIXUPS`` (macOS 12+ linkers), where the bytes in the
file are encoded chain entries rather than the pointer (mach-o/fixup-chains.h). Both end
up here as one table, address -> :class:`~.image.Relocation`:

* a rebase is ``relative``: the target inside this image (the unslid address);
* a bind is ``glob_dat``: the imported symbol (``__got``, ``__la_symbol_ptr``,
  ``__auth_got`` entries, and data that points at an import).

Everything else is read from the raw bytes with the offsets LIEF reports: memory through
the segments (``vmaddr``/``fileoff``/``filesize``; zero fill past ``filesize``), the
``nlist_64`` symbol table and the indirect symbol table. Stubs come from the latter
(mach-o/loader.h: a ``S_SYMBOL_STUBS`` section's ``reserved1`` is its first index into
the indirect symbol table and ``reserved2`` the size of one stub), so a call to a stub is
resolved without decoding it. Function sizes come from ``LC_FUNCTION_STARTS`` (the
distance to the next start), C++ initialisers from ``__mod_init_func`` (pointers) or
``__init_offsets`` (32-bit offsets from the Mach header, newer ld64).

Mach-O C symbols carry a leading underscore (``_PyInit_foo``); names are given here in
their C spelling. In a universal binary one architecture slice is read: the one asked
for, else arm64 (every macOS wheel platform since 11 has it), else the first.
"""

from __future__ import annotations

import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .image import BinaryReadError, DynamicSymbol, Relocation, TablesReadAtOpen, describe_os_error

# mach-o/loader.h magic numbers (little-endian thin images) and mach-o/fat.h (big-endian headers).
_THIN_MAGICS = (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")
_FAT_MAGICS = (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf")
MACHO_MAGICS = _THIN_MAGICS + _FAT_MAGICS
_VM_PROT_EXECUTE = 4
_INDIRECT_SYMBOL_LOCAL = 0x80000000
_INDIRECT_SYMBOL_ABS = 0x40000000
_NLIST_64 = struct.Struct("<IBBHQ")
_MAX_NAME = 1024
_READ_ONLY_SECTIONS = {
    ("__TEXT", "__cstring"),
    ("__TEXT", "__const"),
    ("__DATA_CONST", "__const"),
    ("__DATA", "__const"),
}


@dataclass(frozen=True)
class _Segment:
    name: str
    vaddr: int
    vmsize: int
    offset: int  # in the file (slice offset included)
    filesize: int
    executable: bool


@dataclass(frozen=True)
class _Section:
    segment: str
    name: str
    kind: str  # lief.MachO.Section.TYPE member name
    address: int
    size: int
    reserved1: int
    reserved2: int


def is_macho(head: bytes) -> bool:
    return head[:4] in MACHO_MAGICS


def _lief():
    # deferred: LIEF is needed only for Mach-O and PE files; the sandboxed ELF reader runs without it
    import lief

    lief.logging.disable()  # its parser logs damaged commands to stderr; we report instead
    return lief


def _c_name(name: str) -> str:
    """``_PyInit_foo`` -> ``PyInit_foo``: C symbols get one underscore in Mach-O."""
    return name[1:] if name.startswith("_") else name


_MACHINES = {"ARM64": "aarch64", "X86_64": "x86_64"}


def _machine_of(binary) -> str:
    # A CPU type LIEF has no name for (a damaged header) warns and has no __name__.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        name = getattr(binary.header.cpu_type, "__name__", None)
    return _MACHINES.get(name, name) if name else "an unknown CPU type"


def slice_architectures(path: Path | str) -> list[str]:
    """The machines of every slice of a (possibly universal) Mach-O file, in file order."""
    lief = _lief()
    fat = lief.MachO.parse(str(path))
    if fat is None:
        return []
    return [_machine_of(binary) for binary in fat]


class MachOImage(TablesReadAtOpen):
    file_format = "Mach-O"
    operating_system = "darwin"
    export_table_name = "export trie"

    def __init__(self, path: Path | str, *, architecture: str | None = None) -> None:
        self.path = Path(path)
        try:
            with open(self.path, "rb") as stream:
                self._data = stream.read()
        except OSError as error:
            raise BinaryReadError(describe_os_error(self.path, error)) from None
        self.file_size = len(self._data)
        lief = _lief()
        fat = lief.MachO.parse(self._data)
        if fat is None or len(fat) == 0:
            raise BinaryReadError(
                f"{self.path}: a Mach-O (macOS) binary, not an ELF file, whose load commands could "
                "not be read (truncated or damaged); reinstall the package"
            )
        # Keep ``fat`` referenced while any slice is used: LIEF frees the slices with it.
        slices = list(fat)
        self.architectures = [_machine_of(each) for each in slices]
        wanted = architecture or ("aarch64" if "aarch64" in self.architectures else self.architectures[0])
        if wanted not in self.architectures:
            raise BinaryReadError(
                f"{self.path}: a Mach-O binary with slices for {', '.join(self.architectures)}, "
                f"none for {wanted}"
            )
        binary = slices[self.architectures.index(wanted)]
        self.machine = wanted
        if not binary.segments:
            raise BinaryReadError(
                f"{self.path}: a Mach-O (macOS) binary, not an ELF file, without segments "
                "(truncated or damaged); reinstall the package"
            )
        try:
            self._load(binary)
        except (AttributeError, ValueError, IndexError, struct.error) as error:
            raise BinaryReadError(
                f"{self.path}: a Mach-O binary whose tables could not be read ({type(error).__name__}: "
                f"{error}); reinstall the package"
            ) from None
        del binary, slices, fat

    # -- loading ----------------------------------------------------------------------------
    def _load(self, binary) -> None:
        base = binary.fat_offset
        self._load_layout(binary, base)
        self._load_symbols(binary)
        names = self._symbol_table_names(binary, base)
        indirect = self._indirect_symbol_table(binary, base)

        def indirect_name(index: int) -> str | None:
            if not 0 <= index < len(indirect):
                return None
            symbol = indirect[index]
            if symbol & (_INDIRECT_SYMBOL_LOCAL | _INDIRECT_SYMBOL_ABS) or symbol >= len(names):
                return None
            return _c_name(names[symbol]) or None

        self._load_relocations(binary)
        self._load_stubs(indirect_name)
        self._load_function_sizes(binary)

    def _load_layout(self, binary, base: int) -> None:
        # How dyld learns what to write into pointers (mach-o/loader.h, fixup-chains.h).
        self.fixup_format = (
            "chained fixups"
            if binary.has_dyld_chained_fixups
            else "rebase/bind opcodes"
            if binary.has_dyld_info
            else "none"
        )
        self._segments = [
            _Segment(
                segment.name,
                segment.virtual_address,
                segment.virtual_size,
                base + segment.file_offset,
                min(segment.file_size, max(0, self.file_size - base - segment.file_offset)),
                bool(segment.init_protection & _VM_PROT_EXECUTE),
            )
            for segment in binary.segments
        ]
        self._text_base = next((s.vaddr for s in self._segments if s.name == "__TEXT"), 0)
        self._sections = [
            _Section(
                section.segment_name,
                section.name,
                section.type.__name__,
                section.virtual_address,
                section.size,
                section.reserved1,
                section.reserved2,
            )
            for section in binary.sections
        ]

    def _load_symbols(self, binary) -> None:
        executable = [(s.vaddr, s.vaddr + s.vmsize) for s in self._segments if s.executable]

        def in_code(address: int) -> bool:
            return any(start <= address < end for start, end in executable)

        self._symbols: dict[str, DynamicSymbol] = {}
        for symbol in binary.exported_symbols:
            name = _c_name(symbol.name)
            self._symbols.setdefault(name, DynamicSymbol(name, symbol.value, 0, in_code(symbol.value)))
        self._imported = {_c_name(symbol.name) for symbol in binary.imported_symbols if symbol.name}
        self._libraries = [library.name for library in binary.libraries]

    def _symbol_table_names(self, binary, base: int) -> list[str]:
        # nlist_64 names by index, for the indirect symbol table (raw: LIEF's own list of
        # indirect symbols drops the LOCAL/ABS entries, which shifts every index after them).
        names: list[str] = []
        strings = b""
        if binary.has_symbol_command:
            command = binary.symbol_command
            strings_start = base + command.strings_offset
            strings = self._data[strings_start : strings_start + command.strings_size]
            table = self._data[
                base + command.symbol_offset : base + command.symbol_offset + command.numberof_symbols * 16
            ]
            for string_index, _type, _section, _desc, _value in _NLIST_64.iter_unpack(
                table[: len(table) // 16 * 16]
            ):
                end = strings.find(b"\0", string_index, string_index + _MAX_NAME)
                names.append(
                    strings[string_index : end if end >= 0 else string_index + _MAX_NAME].decode(
                        "utf-8", "replace"
                    )
                )
        self._strings = strings
        return names

    def _indirect_symbol_table(self, binary, base: int) -> list[int]:
        if not binary.has_dynamic_symbol_command:
            return []
        command = binary.dynamic_symbol_command
        start = base + command.indirect_symbol_offset
        raw = self._data[start : start + 4 * command.nb_indirect_symbols]
        return list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))

    def _load_relocations(self, binary) -> None:
        self._relocations: dict[int, Relocation] = {}
        for relocation in binary.relocations:
            address = relocation.address
            target = getattr(relocation, "target", None)
            if target is None:  # a classic rebase: the file holds the unslid target
                target = self.read_int(address, 8)
            if target is not None:
                self._relocations[address] = Relocation("relative", None, target)
        for binding in binary.bindings:
            if binding.has_symbol:
                self._relocations[binding.address] = Relocation(
                    "glob_dat", _c_name(binding.symbol.name), binding.addend
                )

    def _load_stubs(self, indirect_name) -> None:
        """Stub -> import (``__stubs``), and the pointer slots dyld binds lazily or not."""
        self._stubs: dict[int, str | None] = {}
        self._stub_ranges: list[tuple[int, int]] = []
        for section in self._sections:
            if section.kind == "SYMBOL_STUBS" and section.reserved2:
                self._stub_ranges.append((section.address, section.address + section.size))
                for number in range(section.size // section.reserved2):
                    self._stubs[section.address + number * section.reserved2] = indirect_name(
                        section.reserved1 + number
                    )
            elif section.kind in ("NON_LAZY_SYMBOL_POINTERS", "LAZY_SYMBOL_POINTERS"):
                for number in range(section.size // 8):
                    name = indirect_name(section.reserved1 + number)
                    slot = section.address + 8 * number
                    if name and slot not in self._relocations:
                        self._relocations[slot] = Relocation("glob_dat", name, 0)

    def _load_function_sizes(self, binary) -> None:
        starts: list[int] = []
        if binary.has_function_starts:
            # LC_FUNCTION_STARTS holds offsets from the start of __TEXT.
            starts = sorted({self._text_base + offset for offset in binary.function_starts.functions})
        text_end = max((s.address + s.size for s in self._sections if s.name == "__text"), default=0)
        self._function_sizes: dict[int, int] = {}
        for position, start in enumerate(starts):
            end = starts[position + 1] if position + 1 < len(starts) else max(text_end, start)
            if end > start:
                self._function_sizes[start] = end - start
        for name, symbol in list(self._symbols.items()):
            size = self._function_sizes.get(symbol.value, 0)
            if size:
                self._symbols[name] = DynamicSymbol(name, symbol.value, size, symbol.is_function)

    # -- memory ------------------------------------------------------------------------------
    def _segment_of(self, address: int, size: int) -> _Segment | None:
        for segment in self._segments:
            if segment.vaddr <= address and address + size <= segment.vaddr + segment.vmsize:
                return segment
        return None

    def read(self, address: int, size: int) -> bytes | None:
        segment = self._segment_of(address, size)
        if segment is None or size < 0:
            return None
        start = address - segment.vaddr
        in_file = max(0, min(size, segment.filesize - start))
        data = self._data[segment.offset + start : segment.offset + start + in_file] if in_file else b""
        return data + b"\0" * (size - len(data))

    def is_mapped(self, address: int, size: int) -> bool:
        return self._segment_of(address, size) is not None

    def is_executable(self, address: int) -> bool:
        segment = self._segment_of(address, 1)
        return bool(segment and segment.executable)

    def read_c_string(self, address: int, limit: int = 256) -> str | None:
        segment = self._segment_of(address, 1)
        if segment is None:
            return None
        data = self.read(address, min(limit, segment.vaddr + segment.vmsize - address))
        return None if data is None else data.split(b"\0", 1)[0].decode("utf-8", "replace")

    # -- symbols ------------------------------------------------------------------------------
    # -- code ----------------------------------------------------------------------------------
    def in_plt(self, address: int) -> bool:
        return any(start <= address < end for start, end in self._stub_ranges)

    def stub_target(self, address: int) -> str | None:
        return self._stubs.get(address)

    # -- data ----------------------------------------------------------------------------------
    def is_zero_initialised(self, address: int) -> bool:
        for section in self._sections:
            if section.address <= address < section.address + section.size:
                return section.kind in ("ZEROFILL", "GB_ZEROFILL", "THREAD_LOCAL_ZEROFILL")
        segment = self._segment_of(address, 1)
        return bool(segment and address - segment.vaddr >= segment.filesize)

    def initialiser_functions(self) -> Iterator[int]:
        for section in self._sections:
            if section.kind == "MOD_INIT_FUNC_POINTERS":
                for slot in range(section.address, section.address + min(section.size, self.file_size), 8):
                    target = self.read_pointer(slot)
                    if target is not None and target.address and self.is_executable(target.address):
                        yield target.address
            elif section.kind == "INIT_FUNC_OFFSETS":
                for slot in range(section.address, section.address + min(section.size, self.file_size), 4):
                    offset = self.read_int(slot, 4)
                    if offset is not None and self.is_executable(self._text_base + offset):
                        yield self._text_base + offset

    def read_only_data(self) -> bytes:
        parts = [
            self.read(section.address, section.size) or b""
            for section in self._sections
            if (section.segment, section.name) in _READ_ONLY_SECTIONS
        ]
        return b"\0".join([*parts, self._strings])
