"""Does an extension module declare that it runs without the GIL? Read from its binary.

The facts (CPython 3.13, Include/moduleobject.h and Objects/moduleobject.c):

* ``Py_mod_gil`` is slot id 4; its value ``Py_MOD_GIL_USED`` is ``(void *)0`` and
  ``Py_MOD_GIL_NOT_USED`` is ``(void *)1``. A multi-phase module (PEP 489) returns
  ``PyModuleDef_Init(&def)`` from ``PyInit_<name>``; ``def.m_slots`` points to an array of
  ``{int slot; void *value}`` ending with ``{0, NULL}``. No ``Py_mod_gil`` slot means
  ``Py_MOD_GIL_USED`` (``PyModule_FromDefAndSpec2`` starts from it).
* A single-phase module declares with ``PyUnstable_Module_SetGIL(module, value)``
  (only declared when ``Py_GIL_DISABLED``). Not calling it means the GIL is used.
* Only the free-threaded build reads the declaration: a GIL build keeps its GIL.

Where the slot array or the value lives in static data we read it through the
relocations; where code builds it (pybind11, nanobind) :mod:`.code_reader` follows the
init function. An import of ``PyUnstable_Module_SetGIL`` alone proves nothing: Cython
and PyO3 call it with either value, so the value itself must be read.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...model.environment import GilDeclaration, GilDeclaredBy
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
    export_hook_name,
    numbering_for,
    unknown_flags,
)
from .generators import GeneratorInfo
from .image import BinaryImage
from .symbolic_values import INDIRECT, STATIC, CodeReading, Pointer

# offsetof(PyModuleDef, m_slots) on 64-bit platforms. PyModuleDef_Base is PyObject_HEAD
# + m_init + m_index + m_copy. The free-threaded PyObject_HEAD (Include/object.h) is
# ob_tid (8), ob_flags/ob_mutex/ob_gc_bits/ob_ref_local (2+1+1+4), ob_ref_shared (8),
# ob_type (8) = 32 bytes; the GIL one is ob_refcnt + ob_type = 16. Then m_name, m_doc,
# m_size, m_methods precede m_slots. tests/test_binary_gil.py checks both with offsetof.
# The 3.15 headers keep this layout (PEP 820 changes the records, not PyModuleDef).
M_SLOTS_OFFSET = {True: 32 + 24 + 32, False: 16 + 24 + 32}
_MAX_SLOTS = 64
_MAX_NESTING = 4  # Py_slot_subslots / Py_mod_slots levels followed
_SET_GIL = "PyUnstable_Module_SetGIL"
_DEF_INIT = "PyModuleDef_Init"
_FUNCTION_FROM_ANOTHER_MODULE = frozenset({"PyCapsule_GetPointer", "PyCapsule_Import"})
_SINGLE_PHASE_CREATORS = ("PyModule_Create2", "PyModule_Create", "_PyModule_CreateInitialized")


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


def _may_declare_elsewhere(name: str) -> bool:
    if name == "?":
        return True
    return name.startswith("_Z") and not name.startswith(
        ("_ZNSt", "_ZSt", "_ZNKSt", "_Znw", "_Zna", "_Zdl", "_Zda")
    )


def _reaches_a_declaration(reading: CodeReading) -> bool:
    return any(call.target in (_SET_GIL, _DEF_INIT) for call in reading.calls)


def _verdict(value: int) -> GilDeclaration:
    return GilDeclaration.NOT_USED if value == PY_MOD_GIL_NOT_USED else GilDeclaration.USED


def init_function_name(module_leaf: str) -> str:
    """PEP 489: ``PyInit_<name>``; non-ASCII names use ``PyInitU_<punycode>``."""
    if module_leaf.isascii():
        return f"PyInit_{module_leaf}"
    return "PyInitU_" + module_leaf.encode("punycode").decode("ascii").replace("-", "_")


_UNWRITTEN_ZEROS = "zero-initialised, written by no code read"


class _SlotArrayResult:
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


def _where(reader: CodeReader, reading: CodeReading, slots: Pointer) -> str | _SlotArrayResult:
    """Where a slot array lives, for the evidence; a result when it cannot be read at all."""
    image = reader.image
    written_by_code = _written_by_code(reading, slots)
    zero_initialised = slots.region == STATIC and _in_bss(image, slots)
    if zero_initialised and not written_by_code:
        # Zero in the file: filled by a C++ dynamic initialiser, or really just {0, NULL}.
        reader.read_initialisers(reading)
        written_by_code = _written_by_code(reading, slots)
        if not written_by_code and reading.truncated:
            return _SlotArrayResult(
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
        return _SlotArrayResult(
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
        if isinstance(where, _SlotArrayResult):
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

    def result(self) -> _SlotArrayResult:
        if self.unknown_ids:
            return _SlotArrayResult(
                None,
                False,
                f"slot ids the reader does not know for the {self.numbering.release} ABI: "
                + ", ".join(self.unknown_ids),
            )
        values = {value for value, _where_text in self.gil_values}
        if len(values) > 1:
            return _SlotArrayResult(None, False, "Py_mod_gil is given twice with different values")
        if self.gil_values:
            value, where = self.gil_values[0]
            note = f"{{Py_mod_gil, {describe_gil_value(value)}}} ({where})"
            return _SlotArrayResult(value, True, note)
        if self.problems:
            return _SlotArrayResult(None, False, "; ".join(self.problems))
        if self.records == 0 and self.filled_at_run_time and self.top_unfilled:
            # An all-zero array in .bss that nothing was seen filling, in a module whose
            # generator fills its slots at run time (pybind11's guarded static): zeros mean
            # the stores were missed, not that it declares nothing. Unknown, not a guess. (A
            # C module's own `{{0, NULL}}` array is zero in the file too, and is believed.)
            return _SlotArrayResult(
                None,
                False,
                f"the {self.top_label} holds no slot in the file and the code that fills it was not found",
            )
        if not self.records and self.top_built_by_code:
            # Memory the code writes, yet not one record seen filled: the filling code is
            # elsewhere (a callee, a guarded static initialiser read in another order), so
            # this is no proof of an empty array. macOS pybind11 modules zero a neighbour
            # in PyInit and fill the slots in an outlined function after PyModuleDef_Init.
            return _SlotArrayResult(
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
        return _SlotArrayResult(
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
) -> _SlotArrayResult:
    """Read a slot array (and the arrays it nests) for the Py_mod_gil value, with ``numbering``'s ids."""
    if slots == 0:
        return _SlotArrayResult(None, True, "m_slots is NULL", unfilled=True)
    pointer = _as_pointer(reader.image, slots)
    if pointer is None:
        return _SlotArrayResult(None, False, "the slot array pointer could not be read")
    walk = _SlotWalk(reader, reading, numbering, filled_at_run_time)
    walk.walk(pointer, layout)
    return walk.result()


