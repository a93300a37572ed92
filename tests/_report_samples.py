"""Realistic result-model objects for the reporter, report, gate and diff tests.

They are shaped like what scan / probe / hammer / scan-source / tree produce on a real
environment (names, versions and reasons taken from packages as they stood in 2025),
so the reporters are exercised on the variety they meet in use: every verdict, probed
and unprobed extensions, suppressed findings, a partial scan, harness runs with a GIL
baseline and throughput, source problems and a dependency tree.
"""

from __future__ import annotations

import copy

from auditor.model import (
    AuditReport,
    Distribution,
    ExtensionModule,
    FailureKind,
    FileProblem,
    Finding,
    GilDeclaration,
    GilDeclaredBy,
    HammerVerdict,
    InterpreterInfo,
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

SITE = "/venv/lib/python3.13t/site-packages"


def interpreter(free_threaded: bool = True) -> InterpreterInfo:
    tag = "cp313t" if free_threaded else "cp313"
    return InterpreterInfo(
        executable="/root/.cache/ftaudit/pythons/3.13t/bin/python3.13t",
        version="3.13.5",
        implementation="cpython",
        free_threaded=free_threaded,
        abi_tag=tag,
        soabi=f"cpython-{tag[2:]}-x86_64-linux-gnu",
        ext_suffix=f".cpython-{tag[2:]}-x86_64-linux-gnu.so",
        tsan=False,
        found_via="--python",
        platlib=SITE,
    )


def _extension(
    path: str,
    module: str,
    *,
    abi: str = "cp313t",
    gil: GilDeclaration = GilDeclaration.NOT_USED,
    by: GilDeclaredBy = GilDeclaredBy.SLOT,
    runtime: RuntimeGil | None = None,
    agrees: bool | None = None,
    generator: str | None = None,
    **extra,
) -> ExtensionModule:
    return ExtensionModule(
        path=path,
        module=module,
        abi=abi,
        abi_free_threaded=abi.endswith("t") if abi != "unknown" else None,
        loadable_on_target=abi == "cp313t",
        gil=gil,
        gil_declared_by=by,
        generator=generator,
        init_style="multi-phase",
        runtime_gil=runtime,
        agrees_with_runtime=agrees,
        **extra,
    )


def scan_result(probed: bool = True) -> ScanResult:
    """Six distributions: ready, pure, gil-fallback (x2), needs-build, unknown."""
    numpy = Distribution(
        name="numpy",
        version="2.3.1",
        site_packages=SITE,
        metadata_path="numpy-2.3.1.dist-info",
        wheel_tags=["cp313-cp313t-manylinux_2_28_x86_64"],
        verdict=Verdict.READY,
        free_threading_classifier="Programming Language :: Python :: Free Threading :: 2 - Beta",
        reason="every extension declares Py_MOD_GIL_NOT_USED",
        extensions=[
            _extension(
                "numpy/_core/_multiarray_umath.cpython-313t-x86_64-linux-gnu.so",
                "numpy._core._multiarray_umath",
                runtime=RuntimeGil.DISABLED if probed else None,
                agrees=True if probed else None,
            ),
            _extension(
                "numpy/random/_generator.cpython-313t-x86_64-linux-gnu.so",
                "numpy.random._generator",
                generator="Cython",
                runtime=RuntimeGil.DISABLED if probed else None,
                agrees=True if probed else None,
            ),
        ],
    )
    requests = Distribution(
        name="requests",
        version="2.32.4",
        site_packages=SITE,
        metadata_path="requests-2.32.4.dist-info",
        verdict=Verdict.PURE,
        reason="no extension modules",
        wheel_tags=["py3-none-any"],
    )
    pyyaml = Distribution(
        name="PyYAML",
        version="6.0.2",
        site_packages=SITE,
        metadata_path="PyYAML-6.0.2.dist-info",
        wheel_tags=["cp313-cp313t-manylinux_2_17_x86_64"],
        verdict=Verdict.GIL_FALLBACK,
        reason="yaml._yaml never declares Py_mod_gil (Cython 3.0 default)",
        extensions=[
            _extension(
                "yaml/_yaml.cpython-313t-x86_64-linux-gnu.so",
                "yaml._yaml",
                gil=GilDeclaration.USED,
                by=GilDeclaredBy.NEVER,
                generator="Cython",
                runtime=RuntimeGil.ENABLED if probed else None,
                agrees=True if probed else None,
                runtime_warning="RuntimeWarning: The global interpreter lock (GIL) has been "
                "enabled to load module 'yaml._yaml'",
            )
        ],
        findings=[
            Finding(
                rule="FTB002",
                message="yaml._yaml re-enables the GIL on import",
                severity=Severity.WARNING,
                location=Location(path="yaml/_yaml.cpython-313t-x86_64-linux-gnu.so", symbol="PyInit__yaml"),
                evidence=["no Py_mod_gil slot in the PyModuleDef_Slot array"],
                fix="declare Py_MOD_GIL_NOT_USED",
                distribution="PyYAML",
                module="yaml._yaml",
            )
        ],
    )
    markupsafe = Distribution(
        name="MarkupSafe",
        version="2.1.5",
        site_packages=SITE,
        metadata_path="MarkupSafe-2.1.5.dist-info",
        verdict=Verdict.GIL_FALLBACK,
        reason="markupsafe._speedups uses single-phase init",
        extensions=[
            _extension(
                "markupsafe/_speedups.cpython-313t-x86_64-linux-gnu.so",
                "markupsafe._speedups",
                gil=GilDeclaration.USED,
                by=GilDeclaredBy.NEVER,
                runtime=RuntimeGil.ENABLED if probed else None,
                agrees=True if probed else None,
                risky_symbols=[
                    RiskySymbol(name="PyDict_GetItem", rule="FTB010", replacement="PyDict_GetItemRef")
                ],
            )
        ],
        findings=[
            Finding(
                rule="FTB010",
                message="imports PyDict_GetItem (borrowed reference)",
                severity=Severity.ERROR,
                location=Location(
                    path="markupsafe/_speedups.cpython-313t-x86_64-linux-gnu.so", symbol="PyDict_GetItem"
                ),
                fix="use PyDict_GetItemRef",
                distribution="MarkupSafe",
                module="markupsafe._speedups",
            ),
            Finding(
                rule="FTB011",
                message="imports PyList_GetItem (borrowed reference)",
                severity=Severity.WARNING,
                suppressed=True,
                suppression_reason="list is never shared between threads",
                location=Location(
                    path="markupsafe/_speedups.cpython-313t-x86_64-linux-gnu.so", symbol="PyList_GetItem"
                ),
                distribution="MarkupSafe",
                module="markupsafe._speedups",
            ),
        ],
    )
    lxml = Distribution(
        name="lxml",
        version="5.2.2",
        site_packages=SITE,
        metadata_path="lxml-5.2.2.dist-info",
        wheel_tags=["cp313-cp313-manylinux_2_28_x86_64"],
        verdict=Verdict.NEEDS_BUILD,
        reason="built for cp313 (GIL ABI); the free-threaded interpreter cannot load it",
        extensions=[
            _extension(
                "lxml/etree.cpython-313-x86_64-linux-gnu.so",
                "lxml.etree",
                abi="cp313",
                gil=GilDeclaration.UNKNOWN,
                by=GilDeclaredBy.UNDETERMINED,
                runtime=RuntimeGil.IMPORT_ERROR if probed else None,
                runtime_detail="ModuleNotFoundError: No module named 'lxml.etree'",
            )
        ],
    )
    odd = Distribution(
        name="oddpkg",
        version="0.1",
        site_packages=SITE,
        metadata_path="oddpkg-0.1.dist-info",
        verdict=Verdict.UNKNOWN,
        reason="_odd.so is not an ELF file",
        extensions=[
            _extension(
                "oddpkg/_odd.so",
                "oddpkg._odd",
                abi="unknown",
                gil=GilDeclaration.UNKNOWN,
                by=GilDeclaredBy.UNDETERMINED,
                errors=["not an ELF file (bad magic b'#!/b')"],
            )
        ],
        errors=["RECORD lists oddpkg/missing.py, which does not exist"],
    )
    return ScanResult(
        target="3.13t",
        site_packages=[SITE],
        distributions=[numpy, requests, pyyaml, markupsafe, lxml, odd],
        interpreter=interpreter(),
        partial=True,
        errors=["broken-1.0.dist-info: METADATA missing"],
        probed_with=interpreter().executable if probed else None,
        duration_seconds=1.7,
    )


def _run(free_threaded: bool, verdict: HammerVerdict, failures: int, trials: int = 20) -> InterpreterRun:
    return InterpreterRun(
        python="/root/.cache/ftaudit/pythons/3.13t/bin/python3.13t"
        if free_threaded
        else "/usr/bin/python3.13",
        label="CPython 3.13.5t" if free_threaded else "CPython 3.13.5",
        free_threaded=free_threaded,
        build_route="capi",
        verdict=verdict,
        trials=trials,
        failures=failures,
        seconds=4.2,
        first_failure_seconds=0.31 if failures else None,
        failure_examples=[
            TrialFailure(
                kind=FailureKind.WRONG_RESULT,
                message="AssertionError: 79812 != 80000",
                trial=1,
                seconds_into_run=0.31,
            )
        ]
        if failures
        else [],
        # The same 80,000 calls: 66.7 ms on one thread, 19.5 ms on 8 threads (8 cores).
        throughput=[
            Throughput(threads=1, calls_per_second=1.2e6, seconds=0.0667, calls=80_000, repetitions=5),
            Throughput(threads=8, calls_per_second=4.1e6, seconds=0.0195, calls=80_000, repetitions=5),
        ],
        speedup=3.42,
        cores=8,
    )


def hammer_results() -> list[SampleResult]:
    counter = SampleResult(
        name="shared_counter",
        path="ext_samples/shared_counter",
        kind="capi",
        expect="race-without-gil",
        verdict=HammerVerdict.RACE,
        failures=17,
        trials=20,
        baseline_verdict=HammerVerdict.NO_RACE_OBSERVED,
        classification="race-without-gil",
        matches_expectation=True,
        target=_run(True, HammerVerdict.RACE, 17),
        baseline=_run(False, HammerVerdict.NO_RACE_OBSERVED, 0),
        description="a C counter incremented without a lock",
        findings=[
            Finding(
                rule="FTR001",
                message="shared_counter: wrong result in 17/20 trials without the GIL",
                severity=Severity.ERROR,
                location=Location(path="ext_samples/shared_counter/counter.c", line=14, column=5),
                module="shared_counter",
            )
        ],
    )
    locked = SampleResult(
        name="locked_cache",
        path="ext_samples/locked_cache",
        kind="capi",
        expect="safe",
        verdict=HammerVerdict.NO_RACE_OBSERVED,
        failures=0,
        trials=20,
        baseline_verdict=HammerVerdict.NO_RACE_OBSERVED,
        classification="safe",
        matches_expectation=True,
        target=_run(True, HammerVerdict.NO_RACE_OBSERVED, 0),
        baseline=_run(False, HammerVerdict.NO_RACE_OBSERVED, 0),
    )
    broken = SampleResult(
        name="cffi_buffer",
        path="ext_samples/cffi_buffer",
        kind="cffi",
        expect="race",
        verdict=HammerVerdict.BUILD_ERROR,
        failures=0,
        trials=0,
        baseline_verdict=None,
        classification=None,
        matches_expectation=None,
        description="cffi refuses free-threaded 3.13",
    )
    return [counter, locked, broken]


def source_result() -> SourceScanResult:
    return SourceScanResult(
        roots=["src"],
        files_checked=42,
        files_from_cache=30,
        findings=[
            Finding(
                rule="FTC001",
                message="PyList_GET_ITEM returns a borrowed reference another thread may free",
                severity=Severity.ERROR,
                location=Location(
                    path="src/fastpath.c", line=88, column=17, snippet="item = PyList_GET_ITEM(list, i);"
                ),
                fix="use PyList_GetItemRef",
            ),
            Finding(
                rule="FTP003",
                message="module-level dict mutated from a thread target",
                severity=Severity.NOTE,
                location=Location(path="src/pkg/cache.py", line=12, column=1, snippet="_CACHE[key] = value"),
            ),
        ],
        problems=[FileProblem(path="src/bad.pyx", message="not UTF-8 (byte 0xff at offset 10)")],
        partial=True,
    )


def tree_result() -> TreeResult:
    return TreeResult(
        source="requirements.txt",
        target="3.13t",
        index_url="http://127.0.0.1:8000/simple",
        packages=[
            PackageWheelStatus(
                name="lxml",
                version="5.2.2",
                pinned=True,
                ready=False,
                status="needs-build",
                first_ready_version="5.4.0",
                latest_version="6.0.0",
                reason="5.2.2 ships no cp313t wheel",
                held_back_by=["lxml-html-clean 0.1 requires lxml<5.3"],
            ),
            PackageWheelStatus(
                name="numpy",
                version="2.3.1",
                pinned=True,
                ready=True,
                status="ready",
                matching_files=["numpy-2.3.1-cp313-cp313t-manylinux_2_28_x86_64.whl"],
                inspected_wheel="numpy-2.3.1-cp313-cp313t-manylinux_2_28_x86_64.whl",
                gil_fallback=False,
            ),
            PackageWheelStatus(
                name="pyarrow",
                version="16.1.0",
                pinned=True,
                ready=False,
                status="needs-build",
                first_ready_version=None,
                latest_version="16.1.0",
                reason="no release ships a cp313t wheel",
            ),
        ],
    )


def full_report(probed: bool = True) -> AuditReport:
    return AuditReport(
        tool_version="0.1.0",
        created="2026-11-25T13:00:00+00:00",
        target="3.13t",
        scan=scan_result(probed),
        source=source_result(),
        hammer=hammer_results(),
        tree=tree_result(),
    )


HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'">'


def hostile_report() -> AuditReport:
    """Package-derived strings that try to inject markup into HTML, Markdown and XML."""
    report = full_report()
    distribution = copy.deepcopy(report.scan.distributions[2])
    distribution.name = f"evil{HOSTILE}"
    distribution.reason = f"reason {HOSTILE} | pipe ` backtick \x07 bell"
    distribution.extensions[0].module = f"evil.{HOSTILE}"
    for finding in distribution.findings:
        finding.distribution = distribution.name
        finding.message = f"message {HOSTILE}"
        finding.evidence = [f"evidence {HOSTILE}"]
    report.scan.distributions.append(distribution)
    report.hammer[0].description = HOSTILE
    return report


def environment_scenario(text: str):
    """Build (report, interpreter facts) from an FTE rule's ``language="environment"``
    example: a TOML description of an interpreter and / or installed distributions."""
    import tomllib

    from auditor.engine.gate import InterpreterFacts

    data = tomllib.loads(text)
    facts = None
    if "interpreter" in data:
        described = dict(data["interpreter"])
        facts = InterpreterFacts(
            executable=described.pop("executable", "/usr/bin/python3"),
            version=described.pop("version", "3.13.5"),
            py_gil_disabled=1 if described.get("free_threaded") else 0,
            **described,
        )
    distributions = []
    for described in data.get("distribution", []):
        extensions = [
            _extension(
                f"{item['module'].replace('.', '/')}.so",
                item["module"],
                gil=GilDeclaration(item.get("gil", "not-used")),
                runtime=RuntimeGil(item["runtime_gil"]) if "runtime_gil" in item else None,
            )
            for item in described.get("extension", [])
        ]
        from auditor.pipelines.scan_probe import runtime_agreement

        for extension in extensions:
            extension.agrees_with_runtime = runtime_agreement(extension)
        distributions.append(
            Distribution(
                name=described["name"],
                version=described["version"],
                site_packages=SITE,
                metadata_path=f"{described['name']}-{described['version']}.dist-info",
                verdict=Verdict(described["verdict"]),
                reason=described.get("reason", "from the example"),
                extensions=extensions,
            )
        )
    scan = (
        ScanResult(target="3.13t", site_packages=[SITE], distributions=distributions)
        if distributions
        else None
    )
    packages = [
        PackageWheelStatus(pinned=True, ready=described.get("status") == "ready", **described)
        for described in data.get("package", [])
    ]
    tree = (
        TreeResult(
            source="requirements.txt", target="3.13t", index_url="https://pypi.org/simple", packages=packages
        )
        if packages
        else None
    )
    return AuditReport(scan=scan, tree=tree), facts


def build_extension(python: str, name: str, c_source: str, folder) -> None:
    """Compile ``c_source`` into ``folder/name<EXT_SUFFIX>`` for ``python`` with gcc.

    Built once per (source, interpreter) under ~/.cache/ftaudit/test-builds and copied,
    so the suite does not recompile on every run.
    """
    import hashlib
    import json as json_module
    import shutil
    import subprocess
    from pathlib import Path

    answer = subprocess.run(
        [
            python,
            "-c",
            "import json, sysconfig; print(json.dumps([sysconfig.get_paths()['include'],"
            " sysconfig.get_config_var('EXT_SUFFIX')]))",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    include, suffix = json_module.loads(answer.stdout)
    key = hashlib.sha256(f"{c_source}\0{include}\0{suffix}\0{name}".encode()).hexdigest()[:20]
    cache = Path.home() / ".cache" / "ftaudit" / "test-builds" / f"report-{key}"
    built = cache / f"{name}{suffix}"
    if not built.exists():
        cache.mkdir(parents=True, exist_ok=True)
        source = cache / f"{name}.c"
        source.write_text(c_source, encoding="utf-8")
        partial = cache / f"{name}.tmp.so"
        subprocess.run(
            ["gcc", "-shared", "-fPIC", "-O0", f"-I{include}", str(source), "-o", str(partial)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        partial.replace(built)
    Path(folder).mkdir(parents=True, exist_ok=True)
    shutil.copy2(built, Path(folder) / built.name)


# Multi-phase init with no Py_mod_gil slot: a free-threaded interpreter re-enables the
# GIL when it imports this (a missing slot means Py_MOD_GIL_USED).
GIL_USING_EXTENSION = """
#include <Python.h>
static PyModuleDef_Slot slots[] = {{0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "gilneeder", NULL, 0, NULL, slots};
PyMODINIT_FUNC PyInit_gilneeder(void) { return PyModuleDef_Init(&module); }
"""

# The same module, declaring that it does not need the GIL (Include/moduleobject.h).
FREE_THREADED_EXTENSION = """
#include <Python.h>
static PyModuleDef_Slot slots[] = {
#ifdef Py_GIL_DISABLED
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL}};
static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "freeready", NULL, 0, NULL, slots};
PyMODINIT_FUNC PyInit_freeready(void) { return PyModuleDef_Init(&module); }
"""


def install_extension_distribution(python: str, site, name: str, c_source: str, version: str = "1.0") -> None:
    """A distribution as pip would leave it: the compiled module plus a dist-info with
    METADATA, WHEEL (a cp313t tag) and a RECORD that lists every file."""
    from pathlib import Path

    site = Path(site)
    build_extension(python, name, c_source, site)
    (binary,) = [path.name for path in site.glob(f"{name}.*.so")]
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "WHEEL").write_text(
        "Wheel-Version: 1.0\nGenerator: ftaudit-tests\nRoot-Is-Purelib: false\n"
        "Tag: cp313-cp313t-linux_x86_64\n",
        encoding="utf-8",
    )
    (info / "INSTALLER").write_text("pip\n", encoding="utf-8")
    record = [f"{binary},,"] + [
        f"{info.name}/{item},," for item in ("METADATA", "WHEEL", "INSTALLER", "RECORD")
    ]
    (info / "RECORD").write_text("\n".join(record) + "\n", encoding="utf-8")


def project_report() -> AuditReport:
    """full_report() as `ftaudit audit` on a project writes it: parts and a decision per target."""
    from auditor.model import AuditPart, Blocker, ProjectAudit, TargetDecision

    report = full_report()
    race = Blocker(
        "own-code", "shared_counter", None, "our code races only without the GIL (sample shared_counter)"
    )
    report.project = ProjectAudit(
        path="/srv/pricing",
        name="pricing",
        parts=[
            AuditPart("dependencies", "done", "requirements.txt: 3 packages judged for 3.13t, 3.14t"),
            AuditPart("environment", "skipped", "no active virtualenv and no .venv/ in the project"),
            AuditPart("sources", "done", "12 files checked, 2 findings (src)"),
            AuditPart("samples", "done", "1 sample from ftaudit-samples/"),
        ],
        dependency_file="/srv/pricing/requirements.txt",
        index="https://pypi.org/simple (from default (PyPI))",
        targets=["3.13t", "3.14t"],
        decisions=[
            TargetDecision(
                "3.13t",
                False,
                "3.13t: blocked by 1 of 3 dependencies (lxml 5.2.2) and 1 race in our code (shared_counter)",
                [
                    Blocker(
                        "dependency",
                        "lxml",
                        "5.2.2",
                        "upgrade lxml from 5.2.2 to 5.4.0, the first release with cp313t wheels",
                    ),
                    race,
                ],
            ),
            TargetDecision(
                "3.14t",
                False,
                "3.14t: all 3 dependencies are ready; blocked by 1 race in our code (shared_counter)",
                [race],
                static_only="3.14t is judged statically, from the binaries",
            ),
        ],
        recommended_target="3.14t",
    )
    return report
