"""Module slot ids and slot-array layouts, per CPython release: what a binary's bytes mean.

A module's definition reaches the importer as an array of 16-byte records ending with a
zero id. Two record layouts exist (both 16 bytes on 64-bit platforms, value at offset 8):

* ``PyModuleDef_Slot`` (Include/moduleobject.h, 3.5+): ``{int slot; void *value;}`` with
  4 bytes of padding after ``slot``.
* ``PySlot`` (PEP 820, Include/slots.h, 3.15+): ``{uint16_t sl_id; uint16_t sl_flags;
  uint32_t sl_reserved; union {...};}``, where ``sl_flags`` tags the union
  (``PySlot_INTPTR``: a pointer that holds an integer) and may say ``PySlot_OPTIONAL``
  (an id the interpreter does not know is skipped instead of failing the import).

The ids depend on the headers the module was compiled against, never on the
interpreter that reads this module:

* 3.13 and 3.14 (Include/moduleobject.h): ``Py_mod_create`` 1, ``Py_mod_exec`` 2,
  ``Py_mod_multiple_interpreters`` 3, ``Py_mod_gil`` 4 (``_Py_mod_LAST_SLOT`` 4). Any
  other id makes ``PyModule_FromDefAndSpec2`` fail the import.
* 3.15 (PEP 820, Include/slots_generated.h, generated from Python/slots.toml): one
  numbering shared by type and module slots. ``_Py_SLOT_COMPAT_VALUE(OLD, NEW)`` makes the
  3.15 headers emit the new ids (``Py_mod_create`` 84, ``Py_mod_exec`` 85,
  ``Py_mod_multiple_interpreters`` 86, ``Py_mod_gil`` 87) unless ``Py_LIMITED_API`` names
  an older release, which keeps 1-4; the 3.15 importer resolves 1-4 as "compat" ids by
  the kind of object being made, so both sets mean the same in a module. New module
  slots (``Py_mod_name`` 100 ... ``Py_mod_token`` 110) and nesting (``Py_slot_subslots``
  92: another ``PySlot`` array; ``Py_mod_slots`` 94: a ``PyModuleDef_Slot`` array) are
  3.15-only. Ids of type slots are known but make a module definition fail.

The values of ``Py_mod_gil`` are the same everywhere: ``Py_MOD_GIL_USED`` is 0 and
``Py_MOD_GIL_NOT_USED`` is 1 (``(void *)1`` in a ``PyModuleDef_Slot``; in a ``PySlot``
``PySlot_DATA`` stores the same word with ``PySlot_INTPTR``, ``PySlot_UINT64`` without).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

RECORD_SIZE = 16
PY_MOD_GIL_USED = 0
PY_MOD_GIL_NOT_USED = 1

# Include/slots.h (3.15): the sl_flags bits.
PYSLOT_OPTIONAL = 0x0001
PYSLOT_STATIC = 0x0002
PYSLOT_INTPTR = 0x0004
_PYSLOT_KNOWN_FLAGS = PYSLOT_OPTIONAL | PYSLOT_STATIC | PYSLOT_INTPTR


class SlotLayout(Enum):
    MODULE_DEF_SLOT = "PyModuleDef_Slot"
    PYSLOT = "PySlot"


# Canonical names of what a module slot does; compat ids resolve to these.
GIL = "Py_mod_gil"
SUBSLOTS = "Py_slot_subslots"
NESTED_MODULE_DEF_SLOTS = "Py_mod_slots"

_MODULE_SLOTS_313 = {
    1: "Py_mod_create",
    2: "Py_mod_exec",
    3: "Py_mod_multiple_interpreters",
    4: GIL,
}
# Include/slots_generated.h (3.15.0): module ("mod") and generic ("slot") kinds.
_MODULE_SLOTS_315 = {
    **_MODULE_SLOTS_313,  # kind 'compat': resolved to the module slot of the same meaning
    84: "Py_mod_create",
    85: "Py_mod_exec",
    86: "Py_mod_multiple_interpreters",
    87: GIL,
    92: SUBSLOTS,
    94: NESTED_MODULE_DEF_SLOTS,
    100: "Py_mod_name",
    101: "Py_mod_doc",
    102: "Py_mod_state_size",
    103: "Py_mod_methods",
    104: "Py_mod_state_traverse",
    105: "Py_mod_state_clear",
    106: "Py_mod_state_free",
    109: "Py_mod_abi",
    110: "Py_mod_token",
}
# The same header's type slots (5-83, 88-91, 93 Py_tp_slots, 95-99, 107-108): known
# ids, but not ones a module definition may carry.
_TYPE_SLOT_IDS_315 = frozenset({*range(5, 84), *range(88, 92), 93, *range(95, 100), 107, 108})


@dataclass(frozen=True)
class SlotNumbering:
    """The module slot ids one release's headers define."""

    release: str  # "3.13", "3.15", or "3.13-3.15" when the binary's release is not known
    module_slots: dict[int, str]
    type_slots: frozenset[int]
    has_pyslot: bool  # PySlot arrays and PyModExport hooks exist (PEP 820, PEP 793)

    def name(self, slot_id: int) -> str | None:
        return self.module_slots.get(slot_id)

    def describe_unknown(self, slot_id: int) -> str:
        if slot_id in self.type_slots:
            return f"{slot_id} (a type slot in the {self.release} headers, not a module slot)"
        return f"{slot_id} (not defined by the {self.release} headers)"


NUMBERING_313 = SlotNumbering("3.13", _MODULE_SLOTS_313, frozenset(), False)
NUMBERING_314 = SlotNumbering("3.14", _MODULE_SLOTS_313, frozenset(), False)
NUMBERING_315 = SlotNumbering("3.15", _MODULE_SLOTS_315, _TYPE_SLOT_IDS_315, True)
_BY_RELEASE = {(3, 13): NUMBERING_313, (3, 14): NUMBERING_314, (3, 15): NUMBERING_315}
NEWEST_KNOWN_RELEASE = max(_BY_RELEASE)
# Where the release is unknown (a bare NAME.so): every id above means the same thing in
# every release that defines it, so their union reads any of them without guessing.
NUMBERING_ANY = SlotNumbering("3.13-3.15", _MODULE_SLOTS_315, _TYPE_SLOT_IDS_315, True)


def numbering_for(release: tuple[int, int] | None) -> SlotNumbering | None:
    """The ids a binary compiled against ``release``'s headers uses; None: a release we do not know.

    A release newer than the newest we know may have added ids we cannot read, so it gets
    no numbering at all rather than a guess.
    """
    if release is None:
        return NUMBERING_ANY
    return _BY_RELEASE.get(release)


def unknown_flags(flags: int) -> int:
    return flags & ~_PYSLOT_KNOWN_FLAGS


def describe_gil_value(value: int) -> str:
    return {PY_MOD_GIL_USED: "Py_MOD_GIL_USED", PY_MOD_GIL_NOT_USED: "Py_MOD_GIL_NOT_USED"}.get(
        value, hex(value)
    )


def export_hook_name(module_leaf: str) -> str:
    """PEP 793: ``PyModExport_<name>``; non-ASCII names use ``PyModExportU_<punycode>`` like PEP 489."""
    if module_leaf.isascii():
        return f"PyModExport_{module_leaf}"
    return "PyModExportU_" + module_leaf.encode("punycode").decode("ascii").replace("-", "_")
