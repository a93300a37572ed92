"""FTC027: an attribute setter swaps an object field in two steps while getters read it unlocked."""

from __future__ import annotations

import re

from ...collectors.source.c_races import cast_from_object_parameter, is_python_object
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_GETSET_TABLE = re.compile(r"\bPyGetSetDef\s+\w+\s*\[\s*\]\s*=\s*\{(.*?)\}\s*;", re.DOTALL)
_GETSET_ENTRY = re.compile(
    r"\{\s*\"([\w.]+)\"\s*,\s*(?:\(\s*getter\s*\)\s*)?(\w+)\s*,\s*(?:\(\s*setter\s*\)\s*)?(\w+)"
)
_RELEASE = re.compile(r"\bPy_X?DECREF\s*\(\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*->\s*(\w+)\s*\)\s*;")
# `Py_XSETREF(o->name, value);`: one statement, but the same two steps inside (store the
# new pointer, then release the old one), so a reader still holds a pointer being freed.
_SETREF = re.compile(r"\bPy_X?SETREF\s*\(\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*->\s*(\w+)\s*,")
_METHOD_TABLE = re.compile(r"\bPyMethodDef\s+\w+\s*\[\s*\w*\s*\]\s*=\s*\{(.*?)\}\s*;", re.DOTALL)
_METHOD_ENTRY = re.compile(r"\{\s*\"(set_?[A-Za-z]\w*)\"\s*,\s*(?:\([^()]*\)\s*)?\(?\s*(?:\w+\s*\(\s*)?(\w+)")
_HANDED_OUT = (
    r"(?:\bPy_X?INCREF\s*\(\s*{field}\s*\)|\bPy_X?NewRef\s*\(\s*{field}\s*\)|\breturn\s+{field}\s*;"
    r"|\b\w+\s*\([^;]*?(?<![\w>.]){field}\s*[,)])"
)
_CONSTRUCTION = re.compile(r"(?:_new|_init|_dealloc|_clear|_traverse|_finalize|_free)$")


def _setters(unit) -> dict[str, str]:
    """Setter function name -> the attribute it sets, from the file's PyGetSetDef tables."""
    found = {}
    for table in _GETSET_TABLE.finditer(_COMMENT.sub(" ", unit.text)):
        for attribute, _, setter in _GETSET_ENTRY.findall(table.group(1)):
            if setter not in ("0", "NULL"):
                found.setdefault(setter, attribute)
    # A method that replaces an attribute (`obj.setContext(value)`) is a setter too.
    for table in _METHOD_TABLE.finditer(_COMMENT.sub(" ", unit.text)):
        for method, implementation in _METHOD_ENTRY.findall(table.group(1)):
            found.setdefault(implementation, method)
    return found


def _callers_object(unit, owner: str, function) -> bool:
    if owner in function.parameters and is_python_object(unit, owner, function):
        return True
    return owner in function.locals and cast_from_object_parameter(unit, owner, function)


