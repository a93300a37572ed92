"""Check-then-act on class state: a test of a class attribute, then a change to the class.

One class object serves every thread, so state kept on it (``Parser._packrat_enabled``,
``cls._strong_cache``, a metaclass's per-class ``cls.__instances``) is shared by nature.
A single store to it is reported by FTP004; this pass finds the *sequence* another
thread can split, read with ``ast``:

* ``if len(cls._recent) > cls._limit: cls._recent.popitem()``: the test and the change
  are two steps; another thread's pop in between empties the cache under this one;
* ``done = cls._complete; if done: return`` then ``cls._complete = False``: the test
  of a local read from class state is a test of that state;
* ``if Parser._left_recursion: raise ...`` followed, further down the method, by
  ``Parser._packrat = True``: two flags meant to exclude each other, each tested and
  then set without a lock, so two threads can set both.

The tested attribute must be one that some function changes at run time (a constant
such as ``cls.DEBUG`` is no race), and the class must be reached as the class itself:
``cls`` of a classmethod, the class by name, ``type(self)`` / ``self.__class__``, or the
first parameter of a metaclass method. Nothing under a lock, nothing in the code that
runs while a class is made (``__init_subclass__``, a metaclass's ``__init__``/``__new__``).
Tests of "unset" followed by a store of the same attribute are FTP003's lazy
initialisation and are left to it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...model.finding import Location
from .python_ast_walk import dotted, is_lock_expression, walk
from .python_vocabulary import MUTATING_METHODS

# Run while a class is made, or (unittest's class fixtures) once per class by one runner thread.
_CLASS_CREATION = {"__init_subclass__", "__set_name__", "__class_getitem__", "setUpClass", "tearDownClass"}
_METACLASS_CREATION = {"__init__", "__new__", "__prepare__"}
_EXITS = (ast.Return, ast.Raise)
_REMOVING_CALLS = tuple(f"calls `.{method}()`" for method in ("clear", "pop", "popitem", "remove", "discard"))


@dataclass
class ClassSequenceEvent:
    name: str  # "Class.attr" that the test reads
    function: str
    line: int  # the test
    column: int
    detail: str  # what the act does, for the message
    other_line: int  # the act
    evidence: str
    location: Location | None = None


def _first_parameter(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    return function.args.args[0].arg if function.args.args else None


def _decorators(function: ast.AST) -> set[str]:
    return {dotted(decorator) or "" for decorator in function.decorator_list}


class _ClassReferences:
    """Which expressions name a class of the module inside one function."""

    def __init__(self, function, class_node: ast.ClassDef | None, classes: set[str], metaclasses: set[str]):
        self.class_name = class_node.name if class_node is not None else None
        decorators = _decorators(function)
        first = _first_parameter(function)
        static = "staticmethod" in decorators
        self.first = None if static else first
        self.class_first = (
            self.class_name is not None
            and self.first is not None
            and ("classmethod" in decorators or self.class_name in metaclasses)
        )
        self.function = function
        self.classes = classes
        self._by_name: set[str] | None = None

    @property
    def by_name(self) -> set[str]:
        """The module's classes that no local of the function shadows (worked out when asked)."""
        if self._by_name is None:
            function = self.function
            bound = {argument.arg for argument in walk(function.args) if isinstance(argument, ast.arg)}
            bound |= {
                node.id
                for node in walk(function)
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
            }
            self._by_name = self.classes - bound
        return self._by_name

    def owner(self, expression: ast.AST) -> str | None:
        if isinstance(expression, ast.Name):
            if self.class_first and expression.id == self.first:
                return self.class_name
            return expression.id if expression.id in self.classes and expression.id in self.by_name else None
        if self.class_name is None or self.first is None or self.class_first:
            return None
        if (
            isinstance(expression, ast.Attribute)
            and expression.attr == "__class__"
            and dotted(expression.value) == self.first
        ):
            return self.class_name
        if (
            isinstance(expression, ast.Call)
            and dotted(expression.func) == "type"
            and len(expression.args) == 1
            and dotted(expression.args[0]) == self.first
        ):
            return self.class_name
        return None

    def attribute(self, node: ast.AST) -> tuple[str, str] | None:
        """``(Class, attr)`` for ``Class.attr``, ``cls.attr[k]`` (the root of a subscript)."""
        while isinstance(node, ast.Subscript):
            node = node.value
        if isinstance(node, ast.Attribute):
            owner = self.owner(node.value)
            if owner:
                return owner, node.attr
        return None

    def write(self, statement: ast.AST) -> tuple[str, str, str] | None:
        """``(Class, attr, verb)`` when ``statement`` changes class state."""
        targets: list[ast.AST] = []
        if isinstance(statement, ast.Assign):
            targets = list(statement.targets)
        elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)) and statement.value is not None:
            targets = [statement.target]
        elif isinstance(statement, ast.Delete):
            targets = list(statement.targets)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            if isinstance(call.func, ast.Attribute) and call.func.attr in MUTATING_METHODS:
                found = self.attribute(call.func.value)
                if found:
                    return found[0], found[1], f"calls `.{call.func.attr}()` on"
        for target in targets:
            found = self.attribute(target)
            if found:
                verb = (
                    "deletes"
                    if isinstance(statement, ast.Delete)
                    else ("stores into" if isinstance(target, ast.Subscript) else "rebinds")
                )
                return found[0], found[1], verb
        return None


