"""Real cp314t, cp315t and abi3t wheels, read the way `scan --target 3.14t|3.15t` reads them.

A release declares the same thing in both of its free-threaded wheels: the cp315t binary
only spells the declaration with the PEP 820 ids (``Py_mod_gil`` 87, ``Py_mod_exec`` 85)
or through a PEP 793 ``PyModExport_<name>`` hook (PyO3 0.29). So the verdict per module
must be equal across the two wheels, and must be the declaration the release makes.
The wheels are pinned in tests/data/free_threaded_wheels.json and fetched by setup.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from auditor.collectors.binary.elf import ElfImage
from auditor.collectors.binary.gil_declaration import read_gil_declaration
from auditor.engine.binary_checks import analyse_extension
from auditor.model.environment import GilDeclaration, GilDeclaredBy

REPOSITORY = Path(__file__).resolve().parent.parent
MANIFEST = json.loads((REPOSITORY / "tests" / "data" / "free_threaded_wheels.json").read_text())["wheels"]
sys.path.insert(0, str(REPOSITORY / "scripts"))
from fetch_test_wheels import cache_folder, sha256_of  # noqa: E402


def _unpack(destination: Path, abis: set[str], arch: str = "x86_64") -> Path:
    folder = cache_folder()
    for entry in MANIFEST:
        if (
            entry["abi"] not in abis
            or entry.get("platform", "linux") != "linux"
            or arch not in entry["filename"]
        ):
            continue
        wheel = folder / entry["filename"]
        if not wheel.exists() or sha256_of(wheel) != entry["sha256"]:
            pytest.fail(f"{wheel} is missing or not the pinned file: run scripts/setup.sh")
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(destination)
    return destination


@pytest.fixture(scope="module")
def site_314(tmp_path_factory) -> Path:
    return _unpack(tmp_path_factory.mktemp("cp314t"), {"cp314t"})


@pytest.fixture(scope="module")
def site_315(tmp_path_factory) -> Path:
    return _unpack(tmp_path_factory.mktemp("cp315t"), {"cp315t", "abi3.abi3t"})


def _modules(site: Path, target: str) -> dict[str, object]:
    found = {}
    for path in sorted(site.rglob("*.so")):
        extension, _findings = analyse_extension(path, site, target)
        if any("exports no PyInit" in error for error in extension.errors):
            continue  # a bundled library (numpy.libs, pillow.libs), not a module
        found[extension.module] = extension
    return found


@pytest.fixture(scope="module")
def modules_314(site_314: Path) -> dict:
    return _modules(site_314, "3.14t")


@pytest.fixture(scope="module")
def modules_315(site_315: Path) -> dict:
    return _modules(site_315, "3.15t")


def test_every_module_declares_the_same_in_both_wheels_of_its_release(modules_314, modules_315) -> None:
    assert len(modules_315) >= 280, len(modules_315)
    assert set(modules_314) == set(modules_315)
    different = {
        name: (modules_314[name].gil.value, modules_315[name].gil.value, modules_315[name].gil_evidence)
        for name in modules_315
        if modules_314[name].gil != modules_315[name].gil
    }
    assert different == {}
    undecided = {name: m.gil_evidence for name, m in modules_315.items() if m.gil == GilDeclaration.UNKNOWN}
    assert undecided == {}
    assert not [name for name, m in modules_315.items() if m.errors]


def test_every_generator_is_read_on_315(modules_315) -> None:
    generators = {module.generator for module in modules_315.values()}
    assert {"Cython", "pybind11", "nanobind", "PyO3", "hand-written", "mypyc"} <= generators
    for generator in ("Cython", "pybind11", "PyO3", "hand-written", "mypyc"):
        assert any(
            m.generator == generator and m.gil == GilDeclaration.NOT_USED for m in modules_315.values()
        ), generator


def test_315_slot_arrays_are_read_with_the_pep_820_ids(modules_315) -> None:
    markupsafe = modules_315["markupsafe._speedups"]
    assert markupsafe.gil == GilDeclaration.NOT_USED
    assert markupsafe.gil_declared_by == GilDeclaredBy.SLOT
    assert "slot id 87" in markupsafe.gil_evidence  # not the 3.13 id 4
    contourpy = modules_315["contourpy._contourpy"]  # pybind11 fills the array at run time
    assert contourpy.gil == GilDeclaration.NOT_USED and "built by the init code" in contourpy.gil_evidence


def test_pyo3_export_hooks_are_what_315_reads(modules_315, modules_314) -> None:
    for name in ("jiter.jiter", "rpds.rpds", "cbor2._cbor2"):
        module = modules_315[name]
        assert module.init_style == "export-hook", (name, module.gil_evidence)
        assert module.gil == GilDeclaration.NOT_USED
        assert "PyModExport_" in module.gil_evidence and "PySlot array" in module.gil_evidence
        assert modules_314[name].init_style != "export-hook"  # 3.14 has no export hooks


def test_gil_users_stay_gil_users(modules_315) -> None:
    etree = modules_315["lxml.etree"]
    assert (etree.gil, etree.gil_declared_by) == (GilDeclaration.USED, GilDeclaredBy.SLOT)
    opencl = modules_315["pyopencl._cl"]  # nanobind without NB_FREE_THREADED
    assert (opencl.gil, opencl.gil_declared_by) == (GilDeclaration.USED, GilDeclaredBy.NEVER)
    assert modules_315["mlx.core"].gil == GilDeclaration.NOT_USED  # nanobind with it


def test_abi3t_binary_loads_on_315_only(site_315: Path) -> None:
    path = next(site_315.rglob("_rust.abi3t.so"))
    on_315, _ = analyse_extension(path, site_315, "3.15t")
    assert on_315.abi == "abi3t" and on_315.loadable_on_target is True
    assert on_315.gil == GilDeclaration.NOT_USED and on_315.init_style == "export-hook"
    on_314, findings = analyse_extension(path, site_315, "3.14t")
    assert on_314.loadable_on_target is False
    assert any(finding.rule == "FTB003" and "abi3t" in finding.message for finding in findings)


def test_ids_read_with_the_wrong_release_never_give_a_verdict(site_315: Path) -> None:
    path = next(site_315.rglob("_speedups.cpython-315t-*.so"))
    with ElfImage(path) as image:
        wrong = read_gil_declaration(
            image, "_speedups", True, header_release=(3, 14), importer_release=(3, 14)
        )
        right = read_gil_declaration(
            image, "_speedups", True, header_release=(3, 15), importer_release=(3, 15)
        )
        newer = read_gil_declaration(
            image, "_speedups", True, header_release=(3, 16), importer_release=(3, 16)
        )
    assert wrong.gil == GilDeclaration.UNKNOWN and "87" in wrong.evidence and "3.14" in wrong.evidence
    assert right.gil == GilDeclaration.NOT_USED
    assert newer.gil == GilDeclaration.UNKNOWN and "3.16" in newer.evidence


def _scan_json(site: Path, target: str) -> dict:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "scan",
            "--path",
            str(site),
            "--target",
            target,
            "--format",
            "json",
            "--no-cache",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode in (0, 3), completed.stderr
    return json.loads(completed.stdout)


def test_scan_command_judges_315_wheels_for_315_and_refuses_them_for_314(site_315: Path) -> None:
    for_315 = _scan_json(site_315, "3.15t")
    verdicts = {d["name"].lower(): d["verdict"] for d in for_315["scan"]["distributions"]}
    assert verdicts["numpy"] == "ready" and verdicts["markupsafe"] == "ready"
    assert verdicts["cryptography"] == "ready" and verdicts["jiter"] == "ready"
    assert verdicts["lxml"] == "gil-fallback" and verdicts["pyopencl"] == "gil-fallback"
    assert "judged statically" in for_315["scan"]["target_note"]
    for_314 = _scan_json(site_315, "3.14t")
    verdicts = {d["name"].lower(): d["verdict"] for d in for_314["scan"]["distributions"]}
    assert verdicts["numpy"] == "needs-build" and verdicts["cryptography"] == "needs-build"


def test_default_target_follows_the_binaries_of_bare_folders(site_314: Path, tmp_path: Path) -> None:
    from auditor.pipelines.scan import scan

    result = scan(paths=[site_314], cache_dir=tmp_path / "cache")
    assert result.target == "3.14t" and "(cp314t)" in result.target_reason
    assert "judged statically" in result.target_note
    pure = tmp_path / "pure"
    pure.mkdir()
    assert scan(paths=[pure], use_cache=False).target == "3.15t"  # nothing says: the newest


@pytest.mark.parametrize("abi, target", [("cp314t", "3.14t"), ("cp315t", "3.15t")])
def test_aarch64_wheels_declare_what_the_x86_64_ones_do(tmp_path: Path, abi: str, target: str) -> None:
    """pybind11 fills its slot array in a cold path after PyInit's ``ret``; on aarch64 the
    epilogue had overwritten the registers that path uses, and contourpy read 'used'."""
    arm = _modules(_unpack(tmp_path / "arm", {abi}, "aarch64"), target)
    intel = _modules(_unpack(tmp_path / "intel", {abi}, "x86_64"), target)
    assert {"contourpy._contourpy", "kiwisolver._cext", "mlx.core"} <= set(arm)
    assert {name: module.gil for name, module in arm.items()} == {name: intel[name].gil for name in arm}
    assert arm["contourpy._contourpy"].gil == GilDeclaration.NOT_USED
    assert "built by the init code" in arm["contourpy._contourpy"].gil_evidence


def _release_from_wheel(entry: dict):
    from _index_server import Release

    with zipfile.ZipFile(cache_folder() / entry["filename"]) as archive:
        binaries = {name: archive.read(name) for name in archive.namelist() if name.endswith(".so")}
    parts = entry["filename"][:-4].split("-")
    return Release(entry["project"], entry["version"], ["-".join(parts[-3:])], binaries=binaries)


def test_tree_inspects_315_wheels_before_install(tmp_path: Path) -> None:
    """`tree --inspect-wheels --target 3.15t` on a local index serving the real cp315t
    binaries: the GIL verdict of each wheel is read without installing it."""
    from _index_server import FixtureIndex

    from auditor.pipelines.dependency_tree import resolve_tree_targets

    chosen = [
        entry
        for entry in MANIFEST
        if entry["project"] in ("markupsafe", "lxml", "jiter", "cryptography")
        and entry["abi"] in ("cp315t", "abi3.abi3t")
        and "x86_64" in entry["filename"]
        and entry.get("platform", "linux") == "linux"
    ]
    assert len(chosen) == 4
    with FixtureIndex([_release_from_wheel(entry) for entry in chosen], tmp_path / "files") as index:
        requirements = tmp_path / "requirements.txt"
        requirements.write_text("".join(f"{entry['project']}=={entry['version']}\n" for entry in chosen))
        for_314, for_315 = resolve_tree_targets(
            requirements,
            ["3.14t", "3.15t"],
            index_url=index.url,
            cache_dir=tmp_path / "cache",
            inspect_wheels=True,
        )
    by_name = {package.name: package for package in for_315.packages}
    assert {name: package.status for name, package in by_name.items()} == dict.fromkeys(by_name, "ready")
    assert by_name["lxml"].gil_fallback is True and "lxml.etree" in by_name["lxml"].gil_fallback_modules
    assert by_name["markupsafe"].gil_fallback is False
    assert by_name["jiter"].gil_fallback is False  # read through its PEP 793 export hook
    assert by_name["cryptography"].gil_fallback is False  # abi3.abi3t
    assert {package.status for package in for_314.packages} == {"needs-build"}


def test_check_and_report_judge_for_315(site_315: Path, tmp_path: Path) -> None:
    def ftaudit(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "auditor", *arguments],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    sarif = tmp_path / "gate.sarif"
    gate = ftaudit(
        "check", "--path", str(site_315), "--target", "3.15t", "--format", "sarif", "-o", str(sarif)
    )
    assert gate.returncode == 1, gate.stderr  # lxml and pyopencl re-enable the GIL on 3.15t
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    flagged = {result["ruleId"] for result in results}
    assert "FTE003" in flagged and "FTB002" in flagged
    assert not any("numpy" in json.dumps(result) and result["ruleId"] == "FTE004" for result in results)
    page = tmp_path / "report.md"
    written = ftaudit("report", "--path", str(site_315), "--target", "3.15t", "-o", str(page))
    assert written.returncode == 0, written.stderr
    text = page.read_text()
    assert "Target: **3.15t**" in text and "judged statically" in text
