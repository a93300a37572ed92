"""The values the code reader tracks, and what one reading of machine code records.

A register or a memory cell holds an integer, a :class:`Pointer` into a memory region
(the binary's own static data, a heap block an allocator returned, a stack frame), an
:class:`ImportedAddress`, a 16-byte vector as ``("vector", low, high)``, or ``None``
(not known). :class:`CodeReading` collects the calls seen and the stores into tracked
regions; :mod:`.gil_declaration` reads the slot arrays out of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pointer:
    region: tuple  # ("static",) | ("heap", n) | ("stack", n)
    offset: int

    def moved(self, delta: int) -> Pointer:
        return Pointer(self.region, self.offset + delta)


STATIC = ("static",)
INDIRECT = "<indirect>"  # CallEvent.target of a call through a register or memory


@dataclass(frozen=True)
class ImportedAddress:
    """The address of an imported object (e.g. ``&PyExc_ImportError``), not its value."""

    symbol: str


@dataclass
class CallEvent:
    target: str  # imported symbol name, or "0x…" for an internal function
    address: int  # of the call instruction
    arguments: tuple  # (first, second) argument values: int | Pointer | None
    internal: bool = False


@dataclass
class StoredValue:
    value: object  # int | Pointer | ImportedAddress | None
    size: int


@dataclass
class CodeReading:
    calls: list[CallEvent] = field(default_factory=list)
    # region -> offset -> value written by the code we read
    memory: dict[tuple, dict[int, StoredValue]] = field(default_factory=dict)
    instructions: int = 0
    truncated: bool = False  # the instruction budget ran out
    reads_of: dict[int, int] = field(default_factory=dict)  # function address -> times read
    problems: list[str] = field(default_factory=list)
    # What the function read returns at its first ``ret`` (a PEP 793 export hook returns
    # its PySlot array): int | Pointer | ImportedAddress | None when not known.
    result: object = None

    def calls_to(self, name: str) -> list[CallEvent]:
        return [call for call in self.calls if call.target == name]
