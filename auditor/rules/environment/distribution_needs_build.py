"""FTE004: an installed distribution ships no binary the target interpreter can load."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Distribution, Finding, PackageWheelStatus, Severity, Verdict
from ..registry import Example, Rule, register
from ._origin import origin_location


@register
class DistributionNeedsBuild(Rule):
    """A dependency's extension modules were built for another ABI.

    A free-threaded interpreter only loads extensions built for its own ABI
    (``cp313t``; PEP 703 "ABI compatibility": the ``t`` ABI tag and the
    ``.cpython-313t-*.so`` suffix): a ``cp313`` or ``abi3`` binary is not even
    looked for, so the import fails with ModuleNotFoundError or ImportError.
    """

    code = "FTE004"
    name = "distribution-needs-build"
    category = "environment"
    severity = Severity.ERROR
    summary = "a distribution ships no extension binary the target interpreter can load"
    fix = (
        "Install a release with wheels for the target (`ftaudit tree` names the first one), or build "
        "it from source for the free-threaded ABI (pip install --no-binary NAME NAME)."
    )
    references = ["https://peps.python.org/pep-0703/#abi-compatibility"]
    invalid = [
        Example(
            '[[package]]\nname = "pyarrow"\nversion = "16.1.0"\nstatus = "needs-build"\n'
            'origin = "requirements.txt:3"\n',
            language="environment",
            note="before install: `ftaudit tree` found no target wheel on the index",
        ),
        Example(
            '[[distribution]]\nname = "lxml"\nversion = "5.2.2"\nverdict = "needs-build"\n',
            language="environment",
        ),
    ]
    valid = [
        Example(
            '[[distribution]]\nname = "requests"\nversion = "2.32.4"\nverdict = "pure"\n',
            language="environment",
        )
    ]

    @classmethod
    def check(cls, distribution: Distribution) -> Iterator[Finding]:
        if distribution.verdict is Verdict.NEEDS_BUILD:
            yield cls.finding(
                f"{distribution.name} {distribution.version} cannot load on the target: "
                f"{distribution.reason}",
                distribution=distribution.name,
                evidence=[
                    f"{extension.path}: ABI {extension.abi}"
                    for extension in distribution.extensions
                    if extension.loadable_on_target is not True
                ],
            )

    @classmethod
    def check_package(cls, package: PackageWheelStatus, target: str) -> Iterator[Finding]:
        """Before install: ``ftaudit tree`` found no wheel for the target on the index."""
        if package.status == Verdict.NEEDS_BUILD.value:
            upgrade = (
                f"; {package.first_ready_version} is the first release with one"
                if package.first_ready_version
                else ""
            )
            yield cls.finding(
                f"{package.name} {package.version or ''} has no {target} wheel on the index{upgrade}",
                origin_location(package.origin),
                distribution=package.name,
                evidence=[package.reason] if package.reason else [],
            )
