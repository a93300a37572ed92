"""Evidence, read from a module's ``ast``, that one instance of a class is used by several threads.

See :mod:`auditor.collectors.source.python_shared_instances` for what is reported on
such a class. The evidence, strongest first: a module-level variable holds an
instance; the class is put in ``sys.meta_path`` / ``sys.path_hooks``; instances are kept
in a module-level container; the class takes a lock in some method; a method hands a
weakref callback that reaches ``self``; a method is handed to an interpreter hook that
every thread calls (``sys.monitoring.register_callback``, ``threading.settrace``) or to a
thread or an executor (``Thread(target=self._run)``, ``pool.submit(self.handle, c)``); the
class is a ``tzinfo`` (attached to every datetime made with it); the class is a
registry or a cache by name (``...Cache``, ``Cached...``, and the manager of one:
``PoolManager``).
"""

from __future__ import annotations

import ast
import re

from .python_ast_walk import dotted as _dotted
from .python_ast_walk import is_lock_expression, walk
from .python_vocabulary import MUTATING_METHODS

# Interpreter-wide registries whose entries any thread calls into.
_GLOBAL_HOOKS = {"meta_path", "path_hooks", "path_importer_cache"}
_WEAKREF_CALLBACK_TAKERS = {"ref", "finalize", "proxy", "KeyedRef"}
# `PoolManager`, `CacheManager`: the manager of such things is as shared as they are.
_REGISTRY_CLASS = re.compile(r"(?:Registry|Cache|Client|Pool|Locator)(?:Manager)?$|^_?Cached[A-Z]")
_CACHE_SUFFIX = re.compile(r"(?:Registry|Cache|Client|Pool|Locator)(?:Manager)?$")
# Interpreter hooks that call what they are handed from every thread: a bound method of
# the instance handed to one makes the instance shared (a tracer, a profiler).
# (`sys.settrace` sets the calling thread's hook only, and other `register_callback`s, such
# as IDLE's, are not the interpreter's: only these dotted tails count.)
_EVERY_THREAD_HOOKS = {
    "monitoring.register_callback",
    "threading.settrace",
    "threading.setprofile",
    "settrace_all_threads",
    "setprofile_all_threads",
}


def _hook_of(called: str) -> str | None:
    for hook in _EVERY_THREAD_HOOKS:
        if called == hook or called.endswith("." + hook) or called.endswith("_" + hook):
            return hook
    return None


def self_field(node: ast.AST, self_name: str) -> str | None:
    """``x`` for ``self.x``, ``self.x[k]``, ``self.x.get(k)``, ``self.x.attr``."""
    while True:
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == self_name:
                return node.attr
            node = node.value
        else:
            return None


def call_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id
        if isinstance(node.func, ast.Attribute):
            return node.func.attr
    return None


def class_methods(class_node: ast.ClassDef) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [
        statement
        for statement in class_node.body
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
        and statement.args.args
        and not any(
            isinstance(decorator, ast.Name) and decorator.id in ("staticmethod", "classmethod")
            for decorator in statement.decorator_list
        )
    ]


