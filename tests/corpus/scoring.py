"""Score the source rules on the labelled corpus of real pre-fix files.

Each file in ``manifest.json`` is an upstream file at the parent of a thread-safety fix;
its labels are the racing statements that fix changed, written from the diff before any
rule was run. A label counts as found when a finding starts within ``TOLERANCE`` lines
of it (a check-then-act finding sits on the check or the act, a macro-wrapped statement
may be reported a line off). Precision is judged where the fix tells us the truth: a
finding within ``WINDOW`` lines of some label either matches one or is a false alarm;
findings further away are about code the fix said nothing about and are not counted
either way (real files have other hazards nobody fixed yet).

Shared by ``tests/test_source_corpus.py`` (which asserts floors) and
``benchmarks/source_rules_corpus.py`` (which prints the figures).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
TOLERANCE = 2
WINDOW = 15


@dataclass
class GroupScore:
    labels: int = 0
    found: int = 0
    judged_findings: int = 0
    true_findings: int = 0
    missed: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.labels if self.labels else 1.0

    @property
    def precision(self) -> float:
        return self.true_findings / self.judged_findings if self.judged_findings else 1.0


def load_manifest() -> list[dict]:
    """Every labelled file: ``manifest.json`` first, then each ``manifest-*.json`` batch by name.

    Batches live in files of their own so that two people labelling at once never edit
    the same file.
    """
    manifests = [CORPUS / "manifest.json", *sorted(CORPUS.glob("manifest-*.json"))]
    entries: list[dict] = []
    for manifest in manifests:
        entries.extend(json.loads(manifest.read_text(encoding="utf-8"))["files"])
    return entries


def score_corpus(batch: str | None = None) -> dict[str, GroupScore]:
    """Score every file, or only those a given labelling batch added (``"added"`` in the manifest).

    Files without ``"added"`` are the first batch ("original"). Scoring a batch alone gives the
    held-out figure for the rules as they stood when that batch was labelled.
    """
    from auditor.engine.source_checks import check_bytes, language_for

    scores: dict[str, GroupScore] = {}
    for entry in load_manifest():
        if batch is not None and entry.get("added", "original") != batch:
            continue
        path = CORPUS / entry["file"]
        language = language_for(Path(entry["path"]))
        outcome = check_bytes(entry["path"], path.read_bytes(), language)
        if outcome.problem:
            raise AssertionError(f"{entry['file']}: {outcome.problem}")
        score = scores.setdefault(entry["group"], GroupScore())
        label_lines = [label["line"] for label in entry["labels"]]
        finding_lines = [(finding.location.line, finding.rule) for finding in outcome.findings]
        for label in entry["labels"]:
            score.labels += 1
            if any(abs(line - label["line"]) <= TOLERANCE for line, _ in finding_lines):
                score.found += 1
            else:
                score.missed.append(f"{entry['file']}:{label['line']} {label['kind']}")
        for line, rule in finding_lines:
            if not any(abs(line - label_line) <= WINDOW for label_line in label_lines):
                continue
            score.judged_findings += 1
            if any(abs(line - label_line) <= TOLERANCE for label_line in label_lines):
                score.true_findings += 1
            else:
                score.false_alarms.append(f"{entry['file']}:{line} {rule}")
    return scores
