"""Where an interpreter keeps its installed distributions.

An interpreter is asked in a subprocess (its ``sysconfig`` paths and
``site.getsitepackages()``), never guessed from its file name: venvs, Debian's
dist-packages and ``--prefix`` installs all put them in different places.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sysconfig
from pathlib import Path

from ..interpreters.discovery import InterpreterError, describe_interpreter
from ..model.interpreter import InterpreterInfo

_ASK_FOLDERS = (
    "import json, site, sysconfig\n"
    "paths = sysconfig.get_paths()\n"
    "folders = [paths.get('platlib'), paths.get('purelib')]\n"
    "try:\n"
    "    folders += site.getsitepackages()\n"
    "except AttributeError:\n"  # old virtualenv's site.py has no getsitepackages
    "    pass\n"
    "print(json.dumps([f for f in folders if f]))\n"
)
ASK_TIMEOUT_SECONDS = 30


class EnvironmentLocationError(Exception):
    """The interpreter could not be run or described; the message says why."""


def _existing_unique(folders: list[str]) -> list[Path]:
    unique: list[Path] = []
    seen: set[str] = set()
    for folder in folders:
        real = os.path.realpath(folder)
        if real in seen or not os.path.isdir(real):
            continue
        seen.add(real)
        unique.append(Path(folder))
    return unique


def site_packages_of(python: str | os.PathLike) -> tuple[InterpreterInfo, list[Path]]:
    """The interpreter's description and its existing site-packages folders."""
    try:
        info = describe_interpreter(python, "--python")
    except InterpreterError as error:
        raise EnvironmentLocationError(str(error)) from error
    # -I keeps the user's PYTHON* variables and user site out of the answer; -S is not
    # used because site.getsitepackages() is what we want to hear.
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    try:
        completed = subprocess.run(
            [info.executable, "-I", "-c", _ASK_FOLDERS],
            capture_output=True,
            text=True,
            timeout=ASK_TIMEOUT_SECONDS,
            env=environment,
        )
        folders = json.loads(completed.stdout.strip().splitlines()[-1])
    except (OSError, subprocess.TimeoutExpired, ValueError, IndexError) as error:
        raise EnvironmentLocationError(
            f"{info.executable}: could not list its site-packages ({error})"
        ) from error
    return info, _existing_unique([str(folder) for folder in folders])


def running_site_packages() -> list[Path]:
    """The site-packages folders of the interpreter running ftaudit."""
    paths = sysconfig.get_paths()
    folders = [paths.get("platlib"), paths.get("purelib")]
    try:
        folders += site.getsitepackages()
    except AttributeError:
        pass
    return _existing_unique([folder for folder in folders if folder])
