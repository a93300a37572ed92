"""A module's ``PyModuleDef`` and slot arrays, read for the ``Py_mod_gil`` value.

``PyModuleDef_Init(&def)`` hands the importer a definition whose ``m_slots`` points to
``{int slot; void *value}`` records ending with ``{0, NULL}`` (CPython 3.13,
Include/moduleobject.h); a PEP 793 export hook returns an array of PEP 820 ``PySlot``
records instead, which may nest further arrays. The records are read through the code
reader's memory: what the init code stored (pybind11 and nanobind build the array at
run time) and otherwise the binary's static data through its relocations. An array that
is zero in the file is only believed empty when no code that may fill it was missed.

The object header of a static ``PyModuleDef`` also tells which ABI it was compiled for
(:func:`module_def_layout`), useful when a module's imports cannot.
"""

from __future__ import annotations

from .code_reader import CodeReader
from .cpython_slots import (
    GIL,
    NESTED_MODULE_DEF_SLOTS,
    PY_MOD_GIL_NOT_USED,
    PY_MOD_GIL_USED,
    PYSLOT_OPTIONAL,
    RECORD_SIZE,
    SUBSLOTS,
    SlotLayout,
    SlotNumbering,
    describe_gil_value,
    unknown_flags,
)
from .image import BinaryImage
from .symbolic_values import STATIC, CodeReading, Pointer

# offsetof(PyModuleDef, m_slots) on 64-bit platforms. PyModuleDef_Base is PyObject_HEAD
# + m_init + m_index + m_copy. The free-threaded PyObject_HEAD (Include/object.h) is
# ob_tid (8), ob_flags/ob_mutex/ob_gc_bits/ob_ref_local (2+1+1+4), ob_ref_shared (8),
# ob_type (8) = 32 bytes; the GIL one is ob_refcnt + ob_type = 16. Then m_name, m_doc,
# m_size, m_methods precede m_slots. tests/test_binary_gil.py checks both with offsetof.
# The 3.15 headers keep this layout (PEP 820 changes the records, not PyModuleDef).
M_SLOTS_OFFSET = {True: 32 + 24 + 32, False: 16 + 24 + 32}
_MAX_SLOTS = 64
_MAX_NESTING = 4  # Py_slot_subslots / Py_mod_slots levels followed


_IMMORTAL_32 = 0xFFFFFFFF  # _Py_IMMORTAL_REFCNT (GIL, 64-bit) / _Py_IMMORTAL_REFCNT_LOCAL (free-threaded)


def module_def_layout(
    reader: CodeReader, reading: CodeReading, definition: object
) -> tuple[bool | None, str]:
    """Which ABI a static ``PyModuleDef`` was compiled for, from its ``PyModuleDef_HEAD_INIT``.

    GIL 3.13 (Include/object.h): ``PyObject_HEAD_INIT`` sets ``ob_refcnt`` (offset 0) to
    ``_Py_IMMORTAL_REFCNT`` (0xFFFFFFFF on 64-bit) and ``m_name`` sits at offset 40.
    Free-threaded: ``ob_tid`` (offset 0) is 0, ``ob_ref_local`` (offset 12) is
    ``_Py_IMMORTAL_REFCNT_LOCAL`` (0xFFFFFFFF) and ``m_name`` sits at offset 56. Useful
    when a module never touches a reference count, so its imports cannot tell.
    """
    definition = _as_pointer(reader.image, definition)
    if definition is None or definition.region != STATIC:
        return None, ""
    first_word = reader.load(reading, definition, 8)
    local_refcount = reader.load(reading, definition.moved(12), 4)

    def names_a_string(offset: int) -> bool:
        name = _as_pointer(reader.image, reader.load(reading, definition.moved(offset), 8))
        if name is None or name.region != STATIC:
            return False
        text = reader.image.read_c_string(name.offset, 128)
        return bool(text) and text.replace(".", "_").replace("_", "a").isalnum()

    if first_word == 0 and local_refcount == _IMMORTAL_32 and names_a_string(M_SLOTS_OFFSET[True] - 32):
        return True, "its PyModuleDef has the free-threaded object header (ob_tid, ob_ref_local)"
    if first_word == _IMMORTAL_32 and names_a_string(M_SLOTS_OFFSET[False] - 32):
        return False, "its PyModuleDef has the GIL object header (immortal ob_refcnt)"
    return None, ""


_UNWRITTEN_ZEROS = "zero-initialised, written by no code read"


class SlotArrayResult:
    def __init__(self, value: int | None, complete: bool, note: str, unfilled: bool = False) -> None:
        self.value = value  # the Py_mod_gil value, or None when absent / unreadable
        self.complete = complete  # every record up to the zero id was read and understood
        self.note = note
        # The answer rests on memory no code was seen filling (zeros in .bss, m_slots NULL).
        self.unfilled = unfilled


