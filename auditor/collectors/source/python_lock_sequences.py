"""Sequences a lock was meant to cover and does not, read with ``ast``.

The code takes a lock around shared state, so its authors expected threads; what it
guards is still split, in one of these ways:

* ``locked-iteration``: a class-level or module-level container is iterated under the
  lock while another function inserts into it or deletes from it *without* the lock
  (``for n in Logger._enabled`` under ``Logger._lock``, and ``_log()`` filling
  ``Logger._enabled[name]``): the locked loop fails with "changed size during iteration";
* ``split-lock``: one function reads the state into a local under the lock, releases it,
  and writes the local back under the lock again (``with lock: items = [... state ...]``
  ... ``with lock: state[:] = items``): another thread's change made in between is lost;
* ``escaping-view``: ``with lock: return self._container.keys()`` hands out a live view
  that the caller iterates after the lock is released, while other threads change it;
* ``published-then-mutated``: copy-on-write done halfway: ``handlers = self.handlers.copy()``,
  ``self.handlers = handlers`` published, and then ``handlers.pop(k)`` again (later in
  the function or on the next turn of the loop), under readers that iterate it unlocked;
* ``lock-after-thread-start``: ``__init__`` starts a thread that is handed ``self``
  (``Engine(self)``, whose ``__init__`` calls ``self.start()``; ``Thread(target=self.run)
  .start()``) and only then creates ``self._lock``: the thread can reach the object
  before the lock it takes exists.

Each event names both statements and says why the state is shared.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ...model.finding import Location
from .python_ast_walk import dotted, is_lock_expression, walk
from .python_vocabulary import LOCK_FACTORIES, MUTATING_METHODS

_VIEWS = {"keys", "values", "items"}
# Changes that add or remove entries (a loop over the container fails on them).
_RESIZING = (MUTATING_METHODS - {"sort", "reverse", "rotate", "move_to_end"}) | {"__setitem__"}
_COPIES = {"copy", "dict", "list", "set", "OrderedDict"}
_CONSTRUCTION = {"__init__", "__new__", "__post_init__", "__init_subclass__", "__set_name__"}
_METACLASS_BASES = {"type", "ABCMeta"}


@dataclass
class LockSequenceEvent:
    kind: str
    name: str  # the state, as written: `Logger._enabled`, `self._container`
    function: str
    line: int
    column: int
    detail: str  # this statement's part, for the message
    evidence: str  # why the state is shared, and the other statement
    other_line: int = 0
    location: Location | None = None


class _Scope:
    """How one function names shared state: the class through ``cls``/its name, the
    instance through its first parameter, module containers by name."""

    def __init__(self, function, class_node: ast.ClassDef | None, classes: set[str], containers: set[str]):
        self.function = function
        self.class_name = class_node.name if class_node is not None else None
        arguments = function.args.args
        self.first = arguments[0].arg if arguments and class_node is not None else None
        decorators = {dotted(decorator) for decorator in function.decorator_list}
        metaclass = class_node is not None and any(
            (dotted(base) or "").split(".")[-1] in _METACLASS_BASES for base in class_node.bases
        )
        self.first_is_class = self.first is not None and (
            "classmethod" in decorators or metaclass or function.name == "__new__"
        )
        if "staticmethod" in decorators:
            self.first = None
        bound = {argument.arg for argument in walk(function.args) if isinstance(argument, ast.arg)}
        bound |= {
            node.id
            for node in walk(function)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        }
        declared_global = {
            name for node in walk(function) if isinstance(node, ast.Global) for name in node.names
        }
        self.locals = bound - declared_global
        self.classes = classes - self.locals
        self.containers = containers - self.locals

    def key(self, node: ast.AST) -> str | None:
        """``Class.attr`` (class state), ``self.a.b`` (instance state) or a module container."""
        if isinstance(node, ast.Name):
            return node.id if node.id in self.containers else None
        if not isinstance(node, ast.Attribute):
            return None
        name = dotted(node)
        if name is None:
            return None
        root, _, rest = name.partition(".")
        if root == self.first and self.first_is_class and "." not in rest:
            return f"{self.class_name}.{rest}"
        if root in self.classes and "." not in rest:
            return name
        if root == self.first and self.first is not None:
            return f"self.{rest}"
        return None

    def is_class_level(self, key: str) -> bool:
        return not key.startswith("self.")


def _functions(tree: ast.Module) -> Iterator[tuple[ast.FunctionDef, ast.ClassDef | None]]:
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield statement, None
        elif isinstance(statement, ast.ClassDef):
            for member in statement.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield member, statement


def _locked_with(statement: ast.stmt, locks: set[str]) -> str | None:
    """The lock's text when ``statement`` is ``with <lock>:`` (not ``async with``)."""
    if isinstance(statement, ast.With):
        for item in statement.items:
            if is_lock_expression(item.context_expr, locks):
                expression = item.context_expr
                expression = expression.func if isinstance(expression, ast.Call) else expression
                return dotted(expression) or "a lock"
    return None


