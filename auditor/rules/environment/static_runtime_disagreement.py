"""FTE006: the static GIL verdict of an extension disagrees with what the probe saw."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Distribution, Finding, GilDeclaration, Location, Severity
from ..registry import Example, Rule, register


@register
class StaticRuntimeDisagreement(Rule):
    """The binary says one thing about the GIL and the interpreter did another.

    The static reading (``Py_mod_gil`` slot, ``PyUnstable_Module_SetGIL`` argument) is
    what lets ftaudit judge environments it may not import; when the probe shows the
    opposite, either the module decides at run time in a way the reader does not follow
    (a generator's init code it does not know) or the binary is unusual. Either way the
    static verdict for this module cannot be trusted, and the runtime answer is the one
    that holds for this build. Reported so the disagreement is never hidden in a column.
    """

    code = "FTE006"
    name = "static-runtime-disagreement"
    category = "environment"
    severity = Severity.WARNING
    summary = "the static GIL verdict of an extension module disagrees with the runtime probe"
    fix = (
        "Trust the probe for this module; report the binary (with `ftaudit scan --format json` output) "
        "so the static reader can learn its pattern."
    )
    invalid = [
        Example(
            '[[distribution]]\nname = "oddpkg"\nversion = "1.0"\nverdict = "ready"\n'
            '[[distribution.extension]]\nmodule = "oddpkg._core"\ngil = "not-used"\n'
            'runtime_gil = "enabled"\n',
            language="environment",
        )
    ]
    valid = [
        Example(
            '[[distribution]]\nname = "numpy"\nversion = "2.3.1"\nverdict = "ready"\n'
            '[[distribution.extension]]\nmodule = "numpy._core._multiarray_umath"\ngil = "not-used"\n'
            'runtime_gil = "disabled"\n',
            language="environment",
        )
    ]

    @classmethod
    def check(cls, distribution: Distribution) -> Iterator[Finding]:
        for extension in distribution.extensions:
            # An undecided static verdict is not a disagreement: the probe simply decided it.
            if extension.agrees_with_runtime is False and extension.gil is not GilDeclaration.UNKNOWN:
                yield cls.finding(
                    f"{extension.module} ({distribution.name} {distribution.version}): static GIL "
                    f"{extension.gil.value}, but the GIL was {extension.runtime_gil.value} "
                    "after importing it",
                    Location(path=extension.path),
                    distribution=distribution.name,
                    module=extension.module,
                    evidence=[
                        item
                        for item in (
                            extension.gil_evidence,
                            extension.runtime_warning,
                            extension.runtime_detail,
                        )
                        if item
                    ],
                )
