"""diff_reports and `ftaudit diff`: regressions, improvements, fingerprints, versions."""

from __future__ import annotations

import copy
import json

import pytest
from _report_samples import full_report

from auditor.cli import main
from auditor.model import Distribution, Finding, HammerVerdict, Location, Severity, Verdict
from auditor.model.serialize import dumps
from auditor.pipelines.diff import diff_reports
from auditor.reporters.diff_text import render_diff

pytestmark = pytest.mark.timeout(60)


def _distribution(report, name) -> Distribution:
    return next(d for d in report.scan.distributions if d.name == name)


def test_identical_reports_have_no_changes():
    diff = diff_reports(full_report(), full_report())
    assert diff.empty and not diff.has_regression
    assert "No changes" in render_diff(diff)


def test_new_gil_fallback_and_ready_upgrade_and_version_change():
    old, new = full_report(), full_report()
    numpy = _distribution(new, "numpy")
    numpy.version, numpy.verdict = "2.4.0", Verdict.GIL_FALLBACK
    lxml = _distribution(new, "lxml")
    lxml.version, lxml.verdict = "5.4.0", Verdict.READY
    diff = diff_reports(old, new)
    assert [(c.name, c.old_verdict, c.new_verdict) for c in diff.new_gil_fallbacks] == [
        ("numpy", Verdict.READY, Verdict.GIL_FALLBACK)
    ]
    assert [(c.name, c.old_version, c.new_version) for c in diff.became_ready] == [("lxml", "5.2.2", "5.4.0")]
    assert {c.name for c in diff.version_changes} == {"numpy", "lxml"}
    assert diff.has_regression
    text = render_diff(diff)
    assert "new GIL fallback: numpy: 2.3.1 ready -> 2.4.0 gil-fallback" in text
    assert "now ready: lxml: 5.2.2 needs-build -> 5.4.0 ready" in text


def test_names_are_matched_after_normalisation_and_new_dependencies_count():
    old, new = full_report(), full_report()
    _distribution(new, "PyYAML").name = "pyyaml"
    new.scan.distributions.append(
        Distribution(
            name="grpcio",
            version="1.66.0",
            site_packages="/s",
            metadata_path="grpcio-1.66.0.dist-info",
            verdict=Verdict.NEEDS_BUILD,
            reason="cp313 only",
        )
    )
    new.scan.distributions = [d for d in new.scan.distributions if d.name != "requests"]
    diff = diff_reports(old, new)
    assert [c.name for c in diff.added_distributions] == ["grpcio"]
    assert [c.name for c in diff.new_blockers] == ["grpcio"]
    assert [c.name for c in diff.removed_distributions] == ["requests"]
    assert not diff.new_gil_fallbacks


def test_findings_are_matched_by_fingerprint_not_line():
    old, new = full_report(), full_report()
    new.source.findings[0].location.line += 40  # code moved: same finding
    new.source.findings.append(
        Finding(
            rule="FTC004",
            message="static mutable written from two threads",
            severity=Severity.WARNING,
            location=Location(path="src/state.c", line=3),
        )
    )
    new.source.findings.append(
        Finding(
            rule="FTP001",
            message="a note",
            severity=Severity.NOTE,
            location=Location(path="src/a.py", line=1),
        )
    )
    old.source.findings.append(
        Finding(
            rule="FTC009",
            message="fixed since",
            severity=Severity.ERROR,
            location=Location(path="src/old.c", line=9),
        )
    )
    diff = diff_reports(old, new)
    assert [f.rule for f in diff.new_findings] == ["FTC004", "FTP001"]
    assert [f.rule for f in diff.removed_findings] == ["FTC009"]
    assert diff.regressions == ["new finding FTC004: static mutable written from two threads"]


def test_new_and_fixed_races():
    old, new = full_report(), full_report()
    locked = next(s for s in new.hammer if s.name == "locked_cache")
    locked.verdict = HammerVerdict.RACE
    counter = next(s for s in new.hammer if s.name == "shared_counter")
    counter.verdict = HammerVerdict.NO_RACE_OBSERVED
    diff = diff_reports(old, new)
    assert [c.name for c in diff.new_races] == ["locked_cache"]
    assert [c.name for c in diff.fixed_races] == ["shared_counter"]
    assert any("new race: sample locked_cache" in item for item in diff.regressions)


def test_cli_diff_formats_and_fail_on_regression(tmp_path, capsys):
    old, new = full_report(), copy.deepcopy(full_report())
    _distribution(new, "numpy").verdict = Verdict.NEEDS_BUILD
    old_path, new_path = tmp_path / "old.json", tmp_path / "new.json"
    old_path.write_text(dumps(old), encoding="utf-8")
    new_path.write_text(dumps(new), encoding="utf-8")
    assert main(["diff", str(old_path), str(new_path)]) == 0
    assert "now blocked: numpy" in capsys.readouterr().out
    assert main(["diff", str(old_path), str(new_path), "--fail-on-regression"]) == 1
    assert main(["diff", str(old_path), str(old_path), "--fail-on-regression"]) == 0
    capsys.readouterr()
    assert main(["diff", str(old_path), str(new_path), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["has_regression"] is True and document["new_blockers"][0]["name"] == "numpy"
    assert (
        main(["diff", str(old_path), str(new_path), "--format", "markdown", "-o", str(tmp_path / "d.md")])
        == 0
    )
    assert (tmp_path / "d.md").read_text(encoding="utf-8").startswith("# ftaudit diff: 1 regression(s)")
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    assert main(["diff", str(old_path), str(tmp_path / "bad.json")]) == 2


def test_dependency_tree_status_changes():
    old, new = full_report(), full_report()
    lxml = next(p for p in new.tree.packages if p.name == "lxml")
    lxml.version, lxml.status, lxml.ready = "5.4.0", "ready", True
    numpy = next(p for p in new.tree.packages if p.name == "numpy")
    numpy.version, numpy.status, numpy.ready = "2.0.0", "needs-build", False
    diff = diff_reports(old, new)
    assert [c.name for c in diff.tree_improvements] == ["lxml"]
    assert [c.name for c in diff.tree_regressions] == ["numpy"]
    assert "dependency tree: numpy: 2.3.1 ready -> 2.0.0 needs-build" in " ".join(diff.regressions)
