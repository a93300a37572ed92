"""What one method of a Cython class does to ``self``, read from Cython's own tree.

:class:`~.cython_shared_instances._SharedInstance` decides whether the class's instances
are shared and reports; this module walks each method once and records its writes,
calls and reads of ``self`` (locked or not), and the pairs a race needs: a field tested
unset then set, a counter read then updated, a key tested in a container then used.
"""

from __future__ import annotations

from typing import ClassVar

from .cython_tree import (
    _LOCK_NAME,
    _children,
    _dotted,
    _is_unset_value,
    _returns,
    _type_name,
    _walk_nodes,
)
from .python_vocabulary import MUTATING_METHODS


class _MethodFacts:
    """What one method does to ``self``: writes, calls and reads, locked or not, and
    the check-then-set and read-then-update pairs on its fields."""

    def __init__(self, owner, method) -> None:
        # owner: the cython_shared_instances._SharedInstance whose method this is
        self.owner = owner
        self.self_name = owner._self_name(method)
        self.takes_lock = False
        self.lock_text = ""
        self.lock_depth = 0
        self.writes: list[tuple[str, object]] = []
        self.unlocked_writes: list[tuple[str, object]] = []
        self.self_calls: set[str] = set()
        self.unlocked_self_calls: list[tuple[str, object]] = []
        self.unlocked_attribute_calls: list[tuple[str, object]] = []
        self.unlocked_reads: list[tuple[str, object]] = []
        self.lazy_pairs: list[tuple[str, object, object]] = []
        self.read_then_update: list[tuple[str, object, object]] = []
        self.compound_writes: list[tuple[str, object]] = []  # `self.n += 1` outside a lock
        self.flag_tests: list[tuple[str, object]] = []  # `if self.frozen:` outside a lock
        self.flag_sets: list[tuple[str, object]] = []  # `self.frozen = True` outside a lock
        self._unset_tests: list[dict[str, object]] = []
        self._checked: dict[str, object] = {}  # early-return `if self._x is not None: return`
        # `if k not in self._d: raise`: the container tested for a key, then indexed below.
        self._membership: list[dict[str, object]] = []
        self._membership_checked: dict[str, object] = {}
        self.membership_pairs: list[tuple[str, object, object]] = []  # field, test, use
        self._store_targets: set[int] = set()
        if self.self_name:
            self._walk(method.body)

    def _self_path(self, node) -> str | None:
        """``_aug_state.gauss`` for ``self._aug_state.gauss`` / ``self._x[i]``."""
        parts = []
        while _type_name(node) in ("AttributeNode", "IndexNode", "SliceIndexNode"):
            if _type_name(node) == "AttributeNode":
                parts.append(node.attribute)
                node = node.obj
            else:
                parts = []  # `self._x[i].f` is the container `_x`
                node = node.base
        if _type_name(node) == "NameNode" and node.name == self.self_name and parts:
            return ".".join(reversed(parts))
        return None

    def _is_lock_field(self, path: str) -> bool:
        return path.split(".")[0] in self.owner.lock_fields or bool(_LOCK_NAME.search(path.split(".")[0]))

    def _tested_paths(self, test, unset: bool) -> set[str]:
        """Fields the test checks for being unset (``self._x is None``, ``not self._x``)
        or, with ``unset=False``, for being set."""
        kind = _type_name(test)
        if kind == "BoolBinopNode":
            if (test.operator == "and") == unset:
                return self._tested_paths(test.operand1, unset) | self._tested_paths(test.operand2, unset)
            return set()
        operand = None
        if kind == "NotNode":
            operand = test.operand if unset else None
        elif kind == "PrimaryCmpNode" and test.cascade is None and _is_unset_value(test.operand2):
            if test.operator in (("is", "==") if unset else ("is_not", "!=")):
                operand = test.operand1
        elif kind == "AttributeNode" and not unset:
            operand = test
        path = (
            self._self_path(operand)
            if operand is not None and _type_name(operand) == "AttributeNode"
            else None
        )
        return {path} if path and not self._is_lock_field(path) else set()

    def _lazy_check_of(self, path: str):
        for tests in reversed(self._unset_tests):
            if path in tests:
                return tests[path]
        return self._checked.get(path)

    def _membership_tested(self, test) -> str | None:
        """``self._d`` for ``k in self._d`` / ``k not in self._d``."""
        if _type_name(test) != "PrimaryCmpNode" or test.cascade is not None:
            return None
        if test.operator not in ("in", "not_in"):
            return None
        path = self._self_path(test.operand2)
        return path if path and "." not in path and not self._is_lock_field(path) else None

    def _membership_check_of(self, path: str):
        for tests in reversed(self._membership):
            if path in tests:
                return tests[path]
        return self._membership_checked.get(path)

    def _walk_if(self, node) -> None:
        for clause in node.if_clauses:
            if not self.lock_depth:
                tested = self._tested_paths(clause.condition, True) | self._tested_paths(
                    clause.condition, False
                )
                self.flag_tests += [(path, clause.condition) for path in sorted(tested)]
            self._walk(clause.condition)
            self._unset_tests.append(
                dict.fromkeys(self._tested_paths(clause.condition, True), clause.condition)
            )
            member = None if self.lock_depth else self._membership_tested(clause.condition)
            self._membership.append({member: clause.condition} if member else {})
            self._walk(clause.body)
            self._membership.pop()
            self._unset_tests.pop()
            if _returns(clause.body):
                for path in self._tested_paths(clause.condition, False):
                    self._checked.setdefault(path, clause.condition)
                if member:
                    self._membership_checked[member] = clause.condition
        if node.else_clause is not None:
            self._walk(node.else_clause)

    def _walk_try(self, node) -> None:
        """``try: return self._by_name[k]`` / ``except KeyError: self._by_name[k] = ...``."""
        self._walk(node.body)
        lookups = {}
        for child in _walk_nodes(node.body):
            if _type_name(child) == "IndexNode" and id(child) not in self._store_targets:
                path = self._self_path(child)
                if path and "." not in path:
                    lookups.setdefault(path, child)
        for clause in node.except_clauses:
            catches = {_dotted(pattern) for pattern in getattr(clause, "pattern", None) or []}
            missing = catches & {"KeyError", "LookupError", "IndexError"}
            self._unset_tests.append(lookups if missing else {})
            self._walk(clause)
            self._unset_tests.pop()
        if node.else_clause is not None:
            self._walk(node.else_clause)

    def _store(self, target, compound: bool) -> None:
        path = self._self_path(target)
        if not path or self._is_lock_field(path):
            return
        self.writes.append((path, target))
        if not self.lock_depth:
            self.unlocked_writes.append((path, target))
            if compound:
                self.compound_writes.append((path, target))
            check = None
            if not compound and _type_name(target) in ("AttributeNode", "IndexNode"):
                check = self._lazy_check_of(path)
            if check is not None:
                self.lazy_pairs.append((path, check, target))
            earlier = next((node for read, node in self.unlocked_reads if read == path), None)
            if compound and earlier is not None:
                self.read_then_update.append((path, earlier, target))
        self._store_targets.add(id(target))

    def _walk(self, node) -> None:
        kind = _type_name(node)
        if kind in ("DefNode", "CFuncDefNode", "LambdaNode", "PyClassDefNode", "CClassDefNode"):
            return
        handler = self._BLOCKS.get(kind)
        if handler is not None:
            handler(self, node)
            return
        if kind == "AmpersandNode":
            return  # `&self._state` hands the address on; it reads nothing here
        if kind == "IndexNode" and not self.lock_depth:
            path = self._self_path(node)
            check = self._membership_check_of(path) if path else None
            if check is not None:
                self.membership_pairs.append((path, check, node))
        self._statement(kind, node)
        if kind == "AttributeNode" and id(node) not in self._store_targets and not self.lock_depth:
            if self._read(node):
                return
        for child in _children(node):
            self._walk(child)

    def _walk_with(self, node) -> None:
        path = self._self_path(node.manager)
        locked = bool(path and self._is_lock_field(path)) or self.owner.analysis.is_lock_expression(
            node.manager
        )
        if locked and path:
            self.takes_lock = True
            self.lock_text = self.lock_text or f"self.{path}"
        self.lock_depth += locked
        self._walk(node.body)
        self.lock_depth -= locked

    def _statement(self, kind: str, node) -> None:
        """Stores, deletes and calls: what a statement writes of ``self``."""
        if kind in ("SingleAssignmentNode", "InPlaceAssignmentNode", "CascadedAssignmentNode"):
            if kind == "InPlaceAssignmentNode":
                self._walk(node.rhs)
            targets = node.lhs_list if kind == "CascadedAssignmentNode" else [node.lhs]
            if kind == "SingleAssignmentNode" and _type_name(node.rhs) in ("BoolNode", "IntNode"):
                path = self._self_path(node.lhs)
                if path and not self.lock_depth:
                    self.flag_sets.append((path, node.lhs))
            for target in targets:
                self._store(target, compound=kind == "InPlaceAssignmentNode")
        elif kind == "DelStatNode":
            for target in node.args:
                self._store(target, compound=False)
        elif kind in ("SimpleCallNode", "GeneralCallNode") and _type_name(node.function) == "AttributeNode":
            self._call(node)
        elif (
            kind == "SimpleCallNode"
            and _type_name(node.function) == "NameNode"
            and not self._hands_lock(node)
        ):
            for argument in node.args:
                path = self._self_path(argument.operand) if _type_name(argument) == "AmpersandNode" else None
                if path and not self._is_lock_field(path):
                    # `advance(&self.rng_state, ...)`: a C function given the field's
                    # address changes it (or reads it whole) behind the compiler's back.
                    self.writes.append((path, node))
                    if not self.lock_depth:
                        self.unlocked_writes.append((path, node))

    def _read(self, node) -> bool:
        """Record an unlocked read of ``self.<field>``; true when ``node`` is the whole read."""
        path = self._self_path(node)
        root = path.split(".")[0] if path else ""
        if path and not self._is_lock_field(path) and ("." not in path or root in self.owner.c_fields):
            # `self.a.b` through a Python object is that object's business; through
            # a C struct or pointer field it is one read of the instance's memory.
            self.unlocked_reads.append((path, node))
            return "." in path
        return False

    def _hands_lock(self, call) -> bool:
        """``fill(&self._state, size, self.lock)``: the callee takes the lock itself."""
        for argument in call.args:
            path = self._self_path(argument)
            if (path and self._is_lock_field(path)) or self.owner.analysis.is_lock_expression(argument):
                return True
        return False

    def _call(self, node) -> None:
        path = self._self_path(node.function)
        if not path:
            return
        self._store_targets.add(id(node.function))
        if "." not in path:
            self.self_calls.add(path)
            if not self.lock_depth:
                self.unlocked_self_calls.append((path, node))
            return
        owner, method = path.rsplit(".", 1)
        if self._is_lock_field(path):
            if method in ("acquire",):
                self.takes_lock = True
                self.lock_text = self.lock_text or f"self.{owner}"
        elif method in MUTATING_METHODS and method != "setdefault":
            # `self._entries.append(x)`: the container is the instance's state.
            self._store_targets.add(id(node.function.obj))
            self.writes.append((owner, node))
            if not self.lock_depth:
                self.unlocked_writes.append((owner, node))
        elif not self.lock_depth:
            self.unlocked_attribute_calls.append((path, node))

    # Statements with bodies of their own, walked by their own method.
    _BLOCKS: ClassVar[dict] = {
        "WithStatNode": _walk_with,
        "IfStatNode": _walk_if,
        "TryExceptStatNode": _walk_try,
    }
