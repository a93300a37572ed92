"""Where an interpreter keeps its installed distributions.

An interpreter is asked in a subprocess started with ``-S -I`` (its ``sysconfig`` paths
and ``site.getsitepackages()`` for its prefix, no ``.pth`` file or ``sitecustomize`` run),
never guessed from its file name: venvs, Debian's
dist-packages and ``--prefix`` installs all put them in different places.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sysconfig
from pathlib import Path

from ...model.interpreter import InterpreterInfo
from ..interpreters.discovery import InterpreterError, describe_interpreter

# Runs in the scanned interpreter with -S -I: no site module, so none of the
# environment's .pth files or sitecustomize.py runs (a static scan must start no code of
# what it scans). Without site, sys.prefix is the base interpreter's, so the venv is
# found the way site.venv() finds it (pyvenv.cfg beside the executable or one folder
# up) and the folders are computed for that prefix; site.getsitepackages(prefixes) only
# builds paths. include-system-site-packages adds the base prefix's folders.
_ASK_FOLDERS = """
import json, os, site, sys, sysconfig
executable_folder = os.path.dirname(os.path.abspath(sys.executable))
prefixes, config = [], None
for candidate in (executable_folder, os.path.dirname(executable_folder)):
    if os.path.isfile(os.path.join(candidate, "pyvenv.cfg")):
        config = os.path.join(candidate, "pyvenv.cfg")
        prefixes.append(candidate)
        break
system_too = config is None
if config is not None:
    with open(config, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            key, _, value = line.partition("=")
            if key.strip().lower() == "include-system-site-packages":
                system_too = value.strip().lower() == "true"
if system_too:
    prefixes.append(sys.prefix)
folders = []
for prefix in prefixes:
    paths = sysconfig.get_paths(vars={"base": prefix, "platbase": prefix})
    folders += [paths.get("platlib"), paths.get("purelib")]
    try:
        folders += site.getsitepackages([prefix])
    except (AttributeError, TypeError):  # old virtualenv's site.py
        pass
print(json.dumps([f for f in folders if f]))
"""
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
    # -I keeps the user's PYTHON* variables and user site out of the answer, -S the
    # environment's own start-up code (see _ASK_FOLDERS).
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    try:
        completed = subprocess.run(
            [info.executable, "-S", "-I", "-c", _ASK_FOLDERS],
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
