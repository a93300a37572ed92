"""The LibCST pass over one segment of a Python module: the events the FTP rules read.

:class:`EventCollector` visits a function's statements with the module's
:class:`~auditor.collectors.source.python_module_facts.ModuleFacts` and records an
:class:`Event` for each write to module or class state (container mutations, global
rebinds, check-then-act initialisation, class attribute mutation, iteration, whole
reads, calls on stateful module objects, loads of module names), skipping what a lock
covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import libcst as cst

from ...model.finding import Location
from .python_cst_names import (
    _body_returns,
    _BoundNames,
    _call_name,
    _dotted,
    _globals_key,
    _strip_get,
    process_container,
)
from .python_module_facts import (
    GLOBAL_RANDOM_MODULES,
    ModuleFacts,
)
from .python_vocabulary import (
    COPYING_CALLS,
    LOCK_FACTORIES,
    MUTATING_METHODS,
    RANDOM_STATE_FACTORIES,
)

_OBJECT_MUTATORS = {"pop", "popitem", "clear", "update", "append", "extend", "remove", "add", "discard"}
_LOCK_NAME = re.compile(r"lock|mutex|_cond\b|condition|semaphore|\bsem\b", re.IGNORECASE)


@dataclass
class Event:
    kind: str  # "container-mutation" | "global-rebind" | "lazy-init" | "class-attr-mutation" | "iteration"
    name: str  # the shared name (container, global, "Class.attr")
    node: cst.CSTNode
    function: str
    detail: str = ""  # e.g. "append", "+=", "subscript"
    compound: bool = False  # read-modify-write (x += 1, d[k] += 1)
    location: Location | None = None
    # The `if` test of a check-then-act ("lazy-init"), reported as well as the store.
    check_node: cst.CSTNode | None = None
    check_location: Location | None = None
    evidence: str = ""  # why the state is shared, when that is not plain module state


@dataclass
class _FunctionScope:
    name: str
    locals: set[str]
    globals: set[str]
    class_name: str | None
    first_parameter: str | None
    # Names/containers tested for "unset" earlier in this function (early-return form).
    checked: dict[str, cst.CSTNode] = field(default_factory=dict)
    acquired: int = 0
    # Parameters whose default is a module-level container/object: the same object.
    aliases: dict[str, str] = field(default_factory=dict)


class _EventCollector(cst.CSTVisitor):
    # No METADATA_DEPENDENCIES: the analysis resolves PositionProvider (a code generation of
    # the whole segment) only for a segment that produced events; most produce none.

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self.events: list[Event] = []
        self.scopes: list[_FunctionScope] = []
        self.class_stack: list[str] = []
        self.lock_depth = 0
        # Stack of "unset" tests of enclosing ifs: sets of names / containers / attrs.
        self.unset_tests: list[tuple[set[str], cst.CSTNode]] = []
        self.main_guard_depth = 0
        self.locked_mutations: set[str] = set()
        self.snapshots: list[Event] = []  # whole reads of module containers (see _whole_read)
        # Unlocked loads of module-level names; kept only for names a function rebinds.
        self.reads: list[Event] = []
        self._not_reads: set[int] = set()  # Name nodes that bind or label, never load

    # -- reads of module names ---------------------------------------------------------
    def visit_Name(self, node: cst.Name) -> None:
        scope = self.scope
        if scope is None or id(node) in self._not_reads or self._protected():
            return
        name = node.value
        declared_global = name in scope.globals  # bound at module level, maybe inside a `try:`
        if not declared_global and (name in scope.locals or name not in self.facts.module_names):
            return
        self.reads.append(Event("global-read", name, node, scope.name))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_reads.add(id(node.attr))
        if isinstance(node.value, cst.Name):
            # `_bootstrap._verbose_message(...)`: a module-like global used for its
            # attributes; the race is in what the attribute is, not in this load.
            self._not_reads.add(id(node.value))

    def visit_Comparison(self, node: cst.Comparison) -> None:
        # `self is _current` compares identities: one load, nothing to tear.
        for target in node.comparisons:
            identity = isinstance(target.operator, (cst.Is, cst.IsNot))
            other = target.comparator
            if identity and not (isinstance(other, cst.Name) and other.value == "None"):
                for side in (node.left, other):
                    if isinstance(side, cst.Name):
                        self._not_reads.add(id(side))

    def visit_Return(self, node: cst.Return) -> None:
        if isinstance(node.value, cst.Name):
            # A getter's one load hands back one whole reference, old or new: nothing tears.
            self._not_reads.add(id(node.value))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_reads.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self._not_reads.add(id(node.name))

    def visit_NameItem(self, node: cst.NameItem) -> None:
        self._not_reads.add(id(node.name))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False

    def visit_AsName(self, node: cst.AsName) -> None:
        self._not_reads.add(id(node.name))

    # -- scopes ----------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._not_reads.add(id(node.name))
        self.class_stack.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._not_reads.add(id(node.name))
        bound = _BoundNames()
        node.visit(bound)
        locals_ = (bound.names - bound.globals) | bound.nonlocals
        if self.scopes:
            # Names local to an enclosing function are closures, not module state.
            locals_ |= self.scopes[-1].locals
        params = node.params.params
        first = params[0].name.value if params else None
        in_class = bool(self.class_stack) and (
            not self.scopes or self.scopes[-1].class_name != self.class_stack[-1]
        )
        self.scopes.append(
            _FunctionScope(
                name=node.name.value,
                locals=locals_,
                globals=bound.globals,
                class_name=self.class_stack[-1]
                if self.class_stack and in_class
                else (self.scopes[-1].class_name if self.scopes else None),
                first_parameter=first,
            )
        )
        for param in [*node.params.params, *node.params.kwonly_params]:
            default = param.default
            if (
                isinstance(default, cst.Name)
                and default.value not in locals_ - {param.name.value}
                and (default.value in self.facts.containers or default.value in self.facts.module_objects)
            ):
                # `def f(x, cache=_cache)`: the default is evaluated once, so every call
                # that does not pass its own gets the one module-level object.
                self.scopes[-1].aliases[param.name.value] = default.value

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    @property
    def scope(self) -> _FunctionScope | None:
        return self.scopes[-1] if self.scopes else None

    def _protected(self) -> bool:
        return self.lock_depth > 0 or (self.scope is not None and self.scope.acquired > 0)

    # -- locks -----------------------------------------------------------------------
    def _is_lock_expression(self, expression: cst.BaseExpression) -> bool:
        if isinstance(expression, cst.Call):
            expression = expression.func if _call_name(expression) not in LOCK_FACTORIES else expression
        name = _dotted(expression)
        if name is None:
            return False
        last = name.split(".")[-1]
        return last in self.facts.locks or name in self.facts.locks or bool(_LOCK_NAME.search(last))

    def visit_With(self, node: cst.With) -> None:
        if any(self._is_lock_expression(item.item) for item in node.items):
            self.lock_depth += 1
            self._with_locked = getattr(self, "_with_locked", [])
            self._with_locked.append(node)

    def leave_With(self, original_node: cst.With) -> None:
        locked = getattr(self, "_with_locked", [])
        if locked and locked[-1] is original_node:
            locked.pop()
            self.lock_depth -= 1

    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and self.scope is not None:
            method = call.func.attr.value
            if method == "acquire" and self._is_lock_expression(call.func.value):
                self.scope.acquired += 1
            elif method == "release" and self._is_lock_expression(call.func.value):
                self.scope.acquired = max(0, self.scope.acquired - 1)

    # -- if-tests: main guard and check-then-act --------------------------------------
    def visit_If(self, node: cst.If) -> None:
        test_code = cst.Module([]).code_for_node(node.test)
        if self.scope is None and "__name__" in test_code and "__main__" in test_code:
            self.main_guard_depth += 1
        self.unset_tests.append((self._unset_names(node.test), node.test))
        # Early-return form: `if _x is not None: return _x` then `_x = ...` below.
        if self.scope is not None and _body_returns(node.body):
            for name in self._set_names(node.test):
                self.scope.checked.setdefault(name, node.test)

    def leave_If(self, original_node: cst.If) -> None:
        test_code = cst.Module([]).code_for_node(original_node.test)
        if self.scope is None and "__name__" in test_code and "__main__" in test_code:
            self.main_guard_depth -= 1
        self.unset_tests.pop()

    def _unset_names(self, test: cst.BaseExpression) -> set[str]:
        """Names / containers / attributes that ``test`` checks for being unset or missing."""
        names: set[str] = set()
        if isinstance(test, cst.BooleanOperation):
            return self._unset_names(test.left) | self._unset_names(test.right)
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            operand = test.expression
            if isinstance(operand, cst.Call) and _call_name(operand) == "hasattr" and len(operand.args) >= 2:
                target = _dotted(operand.args[0].value)
                attribute = operand.args[1].value
                if target and isinstance(attribute, cst.SimpleString):
                    names.add(f"{target}.{attribute.evaluated_value}")
            else:
                name = _dotted(_strip_get(operand))
                if name:
                    names.add(name)
        elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            comparison = test.comparisons[0]
            operator = comparison.operator
            right = comparison.comparator
            if (
                isinstance(operator, (cst.Is, cst.Equal))
                and isinstance(right, cst.Name)
                and right.value in ("None", "False")
            ):
                name = _dotted(_strip_get(test.left))
                if name:
                    names.add(name)
            elif isinstance(operator, cst.NotIn):
                name = _dotted(right)
                if name:
                    names.add(name)
        return names

    def _set_names(self, test: cst.BaseExpression) -> set[str]:
        """Names the test checks for being *set* (``x is not None``, ``key in cache``, ``x``)."""
        names: set[str] = set()
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            comparison = test.comparisons[0]
            if (
                isinstance(comparison.operator, cst.IsNot)
                and isinstance(comparison.comparator, cst.Name)
                and comparison.comparator.value == "None"
            ):
                name = _dotted(_strip_get(test.left))
                if name:
                    names.add(name)
            elif isinstance(comparison.operator, cst.In):
                name = _dotted(comparison.comparator)
                if name:
                    names.add(name)
        else:
            name = _dotted(test)
            if name:
                names.add(name)
        return names

    def _under_unset_test(self, name: str) -> bool:
        return self._unset_test_of(name) is not None

    def _unset_test_of(self, name: str) -> cst.CSTNode | None:
        """The ``if`` test that checked ``name`` unset around (or before) this point."""
        for tested, test in reversed(self.unset_tests):
            if name in tested:
                return test
        return self.scope.checked.get(name) if self.scope is not None else None

    # -- shared-name resolution --------------------------------------------------------
    def _module_container(self, expression: cst.BaseExpression) -> str | None:
        if not isinstance(expression, cst.Name) or self.scope is None:
            return None
        name = expression.value
        if name in self.scope.aliases:
            return self.scope.aliases[name]
        if name in self.scope.locals:
            return None
        return name if name in self.facts.containers else None

    def _module_object(self, expression: cst.BaseExpression) -> str | None:
        if not isinstance(expression, cst.Name) or self.scope is None:
            return None
        name = expression.value
        if name in self.scope.aliases:
            name = self.scope.aliases[name]
        elif name in self.scope.locals:
            return None
        return name if name in self.facts.module_objects or name in self.facts.stateful_objects else None

    def _class_attribute(self, expression: cst.BaseExpression) -> str | None:
        """``Class.attr`` when ``expression`` is self.attr / cls.attr / Class.attr of a shared mutable "
        "attr."""
        if not isinstance(expression, cst.Attribute) or not isinstance(expression.value, cst.Name):
            return None
        owner = expression.value.value
        attribute = expression.attr.value
        scope = self.scope
        if scope is None:
            return None
        if owner in self.facts.class_mutable_attrs and owner not in scope.locals:
            class_name = owner
        elif (
            scope.class_name and owner == scope.first_parameter and owner in ("self", "cls", "mcs", "metacls")
        ):
            class_name = scope.class_name
            if owner == "self" and attribute in self.facts.instance_assigned.get(class_name, set()):
                return None  # the instance has its own attribute that shadows the class one
        else:
            return None
        if attribute in self.facts.class_mutable_attrs.get(class_name, set()):
            return f"{class_name}.{attribute}"
        return None

    def _record(
        self, kind: str, name: str, node: cst.CSTNode, detail: str = "", compound: bool = False
    ) -> None:
        if self.scope is None:
            return
        if self._protected():
            if kind != "iteration":
                self.locked_mutations.add(name)
            return
        event = Event(kind, name, node, self.scope.name, detail, compound)
        if kind == "lazy-init":
            event.check_node = self._check_of(name)
        self.events.append(event)

    def _check_of(self, name: str) -> cst.CSTNode | None:
        """The test a lazy-init store follows: ``Class._x`` was tested as ``cls._x``."""
        last = name.split(".")[-1]
        for tested, test in reversed(self.unset_tests):
            if any(item == name or item.split(".")[-1] == last for item in tested):
                return test
        if self.scope is not None:
            for item, test in self.scope.checked.items():
                if item == name or item.split(".")[-1] == last:
                    return test
        return None

    def _element_root(self, expression: cst.BaseExpression) -> cst.BaseExpression:
        """``_cache`` for ``_cache[k]`` / ``_cache.setdefault(k, [])`` / ``_cache.get(k)``:
        mutating what a shared container holds mutates shared state."""
        while True:
            if isinstance(expression, cst.Subscript):
                expression = expression.value
            elif (
                isinstance(expression, cst.Call)
                and isinstance(expression.func, cst.Attribute)
                and expression.func.attr.value in ("setdefault", "get", "__getitem__")
            ):
                expression = expression.func.value
            else:
                return expression

    def _record_mutation(
        self, target_object: cst.BaseExpression, node: cst.CSTNode, detail: str, compound: bool = False
    ) -> None:
        container = self._module_container(target_object)
        if container is None and detail != "subscript":
            root = self._element_root(target_object)
            if root is not target_object:
                # `_cache[k].append(v)`, `_cache.setdefault(k, []).pop()`: the element is shared.
                container = self._module_container(root) or self._module_object(root)
                if container:
                    self._record("container-mutation", container, node, f"element {detail}", compound)
                    return
                target_object = root  # `cls._table.setdefault(k, []).append(v)`: the class's table
        if container is None and self._module_object(target_object) and detail in _OBJECT_MUTATORS:
            self._record("container-mutation", self._module_object(target_object), node, detail, compound)
            return
        if container:
            kind = (
                "lazy-init"
                if detail == "subscript" and self._under_unset_test(container)
                else "container-mutation"
            )
            self._record(kind, container, node, detail, compound)
            return
        attribute = self._class_attribute(target_object)
        if attribute:
            short = _dotted(target_object) or attribute
            kind = (
                "lazy-init"
                if detail == "subscript"
                and (self._under_unset_test(short) or self._under_unset_test(attribute))
                else "class-attr-mutation"
            )
            self._record(kind, attribute, node, detail, compound)

    # -- writes ----------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self._stateful_call(node)
        self._whole_read(node)
        self._process_copy(node)
        # dict.setdefault is the atomic insert-if-absent of free-threaded CPython (the
        # dict's lock covers the lookup and the store): the fix, not the bug.
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value in MUTATING_METHODS
            and node.func.attr.value != "setdefault"
        ):
            self._record_mutation(node.func.value, node, node.func.attr.value)

    def _stateful_call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Attribute):
            return
        method = node.func.attr.value
        owner = self._module_object(node.func.value)
        stateful = self.facts.stateful_objects
        if owner and owner in stateful:
            factory = stateful[owner]
            line = self.facts.object_lines.get(owner)
            where = f" (line {line})" if line else ""
            evidence = f"`{owner}` is one module-level {factory} instance{where} that every thread calls"
            written = self.facts.stateful_methods.get(factory, {}).get(method)
            if written:
                self._record("stateful-call", owner, node, method)
                self._set_evidence(node, f"{evidence}; {factory}.{method}() writes `self.{written}`")
            elif factory in RANDOM_STATE_FACTORIES and not method.startswith("get"):
                self._record("random-call", owner, node, method)
                self._set_evidence(node, evidence)
            return
        dotted = _dotted(node.func.value)
        if (
            dotted in GLOBAL_RANDOM_MODULES
            and self.scope is not None
            and dotted.split(".")[0] not in self.scope.locals
        ):
            if not method.startswith("get") and method[:1].islower():
                self._record("random-call", dotted, node, method)
                self._set_evidence(node, f"`{dotted}` functions share one process-wide generator")

    def _set_evidence(self, node: cst.CSTNode, evidence: str) -> None:
        if self.events and self.events[-1].node is node:
            self.events[-1].evidence = evidence

    def _whole_read(self, node: cst.Call) -> None:
        """``list(_cache)``, ``_cache.items()``, ``set(_cache.keys())``: one snapshot of a
        shared container; two in one function need not agree with each other."""
        target = None
        if (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value in ("items", "keys", "values", "copy")
            and not node.args
        ):
            target = node.func.value
        elif (
            _call_name(node) in ("list", "set", "tuple", "sorted", "dict", "frozenset")
            and len(node.args) == 1
        ):
            target = node.args[0].value
        if target is None:
            return
        container = self._module_container(target)
        if container and not self._protected():
            self.snapshots.append(Event("snapshot", container, node, self.scope.name if self.scope else ""))

    def _assignment_target(self, target: cst.BaseExpression, node: cst.CSTNode, compound: bool) -> None:
        scope = self.scope
        if scope is None:
            return
        if isinstance(target, cst.Name):
            self._not_reads.add(id(target))
            name = target.value
            if name in scope.globals:
                kind = "lazy-init" if self._under_unset_test(name) and not compound else "global-rebind"
                self._record(kind, name, node, "+=" if compound else "=", compound)
        elif isinstance(target, cst.Subscript):
            rebound = _globals_key(target)
            if rebound:
                # `globals()["flag"] = value` rebinds the module global `flag`.
                self._record("global-rebind", rebound, node, "globals()[...]", compound)
                return
            self._record_mutation(target.value, node, "subscript", compound)
        elif isinstance(target, cst.Attribute):
            owner_object = target.value.value if isinstance(target.value, cst.Name) else None
            if owner_object in self.facts.module_objects and owner_object not in scope.locals:
                self._record(
                    "object-mutation",
                    f"{owner_object}.{target.attr.value}",
                    node,
                    "+=" if compound else "=",
                    compound,
                )
                return
            # cls._instance = ... / Class._instance = ... on a class attribute that is None
            if isinstance(target.value, cst.Name):
                owner = target.value.value
                class_name = None
                if owner in self.facts.class_mutable_attrs and owner not in scope.locals:
                    class_name = owner
                elif (
                    owner == scope.first_parameter and owner in ("cls", "mcs", "metacls") and scope.class_name
                ):
                    class_name = scope.class_name
                dotted = f"{owner}.{target.attr.value}"
                if class_name and self._under_unset_test(dotted):
                    self._record("lazy-init", f"{class_name}.{target.attr.value}", node, "=")
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._assignment_target(element.value, node, compound)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assignment_target(target.target, node, compound=False)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assignment_target(node.target, node, compound=False)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assignment_target(node.target, node, compound=True)

    def visit_Del(self, node: cst.Del) -> None:
        target = node.target
        targets = (
            [element.value for element in target.elements] if isinstance(target, cst.Tuple) else [target]
        )
        for item in targets:
            if isinstance(item, cst.Subscript):
                self._record_mutation(item.value, node, "del")
            elif isinstance(item, cst.Name) and self.scope is not None and item.value in self.scope.globals:
                self._record("global-rebind", item.value, node, "del")

    # -- iteration -------------------------------------------------------------------
    def _iterated_container(self, iterable: cst.BaseExpression) -> str | None:
        if (
            isinstance(iterable, cst.Call)
            and isinstance(iterable.func, cst.Attribute)
            and iterable.func.attr.value in ("items", "keys", "values")
            and not iterable.args
        ):
            iterable = iterable.func.value
        return (
            self._module_container(iterable) or self._class_attribute(iterable) or process_container(iterable)
        )

    def _process_copy(self, node: cst.Call) -> None:
        """``list(sys.modules.items())``: a copy made one entry at a time."""
        if isinstance(node.func, cst.Name) and node.func.value in COPYING_CALLS and len(node.args) == 1:
            iterable = node.args[0].value
            if (
                isinstance(iterable, cst.Call)
                and isinstance(iterable.func, cst.Attribute)
                and not iterable.args
            ):
                if iterable.func.attr.value in ("items", "keys", "values"):
                    iterable = iterable.func.value
            container = process_container(iterable)
            if container and self.scope is not None:
                self._record("iteration", container, node, f"{node.func.value}()")

    def visit_For(self, node: cst.For) -> None:
        container = self._iterated_container(node.iter)
        if container:
            self._record("iteration", container, node, "for")

    def visit_CompFor(self, node: cst.CompFor) -> None:
        container = self._iterated_container(node.iter)
        if container:
            self._record("iteration", container, node, "comprehension")
