"""Everything ``ftaudit check`` does, as one call: :func:`gate`.

Read the ``[tool.ftaudit]`` policy, scan the environment (or merge JSON results), ask
the interpreter whether it is free-threaded and stays so after the project's imports,
apply the policy and the baseline, and return the report (with the gate's findings in
it) and the decision. Optionally write every current finding as the new baseline.

    import auditor
    run = auditor.gate(python="/usr/bin/python3.13t")
    print(run.result.summary(), run.exit_code)

:func:`auditor.check` is the pure step in the middle, for a report you already have.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..engine.baseline import Baseline, BaselineError, load_baseline, write_baseline
from ..engine.gate import GateResult, check
from ..engine.interpreter_guard import guard_interpreter
from ..engine.outcome import check_outcome
from ..engine.policy import Policy, PolicyError, load_policy
from ..engine.project_files import project_modules
from ..model import AuditReport
from ..model.interpreter import InterpreterFacts
from .report import ReportInputError, build_report
from .scan import ScanError, scan


class CheckError(Exception):
    """The check could not run: an unreadable policy, baseline or input, or nothing to
    scan. The message says which file and why (``ftaudit check`` exits 2)."""


@dataclass
class CheckRun:
    report: AuditReport  # the scanned or merged report, the gate's findings added
    result: GateResult
    policy: Policy
    interpreter: InterpreterFacts | None  # None: the interpreter was not guarded
    # The guard was wanted but there was no interpreter to ask (only --path or --input).
    interpreter_unchecked: bool = False
    baseline_written: int | None = None  # findings written with ``write_baseline_to``

    @property
    def exit_code(self) -> int:
        """0, 1 or 3 (docs/exit-codes.md); 0 after writing a baseline."""
        wrote = self.baseline_written is not None
        return check_outcome(self.result.failures, self.result.partial, wrote).exit_code


def gate(
    python: str | os.PathLike | None = None,
    paths: Sequence[str | os.PathLike] = (),
    inputs: Sequence[str | os.PathLike] = (),
    policy_file: str | os.PathLike | None = None,
    baseline_file: str | os.PathLike | None = None,
    target: str | None = None,
    probe: bool = False,
    imports: Sequence[str] | None = None,
    guard: bool = True,
    write_baseline_to: str | os.PathLike | None = None,
) -> CheckRun:
    """Run the CI gate as ``ftaudit check`` does.

    ``python`` / ``paths``: the environment to scan (default: the running interpreter's);
    ``inputs``: JSON results to check instead of scanning. ``policy_file``: the
    pyproject.toml to read (default: ./pyproject.toml when present); its folder is the
    project whose modules the guard imports (``imports`` overrides them) and whose
    declaring lines the findings point at. ``baseline_file`` overrides the policy's.
    ``guard=False`` skips the interpreter (no FTE001 / FTE002). Raises
    :class:`CheckError` for input that stops the check.
    """
    try:
        policy = load_policy(policy_file)
    except PolicyError as problem:
        raise CheckError(str(problem)) from problem
    project_root = (Path(policy_file).parent if policy_file else Path.cwd()).resolve()
    target = target or policy.target  # None: the scan picks the default for the environment
    baseline = _read_baseline(baseline_file)
    report = _report(python, paths, inputs, target, probe)

    guarded_python = python or (None if (paths or inputs) else sys.executable)
    facts = None
    if guarded_python and guard:
        modules = list(imports) if imports is not None else project_modules(project_root)
        facts = guard_interpreter(guarded_python, modules, project_root)

    result = check(report, policy, baseline=baseline, interpreter=facts, project_root=project_root)
    report.findings.extend(result.added_findings)
    run = CheckRun(report, result, policy, facts, interpreter_unchecked=guard and guarded_python is None)
    if write_baseline_to is not None:
        run.baseline_written = write_baseline(Path(write_baseline_to), report.all_findings())
    return run


def _read_baseline(path: str | os.PathLike | None) -> Baseline | None:
    if path is None:
        return None
    try:
        return load_baseline(Path(path))
    except BaselineError as problem:
        raise CheckError(str(problem)) from problem


def _report(
    python: str | os.PathLike | None,
    paths: Sequence[str | os.PathLike],
    inputs: Sequence[str | os.PathLike],
    target: str | None,
    probe: bool,
) -> AuditReport:
    sources: list = list(inputs)
    try:
        if not inputs:
            sources.insert(0, scan(python=python, paths=list(paths) or None, target=target, probe=probe))
        return build_report(*sources, target=target)
    except (ScanError, ReportInputError) as problem:
        raise CheckError(str(problem)) from problem