def self_parameter(method: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    return method.args.args[0].arg


class ModuleEvidence:
    """Which classes of the module the code shows to have shared instances, and why."""

    def __init__(self, tree: ast.Module, containers: set[str], locks: set[str], hooks: bool = True) -> None:
        # `hooks`: whether the evidence the text pre-filter does not look for (interpreter
        # hooks, tzinfo, `Cached...` names) may be used; off where it would reject the text,
        # so that the pre-filter never hides a finding.
        self.hooks = hooks
        self.classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
        self.containers = containers
        self.locks = locks
        self.evidence: dict[str, str] = {}
        # One look at the module, not two walks of every method: is a hook named at all?
        hook_names = {hook.split(".")[-1] for hook in _EVERY_THREAD_HOOKS}
        self.hooks_named = any(
            isinstance(node, ast.Attribute) and node.attr in hook_names for node in walk(tree)
        )
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and call_name(statement.value) in self.classes:
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        self._add(
                            call_name(statement.value),
                            f"module-level `{target.id}` (line {statement.lineno}) is one instance every "
                            "thread uses",
                        )
        for function in walk(tree):
            if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._function(function)
        self.thread_start = _thread_start(tree) if _thread_import(tree) else None

    def _add(self, class_name: str | None, evidence: str) -> None:
        if class_name in self.classes:
            self.evidence.setdefault(class_name, evidence)

    def _function(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        made: dict[str, str] = {}  # local name -> class it holds an instance of
        for node in walk(function):
            if isinstance(node, ast.Assign) and call_name(node.value) in self.classes:
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        made[target.id] = call_name(node.value)
        for node in walk(function):
            if not isinstance(node, (ast.Call, ast.Assign)):
                continue
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                registry = _dotted(node.func.value) or ""
                values = [argument for argument in node.args]
                if registry.split(".")[-1] in _GLOBAL_HOOKS and node.func.attr in ("insert", "append"):
                    for value in values:
                        self._add(
                            self._instance_class(value, made),
                            f"an instance is put in {registry} (line {node.lineno}), which every importing "
                            "thread calls",
                        )
                elif registry.split(".")[-1] in self.containers and node.func.attr in MUTATING_METHODS:
                    for value in values:
                        self._add(
                            self._instance_class(value, made),
                            f"instances are kept in module-level `{registry}` (line {node.lineno}), which "
                            "hands the same object to every caller",
                        )
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Subscript) and _dotted(target.value) in self.containers:
                        self._add(
                            self._instance_class(node.value, made),
                            f"instances are kept in module-level `{_dotted(target.value)}` (line "
                            f"{node.lineno}), which hands the same object to every caller",
                        )

    def _instance_class(self, value: ast.AST, made: dict[str, str]) -> str | None:
        if isinstance(value, ast.Name):
            return made.get(value.id)
        return call_name(value) if isinstance(value, ast.Call) else None

    def class_evidence(self, class_node: ast.ClassDef) -> tuple[str, dict[str, str] | None] | None:
        """The evidence for ``class_node``, and per field when it covers only some
        (``None``: all of them, under the one evidence).

        Where the module shows the instance itself to be shared, every field is. Where
        the only evidence is a lock the class takes, the fields it covers are those its
        methods touch while holding it: the class's own word on what other threads use.
        An ``async with`` lock serialises coroutines on one event loop, not threads.
        """
        if class_node.name in self.evidence:
            return self.evidence[class_node.name], None
        singleton = _singleton_store(class_node)
        if singleton is not None:
            return singleton, None
        hooked = _every_thread_hook(class_node) if self.hooks and self.hooks_named else None
        if hooked is not None:
            return hooked, None
        if self.hooks and _is_tzinfo(class_node, self.classes):
            return (
                f"{class_node.name} is a tzinfo: one time-zone object is attached to every datetime made "
                "with it and is used from whichever thread handles those datetimes",
                None,
            )
        if _REGISTRY_CLASS.search(class_node.name) and (self.hooks or _CACHE_SUFFIX.search(class_node.name)):
            manager = " (or the manager of one)" if class_node.name.endswith("Manager") else ""
            return (
                f"{class_node.name} is a registry/cache/client/pool/locator class{manager}: one instance is "
                "there to serve every caller",
                None,
            )
        handed = _handed_to_thread(class_node) if self.hooks else None
        across: dict[str, str] = {}  # field -> "m() hands self.run to a thread, and both use it"
        if handed is not None:
            text, names = handed
            across = {
                name: f"{text}, and that thread and the other methods both use `self.{name}`"
                for name in _fields_across_threads(class_node, names)
            }
        guarded, takes_lock, weakref_evidence = self._lock_account(class_node)
        if weakref_evidence is not None:
            return weakref_evidence, None
        if guarded or across:
            return "", {**across, **guarded}
        if handed is None and not takes_lock:
            module_evidence = self._module_thread_evidence(class_node)
            if module_evidence is not None:
                return module_evidence, None
        return None

    def _lock_account(self, class_node: ast.ClassDef) -> tuple[dict[str, str], bool, str | None]:
        """The fields the class's methods touch while holding a lock (field -> which lock,
        where), whether it takes one at all, and the first weakref callback that is handed
        ``self`` (evidence for every field)."""
        guarded: dict[str, str] = {}  # field -> "takes `self._lock` around it in m()"
        takes_lock = False
        for method in class_methods(class_node):
            self_name = self_parameter(method)
            for node in walk(method):
                if isinstance(node, ast.With) and any(self.is_lock(item.context_expr) for item in node.items):
                    takes_lock = True
                    text = _dotted(node.items[0].context_expr) or "a lock"
                    for inner in walk(ast.Module(body=node.body, type_ignores=[])):
                        if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name):
                            if inner.value.id == self_name:
                                guarded.setdefault(
                                    inner.attr,
                                    f"{class_node.name} holds `{text}` around `self.{inner.attr}` "
                                    f"in {method.name}()",
                                )
                callback = weakref_callback(node, self_name, method)
                if callback is not None:
                    return (
                        guarded,
                        takes_lock,
                        (
                            f"{method.name}() hands `{callback}` to a weakref (line {node.lineno}): the "
                            "callback runs on whichever thread drops the last reference"
                        ),
                    )
        return guarded, takes_lock, None

    def _module_thread_evidence(self, class_node: ast.ClassDef) -> str | None:
        """A module that starts threads or pools hands its objects to them, and a class
        that neither takes a lock nor names the one thread it runs on says nothing that
        ties its instances to one thread. (A class that does either has given its own
        account of what is shared, used before this.) A module that only imports a lock
        says less: its author put the lock where it was meant."""
        if not self.hooks or self.thread_start is None or _loop_bound(class_node):
            return None
        started, line = self.thread_start
        return (
            f"this module starts threads (`{started}`, line {line}) and nothing ties an instance of "
            f"{class_node.name} to one thread"
        )

    def is_lock(self, expression: ast.AST) -> bool:
        return is_lock_expression(expression, self.locks)


