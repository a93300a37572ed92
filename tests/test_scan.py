"""The scan: verdicts, reasons, cache and parallel analysis over real compiled modules.

Extension modules are compiled by gcc against the provisioned free-threaded 3.13 and a
GIL 3.13, installed into a temporary site-packages with real dist-info metadata, and
scanned; with the probe available, each module is also imported by the free-threaded
interpreter and the static answer must equal what the runtime did.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from _scan_helpers import (  # noqa: E402
    MULTI_PHASE,
    SINGLE_PHASE,
    compile_module,
    free_threaded_python,
    gil_python,
    write_distribution,
)

from auditor.model.environment import (
    Distribution,
    ExtensionModule,
    GilDeclaration,
    GilDeclaredBy,
    RuntimeGil,
    Verdict,
)
from auditor.model.finding import Finding
from auditor.pipelines.scan import ScanError, scan
from auditor.pipelines.scan_probe import runtime_agreement
from auditor.pipelines.verdicts import judge_distribution


def require_analyser():
    """Kept as a call site marker for tests that read real binaries."""
    import auditor.collectors.binary  # noqa: F401


def require_probe():
    """Kept as a call site marker for tests that import in a subprocess."""
    import auditor.collectors.import_probe  # noqa: F401


def extension(
    module: str,
    gil: GilDeclaration,
    declared_by: GilDeclaredBy = GilDeclaredBy.SLOT,
    loadable: bool | None = True,
    abi: str = "cp313t",
    errors: list[str] | None = None,
) -> ExtensionModule:
    return ExtensionModule(
        path=module.replace(".", "/") + ".so",
        module=module,
        abi=abi,
        abi_free_threaded=abi.endswith("t"),
        loadable_on_target=loadable,
        gil=gil,
        gil_declared_by=declared_by,
        errors=list(errors or []),
    )


def distribution(*extensions: ExtensionModule, classifier: str | None = None) -> Distribution:
    return Distribution(
        name="example",
        version="1.0",
        site_packages="/site",
        metadata_path="/site/x.dist-info",
        extensions=list(extensions),
        free_threading_classifier=classifier,
    )


# ----------------------------------------------------------------- verdict rules


def test_no_extensions_is_pure_and_shows_the_classifier():
    verdict, reason = judge_distribution(
        distribution(classifier="Programming Language :: Python :: Free Threading :: 4 - Resilient")
    )
    assert verdict is Verdict.PURE and "4 - Resilient" in reason


def test_all_not_used_is_ready():
    verdict, reason = judge_distribution(
        distribution(
            extension("a._x", GilDeclaration.NOT_USED),
            extension("a._y", GilDeclaration.NOT_USED, GilDeclaredBy.SET_GIL_CALL),
        )
    )
    assert verdict is Verdict.READY and "all 2 extension modules" in reason


def test_gil_fallback_names_never_declared_and_declared_used_apart():
    verdict, reason = judge_distribution(
        distribution(
            extension("np._core._umath", GilDeclaration.USED, GilDeclaredBy.NEVER),
            extension("np._core._other", GilDeclaration.USED, GilDeclaredBy.SLOT),
            extension("np.fine", GilDeclaration.NOT_USED),
        )
    )
    assert verdict is Verdict.GIL_FALLBACK
    assert "1 of 3 extension modules never declare Py_mod_gil: np._core._umath" in reason
    assert "1 of 3 declare Py_MOD_GIL_USED: np._core._other" in reason


def test_a_module_that_cannot_load_means_needs_build_first():
    verdict, reason = judge_distribution(
        distribution(
            extension(
                "old._c", GilDeclaration.UNKNOWN, GilDeclaredBy.NOT_APPLICABLE, loadable=False, abi="cp313"
            ),
            extension("old._d", GilDeclaration.USED, GilDeclaredBy.NEVER),
        )
    )
    assert verdict is Verdict.NEEDS_BUILD and "built for cp313" in reason and "old._c" in reason


def test_undecided_modules_give_unknown_with_the_first_problem():
    verdict, reason = judge_distribution(
        distribution(
            extension("b._x", GilDeclaration.NOT_USED),
            extension(
                "b._broken",
                GilDeclaration.UNKNOWN,
                GilDeclaredBy.UNDETERMINED,
                loadable=None,
                errors=["b/_broken.so: not an ELF file"],
            ),
        )
    )
    assert verdict is Verdict.UNKNOWN and "b._broken" in reason and "not an ELF file" in reason


def test_a_known_gil_user_outranks_an_undecided_module():
    verdict, reason = judge_distribution(
        distribution(
            extension("c._uses", GilDeclaration.USED, GilDeclaredBy.NEVER),
            extension("c._odd", GilDeclaration.UNKNOWN, GilDeclaredBy.UNDETERMINED),
        )
    )
    assert verdict is Verdict.GIL_FALLBACK and "1 could not be decided: c._odd" in reason


def test_reasons_list_at_most_five_names():
    many = [extension(f"pkg.m{index}", GilDeclaration.USED, GilDeclaredBy.NEVER) for index in range(14)]
    _, reason = judge_distribution(distribution(*many))
    assert reason.startswith("14 of 14 extension modules never declare Py_mod_gil: pkg.m0, pkg.m1")
    assert reason.endswith("…") and "pkg.m5" not in reason


# ----------------------------------------------------------------- agreement rules


@pytest.mark.parametrize(
    "static, runtime, warning, expected",
    [
        (GilDeclaration.NOT_USED, RuntimeGil.DISABLED, None, True),
        (GilDeclaration.NOT_USED, RuntimeGil.ENABLED, "to load module 'pkg.mod', which", False),
        (GilDeclaration.USED, RuntimeGil.ENABLED, "to load module 'pkg.mod', which", True),
        (GilDeclaration.USED, RuntimeGil.DISABLED, None, False),
        (GilDeclaration.UNKNOWN, RuntimeGil.DISABLED, None, False),
        (GilDeclaration.NOT_USED, RuntimeGil.IMPORT_ERROR, None, None),
        (GilDeclaration.USED, RuntimeGil.CRASH, None, None),
        (GilDeclaration.USED, RuntimeGil.TIMEOUT, None, None),
        # Another module turned the GIL on first: this module's own answer was not observed.
        (GilDeclaration.NOT_USED, RuntimeGil.ENABLED, "to load module 'pkg._helper', which", None),
    ],
)
def test_runtime_agreement(static, runtime, warning, expected):
    module = extension("pkg.mod", static)
    module.runtime_gil = runtime
    module.runtime_warning = warning
    assert runtime_agreement(module) is expected


# ----------------------------------------------------------------- real binaries

SLOT_NOT_USED = "{Py_mod_gil, Py_MOD_GIL_NOT_USED},"
SLOT_USED = "{Py_mod_gil, Py_MOD_GIL_USED},"
SET_GIL_NOT_USED = "PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED);"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """A site-packages of small real distributions, one per verdict."""
    free_threaded = free_threaded_python()
    site = tmp_path_factory.mktemp("scan") / "site-packages"

    def module(
        template: str, name: str, python: str = free_threaded, **replacements: str
    ) -> tuple[str, Path]:
        built, file_name = compile_module(template, name, python, **replacements)
        return f"{name.rsplit('.', 1)[0].replace('.', '/')}/{file_name}", built

    ready_a = module(MULTI_PHASE, "readypkg._alpha", GIL_SLOT=SLOT_NOT_USED)
    ready_b = module(SINGLE_PHASE, "readypkg._beta", SET_GIL=SET_GIL_NOT_USED)
    write_distribution(
        site,
        "readypkg",
        "1.0",
        {"readypkg/__init__.py": b"", ready_a[0]: ready_a[1], ready_b[0]: ready_b[1]},
        classifiers=["Programming Language :: Python :: Free Threading :: 3 - Stable"],
        wheel_tags=["cp313-cp313t-linux_x86_64"],
    )
    never = module(MULTI_PHASE, "fallbackpkg._never", GIL_SLOT="")
    used = module(MULTI_PHASE, "fallbackpkg._used", GIL_SLOT=SLOT_USED)
    single = module(SINGLE_PHASE, "fallbackpkg._single", SET_GIL="")
    fine = module(MULTI_PHASE, "fallbackpkg._fine", GIL_SLOT=SLOT_NOT_USED)
    write_distribution(
        site,
        "fallbackpkg",
        "2.0",
        {
            "fallbackpkg/__init__.py": b"",
            never[0]: never[1],
            used[0]: used[1],
            single[0]: single[1],
            fine[0]: fine[1],
        },
    )
    gil_build = module(MULTI_PHASE, "gilonly._c", gil_python(), GIL_SLOT="")
    write_distribution(
        site,
        "gilonly",
        "3.0",
        {"gilonly/__init__.py": b"", gil_build[0]: gil_build[1]},
        wheel_tags=["cp313-cp313-linux_x86_64"],
    )
    real_bytes = ready_a[1].read_bytes()
    write_distribution(
        site,
        "damaged",
        "4.0",
        {
            "damaged/__init__.py": b"",
            "damaged/_truncated.cpython-313t-x86_64-linux-gnu.so": real_bytes[:200],
            "damaged/_text.cpython-313t-x86_64-linux-gnu.so": b"this is a text file named like a module\n",
        },
    )
    write_distribution(site, "purepkg", "5.0", {"purepkg/__init__.py": b"VALUE = 1\n"})
    return site


def verdicts(result) -> dict[str, Distribution]:
    return {item.name: item for item in result.distributions}


@pytest.mark.timeout(300)
def test_verdicts_on_real_binaries(built_site, tmp_path):
    require_analyser()
    result = scan(paths=[built_site], cache_dir=tmp_path / "cache")
    found = verdicts(result)
    assert found["readypkg"].verdict is Verdict.READY, found["readypkg"].reason
    assert found["readypkg"].free_threading_classifier.endswith("3 - Stable")
    fallback = found["fallbackpkg"]
    assert fallback.verdict is Verdict.GIL_FALLBACK
    assert "never declare Py_mod_gil" in fallback.reason and "fallbackpkg._never" in fallback.reason
    assert "declare Py_MOD_GIL_USED: fallbackpkg._used" in fallback.reason
    assert "fallbackpkg._fine" not in fallback.reason
    assert found["gilonly"].verdict is Verdict.NEEDS_BUILD and "cp313" in found["gilonly"].reason
    assert found["damaged"].verdict is Verdict.UNKNOWN
    damaged = {e.module: e for e in found["damaged"].extensions}
    assert damaged["damaged._truncated"].errors and damaged["damaged._text"].errors
    assert found["purepkg"].verdict is Verdict.PURE
    modules = {e.module: e for d in result.distributions for e in d.extensions}
    assert modules["readypkg._alpha"].gil is GilDeclaration.NOT_USED
    assert modules["readypkg._beta"].gil is GilDeclaration.NOT_USED
    assert modules["fallbackpkg._never"].gil_declared_by is GilDeclaredBy.NEVER
    assert modules["fallbackpkg._single"].gil is GilDeclaration.USED
    assert all(e.path == os.path.relpath(built_site / e.path, built_site) for e in modules.values())
    assert result.partial  # the damaged binaries could not be read
    assert result.duration_seconds > 0


@pytest.mark.timeout(300)
def test_the_cache_is_reused_and_invalidated_by_a_changed_file(built_site, tmp_path):
    require_analyser()
    site = tmp_path / "site"
    shutil.copytree(built_site, site, symlinks=True)
    cache = tmp_path / "cache"
    cold = scan(paths=[site], cache_dir=cache)
    assert cold.extensions_from_cache == 0
    warm = scan(paths=[site], cache_dir=cache)
    readable = sum(1 for d in warm.distributions for e in d.extensions if not e.errors)
    assert warm.extensions_from_cache == readable > 0
    assert [(d.name, d.verdict, d.reason) for d in warm.distributions] == [
        (d.name, d.verdict, d.reason) for d in cold.distributions
    ]
    # Rebuild one module so that it now declares Py_MOD_GIL_NOT_USED: the cache must notice.
    (never_path,) = site.glob("fallbackpkg/_never.*.so")
    rebuilt, _ = compile_module(
        MULTI_PHASE, "fallbackpkg._never", free_threaded_python(), GIL_SLOT=SLOT_NOT_USED
    )
    replacement = never_path.with_suffix(".tmp")
    shutil.copyfile(rebuilt, replacement)
    os.replace(replacement, never_path)
    changed = scan(paths=[site], cache_dir=cache)
    assert changed.extensions_from_cache == readable - 1
    module = {e.module: e for d in changed.distributions for e in d.extensions}["fallbackpkg._never"]
    assert module.gil is GilDeclaration.NOT_USED
    no_cache = scan(paths=[site], use_cache=False)
    assert no_cache.extensions_from_cache == 0


@pytest.mark.timeout(300)
def test_parallel_and_serial_analysis_agree(built_site, monkeypatch):
    require_analyser()
    import auditor.pipelines.scan_workers as scan_module

    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)  # a pool even for these few binaries
    serial = scan(paths=[built_site], jobs=1, use_cache=False)
    parallel = scan(paths=[built_site], jobs=2, use_cache=False)
    threads = scan(paths=[built_site], jobs=2, use_cache=False, pool="thread")

    def shape(result):
        return [
            (d.name, d.verdict, d.reason, [(e.module, e.gil, e.gil_declared_by) for e in d.extensions])
            for d in result.distributions
        ]

    # Compared per distribution, with errors, so a failure shows the differing entries: this
    # test has failed about one full-suite run in twenty and the cause is not yet known.
    expected = shape(serial)
    for pool_kind, result in (("process", parallel), ("thread", threads)):
        differing = [(want, got) for want, got in zip(expected, shape(result), strict=False) if want != got]
        errors = [(e.module, e.errors) for d in result.distributions for e in d.extensions if e.errors]
        assert not differing and len(expected) == len(result.distributions), (pool_kind, differing, errors)


def test_progress_is_reported(built_site, tmp_path):
    require_analyser()
    calls: list[tuple[int, int, str]] = []
    scan(paths=[built_site], cache_dir=tmp_path / "cache", progress=lambda *call: calls.append(call))
    assert calls and calls[-1][0] == calls[-1][1]


def test_no_readable_environment_is_an_error(tmp_path):
    with pytest.raises(ScanError, match="no site-packages folder could be read"):
        scan(paths=[tmp_path / "missing"], use_cache=False)
    with pytest.raises(ScanError):
        scan(python="/no/such/python", use_cache=False)
    with pytest.raises(ScanError, match="target"):
        scan(paths=[tmp_path], target="3.13x")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_probe_agrees_with_the_static_verdict(built_site, tmp_path):
    require_analyser()
    require_probe()
    result = scan(
        paths=[built_site], probe=True, probe_python=free_threaded_python(), cache_dir=tmp_path / "cache"
    )
    assert result.probed_with
    checked = 0
    for item in result.distributions:
        for module in item.extensions:
            if module.loadable_on_target and not module.errors:
                assert module.runtime_gil in (RuntimeGil.ENABLED, RuntimeGil.DISABLED), module
                assert module.agrees_with_runtime is True, (
                    module.module,
                    module.gil,
                    module.runtime_gil,
                    module.runtime_warning,
                )
                checked += 1
    assert checked == 6


def test_cached_analyses_are_rebuilt_exactly():
    """The warm path's fast loader must rebuild what serialize.from_dict rebuilds."""
    from auditor.model.environment import RiskySymbol
    from auditor.model.finding import Location, Severity
    from auditor.model.serialize import from_dict, to_dict
    from auditor.pipelines.scan_workers import _rebuild

    module = extension("pkg.mod", GilDeclaration.NOT_USED, errors=["a note"])
    module.risky_symbols = [RiskySymbol("PyDict_GetItem", "FTB001", "PyDict_GetItemRef")]
    module.runtime_gil = RuntimeGil.CRASH
    finding = Finding(
        rule="FTB001",
        message="borrowed",
        severity=Severity.WARNING,
        location=Location("pkg/mod.so", symbol="PyDict_GetItem"),
        evidence=["imports it"],
    )
    rebuilt_module, (rebuilt_finding,) = _rebuild((to_dict(module), [to_dict(finding)]))
    assert rebuilt_module == module == from_dict(ExtensionModule, to_dict(module))
    assert rebuilt_finding == finding


