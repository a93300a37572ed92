"""JUnit XML: for CI systems that show test reports (GitLab, Jenkins, Azure, Buildkite).

Each question the audit answers is one test case, so a CI test tab lists what passed:

* suite ``distributions``: one case per installed distribution; a failure when it falls
  back to the GIL or needs a build, an error when it could not be decided;
* suite ``dependency-tree``: one case per package judged against the index; a failure
  when it has no wheel for the target, or its inspected wheel would re-enable the GIL;
* suite ``thread-hammer``: one case per sample; a failure when a race was observed,
  an error when the harness could not run it;
* suite ``findings``: one case per (rule, file) pair; a failure listing every open
  error or warning finding of that pair, passing (with the notes as output) otherwise;
  suppressed findings are reported as skipped.

XML 1.0 cannot carry most control characters at all, so they are removed from
package-derived text before :mod:`xml.etree` escapes the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

from ..model import AuditReport, Finding, HammerVerdict, Severity, Verdict
from . import _summary
from .interface import Reporter, register_reporter

# Characters outside the XML 1.0 Char production (https://www.w3.org/TR/xml/#charsets).
_NOT_XML_CHARACTERS = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(value: object) -> str:
    return _NOT_XML_CHARACTERS.sub("", "" if value is None else str(value))


class _Suite:
    def __init__(self, name: str) -> None:
        self.element = ElementTree.Element("testsuite", name=name)
        self.tests = self.failures = self.errors = self.skipped = 0
        self.seconds = 0.0

    def case(
        self,
        classname: str,
        name: str,
        *,
        failure: str | None = None,
        error: str | None = None,
        skipped: str | None = None,
        output: str | None = None,
        failure_type: str = "failure",
        seconds: float | None = None,
    ) -> None:
        case = ElementTree.SubElement(
            self.element, "testcase", classname=_clean(classname), name=_clean(name)
        )
        if seconds is not None:
            case.set("time", f"{seconds:.3f}")
            self.seconds += seconds
        self.tests += 1
        if failure is not None:
            self.failures += 1
            first_line = failure.splitlines()[0] if failure else failure_type
            node = ElementTree.SubElement(case, "failure", message=_clean(first_line), type=failure_type)
            node.text = _clean(failure)
        elif error is not None:
            self.errors += 1
            node = ElementTree.SubElement(
                case, "error", message=_clean(error.splitlines()[0] if error else "")
            )
            node.text = _clean(error)
        elif skipped is not None:
            self.skipped += 1
            ElementTree.SubElement(case, "skipped", message=_clean(skipped))
        if output:
            ElementTree.SubElement(case, "system-out").text = _clean(output)

    def finish(self) -> ElementTree.Element:
        for key, value in (
            ("tests", self.tests),
            ("failures", self.failures),
            ("errors", self.errors),
            ("skipped", self.skipped),
        ):
            self.element.set(key, str(value))
        if self.seconds:
            self.element.set("time", f"{self.seconds:.3f}")
        return self.element


@register_reporter
class JunitReporter(Reporter):
    name = "junit"
    file_extension = ".xml"
    description = "JUnit XML: one test case per distribution, sample and rule/file pair"

    def render(self, report: AuditReport) -> str:
        suites = [
            suite
            for suite in (
                self._distributions(report),
                self._tree(report),
                self._hammer(report),
                self._findings(report),
            )
            if suite.tests
        ]
        root = ElementTree.Element("testsuites", name=f"ftaudit {report.target}")
        totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for suite in suites:
            root.append(suite.finish())
            for key in totals:
                totals[key] += getattr(suite, key)
        for key, value in totals.items():
            root.set(key, str(value))
        warnings = _summary.partial_warnings(report)
        if warnings:
            # A partial run must not look green: one error case names what was skipped.
            partial = _Suite("partial-result")
            partial.case("ftaudit", "every requested item was processed", error="\n".join(warnings))
            root.append(partial.finish())
            root.set("tests", str(totals["tests"] + 1))
            root.set("errors", str(totals["errors"] + 1))
        ElementTree.indent(root)
        return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"

    def _distributions(self, report: AuditReport) -> _Suite:
        suite = _Suite("distributions")
        for distribution in report.scan.distributions if report.scan else []:
            name = f"{distribution.name} {distribution.version}"
            detail = f"{distribution.verdict.value}: {distribution.reason}"
            extensions = "\n".join(
                f"{e.module} ({e.abi}, gil {e.gil.value}, runtime "
                f"{e.runtime_gil.value if e.runtime_gil else 'not probed'})"
                for e in distribution.extensions
            )
            if distribution.verdict in (Verdict.GIL_FALLBACK, Verdict.NEEDS_BUILD):
                suite.case(
                    "ftaudit.distributions",
                    name,
                    failure=detail + ("\n" + extensions if extensions else ""),
                    failure_type=distribution.verdict.value,
                )
            elif distribution.verdict is Verdict.UNKNOWN:
                suite.case(
                    "ftaudit.distributions",
                    name,
                    error=detail + "\n" + "\n".join(distribution.errors + [extensions]),
                )
            else:
                suite.case("ftaudit.distributions", name, output=detail)
        return suite

    def _tree(self, report: AuditReport) -> _Suite:
        suite = _Suite("dependency-tree")
        for package in report.tree.packages if report.tree else []:
            name = f"{package.name} {package.version or '?'}"
            detail = f"{package.status}: {package.reason}"
            if package.first_ready_version:
                detail += f" (first release with target wheels: {package.first_ready_version})"
            if package.status == "needs-build":
                suite.case("ftaudit.tree", name, failure=detail, failure_type="needs-build")
            elif package.gil_fallback:
                # The wheel installs, but importing it would switch the GIL back on.
                detail += f"\nre-enables the GIL: {', '.join(package.gil_fallback_modules) or 'yes'}"
                suite.case("ftaudit.tree", name, failure=detail, failure_type="gil-fallback")
            elif package.status == "unknown":
                suite.case("ftaudit.tree", name, error=detail + "\n" + "\n".join(package.errors))
            else:
                suite.case("ftaudit.tree", name, output=detail)
        return suite

    def _hammer(self, report: AuditReport) -> _Suite:
        suite = _Suite("thread-hammer")
        for sample in report.hammer or []:
            detail = (
                f"{_summary.sample_verdict_text(sample)}; with the GIL: "
                f"{_summary.baseline_verdict_text(sample)}; {_summary.classification_text(sample)}"
            )
            if sample.target and sample.target.failure_examples:
                example = sample.target.failure_examples[0]
                detail += f"\nfirst failure ({example.kind.value}, trial {example.trial}): {example.message}"
                if example.detail:
                    detail += "\n" + example.detail
            throughput = _summary.throughput_text(sample.target)
            # Time spent in trials on both interpreters: CI test tabs sort by it.
            seconds = sum(run.seconds for run in (sample.target, sample.baseline) if run) or None
            if sample.verdict is HammerVerdict.RACE:
                suite.case(
                    "ftaudit.hammer",
                    sample.name,
                    failure=detail,
                    failure_type=sample.classification or "race",
                    seconds=seconds,
                )
            elif sample.verdict in (HammerVerdict.ERROR, HammerVerdict.BUILD_ERROR):
                log = sample.target.build_log if sample.target else ""
                suite.case(
                    "ftaudit.hammer",
                    sample.name,
                    error=f"{sample.verdict.value}: {sample.description}\n{log}",
                    seconds=seconds,
                )
            else:
                suite.case(
                    "ftaudit.hammer",
                    sample.name,
                    output=detail + (f"\nthroughput: {throughput}" if throughput else ""),
                    seconds=seconds,
                )
        return suite

    def _findings(self, report: AuditReport) -> _Suite:
        suite = _Suite("findings")
        groups: dict[tuple[str, str], list[Finding]] = {}
        for finding in report.all_findings():
            where = finding.location.path if finding.location else (finding.distribution or "(environment)")
            groups.setdefault((finding.rule, where), []).append(finding)
        for (rule, where), findings in groups.items():
            open_findings = [f for f in findings if not f.suppressed]
            failing = [f for f in open_findings if f.severity in (Severity.ERROR, Severity.WARNING)]
            text = "\n".join(_finding_line(f) for f in findings)
            if failing:
                suite.case(
                    f"ftaudit.findings.{rule}", where, failure=text, failure_type=failing[0].severity.value
                )
            elif not open_findings:
                reasons = "; ".join(f.suppression_reason or "no reason given" for f in findings)
                suite.case(f"ftaudit.findings.{rule}", where, skipped=f"suppressed: {reasons}")
            else:
                suite.case(f"ftaudit.findings.{rule}", where, output=text)
        return suite


def _finding_line(finding: Finding) -> str:
    line = f"{finding.severity.value} {finding.rule} {_summary.location_text(finding)}: {finding.message}"
    if finding.suppressed:
        line += f" [suppressed: {finding.suppression_reason or 'no reason given'}]"
    for item in finding.evidence:
        line += f"\n    evidence: {item}"
    if finding.fix:
        line += f"\n    fix: {finding.fix}"
    return line
