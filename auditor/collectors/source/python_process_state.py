"""State the whole process shares by nature, changed from a function: settings, classes, functions.

Three kinds, each read with ``ast`` from every function (outside any lock):

* process-wide settings: the ``warnings`` filters (``catch_warnings()`` saves and
  restores the one filter list of the process, so a thread's ``simplefilter("error")``
  inside it turns other threads' warnings into errors, and the restore can undo
  another thread's filter; fixed only in 3.14 with ``context_aware_warnings``), the
  working directory, the umask, the locale, the socket default timeout and
  ``os.environ``;
* class objects: ``cls.attr = ...``, ``cls.count += 1``, ``del cls.attr``,
  ``setattr(cls, ...)`` / ``delattr(cls, ...)`` in a classmethod (or through the class
  name, ``type(self)`` or ``self.__class__``): one class object serves every thread;
* function objects: ``func.__code__ = ...``, ``func.__globals__.update(...)``,
  ``func.__defaults__ = ...`` (and ``func.__dict__.update(...)`` next to them) rewrite
  a function other threads may be running or about to call.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ...model.finding import Location
from .python_ast_walk import Visit, dotted, function_nodes, walk

_WARNING_FILTERS = {"simplefilter", "filterwarnings", "resetwarnings"}
_PROCESS_SETTERS = {
    "os.chdir": "the working directory",
    "os.fchdir": "the working directory",
    "os.umask": "the file-creation mask",
    "locale.setlocale": "the locale",
    "socket.setdefaulttimeout": "the default socket timeout",
    "os.putenv": "the environment",
    "os.unsetenv": "the environment",
    # What threading hands every thread it starts from now on (and, for the
    # `_all_threads` forms of 3.12, every running thread too).
    "threading.setprofile": "the profile hook every new thread starts with",
    "threading.settrace": "the trace hook every new thread starts with",
    "threading.setprofile_all_threads": "the profile hook of every thread",
    "threading.settrace_all_threads": "the trace hook of every thread",
}
_ENVIRON_MUTATORS = {"update", "pop", "setdefault", "clear", "popitem"}
_FUNCTION_ATTRIBUTES = {"__code__", "__globals__", "__defaults__", "__kwdefaults__"}
# Run while a class is being created (import time for almost every class).
_CLASS_CREATION = {"__init_subclass__", "__set_name__", "__class_getitem__"}


@dataclass
class ProcessStateEvent:
    kind: str  # "process-setting" | "class-state" | "function-object"
    name: str  # "warnings filters", "Class.attr", "func.__code__"
    function: str
    line: int
    column: int
    detail: str  # what the statement does, for the message
    other_line: int = 0  # the `with catch_warnings()` a filter call sits in
    location: Location | None = None


def process_state_events(
    tree: ast.Module, path: str, lines: list[str], locks: set[str]
) -> list[ProcessStateEvent]:
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    modules = _imported_modules(tree)
    events: list[ProcessStateEvent] = []
    catch_lines: dict[int, int] = {}  # id of a `with catch_warnings()` body statement -> with line
    function_targets: dict[int, set[str]] = {}  # function id -> receivers of __code__ etc. writes
    visits = [visit for visit in function_nodes(tree, locks) if not visit.locked]
    for visit in visits:
        node = visit.node
        if isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if _is_catch_warnings(item.context_expr):
                    events.append(_event("process-setting", "warnings filters", visit, node, _CATCH))
                    for inner in walk(node):
                        catch_lines.setdefault(id(inner), node.lineno)
        elif isinstance(node, ast.Call):
            _setting_call(node, visit, catch_lines, events)
            if dotted(node.func) in ("setattr", "delattr") and node.args:
                owner = _class_of(node.args[0], visit, classes)
                foreign = _foreign_class(node.args[0], modules, visit)
                if owner and visit.function.name not in _CLASS_CREATION:
                    detail = f"calls {dotted(node.func)}() on the class"
                    events.append(_event("class-state", f"{owner}.*", visit, node, detail))
                elif foreign:
                    detail = f"calls {dotted(node.func)}() on `{foreign}`"
                    name = f"the class `{foreign}` of another module"
                    events.append(_event("process-setting", name, visit, node, detail))
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            for target in targets:
                _store(target, node, visit, classes, function_targets, events)
    for visit in visits:
        if isinstance(visit.node, ast.Call):  # all _namespace_update looks at
            _namespace_update(visit, function_targets.get(id(visit.function), set()), events)
    for event in events:
        snippet = lines[event.line - 1].strip() if 0 < event.line <= len(lines) else ""
        event.location = Location(path=path, line=event.line, column=event.column, snippet=snippet)
    return events


def _namespace_update(visit: Visit, receivers: set[str], events: list) -> None:
    """``func.__globals__.update(...)`` (the defining module's namespace) and
    ``func.__dict__.update(...)`` next to a ``func.__code__`` swap."""
    node = visit.node
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "update"
        and isinstance(node.func.value, ast.Attribute)
    ):
        return
    namespace, receiver = node.func.value.attr, dotted(node.func.value.value)
    if namespace == "__globals__" and receiver not in (None, "self"):
        detail = f"updates `{receiver}.__globals__`, the namespace of the module that defined it"
        events.append(_event("function-object", f"{receiver}.__globals__", visit, node, detail))
    elif namespace == "__dict__" and receiver in receivers:
        detail = "updates the function's `__dict__`"
        events.append(_event("function-object", f"{receiver}.__dict__", visit, node, detail))


_CATCH = "saves the process-wide warnings filters with catch_warnings() and restores them on exit"


def _is_catch_warnings(expression: ast.AST) -> bool:
    return (
        isinstance(expression, ast.Call)
        and (dotted(expression.func) or "").split(".")[-1] == "catch_warnings"
    )


def _event(kind: str, name: str, visit: Visit, node: ast.AST, detail: str, other_line: int = 0):
    return ProcessStateEvent(
        kind, name, visit.function.name, node.lineno, node.col_offset + 1, detail, other_line
    )


def _setting_call(node: ast.Call, visit: Visit, catch_lines: dict[int, int], events: list) -> None:
    name = dotted(node.func) or ""
    last = name.split(".")[-1]
    if last in _WARNING_FILTERS and name in (last, f"warnings.{last}"):
        inside = catch_lines.get(id(node), 0)
        where = f" inside the catch_warnings() on line {inside}" if inside else ""
        detail = f"changes the process-wide warnings filters with {last}(){where}"
        events.append(_event("process-setting", "warnings filters", visit, node, detail, inside))
    elif name in _PROCESS_SETTERS:
        events.append(_event("process-setting", _PROCESS_SETTERS[name], visit, node, f"calls {name}()"))
    elif name.startswith("os.environ.") and last in _ENVIRON_MUTATORS:
        events.append(_event("process-setting", "the environment", visit, node, f"calls os.environ.{last}()"))


def _store(target, node, visit: Visit, classes: set[str], function_targets: dict, events: list) -> None:
    if isinstance(target, ast.Subscript) and dotted(target.value) == "os.environ":
        events.append(_event("process-setting", "the environment", visit, node, "writes os.environ[...]"))
        return
    if not isinstance(target, ast.Attribute):
        return
    if target.attr in _FUNCTION_ATTRIBUTES and dotted(target.value) not in (None, "self"):
        receiver = dotted(target.value)
        function_targets.setdefault(id(visit.function), set()).add(receiver)
        events.append(
            _event(
                "function-object",
                f"{receiver}.{target.attr}",
                visit,
                node,
                f"rebinds `{receiver}.{target.attr}`",
            )
        )
        return
    owner = _class_of(target.value, visit, classes)
    if owner is None or visit.function.name in _CLASS_CREATION:
        return
    verb = (
        "deletes"
        if isinstance(node, ast.Delete)
        else ("updates" if isinstance(node, ast.AugAssign) else "rebinds")
    )
    events.append(_event("class-state", f"{owner}.{target.attr}", visit, node, f"{verb} the class attribute"))


def _imported_modules(tree: ast.Module) -> set[str]:
    """Names that module-level ``import x`` / ``import x.y as z`` bind to modules."""
    names = set()
    for statement in tree.body:
        if isinstance(statement, ast.Import):
            names |= {alias.asname or alias.name.split(".")[0] for alias in statement.names}
    return names


def _foreign_class(expression: ast.AST, modules: set[str], visit: Visit) -> str | None:
    """``threading.Thread``: a class another module defines, which every importer shares
    (``module.Name`` with a capitalised name, the module not shadowed by a local)."""
    name = dotted(expression)
    if name is None or name.count(".") != 1:
        return None
    module, attribute = name.split(".")
    if module not in modules or not attribute[:1].isupper() or module in _bound_in(visit.function):
        return None
    return name


def _is_metaclass(class_node: ast.ClassDef) -> bool:
    return any((dotted(base) or "").split(".")[-1] in ("type", "ABCMeta") for base in class_node.bases)


def _bound_in(function: ast.AST) -> set[str]:
    names = {argument.arg for argument in walk(function.args) if isinstance(argument, ast.arg)}
    names |= {
        node.id for node in walk(function) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
    return names


def _class_of(expression: ast.AST, visit: Visit, classes: set[str]) -> str | None:
    """The class ``expression`` names inside a method: ``cls`` of a classmethod, the class
    by name, ``type(self)`` or ``self.__class__``."""
    function = visit.function
    class_name = visit.class_node.name if visit.class_node is not None else None
    first = function.args.args[0].arg if function.args.args else None
    is_classmethod = any(dotted(decorator) == "classmethod" for decorator in function.decorator_list)
    # `__new__` is a static method handed the class: in an ordinary class, `cls.x = ...`
    # there changes the one class object on every instantiation (a metaclass's `__new__`
    # is handed the metaclass, and what it sets is the new class being made).
    is_classmethod = is_classmethod or (
        function.name == "__new__" and visit.class_node is not None and not _is_metaclass(visit.class_node)
    )
    if isinstance(expression, ast.Name):
        if is_classmethod and expression.id == first and class_name:
            return class_name
        if expression.id not in classes or expression.id in _bound_in(function):
            return None  # a local that happens to share a class's name
        return expression.id
    if class_name and first and not is_classmethod:
        if (
            isinstance(expression, ast.Attribute)
            and expression.attr == "__class__"
            and dotted(expression.value) == first
        ):
            return class_name
        if (
            isinstance(expression, ast.Call)
            and dotted(expression.func) == "type"
            and len(expression.args) == 1
            and dotted(expression.args[0]) == first
        ):
            return class_name
    return None
