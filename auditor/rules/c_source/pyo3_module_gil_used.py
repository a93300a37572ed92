"""FTC010: a PyO3 #[pymodule] that does not say gil_used = false."""

from __future__ import annotations

import re

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

# `#[pymodule]`, `#[pymodule(...)]`, `#[pyo3::pymodule(...)]`; attribute options are
# comma-separated `key = value` pairs (PyO3 0.23 added `gil_used`).
_PYMODULE_ATTRIBUTE = re.compile(r"#\s*\[\s*(?:pyo3\s*::\s*)?pymodule\b\s*(\((?P<options>[^\]]*)\))?\s*\]")
_GIL_USED_FALSE = re.compile(r"\bgil_used\s*=\s*false\b")
# The builder form on the module object (PyModule::gil_used, PyO3 >= 0.23).
_RUNTIME_DECLARATION = re.compile(r"\.\s*gil_used\s*\(\s*false\s*\)")


@register
class Pyo3ModuleGilUsed(CSourceRule):
    """PyO3 modules declare free-threading support explicitly.

    Since PyO3 0.23, ``#[pymodule(gil_used = false)]`` (or ``module.gil_used(false)?``
    inside the init function) makes the module declare ``Py_MOD_GIL_NOT_USED``; PyO3's
    default is ``gil_used = true``, so an unmarked module re-enables the GIL when a
    free-threaded interpreter imports it. Rust code is read at the token level (comments
    and strings masked), since only the attribute matters here.
    """

    code = "FTC010"
    name = "pyo3-module-gil-used"
    severity = Severity.WARNING
    summary = "PyO3 #[pymodule] without gil_used = false (the GIL is re-enabled on import)"
    fix = "Write #[pymodule(gil_used = false)] (PyO3 >= 0.23) once the module's Rust code is audited."
    references = ["https://pyo3.rs/latest/free-threading.html"]
    languages = frozenset({"rust"})
    invalid = [
        Example(
            "use pyo3::prelude::*;\n\n#[pymodule]\nfn demo(m: &Bound<'_, PyModule>) -> PyResult<()> {\n"
            "    Ok(())\n}\n",
            language="rust",
            filename="lib.rs",
        ),
        Example(
            'use pyo3::prelude::*;\n\n#[pymodule(name = "demo")]\nmod demo {\n}\n',
            language="rust",
            filename="lib.rs",
        ),
    ]
    valid = [
        Example(
            "use pyo3::prelude::*;\n\n#[pymodule(gil_used = false)]\n"
            "fn demo(m: &Bound<'_, PyModule>) -> PyResult<()> {\n"
            "    Ok(())\n}\n",
            language="rust",
            filename="lib.rs",
        ),
        Example(
            "use pyo3::prelude::*;\n\n#[pymodule]\nfn demo(m: &Bound<'_, PyModule>) -> PyResult<()> {\n"
            "    m.gil_used(false)?;\n    Ok(())\n}\n",
            language="rust",
            filename="lib.rs",
        ),
        Example("// #[pymodule]\nfn helper() {}\n", language="rust", filename="lib.rs", note="commented out"),
    ]

    @classmethod
    def check(cls, unit):
        matches = list(_PYMODULE_ATTRIBUTE.finditer(unit.code))
        for index, match in enumerate(matches):
            options = match.group("options") or ""
            if _GIL_USED_FALSE.search(options):
                continue
            # The item the attribute decorates runs to the next #[pymodule] (or the end).
            item_end = matches[index + 1].start() if index + 1 < len(matches) else len(unit.code)
            if _RUNTIME_DECLARATION.search(unit.code, match.end(), item_end):
                continue
            yield cls.finding(
                "#[pymodule] does not set gil_used = false: importing it on free-threaded Python "
                "re-enables the GIL",
                unit.location(match.start()),
            )
