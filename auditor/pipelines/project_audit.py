"""The main job: audit an environment and hammer the shipped samples, on defaults.

``ftaudit audit`` with no arguments scans the running interpreter's environment
against free-threaded 3.13 (statically: nothing is imported), then compiles and
hammers the samples in ``ext_samples/`` on the free-threaded interpreter with a GIL
build as the baseline, and writes the readiness report as HTML, Markdown and JSON.
Each part is optional, and a part that fails is recorded, not fatal: the report says
what is missing.
"""

from __future__ import annotations

import datetime as _datetime
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..model.finding import Finding
from ..model.report import AuditReport

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHIPPED_SAMPLES = PROJECT_ROOT / "ext_samples"


@dataclass
class AuditOutcome:
    report: AuditReport
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _problem_finding(message: str) -> Finding:
    # A part of the audit that could not run at all is itself reported, so a partial
    # report never looks complete.
    from ..rules.environment.audit_incomplete import AuditIncomplete

    return AuditIncomplete.finding(message)


def audit(
    *,
    python: str | Path | None = None,
    paths: list[Path] | None = None,
    target: str | None = None,
    probe: bool = False,
    samples: list[Path] | None = None,
    hammer_samples: bool = True,
    budget: float | None = None,
    source_checks: bool = False,
    output_dir: Path | None = Path("."),
    progress=None,
    hammer_progress=None,
) -> AuditOutcome:
    """Run the whole audit; ``progress`` feeds the scan's bar, ``hammer_progress`` the
    harness's (see :func:`auditor.pipelines.hammer.hammer`)."""
    report = AuditReport(
        tool_version=__version__,
        target=target or "",
        created=_datetime.datetime.now(_datetime.UTC).isoformat(timespec="seconds"),
    )
    outcome = AuditOutcome(report)

    from .scan import scan

    report.scan = scan(python=python, paths=paths, target=target, probe=probe, progress=progress)
    report.target = report.scan.target  # the default follows the scanned environment

    if source_checks and report.scan.distributions:
        from .scan import check_distribution_sources

        report.source = check_distribution_sources(report.scan)

    if hammer_samples:
        sample_paths = samples if samples is not None else [SHIPPED_SAMPLES]
        missing = [path for path in sample_paths if not path.exists()]
        for path in missing:
            outcome.problems.append(f"sample folder {path} does not exist")
        sample_paths = [path for path in sample_paths if path.exists()]
        if sample_paths:
            from .hammer import hammer

            try:
                kwargs = {"budget": budget} if budget is not None else {}
                report.hammer = hammer(sample_paths, progress=hammer_progress, **kwargs)
            except Exception as error:  # a harness failure must not lose the scan
                outcome.problems.append(f"the harness could not run: {error}")

    report.findings.extend(_problem_finding(problem) for problem in outcome.problems)

    if output_dir is not None:
        from ..reporters import get_reporter

        output_dir.mkdir(parents=True, exist_ok=True)
        for format_name, file_name in (
            ("html", "ftaudit-report.html"),
            ("markdown", "ftaudit-report.md"),
            ("json", "ftaudit-report.json"),
        ):
            try:
                reporter = get_reporter(format_name)
            except KeyError:
                continue
            destination = output_dir / file_name
            destination.write_text(reporter.render(report), encoding="utf-8")
            outcome.written.append(destination)
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
    import tomllib

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
    import os
    import sys

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
    output_dir: Path | None = Path("."),
    hammer_progress=None,
    log=None,
) -> AuditOutcome:
    """Audit a project folder: its dependency tree for every target (with wheel
    inspection, from the indexes pip or uv would use), its environment, its own sources
    and its own harness samples; then decide target by target. A part that does not
    apply is skipped with the reason; a part that fails makes the outcome partial.
    ``log`` receives one line per part as it starts."""
    from ..collectors.binary.abi_tag import KNOWN_FREE_THREADED_TARGETS
    from ..collectors.tree.index.configuration import project_index_settings, redact_text
    from ..model.project import AuditPart, ProjectAudit
    from .decision import decide_targets

    say = log or (lambda line: None)
    project = Path(project).resolve()
    document = _project_table(project)
    targets = list(targets or KNOWN_FREE_THREADED_TARGETS)
    report = AuditReport(
        tool_version=__version__,
        target=targets[0],
        created=_datetime.datetime.now(_datetime.UTC).isoformat(timespec="seconds"),
    )
    outcome = AuditOutcome(report)
    audit_record = ProjectAudit(
        path=str(project), name=str(document.get("project", {}).get("name") or project.name), targets=targets
    )
    report.project = audit_record

    def part(name: str, status: str, detail: str) -> None:
        audit_record.parts.append(AuditPart(name, status, redact_text(detail)))
        if status == "failed":
            outcome.problems.append(f"{name}: {redact_text(detail)}")

    # 1. The dependency tree, for every target, before anything is installed.
    files = find_dependency_files(project)
    if not files:
        part(
            "dependencies",
            "skipped",
            "no uv.lock, pylock.toml, poetry.lock, pdm.lock, requirements*.txt or "
            "pyproject.toml in the project",
        )
    else:
        from ..collectors.tree import TargetError, TreeInputError
        from .dependency_tree import resolve_tree_targets

        chosen, others = files[0], files[1:]
        audit_record.dependency_file = str(chosen)
        audit_record.other_dependency_files = [
            f"{path.name}: not judged ({chosen.name} is more exact)" for path in others
        ]
        settings = project_index_settings(project, environ)
        audit_record.index = redact_text(index_url) if index_url else settings.describe()
        say(f"dependencies: {chosen.name} for {', '.join(targets)} against {audit_record.index}")
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
            part("dependencies", "failed", str(error))
        else:
            report.tree = trees[0]
            report.tree_targets = trees if len(trees) > 1 else None
            packages = len(trees[0].packages)
            status = "failed" if any(tree.partial for tree in trees) else "done"
            detail = f"{chosen.name}: {packages} packages judged for {', '.join(targets)}, wheels inspected"
            if status == "failed":
                detail += "; some could not be judged (see the tree's errors)"
            part("dependencies", status, detail)

    # 2. The environment the project runs in.
    interpreter, why = _own_environment(project, python)
    if interpreter is None:
        part(
            "environment",
            "skipped",
            "no environment of this project to scan: no active virtualenv "
            "(VIRTUAL_ENV) and no .venv/ in the project; ftaudit's own environment is not the project's "
            "(pass --python PY to scan one)",
        )
    else:
        from .scan import scan

        say(f"environment: {interpreter} ({why})")
        try:
            report.scan = scan(python=interpreter)
        except Exception as error:  # a scan failure must not lose the other parts
            part("environment", "failed", f"{interpreter}: {error}")
        else:
            detail = f"{interpreter} ({why}): {len(report.scan.distributions)} distributions"
            part("environment", "failed" if report.scan.partial else "done", detail)

    # 3. The project's own sources.
    roots = [
        entry
        for entry in sorted(project.iterdir())
        if entry.name not in _NOT_OWN_CODE
        and not entry.name.startswith(".")
        and entry.name != DEFAULT_SAMPLES_FOLDER
        and (entry.is_dir() or entry.suffix in (".py", ".c", ".cc", ".cpp", ".cxx", ".h", ".pyx", ".pxd"))
    ]
    if not roots:
        part("sources", "skipped", "no source files or folders in the project")
    else:
        from .source_scan import scan_source

        say(f"sources: {', '.join(entry.name for entry in roots)}")
        try:
            report.source = scan_source(roots, cache_dir=cache_dir / "source" if cache_dir else None)
        except Exception as error:
            part("sources", "failed", str(error))
        else:
            detail = (
                f"{report.source.files_checked} files checked, {len(report.source.findings)} findings "
                f"({', '.join(entry.name for entry in roots)})"
            )
            part("sources", "failed" if report.source.partial else "done", detail)

    # 4. The project's own harness samples, with the GIL baseline.
    if samples is not None:
        folders, why = list(samples), "--samples"
    else:
        folders, why = _sample_folders(project, document)
    missing = [folder for folder in folders if not folder.exists()]
    folders = [folder for folder in folders if folder.exists()]
    if not hammer_samples:
        part("samples", "skipped", "--no-hammer")
    elif missing:
        part(
            "samples",
            "failed",
            f"sample folder(s) named by {why} do not exist: " + ", ".join(str(folder) for folder in missing),
        )
    elif not folders:
        part(
            "samples",
            "skipped",
            f"no {DEFAULT_SAMPLES_FOLDER}/ folder and no [tool.ftaudit] samples: "
            "the project has no harness samples (the shipped teaching samples are a self-check: "
            "`ftaudit hammer ext_samples/`)",
        )
    if hammer_samples and folders:
        from .hammer import hammer

        say(f"samples: {', '.join(str(folder) for folder in folders)} ({why})")
        try:
            kwargs = {"budget": budget} if budget is not None else {}
            report.hammer = hammer(folders, progress=hammer_progress, **kwargs)
        except Exception as error:  # a harness failure must not lose the tree
            part("samples", "failed", f"the harness could not run: {error}")
        else:
            bad = [sample.name for sample in report.hammer if sample.errors and sample.classification is None]
            detail = (
                f"{len(report.hammer)} sample(s) from {why}, hammered on the free-threaded 3.13t with "
                "the GIL 3.13 as the baseline"
            )
            part(
                "samples",
                "failed" if bad else "done",
                detail + (f"; could not run: {', '.join(bad)}" if bad else ""),
            )

    audit_record.decisions, audit_record.recommended_target = decide_targets(report)
    if audit_record.recommended_target:
        # The single-target views (tree table, headline, gate) follow the recommendation.
        report.target = audit_record.recommended_target
        for tree in report.tree_targets or []:
            if tree.target == report.target:
                report.tree = tree
    report.findings.extend(_problem_finding(problem) for problem in outcome.problems)
    _write_reports(report, outcome, output_dir)
    return outcome


def _write_reports(report: AuditReport, outcome: AuditOutcome, output_dir: Path | None) -> None:
    if output_dir is None:
        return
    from ..reporters import get_reporter

    output_dir.mkdir(parents=True, exist_ok=True)
    for format_name, file_name in (
        ("html", "ftaudit-report.html"),
        ("markdown", "ftaudit-report.md"),
        ("json", "ftaudit-report.json"),
    ):
        destination = output_dir / file_name
        destination.write_text(get_reporter(format_name).render(report), encoding="utf-8")
        outcome.written.append(destination)