def _thread_import(tree: ast.Module) -> tuple[str, int] | None:
    """The first import of a threading module (`import threading`, `from threading import
    Lock`, `from concurrent.futures import ThreadPoolExecutor`), and its line."""
    for node in walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_thread_module(alias.name):
                    return alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _is_thread_module(node.module):
                return node.module, node.lineno
    return None


def _loop_bound(class_node: ast.ClassDef) -> bool:
    """A class with coroutine methods, or one that keeps an event loop (`self._loop`), runs
    on that loop's thread: asyncio objects are not shared between threads."""
    for method in class_methods(class_node):
        if isinstance(method, ast.AsyncFunctionDef):
            return True
        self_name = self_parameter(method)
        for node in walk(method):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == self_name
                and node.attr.lstrip("_") in ("loop", "event_loop")
            ):
                return True
    return False


_MODULE_THREAD_STARTERS = {"Thread", "Timer", "start_new_thread", "ThreadPoolExecutor", "local"}


def _thread_start(tree: ast.Module) -> tuple[str, int] | None:
    """The first place the module starts a thread or a pool, or keeps per-thread state
    (`threading.Thread(...)`, `class Worker(threading.Thread)`, `ThreadPoolExecutor(...)`,
    `threading.local()`), and its line."""
    for node in walk(tree):
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                if (_dotted(base) or "").split(".")[-1] == "Thread":
                    return f"class {node.name}({_dotted(base)})", node.lineno
        elif isinstance(node, ast.Call) and call_name(node) in _MODULE_THREAD_STARTERS:
            dotted = _dotted(node.func) or ""
            if call_name(node) == "local" and dotted not in ("threading.local", "local"):
                continue
            return f"{dotted}(...)", node.lineno
    return None


