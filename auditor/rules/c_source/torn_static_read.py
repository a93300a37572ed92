"""FTC023: several statics (or fields of one) read together while another function rewrites them."""

from __future__ import annotations

import re

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

# Functions that fill statics once before use or clear them at shutdown.
_SET_UP_OR_TEAR_DOWN = re.compile(
    r"(?:^|_)(?:init|initialize|setup|fini|finalize|clear|dealloc|free|teardown)(?:_|$)", re.IGNORECASE
)


def _field_of(unit, node) -> str | None:
    """``f`` for ``S.f`` / ``alias->f`` whose base is ``node``'s parent chain start."""
    parent = unit.parent_of(node)
    if parent is None or parent.type != "field_expression" or parent.child_by_field_name("argument") != node:
        return None
    field = parent.child_by_field_name("field")
    return unit.node_text(field) if field is not None else None


def _written_parts(unit):
    """{variable name: (set of fields written, or None for the whole variable; first write)}
    for every unlocked write outside module initialisation."""
    parts: dict[str, tuple[set[str], set[str], object]] = {}

    def note(variable, target, node, function):
        fields, wholes, first = parts.get(variable.name, (set(), set(), None))
        field = _field_of(unit, target) if target is not None else None
        if field:
            fields.add(field)
        else:
            wholes.add(variable.name)
        parts[variable.name] = (fields, wholes, first or (node, function))

    for write in unit.writes:
        if write.protected or unit.runs_at_import(write.node, write.function):
            continue
        if write.claimed_by == "lazy-init" or _SET_UP_OR_TEAR_DOWN.search(write.function.name):
            continue  # set once before use, or at teardown: not an update readers can overlap
        base = _write_base(unit, write.node)
        note(write.variable, base, write.node, write.function)
    for (variable, _declaration), node, function in unit.alias_writes:
        if unit.is_protected(node, function) or unit.runs_at_import(node, function):
            continue
        if _SET_UP_OR_TEAR_DOWN.search(function.name):
            continue
        note(variable, _write_base(unit, node), node, function)
    return parts


def _write_base(unit, node):
    target = None
    if node.type == "assignment_expression":
        target = node.child_by_field_name("left")
    elif node.type == "update_expression":
        target = node.child_by_field_name("argument")
    while target is not None and target.type in ("field_expression", "subscript_expression"):
        inner = target.child_by_field_name("argument")
        if inner is not None and inner.type in ("identifier", "qualified_identifier"):
            return inner
        target = inner
    return None


