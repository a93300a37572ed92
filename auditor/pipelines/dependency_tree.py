"""``resolve_tree``: read a dependency file, resolve it, and judge every release.

The point of the whole exercise is the issue's story: a tool that looks at a project's
*latest* release called ten pinned 2024 releases ready for 3.14t, and none of them
shipped such a wheel. So every package is judged by the files of the release that
would actually be installed - the pinned one, the locked one, or the newest one that
the resolver picks - and the latest release only appears as advice
(``first_ready_version``, ``latest_version``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from ..collectors.binary.target import Target, TargetError, make_target
from ..collectors.tree.index.cache import HttpCache
from ..collectors.tree.index.client import DEFAULT_INDEX_URL, IndexClient, IndexFetchError, MultiIndexClient
from ..collectors.tree.index.configuration import IndexSettings, redact_text
from ..collectors.tree.index.project_page import ProjectPage
from ..collectors.tree.judge import (
    NEEDS_BUILD,
    PURE,
    READY,
    UNKNOWN,
    FileLike,
    ReleaseJudgement,
    judge_release,
)
from ..collectors.tree.resolver import PARALLEL_REQUESTS, ROOT, ResolvedProject, Resolver
from ..collectors.tree.sources import DependencySource, LockedPackage, read_dependency_source
from ..collectors.tree.wheel_inspection import DEFAULT_MAX_WHEEL_BYTES
from ..model.tree import PackageWheelStatus, TreeResult
from .tree_wheels import inspect_ready_wheels, page_or_none


def _release_history(page: ProjectPage, target: Target) -> tuple[str | None, str | None]:
    """(first release that ships a target wheel, latest release), ignoring yanked
    releases and pre-releases (unless a project has nothing else).

    A release with a wheel for the target's ABI counts first; only a project that never
    shipped one gets its first pure-Python release instead (a name-holding ``0.0.1``
    placeholder of a compiled project is not an upgrade target)."""
    versions = [
        version
        for version in page.versions()
        if page.files_for(version) and not all(file.yanked for file in page.files_for(version))
    ]
    finals = [version for version in versions if not version.is_prerelease] or versions
    latest = str(finals[-1]) if finals else None
    statuses = [(version, judge_release(page.files_for(version), target).status) for version in finals]
    for wanted in (READY, PURE):
        for version, status in statuses:
            if status == wanted:
                return str(version), latest
    return None, latest


def _last_ready_before(page: ProjectPage, target: Target, version: Version) -> str | None:
    """The newest final release older than ``version`` that ships a target wheel."""
    for older in sorted((v for v in page.versions() if v < version and not v.is_prerelease), reverse=True):
        files = page.files_for(older)
        usable = files and not all(file.yanked for file in files)
        if usable and judge_release(files, target).status == READY:
            return str(older)
    return None


def _first_ready_prerelease(page: ProjectPage, target: Target, after: str | None) -> str | None:
    """A pre-release newer than every final release that ships a target wheel, if any
    (projects often publish free-threaded wheels in a release candidate first)."""
    newest_final = Version(after) if after else None
    for version in page.versions():
        if not version.is_prerelease or (newest_final is not None and version <= newest_final):
            continue
        if judge_release(page.files_for(version), target).status in (READY, PURE):
            return str(version)
    return None


def _holders(project: ResolvedProject, version: str) -> list[str]:
    """Who rules out ``version`` of ``project``: "chainb requires chainc<2". The file's
    own lines are left out: a pin the user wrote is the user's to change, and the
    report already says it is pinned."""
    wanted = Version(version)
    holders = []
    for parent, requirement in project.demanded_by:
        if parent == ROOT:
            continue
        if requirement.specifier and not requirement.specifier.contains(wanted, prereleases=True):
            text = f"{parent} requires {requirement.name}{requirement.specifier}"
            if text not in holders:
                holders.append(text)
    return holders


def _status(name: str, version: str | None, pinned: bool, judgement: ReleaseJudgement) -> PackageWheelStatus:
    ready = {READY: True, PURE: True, NEEDS_BUILD: False}.get(judgement.status)
    return PackageWheelStatus(
        name=name,
        version=version,
        pinned=pinned,
        ready=ready,
        status=judgement.status,
        matching_files=judgement.matching_files,
        reason=judgement.reason,
    )


def _judge_on_page(
    name: str, version: Version, pinned: bool, page: ProjectPage, target: Target
) -> PackageWheelStatus:
    files = page.files_for(version)
    if not files:
        status = PackageWheelStatus(
            name=name,
            version=str(version),
            pinned=pinned,
            ready=None,
            status=UNKNOWN,
            reason=f"version {version} is not on the index",
        )
        status.errors.append(f"{name} {version}: the index lists no files for this version")
    else:
        status = _status(name, str(version), pinned, judge_release(files, target))
        yanked = [file for file in files if file.yanked]
        if yanked and len(yanked) == len(files):
            status.yanked = True
            reason = next((file.yanked_reason for file in yanked if file.yanked_reason), None)
            status.reason += f"; this release is yanked{f' ({reason})' if reason else ''}"
    status.first_ready_version, status.latest_version = _release_history(page, target)
    if status.status == NEEDS_BUILD and status.first_ready_version is None:
        prerelease = _first_ready_prerelease(page, target, status.latest_version)
        if prerelease:
            status.reason += f"; pre-release {prerelease} ships one"
    elif status.status == NEEDS_BUILD and Version(status.first_ready_version) < version:
        # Projects drop free-threaded wheels too (3.13t was experimental, PEP 779):
        # "upgrade to the first ready release" would be a downgrade here.
        last = _last_ready_before(page, target, version)
        status.last_ready_before = last
        if last:
            status.reason += f"; {last} was the last release before it with a {target.abi} wheel"
    return status


def _judge_locked(
    package: LockedPackage, client: IndexClient, target: Target
) -> tuple[PackageWheelStatus, bool]:
    """(status, partial) for a package a lock file fixes."""
    try:
        version = Version(package.version)
    except InvalidVersion:
        status = PackageWheelStatus(
            name=package.name,
            version=package.version,
            pinned=True,
            ready=None,
            status=UNKNOWN,
            reason="the lock file's version is not a PEP 440 version",
        )
        status.errors.append(f"{package.origin}: invalid version {package.version!r}")
        return status, True
    try:
        page = client.project_page(package.name)
    except IndexFetchError as problem:
        page = None
        index_problem = str(problem)
    if page is not None and page.files_for(version):
        status = _judge_on_page(package.name, version, True, page, target)
        partial = False
    else:
        # The index could not answer; the lock's own file list is the next best evidence
        # about this release, though it says nothing about later releases.
        if page is not None:
            index_problem = f"the index lists no files for {package.name} {version}"
        lock_files = [FileLike(filename) for filename in package.wheel_filenames]
        if package.sdist_filename:
            lock_files.append(FileLike(package.sdist_filename))
        status = _status(package.name, package.version, True, judge_release(lock_files, target))
        status.judged_from = "lock-file"
        status.errors.append(index_problem)
        if page is not None:
            status.first_ready_version, status.latest_version = _release_history(page, target)
        partial = True
    status.origin = package.origin
    status.required_by = list(package.required_by)
    return status, partial


def resolve_tree_targets(source: Path, targets: Iterable[str], **options) -> list[TreeResult]:
    """:func:`resolve_tree` for each target, in order; the index cache makes the later ones cheap.

    Raises like :func:`resolve_tree` (an unknown target is refused before any is judged).
    """
    names = [name.strip() for name in targets if name.strip()]
    if not names:
        raise TargetError("no target given")
    for name in names:
        make_target(name)
    return [resolve_tree(source, target=name, **options) for name in names]


def resolve_tree(
    source: Path,
    *,
    target: str = "3.13t",
    index_url: str | None = None,
    platform: str | Iterable[str] | None = None,
    extras: Iterable[str] = (),
    offline: bool = False,
    cache_dir: Path | None = None,
    timeout_seconds: float = 30.0,
    inspect_wheels: bool = False,
    max_wheel_bytes: int = DEFAULT_MAX_WHEEL_BYTES,
    index_settings: IndexSettings | None = None,
) -> TreeResult:
    """Judge every package of a dependency file for ``target`` against a package index.

    ``source`` is a requirements file, a ``pyproject.toml``, a ``pylock.toml`` or a
    ``uv.lock``. ``index_url`` defaults to the one the file names, else PyPI.
    ``platform`` is one or more wheel platform tags (default: any manylinux or
    musllinux x86_64). Raises :class:`~auditor.collectors.tree.sources.TreeInputError` when the
    file cannot be read at all and :class:`~auditor.collectors.binary.target.TargetError` for an
    unknown target or platform; everything else is recorded in the result.

    ``inspect_wheels`` downloads each ready package's target wheel (up to
    ``max_wheel_bytes``) and reads whether its extensions keep the GIL enabled.

    ``index_settings`` (:func:`~auditor.collectors.tree.index.configuration.project_index_settings`:
    pip's or uv's configuration) applies when neither ``index_url`` nor the file names an
    index; credentials in it are used for requests and never written into the result.
    """
    started = time.monotonic()
    platforms = [platform] if isinstance(platform, str) else list(platform or [])
    target_spec = make_target(target, platforms)
    dependency_source = read_dependency_source(Path(source), target_spec.marker_environment, extras)
    configured = _with_default_index(index_settings, index_url, dependency_source)
    chosen_index = (
        configured.index_url
        if configured
        else (index_url or dependency_source.index_url or DEFAULT_INDEX_URL)
    )
    client = IndexClient(
        chosen_index, cache=HttpCache(cache_dir), offline=offline, timeout_seconds=timeout_seconds
    )
    resolving_client: IndexClient | MultiIndexClient = client
    if configured is not None and configured.extra_index_urls:
        extra_clients = [
            IndexClient(url, cache=client.cache, offline=offline, timeout_seconds=timeout_seconds)
            for url in configured.extra_index_urls
        ]
        resolving_client = MultiIndexClient([client, *extra_clients], configured.strategy)
    result = TreeResult(
        source=str(source),
        target=target_spec.name,
        index_url=client.index_url.rstrip("/"),
        offline=offline,
        source_kind=dependency_source.kind,
        platforms=platforms or ["manylinux_2_39_x86_64", "musllinux_1_2_x86_64"],
        errors=list(dependency_source.problems),
        notes=list(dependency_source.notes),
    )
    if configured is not None and configured.origin != "default (PyPI)":
        how = {
            "merge": "every index's files count, as pip does",
            "first": "the first index that has a project answers, as uv does",
        }[configured.strategy]
        result.notes.append(f"indexes: {configured.describe()}; {how}")
        result.notes.extend(configured.notes)
    if dependency_source.problems:
        result.partial = True
    clients: dict[str, IndexClient] = {}
    if dependency_source.locked is not None:
        inspectable = _judge_locked_packages(
            dependency_source.locked, result, clients, client, index_url, chosen_index, target_spec
        )
    else:
        clients[client.index_url] = client
        inspectable = _judge_resolved_packages(dependency_source, result, resolving_client, target_spec)
    if inspect_wheels:
        result.partial |= inspect_ready_wheels(inspectable, target_spec, max_wheel_bytes, platforms)
    _finish(result, clients)
    result.duration_seconds = round(time.monotonic() - started, 3)
    return result


def _with_default_index(
    settings: IndexSettings | None, index_url: str | None, dependency_source: DependencySource
) -> IndexSettings | None:
    """The configured indexes, with the default index the caller or the file names.

    ``--index-url`` (and a requirements file's own ``--index-url`` line) replace pip's and
    uv's default index but keep the extra indexes, as those tools do; the caller's URL wins
    over the file's."""
    override, origin = (index_url, "--index-url") if index_url else (dependency_source.index_url, "the file")
    if not override:
        return settings
    if settings is None or not settings.extra_index_urls:
        return None  # nothing to keep: the override alone is asked
    return settings.with_default_index(override, origin)


def _judge_locked_packages(
    locked: list[LockedPackage],
    result: TreeResult,
    clients: dict[str, IndexClient],
    client: IndexClient,
    index_url: str | None,
    chosen_index: str,
    target_spec: Target,
) -> list[tuple[PackageWheelStatus, IndexClient]]:
    """A lock's packages, each judged at its own pin on the index the lock names for it."""

    # A lock names the index of each package (PEP 751 ``index``, uv's ``registry``):
    # ask that one unless --index-url overrides them all.
    def client_for(package: LockedPackage) -> IndexClient:
        wanted = index_url or package.index_url or chosen_index
        candidate = IndexClient(
            wanted, cache=client.cache, offline=client.offline, timeout_seconds=client.timeout_seconds
        )
        return clients.setdefault(candidate.index_url, candidate)

    assignments = [(package, client_for(package)) for package in locked]
    # Ask about every locked project at once; judging then reads the clients' memory.
    with ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS) as pool:
        list(pool.map(lambda pair: page_or_none(pair[1], pair[0].name), assignments))
    inspectable: list[tuple[PackageWheelStatus, IndexClient]] = []
    for package, package_client in assignments:
        status, partial = _judge_locked(package, package_client, target_spec)
        result.packages.append(status)
        inspectable.append((status, package_client))
        result.partial |= partial
    if len(clients) == 1:
        result.index_url = next(iter(clients)).rstrip("/")
    elif len(clients) > 1:
        result.notes.append(
            "the lock file names several indexes; each package was judged on its own: "
            + ", ".join(url.rstrip("/") for url in clients)
        )
    return inspectable


