"""FTC017: a field of a shared object filled on first use by check-then-set."""

from __future__ import annotations

import re

from ...collectors.source.c_races import cast_from_object_parameter, python_object_types
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_UNSET = r"(?:NULL|nullptr|0|-1|false)"
_POINTER_PARAMETER = re.compile(r"\*\s*\*\s*([A-Za-z_]\w*)\s*$")


def _field_tests(condition_text: str) -> set[str]:
    """``obj->hash`` for ``obj->hash == -1`` / ``!obj->ready`` / ``obj->cache == NULL``."""
    text = " ".join(_COMMENT.sub(" ", condition_text).split())
    fields = set(re.findall(rf"([A-Za-z_]\w*\s*->\s*[A-Za-z_]\w*)\s*==\s*{_UNSET}\b", text))
    fields |= set(re.findall(r"!\s*\(?\s*([A-Za-z_]\w*\s*->\s*[A-Za-z_]\w*)\b(?!\s*(?:\.|->|\[|\())", text))
    return {re.sub(r"\s+", "", field) for field in fields}


# Object allocators: what they return is private to the thread until it is published.
_ALLOCATED = re.compile(
    r"=\s*(?:\([^)]*\)\s*)?(?:PyObject_(?:GC_)?New(?:Var)?|[\w.>-]*tp_alloc|PyType_GenericAlloc|"
    r"PyMem_(?:Raw)?(?:Malloc|Calloc)|malloc|calloc)\s*\("
)


def _freshly_allocated(unit, name: str, function) -> bool:
    if unit.is_private_object_name(name, function):
        return True
    if name not in function.locals:
        return False
    body = _COMMENT.sub(" ", unit.node_text(function.body))
    return any(
        _ALLOCATED.match(body, match.end() - 1) is not None
        for match in re.finditer(rf"\b{re.escape(name)}\s*=", body)
    )


# Structs filled per call (a buffer request), not objects that threads share.
_PER_CALL_TYPES = {"Py_buffer", "PyCompilerFlags", "PyStatus", "PyConfig", "PyPreConfig"}
# A cached hash is the same value whichever thread computes it, and one word: two
# threads storing it race harmlessly (CPython's own tuple/str hash caches do this).
_IDEMPOTENT_FIELD = re.compile(r"hash(?:code)?$", re.IGNORECASE)


def _only_sets_a_constant(body: str, pattern: str) -> bool:
    """The guarded block is one store of a constant to the tested field, nothing else."""
    statement = body.strip().strip("{}").strip()
    return (
        re.fullmatch(rf"(?:{pattern})\s*=\s*(?:-?\d+|true|false|NPY_TRUE|Py_True)\s*;", statement) is not None
    )


# Construction and teardown run before the object is shared or after it no longer is.
_CONSTRUCTION = re.compile(r"(?:_new|_init|_init_*_impl|_dealloc|_clear|_traverse|_exec|_finalize)$")


def _python_object(unit, name: str, function) -> bool:
    """Whether ``name`` is declared as a Python object (``PyObject *``, ``chainobject *lz``,
    ``PyArray_Descr *d``): what Python code hands to several threads. Plain C structs
    (an expat hash table, a per-generator ``binomial_t``) belong to their owner's lock."""
    text = _COMMENT.sub(" ", unit.node_text(function.node))
    match = re.search(rf"\b([A-Za-z_]\w*)\s*\*\s*{re.escape(name)}\s*[,;)=]", text)
    if match is None:
        return name in ("self", "st", "state")
    type_name = match.group(1)
    if type_name in _PER_CALL_TYPES:
        return False
    if type_name in python_object_types(unit) or cast_from_object_parameter(unit, name, function):
        return True
    return type_name.startswith("Py") or "object" in type_name.lower()


