"""SARIF 2.1.0: findings for code-scanning UIs (GitHub, GitLab, Azure DevOps, IDEs).

The output validates against the OASIS 2.1.0 schema (the tests check it against the
schema file in ``fixtures/sarif/``). Choices that matter to consumers:

* ``tool.driver.rules`` lists every registered rule, so a UI can show the rationale
  and fix of a rule even for results it has not seen before; ``ruleIndex`` points into it.
* Paths are relative URIs with a ``uriBaseId``: ``%SRCROOT%`` for sources (GitHub's
  convention for "the checked-out repository") and one ``SITEPACKAGES<n>`` base per
  scanned site-packages folder, declared in ``originalUriBaseIds``. Binary findings
  point at the ``.so`` file itself; distribution-level findings at its METADATA.
* ``partialFingerprints`` carries :attr:`Finding.fingerprint`, which ignores line
  numbers, so code scanning tracks one alert across unrelated edits.
* Suppressed findings are kept, with a ``suppressions`` entry, so a UI shows them as
  dismissed with the reason rather than silently dropping them.
* A partial run says so: ``invocations[0].executionSuccessful`` is false and each item
  that could not be processed is a ``toolExecutionNotification``.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from urllib.parse import quote

from ..model import AuditReport, Finding, Location, Severity
from ..rules.registry import Rule, all_rules
from . import _summary
from .interface import Reporter, register_reporter

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
FINGERPRINT_KEY = "ftauditFingerprint/v1"
SOURCE_ROOT = "%SRCROOT%"


def _level(severity: Severity) -> str:
    # Our severities are named after SARIF's levels on purpose (model/finding.py).
    return severity.value


def _file_uri(path: str) -> str:
    uri = "file://" + quote(path if path.startswith("/") else "/" + path, safe="/:")
    return uri if uri.endswith("/") else uri + "/"


def _relative_uri(path: str) -> str:
    return quote(str(PurePosixPath(path.replace("\\", "/"))), safe="/")


def _rule_descriptor(rule: type[Rule]) -> dict:
    descriptor = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.rationale() or rule.summary},
        "help": {"text": rule.fix, "markdown": f"**Fix:** {rule.fix}"},
        "defaultConfiguration": {"level": _level(rule.severity)},
        "properties": {"category": rule.category, "tags": ["free-threading", "thread-safety", rule.category]},
    }
    if rule.references:
        descriptor["helpUri"] = rule.references[0]
    return descriptor


def _unregistered_descriptor(code: str, example: Finding) -> dict:
    # A finding from a merged document whose rule this ftaudit does not know (an older
    # or newer version wrote it): still describe it so ruleIndex stays valid.
    return {
        "id": code,
        "shortDescription": {"text": example.message},
        "defaultConfiguration": {"level": _level(example.severity)},
        "properties": {"tags": ["free-threading"]},
    }


@register_reporter
class SarifReporter(Reporter):
    name = "sarif"
    file_extension = ".sarif"
    description = "SARIF 2.1.0 for code scanning (GitHub, GitLab, IDEs)"

    def render(self, report: AuditReport) -> str:
        return json.dumps(self.to_sarif(report), indent=2) + "\n"

    def to_sarif(self, report: AuditReport) -> dict:
        findings = report.all_findings()
        descriptors = [_rule_descriptor(rule) for rule in all_rules()]
        known = {descriptor["id"] for descriptor in descriptors}
        for finding in findings:
            if finding.rule not in known:
                known.add(finding.rule)
                descriptors.append(_unregistered_descriptor(finding.rule, finding))
        rule_index = {descriptor["id"]: index for index, descriptor in enumerate(descriptors)}

        bases = self._site_packages_bases(report)
        distribution_homes = self._distribution_homes(report)
        results = [self._result(finding, rule_index, bases, distribution_homes) for finding in findings]

        warnings = _summary.partial_warnings(report)
        invocation = {
            "executionSuccessful": not warnings,
            "toolExecutionNotifications": [
                {"level": "warning", "message": {"text": warning}} for warning in warnings
            ],
        }
        if report.created:
            invocation["endTimeUtc"] = _utc(report.created)
        run: dict = {
            "tool": {
                "driver": {
                    "name": "ftaudit",
                    "version": report.tool_version or "0",
                    "rules": descriptors,
                }
            },
            "invocations": [invocation],
            "results": results,
            "columnKind": "unicodeCodePoints",
            "properties": {"target": report.target, "schemaVersion": report.schema_version},
        }
        if report.tool_version:
            run["tool"]["driver"]["semanticVersion"] = report.tool_version
        if bases:
            run["originalUriBaseIds"] = {
                base_id: {"uri": _file_uri(folder), "description": {"text": "a scanned site-packages folder"}}
                for folder, base_id in bases.items()
            }
        return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}

    @staticmethod
    def _site_packages_bases(report: AuditReport) -> dict[str, str]:
        folders: list[str] = []
        if report.scan:
            folders += report.scan.site_packages
            folders += [d.site_packages for d in report.scan.distributions]
        unique = list(dict.fromkeys(folder for folder in folders if folder))
        return {folder: f"SITEPACKAGES{index + 1}" for index, folder in enumerate(unique)}

    @staticmethod
    def _distribution_homes(report: AuditReport) -> dict[str, tuple[str, str, frozenset[str]]]:
        """distribution name -> (site-packages folder, metadata folder, the top-level
        names of its installed files): a relative path under one of those names is in
        site-packages; any other (a pyproject.toml line the gate pointed at) is in the
        project."""
        if not report.scan:
            return {}
        homes = {}
        for d in report.scan.distributions:
            installed = [e.path for e in d.extensions] + list(d.python_files) + [d.metadata_path]
            tops = frozenset(
                PurePosixPath(path.replace("\\", "/")).parts[0]
                for path in installed
                if path and not path.startswith("/")
            )
            tops |= {PurePosixPath(d.metadata_path.replace("\\", "/")).name}
            homes[d.name] = (d.site_packages, d.metadata_path, tops)
        return homes

    def _result(
        self,
        finding: Finding,
        rule_index: dict[str, int],
        bases: dict[str, str],
        distribution_homes: dict[str, tuple[str, str, frozenset[str]]],
    ) -> dict:
        result: dict = {
            "ruleId": finding.rule,
            "ruleIndex": rule_index[finding.rule],
            "level": _level(finding.severity),
            "message": {"text": finding.message or finding.rule},
            "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        }
        location = self._location(finding, bases, distribution_homes)
        if location:
            result["locations"] = [location]
        properties: dict = {}
        if finding.distribution:
            properties["distribution"] = finding.distribution
        if finding.module:
            properties["module"] = finding.module
        if finding.evidence:
            properties["evidence"] = list(finding.evidence)
        if finding.fix:
            properties["fix"] = finding.fix
        if properties:
            result["properties"] = properties
        if finding.suppressed:
            suppression = {"kind": "external", "status": "accepted"}
            if finding.suppression_reason:
                suppression["justification"] = finding.suppression_reason
            result["suppressions"] = [suppression]
        return result

    @staticmethod
    def _location(
        finding: Finding,
        bases: dict[str, str],
        distribution_homes: dict[str, tuple[str, str, frozenset[str]]],
    ) -> dict | None:
        home = distribution_homes.get(finding.distribution or "")
        physical: dict | None = None
        if finding.location and finding.location.path:
            source = finding.location
            if source.path.startswith("/"):
                artifact = {"uri": _file_uri(source.path).rstrip("/")}
            elif (
                home
                and home[0] in bases
                and PurePosixPath(source.path.replace("\\", "/")).parts[0] in home[2]
            ):
                artifact = {"uri": _relative_uri(source.path), "uriBaseId": bases[home[0]]}
            else:
                artifact = {"uri": _relative_uri(source.path), "uriBaseId": SOURCE_ROOT}
            physical = {"artifactLocation": artifact}
            if source.line and source.line >= 1:
                physical["region"] = _region(source)
        elif home and home[0] in bases and home[1]:
            # A finding about a whole distribution: point at its METADATA file.
            metadata = PurePosixPath(home[1].replace("\\", "/"))
            site_folder = PurePosixPath(home[0].replace("\\", "/"))
            if metadata.is_absolute() and metadata.is_relative_to(site_folder):
                # The scan records the metadata folder as an absolute path.
                metadata = metadata.relative_to(site_folder)
            metadata_file = (
                metadata / "METADATA" if metadata.suffix == ".dist-info" else metadata / "PKG-INFO"
            )
            if metadata_file.is_absolute():
                artifact = {"uri": _file_uri(str(metadata_file)).rstrip("/")}
            else:
                artifact = {"uri": _relative_uri(str(metadata_file)), "uriBaseId": bases[home[0]]}
            physical = {"artifactLocation": artifact}
        if physical is None:
            return None
        location: dict = {"physicalLocation": physical}
        logical = []
        if finding.module:
            logical.append({"fullyQualifiedName": finding.module, "kind": "module"})
        if finding.location and finding.location.symbol:
            logical.append({"name": finding.location.symbol, "kind": "function"})
        if logical:
            location["logicalLocations"] = logical
        return location


def _region(source: Location) -> dict:
    region: dict = {"startLine": source.line}
    if source.column and source.column >= 1:
        region["startColumn"] = source.column
    if source.end_line and source.end_line >= source.line:
        region["endLine"] = source.end_line
        if source.end_column and source.end_column >= 1:
            region["endColumn"] = source.end_column
    if source.snippet:
        region["snippet"] = {"text": source.snippet}
    return region


def _utc(created: str) -> str:
    # SARIF wants "Z" (RFC 3339 UTC); the model stores isoformat() with +00:00.
    return created.replace("+00:00", "Z") if created.endswith("+00:00") else created