@register
class TornStaticRead(CSourceRule):
    """``return Py_BuildValue("(ddd)", load_1m, load_5m, load_15m);`` while a callback updates them.

    Statics that one function updates together (three load averages, the counters of an
    allocator's statistics struct) are one value split over several words. A reader
    that takes them one by one, with no lock, can see some from before an update and
    some from after it, or a half-written double. With the GIL the reader and the
    writer never overlapped; in the free-threaded build they do, and nothing in the
    result says it is inconsistent.

    Reported: a function that reads two or more statics, or two or more fields of one
    static struct (directly or through a local pointer to it), that are written without
    a lock elsewhere in the file, and does not write them itself (a read before a write
    in one function is FTC001's check-then-act). Not reported: reads under a lock,
    module initialisation, statics only set once (lazy initialisation, ``init_*``
    helpers) or cleared at teardown, and single values (one aligned word read alone is
    not torn).
    """

    code = "FTC023"
    name = "torn-static-read"
    severity = Severity.WARNING
    summary = "several statics written together elsewhere are read one by one without a lock"
    fix = (
        "Take the lock the writer takes (add one: a PyMutex around both the update and the read), "
        "or publish the values as one immutable object swapped in with an atomic pointer store."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "static double load_1m, load_5m;\n"
            "static void update(double now) {\n    load_1m = load_1m * 0.9 + now * 0.1;\n"
            "    load_5m = load_5m * 0.98 + now * 0.02;\n}\n"
            "static PyObject *get_load(PyObject *self, PyObject *args) {\n"
            '    return Py_BuildValue("(dd)", load_1m, load_5m);\n}\n'
        ),
        Example(
            "typedef struct { long hits; long misses; } stats_t;\nstatic stats_t stats;\n"
            "static void reset(void) {\n    stats.hits = 0;\n    stats.misses = 0;\n}\n"
            "static PyObject *get_stats(PyObject *self, PyObject *args) {\n    stats_t *s = &stats;\n"
            '    return Py_BuildValue("(ll)", s->hits, s->misses);\n}\n',
            note="fields of one static struct, read through a pointer to it",
        ),
    ]
    valid = [
        Example(
            "static PyMutex lock;\nstatic double load_1m, load_5m;\n"
            "static void update(double now) {\n    PyMutex_Lock(&lock);\n"
            "    load_1m = now;\n    load_5m = now;\n"
            "    PyMutex_Unlock(&lock);\n}\n"
            "static PyObject *get_load(PyObject *self, PyObject *args) {\n    PyObject *r;\n"
            '    PyMutex_Lock(&lock);\n    r = Py_BuildValue("(dd)", load_1m, load_5m);\n'
            "    PyMutex_Unlock(&lock);\n    return r;\n}\n"
        ),
        Example(
            "static long block_size;\n"
            "static void set_block_size(long n) { block_size = n; }\n"
            "static PyObject *get_block_size(PyObject *self, PyObject *args) {\n"
            "    return PyLong_FromLong(block_size);\n}\n",
            note="one word read alone",
        ),
    ]

    @classmethod
    def check(cls, unit):
        written = _written_parts(unit)
        if not written:
            return
        for function in unit.functions:
            if function.init_only or function.caller_holds_lock or function.node.has_error:
                continue  # (a function tree-sitter could not parse may hide its own declarations)
            yield from cls._check_reader(unit, function, written)

    @classmethod
    def _check_reader(cls, unit, function, written):
        read: dict[str, object] = {}  # "name" or "name.field" -> first read node
        header = unit.source[function.node.start_byte : function.body.start_byte].decode("latin-1")
        header_words = set(re.findall(r"\w+", header))
        owners: set[str] = set()
        for node in unit.walk(function.body):
            if node.type != "identifier":
                continue
            name = unit.node_text(node)
            variable = unit.resolve(name, function)
            if variable is None and name in function.aliases:
                variable = function.aliases[name][0]
            if variable is None or variable.name not in written:
                continue
            if not variable.line and (name in header_words or function.node.has_error):
                continue  # a K&R parameter, or a parse gone wrong, that only looks like a header's global
            parent = unit.parent_of(node)
            if parent is not None and parent.type in ("init_declarator", "pointer_expression"):
                continue  # binding an alias (`T *s = &stats;`), not a read of a value
            if unit.is_protected(node, function) or unit.in_gil_only_branch(node):
                continue
            fields, wholes, _ = written[variable.name]
            field = _field_of(unit, node)
            key = f"{variable.name}.{field}" if field and field in fields else variable.name
            if key == variable.name and variable.name not in wholes:
                continue
            read.setdefault(key, node)
            owners.add(variable.name)
        if len(read) < 2:
            return
        if any(write.function is function for write in unit.writes if write.variable.name in owners):
            return
        if any(
            function is writer for (variable, _), _, writer in unit.alias_writes if variable.name in owners
        ):
            return
        first = min(read.values(), key=lambda node: node.start_byte)
        writer_node, writer = written[next(iter(sorted(owners)))][2]
        names = ", ".join(f"`{key}`" for key in sorted(read)[:5])
        yield cls.finding(
            f"{function.name}() reads {names} one by one with no lock, while {writer.name}() (line "
            f"{writer_node.start_point[0] + 1}) rewrites them with no lock: every thread shares these "
            "statics, so a reader running during an update sees part old, part new values",
            unit.location(first),
        )