def _tests_unset(test: ast.AST) -> bool:
    """``not x``, ``x is None``, ``x == None``, ``x is False``."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return True
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and isinstance(test.ops[0], (ast.Is, ast.Eq))
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value in (None, False)
    )


def _is_snapshot(value: ast.AST) -> bool:
    """A read of state (``cls._x``, ``cls._x.get(k)``, ``len(cls._x)``), not a call that makes
    something new of it."""
    for node in walk(value):
        if isinstance(node, ast.Call):
            getter = isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            if dotted(node.func) not in ("len", "bool") and not getter:
                return False
    return True


def _is_fork_guard(test: ast.AST) -> bool:
    """``if os.getpid() != cls._pid:``: true only on the first call after a fork, in a
    child that starts with one thread; what follows resets state the parent left."""
    return any(
        isinstance(node, ast.Call)
        and (getattr(node.func, "attr", None) or getattr(node.func, "id", None)) == "getpid"
        for node in walk(test)
    )


def _functions(tree: ast.Module):
    """Every function with the class it is a method of (module functions: ``None``)."""
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield statement, None
        elif isinstance(statement, ast.ClassDef):
            for member in statement.body:
                if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield member, statement


def _creates_classes(function, class_node: ast.ClassDef | None, metaclasses: set[str]) -> bool:
    if function.name in _CLASS_CREATION:
        return True
    return class_node is not None and class_node.name in metaclasses and function.name in _METACLASS_CREATION


class _Walker:
    """One function's blocks in order, knowing which statements a lock covers."""

    def __init__(
        self, function, references: _ClassReferences, changed: dict[str, dict[str, tuple[str, int]]], locks
    ):
        self.function = function
        self.references = references
        self.changed = changed
        self.locks = locks
        self.found: list[tuple[ast.AST, str, str, ast.AST, str]] = []  # test, class, attr, act, how
        self.aliases: dict[str, tuple[str, str]] = {}  # `done = cls._complete`: local -> (class, attr)
        # (class, attr) -> the first (function, line) that removes entries from it
        self.removed: dict[tuple[str, str], tuple[str, int]] = {}

    def block(self, statements: list[ast.stmt], locked: bool, after: list[ast.stmt] | None = None) -> None:
        """``after``: what runs once this block is done (the rest of the enclosing blocks), so
        that ``elif X: raise`` nested in an ``else`` still sees the change below the ``if``."""
        acquired = 0
        for position, statement in enumerate(statements):
            rest = [*statements[position + 1 :], *(after or [])]
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            call = statement.value if isinstance(statement, ast.Expr) else None
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute):
                if is_lock_expression(call.func.value, self.locks):
                    acquired = max(0, acquired + {"acquire": 1, "release": -1}.get(call.func.attr, 0))
            held = locked or acquired > 0
            if isinstance(statement, (ast.With, ast.AsyncWith)):
                inner = held or any(
                    is_lock_expression(item.context_expr, self.locks) for item in statement.items
                )
                self.block(statement.body, inner, rest)
                continue
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                # `done = cls._complete` stands for the state; `token = tokenize(cls._pid)` is a
                # new value computed from it, and a test of it tests nothing shared.
                read = self._tested(statement.value) if _is_snapshot(statement.value) else None
                if isinstance(target, ast.Name):
                    if read and not held:
                        self.aliases[target.id] = read
                    else:
                        self.aliases.pop(target.id, None)
            if isinstance(statement, (ast.If, ast.While)) and not held:
                self._test(statement, rest)
            for name in ("body", "orelse", "finalbody"):
                inner_block = getattr(statement, name, None)
                if isinstance(inner_block, list) and inner_block and isinstance(inner_block[0], ast.stmt):
                    self.block(inner_block, held, rest)
            for handler in getattr(statement, "handlers", []):
                self.block(handler.body, held, rest)

    def _test(self, statement: ast.If | ast.While, rest: list[ast.stmt]) -> None:
        tested = self._tested(statement.test)
        if not tested or _is_fork_guard(statement.test):
            return
        class_name, attribute = tested
        after = list(statement.body)
        if statement.body and isinstance(statement.body[-1], _EXITS):
            after = list(rest)  # `if Parser._other: raise ...`, then the change below
        act = self._first_write(after, class_name)
        if act is None:
            read = self._read_after_membership(statement, class_name, attribute)
            if read is not None:
                remover, line = self.removed[(class_name, attribute)]
                how = (
                    f"reads `{class_name}.{attribute}[...]`, an entry {remover}() can remove in between "
                    f"(line {line})"
                )
                self.found.append((statement.test, class_name, attribute, read, how))
                return
            # `if key in cls._cache: return cls._cache[key]` / `else: cls._cache[key] = make()`
            act = self._first_write(statement.orelse, class_name)
        if act is None:
            return
        node, how = act
        own_copy = self._own_attribute_test(statement.test) is not None
        if own_copy:
            how += ", copying what it inherits into a class of its own"
        if how == f"rebinds `{class_name}.{attribute}`" and _tests_unset(statement.test) and not own_copy:
            return  # `table = cls._table; if not table: cls._table = build()`: lazy initialisation (FTP003)
        self.found.append((statement.test, class_name, attribute, node, how))

    def _read_after_membership(self, statement: ast.If | ast.While, class_name: str, attribute: str):
        """``if key in cls._cache: return cls._cache[key]`` on a container some function
        empties or pops from: the entry can be gone by the time it is read (KeyError)."""
        if (class_name, attribute) not in self.removed:
            return None
        tests_membership = any(
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], ast.In)
            and self.references.attribute(node.comparators[0]) == (class_name, attribute)
            for node in walk(statement.test)
        )
        if not tests_membership:
            return None
        for node in walk(ast.Module(body=statement.body, type_ignores=[])):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Load)
                and self.references.attribute(node.value) == (class_name, attribute)
            ):
                return node
        return None

    def _own_attribute_test(self, test: ast.AST) -> tuple[str, str] | None:
        """``'registry' not in cls.__dict__`` (or ``vars(cls)``): does this class
        have its own copy yet? What follows copies the inherited one into the class and
        adds to it, and two threads can both copy, one thread's addition lost."""
        for node in walk(test):
            owner = name = None
            if (
                isinstance(node, ast.Compare)
                and len(node.ops) == 1
                and isinstance(node.ops[0], (ast.In, ast.NotIn))
            ):
                mapping = node.comparators[0]
                if isinstance(mapping, ast.Attribute) and mapping.attr == "__dict__":
                    owner = self.references.owner(mapping.value)
                elif (
                    isinstance(mapping, ast.Call)
                    and getattr(mapping.func, "id", None) == "vars"
                    and mapping.args
                ):
                    owner = self.references.owner(mapping.args[0])
                name = node.left.value if isinstance(node.left, ast.Constant) else None
            if owner and isinstance(name, str) and name in self.changed.get(owner, {}):
                return owner, name
        return None

    def _tested(self, test: ast.AST) -> tuple[str, str] | None:
        own = self._own_attribute_test(test)
        if own is not None:
            return own
        for node in walk(test):
            if isinstance(node, ast.Name) and node.id in self.aliases:
                return self.aliases[node.id]
            if isinstance(node, ast.Attribute):
                owner = self.references.owner(node.value)
                if owner and node.attr in self.changed.get(owner, {}):
                    return owner, node.attr
        return None

    def _first_write(self, statements: list[ast.stmt], class_name: str) -> tuple[ast.AST, str] | None:
        for statement in statements:
            for node in walk(statement):
                if isinstance(node, (ast.With, ast.AsyncWith)) and any(
                    is_lock_expression(item.context_expr, self.locks) for item in node.items
                ):
                    return None  # the change is made under a lock: the author's sequence ends there
                if isinstance(node, ast.stmt):
                    write = self.references.write(node)
                    if write and write[0] == class_name:
                        return node, f"{write[2]} `{write[0]}.{write[1]}`"
        return None


