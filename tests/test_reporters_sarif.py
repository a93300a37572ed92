"""SARIF 2.1.0 output, validated against the official OASIS schema (fixtures/sarif/)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from _report_samples import full_report, hostile_report

from auditor.model import AuditReport, Finding, Location, Severity
from auditor.reporters.sarif import FINGERPRINT_KEY, SarifReporter
from auditor.rules import all_rules

pytestmark = pytest.mark.timeout(60)
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _assert_valid(validator, document) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message[:200]}" for error in errors[:5])


def _sarif(report: AuditReport) -> dict:
    return json.loads(SarifReporter().render(report))


@pytest.mark.parametrize("make", [full_report, hostile_report, AuditReport], ids=["full", "hostile", "empty"])
def test_output_validates_against_the_official_schema(validator, make):
    _assert_valid(validator, _sarif(make()))


def test_the_validator_is_not_a_rubber_stamp(validator):
    document = _sarif(full_report())
    document["runs"][0]["results"][0]["level"] = "fatal"
    assert list(validator.iter_errors(document))
    del document["version"]
    assert list(validator.iter_errors(document))


def test_driver_lists_every_registered_rule_with_its_documentation():
    driver = _sarif(full_report())["runs"][0]["tool"]["driver"]
    descriptors = {rule["id"]: rule for rule in driver["rules"]}
    for rule in all_rules():
        descriptor = descriptors[rule.code]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.rationale()
        assert descriptor["help"]["text"] == rule.fix
        assert descriptor["defaultConfiguration"]["level"] == rule.severity.value
    assert {"FTE001", "FTE002", "FTE003", "FTE004", "FTE005"} <= set(descriptors)


def test_results_point_into_the_rules_and_carry_fingerprints():
    report = full_report()
    run = _sarif(report)["runs"][0]
    findings = report.all_findings()
    assert len(run["results"]) == len(findings)
    for result, finding in zip(run["results"], findings, strict=True):
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule
        assert result["level"] == finding.severity.value
        assert result["partialFingerprints"][FINGERPRINT_KEY] == finding.fingerprint


def test_locations_are_relative_with_declared_bases():
    run = _sarif(full_report())["runs"][0]
    by_rule = {result["ruleId"]: result for result in run["results"]}
    binary = by_rule["FTB010"]["locations"][0]
    artifact = binary["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "markupsafe/_speedups.cpython-313t-x86_64-linux-gnu.so"
    assert (
        run["originalUriBaseIds"][artifact["uriBaseId"]]["uri"]
        == "file:///venv/lib/python3.13t/site-packages/"
    )
    assert {"name": "PyDict_GetItem", "kind": "function"} in binary["logicalLocations"]
    source = by_rule["FTC001"]["locations"][0]["physicalLocation"]
    assert source["artifactLocation"] == {"uri": "src/fastpath.c", "uriBaseId": "%SRCROOT%"}
    assert source["region"]["startLine"] == 88 and source["region"]["startColumn"] == 17
    assert source["region"]["snippet"]["text"] == "item = PyList_GET_ITEM(list, i);"


def test_distribution_level_finding_points_at_its_metadata():
    report = full_report()
    from auditor.engine.gate import environment_findings

    report.findings.extend(environment_findings(report))
    run = _sarif(report)["runs"][0]
    fallback = next(result for result in run["results"] if result["ruleId"] == "FTE003")
    artifact = fallback["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "PyYAML-6.0.2.dist-info/METADATA"


def test_suppressed_findings_are_kept_as_suppressions():
    run = _sarif(full_report())["runs"][0]
    suppressed = [result for result in run["results"] if "suppressions" in result]
    assert len(suppressed) == 1
    assert suppressed[0]["ruleId"] == "FTB011"
    assert suppressed[0]["suppressions"][0]["justification"] == "list is never shared between threads"


def test_partial_runs_are_not_reported_as_successful():
    invocation = _sarif(full_report())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    texts = [note["message"]["text"] for note in invocation["toolExecutionNotifications"]]
    assert any("METADATA missing" in text for text in texts)
    assert _sarif(AuditReport())["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_unregistered_rule_and_awkward_paths_still_validate(validator):
    report = AuditReport(
        findings=[
            Finding(
                rule="FTX999",
                message="from a newer ftaudit",
                severity=Severity.NOTE,
                location=Location(path="dir with space/ü.c", line=1, column=0),
            ),
            Finding(
                rule="FTC001",
                message="absolute path",
                severity=Severity.ERROR,
                location=Location(path="/abs/path/file.c", line=3, end_line=4, end_column=2),
            ),
        ]
    )
    document = _sarif(report)
    _assert_valid(validator, document)
    results = document["runs"][0]["results"]
    assert (
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "dir%20with%20space/%C3%BC.c"
    )
    assert (
        "startColumn" not in results[0]["locations"][0]["physicalLocation"]["region"]
    )  # column 0 is unknown
    assert (
        results[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "file:///abs/path/file.c"
    )
