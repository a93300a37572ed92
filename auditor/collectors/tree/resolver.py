"""Which releases pip would pick: the rules, and a walk without backtracking.

:meth:`Resolver.resolve` first resolves with backtracking (:mod:`.backtracking`, on
``resolvelib``, pip's own algorithm), using the rules below for which versions are
acceptable and in which order. When no consistent set exists it falls back to the
walk, which still gives every project a version and names the contradiction:

* a project's version is the newest one that satisfies every specifier seen for it
  (from the file, from constraints, from the ``Requires-Dist`` of every selected
  parent) and has a file the target could install (a compatible wheel or an sdist,
  whose ``Requires-Python`` admits the target); yanked releases only when pinned with
  ``==`` (PEP 592), pre-releases only when a specifier asks for one or nothing else fits;
* ``Requires-Dist`` markers are evaluated in the target's environment, with ``extra``
  set to each extra requested of the parent;
* the walk repeats until the selection no longer changes (a later specifier can rule
  out a version chosen earlier); when specifiers contradict each other the project is
  reported with an error instead of being backtracked, so the tree is marked partial.

The walk alone answered most trees, but not the common mix of a pin and an open
range whose newest release needs something else (``numpy==1.26.4`` with ``pandas``):
pip steps back to an older pandas there, and so must a report of what pip installs.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from packaging.markers import UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version

from ..binary.target import Target
from .backtracking import resolve_with_backtracking
from .index.client import IndexClient, IndexFetchError
from .index.metadata import MetadataUnavailable, release_metadata
from .index.project_page import IndexFile, ProjectPage
from .judge import python_supported, tags_of
from .resolution import PARALLEL_REQUESTS, ROOT, Resolution, ResolvedProject
from .sources.interface import RootRequirement

MAX_ROUNDS = 12


def _is_exact_pin(requirement: Requirement) -> bool:
    return any(
        spec.operator in ("==", "===") and not spec.version.endswith(".*") for spec in requirement.specifier
    )


class Resolver:
    def __init__(self, client: IndexClient, target: Target) -> None:
        self.client = client
        self.target = target
        self._dependencies: dict[tuple[str, Version], list[Requirement] | str] = {}
        self._dependencies_lock = threading.Lock()

    # -- the index, one question at a time --------------------------------------------
    def project_page(self, name: NormalizedName) -> ProjectPage | str:
        try:
            return self.client.project_page(name)
        except IndexFetchError as problem:
            return str(problem)

    def _installable(self, files: list[IndexFile]) -> bool:
        for file in files:
            if not python_supported(file.requires_python, self.target):
                continue
            if not file.is_wheel:
                return True
            tags = tags_of(file)
            if tags and tags & self.target.all_tags:
                return True
        return False

    def choose(self, page: ProjectPage, requirements: list[Requirement]) -> tuple[Version | None, str]:
        """The version pip would pick for ``requirements``; (None, why) when none fits."""
        ranked, why = self.ranked_versions(page, requirements)
        return (ranked[0] if ranked else None), why

    def ranked_versions(
        self, page: ProjectPage, requirements: list[Requirement]
    ) -> tuple[list[Version], str]:
        """Every acceptable version, best first, as pip would try them; ([], why) when none fits."""
        specifier = SpecifierSet()
        for requirement in requirements:
            specifier &= requirement.specifier
        pinned = any(_is_exact_pin(requirement) for requirement in requirements)
        versions = sorted(page.versions(), reverse=True)
        if not versions:
            return [], f"{page.name} has no releases on the index"

        def usable(version: Version) -> bool:
            files = page.files_for(version)
            # PEP 592: a yanked release is chosen only when pinned with ==.
            return pinned or not files or not all(file.yanked for file in files)

        matching = [version for version in versions if specifier.contains(version, prereleases=True)]
        if not matching:
            return [], (
                f"no release of {page.name} satisfies {specifier or 'any version'} (newest: {versions[0]})"
            )
        explicit_prereleases = specifier.prereleases is True
        finals = [version for version in matching if not version.is_prerelease or explicit_prereleases]
        candidates = [version for version in (finals or matching) if usable(version)]
        if not candidates:
            return [], f"every release of {page.name} satisfying {specifier or 'any version'} is yanked"
        # pip skips files whose Requires-Python excludes the interpreter (PEP 345/503).
        supported = [
            version
            for version in candidates
            if any(python_supported(file.requires_python, self.target) for file in page.files_for(version))
        ]
        if not supported and pinned:
            # A pin is judged by its own files even when they exclude the target.
            supported = candidates
        if not supported:
            return [], (
                f"no release of {page.name} satisfying {specifier or 'any version'} supports"
                f" Python {self.target.name.rstrip('t')} (Requires-Python)"
            )
        installable = [version for version in supported if self._installable(page.files_for(version))]
        # Releases with nothing the target could install come last: pip would skip them,
        # but when nothing else fits the newest is judged so the report can say why.
        installable_set = set(installable)
        return installable + [version for version in supported if version not in installable_set], ""

    def dependencies(self, page: ProjectPage, version: Version) -> list[Requirement] | str:
        key = (page.name, version)
        with self._dependencies_lock:
            known = self._dependencies.get(key)
        if known is None:
            try:
                metadata = release_metadata(self.client, page.files_for(version))
            except MetadataUnavailable as problem:
                known = f"dependencies of {page.name} {version} unknown: {problem}"
            else:
                parsed: list[Requirement] = []
                for text in metadata.requires_dist:
                    try:
                        requirement = Requirement(text)
                    except InvalidRequirement:
                        continue  # pip skips an unparsable Requires-Dist too
                    if requirement.url:
                        continue  # a direct URL dependency is not on the index: nothing to judge
                    parsed.append(requirement)
                known = parsed
            with self._dependencies_lock:
                self._dependencies[key] = known
        return known

    def applies(self, requirement: Requirement, parent_extras: Iterable[str]) -> bool:
        if requirement.marker is None:
            return True
        environment = dict(self.target.marker_environment)
        for extra in ("", *parent_extras):
            environment["extra"] = extra
            try:
                if requirement.marker.evaluate(environment):
                    return True
            except (UndefinedComparison, UndefinedEnvironmentName):
                # A marker packaging cannot decide (say, a version operator on an empty
                # platform_release): count the dependency rather than hide it.
                return True
        return False

    def _visit(
        self,
        requirement: Requirement,
        parent: str,
        origin: str,
        projects: dict[NormalizedName, ResolvedProject],
        demands: dict[NormalizedName, list[Requirement]],
        pages: dict[NormalizedName, ProjectPage | str],
        used: dict[NormalizedName, Version | None],
        previous: dict[NormalizedName, Version | None],
        constraint_map: dict[NormalizedName, list[Requirement]],
        root_pins: set[NormalizedName],
        expanded: set[tuple[NormalizedName, Version, frozenset[str]]],
        to_expand: list[tuple[ProjectPage, Version, ResolvedProject]],
    ) -> None:
        """Record one requirement and decide (once per round) its project's version."""
        name = canonicalize_name(requirement.name)
        project = projects.setdefault(
            name, ResolvedProject(name=requirement.name, version=None, pinned=name in root_pins)
        )
        if parent != name:  # an extra that names its own project is not a dependent
            project.required_by.add(parent)
        project.demanded_by.append((parent, requirement))
        if origin and origin not in project.origins:
            project.origins.append(origin)
        project.extras |= set(requirement.extras)
        demands.setdefault(name, []).append(requirement)
        if name not in pages:
            pages[name] = self.project_page(name)
        page = pages[name]
        if isinstance(page, str):
            used[name] = None
            return
        project.page = page
        if name not in used:
            wanted = demands[name] + constraint_map.get(name, [])
            earlier = previous.get(name)
            if earlier is not None and all(
                req.specifier.contains(earlier, prereleases=True) for req in wanted
            ):
                used[name] = earlier
            else:
                used[name], _ = self.choose(page, wanted)
        version = used[name]
        if version is None:
            return
        key = (name, version, frozenset(project.extras))
        if key in expanded:
            return
        expanded.add(key)
        to_expand.append((page, version, project))

    # -- asking the index about many projects at once -------------------------------------
    def prefetch_pages(
        self, names: Iterable[NormalizedName], pages: dict[NormalizedName, ProjectPage | str]
    ) -> None:
        missing = sorted({name for name in names if name not in pages})
        if len(missing) > 1:
            with ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS) as pool:
                for name, page in zip(missing, pool.map(self.project_page, missing), strict=True):
                    pages[name] = page

    def prefetch_dependencies(self, releases: list[tuple[ProjectPage, Version]]) -> None:
        missing = [
            (page, version) for page, version in releases if (page.name, version) not in self._dependencies
        ]
        if len(missing) > 1:
            with ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS) as pool:
                list(pool.map(lambda item: self.dependencies(*item), missing))

    # -- the walk -----------------------------------------------------------------------
    def resolve(self, roots: list[RootRequirement], constraints: list[RootRequirement] = ()) -> Resolution:
        """Resolve with backtracking (resolvelib, as pip does); when no consistent set
        exists, or the index cannot answer for a project, fall back to the walk below,
        which reports the contradiction or the missing project per package."""
        constraint_map, root_pins = self._constraints_and_pins(roots, constraints)
        backtracked, why = resolve_with_backtracking(self, roots, constraint_map, root_pins)
        if backtracked is not None:
            return backtracked
        resolution = self.resolve_without_backtracking(roots, constraints)
        if why:
            resolution.errors.insert(
                0,
                f"no consistent set of versions exists ({why}); the versions shown are the newest each"
                " specifier allows, with the contradictions marked",
            )
            resolution.partial = True
        return resolution

    def _constraints_and_pins(
        self, roots: list[RootRequirement], constraints: Iterable[RootRequirement]
    ) -> tuple[dict[NormalizedName, list[Requirement]], set[NormalizedName]]:
        constraint_map: dict[NormalizedName, list[Requirement]] = {}
        for constraint in constraints:
            if self.applies(constraint.requirement, ()):
                constraint_map.setdefault(canonicalize_name(constraint.requirement.name), []).append(
                    constraint.requirement
                )
        root_pins = {
            canonicalize_name(root.requirement.name) for root in roots if _is_exact_pin(root.requirement)
        }
        root_pins |= {name for name, items in constraint_map.items() if any(map(_is_exact_pin, items))}
        return constraint_map, root_pins

    def resolve_without_backtracking(
        self, roots: list[RootRequirement], constraints: Iterable[RootRequirement] = ()
    ) -> Resolution:
        """The fixed-point walk described in the module docstring."""
        constraint_map, root_pins = self._constraints_and_pins(roots, constraints)
        previous: dict[NormalizedName, Version | None] = {}
        pages: dict[NormalizedName, ProjectPage | str] = {}
        resolution = Resolution(projects={})
        for round_number in range(1, MAX_ROUNDS + 1):
            demands: dict[NormalizedName, list[Requirement]] = {}
            projects: dict[NormalizedName, ResolvedProject] = {}
            used: dict[NormalizedName, Version | None] = {}
            expanded: set[tuple[NormalizedName, Version, frozenset[str]]] = set()
            # Root markers hold or not in the target environment (no parent extras).
            queue: deque[tuple[Requirement, str, str]] = deque(
                (root.requirement, ROOT, root.origin) for root in roots if self.applies(root.requirement, ())
            )
            while queue:
                # One breadth-first level at a time, so the index is asked about the
                # whole level at once (see prefetch); the order of decisions is the
                # same as popping one by one.
                self.prefetch_pages([canonicalize_name(item[0].name) for item in queue], pages)
                level = list(queue)
                queue.clear()
                to_expand: list[tuple[ProjectPage, Version, ResolvedProject]] = []
                for requirement, parent, origin in level:
                    self._visit(
                        requirement,
                        parent,
                        origin,
                        projects,
                        demands,
                        pages,
                        used,
                        previous,
                        constraint_map,
                        root_pins,
                        expanded,
                        to_expand,
                    )
                self.prefetch_dependencies([(page, version) for page, version, _ in to_expand])
                for page, version, project in to_expand:
                    dependencies = self.dependencies(page, version)
                    if isinstance(dependencies, str):
                        continue
                    for dependency in dependencies:
                        if self.applies(dependency, project.extras):
                            queue.append((dependency, page.name, ""))
            # Settle each project with every specifier now known.
            final: dict[NormalizedName, Version | None] = {}
            for name, project in projects.items():
                page = pages.get(name)
                if isinstance(page, str) or page is None:
                    project.errors = [page or f"{name}: no index page"]
                    final[name] = None
                    continue
                version, why = self.choose(page, demands[name] + constraint_map.get(name, []))
                project.version = version
                project.errors = [why] if why else []
                final[name] = version
                dependencies = self.dependencies(page, version) if version is not None else []
                if isinstance(dependencies, str):
                    project.errors.append(dependencies)
            resolution = Resolution(projects=projects, rounds=round_number)
            if final == used:
                break
            previous = final
        else:
            resolution.errors.append(
                f"the selection did not settle after {MAX_ROUNDS} rounds (contradicting specifiers?);"
                " the versions shown are the last ones tried"
            )
            resolution.partial = True
        for name, project in resolution.projects.items():
            project.required_by.discard(ROOT)
            project.demanded_by.extend(
                ("constraints file", requirement) for requirement in constraint_map.get(name, [])
            )
            if project.errors:
                resolution.partial = True
        return resolution
