"""FTC030: a condition tested without the lock, then acted on under it without testing again."""

from __future__ import annotations

import re

from ...collectors.source.c_vocabulary import ACQUIRE
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
# `w->running`, `client->thread_data->thread_running`, `st->ready`.
_FIELD_CHAIN = re.compile(r"(?<![\w>.])([A-Za-z_]\w*(?:\s*->\s*[A-Za-z_]\w*)+)(?!\s*\()")
_IDENTIFIER = re.compile(r"(?<![\w>.])([A-Za-z_]\w*)\b(?!\s*(?:\(|->|\.))")


def _store(target: str) -> str:
    """A regex for a store to ``target``: ``=``, a compound assignment, ``++`` / ``--``."""
    pattern = re.escape(target).replace("\\-\\>", r"\s*->\s*")
    return rf"(?<![\w>.])(?:(?:{pattern})\s*(?:[-+*/|&^]?=(?!=)|\+\+|--)|(?:\+\+|--)\s*(?:{pattern})\b)"


def _blank_comments(text: str) -> str:
    return _COMMENT.sub(lambda match: " " * len(match.group(0)), text)


@register
class UnlockedCheckLockedAct(CSourceRule):
    """``if (!ready) { lock(); build(); ready = 1; unlock(); }``: the test is outside the lock.

    The lock makes the store safe, but the decision to store was taken before it: two
    threads can both see ``ready == 0``, queue on the lock, and then both run the block
    (the table is built twice and the first copy leaks; a worker is joined twice; a
    counter is decremented below zero). The author's own lock around the store is the
    evidence that the state is shared. With the GIL nothing ran between the test and the
    lock, so the bug stayed hidden.

    Reported when the ``if`` tests a static, a module-state field or a field reached
    through a pointer (``w->running``), the block takes a lock and then stores to what
    was tested, and nothing between the lock and the store tests it again (the
    double-checked form). Not reported when the test is already under a lock.
    """

    code = "FTC030"
    name = "unlocked-check-locked-act"
    severity = Severity.WARNING
    summary = "a condition is tested without the lock, then acted on under the lock without testing it again"
    fix = (
        "Test the condition again after taking the lock (double-checked locking, with an atomic "
        "load for the outer test), or take the lock before the test."
    )
    references = [
        "https://docs.python.org/3/howto/free-threading-extensions.html",
        "https://peps.python.org/pep-0703/",
    ]
    invalid = [
        Example(
            "static PyMutex table_lock;\nstatic int table_ready;\nstatic PyObject *table;\n"
            "static PyObject *get_table(void) {\n"
            "    if (!table_ready) {\n        PyMutex_Lock(&table_lock);\n"
            "        table = PyDict_New();\n        table_ready = 1;\n"
            "        PyMutex_Unlock(&table_lock);\n    }\n    return table;\n}\n",
            note="two threads both see the flag unset and both build the table",
        ),
        Example(
            "#include <pthread.h>\n"
            "struct worker { int running; pthread_mutex_t lock; pthread_t tid; };\n"
            "void worker_stop(struct worker *w) {\n"
            "    if (w->running) {\n        pthread_mutex_lock(&w->lock);\n        w->running = 0;\n"
            "        pthread_mutex_unlock(&w->lock);\n        pthread_join(w->tid, NULL);\n    }\n}\n",
            note="two callers both see the worker running and both join it",
        ),
    ]
    valid = [
        Example(
            "static PyMutex table_lock;\nstatic int table_ready;\nstatic PyObject *table;\n"
            "static PyObject *get_table(void) {\n"
            "    if (!table_ready) {\n        PyMutex_Lock(&table_lock);\n"
            "        if (!table_ready) {\n            table = PyDict_New();\n            table_ready = 1;\n"
            "        }\n        PyMutex_Unlock(&table_lock);\n    }\n    return table;\n}\n",
            note="the test is repeated under the lock",
        ),
        Example(
            "#include <pthread.h>\n"
            "struct worker { int running; pthread_mutex_t lock; };\n"
            "void worker_stop(struct worker *w) {\n    pthread_mutex_lock(&w->lock);\n"
            "    if (w->running) {\n        w->running = 0;\n    }\n"
            "    pthread_mutex_unlock(&w->lock);\n}\n",
            note="the test is under the lock",
        ),
        Example(
            "static PyMutex log_lock;\nstatic long lines_logged;\n"
            "static void log_line(int verbose) {\n"
            "    if (verbose) {\n        PyMutex_Lock(&log_lock);\n        lines_logged++;\n"
            "        PyMutex_Unlock(&log_lock);\n    }\n}\n",
            note="the test reads a local; the store under the lock is to something else",
        ),
    ]

    @classmethod
    def check(cls, unit):
        for function in unit.functions:
            if function.init_only or function.caller_holds_lock:
                continue
            body_text = unit.node_text(function.body)
            if ACQUIRE.search(body_text) is None:
                continue  # cheap exit: most functions take no lock at all
            for node in unit.walk(function.body):
                if node.type == "if_statement":
                    yield from cls._check_if(unit, function, node)

    @classmethod
    def _tested_targets(cls, unit, function, condition: str) -> list[tuple[str, str]]:
        """What the condition reads that other threads can change, with why it is shared."""
        targets: list[tuple[str, str]] = []
        for match in _FIELD_CHAIN.finditer(condition):
            chain = re.sub(r"\s+", "", match.group(1))
            owner = chain.split("->")[0]
            if owner in function.state_pointers:
                targets.append((chain, f"`{owner}` is the module state, one per interpreter"))
            elif owner in function.parameters or unit.resolve(owner, function) is not None:
                targets.append((chain, f"`{owner}` comes from outside the function"))
        fields_text = _FIELD_CHAIN.sub(" ", condition)
        for match in _IDENTIFIER.finditer(fields_text):
            variable = unit.resolve(match.group(1), function)
            if variable is not None and variable.mutable:
                targets.append((variable.name, f"`{variable.name}` is static, one copy for every thread"))
        return targets

    @classmethod
    def _check_if(cls, unit, function, node):
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        if condition is None or consequence is None:
            return
        if unit.is_protected(node, function) or unit.in_gil_only_branch(node):
            return
        condition_text = _blank_comments(unit.node_text(condition))
        targets = cls._tested_targets(unit, function, condition_text)
        if not targets:
            return
        block = _blank_comments(unit.node_text(consequence))
        acquire = ACQUIRE.search(block)
        if acquire is None:
            return
        locked = block[acquire.end() :]
        for target, evidence in targets:
            store = re.search(_store(target), locked)
            if store is None:
                continue
            pattern = re.escape(target).replace("\\-\\>", r"\s*->\s*")
            retest = re.search(rf"\b(?:if|while)\s*\([^;{{]*(?<![\w>.]){pattern}\b", locked[: store.start()])
            if retest is not None:
                continue
            offset = consequence.start_byte + acquire.end() + store.start()
            if not unit.is_protected(_Offset(offset), function):
                continue  # the store is after the unlock: a different rule's business
            block_start = consequence.start_point[0] + 1
            lock_line = block_start + block[: acquire.start()].count("\n")
            store_line = block_start + block[: acquire.end() + store.start()].count("\n")
            yield cls.finding(
                f"`{target}` is tested here in {function.name}() without the lock that line {lock_line} "
                "takes; "
                f"the block then stores to it on line {store_line} without testing it again, so two threads "
                f"can both pass the test and both run the block ({evidence}; the lock around the store says "
                "other threads use it)",
                unit.location(condition),
            )
            return  # one finding per `if`, at the test the fix moves under the lock


class _Offset:
    """A stand-in node for ``is_protected``, which only reads ``start_byte``."""

    def __init__(self, start_byte: int) -> None:
        self.start_byte = start_byte
