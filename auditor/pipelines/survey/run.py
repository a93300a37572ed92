"""``run_survey``: plan every project, judge the wheels on an engine, assemble the result.

Planning (asking the index for each project page) runs in a few threads here; every wheel
task it finds that the result store does not already answer goes to the engine at once,
so workers start reading wheels while later pages are still being fetched. Verdicts are
stored the moment they stream back.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ... import __version__
from ...collectors.binary import analyser_fingerprint
from ...collectors.binary.abi_tag import KNOWN_FREE_THREADED_TARGETS
from ...collectors.binary.target import Target, make_target
from ...collectors.tree.index.cache import HttpCache
from ...collectors.tree.index.client import DEFAULT_INDEX_URL, IndexClient, IndexFetchError
from ...collectors.tree.resolver import PARALLEL_REQUESTS
from ...collectors.tree.wheel_inspection import DEFAULT_MAX_WHEEL_BYTES
from ...model.report import utc_timestamp
from ...model.survey import (
    GIL_FALLBACK,
    PURE,
    READY,
    UNKNOWN,
    ReleaseStatus,
    SurveyProject,
    SurveyResult,
    WheelVerdict,
)
from .engines import LocalPoolEngine, SurveyEngine
from .engines.interface import Outcome
from .plan import PlannedProject, plan_project
from .projects import ProjectEntry
from .store import ResultStore
from .work import WheelTask


@dataclass
class SurveyProgress:
    """What a long run reports as it goes (the CLI prints it on standard error)."""

    projects_total: int
    projects_planned: int = 0
    wheels_needed: int = 0  # wheels found so far that the store does not answer
    wheels_from_store: int = 0
    wheels_done: int = 0
    failures: int = 0
    bytes_downloaded: int = 0
    elapsed_seconds: float = 0.0

    @property
    def wheels_per_second(self) -> float:
        return self.wheels_done / self.elapsed_seconds if self.elapsed_seconds else 0.0

    def line(self) -> str:
        megabytes = self.bytes_downloaded / 2**20
        rate = megabytes / self.elapsed_seconds if self.elapsed_seconds else 0.0
        return (
            f"projects {self.projects_planned}/{self.projects_total} · wheels read "
            f"{self.wheels_done}/{self.wheels_needed} (+{self.wheels_from_store} from the store) · "
            f"{megabytes:.1f} MB fetched · {self.wheels_per_second:.1f} wheels/s, {rate:.1f} MB/s · "
            f"{self.failures} failed"
        )


def _release_status(release: ReleaseStatus, verdict: WheelVerdict | None, failure: str | None) -> None:
    """Turn a tag judgement of "ready" into what the binary says."""
    if verdict is None:
        release.status = UNKNOWN
        release.reason += f"; the wheel could not be read ({failure or 'not judged'})"
        return
    release.wheel = verdict
    if verdict.verdict == GIL_FALLBACK:
        release.status = GIL_FALLBACK
        release.reason += (
            f"; but importing {', '.join(verdict.gil_fallback_modules)} re-enables the GIL (no Py_mod_gil"
            " = Py_MOD_GIL_NOT_USED)"
        )
    elif verdict.verdict in (READY, PURE):
        release.status = READY
        release.reason += (
            f"; all {len(verdict.modules)} extension module(s) declare Py_MOD_GIL_NOT_USED"
            if verdict.modules
            else "; the wheel holds no extension module"
        )
    else:
        release.status = UNKNOWN
        release.reason += "; the GIL declaration could not be read: " + "; ".join(verdict.problems[:3])


def run_survey(
    projects: Iterable[ProjectEntry],
    *,
    index_url: str = DEFAULT_INDEX_URL,
    targets: Iterable[str] = KNOWN_FREE_THREADED_TARGETS,
    platforms: Iterable[str] | None = None,
    engine: SurveyEngine | None = None,
    store: Path | ResultStore | None = None,
    cache_dir: Path | None = None,
    timeout_seconds: float = 30.0,
    max_wheel_bytes: int = DEFAULT_MAX_WHEEL_BYTES,
    progress: Callable[[SurveyProgress], None] | None = None,
    input_problems: Iterable[str] = (),
) -> SurveyResult:
    """Survey ``projects`` on ``index_url`` for each of ``targets``.

    ``engine`` defaults to a :class:`~auditor.pipelines.survey.engines.LocalPoolEngine` sized to the
    machine (closed when done; an engine passed in is left open for the caller).
    ``store`` is the JSON-lines result store (a path or a :class:`ResultStore`): verdicts
    found there are not judged again. Raises :class:`~auditor.collectors.binary.target.TargetError`
    for an unknown target or platform; everything else is recorded in the result.
    """
    started = time.monotonic()
    entries = list(projects)
    platform_list = list(platforms or [])
    target_specs: list[Target] = [make_target(name, platform_list) for name in targets]
    analyser = analyser_fingerprint()
    client = IndexClient(index_url, cache=HttpCache(cache_dir), timeout_seconds=timeout_seconds)
    result_store = store if isinstance(store, ResultStore) or store is None else ResultStore(store)
    own_engine = engine is None
    engine = engine or LocalPoolEngine()
    result = SurveyResult(
        index_url=client.index_url.rstrip("/"),
        targets=[target.name for target in target_specs],
        platforms=platform_list or ["manylinux_2_39_x86_64", "musllinux_1_2_x86_64"],
        analyser=analyser,
        tool_version=__version__,
        created=utc_timestamp(),
        errors=list(input_problems),
    )
    report = SurveyProgress(projects_total=len(entries))
    lock = threading.Lock()

    def tell() -> None:
        if progress is not None:
            report.elapsed_seconds = time.monotonic() - started
            progress(report)

    planned: list[PlannedProject | None] = [None] * len(entries)
    verdicts: dict[str, WheelVerdict] = {}
    failures: dict[str, str] = {}

    def plan(position: int) -> list[WheelTask]:
        planned[position] = _planned(
            entries[position], client, target_specs, max_wheel_bytes, timeout_seconds
        )
        return list(planned[position].wheels.values())

    def missing_tasks() -> Iterator[WheelTask]:
        seen: set[str] = set()
        with ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS) as pool:
            for tasks in pool.map(plan, range(len(entries))):
                with lock:
                    report.projects_planned += 1
                for task in tasks:
                    key = task.store_key(analyser)
                    if key in seen:
                        continue
                    seen.add(key)
                    stored = result_store.get(key) if result_store is not None else None
                    if stored is not None:
                        verdicts[key] = stored
                        report.wheels_from_store += 1
                        continue
                    report.wheels_needed += 1
                    yield dataclasses.replace(task, index_url=index_url)
                tell()

    try:
        for outcome in engine.judge(missing_tasks()):
            key = outcome.task.store_key(analyser)
            message = _take_outcome(outcome, analyser, result, report)
            if message is None:
                verdicts[key] = outcome.verdict
                if result_store is not None:
                    result_store.add(key, outcome.verdict)
            else:
                failures[key] = message
            tell()
    finally:
        result.stats.tasks_submitted = engine.tasks_submitted
        result.stats.engine = engine.name
        result.stats.workers = engine.workers
        if own_engine:
            engine.close()

    for planned_project in planned:
        assert planned_project is not None  # every position is planned before judging ends
        result.projects.append(_assembled_project(planned_project, analyser, verdicts, failures))
    if result.errors or any(project.errors for project in result.projects):
        result.partial = True
    stats = result.stats
    stats.projects = len(entries)
    stats.wheels = len(verdicts) + len(failures)
    stats.wheels_from_store = report.wheels_from_store
    stats.wheels_failed = len(failures)
    stats.download_seconds = round(stats.download_seconds, 3)
    stats.analysis_seconds = round(stats.analysis_seconds, 3)
    stats.duration_seconds = round(time.monotonic() - started, 3)
    return result


def _planned(
    entry: ProjectEntry,
    client: IndexClient,
    target_specs: list[Target],
    max_wheel_bytes: int,
    timeout_seconds: float,
) -> PlannedProject:
    """The wheels to judge for one project, from its index page (none when it cannot be read)."""
    try:
        page = client.project_page(entry.name)
    except IndexFetchError as problem:
        return PlannedProject(project=_unreadable(entry, str(problem)))
    return plan_project(entry, page, target_specs, max_bytes=max_wheel_bytes, timeout_seconds=timeout_seconds)


def _take_outcome(
    outcome: Outcome, analyser: str, result: SurveyResult, report: SurveyProgress
) -> str | None:
    """Count one judged wheel in the stats; the reason it failed, None when its verdict stands."""
    verdict, message = outcome.verdict, outcome.failure
    if verdict is not None:
        if verdict.download_error:
            message = verdict.download_error
        elif verdict.analyser != analyser:
            message = (
                f"judged by {verdict.worker} with another ftaudit analyser ({verdict.analyser}, here"
                f" {analyser}): install the same ftaudit on the workers"
            )
        result.stats.bytes_downloaded += verdict.size_bytes
        result.stats.download_seconds += verdict.download_seconds
        result.stats.analysis_seconds += verdict.analysis_seconds
        report.bytes_downloaded += verdict.size_bytes
    report.wheels_done += 1
    if message is None:
        result.stats.wheels_judged += 1
    else:
        report.failures += 1
    return message


def _assembled_project(
    planned_project: PlannedProject,
    analyser: str,
    verdicts: dict[str, WheelVerdict],
    failures: dict[str, str],
) -> SurveyProject:
    """The project with every planned wheel's verdict (or failure) filled into its releases."""
    project = planned_project.project
    for (target_name, which), task in planned_project.wheels.items():
        key = task.store_key(analyser)
        status = project.target(target_name)
        release = status.latest if which == "latest" else status.first_ready
        verdict = verdicts.get(key)
        _release_status(release, verdict, failures.get(key))
        if verdict is None:
            project.errors.append(f"{task.filename} ({target_name}): {failures.get(key, 'not judged')}")
        elif verdict.problems:
            project.errors.extend(f"{task.filename} ({target_name}): {each}" for each in verdict.problems)
    # The newest release is often also the first ready one: one wheel, said once.
    project.errors = list(dict.fromkeys(project.errors))
    return project


def _unreadable(entry: ProjectEntry, message: str) -> SurveyProject:
    return SurveyProject(name=entry.name, rank=entry.rank, downloads=entry.downloads, errors=[message])