def test_an_unusable_cache_folder_is_reported_and_the_scan_goes_on(built_site, tmp_path):
    require_analyser()
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_text("in the way")
    result = scan(paths=[built_site], cache_dir=not_a_folder)
    assert any("scan cache" in message and "unusable" in message for message in result.errors)
    assert verdicts(result)["readypkg"].verdict is Verdict.READY


def test_cache_rows_are_marked_used_and_old_ones_dropped(built_site, tmp_path):
    require_analyser()
    import sqlite3

    cache = tmp_path / "cache"
    scan(paths=[built_site], cache_dir=cache)
    database = sqlite3.connect(cache / "analyses.sqlite3")
    with database:
        database.execute("INSERT INTO analyses VALUES ('stale', '{}', '[]', 0)")
        database.execute("UPDATE analyses SET used = 1 WHERE key != 'stale'")
    database.close()
    # A warm scan marks its rows as used; a scan that writes a row prunes the stale one.
    warm = scan(paths=[built_site], cache_dir=cache)
    assert warm.extensions_from_cache > 0
    database = sqlite3.connect(cache / "analyses.sqlite3")
    assert database.execute("SELECT COUNT(*) FROM analyses WHERE used = 1").fetchone()[0] == 0
    database.close()
    extra_site = tmp_path / "extra"
    built, file_name = compile_module(MULTI_PHASE, "extra._m", free_threaded_python(), GIL_SLOT="")
    write_distribution(extra_site, "extra", "1.0", {"extra/__init__.py": b"", f"extra/{file_name}": built})
    scan(paths=[extra_site], cache_dir=cache)
    database = sqlite3.connect(cache / "analyses.sqlite3")
    assert database.execute("SELECT COUNT(*) FROM analyses WHERE key = 'stale'").fetchone()[0] == 0
    database.close()