def _statements(statements: list[ast.stmt], locks: set[str], held: bool = False):
    """``(statement, lock held, enclosing loops)`` for every statement, nested bodies included."""
    stack: list[tuple[list[ast.stmt], bool, tuple]] = [(statements, held, ())]
    while stack:
        block, block_held, loops = stack.pop()
        for statement in block:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            yield statement, block_held, loops
            inner_held = block_held or _locked_with(statement, locks) is not None
            inner_loops = (*loops, statement) if isinstance(statement, (ast.For, ast.While)) else loops
            for name in ("body", "orelse", "finalbody"):
                inner = getattr(statement, name, None)
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    stack.append((inner, inner_held, inner_loops))
            for handler in getattr(statement, "handlers", []):
                stack.append((handler.body, inner_held, inner_loops))


def _header(statement: ast.stmt) -> list[ast.AST]:
    """The expressions a statement evaluates itself (not those of its nested bodies)."""
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return [statement.iter]
    if isinstance(statement, (ast.If, ast.While)):
        return [statement.test]
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return [item.context_expr for item in statement.items]
    if isinstance(statement, ast.Try):
        return []
    return [statement]


def _mutations(statement: ast.stmt, resizing_only: bool) -> Iterator[tuple[ast.AST, ast.AST, str]]:
    """``(container expression, node, verb)`` for each change a simple statement makes."""
    for root in _header(statement):
        for node in walk(root):
            if isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)):
                break
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, ast.Delete):
                targets = node.targets
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                method = node.func.attr
                if method in (_RESIZING if resizing_only else MUTATING_METHODS):
                    yield node.func.value, node, f"calls `.{method}()` on"
            for target in targets:
                if isinstance(target, ast.Subscript):
                    verb = "deletes from" if isinstance(node, ast.Delete) else "stores into"
                    yield target.value, node, verb


def _iterated(statement: ast.stmt) -> Iterator[ast.AST]:
    """What a loop (or a comprehension in the statement) iterates, views stripped."""
    iterables = [statement.iter] if isinstance(statement, (ast.For, ast.AsyncFor)) else []
    for root in _header(statement):
        iterables += [node.iter for node in walk(root) if isinstance(node, ast.comprehension)]
    for iterable in iterables:
        if (
            isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Attribute)
            and iterable.func.attr in _VIEWS
            and not iterable.args
        ):
            iterable = iterable.func.value
        yield iterable


def lock_sequence_events(
    tree: ast.Module,
    path: str,
    lines: list[str],
    containers: set[str],
    locks: set[str],
    runs_alone: Callable[[str], bool],
) -> list[LockSequenceEvent]:
    """Every event of the module (``runs_alone(function)``: code no other thread overlaps)."""
    classes = {statement.name for statement in tree.body if isinstance(statement, ast.ClassDef)}
    scopes = [
        _Scope(function, class_node, classes, containers)
        for function, class_node in _functions(tree)
        if not runs_alone(function.name)
    ]
    events: list[LockSequenceEvent] = []
    if not any(isinstance(node, (ast.With, ast.Call)) for node in walk(tree)):
        return events
    _locked_iteration(scopes, locks, events)
    for scope in scopes:
        if scope.function.name in _CONSTRUCTION:
            _lock_after_thread_start(scope, tree, locks, events)
            continue
        _split_lock(scope, scope.function.body, locks, events)
        _escaping_views(scope, locks, events)
        _published_then_mutated(scope, locks, events)
    for event in events:
        snippet = lines[event.line - 1].strip() if 0 < event.line <= len(lines) else ""
        event.location = Location(path=path, line=event.line, column=event.column, snippet=snippet)
    return events


