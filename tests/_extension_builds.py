"""Compile the tiny extensions of fixtures/extensions/ for a given interpreter, once.

Each build asks the interpreter itself (in a subprocess) for its headers and EXT_SUFFIX,
compiles with the system gcc/g++, and puts the result into a site-like folder under
``~/.cache/ftaudit/test-builds/<key>/site``. The key hashes the sources, the flags and
the interpreter, so a second test session reuses every build and an edited fixture or a
different interpreter gets a fresh one.

Generator fixtures (pybind11, nanobind, Cython) need those packages: they are installed
into a venv of the free-threaded interpreter under the same cache (PyPI is reachable
here); when that fails the caller skips with the reason.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
FIXTURES = REPOSITORY / "fixtures" / "extensions"
CACHE = Path(os.environ.get("FTAUDIT_TEST_BUILDS", Path.home() / ".cache" / "ftaudit" / "test-builds"))
# Versions the generator fixtures were written against (all support free-threaded 3.13).
TOOLCHAIN_REQUIREMENTS = ["pybind11>=3.0", "nanobind>=2.2", "cython>=3.1"]


class BuildError(Exception):
    pass


@dataclass(frozen=True)
class InterpreterBuildInfo:
    executable: str
    include_dir: str
    ext_suffix: str
    free_threaded: bool
    version: str


_QUERY = (
    "import json, sys, sysconfig;"
    "print(json.dumps({'include_dir': sysconfig.get_paths()['include'],"
    " 'ext_suffix': sysconfig.get_config_var('EXT_SUFFIX'),"
    " 'free_threaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED')),"
    " 'version': sys.version}))"
)


@functools.cache
def interpreter_build_info(python: str | Path) -> InterpreterBuildInfo:
    output = subprocess.run(
        [str(python), "-c", _QUERY], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    values = json.loads(output)
    return InterpreterBuildInfo(executable=str(python), **values)


def free_threaded_python() -> Path | None:
    from auditor.collectors.interpreters.provision import find_provisioned

    found = find_provisioned(tsan=False)
    return found.executable if found else None


def gil_python() -> Path | None:
    """A GIL CPython 3.13: the provisioned baseline, else pyenv's."""
    from auditor.collectors.interpreters.provision import find_provisioned

    found = find_provisioned(tsan=False, gil=True)
    if found:
        return found.executable
    for candidate in sorted(Path.home().glob(".pyenv/versions/3.13*/bin/python3.13"), reverse=True):
        if candidate.exists() and "t" not in candidate.parent.parent.name.replace("3.13", ""):
            return candidate
    return None


def _digest(parts: list[bytes | str]) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part if isinstance(part, bytes) else part.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()[:20]


@dataclass(frozen=True)
class BuiltExtension:
    site: Path  # the folder to put on sys.path / to scan as site-packages
    path: Path  # the .so
    module: str  # dotted import name

    @property
    def relative_path(self) -> str:
        return self.path.relative_to(self.site).as_posix()


def _compile(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, timeout=900)
    if result.returncode != 0:
        raise BuildError(f"{' '.join(command)}\n{result.stderr[-4000:]}")


