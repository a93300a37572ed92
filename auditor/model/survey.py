"""Results of an ecosystem survey (``ftaudit survey``): per project and target, the wheels a
release ships and what their extension modules declare about the GIL.

A survey is its own JSON document (``kind: "survey"``), not a section of an AuditReport:
it is about thousands of projects nobody has installed, and ``survey diff`` compares two
of them. ``docs/json-schema.md`` describes every field ("The survey document").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .environment import GilDeclaration, GilDeclaredBy

SURVEY_SCHEMA_VERSION = "1.0"

# Statuses of one release for one target, best first (the order the tracker sorts by).
READY = "ready"  # a target wheel, and every extension module declares Py_MOD_GIL_NOT_USED
PURE = "pure"  # only wheels without compiled code for this Python
GIL_FALLBACK = "gil-fallback"  # a target wheel exists, but importing it re-enables the GIL
NEEDS_BUILD = "needs-build"  # no wheel the target installs: pip would compile the sdist
UNKNOWN = "unknown"  # could not be judged (the wheel could not be fetched or read)
STATUS_ORDER = (READY, PURE, GIL_FALLBACK, NEEDS_BUILD, UNKNOWN)


@dataclass
class SurveyModule:
    """One extension module of a surveyed wheel, as read from the binary."""

    module: str
    path: str
    abi: str  # "cp314t", "abi3t", ... (from the file name)
    abi_free_threaded: bool | None
    loadable_on_target: bool | None
    gil: GilDeclaration
    gil_declared_by: GilDeclaredBy
    generator: str | None
    init_style: str
    risky_symbols: list[str] = field(default_factory=list)  # imported functions unsafe without the GIL
    errors: list[str] = field(default_factory=list)


@dataclass
class WheelVerdict:
    """The judgement of one wheel for one target: the unit of work of a survey."""

    project: str
    version: str
    target: str
    filename: str
    url: str
    sha256: str
    # "ready", "gil-fallback", "pure" (a platform wheel without extension modules), "unknown".
    verdict: str
    gil_fallback: bool | None
    gil_fallback_modules: list[str] = field(default_factory=list)
    modules: list[SurveyModule] = field(default_factory=list)
    generators: list[str] = field(default_factory=list)  # distinct, sorted
    abis: list[str] = field(default_factory=list)  # distinct module ABIs: "cp315t", "abi3t"
    risky_symbols: dict[str, int] = field(default_factory=dict)  # rule code -> modules importing one
    problems: list[str] = field(default_factory=list)
    # Set when the wheel could not be fetched: such a verdict is never stored, so a re-run retries.
    download_error: str | None = None
    size_bytes: int = 0
    download_seconds: float = 0.0
    analysis_seconds: float = 0.0
    analyser: str = ""  # auditor.collectors.binary.analyser_fingerprint() of the process that read it
    worker: str = ""  # "host:pid" that read it


@dataclass
class ReleaseStatus:
    """One release of a project, judged for one target."""

    version: str
    status: str  # one of STATUS_ORDER
    reason: str
    wheel: WheelVerdict | None = None  # the target wheel read (Linux/ELF), when there is one


@dataclass
class TargetStatus:
    target: str  # "3.14t"
    latest: ReleaseStatus | None  # the newest release
    first_ready: ReleaseStatus | None = None  # the first release that ships a target wheel


@dataclass
class SurveyProject:
    name: str  # PEP 503 normalised
    rank: int | None = None  # position in the ranking the list came from (1 = most downloaded)
    downloads: int | None = None  # from the ranking file, when it says
    latest_version: str | None = None
    targets: list[TargetStatus] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def target(self, name: str) -> TargetStatus | None:
        return next((each for each in self.targets if each.target == name), None)


@dataclass
class SurveyStats:
    engine: str = ""  # "local-pool" or "dask"
    workers: int = 0
    projects: int = 0
    wheels: int = 0  # distinct (wheel, target) judgements the survey needs
    wheels_from_store: int = 0  # answered by the result store of an earlier run
    wheels_judged: int = 0  # read in this run
    wheels_failed: int = 0  # could not be fetched or judged in this run (a re-run retries them)
    tasks_submitted: int = 0
    bytes_downloaded: int = 0
    download_seconds: float = 0.0  # summed over wheels (workers run in parallel)
    analysis_seconds: float = 0.0
    duration_seconds: float = 0.0  # wall time of the run


@dataclass
class SurveyResult:
    index_url: str
    targets: list[str]
    platforms: list[str]
    analyser: str
    kind: str = "survey"
    schema_version: str = SURVEY_SCHEMA_VERSION
    tool_version: str = ""
    created: str = ""
    projects: list[SurveyProject] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    partial: bool = False
    stats: SurveyStats = field(default_factory=SurveyStats)
