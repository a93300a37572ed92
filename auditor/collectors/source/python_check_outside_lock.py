"""A field tested outside the lock that the method it then calls takes to set the field.

``if not hasattr(self, '_conn'): self.reconnect()`` where ``reconnect()`` takes
``self._reconnect_lock`` and sets ``self._conn``: the class locks the set, so it expects
several threads, but the test that decides whether to set it runs before the lock, and
two threads can both find the field unset and both reconnect (the second replacing the
first one's connection, which a third thread may be using). The lock is taken with
``with self._lock:`` or ``self._lock.acquire()``; each event names the test, the call,
the locked store and the lock.
"""

from __future__ import annotations

import ast

from ...model.finding import Location
from .python_ast_walk import dotted, is_lock_expression, walk
from .python_lock_discipline import LockDisciplineEvent
from .python_shared_evidence import class_methods, self_parameter


def _lock_taken(statement: ast.stmt, self_name: str, locks: set[str]) -> str | None:
    """``self._lock`` for ``with self._lock:`` or ``self._lock.acquire()``."""
    if isinstance(statement, ast.With):
        for item in statement.items:
            name = dotted(
                item.context_expr.func if isinstance(item.context_expr, ast.Call) else item.context_expr
            )
            if name and name.startswith(self_name + ".") and is_lock_expression(item.context_expr, locks):
                return name
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        function = statement.value.func
        if isinstance(function, ast.Attribute) and function.attr == "acquire":
            name = dotted(function.value)
            if name and name.startswith(self_name + ".") and is_lock_expression(function.value, locks):
                return name
    return None


def _locked_stores(method, locks: set[str]) -> dict[str, tuple[str, int]]:
    """Fields the method stores into while it holds a lock of ``self``: field -> (lock, line)."""
    self_name = self_parameter(method)
    stores: dict[str, tuple[str, int]] = {}
    for statement in walk(method):
        if not isinstance(statement, ast.stmt):
            continue
        lock = _lock_taken(statement, self_name, locks)
        if lock is None:
            continue
        # `acquire()`: what follows it in the method; `with`: its body.
        region = statement.body if isinstance(statement, ast.With) else method.body
        for node in (inner for part in region for inner in walk(part)):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == self_name
                    ):
                        stores.setdefault(target.attr, (lock, node.lineno))
    return stores


def _locked_lines(method, locks: set[str]) -> set[int]:
    """Lines run holding a lock of ``self`` (a test there is the re-check under the lock)."""
    self_name = self_parameter(method)
    held: set[int] = set()
    for statement in walk(method):
        if isinstance(statement, ast.stmt) and _lock_taken(statement, self_name, locks):
            end = statement.end_lineno if isinstance(statement, ast.With) else method.end_lineno
            held.update(range(statement.lineno, end + 1))
    return held


def _unset_field(test: ast.AST, self_name: str) -> str | None:
    """``not hasattr(self, 'f')``, ``self.f is None``, ``not self.f``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        operand = test.operand
        if (
            isinstance(operand, ast.Call)
            and getattr(operand.func, "id", None) == "hasattr"
            and len(operand.args) == 2
            and isinstance(operand.args[0], ast.Name)
            and operand.args[0].id == self_name
            and isinstance(operand.args[1], ast.Constant)
            and isinstance(operand.args[1].value, str)
        ):
            return operand.args[1].value
        test = operand
    elif (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    ):
        test = test.left
    if isinstance(test, ast.Attribute) and isinstance(test.value, ast.Name) and test.value.id == self_name:
        return test.attr
    return None


def checks_outside_lock(
    tree: ast.Module, path: str, lines: list[str], locks: set[str]
) -> list[LockDisciplineEvent]:
    events: list[LockDisciplineEvent] = []
    for class_node in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        methods = class_methods(class_node)
        setters = {method.name: _locked_stores(method, locks) for method in methods}
        for method in methods:
            self_name = self_parameter(method)
            locked_lines = _locked_lines(method, locks)
            for statement in walk(method):
                if not isinstance(statement, ast.If):
                    continue
                field = _unset_field(statement.test, self_name)
                if field is None or statement.lineno in locked_lines:
                    continue
                for node in (inner for part in statement.body for inner in walk(part)):
                    called = dotted(node.func) if isinstance(node, ast.Call) else None
                    setter = (
                        called.split(".", 1)[1] if called and called.startswith(self_name + ".") else None
                    )
                    stored = setters.get(setter, {}).get(field) if setter != method.name else None
                    if stored is None:
                        continue
                    lock, line = stored
                    evidence = (
                        f"{setter}() sets `self.{field}` holding `{lock}` (line {line}), after the test: "
                        f"two threads can both find it unset and both run {setter}()"
                    )
                    for where, detail in (
                        (
                            statement.test,
                            f"tests `self.{field}` outside `{lock}` and then calls {setter}() "
                            f"(line {node.lineno})",
                        ),
                        (
                            node,
                            f"calls {setter}() after testing `self.{field}` outside `{lock}` "
                            f"(line {statement.lineno})",
                        ),
                    ):
                        snippet = lines[where.lineno - 1].strip() if 0 < where.lineno <= len(lines) else ""
                        location = Location(
                            path=path, line=where.lineno, column=where.col_offset + 1, snippet=snippet
                        )
                        events.append(
                            LockDisciplineEvent(
                                f"{class_node.name}.{field}",
                                method.name,
                                where.lineno,
                                where.col_offset + 1,
                                detail,
                                evidence,
                                location=location,
                            )
                        )
                    break
    return events
