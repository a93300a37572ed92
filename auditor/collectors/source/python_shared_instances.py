"""Python classes whose instances the code itself shows to be shared, and their races.

Most objects live in one thread, and an unlocked ``if k not in self._seen:
self._seen[k] = v`` on them is no hazard at all. This module looks for *evidence*
that one instance is used by several threads, and only for those classes reports
the compound updates of the instance's own state that another thread can split:

* a module-level variable holds an instance (``_finder = Finder()``);
* the class takes a lock in some of its methods (its authors expected threads);
* an instance is put where the interpreter calls it from any thread
  (``sys.meta_path``, ``sys.path_hooks``);
* a method hands a weakref callback that touches ``self`` (it runs on whichever
  thread drops the last reference, at the same time as the other methods);
* a function keeps instances in a module-level container (``_pmap[pid] = proc``),
  which hands the same object to every caller.

What is reported on such a class, outside any lock and outside construction
(``__init__``, ``__new__`` and helpers only they call): a test of ``self.<field>``
followed by a write of that field (directly, through a local read from it, or
through a method that writes it), the ``try: self.x[k] / except KeyError:
self.x[k] = ...`` form, ``self.n += 1``, and every write made by a weakref callback.
Each event names both statements and the evidence.

Read with ``ast`` (the whole module is parsed once for the facts anyway); events
carry their own :class:`~auditor.model.finding.Location`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ...model.finding import Location
from .python_ast_walk import dotted, is_lock_expression, walk
from .python_instance_calls import acquired_branch as _acquired_branch
from .python_instance_calls import self_calls as _self_calls
from .python_instance_iteration import (
    changed_in_place,
    fields_used_under_lock,
    indexed_field,
    iterated_fields,
)
from .python_instance_sequences import InstanceContainers, container_sequences
from .python_shared_evidence import (
    ModuleEvidence,
    call_name,
    class_methods,
    self_field,
    self_parameter,
    weakref_callback,
)
from .python_vocabulary import LOCK_FACTORIES, MUTATING_METHODS

_CONSTRUCTION = {"__init__", "__new__", "__post_init__", "__init_subclass__", "__set_name__", "__del__"}
_MISSING_KEY = {"KeyError", "LookupError", "IndexError"}


@dataclass
class InstanceRace:
    """One statement of a race on a shared instance's state."""

    class_name: str
    field_name: str
    function: str
    line: int
    column: int
    what: str  # "checks `self.x` ..." — the statement's part in the race
    evidence: str
    other_line: int = 0  # the other statement of a check-then-act
    iteration: bool = False  # a loop over a container (FTP012 reports those on lock-only evidence)
    location: Location | None = None


@dataclass
class _MethodSummary:
    writes: set[str] = field(default_factory=set)  # fields written anywhere in the method
    self_calls: set[str] = field(default_factory=set)


def _stored_field(target: ast.AST, self_name: str) -> str | None:
    """``x`` for a store to ``self.x`` or into ``self.x[k]``; not for ``self.x.attr``,
    which changes the object ``x`` refers to, not the instance."""
    while isinstance(target, ast.Subscript):
        target = target.value
    if (
        isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == self_name
    ):
        return target.attr
    return None


def _written_fields(method: ast.AST, self_name: str) -> _MethodSummary:
    summary = _MethodSummary()
    for node in walk(method):
        targets: list[ast.AST] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        elif isinstance(node, ast.Delete):
            targets = list(node.targets)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == self_name:
                summary.self_calls.add(node.func.attr)
            elif node.func.attr in MUTATING_METHODS and node.func.attr != "setdefault":
                targets = [owner]
        for target in targets:
            written = _stored_field(target, self_name)
            if written:
                summary.writes.add(written)
    return summary