_real_worker = None


def _worker_that_dies_on_one_file(absolute_path: str, site_packages: str, target: str):
    # Stands in for a native parser crash (a segfault kills the worker the same way).
    if "_never" in absolute_path:
        os._exit(70)
    return _real_worker(absolute_path, site_packages, target)


@pytest.mark.timeout(300)
def test_a_worker_that_dies_loses_only_its_own_file(built_site, monkeypatch):
    require_analyser()
    import auditor.pipelines.scan_workers as scan_module

    global _real_worker
    _real_worker = scan_module._analyse_in_worker
    # fork, so the workers inherit the patched function; forkserver would import afresh.
    monkeypatch.setattr(scan_module, "_START_METHOD", "fork")
    monkeypatch.setattr(scan_module, "POOL_THRESHOLD", 1)
    monkeypatch.setattr(scan_module, "_analyse_in_worker", _worker_that_dies_on_one_file)
    result = scan(paths=[built_site], jobs=2, use_cache=False)
    modules = {e.module: e for d in result.distributions for e in d.extensions}
    assert "process died" in modules["fallbackpkg._never"].errors[0]
    assert result.partial
    others = [
        e for name, e in modules.items() if name != "fallbackpkg._never" and not name.startswith("damaged")
    ]
    assert others and all(not e.errors for e in others)
    assert modules["readypkg._alpha"].gil is GilDeclaration.NOT_USED