def _event(kind, scope: _Scope, node: ast.AST, name: str, detail: str, evidence: str, other: int):
    return LockSequenceEvent(
        kind, name, scope.function.name, node.lineno, node.col_offset + 1, detail, evidence, other
    )


def _locked_iteration(scopes: list[_Scope], locks: set[str], events: list) -> None:
    writers: dict[str, tuple[str, int, str]] = {}  # state -> (function, line, verb)
    for scope in scopes:
        if scope.function.name in _CONSTRUCTION and not scope.first_is_class:
            continue
        for statement, held, _loops in _statements(scope.function.body, locks):
            if held:
                continue
            for container, node, verb in _mutations(statement, resizing_only=True):
                key = scope.key(container)
                if key and scope.is_class_level(key):
                    writers.setdefault(key, (scope.function.name, node.lineno, verb))
    if not writers:
        return
    for scope in scopes:
        for statement, held, _loops in _statements(scope.function.body, locks):
            if not held:
                continue
            for iterable in _iterated(statement):
                key = scope.key(iterable)
                if key not in writers:
                    continue
                writer, line, verb = writers[key]
                events.append(
                    _event(
                        "locked-iteration",
                        scope,
                        statement,
                        key,
                        f"iterates `{key}` under the lock",
                        f"{writer}() {verb} `{key}` without the lock (line {line}); `{key}` is "
                        f"{'module' if '.' not in key else 'class'} state, one for every thread",
                        line,
                    )
                )


def _reads(root: ast.AST, scope: _Scope) -> set[str]:
    return {key for node in walk(root) if (key := scope.key(node)) is not None}


def _split_lock(scope: _Scope, statements: list[ast.stmt], locks: set[str], events: list) -> None:
    """Two ``with <lock>:`` blocks of one statement list: a local read from state in the
    first, written back into that state in the second."""
    blocks = [(index, _locked_with(statement, locks)) for index, statement in enumerate(statements)]
    for statement in statements:
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(statement, name, None)
            if _locked_with(statement, locks) is None and isinstance(inner, list) and inner:
                if isinstance(inner[0], ast.stmt):
                    _split_lock(scope, inner, locks, events)
    locked = [(index, lock) for index, lock in blocks if lock is not None]
    for position, (first_index, lock) in enumerate(locked):
        read_into: dict[str, tuple[str, ast.stmt]] = {}  # local -> (state, assignment)
        for statement, _held, _loops in _statements(statements[first_index].body, locks, True):
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name):
                    for key in sorted(_reads(statement.value, scope)):
                        read_into.setdefault(target.id, (key, statement))
        if not read_into:
            continue
        for second_index, second_lock in locked[position + 1 :]:
            if second_lock != lock:
                continue
            for statement, _held, _loops in _statements(statements[second_index].body, locks, True):
                written = _written_back(statement, scope, read_into)
                if written is None:
                    continue
                local, key, read = written
                events.append(
                    _event(
                        "split-lock",
                        scope,
                        read,
                        key,
                        f"reads `{key}` into `{local}` under `{lock}`, releases it, and writes `{local}` "
                        f"back into `{key}` under `{lock}` again on line {statement.lineno}",
                        f"another thread's change to `{key}` made between the two blocks is lost",
                        statement.lineno,
                    )
                )
                events.append(
                    _event(
                        "split-lock",
                        scope,
                        statement,
                        key,
                        f"writes `{local}` back into `{key}` under a second `with {lock}:`, after reading it "
                        f"under the first on line {read.lineno}",
                        f"another thread's change to `{key}` made between the two blocks is lost",
                        read.lineno,
                    )
                )
                return


