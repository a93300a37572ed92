"""cffi's out-of-line API modules: the module is created, and declared, by ``_cffi_backend``.

cffi's recompiler (``cffi/recompiler.py``, ``_cffi_include.h``) gives every module built
with ``ffi.set_source()`` the same init function::

    PyInit_<name>(void) { return _cffi_init("<package>.<name>", 0x2601, &_cffi_type_context); }

and ``_cffi_init`` (static, usually inlined) does
``PyImport_ImportModule("_cffi_backend")`` then
``PyObject_CallMethod(backend, "_init_cffi_1_0_external_module", "O", PyLong_FromVoidPtr(raw))``.
The binary never imports ``PyModuleDef_Init`` or ``PyUnstable_Module_SetGIL``: the backend
creates the module object (cffi's ``src/c/cffi1_module.c``) and, from cffi 2.0 when built
for a free-threaded interpreter (``Py_GIL_DISABLED``), calls
``PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED)`` on it before returning it. CPython
checks the declaration on the module object ``PyInit_<name>`` returns, so the backend's
declaration is the module's. It holds only where the installed cffi supports free
threading (2.0 and later, on 3.14t and later; cffi refuses 3.13t), which the binary cannot
show: the evidence says so.

Recognised from the init code itself: the two calls with those two strings as arguments.
When the code reading cannot resolve the strings, both calls and both strings in the
read-only data are taken as the same fact.
"""

from __future__ import annotations

from .image import BinaryImage
from .symbolic_values import CodeReading, Pointer

_BACKEND = "_cffi_backend"
_HANDOFF = "_init_cffi_1_0_external_module"
_IMPORT = "PyImport_ImportModule"
# PyObject_CallMethod is a macro for _PyObject_CallMethod_SizeT with PY_SSIZE_T_CLEAN before 3.13.
_CALL_METHOD = ("PyObject_CallMethod", "_PyObject_CallMethod_SizeT")


def _string_argument(image: BinaryImage, value: object) -> str | None:
    if isinstance(value, Pointer) and value.region == ("static",):
        return image.read_c_string(value.offset, limit=64)
    return None


def cffi_backend_handoff(image: BinaryImage, reading: CodeReading, init_name: str) -> str | None:
    """The evidence that ``init_name`` hands module creation to cffi's backend, else None."""
    imports = [call for call in reading.calls if call.target == _IMPORT]
    handoffs = [call for call in reading.calls if call.target in _CALL_METHOD]
    if not imports or not handoffs:
        return None
    imported = {_string_argument(image, call.arguments[0]) for call in imports}
    methods = {_string_argument(image, call.arguments[1]) for call in handoffs}
    if _BACKEND in imported and _HANDOFF in methods:
        how = f'{init_name} calls {_IMPORT}("{_BACKEND}") and its {_HANDOFF}(), read from the code'
    elif imported - {None} or methods - {None}:
        return None  # the calls name other modules or methods: not cffi's init
    elif image.strings_present([_BACKEND.encode(), _HANDOFF.encode()]) == {
        _BACKEND.encode(),
        _HANDOFF.encode(),
    }:
        how = f"{init_name} calls {_IMPORT} and {handoffs[0].target}, and the binary carries {_HANDOFF!r}"
    else:
        return None
    return (
        f"a cffi out-of-line module: {how}; cffi's backend creates the module and declares "
        "Py_MOD_GIL_NOT_USED on it (PyUnstable_Module_SetGIL, cffi 2.0 and later built for a "
        "free-threaded interpreter), so this holds only if the installed cffi supports free threading"
    )
