"""State that code takes a lock for in one place and changes without it in another.

A ``with self._lock:`` around ``self._live`` is the class's own word that other threads
use ``self._live``; a method that then writes ``self._live`` without the lock breaks the
protection for every locked reader (the lockset idea of Eraser, by Savage et al., 1997).
The same holds for the variables a decorator's closure shares between the functions it
makes: ``with lock: cache[key] = result`` in the wrapper, and ``cache.clear()`` in the
``cache_clear`` it hands out next to it, unlocked. Two kinds, read with ``ast``:

* an instance field read or written under a lock in some method and written (rebound,
  stored into, updated in place, deleted or mutated by a method call) outside any lock
  in another, outside construction (``__init__`` and what only it calls) and outside the
  private helpers that every caller calls with the lock held;
* a variable of an enclosing function that one nested function uses under a lock as a
  container (indexed, its methods called, updated in place) or rebinds through
  ``nonlocal``, and another nested function changes outside the lock, or reads outside it
  together with other such state in one statement (a snapshot the lock would keep
  whole): every call of the functions the closure makes shares the one object.

An ``async with`` lock orders coroutines on one event loop, not threads: it is no
evidence here. A class with its own ``acquire``/``release`` is a lock, whose fields its
holder owns; code with ``fork`` in its name runs in a child that has one thread. Each
event names the unlocked statement, the locked use and the lock.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...model.finding import Location
from .python_ast_walk import dotted, is_lock_expression, walk
from .python_helper_lock_sites import helper_lock_site_events
from .python_shared_evidence import class_methods, self_parameter
from .python_vocabulary import MUTATING_METHODS

_CONSTRUCTION = {"__init__", "__new__", "__post_init__", "__init_subclass__", "__set_name__", "__setstate__"}


@dataclass
class LockDisciplineEvent:
    name: str  # "Class.field" or "function.variable"
    function: str
    line: int
    column: int
    detail: str  # what the unlocked statement does
    evidence: str  # the locked use: where, and which lock
    kind: str = "lock-discipline"  # or "shared-stack": push and pop on a class that locks elsewhere
    location: Location | None = None


@dataclass
class _Use:
    node: ast.AST
    name: str
    locked: str  # the lock held ("" when none)
    write: bool
    iterated: bool = False  # `for x in self.f`, `iter(self.f)`, `list(self.f.items())`


def _regions(statements: list[ast.stmt], locks: set[str], held: str, out: list[tuple[ast.stmt, str]]) -> None:
    """Each statement of a function body (nested functions left out) with the lock held there."""
    acquired: list[str] = []
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        call = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
            if is_lock_expression(call.func.value, locks):
                if call.func.attr == "acquire":
                    acquired.append(dotted(call.func.value) or "the lock")
                elif call.func.attr == "release" and acquired:
                    acquired.pop()
        lock = held or (acquired[-1] if acquired else "")
        out.append((statement, lock))
        if isinstance(statement, ast.With):
            taken = [
                dotted(item.context_expr) or "a lock"
                for item in statement.items
                if is_lock_expression(item.context_expr, locks)
            ]
            _regions(statement.body, locks, lock or (taken[0] if taken else ""), out)
            continue
        for name in ("body", "orelse", "finalbody"):
            block = getattr(statement, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                _regions(block, locks, lock, out)
        for handler in getattr(statement, "handlers", []):
            _regions(handler.body, locks, lock, out)


def _own_nodes(statement: ast.stmt) -> list[ast.AST]:
    """The nodes of ``statement`` itself, not of the blocks nested in it (listed on their own)."""
    nodes: list[ast.AST] = []
    for name, value in ast.iter_fields(statement):
        if name in ("body", "orelse", "finalbody", "handlers"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                nodes.extend(walk(item))
    return nodes


def _field_uses(method, locks: set[str]) -> list[_Use]:
    self_name = self_parameter(method)
    statements: list[tuple[ast.stmt, str]] = []
    _regions(method.body, locks, "", statements)
    uses = []
    for statement, lock in statements:
        written = _written_field(statement, self_name)
        nodes = _own_nodes(statement)
        iterated = {id(node) for node in map(_iterated, nodes) if node is not None}
        for node in nodes:
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == self_name
            ):
                uses.append(_Use(statement, node.attr, lock, node.attr == written, id(node) in iterated))
    return uses


_COPYING = {"iter", "list", "tuple", "set", "sorted", "frozenset", "dict"}


def _iterated(node: ast.AST) -> ast.AST | None:
    """The expression ``node`` iterates over, element by element (a dict view's owner)."""
    iterable = None
    if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
        iterable = node.iter
    elif isinstance(node, ast.Call) and dotted(node.func) in _COPYING and len(node.args) == 1:
        iterable = node.args[0]
    if (
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr in ("items", "keys", "values")
    ):
        iterable = iterable.func.value
    return iterable


def _root_attribute(node: ast.AST, self_name: str) -> str | None:
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == self_name:
        return node.attr
    return None


def _written_field(statement: ast.stmt, self_name: str) -> str | None:
    targets: list[ast.AST] = []
    if isinstance(statement, (ast.Assign, ast.Delete)):
        targets = list(statement.targets)
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)) and statement.value is not None:
        targets = [statement.target]
    elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        function = statement.value.func
        if isinstance(function, ast.Attribute) and function.attr in MUTATING_METHODS:
            targets = [function.value]
    for target in targets:
        found = _root_attribute(target, self_name)
        if found:
            return found
    return None


