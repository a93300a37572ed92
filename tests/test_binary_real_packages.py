"""Static verdict == runtime probe on real cp313t wheels from PyPI (the issue's acceptance, in small).

The packages cover each way of declaring: hand-written multi-phase (markupsafe), single-
phase PyUnstable_Module_SetGIL (regex, numpy's test modules), Cython (numpy.random),
pybind11 (contourpy), PyO3 multi-phase (rpds-py, jiter) and PyO3 single-phase, where the
value reaches PyUnstable_Module_SetGIL through a closure called by vtable (pydantic-core
on PyO3 0.26, and bcrypt 5.0.0 on PyO3 0.26 through once_cell, where the closure sits five
calls below a make_module whose cold path drags the reading into PyErr::take). They are installed
once into a cache folder with the free-threaded interpreter's pip; the first run needs
PyPI, and fails (rather than skipping) without it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from _extension_builds import CACHE, free_threaded_python

from auditor.collectors.import_probe import probe_modules
from auditor.engine.binary_checks import analyse_extension
from auditor.model.environment import GilDeclaration, RuntimeGil

FREE_THREADED = free_threaded_python()
REQUIREMENTS = [
    "markupsafe==3.0.3",
    "regex",
    "numpy>=2.3",
    "kiwisolver",
    "contourpy",
    "rpds-py",
    "jiter",
    "pydantic-core",
    "bcrypt==5.0.0",
]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1800),
    pytest.mark.skipif(FREE_THREADED is None, reason="no free-threaded 3.13 (ftaudit provision)"),
]


@pytest.fixture(scope="module")
def site_packages() -> Path:
    target = CACHE / "real-packages-313t"
    marker = target / ".installed"
    if not marker.exists() or marker.read_text() != "\n".join(REQUIREMENTS):
        result = subprocess.run(
            [
                str(FREE_THREADED),
                "-m",
                "pip",
                "install",
                "-q",
                "--only-binary=:all:",
                "--target",
                str(target),
                "--upgrade",
                *REQUIREMENTS,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=1200,
        )
        if result.returncode != 0:
            pytest.fail(f"could not install {REQUIREMENTS} from PyPI: {result.stderr[-500:]}")
        marker.write_text("\n".join(REQUIREMENTS))
    return target


def test_static_verdict_equals_probe_for_every_extension(site_packages: Path) -> None:
    extensions = {}
    for path in sorted(site_packages.rglob("*.so")):
        extension, _ = analyse_extension(path, site_packages, "3.13t")
        if any("exports no PyInit" in error for error in extension.errors):
            continue  # a bundled shared library (numpy.libs/...), not a module
        assert not extension.errors, (extension.path, extension.errors)
        extensions[extension.module] = (extension, path)
    assert len(extensions) >= 25
    outcomes = probe_modules(
        FREE_THREADED,
        [(name, path) for name, (_e, path) in extensions.items()],
        timeout=300,
        jobs=2,
        extra_sys_path=[site_packages],
    )
    prediction = {GilDeclaration.NOT_USED: RuntimeGil.DISABLED, GilDeclaration.USED: RuntimeGil.ENABLED}
    disagreements = []
    for name, (extension, _path) in extensions.items():
        outcome = outcomes[name]
        if prediction.get(extension.gil) != outcome.runtime_gil:
            disagreements.append(
                (name, extension.gil.value, extension.gil_evidence, outcome.runtime_gil.value, outcome.detail)
            )
    assert disagreements == []
    generators = {extension.generator for extension, _path in extensions.values()}
    assert {"Cython", "pybind11", "PyO3", "hand-written"} <= generators
