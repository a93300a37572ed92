"""The main job, ``ftaudit audit``: a project folder audited part by part, or (the older
job) an environment scanned and the shipped samples hammered.

:func:`audit_project` judges the project's dependency tree for every target (with
wheel inspection, from the indexes pip or uv would use), its environment, its own
sources and its own harness samples, then decides target by target.
:func:`audit_environment` scans an environment against free-threaded 3.13 (statically:
nothing is imported), then compiles and hammers the samples in ``ext_samples/`` on the
free-threaded interpreter with a GIL build as the baseline.

Each part is optional, and a part that fails is recorded, not fatal: the report says
what is missing. The pipelines return the report; writing it out (HTML, Markdown, JSON)
is the caller's, :func:`auditor.reporters.write_report_files`.
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..collectors.binary.abi_tag import KNOWN_FREE_THREADED_TARGETS
from ..collectors.tree import TargetError, TreeInputError
from ..collectors.tree.index.configuration import project_index_settings, redact_text
from ..model.finding import Finding
from ..model.project import AuditPart, ProjectAudit
from ..model.report import AuditReport
from ..rules.environment.audit_incomplete import AuditIncomplete
from .decision import decide_targets
from .dependency_tree import resolve_tree_targets
from .hammer import hammer
from .scan import scan
from .source_scan import check_distribution_sources, scan_source

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_SAMPLES = PROJECT_ROOT / "ext_samples"
_SOURCE_SUFFIXES = (".py", ".c", ".cc", ".cpp", ".cxx", ".h", ".pyx", ".pxd")


@dataclass
class AuditOutcome:
    report: AuditReport
    problems: list[str] = field(default_factory=list)


def _problem_finding(message: str) -> Finding:
    # A part of the audit that could not run at all is itself reported, so a partial
    # report never looks complete.
    return AuditIncomplete.finding(message)


def audit_environment(
    *,
    python: str | Path | None = None,
    paths: list[Path] | None = None,
    target: str | None = None,
    probe: bool = False,
    samples: list[Path] | None = None,
    hammer_samples: bool = True,
    budget: float | None = None,
    source_checks: bool = False,
    progress=None,
    hammer_progress=None,
) -> AuditOutcome:
    """Scan an environment and hammer samples (the shipped ones by default); ``progress``
    feeds the scan's bar, ``hammer_progress`` the harness's (see
    :func:`auditor.pipelines.hammer.hammer`)."""
    report = AuditReport.create(target=target)
    outcome = AuditOutcome(report)

    report.scan = scan(python=python, paths=paths, target=target, probe=probe, progress=progress)
    report.target = report.scan.target  # the default follows the scanned environment

    if source_checks and report.scan.distributions:
        report.source = check_distribution_sources(report.scan)

    if hammer_samples:
        sample_paths = samples if samples is not None else [SHIPPED_SAMPLES]
        missing = [path for path in sample_paths if not path.exists()]
        for path in missing:
            outcome.problems.append(f"sample folder {path} does not exist")
        sample_paths = [path for path in sample_paths if path.exists()]
        if sample_paths:
            try:
                kwargs = {"budget": budget} if budget is not None else {}
                report.hammer = hammer(sample_paths, progress=hammer_progress, **kwargs)
            except Exception as error:  # a harness failure must not lose the scan
                outcome.problems.append(f"the harness could not run: {error}")

    report.findings.extend(_problem_finding(problem) for problem in outcome.problems)
    return outcome


# --------------------------------------------------------------------------- project audit

# Dependency files by their usual names, the most exact first: a lock file is what gets
# installed, a pinned requirements file next, pyproject.toml's ranges last.
_LOCK_NAMES = ("uv.lock", "pylock.toml", "poetry.lock", "pdm.lock")
# Folders that are not the project's own code: environments, builds, VCS data.
_NOT_OWN_CODE = {
    ".venv",
    "venv",
    "env",
    ".git",
    ".hg",
    "build",
    "dist",
    "node_modules",
    ".tox",
    ".nox",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".ftaudit-cache",
}
DEFAULT_SAMPLES_FOLDER = "ftaudit-samples"


def find_dependency_files(project: Path) -> list[Path]:
    """The project's dependency files, the one to judge first."""
    found: list[Path] = [project / name for name in _LOCK_NAMES if (project / name).is_file()]
    found += sorted(path for path in project.glob("pylock.*.toml") if path.is_file())
    requirements = sorted(
        project.glob("requirements*.txt"), key=lambda path: (path.name != "requirements.txt", path.name)
    )
    found += [path for path in requirements if path.is_file()]
    if (project / "pyproject.toml").is_file():
        found.append(project / "pyproject.toml")
    return found


