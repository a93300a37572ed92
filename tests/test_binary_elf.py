"""The ELF reader on real binaries and on the bad input a scan meets in the wild."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from _extension_builds import build_fixture, free_threaded_python

from auditor.collectors.binary import dotted_module_name
from auditor.collectors.binary.code_reader import CodeReader
from auditor.collectors.binary.elf import ElfImage, ElfReadError
from auditor.engine.binary_checks import analyse_extension
from auditor.model.environment import GilDeclaration

FREE_THREADED = free_threaded_python()
needs_free_threaded = pytest.mark.skipif(
    FREE_THREADED is None, reason="no free-threaded 3.13 (ftaudit provision)"
)
pytestmark = pytest.mark.timeout(300)
SUFFIX = ".cpython-313t-x86_64-linux-gnu.so"


def _assert_clean_error(path: Path, site: Path, *expected_words: str) -> None:
    extension, findings = analyse_extension(path, site, "3.13t")
    assert extension.gil == GilDeclaration.UNKNOWN
    assert len(extension.errors) == 1, extension.errors
    message = extension.errors[0]
    for word in expected_words:
        assert word in message, message
    assert not any(finding.rule in ("FTB001", "FTB002") for finding in findings)


def test_non_elf_file_named_so(tmp_path: Path) -> None:
    path = tmp_path / f"text{SUFFIX}"
    path.write_text("this is not a shared object\n")
    _assert_clean_error(path, tmp_path, "not an ELF file", f"text{SUFFIX}")


def test_mach_o_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / f"macho{SUFFIX}"
    path.write_bytes(b"\xcf\xfa\xed\xfe" + b"\0" * 60)
    _assert_clean_error(path, tmp_path, "not an ELF file", "Mach-O")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / f"empty{SUFFIX}"
    path.write_bytes(b"")
    _assert_clean_error(path, tmp_path, "empty file")


@needs_free_threaded
@pytest.mark.parametrize("keep", [0.05, 0.5, 0.9])
def test_truncated_copy_of_a_real_extension(tmp_path: Path, keep: float) -> None:
    data = build_fixture("mp_slot_not_used", FREE_THREADED).path.read_bytes()
    path = tmp_path / f"mp_slot_not_used{SUFFIX}"
    path.write_bytes(data[: int(len(data) * keep)])
    _assert_clean_error(path, tmp_path, "truncated")


def test_elf_header_only(tmp_path: Path) -> None:
    path = tmp_path / f"header{SUFFIX}"
    path.write_bytes(b"\x7fELF\x02\x01\x01" + b"\0" * 9)
    extension, _ = analyse_extension(path, tmp_path)
    assert extension.gil == GilDeclaration.UNKNOWN and extension.errors


def test_symlink_loop(tmp_path: Path) -> None:
    first, second = tmp_path / f"a{SUFFIX}", tmp_path / f"b{SUFFIX}"
    os.symlink(second, first)
    os.symlink(first, second)
    _assert_clean_error(first, tmp_path, "symbolic link loop")


def test_dangling_symlink(tmp_path: Path) -> None:
    path = tmp_path / f"gone{SUFFIX}"
    os.symlink(tmp_path / "nowhere.so", path)
    _assert_clean_error(path, tmp_path, "not found")


def test_directory_named_so(tmp_path: Path) -> None:
    path = tmp_path / f"folder{SUFFIX}"
    path.mkdir()
    _assert_clean_error(path, tmp_path, "directory")


@needs_free_threaded
def test_unreadable_file(tmp_path: Path) -> None:
    """Permission denied. Root reads everything, so then the check runs as 'nobody'."""
    source = build_fixture("mp_slot_not_used", FREE_THREADED).path
    folder = Path(tempfile.mkdtemp(prefix="ftaudit-unreadable-"))
    try:
        folder.chmod(0o755)
        path = folder / source.name
        shutil.copy(source, path)
        path.chmod(0)
        if os.geteuid() != 0:
            _assert_clean_error(path, folder, "permission denied")
            return
        # Run as 'nobody' with Debian's own python3 (the venv's interpreter lives under
        # /root, which nobody may not enter). The checkout may be unreadable to nobody
        # too, so the auditor and the libraries its binary reader imports (ELF, disassembly,
        # wheel tags for the target) are copied into the world-readable folder first.
        system_python = shutil.which("python3", path="/usr/bin:/bin")
        assert system_python, "Debian's /usr/bin/python3 is needed to run the check as 'nobody'"
        import capstone
        import elftools
        import packaging

        import auditor

        importable = folder / "importable"
        for package in (auditor, elftools, capstone, packaging):
            package_folder = Path(package.__file__).parent
            shutil.copytree(
                package_folder, importable / package_folder.name, ignore=shutil.ignore_patterns("__pycache__")
            )
        script = (
            "import sys; from pathlib import Path; from auditor.collectors.binary import read_extension;"
            "e = read_extension(Path(sys.argv[1]), Path(sys.argv[2])).extension;"
            "print(e.gil.value); print(e.errors[0])"
        )
        result = subprocess.run(
            [system_python, "-S", "-c", script, str(path), str(folder)],
            user=65534,
            group=65534,
            env={"PYTHONPATH": str(importable), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        gil, message = result.stdout.splitlines()[:2]
        assert gil == "unknown" and "permission denied" in message
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@needs_free_threaded
def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    good = build_fixture("mp_slot_not_used", FREE_THREADED)
    (tmp_path / f"bad{SUFFIX}").write_text("garbage")
    shutil.copy(good.path, tmp_path / good.path.name)
    results = {path.name: analyse_extension(path, tmp_path)[0] for path in sorted(tmp_path.glob("*.so"))}
    assert results[f"bad{SUFFIX}"].errors and results[good.path.name].gil == GilDeclaration.NOT_USED


def test_dotted_module_name() -> None:
    site = Path("/site-packages")
    assert dotted_module_name(site / "pkg" / "sub" / f"_fast{SUFFIX}", site) == (
        f"pkg/sub/_fast{SUFFIX}",
        "pkg.sub._fast",
    )
    assert dotted_module_name(site / "top.abi3.so", site) == ("top.abi3.so", "top")
    assert dotted_module_name(Path("/elsewhere/x.so"), site) == ("x.so", "x")


@needs_free_threaded
def test_symbols_relocations_and_plt_of_a_real_extension() -> None:
    built = build_fixture("sp_setgil_not_used", FREE_THREADED)
    with ElfImage(built.path) as image:
        assert image.machine == "x86_64"
        assert "PyInit_sp_setgil_not_used" in image.symbols
        assert {"PyModule_Create2", "PyUnstable_Module_SetGIL"} <= image.imported_symbols
        jump_slots = {
            relocation.symbol for relocation in image.relocations.values() if relocation.kind == "jump_slot"
        }
        assert "PyUnstable_Module_SetGIL" in jump_slots
        init = image.symbols["PyInit_sp_setgil_not_used"]
        reading = CodeReader(image).read_function(init.value, init.size)
        called = [call.target for call in reading.calls]
        assert called.index("PyModule_Create2") < called.index("PyUnstable_Module_SetGIL")
        assert reading.calls_to("PyUnstable_Module_SetGIL")[0].arguments[1] == 1


@needs_free_threaded
def test_pointer_in_data_resolved_through_relative_relocation() -> None:
    """m_name of a static PyModuleDef: a pointer the loader writes (R_X86_64_RELATIVE)."""
    built = build_fixture("mp_slot_not_used", FREE_THREADED)
    with ElfImage(built.path) as image:
        init = image.symbols["PyInit_mp_slot_not_used"]
        reading = CodeReader(image).read_function(init.value, init.size)
        definition = reading.calls_to("PyModuleDef_Init")[0].arguments[0]
        name_pointer = image.read_pointer(definition.offset + 56)
        assert image.relocations[definition.offset + 56].kind == "relative"
        assert image.read_c_string(name_pointer.address) == "mp_slot_not_used"


def test_reading_an_object_file_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "x.c"
    source.write_text("int x(void) { return 1; }\n")
    subprocess.run(["gcc", "-c", str(source), "-o", str(tmp_path / "x.o")], check=True)
    with pytest.raises(ElfReadError, match="object file"):
        ElfImage(tmp_path / "x.o")


@needs_free_threaded
def test_corrupted_copies_never_raise(tmp_path: Path) -> None:
    """Random byte damage (seeded): every result is a verdict or a clear error, never an exception."""
    import random

    original = build_fixture("sp_setgil_not_used", FREE_THREADED).path.read_bytes()
    generator = random.Random(703)
    outcomes = set()
    for attempt in range(150):
        damaged = bytearray(original)
        for _ in range(generator.choice([1, 4, 32])):
            position = generator.randrange(len(damaged)) if attempt % 3 else generator.randrange(64)
            damaged[position] = generator.randrange(256)
        path = tmp_path / f"sp_setgil_not_used{SUFFIX}"
        path.write_bytes(bytes(damaged))
        extension, _ = analyse_extension(path, tmp_path)
        assert extension.gil in GilDeclaration
        assert extension.gil != GilDeclaration.UNKNOWN or extension.errors or extension.gil_evidence
        outcomes.add(extension.gil)
    assert GilDeclaration.NOT_USED in outcomes  # most single-byte damage leaves the declaration readable
