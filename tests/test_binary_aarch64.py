"""The aarch64 code reader on real aarch64 cp313t wheels (no aarch64 machine needed).

Each package is downloaded for x86-64 and for aarch64 in the same version; the same
source must give the same static verdict on both architectures, and the x86-64 verdict
is checked against the runtime probe by test_binary_real_packages.py.
"""

from __future__ import annotations

import platform
import subprocess
import zipfile
from pathlib import Path

import pytest
from _extension_builds import CACHE, free_threaded_python

from auditor.collectors.binary.elf import ElfImage
from auditor.engine.binary_checks import analyse_extension

FREE_THREADED = free_threaded_python()
# One of each kind: multi-phase slot in data (markupsafe), single-phase SetGIL (regex),
# PyO3 multi-phase through a GOT call (jiter, rpds-py).
PACKAGES = ["markupsafe==3.0.3", "regex==2026.8.31", "jiter==0.15.0", "rpds-py==2026.5.1"]
PLATFORMS = {
    "x86_64": ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_28_x86_64"],
    "aarch64": ["manylinux_2_17_aarch64", "manylinux2014_aarch64", "manylinux_2_28_aarch64"],
}
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(900),
    pytest.mark.skipif(FREE_THREADED is None, reason="no free-threaded 3.13 for pip"),
]


def _unpacked(architecture: str) -> Path:
    folder = CACHE / f"wheels-{architecture}"
    site = folder / "site"
    if not (folder / ".ready").exists():
        platforms = [
            argument for platform in PLATFORMS[architecture] for argument in ("--platform", platform)
        ]
        result = subprocess.run(
            [
                str(FREE_THREADED),
                "-m",
                "pip",
                "download",
                "-q",
                "--only-binary=:all:",
                "--no-deps",
                "--python-version",
                "3.13",
                "--abi",
                "cp313t",
                "--implementation",
                "cp",
                *platforms,
                "-d",
                str(folder),
                *PACKAGES,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        if result.returncode != 0:
            pytest.fail(f"could not download {architecture} wheels: {result.stderr[-400:]}")
        for wheel in folder.glob("*.whl"):
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(site)
        (folder / ".ready").write_text("")
    return site


def _verdicts(site: Path) -> dict[str, tuple[str, str]]:
    verdicts = {}
    for path in sorted(site.rglob("*.so")):
        extension, _ = analyse_extension(path, site, "3.13t")
        assert not extension.errors, extension.errors
        verdicts[extension.module] = (extension.gil.value, extension.gil_declared_by.value)
    return verdicts


def test_aarch64_verdicts_equal_x86_64_verdicts() -> None:
    x86_site, arm_site = _unpacked("x86_64"), _unpacked("aarch64")
    arm_binary = next(arm_site.rglob("*.so"))
    with ElfImage(arm_binary) as image:
        assert image.machine == "aarch64"
    x86, arm = _verdicts(x86_site), _verdicts(arm_site)
    assert x86.keys() == arm.keys() and len(arm) == len(PACKAGES)
    assert arm == x86
    assert all(gil != "unknown" for gil, _by in arm.values())
    assert {by for _gil, by in arm.values()} >= {"slot", "set-gil-call"}


@pytest.mark.skipif(platform.machine() != "x86_64", reason="checks an x86-64 host")
def test_aarch64_binary_is_not_loadable_on_this_x86_64_host() -> None:
    arm_site = _unpacked("aarch64")
    extension, findings = analyse_extension(next(arm_site.rglob("*.so")), arm_site, "3.13t")
    assert extension.loadable_on_target is False
    assert "FTB003" in {finding.rule for finding in findings}