def _written_back(statement, scope: _Scope, read_into: dict) -> tuple[str, str, ast.stmt] | None:
    if not isinstance(statement, (ast.Assign, ast.Expr, ast.AugAssign)):
        return None
    used = {
        node.id for node in walk(statement) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    targets = statement.targets if isinstance(statement, ast.Assign) else []
    if isinstance(statement, ast.AugAssign):
        targets = [statement.target]
    changed = [target.value if isinstance(target, ast.Subscript) else target for target in targets]
    changed += [container for container, _node, _verb in _mutations(statement, resizing_only=False)]
    for container in changed:
        key = scope.key(container)
        for local in sorted(used):
            if key is not None and read_into.get(local, (None,))[0] == key:
                return local, key, read_into[local][1]
    return None


def _escaping_views(scope: _Scope, locks: set[str], events: list) -> None:
    for statement, held, _loops in _statements(scope.function.body, locks):
        if not held or not isinstance(statement, ast.Return) or not isinstance(statement.value, ast.Call):
            continue
        call = statement.value
        view = None
        if isinstance(call.func, ast.Attribute) and call.func.attr in _VIEWS and not call.args:
            view, source = call.func.attr + "()", call.func.value
        elif dotted(call.func) == "iter" and len(call.args) == 1:
            view, source = "iter()", call.args[0]
        key = scope.key(source) if view else None
        if key is None:
            continue
        events.append(
            _event(
                "escaping-view",
                scope,
                statement,
                key,
                f"returns the live {view} of `{key}` from inside the lock",
                f"the caller iterates it after the lock is released, while other threads change `{key}` "
                "(the class guards it with that lock)",
                0,
            )
        )


def _published_then_mutated(scope: _Scope, locks: set[str], events: list) -> None:
    """``local = state.copy()`` ... ``state = local`` ... ``local.pop(k)``."""
    copies: dict[str, str] = {}  # local -> state it is a copy of
    publishes: list[tuple[str, str, ast.stmt, tuple]] = []  # (local, state, statement, loops)
    statements = list(_statements(scope.function.body, locks))
    for statement, _held, loops in statements:
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
            continue
        target, value = statement.targets[0], statement.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Call):
            source = None
            if isinstance(value.func, ast.Attribute) and value.func.attr == "copy" and not value.args:
                source = value.func.value
            elif dotted(value.func) in _COPIES and len(value.args) == 1:
                source = value.args[0]
            key = scope.key(source) if source is not None else None
            if key:
                copies[target.id] = key
        elif isinstance(value, ast.Name) and value.id in copies and scope.key(target) == copies[value.id]:
            publishes.append((value.id, copies[value.id], statement, loops))
    for local, key, publish, loops in publishes:
        following = _following(scope.function.body, publish) or ([], False)
        later = {id(node) for statement in following[0] for node in walk(statement)}
        for statement, _held, statement_loops in statements:
            after = id(statement) in later
            again = any(loop in statement_loops for loop in loops) and statement is not publish
            if not (after or again):
                continue
            for container, node, verb in _mutations(statement, resizing_only=False):
                if (
                    isinstance(container, ast.Name)
                    and container.id == local
                    and _not_rebound(scope, local, publish, loops)
                ):
                    events.append(
                        _event(
                            "published-then-mutated",
                            scope,
                            node,
                            key,
                            f"{verb} `{local}` after publishing it as `{key}` (line {publish.lineno})",
                            f"`{local}` is the copy that copy-on-write should keep private: once published, "
                            f"threads that read `{key}` without the lock see it change under them",
                            publish.lineno,
                        )
                    )
                    return


_EXITS = (ast.Return, ast.Raise, ast.Continue, ast.Break)


