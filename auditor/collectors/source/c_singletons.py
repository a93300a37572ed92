"""Statics reached through an accessor: ``Internals &get_internals() { static Internals i; return i; }``.

C++ code (pybind11's ``get_internals()``, Meyers singletons) and some C code hand out a
reference or pointer to one static object from a getter. Every caller then writes the
same object: ``get_internals().registered[key] = info;`` or ``auto &in = get_internals();
in.count++;``. The getter's own ``static`` is initialised safely (C++11), but nothing
orders the writes made through what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from .c_vocabulary import CPP_MUTATORS


@dataclass
class SingletonWrite:
    getter: str  # the accessor's name
    variable: object  # the StaticVariable it returns
    node: object  # the write (assignment, update or mutator call)
    function: object  # FunctionInfo of the writer
    alias: str | None  # the local bound to the accessor's result, if the write goes through one


def singleton_getters(unit) -> dict[str, object]:
    """Functions returning a reference or pointer to a mutable static: name -> StaticVariable."""
    getters = {}
    for function in unit.functions:
        declarator = function.node.child_by_field_name("declarator")
        if declarator is None or declarator.type not in ("reference_declarator", "pointer_declarator"):
            continue
        returns = [node for node in unit.walk(function.body) if node.type == "return_statement"]
        if len(returns) != 1:
            continue
        value = next(iter(returns[0].named_children), None)
        if value is not None and value.type == "pointer_expression":
            value = value.child_by_field_name("argument")
        if value is None or value.type != "identifier":
            continue
        variable = unit.resolve(unit.node_text(value), function)
        if variable is not None and variable.mutable:
            getters[function.name] = variable
    return getters


def _called_getter(unit, node, getters):
    """The getter ``node`` calls (``get_internals()``), if it is a call of one."""
    if node is None or node.type != "call_expression":
        return None
    callee = node.child_by_field_name("function")
    name = unit.node_text(callee).split("::")[-1] if callee is not None else ""
    return name if name in getters else None


def _root(unit, node):
    """The innermost expression an lvalue or a method call's object is built on."""
    while node is not None and node.type in (
        "field_expression",
        "subscript_expression",
        "pointer_expression",
        "parenthesized_expression",
    ):
        node = node.child_by_field_name("argument") or next(iter(node.named_children), None)
    return node


def _write_target(unit, node):
    if node.type == "assignment_expression":
        return node.child_by_field_name("left")
    if node.type == "update_expression":
        return node.child_by_field_name("argument")
    if node.type == "call_expression":
        callee = node.child_by_field_name("function")
        if callee is not None and callee.type == "field_expression":
            field = callee.child_by_field_name("field")
            if field is not None and unit.node_text(field) in CPP_MUTATORS:
                return callee.child_by_field_name("argument")
    return None


def singleton_writes(unit) -> list[SingletonWrite]:
    """Writes made through what a singleton getter returns, directly or through a local bound to it."""
    getters = singleton_getters(unit)
    found: list[SingletonWrite] = []
    if not getters:
        return found
    for function in unit.functions:
        if function.name in getters:
            continue
        aliases: dict[str, str] = {}
        for node in unit.walk(function.body):
            if node.type == "init_declarator":
                getter = _called_getter(unit, node.child_by_field_name("value"), getters)
                declarator = node.child_by_field_name("declarator")
                if (
                    getter
                    and declarator is not None
                    and declarator.type
                    in (
                        "reference_declarator",
                        "pointer_declarator",
                    )
                ):
                    name = next(
                        (unit.node_text(part) for part in unit.walk(declarator) if part.type == "identifier"),
                        None,
                    )
                    if name:
                        aliases[name] = getter
                continue
            target = _write_target(unit, node)
            root = _root(unit, target) if target is not None else None
            if root is None or root is target and node.type != "call_expression":
                continue  # rebinding a local, not writing the object
            getter = _called_getter(unit, root, getters)
            alias = None
            if getter is None and root.type == "identifier" and unit.node_text(root) in aliases:
                alias = unit.node_text(root)
                getter = aliases[alias]
            if getter is not None:
                found.append(SingletonWrite(getter, getters[getter], node, function, alias))
    return found
