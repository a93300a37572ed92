"""Check-then-act sequences on module state that no single statement shows, read with ``ast``.

The LibCST pass (:mod:`auditor.collectors.source.python_analysis`) finds the writes to
module-level containers; this pass finds the *other half* of the races on the
containers something writes at run time:

* a test of the container followed by a read or a call that changes it:
  ``if key in _cache: return _cache[key]`` (another thread's ``del`` in between is a
  ``KeyError``), ``if len(_cache) > MAX: _shrink()`` (or ``_shrink_cache(_cache)``, a helper
  handed the container that changes it), ``entry = _index.get(k); if entry: return
  entry[0]``;
* the same container read twice in one statement (``_cache.get(a) or _cache[b]``):
  the two reads need not see the same dict;
* a function that iterates a parameter, called with the container
  (``walk(_registry)``): the iteration is over shared state;
* a lazy initialisation whose store takes a lock *after* the unlocked check and
  never checks again inside it (``if cls._instance is None: with lock: cls._instance
  = cls()``, or ``lock.acquire()`` then ``try:``): two threads that passed the check
  both store.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ...model.finding import Location
from .python_ast_walk import dotted, function_nodes, is_lock_expression, walk
from .python_vocabulary import MUTATING_METHODS


@dataclass
class ModuleCheckEvent:
    kind: str  # "check-then-use" | "double-read" | "argument-iteration" | "lazy-init"
    name: str
    function: str
    line: int
    column: int
    detail: str
    other_line: int = 0
    location: Location | None = None
    evidence: str = ""


def _container_of(node: ast.AST, containers: set[str]) -> str | None:
    """``_cache`` for ``_cache``, ``_cache[k]``, ``_cache.get(k)``, ``len(_cache)``."""
    if isinstance(node, ast.Name) and node.id in containers:
        return node.id
    if isinstance(node, ast.Subscript):
        return _container_of(node.value, containers)
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "keys", "values", "items"):
            return _container_of(node.func.value, containers)
        if dotted(node.func) == "len" and len(node.args) == 1:
            return _container_of(node.args[0], containers)
    return None


# A helper defined elsewhere (``from ._core import _shrink_cache``) that says in its name
# that it changes what it is handed.
_CHANGING_NAME = re.compile(r"(?i)(?:^|_)(?:shrink|prune|purge|evict|trim|expire|invalidate)")


def _changed_parameters(tree: ast.Module) -> dict[str, set[int]]:
    """function -> positions of the parameters it changes (``cache.pop(k)``,
    ``del cache[k]``, ``cache[k] = v``): a container handed to it is changed."""
    found: dict[str, set[int]] = {}
    for function in tree.body:
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        positions = {argument.arg: index for index, argument in enumerate(function.args.args)}
        for node in walk(function):
            changed = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in MUTATING_METHODS:
                    changed = node.func.value
            elif isinstance(node, (ast.Assign, ast.Delete)):
                for target in node.targets:
                    if isinstance(target, ast.Subscript):
                        changed = target.value
            if isinstance(changed, ast.Name) and changed.id in positions:
                found.setdefault(function.name, set()).add(positions[changed.id])
    return found


def _locals_of(function: ast.AST) -> set[str]:
    names = {argument.arg for argument in walk(function.args) if isinstance(argument, ast.arg)}
    declared = {name for node in walk(function) if isinstance(node, ast.Global) for name in node.names}
    for node in walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names - declared


class _Finder:
    def __init__(self, tree: ast.Module, containers: set[str], writers: dict[str, set[str]], locks: set[str]):
        self.tree = tree
        self.writers = writers  # function -> containers it changes
        self.locks = locks
        self.containers = containers
        self.events: list[ModuleCheckEvent] = []
        self._reported: set[tuple[int, str]] = set()
        self._assignments: dict[int, list[ast.Assign]] = {}  # function id -> its `name = ...`
        self._function: ast.AST | None = None
        self.instances: dict[str, tuple[str, set[str]]] = {}

    def _add(self, kind, name, function, node, detail, other_line=0) -> None:
        if (node.lineno, kind) in self._reported:
            return
        self._reported.add((node.lineno, kind))
        self.events.append(
            ModuleCheckEvent(kind, name, function, node.lineno, node.col_offset + 1, detail, other_line)
        )

    def run(self) -> list[ModuleCheckEvent]:
        getters = _singleton_getters(self.tree)
        visits = function_nodes(self.tree, self.locks)
        if not (self.containers or self.instances):
            # Nothing shared to test or read: only the lock-after-check and the singleton
            # calls can report, and neither needs a function's locals.
            wanted = (ast.If, ast.While, ast.Call) if getters else (ast.If, ast.While)
            for visit in visits:
                if not visit.locked and isinstance(visit.node, wanted):
                    self._unshared_visit(visit.node, visit.function.name, getters)
            return self.events
        iterating = self._iterated_parameters() if self.containers else {}
        self._changing = _changed_parameters(self.tree) if self.containers else {}
        locals_by_function: dict[int, set[str]] = {}
        for visit in visits:
            if visit.locked:
                continue
            function = visit.function
            if id(function) not in locals_by_function:
                locals_by_function[id(function)] = _locals_of(function)
                self._assignments[id(function)] = [
                    node
                    for node in walk(function)
                    if isinstance(node, ast.Assign)
                    and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)
                ]
            self._function = function
            node = visit.node
            self._unshared_visit(node, function.name, getters)
            if isinstance(node, (ast.If, ast.While)):
                self._instance_check(node, function.name, locals_by_function[id(function)])
            shared = self.containers - locals_by_function[id(function)]
            if shared:
                self._shared_visit(node, function.name, shared, iterating)
        return self.events

    def _unshared_visit(self, node: ast.AST, function: str, getters) -> None:
        if isinstance(node, (ast.If, ast.While)):
            self._lock_after_check(node, function)
        elif isinstance(node, ast.Call) and getters:
            self._singleton_call(node, function, getters)

    def _shared_visit(self, node: ast.AST, function: str, shared: set[str], iterating) -> None:
        if isinstance(node, (ast.If, ast.While)):
            self._check_then_use(node, function, shared)
            if isinstance(node, ast.If):
                self._exit_then_insert(node, function, shared)
        elif isinstance(node, ast.Try):
            self._lookup_then_insert(node, function, shared)
        elif isinstance(node, ast.stmt) and not isinstance(node, (ast.For, ast.With)):
            self._double_read(node, function, shared)
        if isinstance(node, ast.Call):
            self._argument_iteration(node, function, shared, iterating)

    # -- test, then a read or a changing call ---------------------------------------------
    def _check_then_use(self, statement: ast.If | ast.While, function: str, shared: set[str]) -> None:
        tested = {name for node in walk(statement.test) if (name := _container_of(node, shared))}
        aliases = self._aliases_tested(statement, shared)
        for node in walk(ast.Module(body=statement.body, type_ignores=[])):
            used, how = None, ""
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                base = dotted(node.value)
                if base in tested:
                    used, how = base, f"reads `{base}[...]`"
                elif base in aliases:
                    used, how = aliases[base], f"reads `{base}[...]`, an entry of `{aliases[base]}`"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                changed = self.writers.get(node.func.id, set()) & tested
                handed = [
                    argument.id
                    for index, argument in enumerate(node.args)
                    if isinstance(argument, ast.Name)
                    and argument.id in tested
                    and (
                        index in self._changing.get(node.func.id, ())
                        or (node.func.id not in self._changing and _CHANGING_NAME.search(node.func.id))
                    )
                ]
                if changed:
                    used = sorted(changed)[0]
                    how = f"calls {node.func.id}(), which changes `{used}`"
                elif handed:
                    used = handed[0]
                    how = f"hands `{used}` to {node.func.id}(), which changes it"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                base = dotted(node.func.value)
                if base in aliases and node.func.attr in ("pop", "remove", "append", "clear", "popleft"):
                    used, how = (
                        aliases[base],
                        f"calls `{base}.{node.func.attr}()` on an entry of `{aliases[base]}`",
                    )
            if used:
                self._add(
                    "check-then-use",
                    used,
                    function,
                    statement.test,
                    f"tests `{used}` and then, on line {node.lineno}, {how}",
                    node.lineno,
                )
                self._add(
                    "check-then-use", used, function, node, f"{how} after the test on line {statement.lineno}"
                )
                return

    def _exit_then_insert(self, statement: ast.If, function: str, shared: set[str]) -> None:
        """``if name in _stores: raise Exists(name)`` and then ``_stores[name] = store``: two
        threads registering one name both pass the test and both insert."""
        if not statement.body or not isinstance(statement.body[-1], (ast.Raise, ast.Return)):
            return
        tested = {
            name
            for node in walk(statement.test)
            if isinstance(node, ast.Compare) and isinstance(node.ops[0], (ast.In, ast.NotIn))
            for name in [dotted(node.comparators[0])]
            if name in shared
        }
        block = next(
            (body for body in _blocks(self._function) if any(item is statement for item in body)), None
        )
        exit_value = getattr(statement.body[-1], "value", None)
        if isinstance(exit_value, ast.Subscript) and dotted(exit_value.value) in tested:
            return  # `if k in _memo: return _memo[k]`: a memo; both threads store the same value
        if not tested or block is None:
            return
        for later in block[[id(item) for item in block].index(id(statement)) + 1 :]:
            for node in walk(later):
                targets = node.targets if isinstance(node, ast.Assign) else []
                for target in targets:
                    name = dotted(target.value) if isinstance(target, ast.Subscript) else None
                    if name in tested:
                        how = f"inserts into `{name}`"
                        self._add(
                            "check-then-use",
                            name,
                            function,
                            statement.test,
                            f"tests `{name}` and then, on line {node.lineno}, {how}",
                            node.lineno,
                        )
                        self._add(
                            "check-then-use",
                            name,
                            function,
                            node,
                            f"{how} after the test on line {statement.lineno}",
                        )
                        return

    def _lookup_then_insert(self, statement: ast.Try, function: str, shared: set[str]) -> None:
        """``try: return _cache[k]`` / ``except KeyError: _cache[k] = make()``: the lookup
        is the check of a check-then-insert (the insert itself is FTP001's)."""
        lookups = {}
        for node in walk(ast.Module(body=statement.body, type_ignores=[])):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Load)
                and dotted(node.value) in shared
            ):
                lookups.setdefault(dotted(node.value), node)
        for handler in statement.handlers:
            caught = {dotted(item) for item in walk(handler.type)} if handler.type is not None else set()
            if not caught & {"KeyError", "LookupError"}:
                continue
            for node in walk(ast.Module(body=handler.body, type_ignores=[])):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        name = dotted(target.value) if isinstance(target, ast.Subscript) else None
                        if name in lookups:
                            self._add(
                                "check-then-use",
                                name,
                                function,
                                lookups[name],
                                f"looks `{name}[...]` up, and on line {node.lineno} its KeyError handler "
                                "inserts the entry: two threads that both miss both insert",
                                node.lineno,
                            )
                            return

    def _instance_check(self, statement: ast.If | ast.While, function: str, local_names: set[str]) -> None:
        """``if n <= len(sieve._list): return sieve[n]`` on a module-level instance whose
        methods change ``_list``: another thread's call can change it between the test and
        the use. A local read from the field a few lines before (``last = sieve._list[-1]``)
        counts as the test: the snapshot goes stale as the field does."""
        candidates = {name: found for name, found in self.instances.items() if name not in local_names}
        if not candidates:
            return
        tested: dict[str, tuple[str, ast.AST]] = {}
        snapshots = {
            node.targets[0].id: node
            for node in self._assignments.get(id(self._function), [])
            if 0 < statement.lineno - node.lineno <= 6
        }
        names = {node.id for node in walk(statement.test) if isinstance(node, ast.Name)}
        for source, check in [(statement.test, statement.test)] + [
            (snapshots[name].value, snapshots[name]) for name in sorted(names & set(snapshots))
        ]:
            for node in walk(source):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                    found = candidates.get(node.value.id)
                    if found and node.attr in found[1]:
                        tested.setdefault(node.value.id, (node.attr, check))
        for name, (field_name, check) in tested.items():
            for node in walk(ast.Module(body=statement.body, type_ignores=[])):
                if (isinstance(node, ast.Subscript) and dotted(node.value) == name) or (
                    isinstance(node, ast.Attribute) and dotted(node.value) == name
                ):
                    class_name = candidates[name][0]
                    how = f"uses `{name}` again ({ast.unparse(node)[:40]})"
                    self._add(
                        "check-then-use",
                        name,
                        function,
                        check,
                        f"tests `{name}.{field_name}` and then, on line {node.lineno}, {how}; `{name}` is a "
                        f"module-level {class_name} whose methods change `{field_name}`",
                        node.lineno,
                    )
                    self._add(
                        "check-then-use",
                        name,
                        function,
                        node,
                        f"{how} after the test of `{name}.{field_name}` on line {check.lineno}; `{name}` "
                        f"is a module-level {class_name} whose methods change `{field_name}`",
                    )
                    break

    def _aliases_tested(self, statement: ast.If | ast.While, shared: set[str]) -> dict[str, str]:
        """Locals read from a container just before the test (``entry = _index.get(k)``)
        that the test then checks."""
        names = {node.id for node in walk(statement.test) if isinstance(node, ast.Name)}
        found = {}
        for node in self._assignments.get(id(self._function), []):
            name = node.targets[0].id
            container = _container_of(node.value, shared)
            if name in names and container and 0 < statement.lineno - node.lineno <= 3:
                found[name] = container
        return found

    # -- two reads in one statement -------------------------------------------------------
    def _double_read(self, statement: ast.stmt, function: str, shared: set[str]) -> None:
        reads: dict[str, int] = {}
        for node in walk(statement):
            # One lookup each: `_cache[a][b]` reads `_cache` once, so only the subscript
            # or `.get` right on the name counts.
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
                name = node.value.id if node.value.id in shared else None
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and isinstance(node.func.value, ast.Name)
            ):
                name = node.func.value.id if node.func.value.id in shared else None
            else:
                continue
            if name:
                reads[name] = reads.get(name, 0) + 1
        for name, count in reads.items():
            if count >= 2:
                self._add(
                    "double-read",
                    name,
                    function,
                    statement,
                    f"reads `{name}` {count} times in one statement: another thread's change in between "
                    "makes the reads disagree",
                )

    # -- a parameter iterated, the container passed ------------------------------------------
    def _iterated_parameters(self) -> dict[str, dict[int, ast.AST]]:
        """function -> {parameter position: the loop over it}."""
        found: dict[str, dict[int, ast.AST]] = {}
        for function in walk(self.tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            positions = {argument.arg: index for index, argument in enumerate(function.args.args)}
            for node in walk(function):
                if isinstance(node, (ast.For, ast.comprehension)):
                    iterable = node.iter
                    if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute):
                        if iterable.func.attr in ("items", "keys", "values") and not iterable.args:
                            iterable = iterable.func.value
                    if isinstance(iterable, ast.Name) and iterable.id in positions:
                        found.setdefault(function.name, {}).setdefault(positions[iterable.id], node)
        return found

    def _argument_iteration(self, call: ast.Call, function: str, shared: set[str], iterating) -> None:
        callee = call.func.id if isinstance(call.func, ast.Name) else None
        loops = iterating.get(callee or "", {})
        for index, argument in enumerate(call.args):
            if isinstance(argument, ast.Name) and argument.id in shared and index in loops:
                loop = loops[index]
                self._add(
                    "argument-iteration",
                    argument.id,
                    callee,
                    loop,
                    f"iterates its argument, which {function}() passes as module-level `{argument.id}` "
                    f"(line {call.lineno}) while other functions change it",
                    call.lineno,
                )

    # -- a method called on a lazily built process-wide singleton ---------------------------
    def _singleton_call(
        self, call: ast.Call, function: str, getters: dict[str, tuple[str, str, int]]
    ) -> None:
        if not (isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Call)):
            return
        getter = dotted(call.func.value.func)
        method = call.func.attr
        if getter not in getters or method.startswith(("get", "is", "_")):
            return
        variable, factory, line = getters[getter]
        self._add(
            "stateful-call",
            f"{getter}()",
            function,
            call,
            method,
        )
        self.events[-1].other_line = line
        self.events[-1].evidence = (
            f"{getter}() hands every thread the one {factory} it builds lazily into `{variable}` "
            f"(line {line}), and nothing shows {factory}'s methods to be safe to run at once"
        )

    # -- a lock taken after the check ------------------------------------------------------
    def _lock_after_check(self, statement: ast.If | ast.While, function: str) -> None:
        unset = _unset_targets(statement.test)
        if not unset:
            return
        for position, inner in enumerate(statement.body):
            if isinstance(inner, (ast.With, ast.AsyncWith)):
                if not any(is_lock_expression(item.context_expr, self.locks) for item in inner.items):
                    continue
                region = ast.Module(body=inner.body, type_ignores=[])
            elif _acquires_lock(inner, self.locks):
                # `lock.acquire()` then `try: ... finally: lock.release()`: the rest of the body.
                region = ast.Module(body=statement.body[position + 1 :], type_ignores=[])
            else:
                continue
            rechecked = any(
                isinstance(node, ast.If) and _unset_targets(node.test) & unset for node in walk(region)
            )
            if rechecked:
                continue
            for node in walk(region):
                if isinstance(node, ast.Assign):
                    stored = {dotted(target) for target in node.targets} & unset
                    if stored:
                        name = sorted(stored)[0]
                        self._add(
                            "lazy-init",
                            name,
                            function,
                            node,
                            f"takes the lock only after the unlocked check on line {statement.lineno} and "
                            "does not check again inside it",
                            statement.lineno,
                        )


