"""Text pre-filters that keep most Python code away from the parsers.

LibCST needs tens of milliseconds per thousand lines, and even ``ast.parse`` is too slow
to run over two million lines within the scan budget, while most modules never touch
shared state from a function. These checks answer "could the LibCST pass find an event
here?" with plain string searches (C-speed ``str.find`` and literal-prefixed regular
expressions; no per-line Python loop). They may say yes too often, never no too often:
the same functions pick the top-level statements LibCST reads inside a candidate file,
and the test suite checks on real code that they never hide a finding.

An event needs one of: a ``global`` statement; a module-level container whose name is
subscripted, mutated, iterated or deleted on an indented line; a class-level container
used the same way through ``self``/``cls``/the class; an assignment to a class
attribute through ``cls``/the class (singleton initialisation).
"""

from __future__ import annotations

import re

from .python_vocabulary import (
    MUTABLE_FACTORIES,
    MUTATING_METHODS,
    RANDOM_STATE_FACTORIES,
    is_module_object_factory,
)

_FACTORY_ALTERNATION = "|".join(sorted(MUTABLE_FACTORIES))
# Literal "\n" prefixes let the regex engine skip ahead with a fast character scan.
GLOBAL_STATEMENT = re.compile(r"\n[ \t]+global[ \t]+\w")
_MODULE_CONTAINER = re.compile(
    rf"\n([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*"
    rf"(?:[\[{{]|(?:[A-Za-z_]\w*\.)*(?:{_FACTORY_ALTERNATION})[ \t]*\()"
)
_INDENTED_CONTAINER = re.compile(
    rf"\n[ \t]+([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*"
    rf"(?:[\[{{]|(?:[A-Za-z_]\w*\.)*(?:{_FACTORY_ALTERNATION})[ \t]*\()"
)
_CLASS_NAME = re.compile(r"\n[ \t]*class[ \t]+(\w+)")
_ITERATION_METHODS = {"items", "keys", "values"}
_FOLLOWING_USE = re.compile(
    rf"\s*(?:(?P<bracket>\[)|\.\s*(?P<method>{'|'.join(sorted(MUTATING_METHODS | _ITERATION_METHODS))})\b)"
)
_ITERATION_BEFORE = re.compile(r"\bin\s+$")
_DELETE_BEFORE = re.compile(r"\bdel\s+$")
_STORE_AFTER = re.compile(r"\s*(?:[-+*/%&|^@]|//|\*\*|<<|>>)?=(?!=)")
_OWNER_BEFORE = re.compile(r"(?:\b(?:self|cls|mcs|metacls)|\b[A-Z]\w*)\s*$")
_ATTRIBUTE_STORE = re.compile(r"(\w+)[ \t]*(?:[-+*/%&|^@]|//|\*\*|<<|>>)?=(?!=)")
_MODULE_CALL = re.compile(
    r"\n([A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=[ \t]*(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*)[ \t]*\("
)


def _indented_line_start(text: str, offset: int) -> int | None:
    """Start of the line holding ``offset`` if that line is indented, else None."""
    line_start = text.rfind("\n", 0, offset) + 1
    if line_start < len(text) and text[line_start] in " \t":
        return line_start
    return None


def _subscript_is_written(text: str, bracket: int) -> bool:
    """``name[...] = ...`` / ``name[...] += ...``: the subscript at ``bracket`` is a store."""
    depth = 0
    index = bracket
    line_end = text.find("\n", bracket)
    limit = len(text) if line_end == -1 else line_end
    while index < limit:
        char = text[index]
        if char in "[({":
            depth += 1
        elif char in "])}":
            depth -= 1
            if depth == 0:
                return _STORE_AFTER.match(text, index + 1) is not None
        index += 1
    return True  # a subscript spanning lines: let the parser decide


def has_shared_use(
    text: str, names: set[str], through_owner: bool = False, mutation_only: bool = True
) -> bool:
    """Whether one of ``names`` is mutated (or, unless ``mutation_only``, also iterated or
    read through a subscript) on an indented line.

    ``through_owner`` requires the name to be an attribute of self/cls/a class
    (``self.registry[...]``), for class-level containers.
    """
    for name in names:
        needle = f".{name}" if through_owner else name
        start = text.find(needle)
        while start != -1:
            name_start = start + 1 if through_owner else start
            end = name_start + len(name)
            bounded = (end >= len(text) or not (text[end].isalnum() or text[end] == "_")) and (
                through_owner or start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_.")
            )
            line_start = _indented_line_start(text, start) if bounded else None
            if line_start is not None:
                before = text[line_start:start]
                owner = _OWNER_BEFORE.search(before) if through_owner else None
                if not through_owner or owner is not None:
                    if owner is not None:
                        before = before[: owner.start()]
                    if _is_use(text, end, before, mutation_only):
                        return True
            start = text.find(needle, start + 1)
    return False