@register
class LazyObjectField(CSourceRule):
    """``if (obj->hash == -1) obj->hash = compute(obj);`` on an object other threads hold.

    A cached field (a hash, a "ready" flag, a lazily built buffer description) that
    the first caller fills is a check-then-set per object: two threads that read the
    object at once both see it unset, both compute, and both store. With a plain
    integer that only wastes work; with a pointer the first result leaks or is freed
    while the other thread uses it, and a "ready" flag can be seen set before the data
    it guards. The object is shared when it arrives as an argument (any thread can
    pass the same one); objects the function has just created are not reported, and
    neither are ordinary field writes without a preceding check.

    The check, the fill and the first use after it (``Py_INCREF(obj->dict)``, ``return
    obj->cache;``) are each reported: the use hands out a reference that a racing fill
    may just have replaced and released.

    Also reported: passing ``&obj->field`` to a helper in this file that reads and
    then rewrites ``*slot`` (a cache slot filled through a pointer).
    """

    code = "FTC017"
    name = "lazy-object-field"
    severity = Severity.WARNING
    summary = "field of a shared object lazily filled by an unlocked check-then-set"
    fix = (
        "Fill the field when the object is created, or guard the check and the store with the object's "
        "critical section (Py_BEGIN_CRITICAL_SECTION(obj)), or publish it with an atomic compare-exchange "
        "(_Py_atomic_compare_exchange_ptr) and discard the loser's value."
    )
    references = ["https://docs.python.org/3/howto/free-threading-extensions.html"]
    invalid = [
        Example(
            "typedef struct {\n    PyObject_HEAD double factor;\n"
            "    PyObject *as_float, *as_double;\n} Scaler;\n"
            "static PyObject *factor_array(Scaler *scaler, int single) {\n"
            "    PyObject **slot = single ? &scaler->as_float : &scaler->as_double;\n"
            "    if (*slot == NULL) {\n        *slot = make_array(scaler->factor, single);\n    }\n"
            "    return *slot;\n}\n",
            note="the lazy fill goes through a pointer to one of the object's cache fields",
        ),
        Example(
            "static PyObject *descr_names(PyObject *self) {\n    DescrObject *d = (DescrObject *)self;\n"
            "    if (d->names == NULL) {\n        d->names = build_names(d);\n    }\n"
            "    return d->names;\n}\n"
        ),
        Example(
            "static int node_prepare(NodeObject *node) {\n    if (!node->ready) {\n        build(node);\n"
            "        node->ready = 1;\n    }\n    return 0;\n}\n"
        ),
        Example(
            "static int fill_hash(DescrObject *d, Py_hash_t *out);\n"
            "static Py_hash_t descr_hash(DescrObject *d) {\n    if (d->hash == -1) {\n"
            "        if (fill_hash(d, &d->hash) < 0) return -1;\n    }\n    return d->hash;\n}\n",
            note="filled through a pointer to the field",
        ),
        Example(
            "static Info *get_info(void **slot, PyObject *obj) {\n    Info *old = (Info *)*slot;\n"
            "    Info *info = make_info(obj);\n    if (old == NULL) *slot = info;\n    return info;\n}\n"
            "static int getbuffer(PyObject *self, Py_buffer *view) {\n"
            "    Info *info = get_info(&((Obj *)self)->info_cache, self);\n    return info ? 0 : -1;\n}\n",
            note="a helper that rewrites the slot it is handed",
        ),
    ]
    valid = [
        Example(
            "static PyObject *node_make(void) {\n"
            "    NodeObject *node = PyObject_New(NodeObject, &Node_Type);\n"
            "    if (node->ready == 0) {\n        node->ready = 1;\n    }\n    return (PyObject *)node;\n}\n",
            note="a freshly made object is private to this thread",
        ),
        Example(
            "static int lookup(HASH_TABLE *table, const char *name) {\n    if (table->size == 0) {\n"
            "        table->size = 64;\n    }\n    return 0;\n}\n",
            note="a plain C struct, not a Python object other threads are handed",
        ),
        Example(
            "static Py_hash_t date_hash(DateObject *self) {\n    if (self->hashcode == -1) {\n"
            "        self->hashcode = generic_hash(self);\n    }\n    return self->hashcode;\n}\n",
            note="an idempotent one-word hash cache: racing threads store the same value",
        ),
        Example(
            "static int update(HashObject *self, Py_ssize_t len) {\n"
            "    if (!self->use_mutex && len >= 2048) {\n        self->use_mutex = 1;\n    }\n"
            "    return 0;\n}\n",
            note="a flag only ever raised to one constant: racing stores agree",
        ),
        Example(
            "static void set_size(Obj *obj, Py_ssize_t n) {\n    obj->size = n;\n}\n",
            note="an ordinary field write, no check-then-set",
        ),
        Example(
            "static Py_hash_t descr_hash(DescrObject *d) {\n    Py_hash_t h;\n"
            "    Py_BEGIN_CRITICAL_SECTION(d);\n"
            "    if (d->hash == -1) {\n        d->hash = compute_hash(d);\n    }\n    h = d->hash;\n"
            "    Py_END_CRITICAL_SECTION();\n    return h;\n}\n",
        ),
        Example(
            "static int add_to_set(Obj *owner, PyObject **pset, PyObject *item) {\n    int r = 0;\n"
            "    Py_BEGIN_CRITICAL_SECTION(owner);\n    if (*pset == NULL) *pset = PySet_New(NULL);\n"
            "    if (*pset != NULL) r = PySet_Add(*pset, item);\n    Py_END_CRITICAL_SECTION();\n"
            "    return r;\n}\n"
            "static int remember(Obj *self, PyObject *item) {\n"
            "    return add_to_set(self, &self->seen, item);\n}\n",
            note="the helper that rewrites the slot takes the owner's critical section itself",
        ),
    ]

    @classmethod
    def check(cls, unit):
        slot_helpers = cls._slot_helpers(unit)
        for function in unit.functions:
            if function.init_only or function.caller_holds_lock or _CONSTRUCTION.search(function.name):
                continue
            for node in unit.walk(function.body):
                if node.type == "if_statement":
                    yield from cls._check_then_set(unit, function, node)
                elif node.type == "call_expression" and slot_helpers:
                    yield from cls._slot_call(unit, function, node, slot_helpers)

    @classmethod
    def _shared_object(cls, unit, function, field: str) -> bool:
        owner = field.split("->")[0]
        return _python_object(unit, owner, function) and not _freshly_allocated(unit, owner, function)

    @classmethod
    def _check_then_set(cls, unit, function, node):
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        if condition is None or consequence is None:
            return
        fields = _field_tests(unit.node_text(condition))
        if not fields:
            yield from cls._check_then_set_through_alias(unit, function, node, condition, consequence)
            return
        if unit.is_protected(node, function) or unit.in_gil_only_branch(node):
            return
        body = _COMMENT.sub(" ", unit.node_text(consequence))
        for field in sorted(fields):
            if not cls._shared_object(unit, function, field):
                continue
            pattern = re.escape(field).replace("\\-\\>", r"\s*->\s*")
            store = re.search(rf"(?<![\w>.])(?:{pattern})\s*=(?!=)|&\s*\(?\s*{pattern}\b", body)
            if store is None:
                continue
            if not store.group(0).startswith("&") and _IDEMPOTENT_FIELD.search(field):
                continue
            if _only_sets_a_constant(body, pattern):
                continue  # `if (!o->flag) o->flag = 1;`: racing threads store the same word
            before = _COMMENT.sub(
                " ", unit.source[function.body.start_byte : node.start_byte].decode("utf-8", "replace")
            )
            if re.search(rf"(?<![\w>.])(?:{pattern})\s*=(?!=)", before):
                continue  # set earlier in this function: the test checks that store, not a cache
            store_line = node.start_point[0] + 1 + body[: store.start()].count("\n")
            store_line += unit.node_text(node)[: consequence.start_byte - node.start_byte].count("\n")
            owner = field.split("->")[0]
            evidence = f"`{owner}` comes from the caller, so other threads can hold the same object"
            yield from cls._check_and_fill(
                unit, function, f"`{field}`", condition, node, store_line, evidence
            )
            use_line = cls._use_after(unit, function, node, pattern)
            if use_line is not None:
                use_location = unit.line_location(use_line)
                yield cls.finding(
                    f"`{field}` is read again here in {function.name}() after the unlocked fill on line "
                    f"{store_line}: another thread's fill can have replaced the value in between, so the "
                    "two threads hand out different objects and one leaks (or dangles, if a fill releases "
                    f"the old value) ({evidence})",
                    use_location,
                )

    @classmethod
    def _check_then_set_through_alias(cls, unit, function, node, condition, consequence):
        """``PyObject **slot = &o->cache; if (*slot == NULL) *slot = make();``: the same lazy
        fill, through a pointer to the field (astropy's Scaler picks one of two caches)."""
        text = " ".join(_COMMENT.sub(" ", unit.node_text(condition)).split())
        tested = re.search(rf"\*\s*([A-Za-z_]\w*)\s*==\s*{_UNSET}\b|!\s*\*\s*([A-Za-z_]\w*)\b", text)
        if tested is None or unit.is_protected(node, function) or unit.in_gil_only_branch(node):
            return
        alias = tested.group(1) or tested.group(2)
        if alias not in function.locals:
            return
        body = _COMMENT.sub(" ", unit.node_text(function.body))
        pointed = re.search(rf"\b{re.escape(alias)}\s*=\s*[^;]*?&\s*([A-Za-z_]\w*)\s*->\s*(\w+)", body)
        if pointed is None:
            return
        field = f"{pointed.group(1)}->{pointed.group(2)}"
        if not cls._shared_object(unit, function, field):
            return
        block = _COMMENT.sub(" ", unit.node_text(consequence))
        store = re.search(rf"(?<![\w*])\*\s*{re.escape(alias)}\s*=(?!=)", block)
        if store is None:
            return
        store_line = consequence.start_point[0] + 1 + block[: store.start()].count("\n")
        evidence = f"`{pointed.group(1)}` comes from the caller, so other threads can hold the same object"
        shown = f"`*{alias}` (`{field}`)"
        yield from cls._check_and_fill(unit, function, shown, condition, node, store_line, evidence)

    @classmethod
    def _check_and_fill(cls, unit, function, shown: str, condition, node, store_line: int, evidence: str):
        """The two halves of one lazy fill: the unlocked check and the store it leads to."""
        yield cls.finding(
            f"{shown} is checked here in {function.name}() and filled on line {store_line} without a "
            f"lock: two threads can both see it unset and both fill it ({evidence})",
            unit.location(condition),
        )
        yield cls.finding(
            f"{shown} is filled here in {function.name}() after the unlocked check on line "
            f"{node.start_point[0] + 1}: a racing thread's value is overwritten or leaks ({evidence})",
            unit.line_location(store_line),
        )

    @staticmethod
    def _use_after(unit, function, node, pattern: str) -> int | None:
        """The line of the first ``Py_INCREF(field)`` / ``Py_NewRef(field)`` / ``return field;``
        after the lazy fill: the reference handed out is the one a racing fill may have freed."""
        after = _COMMENT.sub(
            lambda match: " " * len(match.group(0)),
            unit.source[node.end_byte : function.body.end_byte].decode("utf-8", "replace"),
        )
        uses = rf"\b(?:Py_X?INCREF|Py_X?NewRef)\s*\(\s*(?:\([^()]*\)\s*)?(?:{pattern})\s*\)"
        declarator = function.node.child_by_field_name("declarator")
        if declarator is not None and declarator.type == "pointer_declarator":
            # A function returning a pointer hands the field's value out as a borrowed reference.
            uses += rf"|\breturn\s+(?:\([^()]*\)\s*)?(?:{pattern})\s*;"
        use = re.search(uses, after)
        if use is None:
            return None
        return node.end_point[0] + 1 + after[: use.start()].count("\n")

    @staticmethod
    def _slot_helpers(unit) -> set[str]:
        """Functions with a ``T **slot`` parameter whose body reads ``*slot`` and then stores to it."""
        helpers = set()
        for function in unit.functions:
            declarator = function.node.child_by_field_name("declarator")
            while declarator is not None and declarator.type != "function_declarator":
                declarator = declarator.child_by_field_name("declarator")
            parameters = declarator.child_by_field_name("parameters") if declarator is not None else None
            if parameters is None or unit.takes_a_lock(function):
                # A helper that locks around its read and rewrite (CPython's own
                # `_add_to_weak_set` takes a critical section) makes its callers safe.
                continue
            body = _COMMENT.sub(" ", unit.node_text(function.body))
            for parameter in parameters.named_children:
                match = _POINTER_PARAMETER.search(unit.node_text(parameter))
                if not match:
                    continue
                name = re.escape(match.group(1))
                store = re.search(rf"(?<![\w*])\*\s*{name}\s*=(?!=)", body)
                read = re.search(rf"(?<![\w*])\*\s*{name}\b(?!\s*=(?!=))", body)
                if store and read and read.start() < store.start():
                    helpers.add(function.name)
        return helpers

    @classmethod
    def _slot_call(cls, unit, function, node, helpers: set[str]):
        callee = node.child_by_field_name("function")
        if callee is None or unit.node_text(callee) not in helpers or unit.is_protected(node, function):
            return
        for argument in unit.call_arguments(node):
            text = " ".join(unit.node_text(argument).split())
            match = re.match(r"&\s*\(*\s*(?:\([^()]*\)\s*)?([A-Za-z_]\w*)\s*\)*\s*->\s*([A-Za-z_]\w*)$", text)
            if not match or _freshly_allocated(unit, match.group(1), function):
                continue
            yield cls.finding(
                f"{function.name}() hands `{match.group(1)}->{match.group(2)}` to "
                f"{unit.node_text(callee)}(), which reads the slot and then stores into it, without a "
                f"lock: `{match.group(1)}` comes from the caller, so two threads doing this to the same "
                "object both act on the same old value (two fills, or the old object released twice)",
                unit.location(node),
            )
