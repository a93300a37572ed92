"""End to end on a real free-threaded environment: real packages from PyPI with cp313t
wheels, scanned statically and probed at run time; the two must agree module by module.

The venv is created once under ``~/.cache/ftaudit/test-envs`` (PyPI is reachable from the
machines this runs on) and reused by later sessions.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from _scan_helpers import free_threaded_python

from auditor.model.environment import GilDeclaration, RuntimeGil, Verdict
from auditor.pipelines.scan import scan

# Small distributions with cp313t wheels, made by different generators: hand-written C
# (markupsafe, regex, psutil, frozenlist via Cython), PyO3 (rpds-py), xxhash (C).
PACKAGES = ["markupsafe", "regex", "xxhash", "frozenlist", "psutil", "rpds-py"]
ENVIRONMENTS = Path(os.environ.get("FTAUDIT_TEST_ENVS", Path.home() / ".cache" / "ftaudit" / "test-envs"))

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def real_environment() -> Path:
    venv = ENVIRONMENTS / "scan-real-3.13t"
    marker = venv / ".ftaudit-packages.json"
    python = venv / "bin" / "python"
    if marker.is_file() and json.loads(marker.read_text()) == PACKAGES and python.exists():
        return python
    if not python.exists():
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([free_threaded_python(), "-m", "venv", str(venv)], check=True, timeout=300)
    completed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--only-binary=:all:", *PACKAGES],
        capture_output=True,
        text=True,
        timeout=800,
    )
    if completed.returncode != 0:
        pytest.fail(f"could not install {PACKAGES} from PyPI: {completed.stderr.strip()[-500:]}")
    marker.write_text(json.dumps(PACKAGES))
    return python


@pytest.fixture(scope="module")
def probed_result(real_environment, tmp_path_factory):
    return scan(python=real_environment, probe=True, cache_dir=tmp_path_factory.mktemp("cache"))


def test_the_probe_observes_every_module(probed_result):
    result = probed_result
    assert result.interpreter and result.interpreter.free_threaded
    assert result.probed_with
    names = {d.name.lower().replace("_", "-") for d in result.distributions}
    assert set(PACKAGES) <= names
    probed = [module for d in result.distributions for module in d.extensions]
    assert len(probed) >= len(PACKAGES)
    for module in probed:
        assert module.runtime_gil in (RuntimeGil.ENABLED, RuntimeGil.DISABLED), (
            module.module,
            module.runtime_gil,
            module.runtime_detail,
        )


def test_every_decided_module_agrees_with_the_runtime(probed_result):
    disagreements = [
        (module.module, module.gil.value, module.runtime_gil.value, module.gil_evidence)
        for distribution in probed_result.distributions
        for module in distribution.extensions
        if module.gil is not GilDeclaration.UNKNOWN and module.agrees_with_runtime is not True
    ]
    assert disagreements == []


def test_every_module_is_decided_statically(probed_result):
    """The acceptance bar: the static scan alone must decide (and so agree) everywhere."""
    undecided = [
        (distribution.name, distribution.verdict.value, distribution.reason)
        for distribution in probed_result.distributions
        if distribution.verdict not in (Verdict.READY, Verdict.GIL_FALLBACK, Verdict.PURE)
    ]
    assert undecided == []


def test_distributions_match_what_pip_reports(real_environment, tmp_path):
    """Our reading of the metadata must list what pip itself lists, with the same versions."""
    listed = subprocess.run(
        [str(real_environment), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    from_pip = {item["name"].lower().replace("_", "-"): item["version"] for item in json.loads(listed.stdout)}
    result = scan(python=real_environment, cache_dir=tmp_path / "cache")
    ours = {
        d.name.lower().replace("_", "-"): d.version
        for d in result.distributions
        if d.metadata_kind != "unowned"
    }
    assert ours == from_pip
    assert result.interpreter.free_threaded and result.site_packages
    extension_owners = {d.name.lower() for d in result.distributions if d.extensions}
    assert set(PACKAGES) <= extension_owners


@pytest.fixture(scope="module")
def gil_environment() -> Path:
    """A GIL CPython 3.13 venv with markupsafe's cp313 wheel: nothing the 3.13t target loads."""
    from _scan_helpers import gil_python

    venv = ENVIRONMENTS / "scan-real-3.13"
    python = venv / "bin" / "python"
    marker = venv / ".ftaudit-packages.json"
    if marker.is_file() and python.exists():
        return python
    if not python.exists():
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([gil_python(), "-m", "venv", str(venv)], check=True, timeout=300)
    completed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--only-binary=:all:", "markupsafe"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if completed.returncode != 0:
        pytest.fail(f"could not install markupsafe from PyPI: {completed.stderr.strip()[-500:]}")
    marker.write_text(json.dumps(["markupsafe"]))
    return python


def test_a_gil_environment_needs_builds_for_the_free_threaded_target(gil_environment, tmp_path):
    result = scan(python=gil_environment, target="3.13t", cache_dir=tmp_path / "cache")
    assert result.interpreter and not result.interpreter.free_threaded
    markupsafe = next(d for d in result.distributions if d.name.lower() == "markupsafe")
    assert markupsafe.verdict is Verdict.NEEDS_BUILD
    assert "built for cp313" in markupsafe.reason
    assert all(module.loadable_on_target is False for module in markupsafe.extensions)
    assert any(tag.startswith("cp313-cp313-") for tag in markupsafe.wheel_tags)
