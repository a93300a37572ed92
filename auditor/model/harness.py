"""Results of hammering samples from many threads (the dynamic harness)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .finding import Finding


class HammerVerdict(str, Enum):
    RACE = "race"
    NO_RACE_OBSERVED = "no-race-observed"
    BUILD_ERROR = "build-error"
    ERROR = "error"  # the harness could not run the sample at all (bad scenario.py, ...)


class FailureKind(str, Enum):
    WRONG_RESULT = "wrong-result"  # AssertionError from work() or check()
    EXCEPTION = "exception"  # any other exception from the scenario
    CRASH = "crash"  # signal / fatal error
    HANG = "hang"  # timeout
    TSAN = "tsan"  # ThreadSanitizer report


@dataclass
class TrialFailure:
    kind: FailureKind
    message: str
    trial: int
    seconds_into_run: float
    detail: str = ""  # traceback, faulthandler dump, every thread's stack, TSan report


@dataclass
class Throughput:
    """One timing of a fixed amount of work: the scenario's THREADS work() calls of
    ITERATIONS each (``calls`` = THREADS x ITERATIONS), done by ``threads`` threads at once
    (threads = THREADS) or one after another on a single thread (threads = 1)."""

    threads: int
    calls_per_second: float  # calls / seconds
    seconds: float = 0.0  # the best of ``repetitions`` wall times (setup() not included)
    calls: int = 0
    repetitions: int = 0


@dataclass
class InterpreterRun:
    """One sample on one interpreter."""

    python: str
    label: str  # "CPython 3.13.5t"
    free_threaded: bool
    build_route: str  # "capi", "cffi", "cffi-ctypes" (cffi refuses 3.13t)
    verdict: HammerVerdict
    trials: int = 0
    failures: int = 0
    seconds: float = 0.0
    first_failure_seconds: float | None = None
    failure_examples: list[TrialFailure] = field(default_factory=list)
    throughput: list[Throughput] = field(default_factory=list)
    # The same work on THREADS threads vs one after another on one thread; None when not
    # measured, or when the figure was not believable (then throughput_problem says why).
    speedup: float | None = None
    cores: int | None = None  # CPUs this process may run on, the bound on any speedup
    throughput_problem: str | None = None
    build_log: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class SampleResult:
    name: str
    path: str
    kind: str  # "capi" | "cffi"
    expect: str | None  # "race-without-gil" | "race" | "safe"
    verdict: HammerVerdict  # on the free-threaded target
    failures: int
    trials: int
    baseline_verdict: HammerVerdict | None
    # "race-without-gil" (migration risk), "race" (racy with and without the GIL),
    # "safe" (nothing observed), or None when the run could not decide.
    classification: str | None
    matches_expectation: bool | None
    target: InterpreterRun | None = None
    baseline: InterpreterRun | None = None
    findings: list[Finding] = field(default_factory=list)
    description: str = ""
    # Why the sample could not be run completely (bad sample.toml, missing interpreter...).
    errors: list[str] = field(default_factory=list)
    # sample.toml ``safe_twin``: the sample that fixes this one, to compare what the fix costs.
    safe_twin: str | None = None