def class_state_sequences(
    tree: ast.Module, path: str, lines: list[str], metaclasses: set[str], locks: set[str]
) -> list[ClassSequenceEvent]:
    classes = {statement.name for statement in tree.body if isinstance(statement, ast.ClassDef)}
    if not classes:
        return []
    # Pass 1: which class attributes some function changes at run time, and where first.
    changed: dict[str, dict[str, tuple[str, int]]] = {}
    removed: dict[tuple[str, str], tuple[str, int]] = {}  # entries some function removes
    prepared = []
    for function, class_node in _functions(tree):
        references = _ClassReferences(function, class_node, classes, metaclasses)
        prepared.append((function, class_node, references))
        if _creates_classes(function, class_node, metaclasses):
            continue
        for node in walk(function):
            if isinstance(node, ast.stmt):
                write = references.write(node)
                if write:
                    changed.setdefault(write[0], {}).setdefault(write[1], (function.name, node.lineno))
                    if write[2] == "deletes" or write[2].startswith(_REMOVING_CALLS):
                        removed.setdefault((write[0], write[1]), (function.name, node.lineno))
    if not changed:
        return []
    # Pass 2: tests of that state followed by a change to the same class.
    events: list[ClassSequenceEvent] = []
    for function, class_node, references in prepared:
        if _creates_classes(function, class_node, metaclasses):
            continue
        walker = _Walker(function, references, changed, locks)
        walker.removed = removed
        walker.block(function.body, False)
        for test, class_name, attribute, act, how in walker.found:
            kind = "the metaclass's per-class" if class_name in metaclasses else "class"
            writer, line = changed[class_name][attribute]
            evidence = (
                f"`{class_name}.{attribute}` is {kind} state, one for every thread, and {writer}() "
                f"changes it "
                f"at run time (line {line})"
            )
            snippet = lines[test.lineno - 1].strip() if 0 < test.lineno <= len(lines) else ""
            events.append(
                ClassSequenceEvent(
                    f"{class_name}.{attribute}",
                    function.name,
                    test.lineno,
                    test.col_offset + 1,
                    how,
                    act.lineno,
                    evidence,
                    Location(path=path, line=test.lineno, column=test.col_offset + 1, snippet=snippet),
                )
            )
    return events
