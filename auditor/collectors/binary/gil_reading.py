"""One answer to "does this module declare Py_mod_gil, and how do we know": :class:`GilReading`.

Shared by the readers that decide it (:mod:`.gil_declaration` from the init function's
calls and slots, :mod:`.export_hook` from a PEP 793 export hook).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model.environment import GilDeclaration, GilDeclaredBy
from .cpython_slots import PY_MOD_GIL_NOT_USED


@dataclass
class GilReading:
    gil: GilDeclaration
    declared_by: GilDeclaredBy
    evidence: str
    init_style: str = "unknown"
    # What the static PyModuleDef's object header says about the ABI (None: not seen).
    def_layout_free_threaded: bool | None = None
    def_layout_evidence: str = ""
    # "Never declared" read from slots that are zero in the file and that no code read
    # filled: true only if no callee fills them, so worth a reading with the callees.
    from_unfilled_memory: bool = False


def undecided(evidence: str, init_style: str = "unknown") -> GilReading:
    """No verdict: the evidence says what could not be read."""
    return GilReading(GilDeclaration.UNKNOWN, GilDeclaredBy.UNDETERMINED, evidence, init_style)


def verdict(value: int) -> GilDeclaration:
    """The declaration a ``Py_mod_gil`` / ``PyUnstable_Module_SetGIL`` value makes."""
    return GilDeclaration.NOT_USED if value == PY_MOD_GIL_NOT_USED else GilDeclaration.USED
