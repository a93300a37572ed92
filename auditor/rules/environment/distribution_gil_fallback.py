"""FTE003: an installed distribution makes the interpreter fall back to the GIL."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Distribution, Finding, PackageWheelStatus, Severity, Verdict
from ..registry import Example, Rule, register
from ._origin import origin_location


@register
class DistributionGilFallback(Rule):
    """A dependency loads on the free-threaded build but switches the GIL back on.

    Its extension modules do not declare ``Py_MOD_GIL_NOT_USED`` (a missing
    ``Py_mod_gil`` slot counts as ``Py_MOD_GIL_USED``, Objects/moduleobject.c), so the
    first import re-enables the GIL for every thread of the process. The environment
    works, but it no longer runs free-threaded.
    """

    code = "FTE003"
    name = "distribution-gil-fallback"
    category = "environment"
    severity = Severity.ERROR
    summary = "a distribution re-enables the GIL when imported"
    fix = (
        "Upgrade to a release that declares Py_mod_gil (`ftaudit tree` finds it), ask upstream to "
        "declare it, or exempt the distribution in [tool.ftaudit] while it is being fixed."
    )
    invalid = [
        Example(
            '[[package]]\nname = "PyYAML"\nversion = "6.0.2"\nstatus = "ready"\ngil_fallback = true\n'
            'gil_fallback_modules = ["yaml._yaml"]\n',
            language="environment",
            note="before install: the target wheel, read by `ftaudit tree --inspect-wheels`",
        ),
        Example(
            '[[distribution]]\nname = "PyYAML"\nversion = "6.0.2"\nverdict = "gil-fallback"\n',
            language="environment",
        ),
    ]
    valid = [
        Example(
            '[[distribution]]\nname = "numpy"\nversion = "2.3.1"\nverdict = "ready"\n', language="environment"
        )
    ]

    @classmethod
    def check(cls, distribution: Distribution) -> Iterator[Finding]:
        if distribution.verdict is Verdict.GIL_FALLBACK:
            yield cls.finding(
                f"{distribution.name} {distribution.version} falls back to the GIL: {distribution.reason}",
                distribution=distribution.name,
                evidence=[
                    f"{extension.module}: {extension.gil.value} ({extension.gil_declared_by.value})"
                    for extension in distribution.extensions
                    if extension.gil.value != "not-used"
                ],
            )

    @classmethod
    def check_package(cls, package: PackageWheelStatus, target: str) -> Iterator[Finding]:
        """Before install: the target wheel that ``ftaudit tree --inspect-wheels`` read."""
        if package.gil_fallback:
            modules = ", ".join(package.gil_fallback_modules) or "its extension modules"
            yield cls.finding(
                f"{package.name} {package.version or ''}: the {target} wheel installs, but {modules} "
                f"re-enable the GIL on import",
                origin_location(package.origin),
                distribution=package.name,
                evidence=[f"inspected {package.inspected_wheel}"] if package.inspected_wheel else [],
            )