def _is_thread_module(name: str) -> bool:
    return name in ("threading", "_thread", "concurrent") or name.startswith("concurrent.")


def _is_tzinfo(class_node: ast.ClassDef, classes: dict[str, ast.ClassDef], depth: int = 0) -> bool:
    """Derived from ``datetime.tzinfo`` (or a ``_tzinfo`` base), here or through a class of the module."""
    for base in class_node.bases:
        name = (_dotted(base) or "").split(".")[-1]
        if name.lower().lstrip("_") == "tzinfo":
            return True
        if name in classes and classes[name] is not class_node and depth < 8:
            if _is_tzinfo(classes[name], classes, depth + 1):
                return True
    return False


def _every_thread_hook(class_node: ast.ClassDef) -> str | None:
    """``sys.monitoring.register_callback(tool, event, self.on_line)`` (directly or through a
    ``functools.partial`` of it), ``threading.settrace(self.trace)``: the interpreter calls
    the instance's method from every thread."""
    for method in class_methods(class_node):
        self_name = self_parameter(method)
        partials: dict[str, str] = {}  # local -> hook it is a partial of
        for node in walk(method):
            if isinstance(node, ast.Assign) and call_name(node.value) == "partial" and node.value.args:
                hook = _hook_of(_dotted(node.value.args[0]) or "")
                if hook:
                    names = [target.id for target in node.targets if isinstance(target, ast.Name)]
                    partials.update(dict.fromkeys(names, hook))
        for node in walk(method):
            if not isinstance(node, ast.Call):
                continue
            called = _dotted(node.func) or ""
            hook = partials.get(called) or _hook_of(called)
            if hook is None:
                continue
            for argument in node.args:
                if (
                    isinstance(argument, ast.Attribute)
                    and isinstance(argument.value, ast.Name)
                    and argument.value.id == self_name
                ):
                    return (
                        f"{method.name}() hands `self.{argument.attr}` to {hook}() (line "
                        f"{node.lineno}), which "
                        "calls it from every thread"
                    )
    return None


# Calls that run what they are handed on another thread: `threading.Thread(target=...)`,
# `Timer(delay, f)`, an executor's `submit(f, ...)`, `loop.run_in_executor(pool, f)`, and
# a future's `add_done_callback(f)` (run by the thread that completes the future).
_THREAD_STARTERS = {
    "Thread",
    "Timer",
    "start_new_thread",
    "submit",
    "run_in_executor",
    "apply_async",
    "add_done_callback",
}
_CONSTRUCTORS = {"__init__", "__new__", "__post_init__"}


def _handed_to_thread(class_node: ast.ClassDef) -> tuple[str, set[str]] | None:
    """``self.tpool.submit(self.handle, conn)``, ``Thread(target=self._run)``: the bound
    methods that run on another thread while the caller goes on using the same instance,
    and the first such hand-off as evidence."""
    methods = {method.name: method for method in class_methods(class_node)}
    first, handed_names = None, set()
    is_thread = any((_dotted(base) or "").split(".")[-1] == "Thread" for base in class_node.bases)
    if is_thread and "run" in methods:
        # A Thread subclass: start() runs self.run on the new thread while whoever holds
        # the object goes on calling its other methods.
        first = f"{class_node.name} is a Thread: run() (line {methods['run'].lineno}) runs on the new thread"
        handed_names.add("run")
    for method in methods.values():
        self_name = self_parameter(method)
        for node in walk(method):
            if not isinstance(node, ast.Call) or call_name(node) not in _THREAD_STARTERS:
                continue
            handed = list(node.args) + [keyword.value for keyword in node.keywords if keyword.arg == "target"]
            for argument in handed:
                if (
                    isinstance(argument, ast.Attribute)
                    and isinstance(argument.value, ast.Name)
                    and argument.value.id == self_name
                    and argument.attr in methods
                ):
                    handed_names.add(argument.attr)
                    if call_name(node) == "add_done_callback":
                        # An asyncio future calls back on its loop's thread: a done callback
                        # counts only beside a hand-off to a thread (`pool.submit(...)`).
                        continue
                    first = first or (
                        f"{method.name}() hands `self.{argument.attr}` to `{_dotted(node.func)}` (line "
                        f"{node.lineno}), which runs it on another thread"
                    )
    return (first, handed_names) if first else None


