"""Check-then-act sequences in C/C++ functions: the read that a racing write completes.

A write to shared state is only half of most real races: ``size = g_size; if (size == 0)
{ ...; g_size = size; }`` or ``if (!free_list) refill(); x = free_list; free_list =
x->next;`` go wrong because another thread writes between this thread's read and its
write. A maintainer judging a finding needs both lines, so the rules ask here for the
read that comes first.
"""

from __future__ import annotations

import re

# Nodes an lvalue is built from: the identifier at their root is what the write changes.
_LVALUE_WRAPPERS = {
    "field_expression",
    "subscript_expression",
    "parenthesized_expression",
    "pointer_expression",
}
_NOT_A_READ_PARENTS = {"sizeof_expression", "alignof_expression"}


def is_write_target(unit, node) -> bool:
    """Whether ``node`` (an identifier) is the root of an assignment's left-hand side."""
    child = node
    parent = unit.parent_of(node)
    if parent is not None and (parent.type.endswith("declarator") or parent.type == "declaration"):
        # The name being declared, not the initialiser it is read into (`int n = g_count;`).
        return parent.child_by_field_name("value") != node
    while parent is not None and parent.type in _LVALUE_WRAPPERS:
        if parent.type == "subscript_expression" and parent.child_by_field_name("argument") != child:
            return False  # used as an index: `table[n]` reads `n`
        if parent.type == "pointer_expression" and unit.node_text(parent).startswith("&"):
            return True  # its address is taken, not its value read
        child, parent = parent, unit.parent_of(parent)
    if parent is None:
        return False
    if parent.type == "assignment_expression":
        operator = parent.child_by_field_name("operator")
        plain = operator is None or unit.node_text(operator) == "="
        return parent.child_by_field_name("left") == child and plain
    return parent.type in _NOT_A_READ_PARENTS


def _mentions(unit, node, write) -> bool:
    """``node`` names the written variable: the static itself, or the ``st->field`` written."""
    name = write.variable.name
    if node.type == "identifier":
        return unit.node_text(node) == name and unit.resolve(name, write.function) is write.variable
    if node.type == "field_expression" and "->" in name:
        return re.sub(r"\s+", "", unit.node_text(node)) == name
    return False


def prior_read(unit, write):
    """The first unlocked read of ``write``'s variable in its function, on an earlier line.

    That read and the write are the two statements of a check-then-act (or of a
    read-modify-write split over statements); returns None when the function only ever
    writes the variable, or reads it on the write's own line (``n++``, ``x = x + 1``).
    """
    write_line = write.node.start_point[0]
    for node in unit.walk(write.function.body):
        if node.start_point[0] >= write_line:
            break
        if node.type not in ("identifier", "field_expression") or not _mentions(unit, node, write):
            continue
        if is_write_target(unit, node):
            continue
        if unit.is_protected(node, write.function) or unit.in_gil_only_branch(node):
            continue
        return node
    return None


_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
# Structs filled per call (a buffer request, a config), not objects threads share.
_PER_CALL_TYPES = {"Py_buffer", "PyCompilerFlags", "PyStatus", "PyConfig", "PyPreConfig", "PyType_Spec"}


def declared_type(unit, name: str, function) -> str | None:
    """The type name ``name`` is declared with as a pointer in ``function`` (``PyArrayObject``)."""
    text = _COMMENT.sub(" ", unit.node_text(function.node))
    match = re.search(rf"\b([A-Za-z_]\w*)\s*\*\s*(?:const\s+)?{re.escape(name)}\s*[,;)=\[]", text)
    return match.group(1) if match else None


def is_python_object_type(type_name: str | None, strict: bool = False) -> bool:
    """``PyObject``, ``PyArrayObject``, ``PyArray_Descr``, ``chainobject``: what Python code
    hands to several threads at once (plain C structs belong to their owner's lock).
    ``strict`` asks for an object type by name (``...Object``), leaving out the C API's
    plain structs (``PyArray_Dims``, ``PyArrayMethod_Spec``) that converters fill."""
    if not type_name or type_name in _PER_CALL_TYPES or type_name.endswith("_t"):
        return False  # Py_ssize_t, PyTime_t: an out-parameter, not an object
    if "object" in type_name.lower():
        return True
    return not strict and re.match(r"Py[A-Z]", type_name) is not None


