from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, Rule, register


@register
class AuditIncomplete(Rule):
    """A part of the audit that was asked for could not run (a missing interpreter, a
    sample folder that does not exist, a harness that failed to start).

    A report that silently leaves out a part looks like a clean bill of health; this
    finding makes the gap visible in every output format, and the CI gate can fail on
    it like on any other finding.
    """

    code = "FTE000"
    name = "audit-incomplete"
    category = "environment"
    severity = Severity.WARNING
    summary = "a requested part of the audit could not run; the result is partial"
    fix = "read the message, fix the cause (install or provision the interpreter, correct the path) and rerun"
    invalid = [
        Example(
            "ftaudit audit --samples does-not-exist/",
            language="shell",
            note="the sample folder is missing: reported, the scan still runs",
        )
    ]
    valid = [Example("ftaudit audit", language="shell")]
