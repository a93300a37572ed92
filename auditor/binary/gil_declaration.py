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

from ..model.environment import GilDeclaration, GilDeclaredBy
from .code_reader import INDIRECT, STATIC, CodeReader, CodeReading, Pointer
from .elf import ElfImage
from .generators import GeneratorInfo

PY_MOD_GIL = 4  # Include/moduleobject.h
PY_MOD_GIL_USED = 0
PY_MOD_GIL_NOT_USED = 1
# offsetof(PyModuleDef, m_slots) on 64-bit platforms. PyModuleDef_Base is PyObject_HEAD
# + m_init + m_index + m_copy. The free-threaded PyObject_HEAD (Include/object.h) is
# ob_tid (8), ob_flags/ob_mutex/ob_gc_bits/ob_ref_local (2+1+1+4), ob_ref_shared (8),
# ob_type (8) = 32 bytes; the GIL one is ob_refcnt + ob_type = 16. Then m_name, m_doc,
# m_size, m_methods precede m_slots. tests/test_binary_gil.py checks both with offsetof.
M_SLOTS_OFFSET = {True: 32 + 24 + 32, False: 16 + 24 + 32}
_SLOT_SIZE = 16  # {int slot; (padding); void *value}
_MAX_SLOTS = 64
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


def _describe(value: int) -> str:
    return {PY_MOD_GIL_USED: "Py_MOD_GIL_USED", PY_MOD_GIL_NOT_USED: "Py_MOD_GIL_NOT_USED"}.get(
        value, hex(value)
    )


def _verdict(value: int) -> GilDeclaration:
    return GilDeclaration.NOT_USED if value == PY_MOD_GIL_NOT_USED else GilDeclaration.USED


def init_function_name(module_leaf: str) -> str:
    """PEP 489: ``PyInit_<name>``; non-ASCII names use ``PyInitU_<punycode>``."""
    if module_leaf.isascii():
        return f"PyInit_{module_leaf}"
    return "PyInitU_" + module_leaf.encode("punycode").decode("ascii").replace("-", "_")


class _SlotArrayResult:
    def __init__(self, value: int | None, complete: bool, note: str) -> None:
        self.value = value  # the Py_mod_gil value, or None when absent / unreadable
        self.complete = complete  # the {0, NULL} terminator was reached
        self.note = note


def _as_pointer(image: ElfImage, value: object) -> Pointer | None:
    if isinstance(value, Pointer):
        return value
    # Packed RELR relocations (and --apply-dynamic-relocs) leave the target in place.
    if isinstance(value, int) and value and image.read(value, 1) is not None:
        return Pointer(STATIC, value)
    return None


def _in_bss(image: ElfImage, pointer: Pointer) -> bool:
    bounds = image.section_range(".bss")
    return bool(bounds and pointer.region == STATIC and bounds[0] <= pointer.offset < bounds[1])


def read_slot_array(
    reader: CodeReader, reading: CodeReading, definition: object, free_threaded: bool
) -> _SlotArrayResult:
    image = reader.image
    definition = _as_pointer(image, definition)
    if definition is None:
        return _SlotArrayResult(
            None, False, "the PyModuleDef passed to PyModuleDef_Init could not be located"
        )
    slots = reader.load(reading, definition.moved(M_SLOTS_OFFSET[free_threaded]), 8)
    if slots == 0:
        return _SlotArrayResult(None, True, "m_slots is NULL")
    slots = _as_pointer(image, slots)
    if slots is None:
        return _SlotArrayResult(None, False, "the PyModuleDef's m_slots pointer could not be read")
    stores = reading.memory.get(slots.region, {})
    written_by_code = any(
        slots.offset <= offset < slots.offset + _SLOT_SIZE * _MAX_SLOTS for offset in stores
    )
    zero_initialised = slots.region == STATIC and _in_bss(image, slots)
    if zero_initialised and not written_by_code:
        # Zero in the file: filled by a C++ dynamic initialiser, or really just {0, NULL}.
        reader.read_initialisers(reading)
        stores = reading.memory.get(slots.region, {})
        written_by_code = any(
            slots.offset <= offset < slots.offset + _SLOT_SIZE * _MAX_SLOTS for offset in stores
        )
        if not written_by_code and reading.truncated:
            return _SlotArrayResult(
                None,
                False,
                f"the slot array at {slots.offset:#x} is zero-initialised memory "
                "and the code that may fill it was too long to read",
            )
    where = (
        "built by the init code"
        if written_by_code
        else "zero-initialised, written by no code read"
        if zero_initialised
        else (
            f"static data at {slots.offset:#x}"
            if slots.region == STATIC
            else "memory the init code allocates"
        )
    )
    for index in range(_MAX_SLOTS):
        entry = slots.moved(index * _SLOT_SIZE)
        slot_id = reader.load(reading, entry, 4)
        value = reader.load(reading, entry.moved(8), 8)
        if slot_id is None:
            return _SlotArrayResult(None, False, f"slot {index} of the array ({where}) could not be read")
        if slot_id == 0:
            return _SlotArrayResult(None, True, f"{index} slots ({where}), none is Py_mod_gil")
        if slot_id == PY_MOD_GIL:
            if isinstance(value, int) and value in (PY_MOD_GIL_USED, PY_MOD_GIL_NOT_USED):
                return _SlotArrayResult(
                    value, True, f"{{Py_mod_gil, {_describe(value)}}} in slot {index} ({where})"
                )
            return _SlotArrayResult(None, False, f"a Py_mod_gil slot ({where}) whose value is not a constant")
    return _SlotArrayResult(None, False, f"no {{0, NULL}} terminator within {_MAX_SLOTS} slots ({where})")


def read_gil_declaration(
    image: ElfImage, module_leaf: str, free_threaded_abi: bool | None, generator: GeneratorInfo | None = None
) -> GilReading:
    """Decide the GIL declaration of one module; never raises on odd binaries."""
    imported = image.imported_symbols
    imports_def_init = _DEF_INIT in imported
    imports_set_gil = _SET_GIL in imported
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

    init_name = init_function_name(module_leaf)
    init_symbol = image.symbols.get(init_name)
    if init_symbol is None or not init_symbol.value:
        return GilReading(
            GilDeclaration.UNKNOWN,
            GilDeclaredBy.UNDETERMINED,
            f"exports no {init_name}: not an extension module named {module_leaf!r} "
            "(a bundled shared library, or a renamed file?)",
            init_style,
        )

    if image.machine not in ("x86_64", "aarch64"):
        reading = None
        problem = f"machine code for {image.machine} is not read (x86-64 and aarch64 only)"
    else:
        reader = CodeReader(image)
        # First the init function alone (most declare right there), then with its callees.
        reading = reader.read_function(init_symbol.value, init_symbol.size, follow_calls=False)
        if not _reaches_a_declaration(reading):
            reading = reader.read_function(init_symbol.value, init_symbol.size, follow_calls=True)
        problem = "; ".join(reading.problems)

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
                    f"{init_name} calls PyUnstable_Module_SetGIL(module, {_describe(value)})",
                    init_style,
                )
            else:
                shown = ", ".join(
                    _describe(v) if isinstance(v, int) else "a value not known statically" for v in values
                )
                notes.append(f"{init_name} calls PyUnstable_Module_SetGIL with {shown}")
        elif def_init_calls:
            init_style = "multi-phase"
            results = [read_slot_array(reader, reading, call.arguments[0], True) for call in def_init_calls]
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