def _is_use(text: str, end: int, before: str, mutation_only: bool) -> bool:
    if _DELETE_BEFORE.search(before):
        return True
    following = _FOLLOWING_USE.match(text, end)
    if following is None:
        return not mutation_only and _ITERATION_BEFORE.search(before) is not None
    if following.group("bracket"):
        return not mutation_only or _subscript_is_written(text, following.end() - 1)
    if following.group("method") in _ITERATION_METHODS:
        return not mutation_only
    return True


def class_attribute_assignment(text: str, class_names: set[str]) -> bool:
    """``if cls._x is None: cls._x = ...`` (or ``Class._x``, ``not hasattr(cls, "_x")``).

    Assignments through ``cls.``/``Class.`` are found with ``str.find`` first (rare);
    only then is the text searched for an unset test on the same attribute.
    """
    for owner in ("cls", "mcs", "metacls", *class_names):
        needle = f"{owner}."
        start = text.find(needle)
        while start != -1:
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_."):
                assignment = _ATTRIBUTE_STORE.match(text, start + len(needle))
                if assignment and _indented_line_start(text, start) is not None:
                    attribute = re.escape(assignment.group(1))
                    owner_pattern = re.escape(owner)
                    if re.search(
                        rf"\b{owner_pattern}\.{attribute}\s+(?:is|==|is\s+not|!=)\s+None\b"
                        rf"|\bif\s+{owner_pattern}\.{attribute}\s*:"
                        rf"|\bnot\s+{owner_pattern}\.{attribute}\b"
                        rf"|hasattr\(\s*{owner_pattern}\s*,\s*['\"]{attribute}['\"]",
                        text,
                    ):
                        return True
            start = text.find(needle, start + 1)
    return False


def _attribute_use_on_indented_line(text: str, names: set[str], after: re.Pattern) -> bool:
    """``<name>.<what after matches>`` on an indented line (inside a function), for any name."""
    for name in names:
        needle = f"{name}."
        start = text.find(needle)
        while start != -1:
            if (
                (start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "_."))
                and after.match(text, start + len(needle))
                and _indented_line_start(text, start) is not None
            ):
                return True
            start = text.find(needle, start + 1)
    return False


def object_attribute_store(text: str, names: set[str]) -> bool:
    """``_state.count += 1`` / ``_config.debug = flag`` on an indented line."""
    return _attribute_use_on_indented_line(text, names, _ATTRIBUTE_STORE)


_METHOD_CALL_AFTER = re.compile(r"[A-Za-z_]\w*[ \t]*\(")
_GLOBAL_RANDOM_SEED = re.compile(r"\n[ \t]+[^\n]*\b(?:np|numpy)?\.?random\.seed[ \t]*\(")


def object_method_call(text: str, names: set[str]) -> bool:
    """``_state.sf(x)`` on an indented line: a method call on a module-level object."""
    return _attribute_use_on_indented_line(text, names, _METHOD_CALL_AFTER)


def passed_as_default(text: str, names: set[str]) -> bool:
    """``def f(x, cache=_cache):``: the function works on the module-level object."""
    for name in names:
        start = text.find(name)
        while start != -1:
            before = text[max(0, start - 40) : start].rstrip(" \t")
            end = start + len(name)
            if before.endswith("=") and not before.endswith("==") and text[end : end + 1] in (",", ")", " "):
                line_start = text.rfind("\n", 0, start) + 1
                if "def " in text[line_start:start] or text[line_start:start].startswith((" ", "\t")):
                    return True
            start = text.find(name, start + 1)
    return False


def global_random_seeding(text: str) -> bool:
    """``np.random.seed(...)`` / ``random.seed(...)`` inside a function."""
    return "random.seed" in text and _GLOBAL_RANDOM_SEED.search("\n" + text) is not None


def stateful_module_objects(text: str) -> set[str]:
    """Module-level instances of a class this module defines, or of a seeded generator."""
    classes = set(_CLASS_NAME.findall(text)) if "class" in text else set()
    return {
        name
        for name, factory in _MODULE_CALL.findall(text)
        if factory in classes or factory in RANDOM_STATE_FACTORIES
    }


def module_objects(text: str) -> set[str]:
    """Names bound at column 0 to the result of a call that builds a shared object."""
    return {name for name, factory in _MODULE_CALL.findall(text) if is_module_object_factory(factory)}


