from __future__ import annotations

from ...collectors.binary.risky_symbols import BORROWED_REFERENCE
from ...model.finding import Severity
from ..registry import Example, register
from . import RiskyImportRule
from ._examples import with_function


@register
class BorrowedReferenceCall(RiskyImportRule):
    """The module imports a C-API function that returns a borrowed reference into a mutable container.

    With the GIL, nothing else ran between ``PyDict_GetItem`` returning an item and the
    caller using it. Without it, another thread can delete the item (and free it) in
    between: a use-after-free. The 3.13 C API added strong-reference twins for exactly
    this (free-threading porting guide, "Borrowed References").
    """

    code = "FTB101"
    name = "borrowed-reference-call"
    severity = Severity.WARNING
    # The imported functions of this family (collectors/binary/risky_symbols.py) are what it flags.
    family = BORROWED_REFERENCE
    summary = "imports a C-API function returning a borrowed reference that another thread can invalidate"
    fix = "call the strong-reference replacement named in the finding (e.g. PyDict_GetItemRef) and release it"
    references = ["https://docs.python.org/3.13/howto/free-threading-extensions.html#borrowed-references"]
    invalid = [
        Example(
            with_function(
                '    PyObject *item = PyDict_GetItemString(arg, "key");\n'
                "    return Py_NewRef(item ? item : Py_None);"
            )
        )
    ]
    valid = [
        Example(
            with_function(
                "    PyObject *item = NULL;\n"
                '    if (PyDict_GetItemStringRef(arg, "key", &item) < 0) return NULL;\n'
                "    return item ? item : Py_NewRef(Py_None);"
            )
        )
    ]
