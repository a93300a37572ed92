"""Judge one hammered sample: every FTR rule over what its trials showed.

The runtime counterpart of :mod:`.source_checks` and :mod:`.binary_checks`: findings of
every runtime rule, unsuppressed; selection, suppressions and baselines are the caller's.
"""

from __future__ import annotations

from ..collectors.harness.sample import Sample
from ..collectors.harness.trial_facts import TrialFacts
from ..model.finding import Finding
from ..model.harness import InterpreterRun
from ..rules.registry import all_rules


def trial_findings(trial: TrialFacts) -> list[Finding]:
    """Every runtime rule's findings over one sample's trials, in rule-code order."""
    return [finding for rule in all_rules("runtime") for finding in rule.check(trial)]


def runtime_findings(
    sample: Sample, target: InterpreterRun | None, baseline: InterpreterRun | None, classification: str | None
) -> list[Finding]:
    """The findings of one sample's runs on the target and the baseline."""
    return trial_findings(TrialFacts(sample, target, baseline, classification))
