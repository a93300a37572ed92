"""One call's state carried on an object that serves every call, read with ``ast``.

Some objects are not handed to threads by name and are shared all the same, because
every call of something passes through them:

* a decorator-and-context-manager instance (prometheus' ``Histogram.time()``):
  ``__call__`` wraps the decorated function in ``with self:`` (or the class derives from
  ``contextlib.ContextDecorator``, whose ``__call__`` does the same), so one object
  enters and exits for every call of that function, on every thread;
* an object whose bound methods are registered as event callbacks
  (``listen(engine, "before_cursor_execute", self._before)``): the engine calls them
  for every statement, on whichever thread runs it.

On such an object, a field that one hook writes and its partner reads back
(``__enter__`` sets ``self._start``, ``__exit__`` reads it; ``_before()`` sets
``self.current_span``, ``_after()`` ends it) is one call's state in a place every call
shares: two overlapping calls overwrite each other's value, and one ends the other's
span or times the other's start. The event is the write, every read back after it in
the same hook, and every read in a partner hook.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from ...model.finding import Location
from .python_ast_walk import dotted, walk

# Calls that register a callable to be called back on events (SQLAlchemy's `listen`,
# blinker/Django signals' `connect`, pub-sub `subscribe`, GUI and emitter `add_*`).
_REGISTRATIONS = {
    "listen",
    "connect",
    "subscribe",
    "add_listener",
    "add_event_listener",
    "add_handler",
    "add_hook",
    "register_callback",
    "add_callback",
    "register_hook",
}
_CONSTRUCTION = {"__init__", "__new__", "__post_init__"}


@dataclass
class PerCallStateEvent:
    class_name: str
    field_name: str
    function: str
    line: int
    detail: str  # this statement's part, for the message
    evidence: str  # why every call shares the object
    location: Location | None = None


def per_call_state_events(tree: ast.Module, path: str, lines: list[str]) -> Iterator[PerCallStateEvent]:
    for class_node in walk(tree):
        if isinstance(class_node, ast.ClassDef):
            yield from _class_events(class_node, path, lines)


def _methods(class_node: ast.ClassDef) -> dict[str, ast.FunctionDef]:
    return {node.name: node for node in class_node.body if isinstance(node, ast.FunctionDef)}


def _self_name(method: ast.FunctionDef) -> str | None:
    arguments = method.args.posonlyargs + method.args.args
    return arguments[0].arg if arguments else None


def _class_events(class_node: ast.ClassDef, path: str, lines: list[str]) -> Iterator[PerCallStateEvent]:
    methods = _methods(class_node)
    pairs: list[tuple[str, list[str]]] = []  # (hook that writes, partners that read back)
    evidence = _wraps_every_call(methods) or _context_decorator(class_node, methods)
    if evidence is not None and "__enter__" in methods and "__exit__" in methods:
        pairs.append(("__enter__", ["__exit__"]))
    registered, registration = _registered_callbacks(methods)
    if len(registered) >= 2:
        evidence = evidence or registration
        for name in registered:
            pairs.append((name, [other for other in registered if other != name]))
    if evidence is None:
        return
    reported: set[int] = set()
    for writer, partners in pairs:
        for field_name, write_line in _fresh_writes(methods[writer]).items():
            readers = [
                (partner, read_line)
                for partner in partners
                for read_line in _reads(methods[partner], field_name)
            ]
            if not readers:
                continue
            partner_names = sorted({partner for partner, _ in readers})
            shown = ", ".join(f"{name}()" for name in partner_names)
            sites = [
                (writer, write_line, f"writes `self.{field_name}` for this call, which {shown} reads back"),
                *(
                    (
                        writer,
                        line,
                        f"reads back `self.{field_name}`, written for this call on line {write_line}",
                    )
                    for line in _reads(methods[writer], field_name)
                    if line > write_line
                ),
                *(
                    (
                        partner,
                        line,
                        f"reads `self.{field_name}`, which {writer}() (line {write_line}) wrote for "
                        "this call",
                    )
                    for partner, line in readers
                ),
            ]
            for function, line, detail in sites:
                if line in reported:
                    continue
                reported.add(line)
                snippet = lines[line - 1].strip() if 0 < line <= len(lines) else ""
                yield PerCallStateEvent(
                    class_node.name,
                    field_name,
                    f"{class_node.name}.{function}",
                    line,
                    detail,
                    evidence,
                    Location(path=path, line=line, column=1, snippet=snippet),
                )


def _wraps_every_call(methods: dict[str, ast.FunctionDef]) -> str | None:
    """``def __call__(self, f): def wrapped(*a): with self: ...``: the instance enters
    for every call of the function it decorates."""
    call = methods.get("__call__")
    if call is None:
        return None
    self_name = _self_name(call)
    for inner in walk(call):
        if inner is call or not isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in walk(inner):
            entered = isinstance(node, (ast.With, ast.AsyncWith)) and any(
                isinstance(item.context_expr, ast.Name) and item.context_expr.id == self_name
                for item in node.items
            )
            if entered:
                return (
                    f"__call__() wraps every call of the decorated function in `with {self_name}:` (line "
                    f"{node.lineno}): one instance enters and exits for every call, on every thread"
                )
    return None


def _context_decorator(class_node: ast.ClassDef, methods: dict[str, ast.FunctionDef]) -> str | None:
    """``class Timer(ContextDecorator)``: used as a decorator, its ``__call__`` enters
    ``self._recreate_cm()``, which is ``self`` unless the class overrides it."""
    if "_recreate_cm" in methods:
        return None
    for base in class_node.bases:
        if (dotted(base) or "").split(".")[-1] == "ContextDecorator":
            return (
                f"{class_node.name} is a ContextDecorator: as a decorator it enters the one instance for "
                "every call of the function, on every thread"
            )
    return None


def _registered_callbacks(methods: dict[str, ast.FunctionDef]) -> tuple[list[str], str | None]:
    """The methods handed, bound, to an event registration (``listen(engine, "evt",
    self._before)``), and the first registration as evidence."""
    registered: list[str] = []
    first = None
    for method in methods.values():
        self_name = _self_name(method)
        for node in walk(method):
            if not isinstance(node, ast.Call):
                continue
            name = (dotted(node.func) or "").split(".")[-1]
            if name not in _REGISTRATIONS:
                continue
            for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                if (
                    isinstance(argument, ast.Attribute)
                    and isinstance(argument.value, ast.Name)
                    and argument.value.id == self_name
                    and argument.attr in methods
                    and argument.attr not in registered
                ):
                    registered.append(argument.attr)
                    first = first or (
                        f"{method.name}() registers `{self_name}.{argument.attr}` with "
                        f"`{dotted(node.func)}` (line {node.lineno}): the callbacks run for every event, "
                        "on whichever thread fires it"
                    )
    return registered, first


def _fresh_writes(method: ast.FunctionDef) -> dict[str, int]:
    """Fields the hook sets to a new value for this call (``self.x = ...``, not ``self.x
    += 1``), before reading them: field -> first line."""
    self_name = _self_name(method)
    writes: dict[str, int] = {}
    read_first: set[str] = set()
    # An assignment's value is read before its target is stored: on one line, loads first.
    ordered = sorted(
        _self_attributes(method, self_name),
        key=lambda n: (n.lineno, isinstance(n.ctx, ast.Store), n.col_offset),
    )
    for node in ordered:
        if isinstance(node.ctx, ast.Store):
            if node.attr not in read_first:
                writes.setdefault(node.attr, node.lineno)
        elif node.attr not in writes:
            read_first.add(node.attr)
    return {name: line for name, line in writes.items() if name not in read_first}


def _reads(method: ast.FunctionDef, field_name: str) -> list[int]:
    """The lines of ``method`` that read ``self.<field_name>``, in order."""
    self_name = _self_name(method)
    return sorted(
        {
            node.lineno
            for node in _self_attributes(method, self_name)
            if node.attr == field_name and isinstance(node.ctx, ast.Load)
        }
    )


def _self_attributes(method: ast.FunctionDef, self_name: str | None) -> list[ast.Attribute]:
    if self_name is None or method.name in _CONSTRUCTION:
        return []
    return [
        node
        for node in walk(method)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == self_name
    ]