def _blocks(function: ast.AST):
    """Every statement list in ``function`` (bodies, else branches, handlers)."""
    for node in walk(function):
        for name in ("body", "orelse", "finalbody"):
            block = getattr(node, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block


def _acquires_lock(statement: ast.stmt, locks: set[str]) -> bool:
    call = statement.value if isinstance(statement, ast.Expr) else None
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "acquire"
        and is_lock_expression(call.func.value, locks)
    )


def _singleton_getters(tree: ast.Module) -> dict[str, tuple[str, str, int]]:
    """Module functions that build one instance into a global and return it:
    getter -> (global, class, line of the store)."""
    getters = {}
    for function in tree.body:
        if not isinstance(function, ast.FunctionDef):
            continue
        declared = {name for node in walk(function) if isinstance(node, ast.Global) for name in node.names}
        returned = {
            node.value.id
            for node in walk(function)
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Name)
        }
        for node in walk(function):
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in declared & returned
                and isinstance(node.value, ast.Call)
            ):
                factory = (dotted(node.value.func) or "").split(".")[-1]
                if factory[:1].isupper() and "Lock" not in factory:
                    getters[function.name] = (node.targets[0].id, factory, node.lineno)
    return getters


def _unset_targets(test: ast.AST) -> set[str]:
    """``{"cls._instance"}`` for ``cls._instance is None`` / ``not cls._instance``."""
    if isinstance(test, ast.BoolOp):
        return set().union(*(_unset_targets(value) for value in test.values))
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        name = dotted(test.operand)
        return {name} if name else set()
    if (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq))
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value in (None, False)
    ):
        name = dotted(test.left)
        return {name} if name else set()
    return set()


def module_check_events(
    tree: ast.Module,
    path: str,
    lines: list[str],
    containers: set[str],
    writers: dict[str, set[str]],
    locks: set[str],
    instances: dict[str, tuple[str, set[str]]] | None = None,
) -> list[ModuleCheckEvent]:
    """The check halves and double reads on ``containers`` (those something changes at run
    time); ``writers`` maps each function to the containers it changes; ``instances`` maps
    each module-level instance whose methods change it to its class and the fields they write."""
    finder = _Finder(tree, containers, writers, locks)
    finder.instances = instances or {}
    events = finder.run()
    for event in events:
        snippet = lines[event.line - 1].strip() if 0 < event.line <= len(lines) else ""
        event.location = Location(path=path, line=event.line, column=event.column, snippet=snippet)
    return events
