"""The CI gate: apply a :class:`~auditor.policy.Policy` to a report and say pass or fail.

:func:`check` is pure: it reads a report (and an optional baseline) and returns a
:class:`GateResult` listing every reason to fail, plus the environment findings it
derived (FTE003 gil-fallback, FTE004 needs-build, FTE005 import failure) so that the
SARIF / JUnit output shows *why* the gate failed next to the other findings.

:func:`guard_interpreter` is the one part that runs code: it asks the target
interpreter, in a subprocess, whether it is a free-threaded build (FTE001) and whether
the GIL is still disabled after importing the project's own modules (FTE002).

What fails, in order of precedence:

1. an interpreter that is not free-threaded, or whose GIL is enabled after the
   imports (when ``require-free-threaded``, the default);
2. a distribution whose verdict is in ``fail-on-verdicts`` and is not exempt or
   accepted by the baseline (FTE003 / FTE004; ``unknown`` has no rule code);
3. any other finding at or above ``fail-on-severity`` that is selected, not
   suppressed, not in an exempt distribution and not accepted by the baseline.

``select`` / ``ignore`` apply to the FTE codes too, so ``ignore = ["FTE003"]`` turns
off failing on GIL fallbacks.
"""

from __future__ import annotations

import json
import os
import subprocess
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..model import AuditReport, Finding, Location, PackageWheelStatus, Severity, Verdict
from ..model.interpreter import InterpreterFacts
from ..shared.gil_warning import modules_named
from .policy import Policy, default_policy, normalize_name

GUARD_TIMEOUT_SECONDS = 120
_VERDICT_RULES = {Verdict.GIL_FALLBACK: "FTE003", Verdict.NEEDS_BUILD: "FTE004"}
_INTERPRETER_RULES = ("FTE001", "FTE002")
# Folders at a project's root that hold no importable project code.
_NOT_PROJECT_PACKAGES = {
    "tests",
    "test",
    "testing",
    "docs",
    "doc",
    "examples",
    "example",
    "benchmarks",
    "scripts",
    "tools",
    "fixtures",
    "build",
    "dist",
    "site-packages",
    "node_modules",
}
_RESULT_MARKER = "@@ftaudit-guard@@"


class BaselineLike(Protocol):
    def accepts(self, finding: Finding) -> bool: ...


@dataclass
class GateFailure:
    reason: str
    rule: str | None = None
    distribution: str | None = None
    fingerprint: str | None = None


@dataclass
class GateResult:
    passed: bool
    failures: list[GateFailure] = field(default_factory=list)
    # Findings derived by the gate (FTE003/FTE004/FTE005); add them to the report to show them.
    added_findings: list[Finding] = field(default_factory=list)
    exempted: list[str] = field(default_factory=list)  # distributions whose failures were waived
    baselined: int = 0  # failures the baseline accepted
    partial: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """docs/exit-codes.md: a definite failure (1) outranks a partial result (3)."""
        from .exit_codes import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL

        if self.failures:
            return EXIT_FAILED
        return EXIT_PARTIAL if self.partial else EXIT_OK

    def summary(self) -> str:
        if self.passed:
            text = "gate passed"
        else:
            text = f"gate FAILED: {len(self.failures)} reason(s)"
        extras = []
        if self.exempted:
            extras.append(f"{len(self.exempted)} exempt distribution(s) ignored")
        if self.baselined:
            extras.append(f"{self.baselined} accepted by the baseline")
        if self.partial:
            extras.append("the result is partial")
        return text + (f" ({'; '.join(extras)})" if extras else "")


# --------------------------------------------------------------------------- interpreter guard


