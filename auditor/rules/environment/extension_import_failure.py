"""FTE005: the probe could not import an extension module on the target interpreter."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Distribution, Finding, Location, RuntimeGil, Severity
from ..registry import Example, Rule, register

_FAILED = (RuntimeGil.IMPORT_ERROR, RuntimeGil.CRASH, RuntimeGil.TIMEOUT)


@register
class ExtensionImportFailure(Rule):
    """Importing the module alone in a fresh free-threaded interpreter failed.

    The binary may look right (the right ABI tag, a Py_mod_gil slot) and still not
    load: a missing shared library, a symbol the free-threaded build does not export
    (``_Py_RefTotal``-style internals, the non-limited ``ob_refcnt`` layout changed in
    PEP 703 "Reference counting"), or a crash in module initialisation. Only the probe
    (``ftaudit probe``) sees this; a distribution that cannot be imported cannot be used.
    """

    code = "FTE005"
    name = "extension-import-failure"
    category = "environment"
    severity = Severity.ERROR
    summary = "an extension module failed to import (or crashed) on the target interpreter"
    fix = (
        "Read the probe detail in the finding; rebuild the distribution for the target or install a "
        "release that supports it."
    )
    invalid = [
        Example(
            '[[distribution]]\nname = "lxml"\nversion = "5.2.2"\nverdict = "needs-build"\n'
            '[[distribution.extension]]\nmodule = "lxml.etree"\nruntime_gil = "import-error"\n',
            language="environment",
        )
    ]
    valid = [
        Example(
            '[[distribution]]\nname = "numpy"\nversion = "2.3.1"\nverdict = "ready"\n'
            '[[distribution.extension]]\nmodule = "numpy._core._multiarray_umath"\n'
            'runtime_gil = "disabled"\n',
            language="environment",
        )
    ]

    @classmethod
    def check(cls, distribution: Distribution) -> Iterator[Finding]:
        for extension in distribution.extensions:
            if extension.runtime_gil in _FAILED:
                yield cls.finding(
                    f"{extension.module} ({distribution.name} {distribution.version}) did not import on the "
                    f"target: {extension.runtime_gil.value}",
                    Location(path=extension.path),
                    distribution=distribution.name,
                    module=extension.module,
                    evidence=[item for item in (extension.runtime_detail, extension.runtime_warning) if item],
                )
