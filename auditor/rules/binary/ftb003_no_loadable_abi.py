from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import BinaryRule
from ._examples import MULTI_PHASE_NOT_USED


@register
class NoLoadableAbi(BinaryRule):
    """The binary is built for an ABI the target interpreter does not import.

    A ``cpython-313`` (GIL) file is not even looked at by 3.13t's importer, whose
    suffixes are ``.cpython-313t-<platform>.so``, ``.abi3.so`` and ``.so``
    (``_PyImport_DynLoadFiletab``). An ``abi3`` file is found but is the GIL ABI: the
    free-threaded build supports no limited API (gh-111506), so loading it is undefined
    behaviour. Either way the package needs a build for the target.
    """

    code = "FTB003"
    name = "no-loadable-abi"
    severity = Severity.ERROR
    summary = "the extension is built for an ABI the target interpreter cannot load"
    fix = "install a wheel built for the target (cp313t for 3.13t), or build the package from source with it"
    references = ["https://peps.python.org/pep-0703/#build-configuration-changes"]
    invalid = [
        Example(
            MULTI_PHASE_NOT_USED,
            filename="example.cpython-313-x86_64-linux-gnu.so",
            note="a GIL build installed into a free-threaded environment",
        )
    ]
    valid = [Example(MULTI_PHASE_NOT_USED, filename="example.cpython-313t-x86_64-linux-gnu.so")]

    @classmethod
    def check(cls, facts):
        verdict = facts.loadability
        if verdict is not None and verdict.loadable is False:
            yield cls.module_finding(facts, f"{facts.extension.module}: {verdict.reason}", [verdict.reason])