def _as_pointer(image: BinaryImage, value: object) -> Pointer | None:
    if isinstance(value, Pointer):
        return value
    # Packed RELR relocations (and --apply-dynamic-relocs) leave the target in place.
    if isinstance(value, int) and value and image.read(value, 1) is not None:
        return Pointer(STATIC, value)
    return None


def _in_bss(image: BinaryImage, pointer: Pointer) -> bool:
    return pointer.region == STATIC and image.is_zero_initialised(pointer.offset)


def _written_by_code(reading: CodeReading, slots: Pointer) -> bool:
    stores = reading.memory.get(slots.region, {})
    end = slots.offset + RECORD_SIZE * _MAX_SLOTS
    return any(slots.offset <= offset < end for offset in stores)


def _where(reader: CodeReader, reading: CodeReading, slots: Pointer) -> str | SlotArrayResult:
    """Where a slot array lives, for the evidence; a result when it cannot be read at all."""
    image = reader.image
    written_by_code = _written_by_code(reading, slots)
    zero_initialised = slots.region == STATIC and _in_bss(image, slots)
    if zero_initialised and not written_by_code:
        # Zero in the file: filled by a C++ dynamic initialiser, or really just {0, NULL}.
        reader.read_initialisers(reading)
        written_by_code = _written_by_code(reading, slots)
        if not written_by_code and reading.truncated:
            return SlotArrayResult(
                None,
                False,
                f"the slot array at {slots.offset:#x} is zero-initialised memory "
                "and the code that may fill it was too long to read",
            )
    if written_by_code:
        return "built by the init code"
    if zero_initialised and not image.initialisers_known:
        # {0, NULL} in the file may still be filled by a C++ initialiser we cannot locate:
        # reading it as an empty array would call a module `used` that may declare not-used.
        return SlotArrayResult(
            None,
            False,
            f"the slot array at {slots.offset:#x} is zero-initialised memory that no code read "
            f"fills, and the {image.file_format} image's C++ initialisers are not located",
        )
    if zero_initialised:
        return _UNWRITTEN_ZEROS
    if slots.region == STATIC:
        return f"static data at {slots.offset:#x}"
    return "memory the init code allocates"


