"""FTC018: a static written through something else: a local alias, or a helper's pointer parameter."""

from __future__ import annotations

from ...collectors.source.c_singletons import singleton_writes
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule


@register
class StaticAliasWrite(CSourceRule):
    """A static is still one copy per process when the write goes through another name.

    Real fixes keep finding the same two shapes that a write to the variable's own name
    does not show. A local alias: Pillow's ``ImagingMemoryArena arena = &ImagingDefaultArena;``
    followed by ``arena->stats_new_count = 0``, or a C++ ``auto &cache = table;``. And a
    helper that writes through its pointer parameter while its callers hand it a static:
    numpy's ``_npy_alloc_cache(..., cache_bucket *cache, ...)`` popped
    ``cache[n].ptrs[--cache[n].available]`` for callers that passed the static
    ``datacache``, a check-then-act on a free list that two threads can both win.

    A third shape is C++'s: a getter returning a reference to its own static
    (``Internals &get_internals() { static Internals i; return i; }``), written by every
    caller (``get_internals().types[k] = v``, or through ``auto &in = get_internals();``).

    Calls are resolved within the file: the finding sits on the call that passes the
    static (where a lock can go) and on each unlocked write inside the helper, and each
    names the other. Not reported: the call or the helper's write under a lock, code only
    the GIL build compiles, and calls in module initialisation.
    """

    code = "FTC018"
    name = "static-alias-write"
    severity = Severity.ERROR
    summary = "static written through a local alias, a helper's pointer parameter or a singleton getter"
    fix = (
        "Take one lock around the call (or in the helper) for every use of the shared static, "
        "or give each caller its own buffer (module state with a lock, or thread-local storage)."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "typedef struct { long hits; long misses; } arena_t;\nstatic arena_t default_arena;\n"
            "static PyObject *reset(PyObject *self, PyObject *args) {\n"
            "    arena_t *arena = &default_arena;\n    arena->hits = 0;\n    arena->misses = 0;\n"
            "    Py_RETURN_NONE;\n}\n",
            note="a pointer alias of a file-scope struct",
        ),
        Example(
            "typedef struct { int available; void *ptrs[8]; } bucket;\nstatic bucket datacache[16];\n"
            "static void *take(bucket *cache, int n) {\n"
            "    if (cache[n].available > 0) {\n        return cache[n].ptrs[--cache[n].available];\n    }\n"
            "    return NULL;\n}\n"
            "void *npy_alloc(int n) { return take(datacache, n); }\n",
            note="the helper pops a static free list its caller passes in",
        ),
        Example(
            "#include <map>\nstatic std::map<int, int> table;\n"
            "void remember(int key, int value) {\n    auto &cache = table;\n    cache[key] = value;\n}\n",
            language="cpp",
            note="a C++ reference to a static container",
        ),
        Example(
            "typedef struct { long used; char *blocks[16]; } arena_t;\nstatic arena_t *default_arena;\n"
            "static void *arena_take(arena_t *arena) {\n"
            "    return arena->used > 0 ? arena->blocks[--arena->used] : NULL;\n}\n"
            "void *get_block(void) { return arena_take(default_arena); }\n",
            note="what a static pointer points at, written by a helper it is handed to",
        ),
        Example(
            "#include <map>\nstruct Internals { std::map<int, int> types; long count; };\n"
            "Internals &get_internals() {\n    static Internals internals;\n    return internals;\n}\n"
            "void register_type(int key, int value) {\n    auto &in = get_internals();\n"
            "    in.types[key] = value;\n    get_internals().count++;\n}\n",
            language="cpp",
            note="a singleton getter hands every caller the same static",
        ),
    ]
    valid = [
        Example(
            "typedef struct { long hits; } arena_t;\nstatic arena_t default_arena;\nstatic PyMutex lock;\n"
            "static void reset(void) {\n    PyMutex_Lock(&lock);\n    arena_t *arena = &default_arena;\n"
            "    arena->hits = 0;\n    PyMutex_Unlock(&lock);\n}\n",
            note="the alias is written under the lock",
        ),
        Example(
            "typedef struct { int available; void *ptrs[8]; } bucket;\n"
            "static void *take(bucket *cache, int n) {\n"
            "    if (cache[n].available > 0) {\n        return cache[n].ptrs[--cache[n].available];\n    }\n"
            "    return NULL;\n}\n"
            "void *alloc_local(int n) { bucket mine[16] = {0}; return take(mine, n); }\n",
            note="every caller passes its own buffer",
        ),
        Example(
            "typedef struct { long hits; } arena_t;\nstatic arena_t default_arena;\n"
            "static long hits(void) {\n    const arena_t *arena = &default_arena;\n"
            "    return arena->hits;\n}\n",
            note="an alias only read from",
        ),
    ]

    @classmethod
    def check(cls, unit):
        reported: set[int] = set()
        # One finding per alias and function (at its first unlocked write, naming the rest):
        # ctypes' table set-up writes 32 fields through one `fd`, which is one hazard.
        grouped: dict[tuple[int, str], list] = {}
        for (variable, declaration), node, function in unit.alias_writes:
            if unit.is_protected(node, function) or unit.in_gil_only_branch(node):
                continue
            if unit.runs_at_import(node, function) or unit.released_region_at(node, function):
                continue
            grouped.setdefault((declaration.start_byte, function.name), []).append(
                (variable, declaration, node, function)
            )
        for writes in grouped.values():
            variable, declaration, node, function = writes[0]
            location = unit.location(node)
            lines = sorted({unit.location(write[2]).line for write in writes})
            reported.update(lines)
            more = f" (also lines {', '.join(map(str, lines[1:6]))})" if len(lines) > 1 else ""
            alias = unit.node_text(declaration).split("=", 1)[0].strip().split()[-1].lstrip("*&")
            yield cls.finding(
                f"`{alias}` (line {unit.location(declaration).line}) is an alias of `{variable.name}`, "
                f"{_where(variable)} that every thread shares; {function.name}() writes through it "
                f"here{more} with no lock",
                location,
                evidence=[variable.declaration_text, unit.node_text(declaration)],
            )
            read = _read_before(unit, function, alias, declaration, node)
            if read is not None and unit.location(read).line not in reported:
                reported.add(unit.location(read).line)
                yield cls.finding(
                    f"`{alias}` (an alias of `{variable.name}`, {_where(variable)} that every thread shares) "
                    f"is read here in {function.name}() and written through on line {location.line} with no "
                    "lock in between: another thread can change it after this read (check-then-act)",
                    unit.location(read),
                    evidence=[variable.declaration_text, unit.node_text(declaration)],
                )
        yield from _singleton_findings(cls, unit, reported)
        for helper in unit.helper_writes:
            if helper.protected:
                continue
            write_lines = sorted({unit.location(write).line for write in helper.writes})
            call_line = unit.location(helper.call).line
            lines_text = ", ".join(str(line) for line in write_lines[:4])
            if call_line not in reported:
                reported.add(call_line)
                yield cls.finding(
                    f"{helper.caller.name}() passes `{variable_name(helper)}` ({_where(helper.variable)}, "
                    f"shared by every thread) to {helper.callee.name}(), which writes through that "
                    f"parameter at line {lines_text} with no lock: two threads calling here race on it",
                    unit.location(helper.call),
                    evidence=[helper.variable.declaration_text],
                )
            for write in helper.writes:
                location = unit.location(write)
                if location.line in reported:
                    continue
                reported.add(location.line)
                yield cls.finding(
                    f"{helper.callee.name}() writes through a parameter that {helper.caller.name}() "
                    f"(line {call_line}) points at `{variable_name(helper)}`, {_where(helper.variable)} "
                    "shared by every thread; nothing locks it",
                    location,
                    evidence=[helper.variable.declaration_text],
                )


