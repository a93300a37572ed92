"""Two-step sequences over a shared instance's own containers, read from ``ast``.

:mod:`.python_shared_instances` decides which classes the module shows to be shared and
finds the check-then-act on one field. This module adds the sequences that span the
instance's containers as a whole, for a class such as an LRU cache that keeps a dict and
a deque in step:

* two containers changed one after the other (``del self._map[k]; self._order.remove(k)``):
  a thread running between the two statements sees them disagree, and its own update
  then breaks the invariant for good;
* ``if key in self: return self[key]`` (and ``self[key] = v``) on a class that defines
  ``__contains__`` and ``__getitem__`` over those containers: the check and the act are
  two method calls, and another thread can evict the key in between.

A container field is one that construction binds to a container (``{}``, ``[]``,
``dict()``, ``deque()``, ``OrderedDict()`` ...). A method attribute bound in construction
(``self._append = self._order.append``) counts as a change of the container it is taken
from. Statements under a lock are not reported.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from .python_ast_walk import dotted, walk
from .python_shared_evidence import class_methods, self_parameter
from .python_vocabulary import MUTATING_METHODS

_CONTAINER_FACTORIES = {
    "dict",
    "list",
    "set",
    "deque",
    "OrderedDict",
    "defaultdict",
    "Counter",
    "WeakValueDictionary",
    "WeakKeyDictionary",
    "WeakSet",
}
# What each protocol call on `self` reaches: `key in self`, `self[key]`, `self[key] = v`.
_PROTOCOL = ("__contains__", "__getitem__")


def _is_container(value: ast.AST) -> bool:
    if isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)):
        return True
    return (
        isinstance(value, ast.Call) and (dotted(value.func) or "").rsplit(".", 1)[-1] in _CONTAINER_FACTORIES
    )


class InstanceContainers:
    """The container fields of one class and the method attributes bound to them."""

    def __init__(self, class_node: ast.ClassDef, construction: set[str]) -> None:
        self.fields: set[str] = set()
        self.bound_methods: dict[str, str] = {}  # `_append` -> `_order` for self._append = self._order.append
        methods = class_methods(class_node)
        self.defined = {method.name for method in methods}
        for method in methods:
            if method.name not in construction:
                continue
            self_name = self_parameter(method)
            for node in walk(method):
                if not isinstance(node, ast.Assign):
                    continue
                for target in node.targets:
                    name = _self_attribute(target, self_name)
                    if name is None:
                        continue
                    if _is_container(node.value):
                        self.fields.add(name)
                    bound = node.value
                    if isinstance(bound, ast.Attribute) and bound.attr in MUTATING_METHODS:
                        source = _self_attribute(bound.value, self_name)
                        if source is not None:
                            self.bound_methods[name] = source

    def changed_by(self, statement: ast.stmt, self_name: str) -> str | None:
        """The one container field a simple statement changes, if it changes one."""
        changed: set[str] = set()
        for node in walk(statement):
            if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
                return None
            targets: list[ast.AST] = []
            if isinstance(node, (ast.Assign, ast.Delete)):
                targets = [target for target in node.targets if isinstance(target, ast.Subscript)]
            elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Subscript):
                targets = [node.target]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = _self_attribute(node.func.value, self_name)
                if owner in self.fields and node.func.attr in MUTATING_METHODS:
                    changed.add(owner)
                elif isinstance(node.func.value, ast.Name) and node.func.value.id == self_name:
                    bound = self.bound_methods.get(node.func.attr)
                    if bound in self.fields:
                        changed.add(bound)
            for target in targets:
                owner = _self_attribute(target.value, self_name)
                if owner in self.fields:
                    changed.add(owner)
        return next(iter(changed)) if len(changed) == 1 else None


def _self_attribute(node: ast.AST, self_name: str) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == self_name:
        return node.attr
    return None


# (field, node, what, other line) for each statement of a sequence found.
Sequence = tuple[str, ast.AST, str, int]


def container_sequences(
    method: ast.FunctionDef | ast.AsyncFunctionDef,
    containers: InstanceContainers,
    is_lock: Callable[[ast.AST], bool],
) -> Iterator[Sequence]:
    """The unlocked two-container updates and self-protocol check-then-acts of one method."""
    self_name = self_parameter(method)
    for block in _unlocked_blocks(method.body, is_lock):
        yield from _paired_changes(block, containers, self_name)
        if all(name in containers.defined for name in _PROTOCOL) and containers.fields:
            yield from _protocol_check_then_act(block, self_name)


def _unlocked_blocks(statements: list[ast.stmt], is_lock) -> Iterator[list[ast.stmt]]:
    yield statements
    for statement in statements:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, (ast.With, ast.AsyncWith)) and any(
            is_lock(item.context_expr) for item in statement.items
        ):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            function = statement.value.func
            if isinstance(function, ast.Attribute) and function.attr == "acquire" and is_lock(function.value):
                return  # the rest of this block runs with the lock held
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(statement, name, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                yield from _unlocked_blocks(inner, is_lock)
        for handler in getattr(statement, "handlers", []):
            yield from _unlocked_blocks(handler.body, is_lock)


def _paired_changes(
    block: list[ast.stmt], containers: InstanceContainers, self_name: str
) -> Iterator[Sequence]:
    previous: tuple[str, ast.stmt] | None = None
    for statement in block:
        if not isinstance(statement, (ast.Expr, ast.Assign, ast.AugAssign, ast.Delete)):
            previous = None
            continue
        changed = containers.changed_by(statement, self_name)
        if changed is None:
            previous = None
            continue
        if previous is not None and previous[0] != changed:
            first_field, first = previous
            yield (
                first_field,
                first,
                f"changes `self.{first_field}` and, on line {statement.lineno}, `self.{changed}`, which "
                "it keeps in step: a thread running between the two sees them disagree",
                statement.lineno,
            )
            yield (
                changed,
                statement,
                f"changes `self.{changed}` after changing `self.{first_field}` on line {first.lineno}, "
                "so the two containers are out of step in between",
                first.lineno,
            )
        previous = (changed, statement)


def _protocol_check_then_act(block: list[ast.stmt], self_name: str) -> Iterator[Sequence]:
    for statement in block:
        if not isinstance(statement, ast.If) or not _tests_membership_of_self(statement.test, self_name):
            continue
        act = _first_self_subscript(statement, self_name)
        if act is None:
            continue
        verb = "stores into" if isinstance(act.ctx, ast.Store) else "reads"
        yield (
            "__contains__",
            statement,
            f"checks `key in {self_name}`, and on line {act.lineno} {verb} `{self_name}[key]`: "
            "another thread can remove or add the key in between",
            act.lineno,
        )
        yield (
            "__getitem__",
            act,
            f"{verb} `{self_name}[key]` after the check on line {statement.lineno}",
            statement.lineno,
        )


def _tests_membership_of_self(test: ast.AST, self_name: str) -> bool:
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.In, ast.NotIn))
        and isinstance(test.comparators[0], ast.Name)
        and test.comparators[0].id == self_name
    )


def _first_self_subscript(statement: ast.If, self_name: str) -> ast.Subscript | None:
    """The first ``self[...]`` in the branch the test leads to, or after it."""
    for node in walk(ast.Module(body=[*statement.body, *statement.orelse], type_ignores=[])):
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == self_name
        ):
            return node
    return None
