"""A baseline: the findings a project has looked at and accepted, so only new ones fail.

The file is JSON, keyed by :attr:`Finding.fingerprint` (rule, file, symbol and the
trimmed source line, never the line number), so editing code above an accepted finding
does not make it look new. Each entry also stores the rule, path, line and message as
read at the time, for a human reading the file in review; only the fingerprint counts.

Counts matter: if a file had two identical accepted lines and now has three, one of the
three is new. :func:`baseline_consumer` is where that count is kept, for
:func:`apply_baseline` and for the gate alike.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..model.finding import Finding

BASELINE_FORMAT = "ftaudit-baseline"
BASELINE_VERSION = 1


class BaselineLike(Protocol):
    """Anything that says whether a finding was accepted; :class:`Baseline` also has counts."""

    def accepts(self, finding: Finding) -> bool: ...


class BaselineError(Exception):
    """The baseline file is missing, not JSON, or not an ftaudit baseline."""


@dataclass
class Baseline:
    # fingerprint -> how many findings with that fingerprint were accepted
    accepted: Counter[str] = field(default_factory=Counter)
    path: str | None = None

    def accepts(self, finding: Finding) -> bool:
        """True if a finding with this fingerprint was accepted (does not consume it)."""
        return self.accepted.get(finding.fingerprint, 0) > 0

    def __len__(self) -> int:
        return sum(self.accepted.values())


def write_baseline(path: Path, findings: Iterable[Finding]) -> int:
    """Write every unsuppressed finding as accepted; return how many were written."""
    entries = []
    for finding in findings:
        if finding.suppressed:
            continue
        location = finding.location
        entries.append(
            {
                "fingerprint": finding.fingerprint,
                "rule": finding.rule,
                "path": location.path if location else None,
                "line": location.line if location else None,
                "snippet": location.snippet if location else None,
                "message": finding.message,
            }
        )
    entries.sort(key=lambda entry: (entry["path"] or "", entry["line"] or 0, entry["rule"]))
    document = {"format": BASELINE_FORMAT, "version": BASELINE_VERSION, "findings": entries}
    Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return len(entries)


def load_baseline(path: Path) -> Baseline:
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {error.strerror or error}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BaselineError(f"baseline {path} is not JSON: {error}") from None
    if not isinstance(document, dict) or document.get("format") != BASELINE_FORMAT:
        raise BaselineError(f"{path} is not an ftaudit baseline (write one with --write-baseline)")
    if document.get("version") != BASELINE_VERSION:
        raise BaselineError(f"{path}: baseline version {document.get('version')!r} is not supported")
    accepted: Counter[str] = Counter()
    for entry in document.get("findings", []):
        if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str):
            accepted[entry["fingerprint"]] += 1
    return Baseline(accepted=accepted, path=str(path))


def baseline_consumer(baseline: BaselineLike) -> Callable[[Finding], bool]:
    """A ``take(finding)`` that says whether ``baseline`` accepts one more copy of it.

    Each accepted entry covers one finding, so of three identical findings, two accepted
    lines cover two and the third is new. A baseline without counts (any object with
    ``accepts``) is asked every time.
    """
    remaining = Counter(getattr(baseline, "accepted", None) or {})
    if not remaining:
        return baseline.accepts

    def take(finding: Finding) -> bool:
        if remaining[finding.fingerprint] <= 0:
            return False
        remaining[finding.fingerprint] -= 1
        return True

    return take


def apply_baseline(findings: Iterable[Finding], baseline: Baseline) -> list[Finding]:
    """Mark findings the baseline accepts as suppressed (reason "baseline"); return all."""
    take = baseline_consumer(baseline)
    result = []
    for finding in findings:
        if not finding.suppressed and take(finding):
            finding.suppressed = True
            finding.suppression_reason = "baseline"
        result.append(finding)
    return result
