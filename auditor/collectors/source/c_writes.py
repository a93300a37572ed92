"""Writes to shared state in C/C++ function bodies, however they are spelt.

Assignments, ``++``/``--``, ``Py_SETREF``, C++ container mutators, libc calls that fill
their first argument, calls that store through a pointer argument, writes through a
local alias of a static, and statics handed to a helper of the file that writes
through that parameter.
"""

from __future__ import annotations

import re

from .c_declarations import declarator_name
from .c_model import FunctionInfo, HelperWrite, StaticVariable, StaticWrite
from .c_vocabulary import (
    BUFFER_WRITERS,
    CPP_MUTATORS,
    OUT_PARAMETER_WRITERS,
    SETREF_MACROS,
    is_input_argument,
)

_NOT_GLOBALS = {"errno", "environ", "__func__", "self", "this"}


def write_target(unit, node):
    """The lvalue a statement writes: the left of ``=``, the operand of ``++``, the first
    argument of ``Py_SETREF``/``memcpy``-like calls, the object of a C++ mutator call."""
    if node.type == "assignment_expression":
        return node.child_by_field_name("left")
    if node.type == "update_expression":
        return node.child_by_field_name("argument")
    if node.type != "call_expression":
        return None
    callee = node.child_by_field_name("function")
    if callee is None:
        return None
    if callee.type == "identifier" and unit.node_text(callee) in SETREF_MACROS | BUFFER_WRITERS:
        named = unit.call_arguments(node)
        target = named[0] if named else None
        if target is not None and target.type == "pointer_expression":
            target = target.child_by_field_name("argument")  # memset(&state, ...)
        return target
    if callee.type == "field_expression" and unit.language == "cpp":
        field_node = callee.child_by_field_name("field")
        if field_node is not None and unit.node_text(field_node) in CPP_MUTATORS:
            return callee.child_by_field_name("argument")
    return None


def collect_writes(unit, function: FunctionInfo) -> None:
    for node in unit.walk(function.body):
        if node.type not in ("assignment_expression", "update_expression", "call_expression"):
            continue
        target = write_target(unit, node)
        if target is None:
            if node.type == "call_expression":
                out_parameter_writes(unit, node, function)
            continue
        base = base_identifier(unit, target)
        if base is not None:
            _record_write(unit, function, node, target, base)


def _record_write(unit, function: FunctionInfo, node, target, base) -> None:
    """File the write of ``target`` (rooted in ``base``) as a static write, an alias write or
    a write through a parameter."""
    name = unit.node_text(base)
    variable = unit.resolve(name, function)
    if variable is None and name in function.state_pointers and target.type == "field_expression":
        kind = function.state_kinds.get(name, "module state")
        variable = module_state_field(unit, target, name, kind)
    if variable is None and target.type != "identifier":
        # Through a pointer or reference: `alias->field = v`, `param[i].n--`.
        if name in function.aliases:
            unit.alias_writes.append((function.aliases[name], node, function))
            return
        if name in function.parameters and through_pointer(unit, target, base):
            index = function.parameters.index(name)
            function.parameter_writes.setdefault(index, []).append(node)
            return
    if variable is None and undeclared_global(unit, name, function, target):
        # C only: an identifier that is no local, parameter or static here, but
        # is assigned, comes from a header: a global defined in another file.
        variable = unit.statics.setdefault(
            name,
            StaticVariable(
                name=name, line=0, declaration_text=f"{name} (declared in a header: extern global)"
            ),
        )
    if variable is None or not variable.mutable:
        return
    unit.writes.append(
        StaticWrite(
            variable=variable,
            node=node,
            function=function,
            protected=unit.is_protected(node, function)
            or unit.in_gil_only_branch(node)
            or inside_once_lambda(unit, node),
        )
    )


def dot_field_of(unit, target, name: str) -> bool:
    """``name.field`` (or ``name.a.b``): a member of the named struct itself."""
    node = target
    while node is not None and node.type == "field_expression":
        operator = node.child_by_field_name("operator")
        if operator is None or unit.node_text(operator) != ".":
            return False
        node = node.child_by_field_name("argument")
    return node is not None and node.type == "identifier" and unit.node_text(node) == name


