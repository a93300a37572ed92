"""FTE002: the GIL is enabled after the project's own modules are imported."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ...model.finding import Finding, Location, Severity
from ..registry import Example, Rule, register

if TYPE_CHECKING:
    from ...model.interpreter import InterpreterFacts


@register
class GilEnabledAfterImport(Rule):
    """Importing the project turned the GIL back on, so it runs as if on a GIL build.

    On a free-threaded build the GIL starts disabled, but importing any extension module
    that does not declare ``Py_mod_gil = Py_MOD_GIL_NOT_USED`` enables it for the whole
    process (``_PyImport_CheckGILForModule`` in Python/import.c; it prints a
    RuntimeWarning naming the module). One such dependency silently removes all
    parallelism, and tests stop exercising free-threading. ``sys._is_gil_enabled()``
    (3.13+) says whether it happened; the warning says who did it.
    """

    code = "FTE002"
    name = "gil-enabled-after-import"
    category = "environment"
    severity = Severity.ERROR
    summary = "the GIL is enabled after importing the project's modules"
    fix = (
        "Find the module named in the finding (or run `ftaudit probe`), upgrade it to a release that "
        "declares Py_mod_gil, or ask upstream to; do not hide it with PYTHON_GIL=0 before it is audited."
    )
    references = [
        "https://docs.python.org/3/howto/free-threading-python.html#the-global-interpreter-lock-in-free-threaded-python"
    ]
    invalid = [
        Example(
            "[interpreter]\nfree_threaded = true\ngil_enabled_after_import = true\n"
            'imported = ["myproject"]\nenabled_by = ["yaml._yaml"]\n',
            language="environment",
        )
    ]
    valid = [
        Example(
            "[interpreter]\nfree_threaded = true\ngil_enabled_after_import = false\n"
            'imported = ["myproject"]\n',
            language="environment",
        )
    ]

    @classmethod
    def check(cls, facts: InterpreterFacts) -> Iterator[Finding]:
        if facts.free_threaded and facts.gil_enabled_after_import:
            culprits = ", ".join(facts.enabled_by) if facts.enabled_by else "an unnamed extension module"
            yield cls.finding(
                f"the GIL is enabled after importing {', '.join(facts.imported) or 'the project'} "
                f"(re-enabled by {culprits})",
                Location(path=facts.project_file) if facts.project_file else None,
                evidence=list(facts.warnings),
            )
