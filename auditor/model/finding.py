"""The one finding type that every check produces and every reporter consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    """Ordered like SARIF's ``level``: error > warning > note."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


@dataclass
class Location:
    """Where a finding points: a source line, or a binary and one of its symbols."""

    path: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    snippet: str | None = None
    # For binary findings: the symbol (imported function, init function) involved.
    symbol: str | None = None


@dataclass
class Finding:
    rule: str  # the rule's stable code, e.g. "FTB001"
    message: str
    severity: Severity
    location: Location | None = None
    evidence: list[str] = field(default_factory=list)
    fix: str | None = None
    # Which distribution / extension module / sample the finding belongs to, if any.
    distribution: str | None = None
    module: str | None = None
    suppressed: bool = False
    suppression_reason: str | None = None

    def json_extras(self) -> dict[str, object]:
        """Flat keys for scripts and editors (``jq '.. | .code?, .path?, .line?'``):
        the rule code and where it points, duplicated from ``rule`` and ``location``."""
        location = self.location
        return {
            "code": self.rule,
            "path": location.path if location else None,
            "line": location.line if location else None,
            "column": location.column if location else None,
            "fingerprint": self.fingerprint,
        }

    @property
    def fingerprint(self) -> str:
        """Stable identity used by baselines and SARIF.

        Line numbers are left out on purpose: an unrelated edit above a finding must not
        make an accepted finding look new. The rule, the file, the symbol or the trimmed
        source line identify it instead.
        """
        location = self.location
        parts = [
            self.rule,
            self.distribution or "",
            self.module or "",
            location.path if location else "",
            (location.symbol or "") if location else "",
            " ".join((location.snippet or "").split()) if location else "",
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