def _unshared_methods(methods, locks: set[str]) -> set[str]:
    """Construction, code that runs in a forked child (one thread), and the private helpers
    that only such code, or code holding a lock, calls (worked out to a fixed point:
    ``_read_unlocked`` called under the lock makes what it calls locked too)."""
    skipped = {method.name for method in methods if method.name in _CONSTRUCTION or "fork" in method.name}
    calls: dict[str, list[tuple[str, bool]]] = {}  # callee -> (caller, lock held at the call)
    for method in methods:
        self_name = self_parameter(method)
        statements: list[tuple[ast.stmt, str]] = []
        _regions(method.body, locks, "", statements)
        for statement, lock in statements:
            for node in _own_nodes(statement):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == self_name
                ):
                    calls.setdefault(node.func.attr, []).append((method.name, bool(lock)))
    locked_helpers: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, sites in calls.items():
            if name in skipped or name in locked_helpers or not name.startswith("_") or name.startswith("__"):
                continue
            if all(held or caller in skipped or caller in locked_helpers for caller, held in sites):
                if any(held or caller in locked_helpers for caller, held in sites):
                    locked_helpers.add(name)
                else:
                    skipped.add(name)
                changed = True
    return skipped | locked_helpers


def _lock_lines(tree: ast.Module, locks: set[str]) -> list[int]:
    """The lines of every ``with <lock>:`` and ``<lock>.acquire()`` of the module: a class or
    function with none of them has no locked use to break, and most stop there."""
    found = []
    for inner in walk(tree):
        if isinstance(inner, ast.With) and any(
            is_lock_expression(item.context_expr, locks) for item in inner.items
        ):
            found.append(inner.lineno)
        elif (
            isinstance(inner, ast.Call)
            and isinstance(inner.func, ast.Attribute)
            and inner.func.attr == "acquire"
            and is_lock_expression(inner.func.value, locks)
        ):
            found.append(inner.lineno)
    return found


def _takes_a_lock(node: ast.AST, lock_lines: list[int]) -> bool:
    return any(node.lineno <= line <= (node.end_lineno or node.lineno) for line in lock_lines)


def _stack_calls(method):
    """``(field, "push" | "pop", statement)`` for the ``self.f.append(x)`` / ``self.f.pop()``
    statements of ``method``."""
    self_name = self_parameter(method)
    for node in walk(method):
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
            continue
        owner = call.func.value
        if not (isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name)):
            continue
        if owner.value.id != self_name:
            continue
        if call.func.attr == "append" and len(call.args) == 1:
            yield owner.attr, "push", node
        elif call.func.attr == "pop" and not call.args:
            yield owner.attr, "pop", node