# Accessor macros and functions that return a pointer into their first argument
# (`PyArray_DIMS(a)[i] = n` writes into `a`).
_ACCESSOR = re.compile(r"^(?:Py[A-Za-z]*_[A-Z]\w*|[A-Z][A-Z0-9_]*)$")


def lvalue_root(unit, node):
    """The identifier an lvalue writes into: ``a`` for ``a->f``, ``((T *)a)->f``, ``PyArray_DIMS(a)[i]``."""
    while node is not None:
        if node.type == "identifier":
            return node
        if node.type in ("field_expression", "subscript_expression", "pointer_expression"):
            node = node.child_by_field_name("argument")
        elif node.type in ("parenthesized_expression", "cast_expression"):
            node = node.child_by_field_name("value") or next(
                (child for child in node.named_children if child.type != "type_descriptor"), None
            )
        elif node.type == "call_expression":
            callee = node.child_by_field_name("function")
            arguments = unit.call_arguments(node)
            if callee is None or not arguments or not _ACCESSOR.match(unit.node_text(callee)):
                return None
            node = arguments[0]
        else:
            return None
    return None


def alternative_branches(unit, first, second) -> bool:
    """Whether the two nodes sit in different arms of one ``if``/``else`` (never both run)."""
    ancestors = {}
    child, parent = first, unit.parent_of(first)
    while parent is not None:
        if parent.type == "if_statement":
            ancestors[parent.id] = child
        child, parent = parent, unit.parent_of(parent)
    child, parent = second, unit.parent_of(second)
    while parent is not None:
        if parent.type == "if_statement" and parent.id in ancestors:
            return ancestors[parent.id].id != child.id
        child, parent = parent, unit.parent_of(parent)
    return False


_LOOPS = {"for_statement", "while_statement", "do_statement", "for_range_loop"}
_EXITS = {"return_statement", "goto_statement", "break_statement", "continue_statement"}


def _leaves(unit, statement) -> bool:
    if statement.type in _EXITS:
        return True
    # `Py_RETURN_NONE;`, `Py_RETURN_TRUE;`: macros that expand to a return.
    return statement.type == "expression_statement" and unit.node_text(statement).startswith("Py_RETURN_")


def in_exit_branch(unit, node) -> bool:
    """Whether ``node`` is on a path that leaves the function before the code after its
    block: an early return, an error path (``...; goto error;``), a ``case`` that returns.
    The function's own body does not count (it always ends in a return)."""
    child, parent = node, unit.parent_of(node)
    while parent is not None and parent.type not in ("compound_statement", "case_statement"):
        if parent.type == "function_definition":
            return False
        child, parent = parent, unit.parent_of(parent)
    if (
        parent is None
        or unit.parent_of(parent) is None
        or unit.parent_of(parent).type == "function_definition"
    ):
        return False
    statements = [part for part in parent.named_children if part.type != "comment"]
    later = statements[statements.index(child) + 1 :] if child in statements else []
    return any(_leaves(unit, statement) for statement in later)


def loop_without(unit, node, other):
    """The innermost loop around ``node`` that does not also hold ``other``, if any."""
    parent = unit.parent_of(node)
    while parent is not None and parent.type != "function_definition":
        if parent.type in _LOOPS:
            return None if parent.start_byte <= other.start_byte < parent.end_byte else parent
        parent = unit.parent_of(parent)
    return None


def why_container_shared(unit, argument, function) -> str:
    """Why another thread can reach the container an argument names (for the finding's message)."""
    text = " ".join(unit.node_text(argument).split()) if argument is not None else ""
    root = re.match(r"(?:\([^()]*\)\s*)?(?:[A-Z][A-Za-z0-9_]*\(\s*)?([A-Za-z_]\w*)", text)
    name = root.group(1) if root else ""
    variable = unit.resolve(name, function) if name else None
    if variable is not None:
        where = f"a function-level static of {variable.function}()" if variable.function else "a static"
        return f"`{name}` is {where}: one object for every thread"
    if name in function.state_pointers:
        kind = function.state_kinds.get(name, "module state")
        return f"`{text}` lives in {kind}, which every thread of the interpreter reaches"
    if name in function.parameters:
        if text == name:
            return (
                f"`{name}` is passed in by the caller, and Python code can share that object between threads"
            )
        return f"`{text}` belongs to `{name}`, an object passed in by the caller that other threads can hold"
    return f"`{text}` is not created in {function.name}(), so other threads can hold it"


