"""Another module's container, imported inside a function and changed there.

``from .configuration import _cfgobjs`` in a method, then ``_cfgobjs.clear()`` and
``_cfgobjs.update(saved)``: the name is bound to the other module's one object, which
every thread that imports it shares, so the swap is a module-level container mutation
even though this module never defines it. Only names that look private to their module
(a leading underscore) or are changed with a container method or a subscript count, and
only inside functions (an import-time change runs once); what a lock covers is skipped.
"""

from __future__ import annotations

import ast

from ...model.finding import Location
from .python_ast_walk import is_lock_expression, walk
from .python_container_aliases import AliasEvent

_CONTAINER_CHANGES = {
    "clear",
    "update",
    "pop",
    "popitem",
    "setdefault",
    "append",
    "extend",
    "remove",
    "add",
    "discard",
}


def _locked_lines(function, locks: set[str]) -> set[int]:
    held: set[int] = set()
    for node in walk(function):
        if isinstance(node, (ast.With, ast.AsyncWith)) and any(
            is_lock_expression(item.context_expr, locks) for item in node.items
        ):
            held.update(range(node.lineno, node.end_lineno + 1))
    return held


def _imported_names(function) -> dict[str, str]:
    """Local name -> ``module`` for ``from module import _name`` in the function."""
    names: dict[str, str] = {}
    for node in walk(function):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    module = "." * node.level + (node.module or "")
                    names[alias.asname or alias.name] = module
    return names


def imported_container_events(
    tree: ast.Module, path: str, lines: list[str], locks: set[str]
) -> list[AliasEvent]:
    events: list[AliasEvent] = []
    functions = [node for node in walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    for function in functions:
        imported = _imported_names(function)
        if not imported:
            continue
        held = _locked_lines(function, locks)
        for node in walk(function):
            name = detail = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                target = node.func.value
                if isinstance(target, ast.Name) and node.func.attr in _CONTAINER_CHANGES:
                    name, detail = target.id, node.func.attr
            elif isinstance(node, (ast.Assign, ast.Delete)):
                for target in node.targets:
                    if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        name = target.value.id
                        detail = "del" if isinstance(node, ast.Delete) else "subscript"
            if name not in imported or node.lineno in held:
                continue
            snippet = lines[node.lineno - 1].strip() if 0 < node.lineno <= len(lines) else ""
            events.append(
                AliasEvent(
                    name,
                    function.name,
                    node.lineno,
                    node.col_offset + 1,
                    detail,
                    f"imported from `{imported[name]}` in this function: that module's one object, "
                    "which every thread shares",
                    location=Location(
                        path=path, line=node.lineno, column=node.col_offset + 1, snippet=snippet
                    ),
                )
            )
    return events
