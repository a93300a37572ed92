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

This module decides from what the init function calls; the slot arrays are read in
:mod:`.module_slots`, a PEP 793 export hook in :mod:`.export_hook`.
"""

from __future__ import annotations

from ...model.environment import GilDeclaration, GilDeclaredBy
from .cffi_modules import cffi_backend_handoff
from .code_reader import CodeReader
from .cpython_slots import (
    PY_MOD_GIL_NOT_USED,
    PY_MOD_GIL_USED,
    SlotNumbering,
    describe_gil_value,
    export_hook_name,
    numbering_for,
)
from .export_hook import read_export_hook
from .generators import GeneratorInfo
from .gil_reading import GilReading, undecided, verdict
from .image import BinaryImage
from .module_slots import module_def_layout, read_module_def_slots
from .runtime_libraries import is_cxx_runtime_function
from .symbolic_values import INDIRECT, CallEvent, CodeReading

__all__ = ["GilReading", "init_function_name", "null_init_evidence", "read_gil_declaration"]

_SET_GIL = "PyUnstable_Module_SetGIL"
_DEF_INIT = "PyModuleDef_Init"
_FUNCTION_FROM_ANOTHER_MODULE = frozenset({"PyCapsule_GetPointer", "PyCapsule_Import"})
_SINGLE_PHASE_CREATORS = ("PyModule_Create2", "PyModule_Create", "_PyModule_CreateInitialized")


def _may_declare_elsewhere(name: str) -> bool:
    """Whether a call to the imported ``name`` may reach code that declares for the module:
    an unknown target, or another library's C++ (a shared libnanobind). C functions (the C
    library, libm) and the C++ runtime (:mod:`.runtime_libraries`) create no modules."""
    if name == "?":
        return True
    return name.startswith("_Z") and not is_cxx_runtime_function(name)


def _is_cffi(generator: GeneratorInfo | None) -> bool:
    # Its backend declares for it (.cffi_modules), which only a reading of the code can tell.
    return generator is not None and generator.name == "cffi"


def _reaches_a_declaration(reading: CodeReading) -> bool:
    return any(call.target in (_SET_GIL, _DEF_INIT) for call in reading.calls)


def init_function_name(module_leaf: str) -> str:
    """PEP 489: ``PyInit_<name>``; non-ASCII names use ``PyInitU_<punycode>``."""
    if module_leaf.isascii():
        return f"PyInit_{module_leaf}"
    return "PyInitU_" + module_leaf.encode("punycode").decode("ascii").replace("-", "_")


def null_init_evidence(image: BinaryImage, init_name: str) -> str | None:
    """Why ``init_name`` cannot create a module when it only returns NULL (None: it may).

    CPython's ``_PyImport_RunModInitFunc`` (Python/importdl.c) turns a NULL result without
    an exception into ``SystemError``; an init that returns a constant NULL, calling
    nothing, never made a module on any path. Such an export is for a linker (MSVC wants
    ``PyInit_<name>`` in every ``.pyd`` setuptools builds), and the file is a library.
    """
    symbol = image.symbols.get(init_name)
    if symbol is None or not symbol.value or image.machine not in ("x86_64", "aarch64"):
        return None
    if not CodeReader(image).returns_constant_null(symbol.value, symbol.size or None):
        return None
    return (
        f"{init_name} returns NULL without calling anything, so it cannot create a module: an export "
        "kept for the linker, in a library loaded with ctypes/cffi, never imported"
    )


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
        return undecided(
            f"compiled against the CPython {header_release[0]}.{header_release[1]} headers, whose slot "
            "ids this reader does not know (it knows 3.13-3.15): not guessed",
            init_style,
        )
    hook_name = export_hook_name(module_leaf)
    hook = image.symbols.get(hook_name)
    hook_is_read = importer_release is None or importer_release >= (3, 15)
    if numbering.has_pyslot and hook_is_read and hook is not None and hook.value:
        return read_export_hook(image, hook_name, numbering)

    init_name = init_function_name(module_leaf)
    init_symbol = image.symbols.get(init_name)
    if init_symbol is None or not init_symbol.value:
        return undecided(
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
    decision: GilReading | None = None
    notes: list[str] = []
    layout: tuple[bool | None, str] = (None, "")
    if reading is not None:
        layout = _definition_layout(reader, reading)
        if free_threaded_abi is None and layout[0] is False:
            return GilReading(
                GilDeclaration.USED,
                GilDeclaredBy.NOT_APPLICABLE,
                f"{layout[1]}: built for the GIL ABI, Py_mod_gil is ignored",
                init_style,
                *layout,
            )
        decision, init_style = _decide_from_calls(
            reader, reading, imported, init_name, init_style, numbering, generator, notes
        )
        if reading.truncated:
            notes.append("the init code is longer than the reading budget")
    elif _DEF_INIT not in imported and _SET_GIL not in imported and not _is_cffi(generator):
        decision = GilReading(
            GilDeclaration.USED,
            GilDeclaredBy.NEVER,
            "imports neither PyModuleDef_Init nor PyUnstable_Module_SetGIL",
            init_style,
        )

    if decision is None and generator is not None and generator.nanobind_free_threaded is not None:
        decision = _from_nanobind_build(generator)
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


def _definition_layout(reader: CodeReader, reading: CodeReading) -> tuple[bool | None, str]:
    """The ABI of the first ``PyModuleDef`` handed to the module machinery whose header says."""
    layout: tuple[bool | None, str] = (None, "")
    for call in reading.calls:
        if call.target in (_DEF_INIT, *_SINGLE_PHASE_CREATORS):
            layout = module_def_layout(reader, reading, call.arguments[0])
            if layout[0] is not None:
                break
    return layout


def _decide_from_calls(
    reader: CodeReader,
    reading: CodeReading,
    imported: set[str],
    init_name: str,
    init_style: str,
    numbering: SlotNumbering,
    generator: GeneratorInfo | None,
    notes: list[str],
) -> tuple[GilReading | None, str]:
    """The decision (None: none) and init style the calls read show; what stays open goes to ``notes``."""
    set_gil_calls = reading.calls_to(_SET_GIL)
    if set_gil_calls:
        return _from_set_gil_calls(set_gil_calls, init_name, notes), "single-phase"
    def_init_calls = reading.calls_to(_DEF_INIT)
    if def_init_calls:
        decision = _from_module_def_slots(
            reader, reading, def_init_calls, init_name, numbering, generator, notes
        )
        return decision, "multi-phase"
    if _DEF_INIT not in imported and _SET_GIL not in imported:
        return _from_no_declaring_import(reader, reading, imported, init_name, init_style, notes)
    return None, init_style


def _from_set_gil_calls(calls: list[CallEvent], init_name: str, notes: list[str]) -> GilReading | None:
    """Single-phase: the value passed to ``PyUnstable_Module_SetGIL``, when every call agrees."""
    values = {call.arguments[1] for call in calls}
    if len(values) == 1 and next(iter(values)) in (PY_MOD_GIL_USED, PY_MOD_GIL_NOT_USED):
        value = next(iter(values))
        return GilReading(
            verdict(value),
            GilDeclaredBy.SET_GIL_CALL,
            f"{init_name} calls PyUnstable_Module_SetGIL(module, {describe_gil_value(value)})",
            "single-phase",
        )
    shown = ", ".join(
        describe_gil_value(v) if isinstance(v, int) else "a value not known statically" for v in values
    )
    notes.append(f"{init_name} calls PyUnstable_Module_SetGIL with {shown}")
    return None


def _from_module_def_slots(
    reader: CodeReader,
    reading: CodeReading,
    calls: list[CallEvent],
    init_name: str,
    numbering: SlotNumbering,
    generator: GeneratorInfo | None,
    notes: list[str],
) -> GilReading | None:
    """Multi-phase: the ``Py_mod_gil`` slot of the ``PyModuleDef`` given to ``PyModuleDef_Init``."""
    # pybind11 and nanobind build their slot arrays in code, never as data.
    runtime_slots = generator is not None and generator.name in ("pybind11", "nanobind")
    results = [
        read_module_def_slots(reader, reading, call.arguments[0], numbering, runtime_slots) for call in calls
    ]
    declared = {result.value for result in results if result.value is not None}
    if len(declared) == 1:
        value = declared.pop()
        note = next(result.note for result in results if result.value == value)
        return GilReading(
            verdict(value), GilDeclaredBy.SLOT, f"{init_name} -> PyModuleDef_Init: {note}", "multi-phase"
        )
    if not declared and all(result.complete for result in results):
        decision = GilReading(
            GilDeclaration.USED,
            GilDeclaredBy.NEVER,
            f"{init_name} -> PyModuleDef_Init: {results[0].note}; the default is Py_MOD_GIL_USED",
            "multi-phase",
        )
        decision.from_unfilled_memory = any(result.unfilled for result in results)
        return decision
    notes.extend(result.note for result in results)
    return None


def _from_no_declaring_import(
    reader: CodeReader,
    reading: CodeReading,
    imported: set[str],
    init_name: str,
    init_style: str,
    notes: list[str],
) -> tuple[GilReading | None, str]:
    """Neither ``PyModuleDef_Init`` nor ``PyUnstable_Module_SetGIL`` is imported: never
    declared, unless another library's code may declare on the module's behalf (cffi's
    backend does, :mod:`.cffi_modules`)."""
    handoff = cffi_backend_handoff(reader.image, reading, init_name)
    if handoff is not None:
        return GilReading(GilDeclaration.NOT_USED, GilDeclaredBy.CFFI_BACKEND, handoff, "single-phase"), (
            "single-phase"
        )
    creators = [call.target for call in reading.calls if call.target in _SINGLE_PHASE_CREATORS]
    how = f"{init_name} calls {creators[0]} (single-phase)" if creators else f"{init_name}"
    if creators:
        init_style = "single-phase"
    # A call into another shared library's C++ code (a shared libnanobind, say) may
    # declare on the module's behalf; then the imports of this binary prove nothing.
    foreign = [
        call.target for call in reading.calls if not call.internal and _may_declare_elsewhere(call.target)
    ]
    indirect = any(call.target == INDIRECT for call in reading.calls)
    if foreign:
        notes.append(f"{init_name} calls {foreign[0]} in another library, which may declare for it")
        return None, init_style
    if indirect and imported & _FUNCTION_FROM_ANOTHER_MODULE:
        # mypyc's shim modules: PyInit fetches the real init function from a capsule
        # of a shared "<name>__mypyc" module and returns what it builds.
        notes.append(
            f"{init_name} calls a function found at run time (PyCapsule_GetPointer); the module "
            "object, and its declaration, come from another module"
        )
        return None, init_style
    decision = GilReading(
        GilDeclaration.USED,
        GilDeclaredBy.NEVER,
        f"{how}; the module imports neither PyModuleDef_Init nor "
        "PyUnstable_Module_SetGIL, so it cannot declare Py_MOD_GIL_NOT_USED",
        init_style,
    )
    return decision, init_style


def _from_nanobind_build(generator: GeneratorInfo) -> GilReading:
    # nanobind's module_new adds {Py_mod_gil, Py_MOD_GIL_NOT_USED} exactly when built
    # with NB_FREE_THREADED, which is also what puts "_ft" into its ABI tag.
    if generator.nanobind_free_threaded:
        return GilReading(
            GilDeclaration.NOT_USED,
            GilDeclaredBy.SLOT,
            f"nanobind built with NB_FREE_THREADED ({generator.evidence}): module_new "
            "declares Py_MOD_GIL_NOT_USED",
            "multi-phase",
        )
    return GilReading(
        GilDeclaration.USED,
        GilDeclaredBy.NEVER,
        f"nanobind built without NB_FREE_THREADED ({generator.evidence}): no Py_mod_gil slot",
        "multi-phase",
    )