def through_pointer(unit, target, base) -> bool:
    """The lvalue dereferences ``base`` (``p->x``, ``p[i]``, ``*p``), not just rebinds it."""
    node = target
    while node is not None and node is not base and node.id != base.id:
        if node.type == "subscript_expression" or node.type == "pointer_expression":
            return True
        if node.type == "field_expression":
            operator = node.child_by_field_name("operator")
            if operator is not None and unit.node_text(operator) == "->":
                return True
        node = base_child(unit, node)
    return False


def static_argument(unit, argument, function: FunctionInfo):
    """The static a call argument hands over by address: ``&s``, ``&s.f``, ``&s[i]``,
    an array ``s`` (decays to a pointer), ``s + k``, or a local alias of a static."""
    node = argument
    while node is not None and node.type in ("parenthesized_expression", "cast_expression"):
        node = node.child_by_field_name("value") or next(
            (child for child in node.children if child.is_named), None
        )
    if node is None:
        return None
    if node.type == "binary_expression":
        node = node.child_by_field_name("left")
    if node.type == "pointer_expression" and unit.node_text(node).startswith("&"):
        base = base_identifier(unit, node.child_by_field_name("argument"))
        if base is None:
            return None
        name = unit.node_text(base)
        variable = unit.resolve(name, function)
        if variable is None and name in function.aliases:
            return function.aliases[name][0]
        if variable is None and undeclared_global(unit, name, function, base):
            # `&ImagingDefaultArena` where the struct is defined in another file.
            variable = unit.statics.setdefault(
                name,
                StaticVariable(
                    name=name, line=0, declaration_text=f"{name} (declared in a header: extern global)"
                ),
            )
        return variable if variable is not None and variable.mutable else None
    if node.type == "identifier":
        name = unit.node_text(node)
        if name in function.aliases:
            return function.aliases[name][0]
        variable = unit.resolve(name, function)
        if (
            variable is not None
            and variable.mutable
            and ("[" in variable.declaration_text or variable.is_pointer)
        ):
            return variable
    return None


def collect_aliases(unit, function: FunctionInfo) -> None:
    """Locals initialised to the address of a static, or C++ references bound to one."""
    for node in unit.walk(function.body):
        if node.type != "init_declarator":
            continue
        declarator = node.child_by_field_name("declarator")
        value = node.child_by_field_name("value")
        if declarator is None or value is None:
            continue
        name = declarator_name(unit, declarator)[0]
        if not name or unit.resolve(name, function) is not None:
            continue
        variable = None
        if declarator.type == "reference_declarator":
            base = base_identifier(unit, value)
            if base is not None:
                variable = unit.resolve(unit.node_text(base), function)
        elif declarator.type == "pointer_declarator" or value.type == "pointer_expression":
            variable = static_argument(unit, value, function)
        if variable is not None and variable.mutable:
            function.aliases[name] = (variable, node)


def collect_helper_writes(unit) -> list[HelperWrite]:
    """Calls that hand a static to a function of this file that writes through that
    parameter (numpy's ``_npy_alloc_cache(..., datacache, ...)``)."""
    writers = {function.name: function for function in unit.functions if function.parameter_writes}
    found: list[HelperWrite] = []
    if not writers:
        return found
    for function in unit.functions:
        for node in unit.walk(function.body):
            if node.type != "call_expression":
                continue
            callee_node = node.child_by_field_name("function")
            if callee_node is None or callee_node.type != "identifier":
                continue
            callee = writers.get(unit.node_text(callee_node))
            if callee is None:
                continue
            for index, argument in enumerate(unit.call_arguments(node)):
                writes = callee.parameter_writes.get(index)
                if not writes:
                    continue
                variable = static_argument(unit, argument, function)
                if variable is None:
                    continue
                unlocked = [
                    write
                    for write in writes
                    if not (unit.is_protected(write, callee) or unit.in_gil_only_branch(write))
                ]
                found.append(
                    HelperWrite(
                        variable=variable,
                        call=node,
                        caller=function,
                        callee=callee,
                        writes=unlocked,
                        protected=not unlocked
                        or unit.is_protected(node, function)
                        or unit.in_gil_only_branch(node)
                        or unit.runs_at_import(node, function),
                    )
                )
    return found


