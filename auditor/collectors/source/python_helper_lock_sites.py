"""A private helper that changes the instance, called under a lock at one site and bare at another.

``with self._state_lock: self._state_housekeeping()`` in one method is the class's own
word that the helper's writes need ``_state_lock``; an ``except`` path elsewhere that
calls ``self._state_housekeeping()`` holding no lock lets two threads run those writes
at once. (A call under another lock may be what that lock is for: only bare calls
count.) The finding sits on the call that lacks the lock and names the locked call
site, the lock and a field the helper changes.

Quiet where the callers' own locks cover it: construction (``__init__`` and what only it
calls), helpers every caller calls under some lock (see ``_unshared_methods``), and a
helper that takes the lock itself (its writes are then covered wherever it is called).
"""

from __future__ import annotations

import ast

from .python_ast_walk import is_lock_expression, walk
from .python_shared_evidence import self_parameter
from .python_vocabulary import MUTATING_METHODS


def _changed_field(method, self_name: str) -> str | None:
    """A field of ``self`` the method rebinds, updates or mutates in place, if any."""
    for node in walk(method):
        targets: list[ast.AST] = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign):
            targets = [node.target]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in MUTATING_METHODS:
                targets = [node.func.value]
        for target in targets:
            while isinstance(target, ast.Subscript):
                target = target.value
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == self_name
            ):
                return target.attr
    return None


def _takes_lock_itself(method, locks: set[str]) -> bool:
    for node in walk(method):
        if isinstance(node, (ast.With, ast.AsyncWith)):
            if any(is_lock_expression(item.context_expr, locks) for item in node.items):
                return True
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "acquire"
        ):
            if is_lock_expression(node.func.value, locks):
                return True
    return False


def helper_lock_site_events(class_node, methods, skipped, regions, own_nodes, locks, make_event) -> list:
    """Events for the unlocked calls of helpers another site calls under a lock.

    ``regions(method)`` lists ``(statement, lock held)``; ``own_nodes(statement)`` the
    statement's own nodes; ``make_event(name, function, node, detail, evidence)`` builds
    one :class:`LockDisciplineEvent` (passed in: this module sits below that one)."""
    by_name = {method.name: method for method in methods}
    sites: dict[str, list[tuple[str, ast.Call, str]]] = {}  # helper -> (caller, call, lock)
    for method in methods:
        if method.name in skipped:
            continue
        self_name = self_parameter(method)
        for statement, lock in regions(method):
            for node in own_nodes(statement):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == self_name
                    and node.func.attr in by_name
                    and node.func.attr.startswith("_")
                    and not node.func.attr.startswith("__")
                ):
                    sites.setdefault(node.func.attr, []).append((method.name, node, lock))
    events = []
    for helper, calls in sites.items():
        locked = [(caller, call, lock) for caller, call, lock in calls if lock]
        if not locked or len(locked) == len(calls):
            continue  # (a call under another lock may be covered by it: only bare calls count)
        target = by_name[helper]
        field_name = _changed_field(target, self_parameter(target))
        if field_name is None or _takes_lock_itself(target, locks):
            continue
        where, locked_call, lock = locked[0]
        for caller, call, held in calls:
            if held:
                continue
            without = "holding no lock"
            events.append(
                make_event(
                    f"{class_node.name}.{field_name}",
                    caller,
                    call,
                    f"calls `self.{helper}()`, which changes `self.{field_name}`, {without}",
                    f"{where}() calls `self.{helper}()` under `{lock}` "
                    f"(line {locked_call.lineno}), the class's own sign that its writes need that lock",
                )
            )
    return events
