"""build_report merges the JSON documents of scan / probe / hammer / scan-source / tree;
next_steps turns the result into advice; `ftaudit report` writes it."""

from __future__ import annotations

import copy
import json

import pytest
from _report_samples import full_report, hammer_results, scan_result, source_result, tree_result

from auditor.cli import main
from auditor.model import AuditReport, Finding, RuntimeGil, Severity, Verdict
from auditor.model.serialize import dumps, to_dict
from auditor.pipelines.report import ReportInputError, build_report, load_report
from auditor.pipelines.report_advice import next_steps

pytestmark = pytest.mark.timeout(120)


def _write(path, value) -> str:
    path.write_text(dumps(value), encoding="utf-8")
    return str(path)


def test_sections_from_separate_json_files_merge_into_one_report(tmp_path):
    scan_file = _write(tmp_path / "scan.json", AuditReport(scan=scan_result(probed=False)))
    hammer_file = _write(tmp_path / "hammer.json", AuditReport(hammer=hammer_results()))
    source_file = _write(tmp_path / "source.json", source_result())  # a bare section
    tree_file = _write(tmp_path / "tree.json", AuditReport(tree=tree_result()))
    report = build_report(scan_file, hammer_file, source_file, tree_file)
    assert [d.name for d in report.scan.distributions] == [d.name for d in scan_result().distributions]
    assert [s.name for s in report.hammer] == ["shared_counter", "locked_cache", "cffi_buffer"]
    assert report.source.files_checked == 42 and report.tree.source == "requirements.txt"
    assert report.target == "3.13t" and report.created and report.tool_version
    # The merged report survives its own JSON round trip.
    assert to_dict(load_report(_write(tmp_path / "merged.json", report))) == to_dict(report)


def test_a_later_probe_refines_the_static_scan_instead_of_duplicating_it():
    static = scan_result(probed=False)
    probed = scan_result(probed=True)
    probed.distributions = [d for d in probed.distributions if d.name in ("PyYAML", "numpy")]
    next(d for d in probed.distributions if d.name == "PyYAML").name = "pyyaml"  # PEP 503: the same project
    report = build_report(AuditReport(scan=static), AuditReport(scan=probed))
    assert all(e.runtime_gil is None for d in static.distributions for e in d.extensions)  # inputs untouched
    names = [d.name for d in report.scan.distributions]
    assert len(names) == len(static.distributions)
    pyyaml = next(d for d in report.scan.distributions if d.name == "PyYAML")
    assert pyyaml.extensions[0].runtime_gil is RuntimeGil.ENABLED
    assert pyyaml.extensions[0].agrees_with_runtime is True
    assert len(pyyaml.findings) == 1  # the same finding is not listed twice
    lxml = next(d for d in report.scan.distributions if d.name == "lxml")
    assert lxml.extensions[0].runtime_gil is None  # not in the probe: left alone
    assert report.scan.probed_with


def test_a_different_version_is_kept_apart():
    old = scan_result(probed=False)
    new = copy.deepcopy(old)
    new.distributions = [copy.deepcopy(new.distributions[0])]
    new.distributions[0].version = "2.4.0"
    report = build_report(old, new)
    versions = sorted(d.version for d in report.scan.distributions if d.name == "numpy")
    assert versions == ["2.3.1", "2.4.0"]


def test_later_hammer_run_of_a_sample_wins_and_findings_are_unique():
    first = hammer_results()
    later = copy.deepcopy(first[:1])
    later[0].failures = 3
    extra = Finding(rule="FTE000", message="probe interpreter missing", severity=Severity.WARNING)
    report = build_report(
        AuditReport(hammer=first, findings=[extra]), AuditReport(hammer=later, findings=[extra])
    )
    assert len(report.hammer) == 3
    assert next(s for s in report.hammer if s.name == "shared_counter").failures == 3
    assert len(report.findings) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a JSON document"),
        ('{"schema_version": "2.0", "scan": null}', "schema version 2.0"),
        ('{"hello": 1}', "not an ftaudit document"),
        ('"a string"', "expected a JSON object"),
        ('{"distributions": [{"name": 1}], "site_packages": []}', "not a valid ftaudit document"),
    ],
)
def test_bad_inputs_are_named_with_the_reason(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ReportInputError, match=message) as raised:
        build_report(path)
    assert str(path) in str(raised.value)
    with pytest.raises(ReportInputError, match="cannot read it"):
        build_report(tmp_path / "missing.json")


def test_next_steps_are_concrete():
    steps = next_steps(full_report())
    text = "\n".join(steps)
    assert steps[0].startswith("Fix sample shared_counter (race only without the GIL)")
    assert "Upgrade lxml from 5.2.2 to 5.4.0, the first release with cp313t wheels." in text
    assert "Other requirements rule it out first: lxml-html-clean 0.1 requires lxml<5.3." in text
    assert "Ask upstream of PyYAML 6.0.2 to declare Py_mod_gil" in text and "yaml._yaml" in text
    assert "pyarrow: no release up to 16.1.0 ships cp313t wheels" in text
    assert "Check oddpkg 0.1 by hand" in text
    assert "Fix or baseline 2 error finding(s): FTB010 x1, FTC001 x1" in text


