"""Walk every function of a module with ``ast``, knowing which statements hold a lock.

Shared by the ``ast``-based Python analyses (process-wide settings, class and function
objects): each node inside a function comes with its function, its class (for a
method) and whether a ``with <lock>:`` (or ``lock.acquire()`` before it) covers it.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_LOCK_NAME = re.compile(r"lock|mutex|_cond\b|condition|semaphore|\bsem\b", re.IGNORECASE)


def dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def children(node: ast.AST) -> list[ast.AST]:
    """``ast.iter_child_nodes(node)`` as a list, remembered on the node.

    ``ast.iter_child_nodes`` runs two Python generators per node; the passes walk the
    same subtrees many times over, so each node's children are listed once."""
    found = node.__dict__.get("_ftaudit_children")
    if found is None:
        found = []
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                found.append(value)
            elif isinstance(value, list):
                found.extend(item for item in value if isinstance(item, ast.AST))
        node._ftaudit_children = found
    return found


def _breadth_first(node: ast.AST) -> list[ast.AST]:
    """``list(ast.walk(node))``, same order (breadth first, children in field order)."""
    nodes = [node]
    for each in nodes:  # a list iterator sees what the loop appends
        # children(each), its remembered list looked up here: a call per node costs more
        listed = each.__dict__.get("_ftaudit_children")
        nodes.extend(children(each) if listed is None else listed)
    return nodes


def walk(node: ast.AST) -> list[ast.AST]:
    """Every node under ``node``, in ``ast.walk``'s order, remembered on the node.

    The passes walk the same module, classes and functions many times over (a dozen walks
    of a large module cost more than parsing it); the list is built once per subtree, and
    later walks iterate it. The tree is never changed after parsing, so it stays true."""
    descendants = node.__dict__.get("_ftaudit_descendants")
    if descendants is None:
        descendants = _breadth_first(node)
        node._ftaudit_descendants = descendants
    return descendants


def is_lock_expression(expression: ast.AST, locks: set[str]) -> bool:
    """``_lock``, ``self._lock``, ``_lock_for(key)``, ``threading.Lock()`` as a context manager."""
    if isinstance(expression, ast.Call):
        expression = expression.func
    name = dotted(expression)
    if not name:
        return False
    last = name.split(".")[-1]
    return last in locks or name in locks or bool(_LOCK_NAME.search(last))


# Not frozen: a module has a Visit for every statement and call in its functions, and a frozen
# dataclass takes three times as long to build.
@dataclass(slots=True)
class Visit:
    node: ast.AST
    function: ast.FunctionDef | ast.AsyncFunctionDef
    class_node: ast.ClassDef | None
    locked: bool


def function_nodes(tree: ast.Module, locks: set[str]) -> list[Visit]:
    """Every statement and every call inside a function (nested functions on their own),
    in statement order: all the passes read. Other expression nodes are left out; a
    module has ten of them for each statement, and a Visit each was most of the list.

    Several passes ask for the same module with the same locks; the list is kept on the
    tree for them. It is built by appending, not by nested generators, whose every item
    would climb back through each level of nesting."""
    remembered = tree.__dict__.setdefault("_ftaudit_function_nodes", {})
    key = frozenset(locks)
    if key not in remembered:
        visits: list[Visit] = []
        _in_body(tree.body, None, None, locks, False, visits)
        remembered[key] = visits
    return remembered[key]


def _in_body(statements, function, class_node, locks: set[str], locked: bool, out: list[Visit]) -> None:
    acquired = 0
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            _in_body(statement.body, statement, class_node if function is None else None, locks, False, out)
            continue
        if isinstance(statement, ast.ClassDef):
            _in_body(statement.body, None, statement, locks, False, out)
            continue
        held = locked or acquired > 0
        acquired = max(0, acquired + _acquires(statement, locks))
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            inner = held or any(is_lock_expression(item.context_expr, locks) for item in statement.items)
            if function is not None:
                out.append(Visit(statement, function, class_node, held))
                for item in statement.items:
                    _expression(item.context_expr, function, class_node, held, out)
            _in_body(statement.body, function, class_node, locks, inner, out)
            continue
        if function is not None:
            for child in children(statement):
                if not isinstance(child, (ast.stmt, ast.excepthandler)):
                    _expression(child, function, class_node, held, out)
            out.append(Visit(statement, function, class_node, held))
        blocks = [getattr(statement, name, None) for name in ("body", "orelse", "finalbody")]
        blocks += [handler.body for handler in getattr(statement, "handlers", [])]
        for block in blocks:
            if isinstance(block, list):
                _in_body(block, function, class_node, locks, held, out)


def _acquires(statement: ast.stmt, locks: set[str]) -> int:
    """+1 for ``lock.acquire()``, -1 for ``lock.release()`` as a statement, else 0."""
    call = statement.value if isinstance(statement, ast.Expr) else None
    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
        if is_lock_expression(call.func.value, locks):
            return {"acquire": 1, "release": -1}.get(call.func.attr, 0)
    return 0


def _expression(expression: ast.AST, function, class_node, locked: bool, out: list[Visit]) -> None:
    # A subexpression is walked once here: not the remembered list, which would keep a
    # list for every expression of the module.
    out.extend(
        Visit(node, function, class_node, locked)
        for node in _breadth_first(expression)
        if isinstance(node, ast.Call)
    )
