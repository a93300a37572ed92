"""From a project's index page to what must be read: which releases, which wheels.

For each target a survey judges two releases: the newest one (what ``pip install`` gets
today) and the first that shipped a wheel for the target (how long the project has been
there). Both are judged by their wheel tags with the tree audit's
:func:`~auditor.collectors.tree.judge.judge_release`; a release that ships a target wheel then has
that wheel read (:func:`~auditor.collectors.tree.wheel_inspection.choose_inspectable_wheel` picks the
same Linux wheel ``tree --inspect-wheels`` would).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.version import Version

from ...collectors.binary.target import Target
from ...collectors.tree.index.project_page import IndexFile, ProjectPage
from ...collectors.tree.judge import READY, judge_release
from ...collectors.tree.wheel_inspection import DEFAULT_MAX_WHEEL_BYTES, choose_inspectable_wheel
from ...model.survey import ReleaseStatus, SurveyProject, TargetStatus
from .projects import ProjectEntry
from .work import WheelTask


@dataclass
class PlannedProject:
    project: SurveyProject
    # (target name, "latest" or "first_ready") -> the wheel to read for that release.
    wheels: dict[tuple[str, str], WheelTask] = field(default_factory=dict)


def _installable(page: ProjectPage, version: Version) -> list[IndexFile]:
    # Yanked files are not what an unpinned install gets (PEP 592).
    return [file for file in page.files_for(version) if not file.yanked]


def _candidate_versions(page: ProjectPage) -> list[Version]:
    """Releases with installable files, oldest first; pre-releases only when a project
    has nothing else (as pip would choose)."""
    versions = [version for version in page.versions() if _installable(page, version)]
    return [version for version in versions if not version.is_prerelease] or versions


def _release(
    page: ProjectPage, version: Version, target: Target, max_bytes: int, timeout_seconds: float
) -> tuple[ReleaseStatus, WheelTask | None]:
    files = _installable(page, version)
    judgement = judge_release(files, target)
    status = ReleaseStatus(version=str(version), status=judgement.status, reason=judgement.reason)
    if judgement.status != READY:
        return status, None
    filename = choose_inspectable_wheel(judgement.matching_files)
    if filename is None:
        status.reason += "; no Linux (ELF) wheel to read, so the GIL declaration is not known"
        return status, None
    file = next(each for each in files if each.filename == filename)
    task = WheelTask(
        project=page.name,
        version=str(version),
        target=target.name,
        filename=filename,
        url=file.url,
        sha256=file.hashes.get("sha256", "").lower(),
        max_bytes=max_bytes,
        timeout_seconds=timeout_seconds,
    )
    return status, task


def plan_project(
    entry: ProjectEntry,
    page: ProjectPage,
    targets: list[Target],
    *,
    max_bytes: int = DEFAULT_MAX_WHEEL_BYTES,
    timeout_seconds: float = 60.0,
) -> PlannedProject:
    project = SurveyProject(name=entry.name, rank=entry.rank, downloads=entry.downloads)
    project.errors.extend(page.problems)
    planned = PlannedProject(project)
    versions = _candidate_versions(page)
    if not versions:
        project.errors.append(f"{entry.name}: the index lists no installable release")
        return planned
    latest = versions[-1]
    project.latest_version = str(latest)
    for target in targets:
        status, task = _release(page, latest, target, max_bytes, timeout_seconds)
        target_status = TargetStatus(target=target.name, latest=status)
        if task is not None:
            planned.wheels[(target.name, "latest")] = task
        for version in versions:
            # Cheap: tags only; the first release with a target wheel is the one read.
            if judge_release(_installable(page, version), target).status == READY:
                first, first_task = _release(page, version, target, max_bytes, timeout_seconds)
                target_status.first_ready = first
                if first_task is not None:
                    planned.wheels[(target.name, "first_ready")] = first_task
                break
        project.targets.append(target_status)
    return planned
