"""FTC007: a Cython module without the freethreading_compatible directive."""

from __future__ import annotations

import re

from ...model.finding import Location, Severity
from ..registry import Example, register
from . import CSourceRule

_DIRECTIVE = re.compile(r"\bfreethreading_compatible\s*=\s*(?P<value>\w+)", re.IGNORECASE)


@register
class CythonFreethreadingDirective(CSourceRule):
    """Cython (3.1+) declares Py_MOD_GIL_NOT_USED only when told to.

    A module compiled without ``freethreading_compatible=True`` re-enables the GIL when
    imported on free-threaded Python. The directive can be a header comment
    (``# cython: freethreading_compatible=True``) or a compiler directive in the build
    (``cythonize(..., compiler_directives={"freethreading_compatible": True})`` or
    ``-X freethreading_compatible=True`` in setup.py, pyproject.toml or meson.build); the
    engine drops this finding when the scanned tree's build files set it. The ``.pyx``
    text is read at the token level (strings masked): there is no maintained Cython
    parser outside Cython itself, and only the header matters here.
    """

    code = "FTC007"
    name = "cython-freethreading-directive"
    severity = Severity.WARNING
    summary = "Cython module without the freethreading_compatible directive (the GIL is re-enabled on import)"
    fix = (
        "Add `# cython: freethreading_compatible=True` at the top of the .pyx (Cython >= 3.1), or pass "
        "compiler_directives={'freethreading_compatible': True} in the build, once the code is audited."
    )
    references = ["https://cython.readthedocs.io/en/latest/src/userguide/freethreading.html"]
    languages = frozenset({"cython"})
    invalid = [
        Example(
            "# cython: language_level=3\n\ndef add(int a, int b):\n    return a + b\n",
            language="cython",
            filename="fastmath.pyx",
        ),
        Example(
            "# cython: freethreading_compatible=False\n\ndef add(int a, int b):\n    return a + b\n",
            language="cython",
            filename="fastmath.pyx",
        ),
    ]
    valid = [
        Example(
            "# cython: language_level=3, freethreading_compatible=True\n\ndef add(int a, int b):\n"
            "    return a + b\n",
            language="cython",
            filename="fastmath.pyx",
        ),
    ]

    @classmethod
    def check(cls, unit):
        if not unit.path.endswith(".pyx"):
            return  # .pxd / .pxi are included into a .pyx; the directive belongs there
        for _line, comment in unit.header_comments():
            if not re.match(r"#\s*cython\s*:", comment):
                continue
            match = _DIRECTIVE.search(comment)
            if match and match.group("value").lower() == "true":
                return
        yield cls.finding(
            "this Cython module does not declare freethreading_compatible=True: importing it on "
            "free-threaded Python re-enables the GIL",
            Location(path=unit.path, line=1, column=1, snippet=unit.lines[0].strip() if unit.lines else ""),
        )
