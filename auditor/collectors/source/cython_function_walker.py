"""One Cython function's body in order: module state written, checked and read.

The walker records :class:`~auditor.collectors.source.cython_tree.CythonEvent` records on
the :class:`~auditor.collectors.source.cython_analysis.CythonModuleAnalysis` it is given:
writes and container mutations of module state, check-then-set lazy initialisation
(``if _x is None:``, ``try: _d[k] except KeyError:``), iteration, borrowed
``PyDict_GetItem`` lookups and reads of module names, tracking locks (``with lock:``,
``PyMutex_Lock``) and ``with nogil:`` blocks.
"""

from __future__ import annotations

from .cython_analysis_services import CythonAnalysisServices
from .cython_tree import (
    _ACQUIRE_CALLS,
    _BORROWING_LOOKUPS,
    _RELEASE_CALLS,
    CythonEvent,
    _call_function_name,
    _children,
    _dotted,
    _is_unset_value,
    _ModuleName,
    _returns,
    _root_name,
    _Scope,
    _strip_get,
    _type_name,
    _walk_nodes,
)
from .python_vocabulary import COPYING_CALLS, MUTATING_METHODS


class _FunctionWalker:
    """Walks one function body in order, tracking locks, ``nogil`` and if-tests."""

    def __init__(self, analysis: CythonAnalysisServices, scope: _Scope) -> None:
        self.analysis = analysis
        self.scope = scope
        self.lock_depth = 0
        self.nogil_depth = 0
        self.unset_tests: list[dict[str, int]] = []  # name -> line of the test
        self._check_columns: dict[tuple[int, str], int] = {}  # (line, name) -> column of the test
        self._store_targets: set[int] = set()  # names stored to, not read

    def _protected(self) -> bool:
        return self.lock_depth > 0 or self.scope.acquired > 0

    def _record(self, kind: str, name: str, node, detail: str, what: str, check_line: int = 0) -> None:
        if self._protected():
            if kind == "container-mutation" or (kind == "lazy-init" and detail in ("subscript", "del")):
                self.analysis._locked_container_mutations.add(name)
            return
        line, column = node.pos[1], node.pos[2]
        self.analysis.events.append(
            CythonEvent(
                kind,
                name,
                line,
                column,
                self.scope.name,
                detail,
                what,
                related_line=check_line,
                in_nogil=self.nogil_depth > 0,
            )
        )
        if kind == "lazy-init" and check_line:
            self.analysis.events.append(
                CythonEvent(
                    "lazy-check",
                    name,
                    check_line,
                    self._check_columns.get((check_line, name), 0),
                    self.scope.name,
                    detail,
                    what,
                    related_line=line,
                    in_nogil=self.nogil_depth > 0,
                )
            )

    def _check_line(self, name: str) -> int:
        for tests in reversed(self.unset_tests):
            if name in tests:
                return tests[name]
        return self.scope.checked.get(name, 0)

    # -- statements ------------------------------------------------------------------
    def walk(self, node) -> None:
        kind = _type_name(node)
        if kind in ("DefNode", "CFuncDefNode", "LambdaNode", "PyClassDefNode", "CClassDefNode"):
            return  # nested functions are walked on their own
        handler = getattr(self, f"_visit_{kind}", None)
        if handler is not None and handler(node) is False:
            return
        for child in _children(node):
            self.walk(child)

    def _visit_WithStatNode(self, node) -> bool:
        locked = self.analysis.is_lock_expression(node.manager)
        if _call_function_name(node.manager) == "critical_section":
            for argument in getattr(node.manager, "args", None) or []:
                if _type_name(argument) == "AttributeNode":
                    # `critical_section(lookup._registries)`: the code itself says that
                    # field is used by several threads.
                    self.analysis.guarded_fields.setdefault(argument.attribute, self.scope.name)
        self.walk(node.manager)
        self.lock_depth += locked
        self.walk(node.body)
        self.lock_depth -= locked
        return False

    def _visit_GILStatNode(self, node) -> bool:
        nogil = node.state == "nogil"
        self.nogil_depth += nogil
        self.walk(node.body)
        self.nogil_depth -= nogil
        return False

    def _visit_IfStatNode(self, node) -> bool:
        for clause in node.if_clauses:
            self.walk(clause.condition)
            tests = self._unset_names(clause.condition)
            for name, column in tests.items():
                self._check_columns[(clause.condition.pos[1], name)] = column
            self.unset_tests.append({name: clause.condition.pos[1] for name in tests})
            self.walk(clause.body)
            self.unset_tests.pop()
            if _returns(clause.body):
                for name in self._set_names(clause.condition):
                    self.scope.checked.setdefault(name, clause.condition.pos[1])
                    self._check_columns[(clause.condition.pos[1], name)] = clause.condition.pos[2]
        if node.else_clause is not None:
            self.walk(node.else_clause)
        return False

    def _unset_names(self, test) -> dict[str, int]:
        """Module names / containers the test checks for being unset: name -> column."""
        kind = _type_name(test)
        if kind == "BoolBinopNode":
            return {**self._unset_names(test.operand1), **self._unset_names(test.operand2)}
        operand = None
        if kind == "NotNode":
            operand = test.operand
        elif kind == "PrimaryCmpNode" and test.cascade is None:
            if test.operator in ("is", "==") and _is_unset_value(test.operand2):
                operand = test.operand1
            elif test.operator == "not_in":
                operand = test.operand2
        if operand is None:
            return {}
        operand = _strip_get(operand)
        name = _dotted(operand)
        if name and self.analysis.module_state(name.split(".")[0], self.scope):
            return {name: operand.pos[2]}
        return {}

    def _set_names(self, test) -> set[str]:
        kind = _type_name(test)
        operand = None
        if kind == "PrimaryCmpNode" and test.cascade is None:
            if test.operator in ("is_not", "!=") and _is_unset_value(test.operand2):
                operand = test.operand1
            elif test.operator == "in":
                operand = test.operand2
        elif kind in ("NameNode", "AttributeNode"):
            operand = test
        if operand is None:
            return set()
        name = _dotted(_strip_get(operand))
        return {name} if name and self.analysis.module_state(name.split(".")[0], self.scope) else set()

    def _visit_ExprStatNode(self, node) -> None:
        call = node.expr
        name = _call_function_name(call)
        if name in _ACQUIRE_CALLS or name in _RELEASE_CALLS:
            target = call.function.obj if _type_name(call.function) == "AttributeNode" else None
            if target is None:
                arguments = getattr(call, "args", None) or []
                target = arguments[0] if arguments else None
                if target is not None and _type_name(target) == "AmpersandNode":
                    target = target.operand
            if target is not None and self.analysis.is_lock_expression(target):
                if name in _ACQUIRE_CALLS:
                    self.scope.acquired += 1
                else:
                    self.scope.acquired = max(0, self.scope.acquired - 1)

    def _visit_ReturnStatNode(self, node) -> None:
        if _type_name(node.value) == "NameNode":
            # A getter's one load hands back one whole reference, old or new: nothing tears.
            self._store_targets.add(id(node.value))

    def _visit_AttributeNode(self, node) -> None:
        if _type_name(node.obj) == "NameNode":
            # `_module.attr`: a module-like global used for its attributes.
            self._store_targets.add(id(node.obj))

    def _visit_NameNode(self, node) -> None:
        if id(node) in self._store_targets or self._protected():
            return
        # A `global` name the file never defines comes from an `include`d .pxi/.pyx.
        included = node.name in self.scope.globals and node.name not in self.analysis.module_names
        if included or self.analysis.module_state(node.name, self.scope) is not None:
            self.analysis.global_reads.append((node.name, node, self.scope.name))

    def _visit_TryExceptStatNode(self, node) -> bool:
        """``try: return _cache[k]`` / ``except KeyError: _cache[k] = make()``: the lookup
        is the check of a check-then-insert."""
        self.walk(node.body)
        lookups = {}
        for child in _walk_nodes(node.body):
            if _type_name(child) == "IndexNode" and id(child) not in self._store_targets:
                name = _dotted(child.base)
                if name and self.analysis.module_state(name, self.scope):
                    lookups.setdefault(name, child.pos)
        for clause in node.except_clauses:
            catches = {_dotted(pattern) for pattern in getattr(clause, "pattern", None) or []}
            tests = {}
            if catches & {"KeyError", "LookupError", "IndexError"}:
                for name, position in lookups.items():
                    tests[name] = position[1]
                    self._check_columns[(position[1], name)] = position[2]
            self.unset_tests.append(tests)
            self.walk(clause)
            self.unset_tests.pop()
        if node.else_clause is not None:
            self.walk(node.else_clause)
        return False

    def _visit_SimpleCallNode(self, node) -> None:
        function = node.function
        if _call_function_name(node) in _BORROWING_LOOKUPS and node.args:
            # `PyDict_GetItem(_cache, key)` hands back a reference the dict owns: a
            # thread that replaces or deletes the entry frees it under the caller.
            name = _dotted(node.args[0])
            declared = self.analysis.module_state(name, self.scope)
            if declared is not None and declared.container:
                self._record("borrowed-read", name, node, _call_function_name(node), declared.what)
        if _type_name(function) == "NameNode" and function.name in COPYING_CALLS and len(node.args) == 1:
            # `list(registry.values())` copies one entry at a time: an iteration.
            self._iterated(node.args[0], node, f"{function.name}()")
        if _type_name(function) != "AttributeNode":
            return
        method = function.attribute
        if method not in MUTATING_METHODS or method == "setdefault":
            return  # dict.setdefault is the atomic insert-if-absent, the fix not the bug
        name = _dotted(function.obj)
        declared = self.analysis.module_state(name, self.scope)
        if declared is not None and declared.container:
            self._record("container-mutation", name, node, method, declared.what)

    def _store(self, target, node, detail: str) -> None:
        kind = _type_name(target)
        if kind in ("TupleNode", "ListNode"):
            for item in target.args:
                self._store(item, node, detail)
            return
        root = _root_name(target)
        if root is None:
            return
        if kind == "NameNode":
            if root not in self.scope.globals:
                return
            declared = self.analysis.module_names.get(root)
            if declared is None or declared.what in ("function", "class", "lock"):
                declared = _ModuleName("object")
            check = self._check_line(root) if detail == "=" else 0
            self._record("lazy-init" if check else "module-write", root, target, detail, declared.what, check)
            return
        declared = self.analysis.module_state(root, self.scope)
        if declared is None:
            return
        shape = "subscript" if kind == "IndexNode" else "attribute"
        if detail == "del":
            shape = "del"
        check = self._check_line(root)
        if not check and kind == "AttributeNode":
            check = self._check_line(_dotted(target) or "")
        if declared.container and shape in ("subscript", "del"):
            kind_of_write = "lazy-init" if check else "container-mutation"
            self._record(kind_of_write, root, target, shape, declared.what, check)
        else:
            compound = "+=" if detail == "+=" else ""
            self._record(
                "lazy-init" if check else "module-write",
                root,
                target,
                shape + compound,
                declared.what,
                check,
            )

    def _visit_SingleAssignmentNode(self, node) -> None:
        self._store_targets.add(id(node.lhs))
        self._store(node.lhs, node, "=")
        if _type_name(node.rhs) == "AmpersandNode":
            # `writer.buf = &BUFFER[0]`: whoever holds the pointer writes the one module
            # buffer; every caller that sets one up shares it.
            root = _root_name(node.rhs.operand)
            declared = self.analysis.module_state(root, self.scope)
            if declared is not None and declared.what.startswith("C ") and "array" in declared.what:
                self._record("module-write", root, node.rhs, "address", declared.what)

    def _visit_CascadedAssignmentNode(self, node) -> None:
        for target in node.lhs_list:
            self._store_targets.add(id(target))
            self._store(target, node, "=")

    def _visit_InPlaceAssignmentNode(self, node) -> None:
        self._store_targets.add(id(node.lhs))
        self._store(node.lhs, node, "+=")

    def _visit_DelStatNode(self, node) -> None:
        self._store_targets.update(id(target) for target in node.args)
        for target in node.args:
            if _type_name(target) == "IndexNode":
                self._store(target, node, "del")
            elif _type_name(target) == "NameNode" and target.name in self.scope.globals:
                self._store(target, node, "del")

    def _visit_ForInStatNode(self, node) -> None:
        self._iterated(node.iterator.sequence, node, "for")

    def _iterated(self, sequence, node, how: str) -> None:
        if _type_name(sequence) == "SimpleCallNode" and _type_name(sequence.function) == "AttributeNode":
            if sequence.function.attribute in ("items", "keys", "values") and not sequence.args:
                sequence = sequence.function.obj
        name = _dotted(sequence)
        declared = self.analysis.module_state(name, self.scope)
        if declared is not None and declared.container:
            self._record("iteration", name, node, how, declared.what)
