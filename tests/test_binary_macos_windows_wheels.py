"""Real macOS (Mach-O) and Windows (PE) wheels, each read against the Linux wheel of its release.

A release's declaration is the same C, C++, Cython or Rust source on every platform, so
each module of a macOS or Windows cp314t/cp315t wheel must get the verdict its Linux
wheel of the same release and ABI gets. The wheels are pinned in
tests/data/free_threaded_wheels.json (entries with a "platform") and fetched by setup;
they cover Mach-O arm64, x86_64 and universal2 (classic rebase/bind opcodes, and chained
fixups in mlx), PE x64 and arm64, and the generators hand-written C/C++, Cython, pybind11,
nanobind, PyO3 and mypyc.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from auditor.collectors.binary.formats import open_image
from auditor.collectors.binary.gil_declaration import read_gil_declaration
from auditor.collectors.binary.macho import MachOImage
from auditor.collectors.binary.pe import PeImage
from auditor.engine.binary_checks import analyse_extension
from auditor.model.environment import GilDeclaration, GilDeclaredBy

REPOSITORY = Path(__file__).resolve().parent.parent
MANIFEST = json.loads((REPOSITORY / "tests" / "data" / "free_threaded_wheels.json").read_text())["wheels"]
sys.path.insert(0, str(REPOSITORY / "scripts"))
from fetch_test_wheels import cache_folder, sha256_of  # noqa: E402

TARGETS = {"cp314t": "3.14t", "cp315t": "3.15t", "abi3.abi3t": "3.15t"}
# The platform each family is judged for, as a user would pass it to --platform.
PLATFORM_TAGS = {
    "macos-arm64": "macosx_11_0_arm64",
    "macos-x86_64": "macosx_10_15_x86_64",
    "macos-universal2": "macosx_10_15_universal2",
    "windows-amd64": "win_amd64",
    "windows-arm64": "win_arm64",
}
FOLDERS = sorted({(entry.get("platform", "linux"), entry["abi"]) for entry in MANIFEST})


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> dict[tuple[str, str], Path]:
    folders = {}
    for platform, abi in FOLDERS:
        destination = tmp_path_factory.mktemp(f"{platform}-{abi}")
        for entry in MANIFEST:
            if (entry.get("platform", "linux"), entry["abi"]) != (platform, abi):
                continue
            wheel = cache_folder() / entry["filename"]
            if not wheel.exists() or sha256_of(wheel) != entry["sha256"]:
                pytest.fail(f"{wheel} is missing or not the pinned file: run scripts/setup.sh")
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(destination)
        folders[(platform, abi)] = destination
    return folders


def _read(site: Path, target: str, platform: str | None) -> dict:
    found = {}
    for path in sorted([*site.rglob("*.so"), *site.rglob("*.pyd")]):
        extension, findings = analyse_extension(path, site, target, platform=platform)
        if any("exports no PyInit" in error for error in extension.errors):
            continue  # a bundled library, not a module
        found[extension.module] = (extension, findings)
    return found


@pytest.fixture(scope="module")
def readings(unpacked) -> dict[tuple[str, str], dict]:
    return {
        (platform, abi): _read(folder, TARGETS[abi], PLATFORM_TAGS.get(platform))
        for (platform, abi), folder in unpacked.items()
    }


@pytest.mark.parametrize(
    ("platform", "abi"), [(platform, abi) for platform, abi in FOLDERS if platform != "linux"]
)
def test_every_module_declares_what_its_linux_wheel_declares(readings, platform: str, abi: str) -> None:
    here, linux = readings[(platform, abi)], readings[("linux", abi)]
    assert len(here) >= (1 if abi == "abi3.abi3t" else 5), sorted(here)
    different = {
        name: (linux[name][0].gil.value, extension.gil.value, extension.gil_evidence)
        for name, (extension, _findings) in here.items()
        if name in linux and linux[name][0].gil != extension.gil
    }
    assert different == {}
    assert {name for name in here if name not in linux} <= {"cryptography.hazmat.bindings._rust"}
    for name, (extension, _findings) in here.items():
        assert extension.gil != GilDeclaration.UNKNOWN, (name, extension.gil_evidence)
        assert extension.errors == [], (name, extension.errors)
        assert extension.loadable_on_target is True, name  # judged for its own platform


def test_mach_o_is_read_through_both_kinds_of_fixups(unpacked) -> None:
    mlx = next(unpacked[("macos-arm64", "cp315t")].rglob("core.cpython-315t-darwin.so"))
    markupsafe = next(unpacked[("macos-arm64", "cp315t")].rglob("_speedups.cpython-315t-darwin.so"))
    with MachOImage(mlx) as chained, MachOImage(markupsafe) as classic:
        assert chained.fixup_format == "chained fixups" and classic.fixup_format == "rebase/bind opcodes"
        # C names, without the Mach-O underscore; the stub of PyModuleDef_Init is resolved.
        assert "PyInit_core" in chained.symbols and "PyModuleDef_Init" in classic.imported_symbols
        stubs = [address for address in classic._stubs if classic.stub_target(address) == "PyModuleDef_Init"]
        assert len(stubs) == 1 and classic.in_plt(stubs[0])
        assert chained.function_sizes()[chained.symbols["PyInit_core"].value] > 0


def test_every_generator_is_read_on_macos_and_windows(readings) -> None:
    for platform, wanted in (
        ("macos-arm64", {"Cython", "pybind11", "nanobind", "PyO3", "hand-written", "mypyc"}),
        ("windows-amd64", {"Cython", "pybind11", "nanobind", "PyO3", "hand-written"}),
    ):
        modules = {**readings[(platform, "cp314t")], **readings[(platform, "cp315t")]}
        generators = {extension.generator for extension, _findings in modules.values()}
        assert wanted <= generators, (platform, generators)


def test_gil_users_stay_gil_users_on_every_platform(readings) -> None:
    for platform in ("macos-x86_64", "windows-amd64"):
        etree = readings[(platform, "cp315t")]["lxml.etree"][0]
        assert (etree.gil, etree.gil_declared_by) == (GilDeclaration.USED, GilDeclaredBy.SLOT)
    opencl = readings[("windows-amd64", "cp314t")]["pyopencl._cl"][0]  # nanobind without NB_FREE_THREADED
    assert (opencl.gil, opencl.gil_declared_by) == (GilDeclaration.USED, GilDeclaredBy.NEVER)


def test_pep_793_export_hooks_are_read_on_macos_and_windows(readings) -> None:
    for platform in ("macos-arm64", "windows-amd64", "windows-arm64"):
        jiter = readings[(platform, "cp315t")]["jiter.jiter"][0]
        assert jiter.init_style == "export-hook" and jiter.gil == GilDeclaration.NOT_USED, platform
        assert "PyModExport_jiter" in jiter.gil_evidence


def test_universal2_slices_are_each_read_and_agree(unpacked) -> None:
    path = next(unpacked[("macos-universal2", "cp315t")].rglob("_regex.cpython-315t-darwin.so"))
    verdicts = {}
    for machine in ("x86_64", "aarch64"):
        with MachOImage(path, architecture=machine) as image:
            assert image.architectures == ["x86_64", "aarch64"] and image.machine == machine
            verdicts[machine] = read_gil_declaration(
                image, "_regex", True, header_release=(3, 15), importer_release=(3, 15)
            ).gil
    assert verdicts == {"x86_64": GilDeclaration.NOT_USED, "aarch64": GilDeclaration.NOT_USED}
    # Judged for one architecture, the other platform's slice is not loadable.
    on_intel, _ = analyse_extension(path, path.parent.parent, "3.15t", platform="macosx_10_15_x86_64")
    assert on_intel.loadable_on_target is True and on_intel.gil == GilDeclaration.NOT_USED


def test_windows_abi_is_the_python_dll_it_links(unpacked) -> None:
    site = unpacked[("windows-amd64", "cp314t")]
    path = next(site.rglob("_speedups.cp314t-win_amd64.pyd"))
    with open_image(path) as image:
        assert isinstance(image, PeImage) and image.calling_convention == "win64"
        assert "python314t.dll" in [library.lower() for library in image.imported_libraries]
    # A bare .pyd name (what stable-ABI modules are called on Windows) gets its ABI from the DLL.
    bare = site / "markupsafe" / "_speedups.pyd"
    bare.write_bytes(path.read_bytes())
    try:
        extension, _ = analyse_extension(bare, site, "3.14t", platform="win_amd64")
        assert extension.abi == "cp314t" and extension.abi_free_threaded is True
        assert extension.loadable_on_target is True and extension.gil == GilDeclaration.NOT_USED
        wrong_release, _ = analyse_extension(bare, site, "3.15t", platform="win_amd64")
        assert wrong_release.loadable_on_target is False
    finally:
        bare.unlink()


def test_platform_decides_loadability_not_the_declaration(unpacked) -> None:
    site = unpacked[("windows-amd64", "cp314t")]
    path = next(site.rglob("_speedups.cp314t-win_amd64.pyd"))
    on_host, host_findings = analyse_extension(path, site, "3.14t")
    assert on_host.loadable_on_target is False and on_host.gil == GilDeclaration.NOT_USED
    assert any(finding.rule == "FTB003" and ".pyd" in finding.message for finding in host_findings)
    on_mac, _ = analyse_extension(path, site, "3.14t", platform="macosx_11_0_arm64")
    assert on_mac.loadable_on_target is False and on_mac.gil == GilDeclaration.NOT_USED
    on_arm, _ = analyse_extension(path, site, "3.14t", platform="win_arm64")
    assert on_arm.loadable_on_target is False  # an x64 file on an arm64 Windows
    mac_site = unpacked[("macos-arm64", "cp314t")]
    mac = next(mac_site.rglob("_speedups.cpython-314t-darwin.so"))
    on_linux, _ = analyse_extension(mac, mac_site, "3.14t")
    assert on_linux.loadable_on_target is False and on_linux.gil == GilDeclaration.NOT_USED


def test_damaged_mach_o_and_pe_files_end_with_a_message(unpacked, tmp_path: Path) -> None:
    sources = [
        next(unpacked[("macos-arm64", "cp314t")].rglob("_speedups.cpython-314t-darwin.so")),
        next(unpacked[("windows-amd64", "cp314t")].rglob("_speedups.cp314t-win_amd64.pyd")),
    ]
    for source in sources:
        data = source.read_bytes()
        for keep in (8, 64, 512, len(data) // 2):
            path = tmp_path / source.name
            path.write_bytes(data[:keep])
            extension, findings = analyse_extension(path, tmp_path, "3.14t")
            assert extension.gil == GilDeclaration.UNKNOWN or extension.errors, (source.name, keep)
            assert not any(finding.rule in ("FTB001", "FTB002") for finding in findings), (source.name, keep)


def _scan_json(site: Path, *options: str) -> dict:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "auditor",
            "scan",
            "--path",
            str(site),
            "--format",
            "json",
            "--no-cache",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode in (0, 3), completed.stderr
    return json.loads(completed.stdout)


def test_scan_judges_a_windows_folder_for_windows(unpacked) -> None:
    site = unpacked[("windows-amd64", "cp314t")]
    for_windows = _scan_json(site, "--target", "3.14t", "--platform", "win_amd64")
    verdicts = {d["name"].lower(): d["verdict"] for d in for_windows["scan"]["distributions"]}
    assert verdicts["lxml"] == "gil-fallback" and verdicts["pyopencl"] == "gil-fallback"
    assert verdicts["markupsafe"] == "ready" and verdicts["jiter"] == "ready" and verdicts["mlx"] == "ready"
    # Without --platform: this Linux host loads none of them, yet each declaration is read.
    on_host = _scan_json(site, "--target", "3.14t")
    modules = [m for d in on_host["scan"]["distributions"] for m in d["extensions"]]
    assert modules and all(m["loadable_on_target"] is False for m in modules)
    assert all(m["gil"] in ("used", "not-used") for m in modules)
