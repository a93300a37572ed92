"""The interpreter guard: ask the target interpreter, in a subprocess, whether it is a
free-threaded build (FTE001) and whether the GIL is still disabled after importing the
project's own modules (FTE002).

The child (``_guard_child.py``) runs with ``-I`` (isolated mode), so ``PYTHON_GIL=0`` in
the CI environment cannot hide a module that re-enables the GIL, and it describes the
interpreter with the same script ``ftaudit interpreters`` uses.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from ..collectors.interpreters.discovery import describe_child_script
from ..model.interpreter import InterpreterFacts
from ..shared.gil_warning import modules_named
from .project_files import project_import_paths

GUARD_TIMEOUT_SECONDS = 120
_CHILD = Path(__file__).with_name("_guard_child.py")
# Precedes the child's answer on its standard output, which the project's modules may
# also write to while they are imported.
_RESULT_MARKER = "@@ftaudit-guard@@"


def guard_interpreter(
    python: str | os.PathLike,
    import_modules: Sequence[str] = (),
    project_root: str | os.PathLike | None = None,
    timeout: float = GUARD_TIMEOUT_SECONDS,
) -> InterpreterFacts:
    """Ask ``python`` whether it is free-threaded and whether importing
    ``import_modules`` enables the GIL. Never raises for a bad interpreter or module:
    problems are recorded in ``errors`` / ``import_errors``."""
    facts = InterpreterFacts(executable=str(python))
    root = Path(project_root) if project_root else None
    if root and (root / "pyproject.toml").is_file():
        facts.project_file = "pyproject.toml"
    request = {
        "modules": list(import_modules),
        "paths": [str(folder) for folder in project_import_paths(root)] if root else [],
        "describe_child": str(describe_child_script()),
        "marker": _RESULT_MARKER,
    }
    try:
        completed = subprocess.run(
            [str(python), "-I", str(_CHILD), json.dumps(request)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=str(root) if root else None,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        facts.errors.append(f"{python}: no such interpreter")
        return facts
    except OSError as error:
        facts.errors.append(f"{python}: cannot run it ({error.strerror or error})")
        return facts
    except subprocess.TimeoutExpired:
        facts.errors.append(
            f"{python}: importing {', '.join(import_modules) or 'nothing'} did not finish "
            f"within {timeout:.0f}s"
        )
        return facts
    answer_line = next(
        (line for line in reversed(completed.stdout.splitlines()) if line.startswith(_RESULT_MARKER)), None
    )
    if answer_line is None:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        facts.errors.append(
            f"{python}: the interpreter check exited with {completed.returncode} before answering ({last})"
        )
        return facts
    _read_answer(facts, json.loads(answer_line[len(_RESULT_MARKER) :]))
    return facts


def _read_answer(facts: InterpreterFacts, answer: dict) -> None:
    facts.version = answer["version"]
    facts.py_gil_disabled = answer["py_gil_disabled"]
    facts.free_threaded = bool(answer["free_threaded"])
    facts.gil_enabled_at_start = answer["gil_at_start"]
    facts.gil_enabled_after_import = answer["gil_after"]
    facts.imported = answer["imported"]
    facts.import_errors = answer["import_errors"]
    facts.warnings = answer["warnings"]
    named = [module for text in facts.warnings for module in modules_named(text)]
    facts.enabled_by = list(dict.fromkeys(named)) or answer["enabled_after"]
