"""Run a built sample's scenario in fresh subprocesses of one interpreter.

Children (``_trial_child.py``) alternate between running several trials back to back
(starting an interpreter and importing the sample costs 50-90 ms here, a counter trial
1-5 ms), for at most ``TIME_SLICE`` seconds or ``TRIALS_PER_PROCESS`` trials, and running
a single trial; every child stops at the first failure. Fresh processes matter twice: a
crash kills only one child, and races on first use (lazy initialisation) get a new
first use in every child.

Every trial runs under ``faulthandler.dump_traceback_later`` in the child, which dumps
every thread's stack and exits if the trial outlives ``trial_timeout``; the parent
also kills the child's whole process group if it stops reporting progress, in case a
sample hangs so badly that even faulthandler's watchdog thread cannot run.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...model.harness import FailureKind, HammerVerdict, InterpreterRun, Throughput, TrialFailure
from .build import BuildResult
from .build.toolchain import child_environment
from .child_process import SLOW_TRIAL_FACTOR, ChildOutcome, abnormal_end, run_child
from .sample import Sample
from .trial_facts import GIL_REENABLED_NOTE
from .tsan import TSAN_SEPARATOR, parse_tsan_reports, reports_touching

# Default seconds of trials per sample per interpreter. Every racy sample shipped here is
# found in under a second on a loaded 2-core machine; the rest of the budget is what a
# safe sample must survive. Racy runs stop at the first failure.
DEFAULT_BUDGET_SECONDS = 10.0
DEFAULT_TRIAL_TIMEOUT_SECONDS = 10.0
TSAN_TRIAL_TIMEOUT_SECONDS = 60.0
TIME_SLICE_SECONDS = 0.5
TRIALS_PER_PROCESS = 25
# GIL builds only: a thread switch may happen every 2 microseconds instead of every 5 ms.
GIL_SWITCH_INTERVAL_SECONDS = 2e-6
THROUGHPUT_SECONDS = 0.5
# A run that keeps starting children which never finish a trial is stopped.
MAX_PROCESSES_WITHOUT_A_TRIAL = 5


@dataclass
class ProgressUpdate:
    sample: str
    interpreter: str
    phase: str  # "build" | "build-error" | "trials" | "throughput" | "done"
    trials: int = 0
    failures: int = 0
    elapsed: float = 0.0
    budget: float = 0.0


ProgressCallback = Callable[[ProgressUpdate], None]


@dataclass
class RunSettings:
    threads: int
    iterations: int
    budget: float = DEFAULT_BUDGET_SECONDS
    trial_timeout: float = DEFAULT_TRIAL_TIMEOUT_SECONDS
    tsan_suppressions: Path | None = None
    tsan: bool = False
    throughput: bool = True
    throughput_seconds: float = THROUGHPUT_SECONDS
    time_slice: float = TIME_SLICE_SECONDS
    trials_per_process: int = TRIALS_PER_PROCESS
    stop_at_first_failure: bool = True


def hammer_interpreter(
    sample: Sample,
    build: BuildResult,
    *,
    label: str,
    free_threaded: bool,
    settings: RunSettings,
    progress: ProgressCallback | None = None,
) -> InterpreterRun:
    """Trials (then throughput) of one built sample on one interpreter."""
    run = InterpreterRun(
        python=build.python,
        label=label,
        free_threaded=free_threaded,
        build_route=build.route,
        verdict=HammerVerdict.NO_RACE_OBSERVED,
        build_log=build.log,
        notes=list(build.notes),
    )
    base_config = {
        "mode": "trials",
        "load": build.load,
        "scenario": str(sample.scenario_path),
        "sample_dir": str(sample.path),
        "threads": settings.threads,
        "iterations": settings.iterations,
        "trial_timeout": settings.trial_timeout,
        "max_trials": settings.trials_per_process,
        "switch_interval": GIL_SWITCH_INTERVAL_SECONDS,
        "stop_if_gil_reenabled": free_threaded,
    }
    trials = _TrialLoop(run, sample, build, settings, base_config, _trial_environment(settings), progress)
    trials.report("trials")
    with tempfile.TemporaryDirectory(prefix="ftaudit-hammer-") as scratch:
        trials.workdir = Path(scratch)
        while trials.run_next_child():
            pass
        run.seconds = time.monotonic() - trials.started
        if run.failures:
            run.verdict = HammerVerdict.RACE
        if settings.throughput and settings.tsan:
            run.notes.append("throughput not measured under ThreadSanitizer (it slows code 5-15x)")
        elif run.verdict is not HammerVerdict.ERROR and settings.throughput:
            trials.report("throughput")
            _measure_throughput(
                run,
                sample,
                build,
                settings,
                base_config,
                trials.force_gil_off,
                trials.environment,
                trials.workdir,
            )
    trials.report("done")
    return run


def _trial_environment(settings: RunSettings) -> dict[str, str]:
    environment = child_environment()
    if settings.tsan:
        options = ["halt_on_error=0", "report_signal_unsafe=0", "second_deadlock_stack=1", "history_size=4"]
        if settings.tsan_suppressions:
            options.insert(0, f"suppressions={settings.tsan_suppressions}")
        environment["TSAN_OPTIONS"] = " ".join(options)
    return environment


class _TrialLoop:
    """One interpreter's trials: child after child until the budget is spent, a failure
    stops the run (when asked), or the sample cannot be run at all."""

    def __init__(self, run, sample, build, settings, base_config, environment, progress) -> None:
        self.run: InterpreterRun = run
        self.sample: Sample = sample
        self.build: BuildResult = build
        self.settings: RunSettings = settings
        self.base_config: dict = base_config
        self.environment = environment
        self.progress = progress
        self.workdir = Path()
        self.force_gil_off = False
        self.sanity_done = False
        self.children_started = 0
        self.started = time.monotonic()

    def report(self, phase: str) -> None:
        if self.progress:
            self.progress(
                ProgressUpdate(
                    self.sample.name,
                    self.run.label,
                    phase,
                    self.run.trials,
                    self.run.failures,
                    time.monotonic() - self.started,
                    self.settings.budget,
                )
            )

    def run_next_child(self) -> bool:
        """Run one child and record what it showed; False when the run is over."""
        run, settings = self.run, self.settings
        remaining = settings.budget - (time.monotonic() - self.started)
        # The budget ends the run, but only after at least one concurrent trial.
        if remaining <= 0 and self.sanity_done and run.trials > 0:
            return False
        if self.children_started > MAX_PROCESSES_WITHOUT_A_TRIAL and run.trials == 0:
            run.verdict = HammerVerdict.ERROR
            run.notes.append("no trial could be run (every child ended before finishing one)")
            return False
        # Every other child runs a single trial: a race that can only happen on first use
        # (lazy initialisation without a reset) gets a fresh first use twice as often,
        # while the other children amortise interpreter start-up over many trials.
        trials_this_child = 1 if self.children_started % 2 else settings.trials_per_process
        config = dict(
            self.base_config,
            first_trial=run.trials + 1,
            sanity=not self.sanity_done,
            time_slice=max(0.0, min(settings.time_slice, remaining)),
            max_trials=trials_this_child,
        )
        self.children_started += 1
        outcome = run_child(
            self.build.python,
            config,
            force_gil_off=self.force_gil_off,
            environment=self.environment,
            watchdog_seconds=settings.trial_timeout,
            workdir=self.workdir,
        )
        events = outcome.events
        loaded = _first_event(events, "loaded")
        if loaded and loaded.get("gil_reenabled") and not self.force_gil_off:
            self.force_gil_off = True
            run.notes.append(
                f"{GIL_REENABLED_NOTE}: importing the sample turned the GIL back on (its module does not "
                "declare Py_mod_gil = Py_MOD_GIL_NOT_USED), so a plain run would not be a free-threaded "
                "run. "
                "The trials were run with -X gil=0 to keep the GIL off; users of this module get the GIL "
                "unless they do the same."
            )
            return True
        error = _first_event(events, "error")
        if error:
            run.verdict = HammerVerdict.ERROR
            run.notes.append(f"could not run the sample ({error['stage']}): {error['message']}")
            run.failure_examples.append(
                TrialFailure(FailureKind.EXCEPTION, error["message"], 0, 0.0, error.get("detail", ""))
            )
            return False
        if not self.sanity_done:
            step = _judge_sequential_check(run, outcome, loaded, _first_event(events, "sanity"))
            if step == "stop":
                return False
            self.sanity_done = True
            if step == "skipped":
                return True
        return self._record_trials(outcome)

    def _record_trials(self, outcome: ChildOutcome) -> bool:
        run, settings, events = self.run, self.settings, outcome.events
        seconds_into_run = time.monotonic() - self.started
        finished = [event for event in events if event["event"] == "trial"]
        run.trials += len(finished)
        for event in finished:
            if not event["ok"]:
                run.failures += 1
                run.failure_examples.append(
                    TrialFailure(
                        FailureKind(event["kind"]),
                        event["message"],
                        event["trial"],
                        seconds_into_run,
                        event.get("detail", ""),
                    )
                )
        if outcome.killed_by_watchdog == "slow":
            run.notes.append(
                f"a trial was still computing after {settings.trial_timeout * SLOW_TRIAL_FACTOR:.0f} s and "
                "was stopped; it is not counted as a race. Lower ITERATIONS (or --iterations) so a trial "
                "takes well under the trial timeout; the result is PARTIAL."
            )
            return False
        abnormal = abnormal_end(outcome)
        if abnormal:
            started_trials = [event["trial"] for event in events if event["event"] == "trial-start"]
            trial = started_trials[-1] if started_trials else run.trials + 1
            run.trials += 1
            run.failures += 1
            run.failure_examples.append(
                TrialFailure(abnormal[0], abnormal[1], trial, seconds_into_run, outcome.stderr[-20000:])
            )
        if settings.tsan:
            _record_tsan_reports(run, outcome, self.sample, seconds_into_run)
        if run.failures and run.first_failure_seconds is None:
            run.first_failure_seconds = seconds_into_run
        self.report("trials")
        return not (run.failures and settings.stop_at_first_failure)


def _first_event(events: list[dict], kind: str) -> dict | None:
    return next((event for event in events if event["event"] == kind), None)


def _judge_sequential_check(run: InterpreterRun, outcome: ChildOutcome, loaded, sanity) -> str:
    """The first child also runs the scenario's threads one after another: a failure there
    is the scenario's, not a race. Returns "stop" (the run is an ERROR), "skipped" (the
    threads cannot run alone; the trials go on without the check) or "passed"."""
    if sanity and not sanity["ok"]:
        run.verdict = HammerVerdict.ERROR
        run.notes.append(
            f"the scenario fails with its threads run one after another, so this is not "
            f"a race: {sanity['message']} (in {sanity['stage']})"
        )
        run.failure_examples.append(
            TrialFailure(FailureKind(sanity["kind"]), sanity["message"], 0, 0.0, sanity.get("detail", ""))
        )
        return "stop"
    if loaded is None:
        abnormal = abnormal_end(outcome)
        run.verdict = HammerVerdict.ERROR
        run.notes.append(
            "the child interpreter failed before loading the sample: "
            + (abnormal[1] if abnormal else "no answer")
        )
        run.failure_examples.append(
            TrialFailure(FailureKind.CRASH, run.notes[-1], 0, 0.0, outcome.stderr[-20000:])
        )
        return "stop"
    if sanity is not None:
        return "passed"
    abnormal = abnormal_end(outcome)
    if outcome.killed_by_watchdog in ("slow", "sequential-timeout"):
        run.notes.append(
            "the sequential check was skipped: run one after another, a thread of "
            "the scenario did not finish alone (it waits or spins for the others)"
        )
        return "skipped"
    if abnormal and abnormal[0] is FailureKind.HANG:
        # The threads wait for each other (a producer and a consumer, a barrier in the
        # state): they cannot run one after another. Not an error; the concurrent trials
        # go on without this check.
        run.notes.append(
            "the sequential check was skipped: run one after another, the "
            "scenario's threads blocked (they wait for each other)"
        )
        return "skipped"
    message = abnormal[1] if abnormal else "no answer"
    run.verdict = HammerVerdict.ERROR
    run.notes.append(
        f"the scenario fails with its threads run one after another, so this is not a race: {message}"
    )
    run.failure_examples.append(
        TrialFailure(abnormal[0] if abnormal else FailureKind.CRASH, message, 0, 0.0, outcome.stderr[-20000:])
    )
    return "stop"


def _record_tsan_reports(
    run: InterpreterRun, outcome: ChildOutcome, sample: Sample, seconds_into_run: float
) -> None:
    reports = reports_touching(parse_tsan_reports(outcome.stderr), sample)
    if reports:
        run.failures += 1
        for tsan_report in reports:
            # Kept between TSan's own separators so the detail parses again.
            detail = f"{TSAN_SEPARATOR}\n{tsan_report.text}\n{TSAN_SEPARATOR}\n"
            run.failure_examples.append(
                TrialFailure(FailureKind.TSAN, tsan_report.summary, run.trials, seconds_into_run, detail)
            )


def _measure_throughput(
    run: InterpreterRun,
    sample: Sample,
    build: BuildResult,
    settings: RunSettings,
    base_config: dict,
    force_gil_off: bool,
    environment: dict[str, str],
    workdir: Path,
) -> None:
    """Time the scenario's fixed work on THREADS threads and on one (see
    ``_trial_child.measure_throughput``) and derive the speedup, within sane bounds."""
    config = dict(base_config, mode="throughput", throughput_seconds=settings.throughput_seconds)
    # Every repetition reports progress, so the watchdog only needs to outlast one; the
    # child gives up on its own on a one-thread run that cannot finish.
    outcome = run_child(
        build.python,
        config,
        force_gil_off=force_gil_off,
        environment=environment,
        watchdog_seconds=settings.trial_timeout,
        workdir=workdir,
    )
    run.cores = available_cores()
    for event in outcome.events:
        if event["event"] == "throughput":
            run.throughput.append(
                Throughput(
                    threads=event["threads"],
                    calls_per_second=event["calls_per_second"],
                    seconds=event.get("seconds") or 0.0,
                    calls=event.get("calls", 0),
                    repetitions=event.get("repetitions", 0),
                )
            )
            if event.get("errors"):
                run.notes.append(
                    f"throughput with {event['threads']} thread(s): work() raised {event['errors']} "
                    "time(s) while measured"
                )
        elif event["event"] == "throughput-error":
            run.notes.append(f"throughput not measured: setup() failed: {event['message']}")
        elif event["event"] == "throughput-sequential-timeout":
            run.throughput_problem = (
                f"no one-thread figure: the {settings.threads} work() calls run one after another did "
                f"not finish within {event['limit']:.1f} s (the threads wait for each other), so there "
                "is no speedup to report"
            )
    run.throughput.sort(key=lambda measured: measured.threads)
    abnormal = abnormal_end(outcome)
    if abnormal and not run.throughput_problem:
        measured = {point.threads for point in run.throughput}
        missing = sorted({1, settings.threads} - measured)
        if missing:
            run.notes.append(
                f"throughput not measured with {', '.join(map(str, missing))} thread(s): {abnormal[1]}"
            )
    run.speedup, problem = judge_speedup(run.throughput, settings.threads, run.cores)
    run.throughput_problem = run.throughput_problem or problem


def available_cores() -> int:
    """CPUs this process may run on (its affinity mask, which containers and taskset narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def judge_speedup(points: list[Throughput], threads: int, cores: int) -> tuple[float | None, str | None]:
    """(speedup, problem): the one-thread time over the THREADS-thread time of the same work.

    The same calls spread over threads cannot finish more than ``min(cores, threads)``
    times sooner; a larger ratio means the threads did not do CPU work all along (they
    slept, waited on I/O or did less when run together), so it is reported as a
    measurement problem and never as a figure.
    """
    by_threads = {point.threads: point for point in points}
    alone, together = by_threads.get(1), by_threads.get(threads)
    if threads <= 1 or alone is None or together is None or not alone.seconds or not together.seconds:
        return None, None
    speedup = alone.seconds / together.seconds
    bound = min(cores, threads)
    unit = ("core" if bound == 1 else "cores") if bound == cores else "threads"
    if speedup > bound:
        return None, (
            f"measurement problem: {threads} threads did the work {speedup:.1f}x sooner than one thread, "
            f"more than {bound} {unit} allow for CPU work; the "
            "scenario's threads sleep, wait or do less work when run together, so no speedup is reported"
        )
    return round(speedup, 2), None