class _MethodWalker:
    """One method's statements in order: locks, tests of fields, and the writes after them."""

    def __init__(self, owner: _ClassRaces, method, summaries: dict[str, _MethodSummary]) -> None:
        self.owner = owner
        self.method = method
        self.self_name = self_parameter(method)
        self.summaries = summaries
        self.lock_depth = 0
        self.tests: list[dict[str, ast.AST]] = []  # field -> the test that checked it
        self.checked: dict[str, ast.AST] = {}  # early-return checks for the rest of the method
        self.aliases: dict[str, str] = {}  # local -> field it was read from
        self.entries: dict[str, str] = {}  # local -> container field it is an entry of
        self.snapshots: dict[str, tuple[str, ast.stmt]] = {}  # `n = len(self.x)`: local -> field, line

    def run(self) -> None:
        self._block(self.method.body)

    # -- statements --------------------------------------------------------------------
    def _block(self, statements: list[ast.stmt]) -> None:
        for statement in statements:
            self._statement(statement)

    def _statement(self, statement: ast.stmt) -> None:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return
        if isinstance(statement, (ast.With, ast.AsyncWith)):
            locked = any(self.owner.evidence_source.is_lock(item.context_expr) for item in statement.items)
            self.lock_depth += locked
            self._block(statement.body)
            self.lock_depth -= locked
            return
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            if isinstance(call.func, ast.Attribute) and self.owner.evidence_source.is_lock(call.func.value):
                if call.func.attr == "acquire":
                    self.lock_depth += 1
                elif call.func.attr == "release":
                    self.lock_depth = max(0, self.lock_depth - 1)
        if isinstance(statement, (ast.If, ast.While)):
            self._if(statement)
            return
        if isinstance(statement, ast.Try):
            self._try(statement)
            return
        if isinstance(statement, (ast.For, ast.AsyncFor)):
            self._reads_twice(statement)
            self._iterates(statement)
            self._writes_in(statement.iter, statement)
            self._block(statement.body)
            self._block(statement.orelse)
            return
        self._simple(statement)

    def _fields_tested(self, test: ast.AST) -> dict[str, ast.AST]:
        """Each field the test depends on, with the statement that read it: the test
        itself, or the earlier ``n = len(self._list)`` whose snapshot it compares."""
        tested: dict[str, ast.AST] = {}
        for node in walk(test):
            field_name = self_field(node, self.self_name) if isinstance(node, ast.Attribute) else None
            if field_name:
                tested.setdefault(field_name, test)
            elif isinstance(node, ast.Name) and node.id in self.aliases:
                tested.setdefault(self.aliases[node.id], test)
            elif isinstance(node, ast.Name) and node.id in self.snapshots:
                snapshot_of, read = self.snapshots[node.id]
                tested.setdefault(snapshot_of, read)
        return tested

    def _if(self, statement: ast.If | ast.While) -> None:
        tested = self._fields_tested(statement.test)
        acquired = _acquired_branch(statement.test, self.owner.evidence_source.is_lock)
        self.tests.append(tested)
        for name in ("body", "orelse"):
            self.lock_depth += acquired == name
            self._block(getattr(statement, name))
            self.lock_depth -= acquired == name
        self.tests.pop()
        if _ends_in_exit(statement.body):
            for field_name, check in tested.items():
                # The latest early exit is the check the following writes rely on.
                self.checked[field_name] = check

    def _try(self, statement: ast.Try) -> None:
        self._block(statement.body)
        looked_up = {}
        for node in walk(ast.Module(body=statement.body, type_ignores=[])):
            if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                field_name = self_field(node, self.self_name)
                if field_name:
                    looked_up.setdefault(field_name, node)
        for handler in statement.handlers:
            caught = {dotted(item) for item in walk(handler.type)} if handler.type is not None else set()
            self.tests.append(looked_up if caught & _MISSING_KEY else {})
            self._block(handler.body)
            self.tests.pop()
        self._block(statement.orelse)
        self._block(statement.finalbody)

    def _simple(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            source = self_field(statement.value, self.self_name)
            if isinstance(target, ast.Name):
                if source:
                    self.aliases[target.id] = source
                else:
                    self.aliases.pop(target.id, None)
                if source and isinstance(statement.value, (ast.Subscript, ast.Call)):
                    self.entries[target.id] = source
                else:
                    self.entries.pop(target.id, None)
                snapshot_of = None if source else _snapshot_field(statement.value, self.self_name)
                if snapshot_of in self.owner.mutable_fields:
                    self.snapshots[target.id] = (snapshot_of, statement)
                else:
                    self.snapshots.pop(target.id, None)
        self._reads_twice(statement)
        self._iterates(statement)
        self._writes_in(statement, statement)

    def _iterates(self, statement: ast.stmt) -> None:
        """A loop over a container another method changes in place: 'changed size during iteration'."""
        if self.lock_depth:
            return
        for field_name, node in iterated_fields(statement, self.self_name):
            line = self.owner.changed.get(field_name)
            if line is not None and not self.owner.is_lock_field(field_name):
                self.owner.single(
                    self.method.name,
                    field_name,
                    node,
                    f"iterates over `self.{field_name}` entry by entry while line {line} changes it in "
                    "place: the loop can fail with 'changed size during iteration' or skip entries",
                    iteration=True,
                )

    def _reads_twice(self, statement: ast.stmt) -> None:
        """``self._list[bisect(self._list, a):]``: two reads of a field that another method
        rebinds can see two different objects; ``k in d and d[k]`` over a field that other
        methods change can find the key and then miss it."""
        if self.lock_depth:
            return
        value = statement.iter if isinstance(statement, (ast.For, ast.AsyncFor)) else statement
        reads: dict[str, list[ast.AST]] = {}
        for node in walk(value):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                field_name = _stored_field(node, self.self_name)
                if field_name in self.owner.rebound_fields:
                    reads.setdefault(field_name, []).append(node)
            elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
                self._tested_then_indexed(node)
        for field_name, nodes in reads.items():
            if len(nodes) > 1:
                self.owner.single(
                    self.method.name,
                    field_name,
                    statement,
                    f"reads `self.{field_name}` {len(nodes)} times in one statement while "
                    f"{self.owner.rebound_fields[field_name]}() rebinds it: the reads can see different "
                    "objects",
                )

    def _tested_then_indexed(self, condition: ast.BoolOp) -> None:
        tested: dict[str, ast.AST] = {}
        for operand in condition.values:
            for node in walk(operand):
                if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                    field_name = self._container_field(node.value)
                    if field_name in tested:
                        self.owner.pair(self.method.name, field_name, tested[field_name], node, "indexes")
            if isinstance(operand, ast.Compare) and isinstance(operand.ops[0], (ast.In, ast.NotIn)):
                field_name = self._container_field(operand.comparators[0])
                if field_name in self.owner.mutable_fields:
                    tested.setdefault(field_name, operand)

    def _container_field(self, node: ast.AST) -> str | None:
        while isinstance(node, ast.Subscript):
            node = node.value
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        return _stored_field(node, self.self_name)

    # -- writes ------------------------------------------------------------------------
    def _check_of(self, field_name: str) -> ast.AST | None:
        for tests in reversed(self.tests):
            if field_name in tests:
                return tests[field_name]
        return self.checked.get(field_name)

    def _writes_in(self, root: ast.AST, statement: ast.stmt) -> None:
        for node in walk(root):
            if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            targets: list[tuple[ast.AST, bool]] = []
            if isinstance(node, ast.Assign):
                targets = [(target, False) for target in node.targets]
            elif isinstance(node, ast.AugAssign):
                targets = [(node.target, True)]
            elif isinstance(node, ast.Delete):
                targets = [(target, False) for target in node.targets]
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                self._indexed_read(node)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if (
                    isinstance(owner, ast.Name)
                    and owner.id in self.entries
                    and node.func.attr in MUTATING_METHODS
                ):
                    self._write(self.entries[owner.id], node, f"changes `{owner.id}`, an entry of", False)
                elif isinstance(owner, ast.Name) and owner.id == self.self_name:
                    for field_name in self._written_through(node.func.attr):
                        self._write(field_name, node, f"calls `self.{node.func.attr}()`, which writes", False)
                elif node.func.attr in MUTATING_METHODS and node.func.attr != "setdefault":
                    targets = [(owner, False)]
            for target, compound in targets:
                field_name = _stored_field(target, self.self_name)
                if field_name:
                    self._write(field_name, node, "writes" if not compound else "updates", compound)

    def _indexed_read(self, node: ast.Subscript) -> None:
        entry_of = self.entries.get(node.value.id) if isinstance(node.value, ast.Name) else None
        if entry_of and self._check_of(entry_of) is not None:
            # `lst = self._index.get(k); if lst: return lst[0]`: the entry may be
            # emptied by another thread between the test and this read.
            self._write(entry_of, node, f"reads `{node.value.id}[...]`, an entry of", False)
        indexed = indexed_field(node, self.self_name)
        if indexed in self.owner.removed and self._check_of(indexed) is not None:
            # `if len(self._keep): self._keep[0]`: another method's removal (line N) can
            # empty it in between (IndexError, KeyError).
            removal = self.owner.removed[indexed]
            self._write(indexed, node, f"indexes (line {removal} removes entries from)", False)

    def _written_through(self, method_name: str) -> set[str]:
        seen, pending, written = set(), [method_name], set()
        while pending:
            name = pending.pop()
            if name in seen or name not in self.summaries:
                continue
            seen.add(name)
            written |= self.summaries[name].writes
            pending.extend(self.summaries[name].self_calls)
        return written

    def _write(self, field_name: str, node: ast.AST, verb: str, compound: bool) -> None:
        if self.lock_depth or self.owner.is_lock_field(field_name):
            return
        check = self._check_of(field_name)
        if check is not None:
            self.owner.pair(self.method.name, field_name, check, node, verb)
        elif compound:
            self.owner.single(
                self.method.name,
                field_name,
                node,
                f"updates `self.{field_name}` in place (read-modify-write): concurrent calls lose updates",
            )


def _snapshot_field(value: ast.AST, self_name: str) -> str | None:
    """The field ``len(self.x)``, ``self.x[-1] + 1`` or ``self.x.count`` takes its value
    from: a local that a later test compares stands for the field at the time it was read."""
    for node in walk(value):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return None  # a method call computes something new, not a snapshot
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            field_name = _stored_field(node, self_name)
            if field_name:
                return field_name
    return None


def _ends_in_exit(body: list[ast.stmt]) -> bool:
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


class _ClassRaces:
    def __init__(self, class_node: ast.ClassDef, evidence: str, evidence_source: ModuleEvidence) -> None:
        self.class_node = class_node
        self.evidence = evidence
        self.evidence_source = evidence_source
        self.races: list[InstanceRace] = []
        self._reported: set[int] = set()
        self.has_loops = False  # any loop race found (then the fields under a lock are worked out)
        self.lock_fields = {
            target.attr
            for node in walk(class_node)
            if isinstance(node, ast.Assign) and call_name(node.value) in LOCK_FACTORIES
            for target in node.targets
            if isinstance(target, ast.Attribute)
        }

    def changed_fields(self, methods, summaries, construction) -> None:
        """Fields some method outside construction writes (``mutable_fields``) and, of
        those, the ones it rebinds or updates in place (``rebound_fields``: field -> method)."""
        self.mutable_fields: set[str] = set()
        self.rebound_fields: dict[str, str] = {}
        for method in methods:
            if method.name in construction:
                continue
            self.mutable_fields |= summaries[method.name].writes
            self_name = self_parameter(method)
            for node in walk(method):
                targets = node.targets if isinstance(node, ast.Assign) else []
                if isinstance(node, ast.AugAssign):
                    targets = [node.target]
                for target in targets:
                    if isinstance(target, ast.Attribute) and _stored_field(target, self_name):
                        self.rebound_fields.setdefault(target.attr, method.name)

    def is_lock_field(self, field_name: str) -> bool:
        return field_name in self.lock_fields or is_lock_expression(ast.Name(id=field_name), set())

    def analyse(self) -> None:
        methods = class_methods(self.class_node)
        summaries = {method.name: _written_fields(method, self_parameter(method)) for method in methods}
        construction = self._construction(methods, summaries)
        construction |= self._called_under_lock(methods, construction)
        self.changed_fields(methods, summaries, construction)
        self.changed, self.removed = changed_in_place(methods, construction, self_parameter)
        containers = InstanceContainers(self.class_node, construction)
        for method in methods:
            if method.name in construction:
                continue
            _MethodWalker(self, method, summaries).run()
            for field_name, node, what, other_line in container_sequences(
                method, containers, self.evidence_source.is_lock
            ):
                self._add(method.name, field_name, node, what, other_line)
            self._callbacks(method)
            if any(
                (dotted(decorator) or "").endswith("cached_property") for decorator in method.decorator_list
            ):
                self.single(
                    method.name,
                    method.name,
                    method,
                    f"is a functools.cached_property: since Python 3.12 it takes no lock, so two threads on "
                    f"the first access both compute `self.{method.name}` and both store it",
                )

    def _construction(self, methods, summaries: dict[str, _MethodSummary]) -> set[str]:
        construction = {method.name for method in methods if method.name in _CONSTRUCTION}
        changed = True
        while changed:
            changed = False
            for method in methods:
                callers = [name for name, summary in summaries.items() if method.name in summary.self_calls]
                if method.name not in construction and callers and set(callers) <= construction:
                    construction.add(method.name)
                    changed = True
        return construction

    def _called_under_lock(self, methods, construction: set[str]) -> set[str]:
        """Private helpers that every caller in the class calls with a lock held, or from
        another such helper: their writes are as protected as the callers' (``_malloc``
        under ``malloc``'s lock, and what ``_malloc`` calls)."""
        is_lock = self.evidence_source.is_lock
        sites = [
            (method.name, call, held)
            for method in methods
            for call, held in _self_calls(method.body, self_parameter(method), is_lock, False)
        ]
        private = {
            name for name in (method.name for method in methods) if name[:1] == "_" and name[:2] != "__"
        }
        protected: set[str] = set()
        changed = True
        while changed:
            changed = False
            for name in private - protected:
                callers = [(caller, held) for caller, call, held in sites if call == name]
                covered = [held or caller in protected or caller in construction for caller, held in callers]
                if callers and all(covered) and any(held or caller in protected for caller, held in callers):
                    protected.add(name)
                    changed = True
        return protected

    def _callbacks(self, method) -> None:
        """Every write of ``self`` a weakref callback makes races with the methods."""
        self_name = self_parameter(method)
        nested = {
            node.name: node
            for node in walk(method)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        }
        for node in walk(method):
            callback = weakref_callback(node, self_name, method)
            if callback not in nested:
                continue
            for inner in walk(nested[callback]):
                targets = inner.targets if isinstance(inner, (ast.Assign, ast.Delete)) else []
                if isinstance(inner, ast.AugAssign):
                    targets = [inner.target]
                for target in targets:
                    field_name = self_field(target, self_name)
                    if field_name:
                        self.single(
                            callback,
                            field_name,
                            inner,
                            f"writes `self.{field_name}` from a weakref callback (set up on line "
                            f"{node.lineno}), while other threads run the methods that read and write it",
                        )

    def pair(self, method: str, field_name: str, check: ast.AST, act: ast.AST, verb: str) -> None:
        self._add(
            method,
            field_name,
            check,
            f"checks `self.{field_name}`, and on line {act.lineno} {verb} `self.{field_name}`",
            act.lineno,
        )
        self._add(
            method,
            field_name,
            act,
            f"{verb} `self.{field_name}` after the check on line {check.lineno}",
            check.lineno,
        )

    def single(self, method: str, field_name: str, node: ast.AST, what: str, iteration: bool = False) -> None:
        self._add(method, field_name, node, what, iteration=iteration)

    def _add(
        self,
        method: str,
        field_name: str,
        node: ast.AST,
        what: str,
        other_line: int = 0,
        iteration: bool = False,
    ) -> None:
        if node.lineno in self._reported:
            return
        self._reported.add(node.lineno)
        self.has_loops = self.has_loops or iteration
        self.races.append(
            InstanceRace(
                self.class_node.name,
                field_name,
                method,
                node.lineno,
                node.col_offset + 1,
                what,
                self.evidence,
                other_line,
                iteration=iteration,
            )
        )


def shared_instance_races(
    tree: ast.Module, path: str, lines: list[str], containers: set[str], locks: set[str], hooks: bool = True
) -> list[InstanceRace]:
    """Every race on the state of a class the module shows to be shared."""
    if not any(isinstance(node, ast.ClassDef) for node in tree.body):
        return []
    source = ModuleEvidence(tree, containers, locks, hooks)
    races: list[InstanceRace] = []
    for class_node in source.classes.values():
        if any((dotted(base) or "").endswith("local") for base in class_node.bases):
            continue  # threading.local: every thread has its own attributes
        found = source.class_evidence(class_node)
        if found is None:
            continue
        evidence, fields = found
        analysis = _ClassRaces(class_node, evidence, source)
        analysis.analyse()
        for race in analysis.races:
            # FTP012 reports the loops over fields the class locks elsewhere, naming the lock.
            locked = fields_used_under_lock(class_node, source.is_lock) if analysis.has_loops else set()
            if race.iteration and race.field_name in locked:
                continue
            if fields is None or race.field_name in fields:
                race.evidence = race.evidence if fields is None else fields[race.field_name]
                races.append(race)
    for race in races:
        snippet = lines[race.line - 1].strip() if 0 < race.line <= len(lines) else ""
        race.location = Location(path=path, line=race.line, column=race.column, snippet=snippet)
    return races