def _stack_events(class_node, methods, skipped, guarded, lock_fields, locks) -> list[LockDisciplineEvent]:
    """A field used as a stack (``append`` in one method, ``pop()`` in another) of a class that
    takes a lock elsewhere: a thread's ``pop()`` can remove the entry another thread pushed.
    Both statements are reported, each naming the other."""
    calls: dict[str, dict[str, tuple[str, ast.AST]]] = {}  # field -> kind -> (method, statement)
    for method in methods:
        if method.name in skipped:
            continue
        locked = {id(statement) for statement, lock in _method_regions(method, locks) if lock}
        for field_name, kind, statement in _stack_calls(method):
            if id(statement) not in locked and field_name not in lock_fields and field_name not in guarded:
                calls.setdefault(field_name, {}).setdefault(kind, (method.name, statement))
    where, line, lock = next(iter(guarded.values()))
    evidence = f"{class_node.name} takes `{lock}` in {where}() (line {line}): its authors expect threads"
    events = []
    for field_name, kinds in calls.items():
        if len(kinds) < 2 or kinds["push"][0] == kinds["pop"][0]:
            continue  # push and pop in one method: a scoped use, not a stack shared across calls
        (push_method, push), (pop_method, pop) = kinds["push"], kinds["pop"]
        for method_name, node, what in (
            (
                push_method,
                push,
                f"pushes onto `self.{field_name}` (popped in {pop_method}(), line {pop.lineno})",
            ),
            (pop_method, pop, f"pops `self.{field_name}` (pushed in {push_method}(), line {push.lineno})"),
        ):
            events.append(
                LockDisciplineEvent(
                    f"{class_node.name}.{field_name}",
                    method_name,
                    node.lineno,
                    node.col_offset + 1,
                    f"{what} without a lock, so a thread can pop what another pushed",
                    evidence,
                    "shared-stack",
                )
            )
    return events


def _method_regions(method, locks: set[str]) -> list[tuple[ast.stmt, str]]:
    statements: list[tuple[ast.stmt, str]] = []
    _regions(method.body, locks, "", statements)
    return statements


def _event(name: str, function: str, node: ast.AST, detail: str, evidence: str) -> LockDisciplineEvent:
    return LockDisciplineEvent(name, function, node.lineno, node.col_offset + 1, detail, evidence)


def _instance_events(class_node: ast.ClassDef, locks: set[str]) -> list[LockDisciplineEvent]:
    methods = class_methods(class_node)
    if {"acquire", "release"} <= {method.name for method in methods}:
        return []  # a lock itself (threading's Python RLock): its holder owns its fields
    uses_by_method = {method.name: _field_uses(method, locks) for method in methods}
    lock_fields = {
        use.name
        for uses in uses_by_method.values()
        for use in uses
        if is_lock_expression(ast.Name(id=use.name), locks)
    }
    # `self._buffer` may be a property (a per-thread list behind it) or a method: not a field.
    lock_fields |= {
        member.name
        for member in class_node.body
        if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    guarded: dict[str, tuple[str, int, str]] = {}  # field -> (method, line, lock)
    locked_writes: dict[str, tuple[str, int, str]] = {}
    for method in methods:
        for use in uses_by_method[method.name]:
            if use.locked and use.name not in lock_fields and method.name not in _CONSTRUCTION:
                guarded.setdefault(use.name, (method.name, use.node.lineno, use.locked))
                if use.write:
                    locked_writes.setdefault(use.name, (method.name, use.node.lineno, use.locked))
    if not guarded:
        return []
    skipped = _unshared_methods(methods, locks)
    events = _stack_events(class_node, methods, skipped, guarded, lock_fields, locks)
    events += helper_lock_site_events(
        class_node, methods, skipped, lambda method: _method_regions(method, locks), _own_nodes, locks, _event
    )
    for method in methods:
        if method.name in skipped:
            continue
        reported: set[tuple[str, bool]] = set()
        for use in uses_by_method[method.name]:
            if use.locked or (use.name, use.write) in reported:
                continue
            # An unlocked write breaks every locked use; an unlocked iteration meets a
            # locked write (a set changed during iteration raises, a list skips items).
            found = (
                guarded.get(use.name)
                if use.write
                else (locked_writes.get(use.name) if use.iterated else None)
            )
            if found is None:
                continue
            where, line, lock = found  # (the same method counts: two threads can run it)
            reported.add((use.name, use.write))
            verb = "changes" if use.write else "iterates over"
            locked_verb = "uses" if use.write else "changes"
            events.append(
                LockDisciplineEvent(
                    f"{class_node.name}.{use.name}",
                    method.name,
                    use.node.lineno,
                    use.node.col_offset + 1,
                    f"{verb} `self.{use.name}` without a lock",
                    f"{where}() {locked_verb} `self.{use.name}` under `{lock}` (line {line}), the "
                    f"class's own sign "
                    "that other threads use it",
                )
            )
    return events


def _container_uses(function, names: set[str], counters: set[str], locks: set[str]) -> list[_Use]:
    """Uses of ``names`` as containers (indexed, a method called on them, ``len()`` of them),
    and every use of ``counters``, the variables some nested function rebinds through
    ``nonlocal`` (``hits += 1``)."""
    statements: list[tuple[ast.stmt, str]] = []
    _regions(function.body, locks, "", statements)
    uses = []
    for statement, lock in statements:
        targets = set()
        if isinstance(statement, (ast.Assign, ast.Delete)):
            targets = {id(target) for target in statement.targets}
        elif isinstance(statement, ast.AugAssign):
            targets = {id(statement.target)}
        for node in _own_nodes(statement):
            target = None
            if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.value, ast.Name):
                target = node.value.id
            elif isinstance(node, ast.Call) and dotted(node.func) == "len" and len(node.args) == 1:
                target = dotted(node.args[0])
            elif isinstance(node, ast.Name) and node.id in counters:
                target = node.id
            if target in names or (target in counters and isinstance(node, ast.Name)):
                write = id(node) in targets or (
                    isinstance(node, ast.Attribute) and node.attr in MUTATING_METHODS
                )
                uses.append(_Use(statement, target, lock, write))
    return uses