def test_next_steps_without_tree_or_probe_suggest_the_next_command():
    report = AuditReport(scan=scan_result(probed=False))
    text = "\n".join(next_steps(report))
    assert "Rebuild lxml 5.2.2 from source for cp313t" in text and "ftaudit tree" in text
    assert "Run `ftaudit probe`" in text
    ready_only = AuditReport(scan=scan_result(probed=False))
    ready_only.scan.distributions = [d for d in ready_only.scan.distributions if d.verdict is Verdict.READY]
    for distribution in ready_only.scan.distributions:
        distribution.findings = []
    assert next_steps(ready_only) == []


def test_cli_report_writes_html_and_markdown_from_json_inputs(tmp_path, capsys):
    inputs = [
        _write(tmp_path / "scan.json", AuditReport(scan=scan_result())),
        _write(tmp_path / "hammer.json", AuditReport(hammer=hammer_results())),
    ]
    assert main(["report", *inputs, "-o", str(tmp_path / "report.html")]) == 3  # the scan is partial
    html_text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html_text.startswith("<!DOCTYPE html>") and "shared_counter" in html_text
    assert main(["report", *inputs, "-o", str(tmp_path / "report.md")]) == 3
    assert (
        (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Free-threading readiness report")
    )
    assert main(["report", *inputs, "-o", str(tmp_path / "report.out")]) == 3
    assert (tmp_path / "report.out").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["report", *inputs, "--format", "json"]) == 3
    merged = json.loads(capsys.readouterr().out)
    assert merged["schema_version"] and len(merged["hammer"]) == 3


def test_cli_report_exit_codes(tmp_path, capsys):
    clean = AuditReport(scan=scan_result())
    clean.scan.partial, clean.scan.errors = False, []
    clean.scan.distributions = [d for d in clean.scan.distributions if d.verdict is not Verdict.UNKNOWN]
    assert main(["report", _write(tmp_path / "clean.json", clean), "-o", str(tmp_path / "r.md")]) == 0
    (tmp_path / "broken.json").write_text("[1, 2", encoding="utf-8")
    assert main(["report", str(tmp_path / "broken.json")]) == 2
    assert "broken.json: not a JSON document" in capsys.readouterr().err


@pytest.mark.timeout(600)
def test_cli_report_scans_an_interpreter_first(tmp_path):
    from auditor.collectors.interpreters.provision import find_provisioned

    interpreter = find_provisioned()
    if interpreter is None:
        pytest.fail("no provisioned free-threaded 3.13 (ftaudit provision)")
    output = tmp_path / "report.md"
    code = main(["report", "--python", str(interpreter.executable), "-o", str(output)])
    assert code in (0, 3)
    text = output.read_text(encoding="utf-8")
    assert "## Distributions" in text and "| pip |" in text


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_cli_report_hammers_a_real_sample(tmp_path):
    from pathlib import Path

    import auditor.collectors.harness  # noqa: F401

    sample = Path(__file__).resolve().parent.parent / "ext_samples" / "static_counter"
    if not sample.is_dir():
        pytest.fail("ext_samples/static_counter is not in this checkout")
    output = tmp_path / "report.md"
    code = main(["report", "--hammer", str(sample), "--hammer-budget", "3", "-o", str(output)])
    text = output.read_text(encoding="utf-8")
    assert code in (0, 3), text
    row = next(line for line in text.splitlines() if line.startswith("| static\\_counter |"))
    cells = [cell.strip() for cell in row.strip("|").split(" | ")]
    # The harness ran the sample (whether this short budget caught the race is the
    # harness's business, tested there); the report carries its verdict and throughput.
    assert cells[1].startswith(("race in", "no race in")), cells
    assert "thread" in cells[5], cells


def test_next_steps_notice_a_wrongly_installed_copy_the_index_could_replace():
    report = full_report()
    lxml_status = next(package for package in report.tree.packages if package.name == "lxml")
    lxml_status.status, lxml_status.ready, lxml_status.first_ready_version = "ready", True, "5.2.2"
    text = "\n".join(next_steps(report))
    assert "Reinstall lxml 5.2.2 with the 3.13t interpreter's own pip" in text
    assert "Rebuild lxml" not in text and "Upgrade lxml" not in text


def test_next_steps_warn_about_a_tree_wheel_that_would_re_enable_the_gil():
    report = AuditReport(tree=tree_result())
    numpy = next(package for package in report.tree.packages if package.name == "numpy")
    numpy.gil_fallback, numpy.gil_fallback_modules = True, ["numpy._core._multiarray_umath"]
    text = "\n".join(next_steps(report))
    assert (
        "numpy 2.3.1: its cp313t wheel installs, but numpy._core._multiarray_umath re-enable the GIL" in text
    )


def test_next_steps_never_advise_a_downgrade_as_an_upgrade():
    # Some projects dropped their free-threaded wheels again: the first release with a
    # cp313t wheel can be older than the installed one.
    report = full_report()
    lxml = next(p for p in report.tree.packages if p.name == "lxml")
    lxml.first_ready_version = "5.1.0"
    text = "\n".join(next_steps(report))
    assert "Upgrade lxml" not in text
    assert "lxml 5.2.2 ships no cp313t wheel, though 5.1.0 did" in text