@register
class AttributeSetterSwap(CSourceRule):
    """``Py_XDECREF(o->name); o->name = value;`` in a ``__name__`` setter, while a getter
    does ``Py_INCREF(o->name); return o->name;`` with no lock.

    An attribute setter listed in a ``PyGetSetDef`` table runs whenever Python code
    assigns the attribute, from whichever thread holds the object. It releases the old
    object and stores the new one as two steps; a getter on another thread that loaded
    the old pointer in between increments the reference count of freed memory, and two
    setters at once release the same old object twice. The GIL used to keep each of
    them whole.

    Reported: the release and the store in the setter, and each other function of the
    file that hands the same field out or passes it on (``Py_INCREF``, ``Py_NewRef``,
    ``return``, a call argument) with no lock. Only when such a reader exists; not in
    constructors or teardown, nor under a lock or critical section.
    """

    code = "FTC027"
    name = "attribute-setter-swap"
    severity = Severity.WARNING
    summary = "an attribute setter swaps an object field in two steps while other functions read it unlocked"
    fix = (
        "Hold the object's critical section (Py_BEGIN_CRITICAL_SECTION(self)) in the setter and in the "
        "getters that read the field, or store and load the field atomically (Py_XSETREF under the lock, "
        "_Py_TryIncref / FT_ATOMIC_LOAD_PTR in readers)."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "typedef struct { PyObject_HEAD PyObject *name; } FuncObject;\n"
            "static PyObject *Func_get_name(FuncObject *f, void *c) {\n"
            "    Py_INCREF(f->name);\n    return f->name;\n}\n"
            "static int Func_set_name(FuncObject *f, PyObject *value, void *c) {\n"
            "    Py_INCREF(value);\n    Py_XDECREF(f->name);\n    f->name = value;\n    return 0;\n}\n"
            "static PyGetSetDef Func_getsets[] = {\n"
            '    {"__name__", (getter)Func_get_name, (setter)Func_set_name, 0, 0},\n    {0}\n};\n'
        ),
        Example(
            "static PyObject *Var_context(Var *self) {\n"
            "    if (self->context)\n        return Py_NewRef(self->context);\n    Py_RETURN_NONE;\n}\n"
            "static PyObject *Var_setContext(Var *self, PyObject *value) {\n"
            "    Py_XSETREF(self->context, Py_NewRef(value));\n    Py_RETURN_NONE;\n}\n"
            "static PyMethodDef Var_methods[] = {\n"
            '    {"context", (PyCFunction)Var_context, METH_NOARGS, ""},\n'
            '    {"setContext", (PyCFunction)Var_setContext, METH_O, ""},\n    {0}\n};\n',
            language="cpp",
            note="a setter method and Py_XSETREF: the struct is declared in a header, the method "
            "table says it is a Python object",
        ),
    ]
    valid = [
        Example(
            "typedef struct { PyObject_HEAD PyObject *name; } FuncObject;\n"
            "static PyObject *Func_get_name(FuncObject *f, void *c) {\n    PyObject *r;\n"
            "    Py_BEGIN_CRITICAL_SECTION(f);\n    r = Py_NewRef(f->name);\n    Py_END_CRITICAL_SECTION();\n"
            "    return r;\n}\n"
            "static int Func_set_name(FuncObject *f, PyObject *value, void *c) {\n"
            "    Py_BEGIN_CRITICAL_SECTION(f);\n    Py_INCREF(value);\n    Py_XDECREF(f->name);\n"
            "    f->name = value;\n    Py_END_CRITICAL_SECTION();\n    return 0;\n}\n"
            "static PyGetSetDef Func_getsets[] = {\n"
            '    {"__name__", (getter)Func_get_name, (setter)Func_set_name, 0, 0},\n    {0}\n};\n'
        ),
    ]

    @classmethod
    def check(cls, unit):
        setters = _setters(unit)
        if not setters:
            return
        by_name = {function.name: function for function in unit.functions}
        for setter_name, attribute in setters.items():
            function = by_name.get(setter_name)
            if function is None or function.caller_holds_lock:
                continue
            for release, store, field in cls._swaps(unit, function):
                readers = list(cls._readers(unit, function, field))
                if not readers:
                    continue
                release_line, store_line = release.start_point[0] + 1, store.start_point[0] + 1
                why = (
                    f"{setter_name}() is the setter of `{attribute}`: any thread holding the object can "
                    "assign it while another reads it"
                    if not attribute.startswith("set")
                    else f"{setter_name}() implements the `{attribute}()` method: any thread holding the "
                    "object can call it while another reads the field"
                )
                lines = f"line {store_line}" if release is store else f"lines {release_line}-{store_line}"
                names = ", ".join(sorted({reader.name + "()" for reader, _ in readers}))
                if release is store:
                    yield cls.finding(
                        f"{setter_name}() swaps `->{field}` here with no lock (the new pointer is stored, "
                        f"then the old object released), while {names} read it unlocked: a reader that "
                        f"loaded the old pointer uses it after it is freed ({why})",
                        unit.location(store),
                    )
                else:
                    yield cls.finding(
                        f"{setter_name}() releases the old `->{field}` here and stores the new one on line "
                        f"{store_line} with no lock, while {names} read it unlocked ({why})",
                        unit.location(release),
                    )
                    yield cls.finding(
                        f"{setter_name}() stores `->{field}` here after releasing the old object on line "
                        f"{release_line}: a reader between the two uses a freed object ({why})",
                        unit.location(store),
                    )
                for reader, node in readers:
                    yield cls.finding(
                        f"{reader.name}() reads `->{field}` here with no lock while {setter_name}() "
                        f"releases and replaces it ({lines}) ({why})",
                        unit.location(node),
                    )

    @staticmethod
    def _swaps(unit, function):
        """(release statement, store statement, field) pairs in a setter."""
        releases = {}
        for node in unit.walk(function.body):
            if node.type != "expression_statement" or unit.is_protected(node, function):
                continue
            text = unit.node_text(node)
            swap = _SETREF.search(text)
            if swap and _callers_object(unit, swap.group(1), function):
                yield node, node, swap.group(2)
                continue
            match = _RELEASE.match(text.strip())
            if match and _callers_object(unit, match.group(1), function):
                releases[(match.group(1), match.group(2))] = node
                continue
            store = re.match(r"\s*([A-Za-z_]\w*)\s*->\s*(\w+)\s*=(?!=)", text)
            if store and (store.group(1), store.group(2)) in releases:
                yield releases.pop((store.group(1), store.group(2))), node, store.group(2)

    @staticmethod
    def _readers(unit, setter, field):
        pattern = re.compile(_HANDED_OUT.format(field=rf"(?:\([^()]*\)\s*)?[A-Za-z_]\w*\s*->\s*{field}\b"))
        for function in unit.functions:
            if function is setter or function.init_only or _CONSTRUCTION.search(function.name):
                continue
            body = _COMMENT.sub(lambda m: " " * len(m.group(0)), unit.node_text(function.body))
            for match in pattern.finditer(body):
                owner = re.search(rf"([A-Za-z_]\w*)\s*->\s*{field}\b", match.group(0)).group(1)
                if not _callers_object(unit, owner, function):
                    continue
                node = unit.root.descendant_for_byte_range(
                    function.body.start_byte + match.start(), function.body.start_byte + match.start()
                )
                if unit.is_protected(node, function) or unit.in_gil_only_branch(node):
                    continue
                yield function, node
                break
