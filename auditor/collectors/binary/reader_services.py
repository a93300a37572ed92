"""What the instruction models ask of the code reader that drives them.

:mod:`.x86_64_instructions` and :mod:`.aarch64_instructions` are handed the reader that
owns them and call back into it (memory, call targets, the image). They name this
protocol rather than :class:`~.code_reader.CodeReader` so that the reader imports the
instruction models and nothing imports back: the dependency points one way even for the
type checker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from .symbolic_values import CodeReading

if TYPE_CHECKING:
    import capstone

    from .image import BinaryImage


class CodeReaderServices(Protocol):
    image: BinaryImage
    engine: capstone.Cs

    def imported_name_at_got(self, address: int) -> str | None: ...

    def got_target(self, slot: int) -> tuple[str | None, int | None]: ...

    def load(self, reading: CodeReading, pointer: object, size: int) -> object: ...

    def store(self, reading: CodeReading, pointer: object, value: object, size: int) -> None: ...

    def follow_call(
        self,
        target_address: int | None,
        target_name: str | None,
        state: dict,
        argument_registers: tuple,
        reading: CodeReading,
        depth: int,
        visited: set,
        instruction_address: int,
    ) -> object: ...
