"""FTR: what the thread hammer harness (``ftaudit hammer``) and ThreadSanitizer observe.

Runtime rules are not matched against text: each one names an outcome of hammering a
sample. Each rule module holds one class derived from :class:`RuntimeRule`; ``check``
receives the :class:`~auditor.collectors.harness.trial_facts.TrialFacts` of one sample
(its runs on the free-threaded target and the GIL baseline, and their classification)
and yields findings. The engine (:mod:`auditor.engine.runtime_checks`) runs them all.

Their examples are sample folders (``language="sample"``), hammered by the tests on the
real interpreters with the settings :meth:`RuntimeRule.hammer_settings` reads from the
example.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any, ClassVar

from ...collectors.harness.trial_facts import TrialFacts
from ...model.finding import Finding
from ..registry import Example, Rule

# Samples under tests/harness_samples/ misbehave on purpose (crash, hang, re-enable the
# GIL): one short run on the target shows it, a baseline would only take time.
_MISBEHAVING_SAMPLES = "harness_samples"


class RuntimeRule(Rule):
    category: ClassVar[str] = "runtime"

    @classmethod
    def check(cls, trial: TrialFacts) -> Iterable[Finding]:  # pragma: no cover - every rule overrides it
        raise NotImplementedError

    @classmethod
    def hammer_settings(cls, example: Example) -> dict[str, Any]:
        """How to hammer this example's sample so that it shows (or not) what the rule flags,
        read from the example's note (``--no-baseline``, ``--tsan``) and from where the
        sample lives: ``baseline`` (run the GIL build too), ``tsan`` (on the
        ThreadSanitizer interpreter), and :func:`auditor.hammer`'s ``iterations``,
        ``budget`` and ``trial_timeout``."""
        settings: dict[str, Any] = {}
        if "--no-baseline" in example.note:
            settings["baseline"] = False
        if "--tsan" in example.note:
            settings.update(tsan=True, baseline=False, iterations=2000, budget=4.0)
        if PurePosixPath(example.code).parent.name == _MISBEHAVING_SAMPLES:
            settings.update(baseline=False, trial_timeout=2.0, budget=3.0)
        return settings
