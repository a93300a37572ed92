"""JSON: the faithful dump of the result model, with its schema version."""

from __future__ import annotations

from ..model.report import AuditReport
from ..model.serialize import dumps
from .interface import Reporter, register_reporter


@register_reporter
class JsonReporter(Reporter):
    name = "json"
    file_extension = ".json"
    description = "the whole result model as JSON (schema: docs/json-schema.md)"

    def render(self, report: AuditReport) -> str:
        return dumps(report) + "\n"
