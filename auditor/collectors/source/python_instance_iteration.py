"""Loops over, and checked indexing into, the containers of an instance shown to be shared.

``for tid, trace in self._cache.items():`` on a process-wide cache while every thread's
``self._cache[tid] = trace`` adds to it ends in ``RuntimeError: dictionary changed size
during iteration``; ``list(self._subs.values())`` copies one entry at a time and fails
the same way (``self._subs.copy()`` is one snapshot under the dict's lock). And
``if not len(self._keep): break`` followed by ``self._keep[0]`` indexes a deque that a
worker thread's ``self._keep.remove(conn)`` can have emptied in between (IndexError).

These helpers say which fields a class changes in place outside construction, and which
field a loop or an index reads; :mod:`.python_shared_instances` decides, with the class's
evidence of sharing and the locks held, what is reported.
"""

from __future__ import annotations

import ast

from .python_ast_walk import walk
from .python_vocabulary import MUTATING_METHODS

_REMOVING_METHODS = {"pop", "popleft", "popitem", "remove", "discard", "clear"}
_RETURN_NONE = {"add", "discard", "remove", "update", "clear", "append", "extend", "insert", "appendleft"}
_VIEW_METHODS = {"items", "keys", "values"}
# Builtins that walk their argument one entry at a time (a copy made this way is no snapshot).
_ENTRY_BY_ENTRY = {"list", "tuple", "sorted", "set", "frozenset", "dict", "sum", "min", "max", "any", "all"}
# Wrappers that walk nothing until a loop pulls from them (`return iter(self._queue)` does not).
_LAZY_WRAPPERS = {"enumerate", "iter", "zip", "reversed"}


def _self_container(node: ast.AST, self_name: str) -> str | None:
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == self_name:
        return node.attr
    return None


def changed_in_place(
    methods, construction: set[str], self_parameter
) -> tuple[dict[str, int], dict[str, int]]:
    """``(field -> line of a change, field -> line of a removal)`` over the methods outside
    construction: stores and deletes of entries, mutating method calls, ``+=`` on an entry."""
    changed: dict[str, int] = {}
    removed: dict[str, int] = {}
    for method in methods:
        if method.name in construction:
            continue
        self_name = self_parameter(method)
        # `add`/`discard`/`append`... return None on the builtin containers: a call whose result
        # is used (`uncrawled=self._uncrawled.discard(uri)`) is a persistent set making a new one.
        statements = {id(node.value) for node in walk(method) if isinstance(node, ast.Expr)}
        for node in walk(method):
            field_name, removal = None, False
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Subscript):
                        field_name = _self_container(target, self_name) or field_name
                        removal = removal or isinstance(node, ast.Delete)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in MUTATING_METHODS or node.func.attr == "popleft":
                    owner = node.func.value
                    returns_none = node.func.attr in _RETURN_NONE
                    if isinstance(owner, ast.Attribute) and (id(node) in statements or not returns_none):
                        field_name = _self_container(owner, self_name)
                        removal = node.func.attr in _REMOVING_METHODS
            if field_name:
                changed.setdefault(field_name, node.lineno)
                if removal:
                    removed.setdefault(field_name, node.lineno)
    return changed, removed


def iterated_fields(statement: ast.AST, self_name: str) -> list[tuple[str, ast.AST]]:
    """``(field, node)`` for each loop of ``statement`` over ``self.x`` or its views, directly
    or through ``list(...)``/``sorted(...)``; not ``self.x.copy()`` (one snapshot)."""
    iterables: list[ast.AST] = []
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        iterables.append(statement.iter)
    roots = [statement.iter] if isinstance(statement, (ast.For, ast.AsyncFor)) else [statement]
    for root in roots:
        for node in walk(root):
            if isinstance(node, ast.comprehension):
                iterables.append(node.iter)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in _ENTRY_BY_ENTRY and node.args:
                    iterables.append(node.args[0])
    found = []
    for iterable in iterables:
        while isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name) and iterable.args:
            if iterable.func.id not in _LAZY_WRAPPERS:
                break
            iterable = iterable.args[0]
        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Attribute)
            and iterable.func.attr in _VIEW_METHODS
            and not iterable.args
        ):
            iterable = iterable.func.value
        if isinstance(iterable, ast.Attribute):
            field_name = _self_container(iterable, self_name)
            if field_name:
                found.append((field_name, iterable))
    return found


def indexed_field(node: ast.AST, self_name: str) -> str | None:
    """``x`` for a read ``self.x[i]`` (not a store, not ``self.x[i][j]``'s inner part)."""
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Load)
        and isinstance(node.value, ast.Attribute)
    ):
        return _self_container(node.value, self_name)
    return None


def fields_used_under_lock(class_node: ast.ClassDef, is_lock) -> set[str]:
    """Fields some method touches inside ``with <lock>:``: FTP012 reports the unlocked
    loops over those, naming the lock, so these passes leave them to it."""
    used: set[str] = set()
    for node in walk(class_node):
        if isinstance(node, ast.With) and any(is_lock(item.context_expr) for item in node.items):
            for inner in walk(ast.Module(body=node.body, type_ignores=[])):
                if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name):
                    used.add(inner.attr)
    return used
