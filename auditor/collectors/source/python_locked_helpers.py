"""Private helpers that the module only ever calls with a lock held.

``with self._lock: self.pos = self._get_free_pos(self)`` at every call site makes the
helper's unlocked-looking loop over shared state as protected as its callers: reporting
it would be a false alarm that a maintainer dismisses in seconds, then distrusts the
rest. Only private names count (a public method may be called from anywhere, lock or
not), and only when every mention of the name is a call under a lock: a helper handed on
as a callback, or called once without the lock, stays reported.

Read with ``ast`` through :func:`~.python_ast_walk.function_nodes`, which already knows
which calls a ``with <lock>:`` or ``lock.acquire()`` covers.
"""

from __future__ import annotations

import ast

from .python_ast_walk import function_nodes, walk


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def functions_called_under_lock(tree: ast.Module, locks: set[str]) -> set[str]:
    """Names of the private functions and methods that every caller calls with a lock held."""
    defined = {
        node.name
        for node in walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _is_private(node.name)
    }
    if not defined:
        return set()
    locked_calls: dict[str, int] = {}
    unlocked: set[str] = set()
    called_nodes: set[int] = set()
    for visit in function_nodes(tree, locks):
        node = visit.node
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", None)
        if name not in defined:
            continue
        called_nodes.add(id(function))
        if visit.locked:
            locked_calls[name] = locked_calls.get(name, 0) + 1
        else:
            unlocked.add(name)
    # Any other mention (a callback, a call at module level, `getattr` aside) is a caller
    # whose lock we cannot see.
    for node in walk(tree):
        if id(node) in called_nodes:
            continue
        if isinstance(node, ast.Attribute) and node.attr in locked_calls:
            unlocked.add(node.attr)
        elif isinstance(node, ast.Name) and node.id in locked_calls:
            unlocked.add(node.id)
    return {name for name in locked_calls if name not in unlocked}
