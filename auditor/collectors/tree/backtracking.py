"""Backtracking resolution with ``resolvelib`` (the algorithm pip itself runs).

The fixed-point walk in :mod:`.resolver` cannot undo a choice: with ``numpy==1.26.4``
pinned and ``pandas`` left open, it takes the newest pandas, finds that it needs
numpy>=2 and gives up, where pip would step back to a pandas that accepts numpy 1.26.
Real requirement files mix pins and open ranges like that all the time, so the tree
is resolved here first, with the same rules for which versions are acceptable and in
which order (the walk's ``ranked_versions``, seen through
:class:`~.resolution.IndexView`) and the same cached index and metadata; the walk is
the fallback when no consistent set exists, because it still names the contradicting
specifiers.

Extras follow pip's model: ``name[x]`` is its own identifier whose candidate depends
on ``name==<same version>`` plus the dependencies the extra adds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name
from packaging.version import Version
from resolvelib import AbstractProvider, BaseReporter, ResolutionError
from resolvelib import Resolver as ResolvelibResolver

from .index.project_page import ProjectPage
from .resolution import PARALLEL_REQUESTS, ROOT, IndexView, Resolution, ResolvedProject
from .sources.interface import RootRequirement

# resolvelib counts rounds; pip uses 200,000. A tree that needs more is reported as
# undecided (the walk takes over) rather than keeping a CI job busy for minutes.
MAX_ROUNDS = 20_000


def identifier_of(name: str, extras: Iterable[str]) -> str:
    extras = sorted(canonicalize_name(extra) for extra in extras)
    return f"{canonicalize_name(name)}[{','.join(extras)}]" if extras else canonicalize_name(name)


def name_of(identifier: str) -> NormalizedName:
    return canonicalize_name(identifier.split("[", 1)[0])


@dataclass(frozen=True)
class Candidate:
    name: NormalizedName
    version: Version
    extras: frozenset[str]

    @property
    def identifier(self) -> str:
        return identifier_of(self.name, self.extras)


class _Provider(AbstractProvider):
    def __init__(self, resolver: IndexView, constraints: Mapping[NormalizedName, list[Requirement]]) -> None:
        self.resolver = resolver
        self.constraints = constraints
        self.pages: dict[NormalizedName, ProjectPage | str] = {}
        self.unknown_dependencies: dict[tuple[str, Version], str] = {}

    def page(self, name: NormalizedName) -> ProjectPage | str:
        if name not in self.pages:
            self.pages[name] = self.resolver.project_page(name)
        return self.pages[name]

    # -- resolvelib's questions -------------------------------------------------------
    def identify(self, requirement_or_candidate: Requirement | Candidate) -> str:
        if isinstance(requirement_or_candidate, Candidate):
            return requirement_or_candidate.identifier
        return identifier_of(requirement_or_candidate.name, requirement_or_candidate.extras)

    def get_preference(
        self,
        identifier: str,
        resolutions: Mapping[str, Candidate],
        candidates: Mapping[str, Iterator[Candidate]],
        information: Mapping[str, Iterator[Any]],
        backtrack_causes: Sequence[Any],
    ) -> Any:
        # Like pip: decide pinned projects first, then the ones a conflict was about,
        # then in a stable order (so the result does not depend on dict order).
        requirements = [item.requirement for item in information[identifier]]
        pinned = any(spec.operator in ("==", "===") for req in requirements for spec in req.specifier)
        causes = {name_of(self.identify(cause.requirement)) for cause in backtrack_causes}
        return (not pinned, name_of(identifier) not in causes, identifier)

    def find_matches(
        self,
        identifier: str,
        requirements: Mapping[str, Iterator[Requirement]],
        incompatibilities: Mapping[str, Iterator[Candidate]],
    ) -> list[Candidate]:
        name = name_of(identifier)
        page = self.page(name)
        if isinstance(page, str):
            return []
        wanted = list(requirements[identifier]) + list(self.constraints.get(name, []))
        extras = frozenset(
            canonicalize_name(extra) for req in requirements[identifier] for extra in req.extras
        )
        excluded = {candidate.version for candidate in incompatibilities[identifier]}
        ranked, _why = self.resolver.ranked_versions(page, wanted)
        return [Candidate(name, version, extras) for version in ranked if version not in excluded]

    def is_satisfied_by(self, requirement: Requirement, candidate: Candidate) -> bool:
        return requirement.specifier.contains(candidate.version, prereleases=True)

    def get_dependencies(self, candidate: Candidate) -> list[Requirement]:
        page = self.page(candidate.name)
        if isinstance(page, str):
            return []
        dependencies = self.resolver.dependencies(page, candidate.version)
        if isinstance(dependencies, str):
            self.unknown_dependencies[(candidate.name, candidate.version)] = dependencies
            dependencies = []
        applying = [dep for dep in dependencies if self.resolver.applies(dep, candidate.extras)]
        if candidate.extras:
            # The extra's candidate pulls in the project itself at the same version.
            applying.append(Requirement(f"{candidate.name}=={candidate.version}"))
        self._prefetch(canonicalize_name(dep.name) for dep in applying)
        self._prefetch_likely_dependencies(applying)
        return applying

    def _prefetch(self, names: Iterable[NormalizedName]) -> None:
        """Fetch the pages of a candidate's dependencies in parallel, before resolvelib
        asks for them one by one (the walk is bound by round trips)."""

        missing = sorted({name for name in names if name not in self.pages})
        if len(missing) > 1:
            with ThreadPoolExecutor(max_workers=PARALLEL_REQUESTS) as pool:
                for name, page in zip(missing, pool.map(self.resolver.project_page, missing), strict=True):
                    self.pages[name] = page

    def _prefetch_likely_dependencies(self, requirements: list[Requirement]) -> None:
        """Fetch, in parallel, the metadata of the release each requirement will most
        likely resolve to (the best-ranked one), so that resolvelib's next questions
        are answered from memory instead of one round trip at a time."""
        likely: list[tuple[ProjectPage, Version]] = []
        for requirement in requirements:
            name = canonicalize_name(requirement.name)
            page = self.pages.get(name)
            if isinstance(page, ProjectPage):
                ranked, _ = self.resolver.ranked_versions(
                    page, [requirement, *self.constraints.get(name, [])]
                )
                if ranked:
                    likely.append((page, ranked[0]))
        self.resolver.prefetch_dependencies(likely)


def resolve_with_backtracking(
    resolver: IndexView,
    roots: list[RootRequirement],
    constraint_map: Mapping[NormalizedName, list[Requirement]],
    root_pins: set[NormalizedName],
) -> tuple[Resolution | None, str]:
    """(resolution, "") or (None, why) when resolvelib finds no consistent set; why is
    empty when the index could not answer for some project (the walk reports that)."""

    provider = _Provider(resolver, constraint_map)
    applying_roots = [root for root in roots if resolver.applies(root.requirement, ())]
    provider._prefetch(canonicalize_name(root.requirement.name) for root in applying_roots)
    provider._prefetch_likely_dependencies([root.requirement for root in applying_roots])
    try:
        result = ResolvelibResolver(provider, BaseReporter()).resolve(
            [root.requirement for root in applying_roots], max_rounds=MAX_ROUNDS
        )
    except ResolutionError as problem:
        if any(isinstance(page, str) for page in provider.pages.values()):
            # A project the index could not answer for: the walk reports it per package.
            return None, ""
        return None, f"{type(problem).__name__}: {_describe(problem)}"
    origins: dict[NormalizedName, list[str]] = {}
    for root in applying_roots:
        origins.setdefault(canonicalize_name(root.requirement.name), []).append(root.origin)
    projects: dict[NormalizedName, ResolvedProject] = {}
    for identifier, candidate in result.mapping.items():
        name = candidate.name
        page = provider.pages.get(name)
        project = projects.setdefault(
            name,
            ResolvedProject(
                name=name, version=candidate.version, pinned=name in root_pins, origins=origins.get(name, [])
            ),
        )
        project.page = page if isinstance(page, ProjectPage) else None
        project.extras |= set(candidate.extras)
        for parent in result.graph.iter_parents(identifier):
            if parent is not None and name_of(parent) != name:
                project.required_by.add(name_of(parent))
        for information in result.criteria[identifier].information:
            parent = information.parent
            project.demanded_by.append(
                (ROOT if parent is None else str(parent.name), information.requirement)
            )
        unknown = provider.unknown_dependencies.get((name, candidate.version))
        if unknown and unknown not in project.errors:
            project.errors.append(unknown)
    for name, project in projects.items():
        project.demanded_by.extend(("constraints file", req) for req in constraint_map.get(name, []))
    resolution = Resolution(projects=projects, rounds=1)
    resolution.partial = any(project.errors for project in projects.values())
    return resolution, ""


def _describe(problem: ResolutionError) -> str:
    causes = getattr(problem, "causes", None)
    if not causes:
        return str(problem) or "no consistent set of versions"
    described = []
    for cause in causes[:6]:
        parent = getattr(cause, "parent", None)
        who = "the file" if parent is None else f"{parent.name} {parent.version}"
        described.append(f"{who} requires {cause.requirement}")
    return "no consistent set of versions: " + "; ".join(described)
