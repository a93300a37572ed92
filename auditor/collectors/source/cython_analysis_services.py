"""What the Cython function walker and shared-instance reader ask of the module analysis.

:mod:`.cython_analysis` builds :mod:`.cython_function_walker` and
:mod:`.cython_shared_instances` and hands itself in; they name this protocol rather
than :class:`~.cython_analysis.CythonModuleAnalysis`, so the imports point one way
even for the type checker.
"""

from __future__ import annotations

from typing import Protocol


class CythonAnalysisServices(Protocol):
    events: list
    module_names: dict
    classes: dict
    global_reads: list
    guarded_fields: dict[str, str]
    _locked_container_mutations: set[str]

    def module_state(self, name: str, scope: object) -> object | None: ...

    def module_instance_of(self, class_name: str) -> tuple[str, str, int] | None: ...

    def attribute_calls_outside(self, class_node: object) -> set[str]: ...

    def is_lock_expression(self, node: object) -> bool: ...