def _fields_across_threads(class_node: ast.ClassDef, handed: set[str]) -> set[str]:
    """Fields that the methods run on the other thread (and what they call) and the rest
    of the class both use, one side writing: only those can race. A field the thread's
    method keeps to itself is used by one thread at a time."""
    methods = {method.name: method for method in class_methods(class_node)}
    uses: dict[str, tuple[set[str], set[str], set[str]]] = {}  # method -> (read, written, self calls)
    for name, method in methods.items():
        self_name = self_parameter(method)
        read, written, calls = set(), set(), set()
        for node in walk(method):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == self_name
            ):
                (
                    calls
                    if node.attr in methods
                    else written
                    if isinstance(node.ctx, (ast.Store, ast.Del))
                    else read
                ).add(node.attr)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                while isinstance(owner, ast.Subscript):
                    owner = owner.value
                if node.func.attr in MUTATING_METHODS and isinstance(owner, ast.Attribute):
                    if isinstance(owner.value, ast.Name) and owner.value.id == self_name:
                        written.add(owner.attr)
        uses[name] = (read, written, calls)
    on_thread, pending = set(), list(handed)
    while pending:
        name = pending.pop()
        if name in on_thread or name not in uses:
            continue
        on_thread.add(name)
        pending.extend(uses[name][2])

    def side(names):
        read = set().union(*(uses[n][0] | uses[n][1] for n in names)) if names else set()
        written = set().union(*(uses[n][1] for n in names)) if names else set()
        return read, written

    thread_used, thread_written = side(on_thread)
    other_used, other_written = side(set(uses) - on_thread - _CONSTRUCTORS)
    return (thread_used & other_written) | (thread_written & other_used)


def _singleton_store(class_node: ast.ClassDef) -> str | None:
    """``cls._instance = cls()`` in a method: the class hands one process-wide instance
    to every caller of its accessor (``Context.instance()``)."""
    for method in class_node.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or not method.args.args:
            continue
        owner_names = {self_parameter(method), class_node.name}
        for node in walk(method):
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
                continue
            if not (isinstance(node.value.func, ast.Name) and node.value.func.id in owner_names):
                continue
            for target in node.targets:
                if isinstance(target, ast.Attribute) and _dotted(target.value) in owner_names:
                    return (
                        f"{method.name}() keeps one process-wide instance in `{_dotted(target)}` "
                        f"(line {node.lineno}) and hands it to every caller"
                    )
    return None


def weakref_callback(node: ast.AST, self_name: str, method: ast.AST) -> str | None:
    """The callback of ``weakref.ref(obj, callback)`` / ``weakref.finalize(obj, f)`` when
    it reaches ``self``: a bound method, or a function nested in ``method`` that uses it."""
    if not isinstance(node, ast.Call) or call_name(node) not in _WEAKREF_CALLBACK_TAKERS:
        return None
    if len(node.args) < 2:
        return None
    callback = node.args[1]
    if isinstance(callback, ast.Name):
        for nested in walk(method):
            if isinstance(nested, (ast.FunctionDef, ast.AsyncFunctionDef)) and nested.name == callback.id:
                uses_self = any(
                    isinstance(inner, ast.Name) and inner.id == self_name for inner in walk(nested)
                )
                return callback.id if uses_self else None
        return None
    field_name = self_field(callback, self_name)
    return f"self.{field_name}" if field_name else None