_OBJECT_STRUCT = re.compile(
    r"\bstruct\s+(\w+)?\s*\{\s*(?:/\*.*?\*/\s*)?PyObject_(?:VAR_)?HEAD\b(?:[^{}]|\{[^{}]*\})*\}\s*(\w+)?",
    re.DOTALL,
)


# The tables that hand a type's functions to the interpreter: slots, method and getset tables.
_TYPE_TABLE = re.compile(
    r"\b(?:PyType_Slot|PyMethodDef|PyGetSetDef|PyTypeObject|PyNumberMethods|PySequenceMethods|"
    r"PyMappingMethods|PyAsyncMethods|PyBufferProcs)\s+\w+\s*(?:\[\s*\w*\s*\])?\s*=\s*\{(.*?)\}\s*;",
    re.DOTALL,
)


def python_object_types(unit) -> frozenset[str]:
    """Struct and typedef names declared in this file with ``PyObject_HEAD``: Python objects,
    whatever they are called (``typedef struct { PyObject_HEAD ... } Obj;``); and the types
    whose methods this file lists in a type's tables (``{Py_tp_repr, Variable_repr}`` with
    ``Variable_repr(Variable *self)``), declared in a header the scan does not read."""
    cached = getattr(unit, "_python_object_types", None)
    if cached is None:
        names = set()
        for match in _OBJECT_STRUCT.finditer(unit.text):
            names.update(name for name in match.groups() if name)
        by_name = {function.name: function for function in unit.functions}
        for table in _TYPE_TABLE.finditer(_COMMENT.sub(" ", unit.text)):
            for identifier in set(re.findall(r"\b[A-Za-z_]\w*\b", table.group(1))) & by_name.keys():
                function = by_name[identifier]
                if function.parameters:
                    type_name = declared_type(unit, function.parameters[0], function)
                    if type_name and type_name not in ("PyObject", "PyTypeObject", "void", "char"):
                        names.add(type_name)
        cached = frozenset(names)
        unit._python_object_types = cached
    return cached


def is_python_object(unit, name: str, function, strict: bool = False) -> bool:
    """Whether ``name`` is declared in ``function`` as a pointer to a Python object type."""
    type_name = declared_type(unit, name, function)
    return type_name in python_object_types(unit) or is_python_object_type(type_name, strict)


def cast_from_object_parameter(unit, name: str, function) -> bool:
    """``T *func = (T *)op;`` with ``op`` a ``PyObject *`` parameter: ``func`` is the caller's
    Python object under its concrete type, whatever ``T`` is called (``CPyFunction``)."""
    text = _COMMENT.sub(" ", unit.node_text(function.body))
    for match in re.finditer(
        rf"\b{re.escape(name)}\s*=\s*\(\s*[A-Za-z_]\w*\s*\*\s*\)\s*([A-Za-z_]\w*)\s*;", text
    ):
        source = match.group(1)
        if source in function.parameters and declared_type(unit, source, function) == "PyObject":
            return True
    return False


def read_only_parameter_behind(unit, name: str, function) -> str | None:
    """The parameter ``name`` was derived from when that parameter is declared ``const T *``:
    ``array = json_to_array(json)`` in ``do_dump(const json_t *json, ...)``. The function's
    contract says it only reads the object, so callers hand the same value to many threads
    at once; a store through ``name`` breaks that contract behind their backs."""
    header = unit.source[function.node.start_byte : function.body.start_byte].decode("latin-1")
    text = _COMMENT.sub(" ", unit.node_text(function.body))
    for match in re.finditer(
        rf"\b{re.escape(name)}\s*=\s*(?:\(\s*[A-Za-z_][\w\s]*\*\s*\)\s*|[A-Za-z_]\w*\s*\(\s*)*\(?\s*"
        r"([A-Za-z_]\w*)\s*\)*\s*;",
        text,
    ):
        source = match.group(1)
        if source in function.parameters and re.search(
            rf"\bconst\s+(?:struct\s+)?[A-Za-z_]\w*\s*\*\s*{re.escape(source)}\s*[,)]", header
        ):
            return source
    return None
