"""Test helpers for the environment reader and the scan: real site-packages folders.

``write_distribution`` lays out a distribution the way an installer does (files, then a
.dist-info with METADATA, WHEEL, INSTALLER and a RECORD listing every file).
``compile_module`` compiles a tiny real extension module with gcc against a real
interpreter's headers; builds are cached under ``~/.cache/ftaudit/test-builds/scan``
keyed on the source, the flags and the interpreter, so only the first session pays.
"""

from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

BUILD_CACHE = (
    Path(os.environ.get("FTAUDIT_TEST_BUILDS", Path.home() / ".cache" / "ftaudit" / "test-builds")) / "scan"
)

# Multi-phase init (PEP 489). GIL_SLOT is replaced by a Py_mod_gil entry or by nothing;
# Py_mod_gil exists in the 3.13 headers of both builds (Include/moduleobject.h).
MULTI_PHASE = r"""
#include <Python.h>
static int exec_module(PyObject *module) { return PyModule_AddIntConstant(module, "answer", 42); }
static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
    GIL_SLOT
    {0, NULL},
};
static struct PyModuleDef definition = {
    PyModuleDef_HEAD_INIT, .m_name = "FULL_NAME", .m_size = 0, .m_slots = slots};
PyMODINIT_FUNC PyInit_BASE_NAME(void) { return PyModuleDef_Init(&definition); }
"""

# Single-phase init; SET_GIL is replaced by a PyUnstable_Module_SetGIL call or by nothing.
SINGLE_PHASE = r"""
#include <Python.h>
static struct PyModuleDef definition = {PyModuleDef_HEAD_INIT, .m_name = "FULL_NAME", .m_size = -1};
PyMODINIT_FUNC PyInit_BASE_NAME(void) {
    PyObject *module = PyModule_Create(&definition);
    if (module == NULL) return NULL;
#ifdef Py_GIL_DISABLED
    SET_GIL
#endif
    return module;
}
"""

# A helper shared library with no PyInit_ export (like scipy's libsf_error_state.so).
PLAIN_LIBRARY = "int helper_function(int value) { return value * 2; }\n"


@dataclass(frozen=True)
class InterpreterHeaders:
    executable: str
    include_dir: str
    ext_suffix: str
    free_threaded: bool


_ASK = (
    "import json, sys, sysconfig; print(json.dumps({'include_dir': sysconfig.get_paths()['include'],"
    " 'ext_suffix': sysconfig.get_config_var('EXT_SUFFIX'),"
    " 'free_threaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED'))}))"
)


@functools.cache
def headers_of(python: str) -> InterpreterHeaders:
    output = subprocess.run(
        [python, "-I", "-c", _ASK], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return InterpreterHeaders(executable=python, **json.loads(output))


def free_threaded_python() -> str:
    from auditor.collectors.interpreters.provision import find_provisioned

    found = find_provisioned()
    if found is None:
        pytest.fail("no provisioned free-threaded CPython 3.13 (`ftaudit provision`)")
    return str(found.executable)


def gil_python() -> str:
    from auditor.collectors.interpreters.provision import find_provisioned

    found = find_provisioned(gil=True)
    if found is not None:
        return str(found.executable)
    for candidate in sorted(Path.home().glob(".pyenv/versions/3.13*/bin/python3.13"), reverse=True):
        if candidate.is_file() and "t" not in candidate.parent.parent.name:
            return str(candidate)
    pytest.fail("no GIL CPython 3.13 found")


def module_source(template: str, full_name: str, **replacements: str) -> str:
    text = template.replace("FULL_NAME", full_name).replace("BASE_NAME", full_name.rsplit(".", 1)[-1])
    for placeholder, value in replacements.items():
        text = text.replace(placeholder, value)
    return text


def compile_shared(source: str, python: str | None, output_name: str) -> Path:
    """Compile ``source`` into a cached shared object; returns the cached file."""
    flags = ["-shared", "-fPIC", "-O1", "-g0"]
    if python is not None:
        flags.append(f"-I{headers_of(python).include_dir}")
    key = hashlib.sha256("\0".join([source, *flags, python or "", output_name]).encode()).hexdigest()[:20]
    built = BUILD_CACHE / key / output_name
    if built.is_file():
        return built
    built.parent.mkdir(parents=True, exist_ok=True)
    source_file = built.parent / "module.c"
    source_file.write_text(source)
    temporary = built.parent / (output_name + ".partial")
    completed = subprocess.run(
        ["gcc", *flags, "-o", str(temporary), str(source_file)], capture_output=True, text=True, timeout=300
    )
    if completed.returncode != 0:
        raise RuntimeError(f"gcc failed for {output_name}:\n{completed.stderr[-3000:]}")
    os.replace(temporary, built)
    return built


def compile_module(template: str, full_name: str, python: str, **replacements: str) -> tuple[Path, str]:
    """A compiled extension module; returns (cached file, file name with the interpreter's suffix)."""
    suffix = headers_of(python).ext_suffix
    file_name = full_name.rsplit(".", 1)[-1] + suffix
    source = module_source(template, full_name, **replacements)
    return compile_shared(source, python, file_name), file_name


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def write_distribution(
    site: Path,
    name: str,
    version: str,
    files: dict[str, bytes | Path],
    classifiers: list[str] = (),
    wheel_tags: list[str] = ("py3-none-any",),
    installer: str = "pip",
    top_level: list[str] | None = None,
    write_record: bool = True,
) -> Path:
    """Install ``files`` (relative path -> bytes, or a file to copy) and a .dist-info for them."""
    site.mkdir(parents=True, exist_ok=True)
    records: list[list[str]] = []
    for relative, content in files.items():
        destination = site / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, destination)
        else:
            destination.write_bytes(content)
        data = destination.read_bytes()
        records.append([relative, _record_hash(data), str(len(data))])
    dist_info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    dist_info.mkdir(exist_ok=True)
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {name}",
        f"Version: {version}",
        *(f"Classifier: {classifier}" for classifier in classifiers),
        "",
        "A test distribution.",
        "",
    ]
    (dist_info / "METADATA").write_text("\n".join(metadata))
    wheel = [
        "Wheel-Version: 1.0",
        "Generator: ftaudit-tests",
        "Root-Is-Purelib: false",
        *(f"Tag: {tag}" for tag in wheel_tags),
        "",
    ]
    (dist_info / "WHEEL").write_text("\n".join(wheel))
    (dist_info / "INSTALLER").write_text(installer + "\n")
    if top_level is not None:
        (dist_info / "top_level.txt").write_text("".join(f"{line}\n" for line in top_level))
    if write_record:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in records:
            writer.writerow(row)
        for meta in ("METADATA", "WHEEL", "INSTALLER"):
            writer.writerow([f"{dist_info.name}/{meta}", "", ""])
        writer.writerow([f"{dist_info.name}/RECORD", "", ""])
        (dist_info / "RECORD").write_text(buffer.getvalue())
    return dist_info
