"""Judge one extension binary: the reader's facts, then every FTB rule over them.

The binary counterpart of :mod:`.source_checks`. It never raises for a bad file (the
reader records what it could not read). Findings are returned for every binary rule,
unsuppressed; selection, suppressions and baselines are the caller's.
"""

from __future__ import annotations

from pathlib import Path

from ..collectors.binary import BinaryFacts, read_extension
from ..model.environment import ExtensionModule
from ..model.finding import Finding
from ..rules.registry import all_rules


def binary_findings(facts: BinaryFacts, *, distribution: str | None = None) -> list[Finding]:
    """Every binary rule's findings over one module's facts, in rule-code order."""
    findings: list[Finding] = []
    for rule in all_rules("binary"):
        for finding in rule.check(facts):
            finding.distribution = distribution
            findings.append(finding)
    return findings


def analyse_extension(
    path: Path,
    site_packages: Path,
    target: str = "3.13t",
    *,
    distribution: str | None = None,
    platform: str | None = None,
) -> tuple[ExtensionModule, list[Finding]]:
    """Read one extension module for ``target`` and judge it: (the module, its FTB findings).

    ``platform`` and what goes wrong with the file are as in
    :func:`auditor.collectors.binary.read_extension`.
    """
    facts = read_extension(path, site_packages, target, platform=platform)
    return facts.extension, binary_findings(facts, distribution=distribution)