def _project_table(project: Path) -> dict:
    try:
        return tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _sample_folders(project: Path, document: dict) -> tuple[list[Path], str]:
    """(folders, why): ``[tool.ftaudit] samples`` (a path or a list), else ftaudit-samples/."""
    configured = document.get("tool", {}).get("ftaudit", {}).get("samples")
    if configured is not None:
        names = [configured] if isinstance(configured, str) else list(configured)
        return [project / str(name) for name in names], "[tool.ftaudit] samples"
    default = project / DEFAULT_SAMPLES_FOLDER
    return ([default], f"{DEFAULT_SAMPLES_FOLDER}/") if default.is_dir() else ([], "")


def _own_environment(project: Path, python: str | Path | None) -> tuple[str | None, str]:
    """(interpreter to scan, why) - the project's environment, never ftaudit's own."""
    if python is not None:
        return str(python), "--python"
    own_prefix = Path(sys.prefix).resolve()
    active = os.environ.get("VIRTUAL_ENV")
    if active and Path(active).resolve() != own_prefix:
        candidate = Path(active) / "bin" / "python"
        if candidate.exists():
            return str(candidate), f"the active virtualenv (VIRTUAL_ENV={active})"
    for folder in (".venv", "venv"):
        candidate = project / folder / "bin" / "python"
        if candidate.exists() and (project / folder).resolve() != own_prefix:
            return str(candidate), f"the project's {folder}/"
    return None, ""


@dataclass
class _ProjectAuditRun:
    """One project audit under way: the report it fills, and how each part went."""

    project: Path
    document: dict
    outcome: AuditOutcome
    record: ProjectAudit
    say: Callable[[str], None]

    @property
    def report(self) -> AuditReport:
        return self.outcome.report

    def part(self, name: str, status: str, detail: str) -> None:
        self.record.parts.append(AuditPart(name, status, redact_text(detail)))
        if status == "failed":
            self.outcome.problems.append(f"{name}: {redact_text(detail)}")


def audit_project(
    project: Path,
    *,
    python: str | Path | None = None,
    targets: list[str] | None = None,
    samples: list[Path] | None = None,
    hammer_samples: bool = True,
    budget: float | None = None,
    index_url: str | None = None,
    offline: bool = False,
    cache_dir: Path | None = None,
    environ: dict[str, str] | None = None,
    hammer_progress=None,
    log=None,
) -> AuditOutcome:
    """Audit a project folder: its dependency tree for every target (with wheel
    inspection, from the indexes pip or uv would use), its environment, its own sources
    and its own harness samples; then decide target by target. A part that does not
    apply is skipped with the reason; a part that fails makes the outcome partial.
    ``log`` receives one line per part as it starts."""
    project = Path(project).resolve()
    document = _project_table(project)
    targets = list(targets or KNOWN_FREE_THREADED_TARGETS)
    record = ProjectAudit(
        path=str(project), name=str(document.get("project", {}).get("name") or project.name), targets=targets
    )
    outcome = AuditOutcome(AuditReport.create(target=targets[0], project=record))
    run = _ProjectAuditRun(project, document, outcome, record, log or (lambda line: None))

    _audit_dependencies(
        run, targets, index_url=index_url, offline=offline, cache_dir=cache_dir, environ=environ
    )
    _audit_environment(run, python)
    _audit_sources(run, cache_dir)
    _audit_samples(
        run, samples, hammer_samples=hammer_samples, budget=budget, hammer_progress=hammer_progress
    )

    report = outcome.report
    record.decisions, record.recommended_target = decide_targets(report)
    if record.recommended_target:
        # The single-target views (tree table, headline, gate) follow the recommendation.
        report.target = record.recommended_target
        for tree in report.tree_targets or []:
            if tree.target == report.target:
                report.tree = tree
    report.findings.extend(_problem_finding(problem) for problem in outcome.problems)
    return outcome


def _audit_dependencies(
    run: _ProjectAuditRun,
    targets: list[str],
    *,
    index_url: str | None,
    offline: bool,
    cache_dir: Path | None,
    environ: dict[str, str] | None,
) -> None:
    """1. The dependency tree, for every target, before anything is installed."""
    files = find_dependency_files(run.project)
    if not files:
        run.part(
            "dependencies",
            "skipped",
            "no uv.lock, pylock.toml, poetry.lock, pdm.lock, requirements*.txt or "
            "pyproject.toml in the project",
        )
        return
    chosen, others = files[0], files[1:]
    run.record.dependency_file = str(chosen)
    run.record.other_dependency_files = [
        f"{path.name}: not judged ({chosen.name} is more exact)" for path in others
    ]
    settings = project_index_settings(run.project, environ)
    run.record.index = redact_text(index_url) if index_url else settings.describe()
    run.say(f"dependencies: {chosen.name} for {', '.join(targets)} against {run.record.index}")
    try:
        trees = resolve_tree_targets(
            chosen,
            targets,
            index_url=index_url,
            offline=offline,
            cache_dir=cache_dir,
            inspect_wheels=True,
            index_settings=settings,
        )
    except (TreeInputError, TargetError) as error:
        run.part("dependencies", "failed", str(error))
        return
    run.report.tree = trees[0]
    run.report.tree_targets = trees if len(trees) > 1 else None
    packages = len(trees[0].packages)
    status = "failed" if any(tree.partial for tree in trees) else "done"
    detail = f"{chosen.name}: {packages} packages judged for {', '.join(targets)}, wheels inspected"
    if status == "failed":
        detail += "; some could not be judged (see the tree's errors)"
    run.part("dependencies", status, detail)


