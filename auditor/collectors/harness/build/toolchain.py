"""What the TARGET interpreter says about compiling for it, and running the compiler.

An extension must be compiled against the headers of the interpreter that will import
it: ``pyconfig.h`` of a free-threaded build defines ``Py_GIL_DISABLED`` (which changes
the object header layout, PEP 703), and the file name must carry that interpreter's
``EXT_SUFFIX`` (``.cpython-313t-...so``) or the import system will not look at it.
So we ask the interpreter itself (``sysconfig`` in a subprocess), never the host Python.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_QUERY = r"""
import json, sys, sysconfig
variables = sysconfig.get_config_vars()
print(json.dumps({
    "include": sysconfig.get_paths()["include"],
    "ext_suffix": variables.get("EXT_SUFFIX") or "",
    "cc": variables.get("CC") or "cc",
    "cxx": variables.get("CXX") or "c++",
    "ccshared": variables.get("CCSHARED") or "-fPIC",
    "config_args": variables.get("CONFIG_ARGS") or "",
    "free_threaded": bool(variables.get("Py_GIL_DISABLED")),
    "version": "%d.%d.%d" % sys.version_info[:3],
    "executable": sys.executable,
}))
"""

QUERY_TIMEOUT_SECONDS = 30
COMPILE_TIMEOUT_SECONDS = 300


class ToolchainError(Exception):
    pass


@dataclass(frozen=True)
class Toolchain:
    interpreter: str
    include_dir: str
    ext_suffix: str
    c_compiler: tuple[str, ...]  # "gcc -pthread" -> ("gcc", "-pthread")
    cxx_compiler: tuple[str, ...]
    shared_flags: tuple[str, ...]  # CCSHARED, "-fPIC"
    free_threaded: bool
    tsan: bool  # the interpreter was built --with-thread-sanitizer
    version: str

    def identity(self) -> str:
        """What makes two builds for two interpreters different."""
        return json.dumps(
            [
                self.interpreter,
                self.include_dir,
                self.ext_suffix,
                self.c_compiler,
                self.cxx_compiler,
                self.free_threaded,
                self.tsan,
                self.version,
            ]
        )


def child_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for any subprocess of a target interpreter.

    PYTHON* variables of the calling shell (PYTHONPATH, PYTHON_GIL, PYTHONHOME...) would
    change what the child is, so none is passed on; the caller adds what it means to.
    """
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    environment.pop("TSAN_OPTIONS", None)
    if extra:
        environment.update(extra)
    return environment


@lru_cache(maxsize=16)
def query_toolchain(interpreter: str) -> Toolchain:
    try:
        completed = subprocess.run(
            [interpreter, "-I", "-c", _QUERY],
            capture_output=True,
            text=True,
            timeout=QUERY_TIMEOUT_SECONDS,
            env=child_environment(),
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ToolchainError(f"{interpreter}: could not ask it for its build settings ({error})") from error
    if completed.returncode != 0:
        raise ToolchainError(f"{interpreter}: sysconfig query failed:\n{completed.stderr.strip()}")
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    return Toolchain(
        interpreter=interpreter,
        include_dir=data["include"],
        ext_suffix=data["ext_suffix"],
        c_compiler=tuple(shlex.split(data["cc"])),
        cxx_compiler=tuple(shlex.split(data["cxx"])),
        shared_flags=tuple(shlex.split(data["ccshared"])) or ("-fPIC",),
        free_threaded=data["free_threaded"],
        tsan="--with-thread-sanitizer" in data["config_args"],
        version=data["version"],
    )


@dataclass
class CommandLog:
    """Every command run for a build and everything it printed, shown in full on failure."""

    text: str = ""
    ok: bool = True

    def run(
        self,
        command: list[str],
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        timeout: float = COMPILE_TIMEOUT_SECONDS,
    ) -> bool:
        self.text += "$ " + shlex.join(command) + "\n"
        try:
            completed = subprocess.run(
                command,
                cwd=cwd,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=timeout,
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            self.text += f"{error}\n"
            self.ok = False
            return False
        self.text += completed.stdout
        if completed.returncode != 0:
            self.text += f"[exit status {completed.returncode}]\n"
            self.ok = False
            return False
        return True