def out_parameter_writes(unit, call, function: FunctionInfo) -> None:
    """Statics a libc/C-API call stores into through a pointer argument."""
    callee = call.child_by_field_name("function")
    if callee is None or callee.type != "identifier":
        return
    written = OUT_PARAMETER_WRITERS.get(unit.node_text(callee))
    if written is None:
        return
    for index, argument in enumerate(unit.call_arguments(call)):
        if written == "all":
            if argument.type != "pointer_expression" or not unit.node_text(argument).startswith("&"):
                continue
            inner = base_identifier(unit, argument.child_by_field_name("argument"))
        elif index in written:
            inner = base_identifier(unit, argument)
        else:
            continue
        if inner is None:
            continue
        variable = unit.resolve(unit.node_text(inner), function)
        if variable is None or not variable.mutable or is_input_argument(unit.node_text(callee), variable):
            continue
        unit.writes.append(
            StaticWrite(
                variable=variable,
                node=call,
                function=function,
                protected=unit.is_protected(call, function) or unit.in_gil_only_branch(call),
                claimed_by="out-parameter",
            )
        )


def module_state_field(unit, target, pointer: str, kind: str = "module state") -> StaticVariable | None:
    """``st->field`` where ``st`` came from PyModule_GetState: one per interpreter, shared
    by every thread (PEP 687 isolation is not thread safety)."""
    node = target
    while node.type == "field_expression":
        inner = node.child_by_field_name("argument")
        if inner is not None and inner.type == "identifier":
            break
        node = inner
    field_node = node.child_by_field_name("field")
    if field_node is None:
        return None
    key = f"{pointer}->{unit.node_text(field_node)}"
    return unit.module_state_fields.setdefault(
        key,
        StaticVariable(name=key, line=0, declaration_text=f"{key}: {kind}, shared by all threads"),
    )


def undeclared_global(unit, name: str, function: FunctionInfo, target) -> bool:
    if unit.language != "c" or name in function.locals or name in _NOT_GLOBALS or name in unit.declared_names:
        return False
    if name.isupper() or name.startswith("_Py") or name in unit._function_names:
        return False  # macros, CPython internals behind macros, functions
    if function.node.has_error:
        return False  # a parse that went wrong may have hidden the local declaration
    if target.type != "identifier" and not dot_field_of(unit, target, name):
        # `arena.block_size = n` on a header's global struct is a write to it; `p->x`
        # or `p[i]` on an unknown name may be a macro-made local pointer.
        return False
    word = re.compile(rf"\b{re.escape(name)}\b")
    header = unit.original[function.node.start_byte : function.body.start_byte].decode("latin-1")
    if word.search(header):
        return False  # a K&R parameter declaration, or a macro-built signature
    before = unit.original[function.body.start_byte : target.start_byte].decode("latin-1")
    # A local declared by a macro: `MPD_NEW_STATIC(tmp, ...)`, `DECLARE(name)`.
    return re.search(rf"\b[A-Z][A-Z0-9_]*\s*\([^;]*\b{re.escape(name)}\b", before) is None


def inside_once_lambda(unit, node) -> bool:
    """A write inside the lambda given to std::call_once runs once, synchronised."""
    parent = unit.parent_of(node)
    while parent is not None and parent.type != "function_definition":
        if parent.type == "lambda_expression":
            grandparent = unit.parent_of(parent)
            call = unit.parent_of(grandparent) if grandparent is not None else None
            if (
                call is not None
                and call.type == "call_expression"
                and re.search(r"\bcall_once\b", unit.node_text(call.child_by_field_name("function")))
            ):
                return True
        parent = unit.parent_of(parent)
    return False


def base_identifier(unit, node):
    """The variable an lvalue is rooted in: ``a`` for ``a``, ``a.b``, ``a->b[i]``, ``*a``."""
    while node is not None:
        kind = node.type
        if kind in ("identifier", "qualified_identifier"):  # `Counter::instances` by its full name
            return node
        if kind in ("field_expression",) or kind == "subscript_expression" or kind == "pointer_expression":
            node = node.child_by_field_name("argument")
        elif kind in ("parenthesized_expression", "cast_expression"):
            node = node.child_by_field_name("value") or next(
                (child for child in node.children if child.is_named), None
            )
        else:
            return None
    return None


def base_child(unit, node):
    if node.type in ("field_expression", "subscript_expression", "pointer_expression"):
        return node.child_by_field_name("argument")
    if node.type in ("parenthesized_expression", "cast_expression"):
        return node.child_by_field_name("value") or next(
            (child for child in node.children if child.is_named), None
        )
    return None
