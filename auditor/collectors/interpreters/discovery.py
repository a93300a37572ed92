"""Find the Python interpreters on this machine and ask each what it is.

Each candidate is asked in a subprocess (``_describe_child.py``) rather than guessed
from its file name: ``python3`` may be free-threaded, a ``python3.13t`` may be a TSan
build, and only ``sysconfig`` knows (``Py_GIL_DISABLED``, ``CONFIG_ARGS``).
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ...model.interpreter import InterpreterInfo
from .provision import all_provisioned, find_provisioned

_CHILD = Path(__file__).with_name("_describe_child.py")
_NAMES_ON_PATH = [
    "python3",
    *(f"python3.{minor}{flavour}" for minor in range(8, 16) for flavour in ("", "t")),
]
DESCRIBE_TIMEOUT_SECONDS = 20
# python3, python3.13, python3.13t, python3.7m; not python3.13-config or python3.13-gdb.py.
_INTERPRETER_NAME = re.compile(r"^python3(\.\d+)?[tm]?$")


class InterpreterError(Exception):
    pass


def describe_child_script() -> Path:
    """The stdlib-only script an interpreter runs to describe itself (one JSON line on
    standard output), for a caller that must ask more of it in the same process."""
    return _CHILD


def describe_interpreter(executable: str | os.PathLike, found_via: str = "--python") -> InterpreterInfo:
    """Ask ``executable`` what it is. Raises InterpreterError with a readable reason."""
    path = Path(executable)
    if not path.exists():
        resolved = shutil.which(str(executable))
        if not resolved:
            raise InterpreterError(f"{executable}: no such interpreter")
        path = Path(resolved)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    try:
        completed = subprocess.run(
            [str(path), "-I", "-S", str(_CHILD)],
            capture_output=True,
            text=True,
            timeout=DESCRIBE_TIMEOUT_SECONDS,
            env=env,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise InterpreterError(f"{path}: could not run it ({error})") from error
    if completed.returncode != 0:
        detail = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise InterpreterError(f"{path}: exited with {completed.returncode} ({detail})")
    try:
        data = json.loads(completed.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError) as error:
        raise InterpreterError(f"{path}: unexpected answer {completed.stdout[:200]!r}") from error
    free_threaded = bool(data["free_threaded"])
    major_minor = tuple(int(part) for part in data["version"].split(".")[:2])
    return InterpreterInfo(
        executable=str(path),
        version=data["version"],
        implementation=data["implementation"],
        free_threaded=free_threaded,
        abi_tag=data["abi_tag"],
        soabi=data["soabi"],
        ext_suffix=data["ext_suffix"],
        tsan=bool(data["tsan"]),
        found_via=found_via,
        platlib=data.get("platlib"),
        include_dir=data.get("include_dir"),
        # cffi's own policy (cffi 2.0 release notes): every GIL build, and free-threaded
        # builds from 3.14 on; it refuses free-threaded 3.13.
        cffi_supported=(not free_threaded) or major_minor >= (3, 14),
    )


def _candidates(extra: list[str]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = [(path, "--python") for path in extra]
    found.append((sys.executable, "running"))
    for interpreter in all_provisioned():
        found.append((str(interpreter.executable), "cache"))
    for name in _NAMES_ON_PATH:
        for directory in os.environ.get("PATH", "").split(os.pathsep):
            candidate = Path(directory) / name
            if candidate.is_file() and os.access(candidate, os.X_OK) and "shims" not in candidate.parts:
                found.append((str(candidate), "PATH"))
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for candidate in sorted(glob.glob(str(pyenv_root / "versions" / "*" / "bin" / "python3*"))):
        if _INTERPRETER_NAME.match(Path(candidate).name):
            found.append((candidate, "pyenv"))
    uv_root = Path(
        os.environ.get("UV_PYTHON_INSTALL_DIR", Path.home() / ".local" / "share" / "uv" / "python")
    )
    for candidate in sorted(glob.glob(str(uv_root / "*" / "bin" / "python3*"))):
        if _INTERPRETER_NAME.match(Path(candidate).name):
            found.append((candidate, "uv"))
    return found


def find_interpreters(extra: list[str] | tuple[str, ...] = ()) -> tuple[list[InterpreterInfo], list[str]]:
    """Every distinct interpreter found, and messages for candidates that failed."""
    seen: dict[str, tuple[str, str]] = {}
    for candidate, found_via in _candidates(list(extra)):
        try:
            key = os.path.realpath(candidate)
        except OSError:
            continue
        if not Path(key).is_file():
            continue
        seen.setdefault(key, (candidate, found_via))
    interpreters: list[InterpreterInfo] = []
    problems: list[str] = []
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [
            pool.submit(describe_interpreter, candidate, found_via) for candidate, found_via in seen.values()
        ]
        for future in futures:
            try:
                interpreters.append(future.result())
            except InterpreterError as error:
                problems.append(str(error))
    interpreters.sort(
        key=lambda info: (tuple(int(p) for p in info.version.split(".")), info.free_threaded, info.tsan),
        reverse=True,
    )
    return interpreters, problems


def default_free_threaded(tsan: bool = False) -> InterpreterInfo | None:
    """The free-threaded interpreter to use when the user names none: ours first."""
    provisioned = find_provisioned(tsan=tsan)
    if provisioned:
        return describe_interpreter(provisioned.executable, "cache")
    interpreters, _ = find_interpreters()
    for info in interpreters:
        if info.free_threaded and info.tsan == tsan:
            return info
    return None


def default_gil_baseline(version: str | None = None) -> InterpreterInfo | None:
    """A GIL build to compare against, of the same minor version when there is one."""
    wanted_minor = ".".join(version.split(".")[:2]) if version else None
    provisioned = find_provisioned(gil=True)
    if provisioned and (wanted_minor in (None, "3.13")):
        return describe_interpreter(provisioned.executable, "cache")
    interpreters, _ = find_interpreters()
    gil_builds = [info for info in interpreters if not info.free_threaded and not info.tsan]
    for info in gil_builds:
        if wanted_minor is None or info.version.startswith(wanted_minor + "."):
            return info
    return gil_builds[0] if gil_builds else None