def _singleton_findings(cls, unit, reported: set[int]):
    for write in singleton_writes(unit):
        function = write.function
        if unit.is_protected(write.node, function) or unit.in_gil_only_branch(write.node):
            continue
        if unit.runs_at_import(write.node, function):
            continue
        location = unit.location(write.node)
        if location.line in reported:
            continue
        reported.add(location.line)
        through = (
            f"through `{write.alias}`, bound to {write.getter}()"
            if write.alias
            else f"through {write.getter}()"
        )
        yield cls.finding(
            f"{function.name}() writes `{write.variable.name}` {through}, which hands every caller the "
            f"same object ({_where(write.variable)}): two threads writing it here race, with no lock",
            location,
            evidence=[write.variable.declaration_text],
        )


def _read_before(unit, function, alias: str, declaration, write):
    """The first use of the alias after its declaration and on an earlier line than the write."""
    for node in unit.walk(function.body):
        if node.start_point[0] >= write.start_point[0]:
            return None
        if (
            node.start_byte < declaration.end_byte
            or node.type != "identifier"
            or unit.node_text(node) != alias
        ):
            continue
        if unit.is_protected(node, function):
            continue
        return node
    return None


def variable_name(helper) -> str:
    return helper.variable.name


def _where(variable) -> str:
    if variable.function:
        return f"a function-level static of {variable.function}()"
    if variable.line:
        return f"a file-scope variable (line {variable.line})"
    return "a global"
