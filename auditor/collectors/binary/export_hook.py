"""PEP 793 export hooks: the GIL declaration of a module that exports ``PyModExport_<name>``.

From CPython 3.15 the importer calls the hook in preference to ``PyInit_<name>`` and builds
the module from the ``PySlot`` array (PEP 820) it returns, so the declaration is read from
that array: the code reader follows the hook to its result, :mod:`.module_slots` reads it.
"""

from __future__ import annotations

from ...model.environment import GilDeclaration, GilDeclaredBy
from .code_reader import CodeReader
from .cpython_slots import PY_MOD_GIL_NOT_USED, SlotLayout, SlotNumbering
from .gil_reading import GilReading, undecided
from .image import BinaryImage
from .module_slots import read_slot_array


def read_export_hook(image: BinaryImage, hook_name: str, numbering: SlotNumbering) -> GilReading:
    """PEP 793: the importer calls ``PyModExport_<name>()`` and builds the module from the
    ``PySlot`` array it returns; ``PyInit_<name>`` is then never called."""
    style = "export-hook"
    symbol = image.symbols[hook_name]
    if image.machine not in ("x86_64", "aarch64"):
        return undecided(f"machine code for {image.machine} is not read (x86-64 and aarch64 only)", style)
    reader = CodeReader(image)
    reading = reader.read_function(symbol.value, symbol.size, follow_calls=True)
    if reading.result is None or reading.result == 0:
        problems = "; ".join(reading.problems)
        return undecided(
            f"the PySlot array {hook_name} returns could not be followed"
            + (f" ({problems})" if problems else ""),
            style,
        )
    result = read_slot_array(reader, reading, reading.result, numbering, SlotLayout.PYSLOT)
    if result.value is not None:
        return GilReading(
            GilDeclaration.NOT_USED if result.value == PY_MOD_GIL_NOT_USED else GilDeclaration.USED,
            GilDeclaredBy.SLOT,
            f"{hook_name} (PEP 793) returns {result.note}",
            style,
        )
    if result.complete:
        return GilReading(
            GilDeclaration.USED,
            GilDeclaredBy.NEVER,
            f"{hook_name} (PEP 793) returns {result.note}; the default is Py_MOD_GIL_USED",
            style,
        )
    return undecided(f"{hook_name} (PEP 793): {result.note}", style)