def build_extension(
    sources: list[Path],
    module: str,
    python: str | Path,
    *,
    cpp: bool = False,
    include_dirs: tuple[Path, ...] = (),
    defines: tuple[str, ...] = (),
    extra_flags: tuple[str, ...] = (),
) -> BuiltExtension:
    """Compile ``sources`` into ``<module path><EXT_SUFFIX>`` for ``python``; cached."""
    info = interpreter_build_info(str(python))
    compiler = "g++" if cpp else "gcc"
    flags = [
        "-shared",
        "-fPIC",
        "-O2",
        "-g0",
        "-DNDEBUG",
        f"-I{info.include_dir}",
        *(f"-I{directory}" for directory in include_dirs),
        *(f"-D{define}" for define in defines),
        *extra_flags,
    ]
    if cpp:
        flags.append("-std=c++17")
    key = _digest(
        [
            compiler,
            *flags,
            module,
            info.executable,
            info.ext_suffix,
            info.version,
            *(source.read_bytes() for source in sources),
        ]
    )
    folder = CACHE / key
    site = folder / "site"
    *package, leaf = module.split(".")
    target = site.joinpath(*package, leaf + info.ext_suffix)
    if target.exists():
        return BuiltExtension(site, target, module)
    scratch = folder.with_name(key + f".tmp{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch_target = scratch / "site" / target.relative_to(site)
    scratch_target.parent.mkdir(parents=True)
    for depth in range(len(package)):
        (scratch / "site").joinpath(*package[: depth + 1], "__init__.py").write_text("")
    _compile([compiler, *flags, *map(str, sources), "-o", str(scratch_target)], cwd=scratch)
    try:
        scratch.rename(folder)
    except OSError:  # another session built it meanwhile
        shutil.rmtree(scratch, ignore_errors=True)
    return BuiltExtension(site, target, module)


# name -> (source relative to fixtures/extensions, dotted module, C++?)
HAND_WRITTEN = {
    "mp_slot_not_used": ("mp_slot_not_used.c", "mp_slot_not_used", False),
    "mp_slot_used": ("mp_slot_used.c", "mp_slot_used", False),
    "mp_no_slot": ("mp_no_slot.c", "mp_no_slot", False),
    "sp_setgil_not_used": ("sp_setgil_not_used.c", "sp_setgil_not_used", False),
    "sp_setgil_used": ("sp_setgil_used.c", "sp_setgil_used", False),
    "sp_no_setgil": ("sp_no_setgil.c", "sp_no_setgil", False),
    "cpp_mp_not_used": ("cpp_mp_not_used.cpp", "cpp_mp_not_used", True),
    "cpp_mp_no_slot": ("cpp_mp_no_slot.cpp", "cpp_mp_no_slot", True),
    "cpp_mp_dynamic_slots": ("cpp_mp_dynamic_slots.cpp", "cpp_mp_dynamic_slots", True),
    "risky_calls": ("risky_calls.c", "risky_calls", False),
    "capsule_provider": ("capsule_provider.c", "capsule_provider", False),
    "capsule_shim": ("capsule_shim.c", "capsule_shim", False),
    "submodule": ("package/submodule.c", "fixture_pkg.submodule", False),
    "crash_in_init": ("crash_in_init.c", "crash_in_init", False),
    "hang_in_init": ("hang_in_init.c", "hang_in_init", False),
}
# What CPython 3.13t does after importing each (checked by the probe in the tests too).
EXPECTED_ON_FREE_THREADED = {
    "mp_slot_not_used": "not-used",
    "mp_slot_used": "used",
    "mp_no_slot": "used",
    "sp_setgil_not_used": "not-used",
    "sp_setgil_used": "used",
    "sp_no_setgil": "used",
    "cpp_mp_not_used": "not-used",
    "cpp_mp_no_slot": "used",
    "cpp_mp_dynamic_slots": "not-used",
    "risky_calls": "not-used",
    "submodule": "not-used",
}


def build_fixture(name: str, python: str | Path) -> BuiltExtension:
    source, module, cpp = HAND_WRITTEN[name]
    return build_extension([FIXTURES / source], module, python, cpp=cpp)


def build_snippet(code: str, module: str, python: str | Path, *, cpp: bool = False) -> BuiltExtension:
    """Compile a rule example (a C/C++ translation unit defining PyInit_<module>)."""
    source_folder = CACHE / "snippets"
    source_folder.mkdir(parents=True, exist_ok=True)
    source = source_folder / f"{module}_{_digest([code])}.{'cpp' if cpp else 'c'}"
    if not source.exists():
        source.write_text(code)
    return build_extension([source], module, python, cpp=cpp)


# -- generator fixtures ------------------------------------------------------------------------
@functools.cache
def toolchain_site_packages(python: str | Path) -> Path:
    """A venv of ``python`` holding pybind11, nanobind and Cython (their headers and cythonize)."""
    info = interpreter_build_info(str(python))
    venv = CACHE / f"toolchain-{_digest([info.executable, info.version])}"
    venv_python = venv / "bin" / "python"
    marker = venv / ".ready"
    if not marker.exists():
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([str(python), "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
        result = subprocess.run(
            [str(venv_python), "-m", "pip", "install", "-q", *TOOLCHAIN_REQUIREMENTS],
            capture_output=True,
            text=True,
            check=False,
            timeout=900,
        )
        if result.returncode != 0:
            raise BuildError(
                f"pip install {' '.join(TOOLCHAIN_REQUIREMENTS)} failed:\n{result.stderr[-2000:]}"
            )
        marker.write_text("")
    output = subprocess.run(
        [str(venv_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    return Path(output)


def build_pybind11(name: str, python: str | Path) -> BuiltExtension:
    site_packages = toolchain_site_packages(python)
    source = FIXTURES / "generators" / f"{name}.cpp"
    return build_extension(
        [source],
        name,
        python,
        cpp=True,
        include_dirs=(site_packages / "pybind11" / "include",),
        extra_flags=("-fvisibility=hidden",),
    )


def build_nanobind(free_threaded: bool, python: str | Path) -> BuiltExtension:
    site_packages = toolchain_site_packages(python)
    nanobind = site_packages / "nanobind"
    name = "nanobind_free_threaded" if free_threaded else "nanobind_default"
    defines = [f"NB_MODULE_NAME={name}"]
    if free_threaded:
        defines.append("NB_FREE_THREADED")  # what nanobind_add_module(... FREE_THREADED) sets
    return build_extension(
        [FIXTURES / "generators" / "nanobind_module.cpp", nanobind / "src" / "nb_combined.cpp"],
        name,
        python,
        cpp=True,
        include_dirs=(nanobind / "include", nanobind / "ext" / "robin_map" / "include"),
        defines=tuple(defines),
        extra_flags=("-fvisibility=hidden", "-fno-strict-aliasing"),
    )


def build_cython(name: str, python: str | Path) -> BuiltExtension:
    site_packages = toolchain_site_packages(python)
    venv_python = site_packages.parents[2] / "bin" / "python"
    source = FIXTURES / "generators" / f"{name}.pyx"
    c_folder = CACHE / "cython-c"
    c_folder.mkdir(parents=True, exist_ok=True)
    c_file = c_folder / f"{name}_{_digest([source.read_bytes()])}.c"
    if not c_file.exists():
        _compile(
            [str(venv_python), "-m", "cython", "-3", str(source), "-o", str(c_file) + ".tmp.c"], cwd=c_folder
        )
        # Cython names the module after the .pyx; keep it while caching by content.
        os.replace(str(c_file) + ".tmp.c", c_file)
    return build_extension([c_file], name, python)


if __name__ == "__main__":  # build everything for a quick look: python tests/_extension_builds.py PY
    interpreter = sys.argv[1]
    for fixture in HAND_WRITTEN:
        print(build_fixture(fixture, interpreter).path)