def _audit_environment(run: _ProjectAuditRun, python: str | Path | None) -> None:
    """2. The environment the project runs in."""
    interpreter, why = _own_environment(run.project, python)
    if interpreter is None:
        run.part(
            "environment",
            "skipped",
            "no environment of this project to scan: no active virtualenv "
            "(VIRTUAL_ENV) and no .venv/ in the project; ftaudit's own environment is not the project's "
            "(pass --python PY to scan one)",
        )
        return
    run.say(f"environment: {interpreter} ({why})")
    try:
        run.report.scan = scan(python=interpreter)
    except Exception as error:  # a scan failure must not lose the other parts
        run.part("environment", "failed", f"{interpreter}: {error}")
        return
    detail = f"{interpreter} ({why}): {len(run.report.scan.distributions)} distributions"
    run.part("environment", "failed" if run.report.scan.partial else "done", detail)


def _own_source_roots(project: Path) -> list[Path]:
    return [
        entry
        for entry in sorted(project.iterdir())
        if entry.name not in _NOT_OWN_CODE
        and not entry.name.startswith(".")
        and entry.name != DEFAULT_SAMPLES_FOLDER
        and (entry.is_dir() or entry.suffix in _SOURCE_SUFFIXES)
    ]


def _audit_sources(run: _ProjectAuditRun, cache_dir: Path | None) -> None:
    """3. The project's own sources."""
    roots = _own_source_roots(run.project)
    if not roots:
        run.part("sources", "skipped", "no source files or folders in the project")
        return
    run.say(f"sources: {', '.join(entry.name for entry in roots)}")
    try:
        run.report.source = scan_source(roots, cache_dir=cache_dir / "source" if cache_dir else None)
    except Exception as error:
        run.part("sources", "failed", str(error))
        return
    source = run.report.source
    detail = (
        f"{source.files_checked} files checked, {len(source.findings)} findings "
        f"({', '.join(entry.name for entry in roots)})"
    )
    run.part("sources", "failed" if source.partial else "done", detail)


def _audit_samples(
    run: _ProjectAuditRun,
    samples: list[Path] | None,
    *,
    hammer_samples: bool,
    budget: float | None,
    hammer_progress,
) -> None:
    """4. The project's own harness samples, with the GIL baseline."""
    if samples is not None:
        folders, why = list(samples), "--samples"
    else:
        folders, why = _sample_folders(run.project, run.document)
    missing = [folder for folder in folders if not folder.exists()]
    folders = [folder for folder in folders if folder.exists()]
    if not hammer_samples:
        run.part("samples", "skipped", "--no-hammer")
    elif missing:
        run.part(
            "samples",
            "failed",
            f"sample folder(s) named by {why} do not exist: " + ", ".join(str(folder) for folder in missing),
        )
    elif not folders:
        run.part(
            "samples",
            "skipped",
            f"no {DEFAULT_SAMPLES_FOLDER}/ folder and no [tool.ftaudit] samples: "
            "the project has no harness samples (the shipped teaching samples are a self-check: "
            "`ftaudit hammer ext_samples/`)",
        )
    if not (hammer_samples and folders):
        return
    run.say(f"samples: {', '.join(str(folder) for folder in folders)} ({why})")
    try:
        kwargs = {"budget": budget} if budget is not None else {}
        run.report.hammer = hammer(folders, progress=hammer_progress, **kwargs)
    except Exception as error:  # a harness failure must not lose the tree
        run.part("samples", "failed", f"the harness could not run: {error}")
        return
    bad = [sample.name for sample in run.report.hammer if sample.errors and sample.classification is None]
    detail = (
        f"{len(run.report.hammer)} sample(s) from {why}, hammered on the free-threaded 3.13t with "
        "the GIL 3.13 as the baseline"
    )
    run.part(
        "samples", "failed" if bad else "done", detail + (f"; could not run: {', '.join(bad)}" if bad else "")
    )
