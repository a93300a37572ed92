"""The JSON dump is the interface between commands: it must round-trip exactly."""

from __future__ import annotations

import json

from auditor.model import (
    AuditReport,
    Distribution,
    ExtensionModule,
    FailureKind,
    Finding,
    GilDeclaration,
    GilDeclaredBy,
    HammerVerdict,
    InterpreterRun,
    Location,
    PackageWheelStatus,
    RiskySymbol,
    RuntimeGil,
    SampleResult,
    ScanResult,
    Severity,
    SourceScanResult,
    Throughput,
    TreeResult,
    TrialFailure,
    Verdict,
)
from auditor.model.serialize import dumps, from_dict, to_dict


def _full_report() -> AuditReport:
    finding = Finding(
        rule="FTB001",
        message="never declares Py_mod_gil",
        severity=Severity.ERROR,
        location=Location(path="pkg/_speed.cpython-313t-x86_64-linux-gnu.so", symbol="PyInit__speed"),
        evidence=["no Py_mod_gil slot"],
        distribution="pkg",
        module="pkg._speed",
    )
    extension = ExtensionModule(
        path="pkg/_speed.cpython-313t-x86_64-linux-gnu.so",
        module="pkg._speed",
        abi="cp313t",
        abi_free_threaded=True,
        loadable_on_target=True,
        gil=GilDeclaration.USED,
        gil_declared_by=GilDeclaredBy.NEVER,
        risky_symbols=[RiskySymbol("PyDict_GetItem", "FTB101", "PyDict_GetItemRef")],
        runtime_gil=RuntimeGil.ENABLED,
        agrees_with_runtime=True,
    )
    scan = ScanResult(
        target="3.13t",
        site_packages=["/env/site-packages"],
        distributions=[
            Distribution(
                name="pkg",
                version="1.0",
                site_packages="/env/site-packages",
                metadata_path="pkg-1.0.dist-info",
                extensions=[extension],
                verdict=Verdict.GIL_FALLBACK,
                reason="1 of 1",
                findings=[finding],
            )
        ],
    )
    run = InterpreterRun(
        python="/py",
        label="CPython 3.13.5t",
        free_threaded=True,
        build_route="cffi-ctypes",
        verdict=HammerVerdict.RACE,
        trials=3,
        failures=1,
        first_failure_seconds=0.4,
        failure_examples=[TrialFailure(FailureKind.WRONG_RESULT, "lost 12 increments", 2, 0.4)],
        throughput=[Throughput(1, 1e6), Throughput(8, 3.5e6)],
    )
    sample = SampleResult(
        name="counter",
        path="ext_samples/counter",
        kind="capi",
        expect="race-without-gil",
        verdict=HammerVerdict.RACE,
        failures=1,
        trials=3,
        baseline_verdict=HammerVerdict.NO_RACE_OBSERVED,
        classification="race-without-gil",
        matches_expectation=True,
        target=run,
    )
    tree = TreeResult(
        source="requirements.txt",
        target="3.13t",
        index_url="http://127.0.0.1/simple",
        packages=[
            PackageWheelStatus(
                name="fastlib",
                version="1.0",
                pinned=True,
                ready=False,
                status="needs-build",
                first_ready_version="1.1",
            )
        ],
    )
    return AuditReport(
        created="2026-11-25T00:00:00Z",
        scan=scan,
        hammer=[sample],
        tree=tree,
        source=SourceScanResult(roots=["src"], files_checked=2, findings=[finding]),
    )


def test_report_round_trips_through_json_text():
    report = _full_report()
    loaded = from_dict(AuditReport, json.loads(dumps(report)))
    assert loaded == report
    assert isinstance(loaded.scan.distributions[0].extensions[0].gil, GilDeclaration)
    assert loaded.hammer[0].target.throughput[1].calls_per_second == 3.5e6


def test_extension_json_carries_the_documented_keys():
    extension = to_dict(_full_report())["scan"]["distributions"][0]["extensions"][0]
    assert extension["path"] == "pkg/_speed.cpython-313t-x86_64-linux-gnu.so"
    assert extension["module"] == "pkg._speed"
    assert extension["gil"] == "used"
    assert extension["runtime_gil"] == "enabled"


def test_unknown_keys_from_a_newer_minor_schema_are_ignored():
    data = to_dict(_full_report())
    data["scan"]["distributions"][0]["added_in_1_1"] = "whatever"
    assert from_dict(AuditReport, data).scan.distributions[0].name == "pkg"


def test_a_wrong_enum_value_is_an_error_not_silently_kept():
    data = to_dict(_full_report())
    data["scan"]["distributions"][0]["verdict"] = "maybe"
    try:
        from_dict(AuditReport, data)
    except ValueError as error:
        assert "maybe" in str(error)
    else:
        raise AssertionError("an invalid verdict was accepted")


def test_fingerprint_ignores_line_numbers_but_not_the_code():
    def finding(line: int, snippet: str) -> Finding:
        return Finding(
            rule="FTP001",
            message="m",
            severity=Severity.WARNING,
            location=Location(path="a.py", line=line, snippet=snippet),
        )

    assert finding(3, "CACHE.append(x)").fingerprint == finding(40, "CACHE.append(x)").fingerprint
    assert finding(3, "CACHE.append(x)").fingerprint != finding(3, "OTHER.append(x)").fingerprint


def test_all_findings_collects_every_section():
    report = _full_report()
    assert [f.rule for f in report.all_findings()] == ["FTB001", "FTB001"]


def test_findings_publish_flat_code_path_line_column_keys():
    finding = Finding(
        rule="FTP003",
        message="m",
        severity=Severity.WARNING,
        location=Location(path="app/cache.py", line=12, column=5, snippet="_x = load()"),
    )
    dumped = to_dict(finding)
    assert (dumped["code"], dumped["path"], dumped["line"], dumped["column"]) == (
        "FTP003",
        "app/cache.py",
        12,
        5,
    )
    assert dumped["fingerprint"] == finding.fingerprint
    assert from_dict(Finding, dumped) == finding  # derived keys are not read back


def test_every_new_report_is_stamped_one_way():
    # docs/json-schema.md: `created` is UTC to the second with +00:00, whichever command wrote it.
    import auditor

    report = AuditReport.create(hammer=[])
    assert report.tool_version == auditor.__version__ and report.target == "3.13t"
    assert report.created.endswith("+00:00") and len(report.created) == len("2026-11-25T13:00:00+00:00")
    started = AuditReport.create(target="3.14t", started=1_795_000_000.7)
    assert started.created == "2026-11-18T11:06:40+00:00" and started.target == "3.14t"