def read_module_def_slots(
    reader: CodeReader,
    reading: CodeReading,
    definition: object,
    numbering: SlotNumbering,
    filled_at_run_time: bool = False,
) -> _SlotArrayResult:
    """The slots of the ``PyModuleDef`` passed to ``PyModuleDef_Init``."""
    definition = _as_pointer(reader.image, definition)
    if definition is None:
        return _SlotArrayResult(
            None, False, "the PyModuleDef passed to PyModuleDef_Init could not be located"
        )
    slots = reader.load(reading, definition.moved(M_SLOTS_OFFSET[True]), 8)
    if slots is None:
        return _SlotArrayResult(None, False, "the PyModuleDef's m_slots pointer could not be read")
    return read_slot_array(reader, reading, slots, numbering, filled_at_run_time=filled_at_run_time)


def _undecided(evidence: str, init_style: str = "unknown") -> GilReading:
    return GilReading(GilDeclaration.UNKNOWN, GilDeclaredBy.UNDETERMINED, evidence, init_style)


def _read_export_hook(image: BinaryImage, hook_name: str, numbering: SlotNumbering) -> GilReading:
    """PEP 793: the importer calls ``PyModExport_<name>()`` and builds the module from the
    ``PySlot`` array it returns; ``PyInit_<name>`` is then never called."""
    style = "export-hook"
    symbol = image.symbols[hook_name]
    if image.machine not in ("x86_64", "aarch64"):
        return _undecided(f"machine code for {image.machine} is not read (x86-64 and aarch64 only)", style)
    reader = CodeReader(image)
    reading = reader.read_function(symbol.value, symbol.size, follow_calls=True)
    if reading.result is None or reading.result == 0:
        problems = "; ".join(reading.problems)
        return _undecided(
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
    return _undecided(f"{hook_name} (PEP 793): {result.note}", style)


def read_gil_declaration(
    image: BinaryImage,
    module_leaf: str,
    free_threaded_abi: bool | None,
    generator: GeneratorInfo | None = None,
    *,
    header_release: tuple[int, int] | None = None,
    importer_release: tuple[int, int] | None = None,
) -> GilReading:
    """Decide the GIL declaration of one module; never raises on odd binaries.

    ``header_release`` is the CPython release whose headers the binary was compiled
    against (from its ABI tag; None when the name does not say): it decides what the slot
    ids mean. ``importer_release`` is the release that will import it: 3.15 and later call
    a PEP 793 export hook in preference to ``PyInit_<name>``.
    """
    imported = image.imported_symbols
    imports_def_init = _DEF_INIT in imported
    init_style = (
        "multi-phase"
        if imports_def_init
        else ("single-phase" if any(name in imported for name in _SINGLE_PHASE_CREATORS) else "unknown")
    )
    not_applicable = GilReading(
        GilDeclaration.USED,
        GilDeclaredBy.NOT_APPLICABLE,
        "built for the GIL ABI: the GIL is always there and Py_mod_gil is ignored",
        init_style,
    )
    if free_threaded_abi is False:
        return not_applicable

    numbering = numbering_for(header_release)
    if numbering is None:
        return _undecided(
            f"compiled against the CPython {header_release[0]}.{header_release[1]} headers, whose slot "
            "ids this reader does not know (it knows 3.13-3.15): not guessed",
            init_style,
        )
    hook_name = export_hook_name(module_leaf)
    hook = image.symbols.get(hook_name)
    hook_is_read = importer_release is None or importer_release >= (3, 15)
    if numbering.has_pyslot and hook_is_read and hook is not None and hook.value:
        return _read_export_hook(image, hook_name, numbering)

    init_name = init_function_name(module_leaf)
    init_symbol = image.symbols.get(init_name)
    if init_symbol is None or not init_symbol.value:
        return _undecided(
            f"exports no {init_name}: not an extension module named {module_leaf!r} "
            "(a bundled shared library, or a renamed file?)",
            init_style,
        )

    if image.machine not in ("x86_64", "aarch64"):
        problem = f"machine code for {image.machine} is not read (x86-64 and aarch64 only)"
        return _decide(
            image, None, None, problem, init_name, init_style, numbering, generator, free_threaded_abi
        )
    reader = CodeReader(image)
    # First the init function alone (most declare right there), then with its callees.
    reading = reader.read_function(init_symbol.value, init_symbol.size, follow_calls=False)
    if _reaches_a_declaration(reading):
        decision = _decide(
            image,
            reader,
            reading,
            "; ".join(reading.problems),
            init_name,
            init_style,
            numbering,
            generator,
            free_threaded_abi,
        )
        if decision.gil != GilDeclaration.UNKNOWN and not decision.from_unfilled_memory:
            return decision
        # No declaration in what the init function alone shows: the definition or its slots
        # may be filled by a callee that runs later in the file's order (clang on macOS
        # x86-64 puts pybind11's guarded static initialisation after the PyModuleDef_Init
        # call it jumps back to), so read again with the callees before saying "never".
    reading = reader.read_function(init_symbol.value, init_symbol.size, follow_calls=True)
    return _decide(
        image,
        reader,
        reading,
        "; ".join(reading.problems),
        init_name,
        init_style,
        numbering,
        generator,
        free_threaded_abi,
    )


def _decide(
    image: BinaryImage,
    reader: CodeReader | None,
    reading: CodeReading | None,
    problem: str,
    init_name: str,
    init_style: str,
    numbering: SlotNumbering,
    generator: GeneratorInfo | None,
    free_threaded_abi: bool | None,
) -> GilReading:
    """The declaration that one reading of the init code shows."""
    imported = image.imported_symbols
    imports_def_init = _DEF_INIT in imported
    imports_set_gil = _SET_GIL in imported
    not_applicable = GilReading(
        GilDeclaration.USED,
        GilDeclaredBy.NOT_APPLICABLE,
        "built for the GIL ABI: the GIL is always there and Py_mod_gil is ignored",
        init_style,
    )
    decision: GilReading | None = None
    notes: list[str] = []
    layout: tuple[bool | None, str] = (None, "")
    if reading is not None:
        for call in reading.calls:
            if call.target in (_DEF_INIT, *_SINGLE_PHASE_CREATORS):
                layout = module_def_layout(reader, reading, call.arguments[0])
                if layout[0] is not None:
                    break
        if free_threaded_abi is None and layout[0] is False:
            not_applicable.def_layout_free_threaded, not_applicable.def_layout_evidence = layout
            not_applicable.evidence = f"{layout[1]}: built for the GIL ABI, Py_mod_gil is ignored"
            return not_applicable
        set_gil_calls = reading.calls_to(_SET_GIL)
        def_init_calls = reading.calls_to(_DEF_INIT)
        if set_gil_calls:
            init_style = "single-phase"
            values = {call.arguments[1] for call in set_gil_calls}
            if len(values) == 1 and next(iter(values)) in (PY_MOD_GIL_USED, PY_MOD_GIL_NOT_USED):
                value = next(iter(values))
                decision = GilReading(
                    _verdict(value),
                    GilDeclaredBy.SET_GIL_CALL,
                    f"{init_name} calls PyUnstable_Module_SetGIL(module, {describe_gil_value(value)})",
                    init_style,
                )
            else:
                shown = ", ".join(
                    describe_gil_value(v) if isinstance(v, int) else "a value not known statically"
                    for v in values
                )
                notes.append(f"{init_name} calls PyUnstable_Module_SetGIL with {shown}")
        elif def_init_calls:
            init_style = "multi-phase"
            # pybind11 and nanobind build their slot arrays in code, never as data.
            runtime_slots = generator is not None and generator.name in ("pybind11", "nanobind")
            results = [
                read_module_def_slots(reader, reading, call.arguments[0], numbering, runtime_slots)
                for call in def_init_calls
            ]
            declared = {result.value for result in results if result.value is not None}
            if len(declared) == 1:
                value = declared.pop()
                note = next(result.note for result in results if result.value == value)
                decision = GilReading(
                    _verdict(value),
                    GilDeclaredBy.SLOT,
                    f"{init_name} -> PyModuleDef_Init: {note}",
                    init_style,
                )
            elif not declared and all(result.complete for result in results):
                decision = GilReading(
                    GilDeclaration.USED,
                    GilDeclaredBy.NEVER,
                    f"{init_name} -> PyModuleDef_Init: {results[0].note}; the default is Py_MOD_GIL_USED",
                    init_style,
                )
                decision.from_unfilled_memory = any(result.unfilled for result in results)
            else:
                notes.extend(result.note for result in results)
        elif not imports_def_init and not imports_set_gil:
            creators = [call.target for call in reading.calls if call.target in _SINGLE_PHASE_CREATORS]
            how = f"{init_name} calls {creators[0]} (single-phase)" if creators else f"{init_name}"
            if creators:
                init_style = "single-phase"
            # A call into another shared library's C++ code (a shared libnanobind, say) may
            # declare on the module's behalf; then the imports of this binary prove nothing.
            foreign = [
                call.target
                for call in reading.calls
                if not call.internal and _may_declare_elsewhere(call.target)
            ]
            indirect = any(call.target == INDIRECT for call in reading.calls)
            if foreign:
                notes.append(f"{init_name} calls {foreign[0]} in another library, which may declare for it")
            elif indirect and imported & _FUNCTION_FROM_ANOTHER_MODULE:
                # mypyc's shim modules: PyInit fetches the real init function from a capsule
                # of a shared "<name>__mypyc" module and returns what it builds.
                notes.append(
                    f"{init_name} calls a function found at run time (PyCapsule_GetPointer); the module "
                    "object, and its declaration, come from another module"
                )
            else:
                decision = GilReading(
                    GilDeclaration.USED,
                    GilDeclaredBy.NEVER,
                    f"{how}; the module imports neither PyModuleDef_Init nor "
                    "PyUnstable_Module_SetGIL, so it cannot declare Py_MOD_GIL_NOT_USED",
                    init_style,
                )
        if reading.truncated:
            notes.append("the init code is longer than the reading budget")
    elif not imports_def_init and not imports_set_gil:
        decision = GilReading(
            GilDeclaration.USED,
            GilDeclaredBy.NEVER,
            "imports neither PyModuleDef_Init nor PyUnstable_Module_SetGIL",
            init_style,
        )

    if decision is None and generator is not None and generator.nanobind_free_threaded is not None:
        # nanobind's module_new adds {Py_mod_gil, Py_MOD_GIL_NOT_USED} exactly when built
        # with NB_FREE_THREADED, which is also what puts "_ft" into its ABI tag.
        value = PY_MOD_GIL_NOT_USED if generator.nanobind_free_threaded else None
        if value is not None:
            decision = GilReading(
                GilDeclaration.NOT_USED,
                GilDeclaredBy.SLOT,
                f"nanobind built with NB_FREE_THREADED ({generator.evidence}): module_new "
                "declares Py_MOD_GIL_NOT_USED",
                "multi-phase",
            )
        else:
            decision = GilReading(
                GilDeclaration.USED,
                GilDeclaredBy.NEVER,
                f"nanobind built without NB_FREE_THREADED ({generator.evidence}): no Py_mod_gil slot",
                "multi-phase",
            )
    if decision is not None:
        decision.def_layout_free_threaded, decision.def_layout_evidence = layout
        return decision
    if problem:
        notes.append(problem)
    if not notes:
        notes.append(
            f"{init_name} reaches neither PyModuleDef_Init nor PyUnstable_Module_SetGIL in the code read"
        )
    return GilReading(
        GilDeclaration.UNKNOWN, GilDeclaredBy.UNDETERMINED, "; ".join(notes), init_style, *layout
    )
