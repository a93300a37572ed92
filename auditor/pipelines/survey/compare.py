"""Reading a survey back, and what changed between two (``ftaudit survey diff``).

Projects are matched by normalised name and compared target by target on their newest
release: a status that got better (needs-build -> ready), worse (ready -> gil-fallback), a
new release that changed nothing, projects that entered or left the list. A *regression*
is a (project, target) that is less usable than before, in the order the tracker uses:
ready = pure > gil-fallback > needs-build > unknown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ...model.serialize import from_dict
from ...model.survey import (
    GIL_FALLBACK,
    NEEDS_BUILD,
    PURE,
    READY,
    SURVEY_SCHEMA_VERSION,
    UNKNOWN,
    SurveyProject,
    SurveyResult,
)
from .projects import SurveyInputError

_USABILITY = {READY: 4, PURE: 4, GIL_FALLBACK: 2, NEEDS_BUILD: 1, UNKNOWN: 0}


def load_survey(path: Path) -> SurveyResult:
    """A survey JSON document; raises :class:`SurveyInputError` naming the file."""
    path = Path(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as problem:
        raise SurveyInputError(f"cannot read the survey {path}: {problem}") from problem
    if not isinstance(document, dict) or document.get("kind") != "survey":
        raise SurveyInputError(f'{path} is not a survey document (no "kind": "survey")')
    major = str(document.get("schema_version", "")).split(".")[0]
    if major != SURVEY_SCHEMA_VERSION.split(".")[0]:
        raise SurveyInputError(
            f"{path}: survey schema {document.get('schema_version')!r}; this ftaudit reads"
            f" {SURVEY_SCHEMA_VERSION.split('.')[0]}.x"
        )
    try:
        return from_dict(SurveyResult, document)
    except (TypeError, ValueError, KeyError) as problem:
        raise SurveyInputError(f"{path}: not a readable survey ({problem})") from problem


@dataclass
class StatusChange:
    project: str
    target: str
    old_version: str | None
    new_version: str | None
    old_status: str | None  # None: not in the old survey
    new_status: str | None  # None: not in the new survey

    @property
    def regression(self) -> bool:
        if self.old_status is None or self.new_status is None:
            return False
        return _USABILITY.get(self.new_status, 0) < _USABILITY.get(self.old_status, 0)

    @property
    def improvement(self) -> bool:
        if self.old_status is None or self.new_status is None:
            return False
        return _USABILITY.get(self.new_status, 0) > _USABILITY.get(self.old_status, 0)

    def describe(self) -> str:
        old = f"{self.old_version} {self.old_status}" if self.old_status else "absent"
        new = f"{self.new_version} {self.new_status}" if self.new_status else "absent"
        return f"{self.project} [{self.target}]: {old} -> {new}"


@dataclass
class SurveyDiff:
    changes: list[StatusChange] = field(default_factory=list)
    added_projects: list[str] = field(default_factory=list)
    removed_projects: list[str] = field(default_factory=list)

    @property
    def regressions(self) -> list[StatusChange]:
        return [change for change in self.changes if change.regression]

    @property
    def improvements(self) -> list[StatusChange]:
        return [change for change in self.changes if change.improvement]


def _latest(project: SurveyProject, target: str) -> tuple[str | None, str | None]:
    status = project.target(target)
    if status is None or status.latest is None:
        return project.latest_version, UNKNOWN if project.errors else None
    return status.latest.version, status.latest.status


def diff_surveys(old: SurveyResult, new: SurveyResult) -> SurveyDiff:
    diff = SurveyDiff()
    old_projects = {project.name: project for project in old.projects}
    new_projects = {project.name: project for project in new.projects}
    diff.added_projects = sorted(set(new_projects) - set(old_projects))
    diff.removed_projects = sorted(set(old_projects) - set(new_projects))
    targets = list(dict.fromkeys([*old.targets, *new.targets]))
    for name in sorted(set(old_projects) & set(new_projects)):
        for target in targets:
            old_version, old_status = _latest(old_projects[name], target)
            new_version, new_status = _latest(new_projects[name], target)
            if (old_version, old_status) != (new_version, new_status):
                diff.changes.append(
                    StatusChange(name, target, old_version, new_version, old_status, new_status)
                )
    return diff


def render_survey_diff(diff: SurveyDiff, markdown: bool = False) -> str:
    bullet = "- " if markdown else "  "
    heading = (lambda text: f"## {text}") if markdown else (lambda text: f"{text}:")
    lines: list[str] = []
    groups = [
        ("Regressions", diff.regressions),
        ("Improvements", diff.improvements),
        ("Other changes", [c for c in diff.changes if not c.regression and not c.improvement]),
    ]
    for title, changes in groups:
        if changes:
            lines += [
                heading(f"{title} ({len(changes)})"),
                *(bullet + change.describe() for change in changes),
                "",
            ]
    if diff.added_projects:
        lines += [
            heading(f"New projects ({len(diff.added_projects)})"),
            bullet + ", ".join(diff.added_projects),
            "",
        ]
    if diff.removed_projects:
        lines += [
            heading(f"Projects no longer surveyed ({len(diff.removed_projects)})"),
            bullet + ", ".join(diff.removed_projects),
            "",
        ]
    if not lines:
        return "No changes between the two surveys.\n"
    return "\n".join(lines)