def _own_locals(function) -> set[str]:
    """Names ``function`` binds for itself (a parameter, a store without ``nonlocal``)."""
    names = {argument.arg for argument in walk(function.args) if isinstance(argument, ast.arg)}
    names |= {
        node.id for node in walk(function) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    declared = {name for node in walk(function) if isinstance(node, ast.Nonlocal) for name in node.names}
    return names - declared


def _closure_events(function, locks: set[str], lock_lines: list[int]) -> list[LockDisciplineEvent]:
    if not _takes_a_lock(function, lock_lines):
        return []
    # Functions nested at any depth: a decorator factory's variables reach the wrapper
    # and the `cache_clear` its inner decorator makes.
    nested = [
        inner for inner in walk(function) if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef))
    ][1:]
    if len(nested) < 2:
        return []
    bound = {argument.arg for argument in walk(function.args) if isinstance(argument, ast.arg)}
    bound |= {
        target.id
        for statement in function.body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }
    lock_names = {name for name in bound if is_lock_expression(ast.Name(id=name), locks)}
    shared = bound - lock_names
    counters = shared & {
        name
        for inner in nested
        for node in walk(inner)
        if isinstance(node, ast.Nonlocal)
        for name in node.names
    }
    uses = {
        inner.name: _container_uses(
            inner, shared - _own_locals(inner), counters - _own_locals(inner), locks | lock_names
        )
        for inner in nested
    }
    guarded: dict[str, tuple[str, int, str]] = {}
    for inner in nested:
        for use in uses[inner.name]:
            if use.locked:
                guarded.setdefault(use.name, (inner.name, use.node.lineno, use.locked))
    events = []
    for inner in nested:
        reported_lines: set[int] = set()
        # A lone unlocked read (`table.get(key)`) is one atomic step; two or more in one
        # statement (`Stats(hits, misses, len(table))`) are a snapshot the lock would keep whole.
        reads_per_statement: dict[int, int] = {}
        for use in uses[inner.name]:
            if not use.locked and not use.write and use.name in guarded:
                reads_per_statement[id(use.node)] = reads_per_statement.get(id(use.node), 0) + 1
        for use in uses[inner.name]:
            if use.locked or use.name not in guarded or use.node.lineno in reported_lines:
                continue
            if not use.write and reads_per_statement.get(id(use.node), 0) < 2:
                continue
            where, line, lock = guarded[use.name]
            if where == inner.name:
                continue  # the function that takes the lock: its unlocked uses are its own sequence
            reported_lines.add(use.node.lineno)
            verb = "changes" if use.write else "reads, with other state the lock covers,"
            events.append(
                LockDisciplineEvent(
                    f"{function.name}.{use.name}",
                    inner.name,
                    use.node.lineno,
                    use.node.col_offset + 1,
                    f"{verb} `{use.name}` without a lock",
                    f"`{use.name}` lives in the closure of {function.name}(), so every call of the "
                    f"functions it makes shares it, and {where}() uses it under `{lock}` (line {line})",
                )
            )
    return events


def lock_discipline_events(
    tree: ast.Module, path: str, lines: list[str], locks: set[str]
) -> list[LockDisciplineEvent]:
    events: list[LockDisciplineEvent] = []
    lock_lines = _lock_lines(tree, locks)
    if not lock_lines:
        return events
    for statement in tree.body:
        if isinstance(statement, ast.ClassDef) and _takes_a_lock(statement, lock_lines):
            events.extend(_instance_events(statement, locks))
    for function in walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            events.extend(_closure_events(function, locks, lock_lines))
    for event in events:
        snippet = lines[event.line - 1].strip() if 0 < event.line <= len(lines) else ""
        event.location = Location(path=path, line=event.line, column=event.column, snippet=snippet)
    return events
