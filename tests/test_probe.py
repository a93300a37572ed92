"""The runtime probe on real fixture extensions in real free-threaded subprocesses.

The central check is the issue's acceptance criterion in small: for every fixture the
static reading of the binary predicts what importing it does to the GIL.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _extension_builds import (
    EXPECTED_ON_FREE_THREADED,
    BuildError,
    build_cython,
    build_extension,
    build_fixture,
    build_nanobind,
    build_pybind11,
    free_threaded_python,
)

from auditor.collectors.import_probe import probe_module, probe_modules
from auditor.engine.binary_checks import analyse_extension
from auditor.model.environment import GilDeclaration, RuntimeGil

FREE_THREADED = free_threaded_python()
pytestmark = [
    pytest.mark.skipif(FREE_THREADED is None, reason="no free-threaded 3.13 (ftaudit provision)"),
    pytest.mark.timeout(600),
]

PREDICTION = {GilDeclaration.NOT_USED: RuntimeGil.DISABLED, GilDeclaration.USED: RuntimeGil.ENABLED}


def test_static_verdict_equals_runtime_for_every_fixture() -> None:
    built = {name: build_fixture(name, FREE_THREADED) for name in EXPECTED_ON_FREE_THREADED}
    outcomes = probe_modules(
        FREE_THREADED,
        [(item.module, item.path) for item in built.values()],
        timeout=60,
        jobs=2,
        extra_sys_path=sorted({item.site for item in built.values()}),
    )
    assert set(outcomes) == {item.module for item in built.values()}
    for name, item in built.items():
        extension, _ = analyse_extension(item.path, item.site, "3.13t")
        outcome = outcomes[item.module]
        assert outcome.runtime_gil == PREDICTION[extension.gil], (name, extension.gil_evidence, outcome)
        if outcome.runtime_gil == RuntimeGil.ENABLED:
            # CPython names the module in its RuntimeWarning (Python/import.c).
            assert outcome.enabled_by == item.module
            assert "has not declared that it can run safely without the GIL" in outcome.warning
        else:
            assert outcome.warning is None


@pytest.mark.slow
def test_static_verdict_equals_runtime_for_generator_modules() -> None:
    try:
        built = [
            build_pybind11("pybind11_gil_not_used", FREE_THREADED),
            build_pybind11("pybind11_default", FREE_THREADED),
            build_nanobind(True, FREE_THREADED),
            build_nanobind(False, FREE_THREADED),
            build_cython("cython_freethreading", FREE_THREADED),
            build_cython("cython_default", FREE_THREADED),
        ]
    except BuildError as error:
        pytest.fail(f"generator toolchain unavailable: {str(error)[:300]}")
    outcomes = probe_modules(
        FREE_THREADED,
        [(item.module, item.path) for item in built],
        timeout=60,
        jobs=2,
        extra_sys_path=[item.site for item in built],
    )
    for item in built:
        extension, _ = analyse_extension(item.path, item.site, "3.13t")
        assert outcomes[item.module].runtime_gil == PREDICTION[extension.gil], (
            item.module,
            extension.gil_evidence,
        )


def test_python_gil_variable_does_not_leak_into_the_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    """PYTHON_GIL=1 would force the GIL on for every module; the probe must unset it."""
    monkeypatch.setenv("PYTHON_GIL", "1")
    item = build_fixture("mp_slot_not_used", FREE_THREADED)
    outcome = probe_module(FREE_THREADED, item.module, item.path, timeout=60, extra_sys_path=[item.site])
    assert outcome.runtime_gil == RuntimeGil.DISABLED


def test_crash_in_init_is_reported_not_fatal() -> None:
    item = build_fixture("crash_in_init", FREE_THREADED)
    outcome = probe_module(FREE_THREADED, item.module, item.path, timeout=60, extra_sys_path=[item.site])
    assert outcome.runtime_gil == RuntimeGil.CRASH
    assert outcome.returncode is not None and outcome.returncode < 0
    assert "SIGSEGV" in outcome.detail
    assert "Segmentation fault" in outcome.detail  # faulthandler's report


def test_hang_in_init_times_out_and_is_killed() -> None:
    item = build_fixture("hang_in_init", FREE_THREADED)
    outcome = probe_module(FREE_THREADED, item.module, item.path, timeout=3, extra_sys_path=[item.site])
    assert outcome.runtime_gil == RuntimeGil.TIMEOUT
    assert "3 s" in outcome.detail
    assert outcome.duration_seconds < 30


def test_import_error_text_is_kept() -> None:
    item = build_fixture("mp_slot_not_used", FREE_THREADED)
    outcome = probe_module(FREE_THREADED, "no_such_module_here", None, timeout=60, extra_sys_path=[item.site])
    assert outcome.runtime_gil == RuntimeGil.IMPORT_ERROR
    assert "ModuleNotFoundError" in outcome.detail


def test_missing_interpreter_is_an_import_error_not_an_exception(tmp_path: Path) -> None:
    outcome = probe_module(tmp_path / "python-missing", "json", None, timeout=10)
    assert outcome.runtime_gil == RuntimeGil.IMPORT_ERROR and "could not start" in outcome.detail


def test_sibling_that_enables_the_gil_is_not_blamed_on_the_module(tmp_path: Path) -> None:
    """A package whose __init__ imports a GIL-needing sibling: the module itself is judged alone."""
    fixtures = Path(__file__).resolve().parent.parent / "fixtures" / "extensions"
    package = "probe_pkg"
    good = build_extension([fixtures / "package" / "submodule.c"], f"{package}.submodule", FREE_THREADED)
    bad = build_extension([fixtures / "mp_no_slot.c"], f"{package}.mp_no_slot", FREE_THREADED)
    site = tmp_path / "site"
    (site / package).mkdir(parents=True)
    for built in (good, bad):
        os.symlink(built.path, site / package / built.path.name)
    (site / package / "__init__.py").write_text("from . import mp_no_slot\n")
    outcomes = probe_modules(
        FREE_THREADED,
        [
            (f"{package}.submodule", site / package / good.path.name),
            (f"{package}.mp_no_slot", site / package / bad.path.name),
        ],
        timeout=60,
        extra_sys_path=[site],
    )
    judged_alone = outcomes[f"{package}.submodule"]
    assert judged_alone.runtime_gil == RuntimeGil.DISABLED
    assert judged_alone.enabled_by == f"{package}.mp_no_slot" and judged_alone.gil_after_create is False
    assert outcomes[f"{package}.mp_no_slot"].runtime_gil == RuntimeGil.ENABLED


def test_public_probe_fills_the_scan_result() -> None:
    """auditor.probe(...) = scan + probe: every loadable fixture gets runtime_gil and agreement."""
    import auditor
    import auditor.pipelines.scan  # noqa: F401

    built = [build_fixture(name, FREE_THREADED) for name in ("mp_slot_not_used", "mp_no_slot")]
    result = auditor.probe(FREE_THREADED, paths=[item.site for item in built], timeout=60)
    assert result.probed_with
    modules = {
        extension.module: extension
        for distribution in result.distributions
        for extension in distribution.extensions
    }
    for item in built:
        extension = modules[item.module]
        assert extension.runtime_gil == PREDICTION[extension.gil] and extension.agrees_with_runtime is True


def test_shim_whose_module_comes_from_another_module_is_unknown_statically_and_probed() -> None:
    """mypyc's pattern: the shim's own binary cannot tell; the probe can, and does."""
    provider = build_fixture("capsule_provider", FREE_THREADED)
    shim = build_fixture("capsule_shim", FREE_THREADED)
    extension, findings = analyse_extension(shim.path, shim.site, "3.13t")
    assert extension.gil == GilDeclaration.UNKNOWN, extension.gil_evidence
    assert "PyCapsule_GetPointer" in extension.gil_evidence
    assert "FTB004" in {finding.rule for finding in findings}
    outcome = probe_module(
        FREE_THREADED, shim.module, shim.path, timeout=60, extra_sys_path=[shim.site, provider.site]
    )
    assert outcome.runtime_gil == RuntimeGil.DISABLED, outcome
