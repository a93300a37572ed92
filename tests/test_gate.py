"""The CI gate: policy applied to reports, the FTE rules' examples, the interpreter
guard against real interpreters, and `ftaudit check` end to end."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import pytest
from _report_samples import (
    FREE_THREADED_EXTENSION,
    GIL_USING_EXTENSION,
    build_extension,
    full_report,
    install_extension_distribution,
    scan_result,
)

from auditor.cli import main
from auditor.engine.environment_findings import environment_findings, interpreter_findings
from auditor.engine.gate import check
from auditor.engine.interpreter_guard import guard_interpreter
from auditor.engine.policy import Policy, policy_from_table
from auditor.engine.project_files import project_modules
from auditor.model import AuditReport, Finding, Location, Severity, Verdict
from auditor.model.serialize import dumps

pytestmark = pytest.mark.timeout(120)
REPOSITORY = Path(__file__).resolve().parent.parent
FREE_THREADED = Path.home() / ".cache" / "ftaudit" / "pythons" / "3.13t" / "bin" / "python3.13t"
needs_free_threaded = pytest.mark.skipif(not FREE_THREADED.exists(), reason="no provisioned 3.13t")


def _clean_report() -> AuditReport:
    """Only ready and pure distributions, nothing partial: passes the default policy."""
    scan = scan_result()
    scan.distributions = [d for d in scan.distributions if d.verdict in (Verdict.READY, Verdict.PURE)]
    scan.errors, scan.partial = [], False
    return AuditReport(scan=scan)


# --------------------------------------------------------------------------- check()


def test_clean_report_passes_the_default_policy():
    result = check(_clean_report())
    assert result.passed and result.exit_code == 0 and not result.failures


def test_default_policy_fails_gil_fallback_needs_build_and_errors():
    result = check(full_report())
    assert not result.passed and result.exit_code == 1
    by_rule = {}
    for failure in result.failures:
        by_rule.setdefault(failure.rule, []).append(failure.distribution)
    assert sorted(by_rule["FTE003"]) == ["MarkupSafe", "PyYAML"]
    assert by_rule["FTE004"] == ["lxml", "pyarrow"]  # pyarrow: in the tree, not installed
    assert by_rule["FTE005"] == ["lxml"]  # the probe could not import lxml.etree
    assert {"FTB010", "FTC001", "FTR001"} <= set(by_rule)
    assert "FTB002" not in by_rule  # a warning: below the default fail-on-severity
    assert "FTB011" not in by_rule  # suppressed
    assert result.partial  # the sample scan is partial, which is reported too
    assert {f.rule for f in result.added_findings} == {"FTE003", "FTE004", "FTE005"}


def test_exempt_select_ignore_and_severity_change_the_outcome():
    report = full_report()
    policy = policy_from_table(
        {"exempt": ["pyyaml", "markupsafe", "LXML", "PyArrow"], "fail-on-severity": "none"}
    )
    result = check(report, policy)
    assert result.passed, result.failures
    assert result.exempted == ["lxml", "MarkupSafe", "pyarrow", "PyYAML"]
    assert result.exit_code == 3  # passed, but partial

    only_verdicts = policy_from_table({"ignore": ["FTE003"], "fail-on-severity": "none"})
    assert {f.rule for f in check(report, only_verdicts).failures} == {"FTE004"}

    warnings_too = policy_from_table(
        {"fail-on-verdicts": [], "fail-on-severity": "warning", "select": ["FTB"]}
    )
    assert {f.rule for f in check(report, warnings_too).failures} == {"FTB002", "FTB010"}


def test_tree_packages_not_installed_are_judged_before_install():
    report = AuditReport(tree=full_report().tree)
    numpy = next(package for package in report.tree.packages if package.name == "numpy")
    numpy.gil_fallback, numpy.gil_fallback_modules = True, ["numpy._core._multiarray_umath"]
    next(p for p in report.tree.packages if p.name == "pyarrow").origin = "requirements.txt:7"
    result = check(report)
    assert sorted((f.distribution, f.rule) for f in result.failures) == [
        ("lxml", "FTE004"),
        ("numpy", "FTE003"),
        ("pyarrow", "FTE004"),
    ]
    assert all("(before install)" in f.reason for f in result.failures)
    pyarrow = next(f for f in result.added_findings if f.distribution == "pyarrow")
    assert (pyarrow.location.path, pyarrow.location.line) == ("requirements.txt", 7)
    # Installed distributions are judged by the scan, not again by the tree.
    installed = full_report()
    assert not [
        f for f in check(installed).failures if f.distribution == "lxml" and "before install" in f.reason
    ]


def test_unknown_verdict_fails_only_when_asked():
    report = full_report()
    policy = policy_from_table(
        {"fail-on-verdicts": ["unknown"], "fail-on-severity": "none", "ignore": ["FTE005"]}
    )
    failures = check(report, policy).failures
    assert [(f.distribution, f.rule) for f in failures] == [("oddpkg", None)]


def test_gate_findings_follow_the_policy_severity():
    report = full_report()
    strict = {f.distribution: f.severity for f in environment_findings(report) if f.rule == "FTE003"}
    assert set(strict.values()) == {Severity.ERROR}
    lenient = environment_findings(report, Policy(fail_on_verdicts=frozenset({Verdict.NEEDS_BUILD})))
    assert {f.severity for f in lenient if f.rule == "FTE003"} == {Severity.WARNING}


def test_baseline_accepts_known_findings(tmp_path):
    import auditor.engine.baseline as baseline_module

    report = full_report()
    first = check(report)
    accepted = first.added_findings + [f for f in report.all_findings() if not f.suppressed]
    baseline_file = tmp_path / "baseline.json"
    baseline_module.write_baseline(baseline_file, accepted)
    result = check(report, policy_from_table({"baseline": str(baseline_file)}))
    assert result.passed, result.failures
    assert result.baselined == len(first.failures)
    # A new error after the baseline was written still fails.
    report.source.findings.append(
        report.source.findings[0].__class__(rule="FTC001", message="new", severity=Severity.ERROR)
    )
    assert [
        f.reason for f in check(report, policy_from_table({"baseline": str(baseline_file)})).failures
    ] == ["FTC001: new"]


def test_baseline_counts_copies_of_the_same_finding(tmp_path):
    import auditor.engine.baseline as baseline_module

    report = _clean_report()
    duplicate = Finding(
        rule="FTC001",
        message="borrowed",
        severity=Severity.ERROR,
        location=Location(path="src/a.c", line=3, snippet="x = PyList_GET_ITEM(l, 0);"),
    )
    report.findings = [duplicate]
    baseline_module.write_baseline(tmp_path / "baseline.json", report.findings)
    policy = policy_from_table({"baseline": str(tmp_path / "baseline.json")})
    assert check(report, policy).passed
    # The same line pasted a second time is a new problem, although its fingerprint matches.
    report.findings = [duplicate, copy.deepcopy(duplicate)]
    result = check(report, policy)
    assert len(result.failures) == 1 and result.baselined == 1


def test_unreadable_baseline_fails_safe(tmp_path):
    import auditor.engine.baseline  # noqa: F401

    (tmp_path / "baseline.json").write_text("nope", encoding="utf-8")
    result = check(full_report(), policy_from_table({"baseline": str(tmp_path / "baseline.json")}))
    assert result.partial and any("baseline not applied" in note for note in result.notes)
    assert not result.passed


# --------------------------------------------------------------------------- interpreter guard


@needs_free_threaded
def test_guard_passes_on_the_real_free_threaded_interpreter(tmp_path):
    facts = guard_interpreter(FREE_THREADED, ["json", "decimal"], tmp_path)
    assert facts.free_threaded is True and facts.version.startswith("3.13")
    assert facts.gil_enabled_at_start is False and facts.gil_enabled_after_import is False
    assert facts.imported == ["json", "decimal"] and not facts.errors
    assert interpreter_findings(facts) == []
    assert check(_clean_report(), interpreter=facts).passed


def test_guard_fails_fte001_on_the_host_gil_interpreter(tmp_path):
    facts = guard_interpreter(sys.executable, ["json"], tmp_path)
    assert facts.free_threaded is False and facts.version == ".".join(map(str, sys.version_info[:3]))
    findings = interpreter_findings(facts)
    assert [f.rule for f in findings] == ["FTE001"]
    result = check(_clean_report(), interpreter=facts)
    assert not result.passed and result.failures[0].rule == "FTE001"
    assert check(
        _clean_report(), policy_from_table({"require-free-threaded": False}), interpreter=facts
    ).passed


@needs_free_threaded
@pytest.mark.timeout(300)
def test_guard_names_the_module_that_re_enables_the_gil(tmp_path, monkeypatch):
    project = tmp_path / "project"
    package = project / "src" / "myproject"
    package.mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "myproject"\nversion = "1"\n', encoding="utf-8"
    )
    (package / "__init__.py").write_text("import gilneeder\n", encoding="utf-8")
    (project / "tests").mkdir()
    (project / "tests" / "__init__.py").write_text("", encoding="utf-8")
    build_extension(str(FREE_THREADED), "gilneeder", GIL_USING_EXTENSION, project / "src")
    assert project_modules(project) == ["myproject"]
    # The child runs isolated: PYTHON_GIL=0 in the job's environment cannot hide it.
    monkeypatch.setenv("PYTHON_GIL", "0")
    facts = guard_interpreter(FREE_THREADED, project_modules(project), project)
    assert facts.free_threaded is True and facts.imported == ["myproject"]
    assert facts.gil_enabled_at_start is False and facts.gil_enabled_after_import is True
    assert facts.enabled_by == ["gilneeder"]
    (finding,) = interpreter_findings(facts)
    assert finding.rule == "FTE002" and "gilneeder" in finding.message
    assert finding.location.path == "pyproject.toml"


def test_guard_reports_what_it_could_not_do(tmp_path):
    missing = guard_interpreter(tmp_path / "no-python", ["json"], tmp_path)
    assert missing.free_threaded is None and "no such interpreter" in missing.errors[0]
    broken = guard_interpreter(sys.executable, ["no_such_module_xyz"], tmp_path)
    assert "ModuleNotFoundError" in broken.import_errors["no_such_module_xyz"]
    result = check(_clean_report(), policy_from_table({"require-free-threaded": False}), interpreter=broken)
    assert result.passed and result.partial and result.exit_code == 3


def test_project_modules_need_a_project(tmp_path):
    (tmp_path / "stray").mkdir()
    (tmp_path / "stray" / "__init__.py").write_text("", encoding="utf-8")
    assert project_modules(tmp_path) == []
    (tmp_path / "setup.cfg").write_text("[metadata]\nname = stray\n", encoding="utf-8")
    assert project_modules(tmp_path) == ["stray"]


def test_project_modules_fall_back_to_the_project_name(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "My.Cool-Project"\n', encoding="utf-8")
    assert project_modules(tmp_path) == ["my_cool_project"]
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "__init__.py").write_text("", encoding="utf-8")
    assert project_modules(tmp_path) == ["my_cool_project"]


# --------------------------------------------------------------------------- ftaudit check


def _write_report(path: Path, report: AuditReport) -> str:
    path.write_text(dumps(report), encoding="utf-8")
    return str(path)


def test_cli_check_on_input_documents_exit_codes(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    clean = _write_report(tmp_path / "clean.json", _clean_report())
    failing = _write_report(tmp_path / "failing.json", full_report())
    assert main(["check", "--input", clean, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["scan"]["distributions"]
    assert main(["check", "--input", failing, "--format", "sarif"]) == 1
    captured = capsys.readouterr()
    sarif = json.loads(captured.out)
    assert {"FTE003", "FTE004"} <= {result["ruleId"] for result in sarif["runs"][0]["results"]}
    assert "FAIL PyYAML 6.0.2 is gil-fallback" in captured.err and "gate FAILED" in captured.err

    # Adoption: accept today's findings, then only new ones fail.
    assert main(["check", "--input", failing, "--write-baseline", str(tmp_path / "accepted.json")]) == 0
    assert main(["check", "--input", failing, "--baseline", str(tmp_path / "accepted.json")]) == 3  # partial
    (tmp_path / "pyproject.toml").write_text('[tool.ftaudit]\nbaseline = "accepted.json"\n', encoding="utf-8")
    assert main(["check", "--input", failing]) == 3
    capsys.readouterr()

    (tmp_path / "pyproject.toml").write_text(
        '[tool.ftaudit]\nexempt = ["pyyaml", "markupsafe", "lxml", "pyarrow"]\nfail-on-severity = "none"\n',
        encoding="utf-8",
    )
    assert main(["check", "--input", failing, "--format", "junit", "-o", str(tmp_path / "j.xml")]) == 3
    (tmp_path / "pyproject.toml").write_text("[tool.ftaudit]\nfail-on = 1\n", encoding="utf-8")
    assert main(["check", "--input", failing]) == 2
    assert "unknown key(s) fail-on" in capsys.readouterr().err


@needs_free_threaded
@pytest.mark.timeout(600)
def test_cli_check_scans_the_free_threaded_interpreter_and_writes_sarif(tmp_path, monkeypatch, capsys):
    import auditor.pipelines.scan  # noqa: F401

    monkeypatch.chdir(tmp_path)
    code = main(["check", "--python", str(FREE_THREADED), "--format", "sarif"])
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document["version"] == "2.1.0"
    assert "FTE001" not in {result["ruleId"] for result in document["runs"][0]["results"]}
    assert code in (0, 3), captured.err


@pytest.mark.timeout(600)
def test_cli_check_on_the_host_interpreter_fails_fte001(tmp_path, monkeypatch, capsys):
    import auditor.pipelines.scan  # noqa: F401

    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site-packages"
    site.mkdir()
    assert main(["check", "--python", sys.executable, "--import", "json", "--format", "junit"]) == 1
    captured = capsys.readouterr()
    assert "FAIL FTE001" in captured.err
    assert 'classname="ftaudit.findings.FTE001"' in captured.out


@needs_free_threaded
@pytest.mark.timeout(600)
def test_cli_check_on_a_real_site_packages_with_compiled_extensions(tmp_path, monkeypatch, capsys):
    import auditor.pipelines.scan  # noqa: F401

    monkeypatch.chdir(tmp_path)
    site = tmp_path / "site-packages"
    install_extension_distribution(str(FREE_THREADED), site, "freeready", FREE_THREADED_EXTENSION)
    assert main(["check", "--path", str(site), "--format", "sarif"]) == 0, capsys.readouterr().err
    capsys.readouterr()

    install_extension_distribution(str(FREE_THREADED), site, "gilneeder", GIL_USING_EXTENSION)
    assert main(["check", "--path", str(site), "--format", "sarif"]) == 1
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    import jsonschema

    schema = json.loads(
        (REPOSITORY / "fixtures" / "sarif" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    )
    assert not list(jsonschema.Draft4Validator(schema).iter_errors(document))
    results = document["runs"][0]["results"]
    fallback = next(result for result in results if result["ruleId"] == "FTE003")
    assert fallback["properties"]["distribution"] == "gilneeder"
    artifact = fallback["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "gilneeder-1.0.dist-info/METADATA"
    assert "FAIL gilneeder 1.0 is gil-fallback" in captured.err

    (tmp_path / "pyproject.toml").write_text('[tool.ftaudit]\nexempt = ["GilNeeder"]\n', encoding="utf-8")
    assert main(["check", "--path", str(site), "--format", "json"]) == 0

    report_file = tmp_path / "report.html"
    assert main(["report", "--path", str(site), "-o", str(report_file)]) == 0
    page = report_file.read_text(encoding="utf-8")
    assert page.count('<tr class="distribution"') == 2 and "Ask upstream of gilneeder 1.0" in page


# --------------------------------------------------------------------------- CI examples


def _workflow_ftaudit_commands() -> list[list[str]]:
    import re
    import shlex

    import yaml

    workflow = yaml.safe_load(
        (REPOSITORY / ".github" / "workflows" / "ftaudit.yml").read_text(encoding="utf-8")
    )
    commands = []
    for step in workflow["jobs"]["free-threading"]["steps"]:
        script = step.get("run", "").replace("\\\n", " ")
        for line in script.splitlines():
            if '/bin/ftaudit"' not in line:
                continue
            line = re.sub(r"\$\{\{[^}]*\}\}", "/opt/python3.13t", line)
            line = line.split(" >")[0].split(" || ")[0]
            words = shlex.split(line)
            commands.append(words[1:])
    return commands


def test_example_workflow_commands_are_valid_ftaudit_invocations():
    from auditor.cli import build_parser

    commands = _workflow_ftaudit_commands()
    assert [words[0] for words in commands] == ["check", "scan", "report", "report"]
    parser = build_parser()
    for words in commands:
        args = parser.parse_args(words)  # SystemExit (and a failed test) on a bad flag
        assert args.handler is not None
    check_args = parser.parse_args(commands[0])
    assert check_args.format == "sarif" and check_args.python == "/opt/python3.13t"


def test_pre_commit_hook_runs_scan_source_on_the_files_it_is_given(tmp_path):
    import shlex
    import subprocess

    import yaml

    (hook,) = yaml.safe_load((REPOSITORY / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "ftaudit-source" and hook["pass_filenames"] is True
    entry = shlex.split(hook["entry"])
    assert entry[0] == "ftaudit"
    clean = tmp_path / "clean.py"
    clean.write_text("def add(a, b):\n    return a + b\n", encoding="utf-8")
    executable = str(Path(sys.executable).with_name("ftaudit"))
    completed = subprocess.run(
        [executable, *entry[1:], str(clean)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert completed.returncode == 0, completed.stderr


def test_distribution_findings_point_at_the_declaring_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "1"\n'
        'dependencies = [\n    "numpy>=2",\n    "PyYAML==6.0.2",  # config\n]\n',
        encoding="utf-8",
    )
    (tmp_path / "requirements-dev.txt").write_text("-r requirements.txt\nmarkupsafe~=2.1\n", encoding="utf-8")
    failing = _write_report(tmp_path / "failing.json", full_report())
    assert main(["check", "--input", failing, "--format", "sarif"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    located = {
        result["properties"]["distribution"]: result["locations"][0]["physicalLocation"]
        for result in results
        if result["ruleId"] == "FTE003"
    }
    assert located["PyYAML"]["artifactLocation"] == {"uri": "pyproject.toml", "uriBaseId": "%SRCROOT%"}
    assert located["PyYAML"]["region"]["startLine"] == 6
    assert located["MarkupSafe"]["artifactLocation"]["uri"] == "requirements-dev.txt"
    assert located["MarkupSafe"]["region"]["startLine"] == 2
    # The location is part of the fingerprint: a baseline written by check is honoured by check.
    assert main(["check", "--input", failing, "--write-baseline", "accepted.json"]) == 0
    assert main(["check", "--input", failing, "--baseline", "accepted.json"]) == 3