def test_a_folder_given_twice_is_read_once(tmp_path):
    site = tmp_path / "site"
    write_distribution(site, "once", "1.0", {"once.py": b""})
    (tmp_path / "link").symlink_to(site)
    result = scan(paths=[site, site, tmp_path / "link"], use_cache=False)
    assert [d.name for d in result.distributions] == ["once"]
    assert result.site_packages == [str(site)]


@pytest.mark.timeout(300)
def test_a_crash_in_a_small_scan_loses_only_its_own_file(built_site, monkeypatch):
    """Below POOL_THRESHOLD the binaries are read in one forked worker, not in ftaudit's
    own process: a native parser crashing on one file must not end the scan."""
    require_analyser()
    import auditor.pipelines.scan_workers as scan_module

    global _real_worker
    _real_worker = scan_module._analyse_in_worker
    monkeypatch.setattr(scan_module, "_analyse_in_worker", _worker_that_dies_on_one_file)
    result = scan(paths=[built_site], use_cache=False)
    modules = {e.module: e for d in result.distributions for e in d.extensions}
    assert len(modules) < scan_module.POOL_THRESHOLD
    assert "process died" in modules["fallbackpkg._never"].errors[0]
    assert result.partial
    others = [
        e for name, e in modules.items() if name != "fallbackpkg._never" and not name.startswith("damaged")
    ]
    assert others and all(not e.errors for e in others)
    assert modules["readypkg._alpha"].gil is GilDeclaration.NOT_USED