def _judge_resolved_packages(
    dependency_source: DependencySource,
    result: TreeResult,
    resolving_client: IndexClient | MultiIndexClient,
    target_spec: Target,
) -> list[tuple[PackageWheelStatus, IndexClient | MultiIndexClient]]:
    """Requirements with ranges: resolved as pip would, then each pick judged."""
    resolution = Resolver(resolving_client, target_spec).resolve(
        dependency_source.requirements, dependency_source.constraints
    )
    result.errors.extend(resolution.errors)
    result.partial |= resolution.partial
    inspectable: list[tuple[PackageWheelStatus, IndexClient | MultiIndexClient]] = []
    for project in resolution.projects.values():
        status = _judge_resolved(project, target_spec)
        status.required_by = sorted(project.required_by)
        status.origin = ", ".join(project.origins)
        result.packages.append(status)
        inspectable.append((status, resolving_client))
    if isinstance(resolving_client, MultiIndexClient) and resolving_client.problems:
        result.errors.extend(dict.fromkeys(resolving_client.problems))
        result.partial = True
    return inspectable


def _judge_resolved(project: ResolvedProject, target_spec: Target) -> PackageWheelStatus:
    if project.version is None or project.page is None:
        return PackageWheelStatus(
            name=project.name,
            version=None,
            pinned=project.pinned,
            ready=None,
            status=UNKNOWN,
            reason="could not be resolved on the index",
            errors=list(project.errors),
        )
    status = _judge_on_page(project.name, project.version, project.pinned, project.page, target_spec)
    status.errors.extend(project.errors)
    if status.status == NEEDS_BUILD and status.first_ready_version:
        status.held_back_by = _holders(project, status.first_ready_version)
        if status.held_back_by:
            status.reason += (
                f"; {status.first_ready_version} ships one but is ruled out"
                f" ({'; '.join(status.held_back_by)})"
            )
    return status


def _finish(result: TreeResult, clients: dict[str, IndexClient]) -> None:
    """Notes on stale pages, partial when anything is unknown, a stable order, and no credential left."""
    stale = sorted(name for each in clients.values() for name in each.stale_pages())
    if stale:
        result.notes.append(
            f"--offline: the cached index pages of {', '.join(stale)} are past their freshness; releases"
            " uploaded since then are not known"
        )
    for status in result.packages:
        if status.status == UNKNOWN:
            result.partial = True
    result.packages.sort(key=lambda status: canonicalize_name(status.name))
    # A credential must never reach a report, whatever message quoted a URL.
    result.errors = [redact_text(message) for message in result.errors]
    result.notes = [redact_text(message) for message in result.notes]
    for status in result.packages:
        status.errors = [redact_text(message) for message in status.errors]