_GUARD_CHILD = r"""
import importlib, json, platform, sys, sysconfig, warnings
request = json.loads(sys.argv[1])
for folder in reversed(request["paths"]):
    sys.path.insert(0, folder)
is_gil_enabled = getattr(sys, "_is_gil_enabled", None)  # 3.13+; without it the GIL is always on
def gil():
    return True if is_gil_enabled is None else bool(is_gil_enabled())
answer = {"executable": sys.executable, "version": platform.python_version(),
          "py_gil_disabled": sysconfig.get_config_var("Py_GIL_DISABLED"), "gil_at_start": gil(),
          "imported": [], "import_errors": {}, "warnings": [], "enabled_after": []}
for name in request["modules"]:
    before = gil()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            importlib.import_module(name)
            answer["imported"].append(name)
        except BaseException as error:
            answer["import_errors"][name] = type(error).__name__ + ": " + str(error)
    answer["warnings"] += [str(w.message) for w in caught if "GIL" in str(w.message)]
    if gil() and not before:
        answer["enabled_after"].append(name)
answer["gil_after"] = gil()
sys.stdout.write("\n" + MARKER + json.dumps(answer) + "\n")
""".replace("MARKER", repr(_RESULT_MARKER))


def guard_interpreter(
    python: str | os.PathLike,
    import_modules: Sequence[str] = (),
    project_root: str | os.PathLike | None = None,
    timeout: float = GUARD_TIMEOUT_SECONDS,
) -> InterpreterFacts:
    """Ask ``python`` whether it is free-threaded and whether importing
    ``import_modules`` enables the GIL. Never raises for a bad interpreter or module:
    problems are recorded in ``errors`` / ``import_errors``.

    The child runs with ``-I`` (isolated mode), so ``PYTHON_GIL=0`` in the CI
    environment cannot hide a module that re-enables the GIL.
    """
    facts = InterpreterFacts(executable=str(python))
    root = Path(project_root) if project_root else None
    if root and (root / "pyproject.toml").is_file():
        facts.project_file = "pyproject.toml"
    paths = [str(folder) for folder in _project_import_paths(root)] if root else []
    request = json.dumps({"modules": list(import_modules), "paths": paths})
    try:
        completed = subprocess.run(
            [str(python), "-I", "-c", _GUARD_CHILD, request],
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
    answer = json.loads(answer_line[len(_RESULT_MARKER) :])
    facts.version = answer["version"]
    facts.py_gil_disabled = answer["py_gil_disabled"]
    facts.free_threaded = bool(answer["py_gil_disabled"])
    facts.gil_enabled_at_start = answer["gil_at_start"]
    facts.gil_enabled_after_import = answer["gil_after"]
    facts.imported = answer["imported"]
    facts.import_errors = answer["import_errors"]
    facts.warnings = answer["warnings"]
    named = [module for text in facts.warnings for module in modules_named(text)]
    facts.enabled_by = list(dict.fromkeys(named)) or answer["enabled_after"]
    return facts


def interpreter_findings(facts: InterpreterFacts) -> list[Finding]:
    from ..rules.environment.gil_enabled_after_import import GilEnabledAfterImport
    from ..rules.environment.interpreter_not_free_threaded import InterpreterNotFreeThreaded

    return [*InterpreterNotFreeThreaded.check(facts), *GilEnabledAfterImport.check(facts)]


def _project_import_paths(root: Path) -> list[Path]:
    # src layout first: a package under src/ is not importable from the root.
    return [folder for folder in (root / "src", root) if folder.is_dir()]


def project_modules(project_root: str | os.PathLike) -> list[str]:
    """The project's own top-level packages: folders with ``__init__.py`` at the root
    or under ``src/``, else the import name guessed from ``[project] name``."""
    root = Path(project_root)
    if not any((root / name).is_file() for name in ("pyproject.toml", "setup.py", "setup.cfg")):
        # Not a project folder (a CI step run from elsewhere): import nothing rather than
        # whatever packages happen to lie around.
        return []
    found: list[str] = []
    for folder in _project_import_paths(root):
        for child in sorted(folder.iterdir()):
            if (
                child.is_dir()
                and (child / "__init__.py").is_file()
                and child.name.isidentifier()
                and child.name not in _NOT_PROJECT_PACKAGES
                and not child.name.startswith(("_", "."))
            ):
                found.append(child.name)
    if found:
        return list(dict.fromkeys(found))
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    name = data.get("project", {}).get("name")
    return [normalize_name(name).replace("-", "_")] if isinstance(name, str) and name else []


# --------------------------------------------------------------------------- the gate


def environment_findings(report: AuditReport, policy: Policy | None = None) -> list[Finding]:
    """FTE003/FTE004/FTE005 for every distribution of the scan, and FTE003/FTE004 for the
    dependency-tree packages that are not installed (before install); the severity is
    error when the policy fails on the verdict and warning otherwise."""
    from ..rules.environment.distribution_gil_fallback import DistributionGilFallback
    from ..rules.environment.distribution_needs_build import DistributionNeedsBuild
    from ..rules.environment.extension_import_failure import ExtensionImportFailure
    from ..rules.environment.static_runtime_disagreement import StaticRuntimeDisagreement

    policy = policy or default_policy()
    findings: list[Finding] = []
    for distribution in report.scan.distributions if report.scan else []:
        for finding in (
            *DistributionGilFallback.check(distribution),
            *DistributionNeedsBuild.check(distribution),
            *ExtensionImportFailure.check(distribution),
            *StaticRuntimeDisagreement.check(distribution),
        ):
            if finding.rule in _VERDICT_RULES.values():
                finding.severity = (
                    Severity.ERROR if distribution.verdict in policy.fail_on_verdicts else Severity.WARNING
                )
            findings.append(finding)
    for package, verdict in tree_verdicts(report):
        for finding in (
            *DistributionGilFallback.check_package(package, report.target),
            *DistributionNeedsBuild.check_package(package, report.target),
        ):
            finding.severity = Severity.ERROR if verdict in policy.fail_on_verdicts else Severity.WARNING
            findings.append(finding)
    return findings


def tree_verdicts(report: AuditReport) -> list[tuple[PackageWheelStatus, Verdict]]:
    """Packages of the dependency tree that are not installed in the scanned environment
    (the scan knows better for those), with the verdict they would have once installed."""
    installed = {normalize_name(d.name) for d in (report.scan.distributions if report.scan else [])}
    judged = []
    for package in report.tree.packages if report.tree else []:
        if normalize_name(package.name) in installed:
            continue
        if package.gil_fallback:
            judged.append((package, Verdict.GIL_FALLBACK))
        elif package.status in {verdict.value for verdict in Verdict}:
            judged.append((package, Verdict(package.status)))
    return judged


def check(
    report: AuditReport,
    policy: Policy | None = None,
    baseline: BaselineLike | None = None,
    interpreter: InterpreterFacts | None = None,
    project_root: str | os.PathLike | None = None,
) -> GateResult:
    """Apply ``policy`` (default: :func:`~auditor.policy.default_policy`) to ``report``.

    ``baseline`` is anything with ``accepts(finding)`` (:class:`auditor.baseline.Baseline`);
    when None and the policy names a baseline file, it is loaded here. ``interpreter``
    is the result of :func:`guard_interpreter`, when the interpreter was checked.
    With ``project_root``, FTE003/FTE004 findings of dependencies the project declares
    point at the declaring line of its pyproject.toml / requirements*.txt.
    """
    policy = policy or default_policy()
    result = GateResult(passed=True)
    result.notes.extend(policy.notes)
    if baseline is None and policy.baseline is not None:
        baseline = _load_baseline(policy.baseline, result)

    existing = {finding.fingerprint for finding in report.all_findings()}
    derived = environment_findings(report, policy)
    if interpreter is not None:
        derived += interpreter_findings(interpreter)
        if interpreter.errors:
            result.partial = True
            result.notes.extend(interpreter.errors)
        for module, message in interpreter.import_errors.items():
            # A module that did not import was not checked for FTE002: the answer is partial.
            result.partial = True
            result.notes.append(f"could not import {module} on {interpreter.executable}: {message}")
    if project_root is not None:
        # Before any fingerprint is taken: the location is part of a finding's identity.
        point_into_project(derived, project_root)
    result.added_findings = [finding for finding in derived if finding.fingerprint not in existing]
    findings = report.all_findings() + result.added_findings

    # auditor.baseline counts accepted copies: two identical accepted lines do not cover
    # a third. Honour the counts when the baseline has them; otherwise ask accepts().
    remaining = Counter(getattr(baseline, "accepted", None) or {})

    def accepted(finding: Finding) -> bool:
        if baseline is None:
            return False
        if remaining:
            if remaining[finding.fingerprint] <= 0:
                return False
            remaining[finding.fingerprint] -= 1
        elif not baseline.accepts(finding):
            return False
        result.baselined += 1
        return True

    exempted: set[str] = set()
    verdict_findings = {(f.rule, f.distribution): f for f in findings if f.rule in _VERDICT_RULES.values()}
    judged = [
        (d.name, d.version, d.verdict, d.reason, "")
        for d in (report.scan.distributions if report.scan else [])
    ]
    judged += [
        (package.name, package.version or "?", verdict, package.reason, " (before install)")
        for package, verdict in tree_verdicts(report)
    ]
    for name, version, verdict, reason, when in judged:
        if verdict not in policy.fail_on_verdicts:
            continue
        code = _VERDICT_RULES.get(verdict)
        if code and not policy.selects(code):
            continue
        if policy.is_exempt(name):
            exempted.add(name)
            continue
        finding = verdict_findings.get((code, name)) if code else None
        if finding is not None and (finding.suppressed or accepted(finding)):
            continue
        result.failures.append(
            GateFailure(
                reason=f"{name} {version} is {verdict.value}{when}: {reason}",
                rule=code,
                distribution=name,
                fingerprint=finding.fingerprint if finding else None,
            )
        )

    for finding in findings:
        if finding.rule in _VERDICT_RULES.values() or finding.suppressed or not policy.selects(finding.rule):
            continue
        if finding.rule in _INTERPRETER_RULES:
            failing = policy.require_free_threaded
        else:
            failing = policy.severity_fails(finding.severity)
        if not failing:
            continue
        if policy.is_exempt(finding.distribution):
            exempted.add(finding.distribution or "")
            continue
        if accepted(finding):
            continue
        where = f" ({finding.distribution})" if finding.distribution else ""
        result.failures.append(
            GateFailure(
                reason=f"{finding.rule}{where}: {finding.message}",
                rule=finding.rule,
                distribution=finding.distribution,
                fingerprint=finding.fingerprint,
            )
        )

    if report.incomplete_reasons():
        result.partial = True
    result.exempted = sorted(exempted, key=normalize_name)
    result.passed = not result.failures
    return result


def _load_baseline(path: Path, result: GateResult) -> BaselineLike | None:
    try:
        from .baseline import BaselineError, load_baseline
    except ImportError:
        result.partial = True
        result.notes.append(f"the policy names the baseline {path}, but this ftaudit cannot read baselines")
        return None
    try:
        return load_baseline(path)
    except BaselineError as error:
        # Without the baseline every accepted finding would fail; say why, fail safe.
        result.partial = True
        result.notes.append(f"baseline not applied: {error}")
        return None


# --------------------------------------------------------------------------- pointing into the project

_DISTRIBUTION_RULES = {"FTE003", "FTE004"}


def declaration_lines(project_root: str | os.PathLike) -> dict[str, Location]:
    """Where the project declares each dependency: normalised name -> pyproject.toml or
    requirements*.txt line. Code-scanning UIs show a result only at a file of the
    repository, so the gate's distribution findings point here when they can."""
    from packaging.requirements import InvalidRequirement, Requirement

    root = Path(project_root)
    found: dict[str, Location] = {}
    candidates = [root / "pyproject.toml", *sorted(root.glob("requirements*.txt"))]
    for path in candidates:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            text = line.split("#", 1)[0].strip().strip(",").strip()
            if path.suffix == ".toml":
                # Only quoted entries of dependency arrays: "numpy>=2", 'lxml==5.2.2'.
                if len(text) < 2 or text[0] not in "\"'" or text[-1] != text[0]:
                    continue
                text = text[1:-1]
            if not text or text.startswith("-"):
                continue
            try:
                requirement = Requirement(text)
            except InvalidRequirement:
                continue
            found.setdefault(
                normalize_name(requirement.name),
                Location(path=path.name, line=number, column=1, snippet=line.strip()),
            )
    return found


def point_into_project(findings: list[Finding], project_root: str | os.PathLike) -> None:
    """Give FTE003/FTE004 findings of directly declared dependencies the declaring line."""
    declared = declaration_lines(project_root)
    for finding in findings:
        if finding.rule in _DISTRIBUTION_RULES and finding.location is None and finding.distribution:
            location = declared.get(normalize_name(finding.distribution))
            if location is not None:
                finding.location = location
