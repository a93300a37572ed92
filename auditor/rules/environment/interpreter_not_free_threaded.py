"""FTE001: the interpreter the check runs against is not a free-threaded build."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...model.finding import Finding, Location, Severity
from ..registry import Example, Rule, register

if TYPE_CHECKING:
    from ...model.interpreter import InterpreterFacts


@register
class InterpreterNotFreeThreaded(Rule):
    """The check ran against a build with the GIL, so it proves nothing about free-threading.

    A CI matrix entry spelled ``3.13`` instead of ``3.13t``, a ``setup-python`` action
    that ignored the ``t`` suffix, or a virtual environment created from the wrong
    ``python3`` all give an interpreter where ``sysconfig.get_config_var("Py_GIL_DISABLED")``
    is 0. Every test then passes with the GIL serialising the threads, which is exactly
    the condition a free-threading audit exists to remove (PEP 703, "Build
    configuration changes").
    """

    code = "FTE001"
    name = "interpreter-not-free-threaded"
    category = "environment"
    severity = Severity.ERROR
    summary = "the target interpreter is not a free-threaded build (Py_GIL_DISABLED is not set)"
    fix = (
        "Run the job on a free-threaded interpreter: python3.13t (actions/setup-python with "
        "'3.13t', uv python install 3.13t, or `ftaudit provision`)."
    )
    references = ["https://peps.python.org/pep-0703/#build-configuration-changes"]
    invalid = [
        Example(
            '[interpreter]\nexecutable = "/usr/bin/python3.13"\nfree_threaded = false\n',
            language="environment",
            note="a GIL build",
        )
    ]
    valid = [
        Example(
            '[interpreter]\nexecutable = "/opt/python3.13t"\nfree_threaded = true\n', language="environment"
        )
    ]

    @classmethod
    def check(cls, facts: InterpreterFacts) -> Iterator[Finding]:
        if facts.free_threaded is False:
            yield cls.finding(
                f"{facts.executable} ({facts.version or 'unknown version'}) is not a free-threaded build: "
                f"Py_GIL_DISABLED is not set, so the GIL serialises every thread",
                Location(path=facts.project_file) if facts.project_file else None,
                evidence=[f"sysconfig Py_GIL_DISABLED = {facts.py_gil_disabled!r}"],
            )
