"""FTC024: a pointer to a static buffer stored in an object or returned to the caller."""

from __future__ import annotations

import re

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_ADDRESS_OF = re.compile(r"^\(?\s*(?:\([^()]*\)\s*)?&?\s*([A-Za-z_]\w*)\s*(?:\[\s*0\s*\])?\s*\)?$")


def _static_buffer(unit, value, function):
    """The mutable static array ``value`` points at (``buf``, ``&buf[0]``, ``(char *)buf``)."""
    if value is None:
        return None
    match = _ADDRESS_OF.match(" ".join(unit.node_text(value).split()))
    if match is None:
        return None
    if match.group(1).isupper():
        return None  # NULL and other macros
    variable = unit.resolve(match.group(1), function)
    if variable is None or not variable.mutable or "[" not in variable.declaration_text:
        return None
    return variable


@register
class StaticBufferEscape(CSourceRule):
    """``static char buf[256]; ... self->name = buf;`` makes every object share one buffer.

    A static buffer is one array for the whole process. Stored in an object's field, it
    is the same bytes for every object: the next object's initialisation (from any
    thread) rewrites the first object's name. Returned to the caller, it is read after
    the function has returned, while another thread's call fills it again; the GIL used
    to cover the caller's copy, the free-threaded build does not.

    Reported: a pointer to a mutable static array stored into a field
    (``obj->f = buf``), and ``return buf;`` from a function that also fills ``buf``
    (the fill itself is FTC001's). Not reported: const tables, thread-local buffers,
    code under a lock, module initialisation.
    """

    code = "FTC024"
    name = "static-buffer-escape"
    severity = Severity.WARNING
    summary = "pointer to a static buffer kept in an object or returned, so every caller shares it"
    fix = (
        "Give each object its own copy (PyMem_Malloc + memcpy, or a PyUnicode/PyBytes object), or have "
        "the caller pass the buffer in; return a new object instead of the static buffer."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "typedef struct { PyObject_HEAD const char *name; } NameObject;\n"
            "static int name_init(NameObject *self, PyObject *args) {\n    static char buffer[256];\n"
            '    const char *s;\n    if (!PyArg_ParseTuple(args, "s", &s)) return -1;\n'
            "    strncpy(buffer, s, sizeof buffer - 1);\n    self->name = buffer;\n    return 0;\n}\n"
        ),
        Example(
            "#include <stdio.h>\nstatic const char *format_id(long id) {\n    static char label[32];\n"
            '    snprintf(label, sizeof label, "#%ld", id);\n    return label;\n}\n',
            note="the caller reads the buffer after another thread may have refilled it",
        ),
    ]
    valid = [
        Example(
            'static const char names[][8] = {"red", "green"};\n'
            "typedef struct { PyObject_HEAD const char *name; } ColourObject;\n"
            "static void set_colour(ColourObject *self, int i) { self->name = names[i]; }\n",
            note="a const table",
        ),
        Example(
            "typedef struct { PyObject_HEAD char name[256]; } NameObject;\n"
            "static int name_init(NameObject *self, const char *s) {\n"
            "    strncpy(self->name, s, sizeof self->name - 1);\n    return 0;\n}\n",
            note="each object has its own buffer",
        ),
    ]

    @classmethod
    def check(cls, unit):
        filled = {(id(write.variable), write.function.name): write for write in unit.writes}
        for function in unit.functions:
            if function.init_only or function.caller_holds_lock:
                continue
            for node in unit.walk(function.body):
                if node.type == "assignment_expression":
                    left = node.child_by_field_name("left")
                    operator = left.child_by_field_name("operator") if left is not None else None
                    if left is None or left.type != "field_expression" or unit.node_text(operator) != "->":
                        continue  # `obj->f` is kept by an object; a local struct's `.f` lives for the call
                    variable = _static_buffer(unit, node.child_by_field_name("right"), function)
                    if variable is None or unit.is_protected(node, function):
                        continue
                    yield cls.finding(
                        f"{function.name}() stores a pointer to `{variable.name}`, {_where(variable)}, in "
                        f"`{unit.node_text(left)}`: every object that goes through here points at the same "
                        "bytes, and the next call (from any thread) rewrites them",
                        unit.location(node),
                        evidence=[variable.declaration_text],
                    )
                elif node.type == "return_statement":
                    value = next(iter(node.named_children), None)
                    variable = _static_buffer(unit, value, function)
                    if variable is None or unit.is_protected(node, function):
                        continue
                    fill = filled.get((id(variable), function.name))
                    if fill is None or fill.protected:
                        continue
                    yield cls.finding(
                        f"{function.name}() returns `{variable.name}`, {_where(variable)} that it fills on "
                        f"line {fill.node.start_point[0] + 1}: the caller reads it after returning, while "
                        "another thread's call can already be filling it again",
                        unit.location(node),
                        evidence=[variable.declaration_text],
                    )


def _where(variable) -> str:
    if variable.function:
        return f"a static buffer of {variable.function}()"
    return f"a file-scope buffer (line {variable.line})" if variable.line else "a global buffer"