# A word boundary is written after the word, as `word(?<!\wword)`, never as a leading
# `\bword`: a branch that starts with `\b` makes the regex engine try the whole
# pattern at every offset of the file, where a literal start lets it skip ahead
# (three times faster on real modules; the same matches).
_SHARED_INSTANCE_HINT = re.compile(
    r"meta_path|path_hooks|ref\((?<!\wref\()[^)\n]*,|finalize\(|with(?<!\wwith)\s+[\w.]*(?:lock|mutex)|"
    r"Thread\(\s*target|class(?<!\wclass)\s+\w*(?:Registry|Cache|Client|Pool|Locator)(?:Manager)?\b|class(?<!\wclass)\s+_?Cached|"
    # Methods every thread's hooks call (sys.monitoring, threading.settrace) and tzinfo
    # objects, which datetimes on any thread share.
    r"register_callback|settrace|tzinfo|"
    # A bound method handed to another thread (`pool.submit(self.handle, conn)`).
    r"(?:submit|run_in_executor|apply_async|start_new_thread|Timer)\([^\n]*\bself\.\w|"
    # A lock of the instance taken by hand (`self._lock.acquire()`), not with `with`.
    r"self\.(?<!\wself\.)\w*(?:lock|mutex)\w*\.acquire\(|"
    # A decorator that enters itself for every call, and bound methods registered as
    # event callbacks (python_per_call_state).
    r"with(?<!\wwith)[ \t]+self[ \t]*:|ContextDecorator|"
    r"(?:listen|connect|subscribe|add_\w*(?:listener|handler|hook|callback)|register_(?:callback|hook))"
    r"\([^\n]*\bself\.\w|"
    # A module that works with threads: its classes' instances may be handed to them.
    r"^[ \t]*(?:import|from)[ \t]+(?:threading|_thread|concurrent)\b",
    re.IGNORECASE | re.MULTILINE,
)


_PROCESS_STATE_HINT = re.compile(
    r"catch_warnings|simplefilter|filterwarnings|resetwarnings|os\.chdir|os\.umask|setlocale|"
    r"threading\.set(?:profile|trace)|"
    r"setdefaulttimeout|os\.environ|putenv|__code__|__globals__|__defaults__|"
    r"(?:set|del)attr\((?<!\wsetattr\()(?<!\wdelattr\()|cls\.(?<!\wcls\.)\w+\s*[-+*|&]?=[^=]|"
    r"__class__\.\w+\s*[-+*|&]?=[^=]|type\(self\)\.(?<!\wtype\(self\)\.)\w+\s*[-+*|&]?=[^=]"
)


# `cls._cache[key] = obj`, `cls._registry.append(x)`: a container on the class itself (a
# metaclass's per-class memo, a classmethod's registry), changed through the class.
_CLASS_CONTAINER_CHANGE = re.compile(
    r"(?:cls|mcs|metacls)\.(?<!\wcls\.)(?<!\wmcs\.)(?<!\wmetacls\.)\w+"
    rf"(?:\[[^\n]*\][ \t]*(?:[-+*|&]?=(?!=))|\.(?:{'|'.join(sorted(MUTATING_METHODS))})\()"
)
_CLOSURE_HINT = re.compile(r"nonlocal\s|@(?:functools\.)?wraps\(")
# `from .configuration import _cfgobjs` inside a function: another module's private
# state, which the function may change (python_imported_containers).
_LOCAL_PRIVATE_IMPORT = re.compile(r"\n[ \t]+from[ \t]+[\w.]+[ \t]+import[ \t]+\(?\s*_[A-Za-z]")


def process_state_hint(text: str) -> bool:
    """Text that may change process-wide settings, a class or a function object (see
    python_process_state), or a container kept on a class (python_class_sequences)."""
    if _PROCESS_STATE_HINT.search(text) is not None:
        return True
    return ("cls." in text or "mcs." in text) and _CLASS_CONTAINER_CHANGE.search(text) is not None


def shared_instance_hint(text: str) -> bool:
    """Text that may show a class's instances to be shared (see python_shared_instances)."""
    return "self." in text and _SHARED_INSTANCE_HINT.search(text) is not None


# `for m in sys.modules.values()`, `list(sys.modules.items())`: iteration of a dict every
# import changes (python_vocabulary.PROCESS_CONTAINERS).
_PROCESS_ITERATION = re.compile(r"(?:\bin\s+|\b(?:list|tuple|sorted|set|dict|frozenset)\()sys\.modules\b")


def process_iteration(text: str) -> bool:
    return "sys.modules" in text and _PROCESS_ITERATION.search(text) is not None


def python_needs_full_analysis(text: str) -> bool:
    text = "\n" + text
    if process_iteration(text):
        return True
    if "class" in text and (shared_instance_hint(text) or stateful_module_objects(text)):
        return True
    if process_state_hint(text):
        return True
    if _CLOSURE_HINT.search(text):
        return True  # a decorator's closure: every call of the function it makes shares it
    if _LOCAL_PRIVATE_IMPORT.search(text):
        return True
    if "global" in text and (GLOBAL_STATEMENT.search(text) or "globals()[" in text):
        return True
    module_containers = set(_MODULE_CONTAINER.findall(text))
    if module_containers and has_shared_use(text, module_containers):
        return True
    objects = module_objects(text)
    if objects and object_attribute_store(text, objects):
        return True
    if (objects or module_containers) and passed_as_default(text, objects | module_containers):
        return True
    stateful = stateful_module_objects(text)
    if stateful and object_method_call(text, stateful):
        return True
    if global_random_seeding(text):
        return True
    if "class" not in text:
        return False
    class_names = set(_CLASS_NAME.findall(text))
    if not class_names:
        return False
    class_containers = set(_INDENTED_CONTAINER.findall(text))
    if class_containers and has_shared_use(text, class_containers, through_owner=True):
        return True
    return class_attribute_assignment(text, class_names)