class _SlotWalk:
    """Reads one module's slot records, following nested arrays (PEP 820), into one answer."""

    def __init__(
        self, reader: CodeReader, reading: CodeReading, numbering: SlotNumbering, filled_at_run_time: bool
    ) -> None:
        self.filled_at_run_time = filled_at_run_time
        self.reader = reader
        self.reading = reading
        self.numbering = numbering
        self.gil_values: list[tuple[int, str]] = []  # (value, where)
        self.unknown_ids: list[str] = []
        self.problems: list[str] = []
        self.skipped_optional: list[int] = []
        self.records = 0
        self.top_label = ""  # the outermost array and where it lives, for the evidence
        # The outermost array is memory the code writes (a static it fills, a heap block).
        self.top_built_by_code = False
        self.top_unfilled = False  # the outermost array is zeros nothing was seen writing

    def walk(self, slots: Pointer, layout: SlotLayout, depth: int = 0) -> None:
        where = _where(self.reader, self.reading, slots)
        if isinstance(where, SlotArrayResult):
            self.problems.append(where.note)
            return
        label = f"{layout.value} array ({where})" if depth == 0 else f"nested {layout.value} array ({where})"
        if not self.top_label:
            self.top_built_by_code = where == "built by the init code" or slots.region != STATIC
            self.top_unfilled = where == _UNWRITTEN_ZEROS
        self.top_label = self.top_label or label
        for index in range(_MAX_SLOTS):
            entry = slots.moved(index * RECORD_SIZE)
            head = self.reader.load(self.reading, entry, 4)
            if not isinstance(head, int):
                self.problems.append(f"record {index} of the {label} could not be read")
                return
            if layout is SlotLayout.PYSLOT:
                slot_id, flags = head & 0xFFFF, head >> 16
            else:
                slot_id, flags = (head - (1 << 32) if head >= 1 << 31 else head), 0
            if slot_id == 0:
                return
            self.records += 1
            value = self.reader.load(self.reading, entry.moved(8), 8)
            self._record(slot_id, flags, value, index, label, layout, depth)
        self.problems.append(f"no zero-id terminator within {_MAX_SLOTS} records ({label})")

    def _record(
        self, slot_id: int, flags: int, value: object, index: int, label: str, layout: SlotLayout, depth: int
    ) -> None:
        name = self.numbering.name(slot_id) if 0 < slot_id <= 0xFFFF else None
        if layout is SlotLayout.PYSLOT and unknown_flags(flags):
            self.problems.append(
                f"record {index} of the {label} has flags {flags:#x} the headers do not define"
            )
            return
        if name is None:
            if layout is SlotLayout.PYSLOT and flags & PYSLOT_OPTIONAL:
                # PySlot_OPTIONAL: an interpreter that does not know the id skips it. It
                # cannot be Py_mod_gil, whose id every release with PySlot knows.
                self.skipped_optional.append(slot_id)
                return
            self.unknown_ids.append(self.numbering.describe_unknown(slot_id))
            return
        if name == GIL:
            if isinstance(value, int) and value in (PY_MOD_GIL_USED, PY_MOD_GIL_NOT_USED):
                self.gil_values.append((value, f"slot id {slot_id} in record {index} of the {label}"))
            else:
                self.problems.append(f"a Py_mod_gil slot ({label}) whose value is not a constant")
            return
        if name in (SUBSLOTS, NESTED_MODULE_DEF_SLOTS):
            nested = _as_pointer(self.reader.image, value)
            if depth >= _MAX_NESTING:
                self.problems.append(f"slot arrays nested deeper than {_MAX_NESTING} ({label})")
            elif nested is None:
                self.problems.append(f"the {name} pointer in record {index} of the {label} could not be read")
            else:
                nested_layout = SlotLayout.PYSLOT if name == SUBSLOTS else SlotLayout.MODULE_DEF_SLOT
                self.walk(nested, nested_layout, depth + 1)

    def result(self) -> SlotArrayResult:
        if self.unknown_ids:
            return SlotArrayResult(
                None,
                False,
                f"slot ids the reader does not know for the {self.numbering.release} ABI: "
                + ", ".join(self.unknown_ids),
            )
        values = {value for value, _where_text in self.gil_values}
        if len(values) > 1:
            return SlotArrayResult(None, False, "Py_mod_gil is given twice with different values")
        if self.gil_values:
            value, where = self.gil_values[0]
            note = f"{{Py_mod_gil, {describe_gil_value(value)}}} ({where})"
            return SlotArrayResult(value, True, note)
        if self.problems:
            return SlotArrayResult(None, False, "; ".join(self.problems))
        if self.records == 0 and self.filled_at_run_time and self.top_unfilled:
            # An all-zero array in .bss that nothing was seen filling, in a module whose
            # generator fills its slots at run time (pybind11's guarded static): zeros mean
            # the stores were missed, not that it declares nothing. Unknown, not a guess. (A
            # C module's own `{{0, NULL}}` array is zero in the file too, and is believed.)
            return SlotArrayResult(
                None,
                False,
                f"the {self.top_label} holds no slot in the file and the code that fills it was not found",
            )
        if not self.records and self.top_built_by_code:
            # Memory the code writes, yet not one record seen filled: the filling code is
            # elsewhere (a callee, a guarded static initialiser read in another order), so
            # this is no proof of an empty array. macOS pybind11 modules zero a neighbour
            # in PyInit and fill the slots in an outlined function after PyModuleDef_Init.
            return SlotArrayResult(
                None,
                False,
                f"the {self.top_label} is zero until code fills it, and no record of it was "
                "seen written by the code read",
            )
        skipped = (
            f"; optional ids {', '.join(map(str, self.skipped_optional))} skipped"
            if self.skipped_optional
            else ""
        )
        return SlotArrayResult(
            None,
            True,
            f"{self.records} slots read with the {self.numbering.release} ids in the {self.top_label}"
            f"{skipped}, none is Py_mod_gil",
            unfilled=self.top_unfilled,
        )


def read_slot_array(
    reader: CodeReader,
    reading: CodeReading,
    slots: object,
    numbering: SlotNumbering,
    layout: SlotLayout = SlotLayout.MODULE_DEF_SLOT,
    filled_at_run_time: bool = False,
) -> SlotArrayResult:
    """Read a slot array (and the arrays it nests) for the Py_mod_gil value, with ``numbering``'s ids."""
    if slots == 0:
        return SlotArrayResult(None, True, "m_slots is NULL", unfilled=True)
    pointer = _as_pointer(reader.image, slots)
    if pointer is None:
        return SlotArrayResult(None, False, "the slot array pointer could not be read")
    walk = _SlotWalk(reader, reading, numbering, filled_at_run_time)
    walk.walk(pointer, layout)
    return walk.result()


def read_module_def_slots(
    reader: CodeReader,
    reading: CodeReading,
    definition: object,
    numbering: SlotNumbering,
    filled_at_run_time: bool = False,
) -> SlotArrayResult:
    """The slots of the ``PyModuleDef`` passed to ``PyModuleDef_Init``."""
    definition = _as_pointer(reader.image, definition)
    if definition is None:
        return SlotArrayResult(None, False, "the PyModuleDef passed to PyModuleDef_Init could not be located")
    slots = reader.load(reading, definition.moved(M_SLOTS_OFFSET[True]), 8)
    if slots is None:
        return SlotArrayResult(None, False, "the PyModuleDef's m_slots pointer could not be read")
    return read_slot_array(reader, reading, slots, numbering, filled_at_run_time=filled_at_run_time)