def _following(statements: list[ast.stmt], target: ast.stmt) -> tuple[list[ast.stmt], bool] | None:
    """The statements that run after ``target`` (up to the first exit), and whether an
    exit ends them; None when ``target`` is not in ``statements``."""
    for index, statement in enumerate(statements):
        if statement is target:
            found: tuple[list[ast.stmt], bool] = ([], False)
        else:
            found = None
            inner_blocks = [getattr(statement, name, None) for name in ("body", "orelse", "finalbody")]
            inner_blocks += [handler.body for handler in getattr(statement, "handlers", [])]
            for inner in inner_blocks:
                if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                    found = _following(inner, target)
                    if found is not None:
                        break
            if found is None:
                continue
        rest, ended = found
        if ended or isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return rest, ended
        for later in statements[index + 1 :]:
            rest = [*rest, later]
            if isinstance(later, _EXITS):
                return rest, True
        return rest, False
    return None


def _not_rebound(scope: _Scope, local: str, publish: ast.stmt, loops: tuple) -> bool:
    """The published object is still what ``local`` names: no loop around the publish
    makes a fresh one (``local = ...`` inside it)."""
    for loop in loops:
        for node in walk(loop):
            if isinstance(node, ast.Name) and node.id == local and isinstance(node.ctx, ast.Store):
                return False
    return True


def _lock_after_thread_start(scope: _Scope, tree: ast.Module, locks: set[str], events: list) -> None:
    if scope.first is None or scope.first_is_class:
        return
    starters = _thread_classes_started_in_init(tree)
    started: tuple[int, str] | None = None
    self_name = scope.first
    thread_locals: set[str] = set()
    for statement in scope.function.body:
        if started is not None:
            if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
                factory = (dotted(statement.value.func) or "").split(".")[-1]
                for target in statement.targets:
                    key = scope.key(target)
                    if factory in LOCK_FACTORIES and key and key.startswith("self."):
                        line, how = started
                        events.append(
                            _event(
                                "lock-after-thread-start",
                                scope,
                                statement,
                                key,
                                f"creates `{key}` only after {how} started a thread with the object "
                                f"(line {line})",
                                f"that thread can reach code that takes `{key}` before it exists",
                                line,
                            )
                        )
            continue
        for node in walk(statement):
            if not isinstance(node, ast.Call):
                continue
            called = dotted(node.func) or ""
            hands_self = any(
                isinstance(argument, ast.Name) and argument.id == self_name
                for argument in [*node.args, *(keyword.value for keyword in node.keywords)]
            )
            if called in starters and hands_self:
                started = (node.lineno, f"{called}({self_name})")
            elif called.split(".")[-1] == "Thread" and _targets_self(node, self_name):
                if isinstance(statement, ast.Assign):
                    thread_locals |= {name for target in statement.targets if (name := dotted(target))}
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "start":
                owner = node.func.value
                if dotted(owner) in thread_locals or (
                    isinstance(owner, ast.Call) and _targets_self(owner, self_name)
                ):
                    started = (node.lineno, "threading.Thread(target=...)")


def _targets_self(call: ast.AST, self_name: str) -> bool:
    if not isinstance(call, ast.Call) or (dotted(call.func) or "").split(".")[-1] != "Thread":
        return False
    for keyword in call.keywords:
        if keyword.arg in ("target", "args") and any(
            isinstance(node, ast.Name) and node.id == self_name for node in walk(keyword.value)
        ):
            return True
    return False


def _thread_classes_started_in_init(tree: ast.Module) -> set[str]:
    """Classes of the module derived from ``Thread`` whose ``__init__`` calls ``self.start()``."""
    found = set()
    for statement in tree.body:
        if not isinstance(statement, ast.ClassDef):
            continue
        if not any((dotted(base) or "").split(".")[-1] == "Thread" for base in statement.bases):
            continue
        for member in statement.body:
            if isinstance(member, ast.FunctionDef) and member.name == "__init__" and member.args.args:
                self_name = member.args.args[0].arg
                if any(
                    isinstance(node, ast.Call) and dotted(node.func) == f"{self_name}.start"
                    for node in walk(member)
                ):
                    found.add(statement.name)
    return found
