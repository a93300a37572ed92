"""The shape of the code, checked like behaviour: one-way layers, a complexity limit,
modules a reader can hold in their head, and imports at the top where they can be seen.

The layers themselves are declared once, in pyproject.toml's ``[tool.importlinter]``;
docs/architecture.md draws them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "auditor"
BIN = Path(sys.executable).parent

# A module longer than this is split into a file per thing (issue 9).
LONGEST_MODULE = 600

# Modules still over the limit, at their length when the limit came in (issue 9 splits them).
# A listed module may only shrink; a module not listed may not pass the limit.
LONG_MODULES_TO_SPLIT = {}

# Modules whose in-function package imports predate this test: each may keep at most that
# many until issue 9 moves them to the top; every other module must have none.
HIDDEN_IMPORTS_TO_MOVE = {}

# Marks an import that must stay inside a function, with the reason after it.
DEFERRED = "# deferred:"


def _run(tool: str, *arguments: str) -> subprocess.CompletedProcess:
    executable = BIN / tool
    assert executable.exists(), f"{tool} is a test dependency: scripts/setup.sh installs it"
    return subprocess.run(
        [str(executable), *arguments], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_imports_point_one_way():
    result = _run("lint-imports", "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_ruff_including_the_complexity_limit():
    result = _run("ruff", "check", "--no-cache", "auditor", "tests", "benchmarks", "scripts")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def _modules():
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def test_no_module_is_longer_than_a_reader_can_follow():
    too_long = {
        name: length
        for path in _modules()
        if (length := len(path.read_text(encoding="utf-8").splitlines()))
        > max(LONGEST_MODULE, LONG_MODULES_TO_SPLIT.get(name := path.relative_to(ROOT).as_posix(), 0))
    }
    assert not too_long, f"split these modules (over {LONGEST_MODULE} lines): {too_long}"


def _imports_inside_functions(path: Path):
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    for function in ast.walk(ast.parse(text)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                internal = node.level > 0 or (node.module or "").split(".")[0] == "auditor"
            elif isinstance(node, ast.Import):
                internal = any(alias.name.split(".")[0] == "auditor" for alias in node.names)
            else:
                continue
            if not internal:
                continue
            here = lines[node.lineno - 1]
            above = lines[node.lineno - 2] if node.lineno > 1 else ""
            if DEFERRED not in here and DEFERRED not in above:
                yield f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"


def test_package_imports_sit_at_the_top_unless_a_reason_is_given():
    hidden = []
    for path in _modules():
        found = list(_imports_inside_functions(path))
        if len(found) > HIDDEN_IMPORTS_TO_MOVE.get(path.relative_to(ROOT).as_posix(), 0):
            hidden.extend(found)
    assert not hidden, (
        f"move these imports to the top of their module, or say why they wait with "
        f"'{DEFERRED} <reason>' on the line above: {hidden}"
    )


@pytest.mark.parametrize("public_name", ["scan", "check", "hammer", "audit"])
def test_public_api_imports_without_the_cli(public_name):
    # The library must not need the CLI or a reporter to be imported (the layers' point).
    code = (
        "import sys, auditor\n"
        f"getattr(auditor, {public_name!r})\n"
        "leaked = sorted(m for m in sys.modules if m.startswith(('auditor.cli',)))\n"
        "print(leaked)\n"
        "raise SystemExit(1 if leaked else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_imports_on_its_own():
    # The CLI loads subcommands lazily and the scan reads binaries in a child, so a broken
    # import (a merge that left a name behind) could hide until that one command runs.
    # A fresh interpreter, so what pytest and the other tests imported already does not count.
    child_scripts = ("__main__", "_child")
    names = [
        path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
        for path in _modules()
        if not path.stem.endswith(child_scripts)
    ]
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        "for name in sys.argv[1:]:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as error:\n"
        "        failed.append(f'{name}: {type(error).__name__}: {error}')\n"
        "print('\\n'.join(failed))\n"
        "sys.exit(1 if failed else 0)\n"
    )
    result = subprocess.run(
        [str(BIN / "python"), "-c", script, *names], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert len(names) > 100


def _imported_modules(path: Path, module: str, is_package: bool, known: set[str]) -> set[str]:
    """Every module of the package that ``path`` imports, ``if TYPE_CHECKING:`` blocks included."""
    base = module if is_package else module.rpartition(".")[0]
    imported: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            parts = base.split(".")
            if node.level > 1:
                parts = parts[: -(node.level - 1)]
            target = ".".join([*parts, node.module] if node.module else parts) if node.level else node.module
            candidates = [target, *(f"{target}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        imported |= {candidate for candidate in candidates if candidate in known and candidate != module}
    return imported


def test_no_import_cycles_even_for_the_type_checker():
    modules: dict[str, tuple[Path, bool]] = {}
    for path in _modules():
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        modules[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    graph = {
        name: _imported_modules(path, name, is_package, set(modules))
        for name, (path, is_package) in modules.items()
    }
    # A package importing its own modules (to register them) is not a cycle back into it.
    graph = {
        name: {target for target in targets if not target.startswith(name + ".")}
        for name, targets in graph.items()
    }
    cycles = []
    for start in graph:
        stack, seen = [(start, (start,))], set()
        while stack:
            current, trail = stack.pop()
            for target in graph[current]:
                if target == start:
                    cycles.append(" -> ".join([*trail, start]))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, (*trail, target)))
        if cycles:
            break
    assert not cycles, cycles
