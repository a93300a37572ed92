"""The site-packages reader on real folders laid out like installers lay them out."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from _scan_helpers import PLAIN_LIBRARY, compile_shared, write_distribution  # noqa: E402

from auditor.collectors.environment import (
    UNOWNED_NAME,
    extension_module_name,
    normalize_name,
    read_site_packages,
    running_site_packages,
    site_packages_of,
)
from auditor.collectors.environment.locations import EnvironmentLocationError

FT_SUFFIX = ".cpython-313t-x86_64-linux-gnu.so"


def by_name(listing):
    return {item.distribution.name: item for item in listing.distributions}


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("Foo_Bar", "foo-bar"),
        ("foo.bar", "foo-bar"),
        ("FOO--_.bar", "foo-bar"),
        ("charset-normalizer", "charset-normalizer"),
    ],
)
def test_names_are_normalised_per_pep_503(raw, normal):
    assert normalize_name(raw) == normal


@pytest.mark.parametrize(
    "relative, module",
    [
        ("numpy/_core/_multiarray_umath.cpython-313t-x86_64-linux-gnu.so", "numpy._core._multiarray_umath"),
        ("_cffi_backend.cpython-311-x86_64-linux-gnu.so", "_cffi_backend"),
        ("tree_sitter_c/_binding.abi3.so", "tree_sitter_c._binding"),
        ("pkg/plain.so", "pkg.plain"),
        ("pkg/mod.cp313t-win_amd64.pyd", "pkg.mod"),
        ("numpy.libs/libopenblas64_p-r0-0cf96a72.3.23.dev.so", None),  # bundled library, not a module
        ("pkg/libz-1a2b3c.so", None),
        ("pkg/libz.so.1", None),
        ("my-pkg/mod.cpython-313t-x86_64-linux-gnu.so", None),  # a dash: never importable
    ],
)
def test_extension_module_names_come_from_the_path(relative, module):
    found = extension_module_name(relative)
    assert (found.module if found else None) == module


def test_reads_a_dist_info_with_its_metadata_and_files(tmp_path):
    site = tmp_path / "site-packages"
    write_distribution(
        site,
        "Fast-Thing",
        "1.2.3",
        {
            "fast_thing/__init__.py": b"",
            f"fast_thing/_speedups{FT_SUFFIX}": b"\x7fELF not really",
            "fast_thing/util.py": b"x = 1\n",
            "fast_thing.libs/libhelper-0a1b2c.so": b"\x7fELF",
        },
        classifiers=[
            "Programming Language :: Python :: 3",
            "Programming Language :: Python :: Free Threading",
            "Programming Language :: Python :: Free Threading :: 3 - Stable",
        ],
        wheel_tags=["cp313-cp313t-manylinux_2_17_x86_64", "cp313-cp313t-manylinux2014_x86_64"],
        installer="uv",
        top_level=["fast_thing"],
    )
    listing = read_site_packages([site])
    assert listing.errors == [] and not listing.partial
    (item,) = listing.distributions
    distribution = item.distribution
    assert (distribution.name, distribution.version) == ("Fast-Thing", "1.2.3")
    assert (
        distribution.free_threading_classifier
        == "Programming Language :: Python :: Free Threading :: 3 - Stable"
    )
    assert distribution.wheel_tags == [
        "cp313-cp313t-manylinux_2_17_x86_64",
        "cp313-cp313t-manylinux2014_x86_64",
    ]
    assert distribution.installer == "uv" and distribution.top_level == ["fast_thing"]
    assert sorted(distribution.python_files) == ["fast_thing/__init__.py", "fast_thing/util.py"]
    assert [(f.module, f.relative_path, f.problem) for f in item.extension_files] == [
        ("fast_thing._speedups", f"fast_thing/_speedups{FT_SUFFIX}", None)
    ]
    assert distribution.errors == []


def test_bare_so_names_are_modules_only_when_they_export_pyinit(tmp_path):
    site = tmp_path / "site"
    library = compile_shared(PLAIN_LIBRARY, None, "libhelper.so")
    module = compile_shared("int PyInit_bare(void) { return 0; }\n", None, "bare.so")
    write_distribution(site, "mixed", "1.0", {"mixed/lib/libhelper.so": library, "mixed/bare.so": module})
    (item,) = read_site_packages([site]).distributions
    assert [f.module for f in item.extension_files] == ["mixed.bare"]


def test_broken_metadata_is_reported_and_the_rest_is_read(tmp_path):
    site = tmp_path / "site"
    write_distribution(site, "good", "1.0", {"good.py": b""})
    broken = write_distribution(site, "nameless", "2.0", {f"nameless{FT_SUFFIX}": b"\x7fELF"})
    (broken / "METADATA").write_bytes(b"\xff\xfe garbage without headers \x00\x01")
    missing = write_distribution(site, "gone", "3.0", {"gone.py": b""})
    (missing / "METADATA").unlink()
    folder_instead = write_distribution(site, "folder", "4.0", {"folder.py": b""})
    (folder_instead / "METADATA").unlink()
    (folder_instead / "METADATA").mkdir()
    listing = read_site_packages([site])
    found = by_name(listing)
    assert found["good"].distribution.errors == []
    # The name and version fall back to the folder name; each problem is named.
    assert found["nameless"].distribution.version == "2.0"
    assert any("no Name field" in message for message in found["nameless"].distribution.errors)
    assert [f.module for f in found["nameless"].extension_files] == ["nameless"]
    assert any("METADATA is missing" in message for message in found["gone"].distribution.errors)
    assert any("is a directory" in message for message in found["folder"].distribution.errors)
    assert listing.partial


def test_broken_record_is_reported_and_unlisted_modules_still_found(tmp_path):
    site = tmp_path / "site"
    bad_csv = write_distribution(site, "badcsv", "1.0", {f"badcsv/_core{FT_SUFFIX}": b"\x7fELF"})
    (bad_csv / "RECORD").write_bytes(b'badcsv/__init__.py,,\n"unterminated,\x00,\n')
    escaping = write_distribution(site, "escaping", "1.0", {"escaping.py": b""})
    with open(escaping / "RECORD", "a") as record:
        record.write("../../../bin/escaping-tool,,\n")  # a script: normal, silently skipped
        record.write("../../../bin/readelf.py,,\n")  # a Python script (pyelftools ships one)
        record.write(f"../../outside{FT_SUFFIX},,\n")  # a module outside site-packages: reported
        record.write(f"/etc/absolute{FT_SUFFIX},,\n")
    no_record = write_distribution(
        site,
        "norecord",
        "1.0",
        {f"norecord/_fast{FT_SUFFIX}": b"\x7fELF"},
        top_level=["norecord"],
        write_record=False,
    )
    assert not (no_record / "RECORD").exists()
    listing = read_site_packages([site])
    found = by_name(listing)
    assert any("not valid CSV" in message for message in found["badcsv"].distribution.errors)
    messages = found["escaping"].distribution.errors
    assert any("points outside site-packages" in message for message in messages)
    assert any("absolute path" in message for message in messages)
    assert not any("escaping-tool" in message or "readelf.py" in message for message in messages)
    assert any("RECORD is missing" in message for message in found["norecord"].distribution.errors)
    # top_level.txt gives the unlisted module to its distribution ...
    assert [f.module for f in found["norecord"].extension_files] == ["norecord._fast"]
    # ... and a module nobody lists lands in the unowned pseudo-distribution, not lost.
    unowned = found[UNOWNED_NAME]
    assert [f.module for f in unowned.extension_files] == ["badcsv._core"]
    assert "listed in no RECORD" in unowned.distribution.errors[0]
    assert unowned.distribution.metadata_kind == "unowned"
    assert listing.partial


def test_egg_info_folders_and_files(tmp_path):
    site = tmp_path / "site"
    (site / "legacy").mkdir(parents=True)
    (site / "legacy" / "__init__.py").write_text("")
    (site / f"legacy/_c{FT_SUFFIX}").write_bytes(b"\x7fELF")
    egg = site / "legacy-0.9-py3.13.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: legacy\nVersion: 0.9\n")
    (egg / "installed-files.txt").write_text(f"../legacy/__init__.py\n../legacy/_c{FT_SUFFIX}\nPKG-INFO\n")
    (site / "single-1.0-py3.13.egg-info").write_text("Metadata-Version: 1.0\nName: single\nVersion: 1.0\n")
    found = by_name(read_site_packages([site]))
    legacy = found["legacy"]
    assert legacy.distribution.metadata_kind == "egg-info"
    assert legacy.distribution.python_files == ["legacy/__init__.py"]
    assert [f.module for f in legacy.extension_files] == ["legacy._c"]
    assert found["single"].distribution.version == "1.0"


def test_unreadable_entries_become_per_item_problems(tmp_path):
    site = tmp_path / "site"
    write_distribution(site, "odd", "1.0", {"odd/__init__.py": b""})
    package = site / "odd"
    (package / f"dangling{FT_SUFFIX}").symlink_to(package / "does-not-exist.so")
    (package / f"folder{FT_SUFFIX}").mkdir()
    (package / f"loop_a{FT_SUFFIX}").symlink_to(package / f"loop_b{FT_SUFFIX}")
    (package / f"loop_b{FT_SUFFIX}").symlink_to(package / f"loop_a{FT_SUFFIX}")
    (package / "cycle").symlink_to(site)  # a folder link back to the root: walked once
    listing = read_site_packages([site, tmp_path / "no-such-site"])
    problems = {f.module: f.problem for item in listing.distributions for f in item.extension_files}
    assert "dangling symbolic link" in problems["odd.dangling"]
    assert "is a directory" in problems["odd.folder"]
    assert "symbolic link loop" in problems["odd.loop_a"]
    assert any("symbolic link back to a folder already walked" in message for message in listing.errors)
    assert any("no-such-site: not a folder" in message for message in listing.errors)
    assert listing.partial


def test_thousands_of_distributions(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    count = 3000
    for index in range(count):
        dist_info = site / f"generated_{index}-1.{index}.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: generated-{index}\nVersion: 1.{index}\n"
        )
        (dist_info / "RECORD").write_text(f"generated_{index}.py,,\n{dist_info.name}/METADATA,,\n")
        (site / f"generated_{index}.py").write_text("")
    started = time.perf_counter()
    listing = read_site_packages([site])
    elapsed = time.perf_counter() - started
    print(f"read {count} distributions in {elapsed:.2f} s")
    assert len(listing.distributions) == count
    assert not listing.partial and listing.errors == []
    # The whole scan over them: every one judged, nothing partial.
    from auditor.pipelines.scan import scan

    result = scan(paths=[site], use_cache=False)
    assert len(result.distributions) == count and not result.partial
    assert {distribution.verdict.value for distribution in result.distributions} == {"pure"}
    versions = {item.distribution.name: item.distribution.version for item in listing.distributions}
    assert versions["generated-2999"] == "1.2999"
    assert all(
        item.distribution.python_files == [f"{item.distribution.name.replace('-', '_')}.py"]
        for item in listing.distributions
    )


def test_running_interpreter_site_packages_are_real_folders():
    folders = running_site_packages()
    assert folders and all(folder.is_dir() for folder in folders)
    assert any(Path(sys.prefix).resolve() in folder.resolve().parents for folder in folders)


def test_another_interpreter_is_asked_for_its_folders():
    info, folders = site_packages_of(sys.executable)
    assert info.executable and folders
    assert {os.path.realpath(folder) for folder in folders} >= {
        os.path.realpath(folder) for folder in running_site_packages()
    }
    with pytest.raises(EnvironmentLocationError):
        site_packages_of("/no/such/python3")


def test_notes_about_a_readable_environment_do_not_make_it_partial(tmp_path):
    site = tmp_path / "site"
    write_distribution(site, "twice", "1.0", {"twice/__init__.py": b""})
    write_distribution(site, "twice", "2.0", {"twice/__init__.py": b""})  # a stale leftover beside it
    (site / "handmade").mkdir()
    (site / f"handmade/_c{FT_SUFFIX}").write_bytes(b"\x7fELF")
    egg = site / "oldstyle-1.0-py3.13.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: oldstyle\nVersion: 1.0\n")
    (egg / "top_level.txt").write_text("oldstyle\n")
    (site / "oldstyle").mkdir()
    (site / "oldstyle" / "__init__.py").write_text("")
    listing = read_site_packages([site])
    found = {(item.distribution.name, item.distribution.version): item for item in listing.distributions}
    assert any(
        "a second metadata folder" in message for message in found[("twice", "2.0")].distribution.errors
    )
    assert found[(UNOWNED_NAME, "")].extension_files[0].module == "handmade._c"
    assert found[("oldstyle", "1.0")].distribution.python_files == ["oldstyle/__init__.py"]
    assert not listing.partial
