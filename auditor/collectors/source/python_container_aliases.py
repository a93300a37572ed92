"""Module-level containers changed through a local name, read with ``ast``.

The LibCST pass sees ``_cache[k] = v`` and ``_cache[k].append(v)``; real code often
takes a local first, and the change goes through it:

* ``d = _deferred`` then ``d[key].append(callback)``: the local *is* the module's dict;
* ``pending = _deferred[key]`` then ``for callback in pending: ...`` and
  ``pending.clear()``: the local is an entry of it, which every thread that looks the
  key up shares; another thread's ``_deferred[key].append(...)`` between the loop and
  the ``clear()`` is lost.

Each event names the statement that took the local and the one that changes what it
refers to, and, when the change sits under an ``if`` that tests another module-level
container something changes at run time (``if key in _ready: ... else:
d[key].append(...)``), that test as well. Nothing under a lock.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...model.finding import Location
from .python_ast_walk import function_nodes, walk
from .python_vocabulary import MUTATING_METHODS

_ENTRY_READERS = {"get", "setdefault", "__getitem__"}


@dataclass
class AliasEvent:
    container: str
    function: str
    line: int
    column: int
    detail: str  # "subscript", "element clear", ...
    evidence: str  # the statement that took the local
    other_line: int = 0
    location: Location | None = None


def _local_binding(value: ast.AST, containers: set[str], local_names: set[str]) -> tuple[str, str] | None:
    """``(container, "alias" | "entry")`` for ``_cache`` / ``_cache[k]`` / ``_cache.get(k)``."""
    if isinstance(value, ast.Name) and value.id in containers and value.id not in local_names:
        return value.id, "alias"
    if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name):
        name = value.value.id
        if name in containers and name not in local_names:
            return name, "entry"
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in _ENTRY_READERS
        and isinstance(value.func.value, ast.Name)
        and value.func.value.id in containers
        and value.func.value.id not in local_names
    ):
        return value.func.value.id, "entry"
    return None


def _bound_names(function) -> set[str]:
    names = {argument.arg for argument in walk(function.args) if isinstance(argument, ast.arg)}
    names |= {
        node.id for node in walk(function) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    declared = {name for node in walk(function) if isinstance(node, ast.Global) for name in node.names}
    return names - declared


def _change_through(statement: ast.AST, local: str, kind: str) -> str | None:
    """What ``statement`` does to the object ``local`` names, as an event detail."""
    targets: list[ast.AST] = []
    if isinstance(statement, (ast.Assign, ast.Delete)):
        targets = list(statement.targets)
    elif isinstance(statement, ast.AugAssign):
        targets = [statement.target]
    for target in targets:
        if (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and target.value.id == local
        ):
            verb = "del" if isinstance(statement, ast.Delete) else "subscript"
            return verb if kind == "alias" else f"element {verb}"
    call = statement.value if isinstance(statement, ast.Expr) else None
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in MUTATING_METHODS
    ):
        owner = call.func.value
        if isinstance(owner, ast.Name) and owner.id == local:
            return call.func.attr if kind == "alias" else f"element {call.func.attr}"
        if (
            kind == "alias"
            and isinstance(owner, ast.Subscript)
            and isinstance(owner.value, ast.Name)
            and owner.value.id == local
        ):
            return f"element {call.func.attr}"
    return None


def _takes_a_container(statements, containers: set[str]) -> bool:
    return any(
        isinstance(visit.node, ast.Assign) and _local_binding(visit.node.value, containers, set())
        for visit in statements
    )


def _change_events(function, node, local, binding, tests, events: list[AliasEvent]) -> None:
    """The events of one change ``node`` makes through ``local``."""
    container, kind, line, detail = binding
    if kind == "alias":
        evidence = f"through `{local}`, which is `{container}` (line {line})"
        events.append(
            AliasEvent(container, function.name, node.lineno, node.col_offset + 1, detail, evidence, line)
        )
    else:
        # The read of the entry and the change of it are the two statements.
        what = (
            f"reads an entry of `{container}` into `{local}` here and, on line {node.lineno}, "
            f"changes it ({detail.split()[1]})"
        )
        events.append(AliasEvent(container, function.name, line, 1, "entry", what, node.lineno))
    for test, tested in tests:
        if tested != container and any(inner is node for inner in walk(test)):
            what = (
                f"tests `{tested}` here and then, on line {node.lineno}, changes module-level `{container}` "
                "on what the test found"
            )
            events.append(
                AliasEvent(tested, function.name, test.lineno, test.col_offset + 1, "test", what, node.lineno)
            )


def _function_events(statements, containers: set[str], changed: set[str], events: list[AliasEvent]) -> None:
    function = statements[0].function
    local_names = _bound_names(function)
    bindings: dict[str, tuple[str, str, int]] = {}  # local -> (container, kind, line)
    reported: set[tuple[str, int]] = set()  # the first change through a local says it; more repeat it
    tests: list[tuple[ast.If, str]] = []  # enclosing-if candidates: (if, container tested)
    for visit in statements:
        node = visit.node
        if isinstance(node, ast.If):
            tested = {
                inner.id for inner in walk(node.test) if isinstance(inner, ast.Name) and inner.id in changed
            }
            tests.extend((node, name) for name in tested if name not in local_names)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            local = node.targets[0].id
            found = _local_binding(node.value, containers, local_names - {local})
            if found and not visit.locked:
                bindings[local] = (*found, node.lineno)
            else:
                bindings.pop(local, None)
            continue
        if visit.locked:
            continue
        for local, (container, kind, line) in list(bindings.items()):
            detail = _change_through(node, local, kind)
            if detail is not None and (local, line) not in reported:
                reported.add((local, line))
                _change_events(function, node, local, (container, kind, line, detail), tests, events)


def container_alias_events(
    tree: ast.Module, path: str, lines: list[str], containers: set[str], changed: set[str], locks: set[str]
) -> list[AliasEvent]:
    if not containers:
        return []
    events: list[AliasEvent] = []
    visits = [visit for visit in function_nodes(tree, locks) if isinstance(visit.node, ast.stmt)]
    by_function: dict[int, list] = {}
    for visit in visits:
        by_function.setdefault(id(visit.function), []).append(visit)
    for statements in by_function.values():
        if _takes_a_container(statements, containers):  # else no local takes a container or an entry
            _function_events(statements, containers, changed, events)
    for event in events:
        snippet = lines[event.line - 1].strip() if 0 < event.line <= len(lines) else ""
        event.location = Location(path=path, line=event.line, column=event.column, snippet=snippet)
    return events
