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

import json
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...model.harness import FailureKind, HammerVerdict, InterpreterRun, Throughput, TrialFailure
from ...shared.process_exit import signal_name
from .build import BuildResult
from .build.toolchain import child_environment
from .sample import Sample
from .trial_facts import GIL_REENABLED_NOTE
from .tsan import TSAN_SEPARATOR, TsanReport, parse_tsan_reports, reports_touching

CHILD_SCRIPT = Path(__file__).with_name("_trial_child.py")
# Default seconds of trials per sample per interpreter. Every racy sample shipped here is
# found in under a second on a loaded 2-core machine; the rest of the budget is what a
# safe sample must survive. Racy runs stop at the first failure.
DEFAULT_BUDGET_SECONDS = 10.0
DEFAULT_TRIAL_TIMEOUT_SECONDS = 10.0
TSAN_TRIAL_TIMEOUT_SECONDS = 60.0
TIME_SLICE_SECONDS = 0.5
TRIALS_PER_PROCESS = 25
# Time allowed, beyond the trial timeout, for a child to start and import the sample
# before its first event (a TSan interpreter starts ~10x slower).
STARTUP_GRACE_SECONDS = 15.0
# GIL builds only: a thread switch may happen every 2 microseconds instead of every 5 ms.
GIL_SWITCH_INTERVAL_SECONDS = 2e-6
THROUGHPUT_SECONDS = 0.5
_POLL_SECONDS = 0.02
# In the sequential check, a thread that has not finished alone after this long (or the
# trial timeout, if shorter) ends the check: it waits or spins for other threads.
SEQUENTIAL_THREAD_SECONDS = 3.0
# A run that keeps starting children which never finish a trial is stopped.
MAX_PROCESSES_WITHOUT_A_TRIAL = 5
# Hang detection: after trial_timeout without progress the child's CPU time is probed
# every IDLE_PROBE_SECONDS; below BUSY_CPU_FRACTION of one core it is idle (deadlocked).
IDLE_PROBE_SECONDS = 1.0
BUSY_CPU_FRACTION = 0.05
# A busy child is given this many trial timeouts before it is stopped as too slow.
SLOW_TRIAL_FACTOR = 6
DUMP_WAIT_SECONDS = 1.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as file:
            fields = file.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


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


@dataclass
class ChildOutcome:
    events: list[dict]
    returncode: int | None
    stderr: str
    stdout: str
    # "", "hang" (idle: deadlock), "slow" (busy past the limit), "sequential-timeout"
    killed_by_watchdog: str
    seconds: float
    tsan_reports: list[TsanReport] = field(default_factory=list)


def _run_child(
    python: str,
    config: dict,
    *,
    force_gil_off: bool,
    environment: dict[str, str],
    watchdog_seconds: float,
    workdir: Path,
) -> ChildOutcome:
    results = workdir / "events.jsonl"
    results.write_text("")
    config = dict(config, results=str(results))
    config_path = workdir / "config.json"
    config_path.write_text(json.dumps(config))
    command = [python, "-E", "-s", "-X", "faulthandler"]
    if force_gil_off:
        # Keep the GIL off even though the sample's module did not declare
        # Py_MOD_GIL_NOT_USED (PEP 703: -X gil=0 overrides the per-module request).
        command += ["-X", "gil=0"]
    command += [str(CHILD_SCRIPT), str(config_path)]
    started = time.monotonic()
    verdict_of_watchdog = ""
    with open(workdir / "stdout", "w+b") as stdout, open(workdir / "stderr", "w+b") as stderr:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=environment,
            cwd=str(workdir),
            start_new_session=True,
        )
        last_progress = started
        seen_size = 0
        in_sequential_check = False
        cpu_mark, cpu_mark_time = _cpu_seconds(process.pid), started
        while process.poll() is None:
            time.sleep(_POLL_SECONDS)
            size = results.stat().st_size
            now = time.monotonic()
            if size != seen_size:
                seen_size, last_progress = size, now
                in_sequential_check = _last_event(results) in ("sanity-start", "sanity-progress")
                continue
            if in_sequential_check and now - last_progress > min(watchdog_seconds, SEQUENTIAL_THREAD_SECONDS):
                # The sequential check is only a guard against false alarms: a thread that
                # cannot finish alone (it waits, or spins, for another thread) just means
                # the check does not apply. It is abandoned quickly, never waited out.
                verdict_of_watchdog = "sequential-timeout"
                _kill_group(process)
                break
            # Before the first event the child is still starting and importing the sample.
            limit = watchdog_seconds + (0.0 if seen_size else STARTUP_GRACE_SECONDS)
            if now - last_progress <= limit or now - cpu_mark_time < IDLE_PROBE_SECONDS:
                continue
            # No trial finished for a while. A deadlocked process sleeps (its CPU time
            # stops growing); a slow but correct one keeps computing. Only the first is a
            # hang: calling a merely slow safe sample a race would be a false alarm.
            cpu_now = _cpu_seconds(process.pid)
            busy = cpu_now - cpu_mark >= BUSY_CPU_FRACTION * (now - cpu_mark_time)
            cpu_mark, cpu_mark_time = cpu_now, now
            if busy and now - last_progress <= limit * SLOW_TRIAL_FACTOR:
                continue
            verdict_of_watchdog = "slow" if busy else "hang"
            # faulthandler.register(SIGUSR1) in the child dumps every thread's stack from
            # the signal handler, which works even when all threads are blocked.
            try:
                os.kill(process.pid, signal.SIGUSR1)
                process.wait(timeout=DUMP_WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            except ProcessLookupError:
                pass
            _kill_group(process)
            break
        stdout.seek(0)
        stderr.seek(0)
        out_text = stdout.read().decode(errors="replace")
        err_text = stderr.read().decode(errors="replace")
    events = []
    for line in results.read_text(errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a kill
    return ChildOutcome(
        events=events,
        returncode=process.returncode,
        stderr=err_text,
        stdout=out_text,
        killed_by_watchdog=verdict_of_watchdog,
        seconds=time.monotonic() - started,
    )


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _last_event(results: Path) -> str:
    """The name of the last complete event a child wrote (its file is small)."""
    try:
        lines = results.read_text(errors="replace").splitlines()
        return json.loads(lines[-1]).get("event", "") if lines else ""
    except (OSError, ValueError):
        return ""


def _abnormal_end(outcome: ChildOutcome) -> tuple[FailureKind, str] | None:
    """A child that did not report "done": why."""
    if any(event["event"] == "done" for event in outcome.events):
        return None
    if any(event["event"] in ("trial", "sanity") and not event.get("ok", True) for event in outcome.events):
        return None
    if any(event["event"] == "error" for event in outcome.events):
        return None
    if (
        any(event["event"] == "loaded" and event.get("gil_reenabled") for event in outcome.events)
        and outcome.returncode == 0
    ):
        return None
    if outcome.killed_by_watchdog in ("slow", "sequential-timeout"):
        return None
    if outcome.killed_by_watchdog == "hang":
        return FailureKind.HANG, (
            "the trial stopped making progress with every thread blocked (deadlock); "
            "every thread's stack below"
        )
    if outcome.returncode is not None and outcome.returncode < 0:
        return FailureKind.CRASH, f"the interpreter died from {signal_name(outcome.returncode)}"
    fatal = next(
        (line for line in outcome.stderr.splitlines() if line.startswith("Fatal Python error")), None
    )
    if fatal:
        return FailureKind.CRASH, fatal
    return (
        FailureKind.CRASH,
        f"the interpreter exited with status {outcome.returncode} in the middle of a trial",
    )


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
    environment = child_environment()
    if settings.tsan:
        options = ["halt_on_error=0", "report_signal_unsafe=0", "second_deadlock_stack=1", "history_size=4"]
        if settings.tsan_suppressions:
            options.insert(0, f"suppressions={settings.tsan_suppressions}")
        environment["TSAN_OPTIONS"] = " ".join(options)
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
    watchdog = settings.trial_timeout
    force_gil_off = False
    started = time.monotonic()
    sanity_done = False
    scratch_runs: list[int] = []

    def report(phase: str) -> None:
        if progress:
            progress(
                ProgressUpdate(
                    sample.name,
                    label,
                    phase,
                    run.trials,
                    run.failures,
                    time.monotonic() - started,
                    settings.budget,
                )
            )

    report("trials")
    with tempfile.TemporaryDirectory(prefix="ftaudit-hammer-") as scratch:
        workdir = Path(scratch)
        while True:
            elapsed = time.monotonic() - started
            remaining = settings.budget - elapsed
            # The budget ends the run, but only after at least one concurrent trial.
            if remaining <= 0 and sanity_done and run.trials > 0:
                break
            # Every other child runs a single trial: a race that can only happen on first use
            # (lazy initialisation without a reset) gets a fresh first use twice as often,
            # while the other children amortise interpreter start-up over many trials.
            trials_this_child = 1 if len(scratch_runs) % 2 else settings.trials_per_process
            config = dict(
                base_config,
                first_trial=run.trials + 1,
                sanity=not sanity_done,
                time_slice=max(0.0, min(settings.time_slice, remaining)),
                max_trials=trials_this_child,
            )
            if len(scratch_runs) > MAX_PROCESSES_WITHOUT_A_TRIAL and run.trials == 0:
                run.verdict = HammerVerdict.ERROR
                run.notes.append("no trial could be run (every child ended before finishing one)")
                break
            scratch_runs.append(1)
            outcome = _run_child(
                build.python,
                config,
                force_gil_off=force_gil_off,
                environment=environment,
                watchdog_seconds=watchdog,
                workdir=workdir,
            )
            events = outcome.events
            loaded = next((event for event in events if event["event"] == "loaded"), None)
            if loaded and loaded.get("gil_reenabled") and not force_gil_off:
                force_gil_off = True
                run.notes.append(
                    f"{GIL_REENABLED_NOTE}: importing the sample turned the GIL back on (its module does not "
                    "declare Py_mod_gil = Py_MOD_GIL_NOT_USED), so a plain run would not be a free-threaded "
                    "run. "
                    "The trials were run with -X gil=0 to keep the GIL off; users of this module get the GIL "
                    "unless they do the same."
                )
                continue
            error = next((event for event in events if event["event"] == "error"), None)
            if error:
                run.verdict = HammerVerdict.ERROR
                run.notes.append(f"could not run the sample ({error['stage']}): {error['message']}")
                run.failure_examples.append(
                    TrialFailure(FailureKind.EXCEPTION, error["message"], 0, 0.0, error.get("detail", ""))
                )
                break
            sanity = next((event for event in events if event["event"] == "sanity"), None)
            if not sanity_done:
                if sanity and not sanity["ok"]:
                    run.verdict = HammerVerdict.ERROR
                    run.notes.append(
                        f"the scenario fails with its threads run one after another, so this is not "
                        f"a race: {sanity['message']} (in {sanity['stage']})"
                    )
                    run.failure_examples.append(
                        TrialFailure(
                            FailureKind(sanity["kind"]), sanity["message"], 0, 0.0, sanity.get("detail", "")
                        )
                    )
                    break
                if loaded is None:
                    abnormal = _abnormal_end(outcome)
                    run.verdict = HammerVerdict.ERROR
                    run.notes.append(
                        "the child interpreter failed before loading the sample: "
                        + (abnormal[1] if abnormal else "no answer")
                    )
                    run.failure_examples.append(
                        TrialFailure(FailureKind.CRASH, run.notes[-1], 0, 0.0, outcome.stderr[-20000:])
                    )
                    break
                if sanity is None:
                    abnormal = _abnormal_end(outcome)
                    if outcome.killed_by_watchdog in ("slow", "sequential-timeout"):
                        run.notes.append(
                            "the sequential check was skipped: run one after another, a thread of "
                            "the scenario did not finish alone (it waits or spins for the others)"
                        )
                        sanity_done = True
                        continue
                    if abnormal and abnormal[0] is FailureKind.HANG:
                        # The threads wait for each other (a producer and a consumer, a
                        # barrier in the state): they cannot run one after another. Not an
                        # error; the concurrent trials go on without this check.
                        run.notes.append(
                            "the sequential check was skipped: run one after another, the "
                            "scenario's threads blocked (they wait for each other)"
                        )
                        sanity_done = True
                        continue
                    message = abnormal[1] if abnormal else "no answer"
                    run.verdict = HammerVerdict.ERROR
                    run.notes.append(
                        f"the scenario fails with its threads run one after another, so this is not "
                        f"a race: {message}"
                    )
                    run.failure_examples.append(
                        TrialFailure(
                            abnormal[0] if abnormal else FailureKind.CRASH,
                            message,
                            0,
                            0.0,
                            outcome.stderr[-20000:],
                        )
                    )
                    break
                sanity_done = True
            seconds_into_run = time.monotonic() - started
            finished = [event for event in events if event["event"] == "trial"]
            run.trials += len(finished)
            failed = [event for event in finished if not event["ok"]]
            for event in failed:
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
                    f"a trial was still computing after {watchdog * SLOW_TRIAL_FACTOR:.0f} s and was stopped;"
                    " "
                    "it is not counted as a race. Lower ITERATIONS (or --iterations) so a trial takes well "
                    "under the trial timeout; the result is PARTIAL."
                )
                break
            abnormal = _abnormal_end(outcome)
            if abnormal:
                started_trials = [event["trial"] for event in events if event["event"] == "trial-start"]
                trial = started_trials[-1] if started_trials else run.trials + 1
                run.trials += 1
                run.failures += 1
                run.failure_examples.append(
                    TrialFailure(abnormal[0], abnormal[1], trial, seconds_into_run, outcome.stderr[-20000:])
                )
            if settings.tsan:
                reports = reports_touching(parse_tsan_reports(outcome.stderr), sample)
                if reports:
                    run.failures += 1
                    for tsan_report in reports:
                        # Kept between TSan's own separators so the detail parses again.
                        detail = f"{TSAN_SEPARATOR}\n{tsan_report.text}\n{TSAN_SEPARATOR}\n"
                        run.failure_examples.append(
                            TrialFailure(
                                FailureKind.TSAN, tsan_report.summary, run.trials, seconds_into_run, detail
                            )
                        )
            if run.failures and run.first_failure_seconds is None:
                run.first_failure_seconds = seconds_into_run
            report("trials")
            if run.failures and settings.stop_at_first_failure:
                break
        run.seconds = time.monotonic() - started
        if run.failures:
            run.verdict = HammerVerdict.RACE
        if settings.throughput and settings.tsan:
            run.notes.append("throughput not measured under ThreadSanitizer (it slows code 5-15x)")
        elif run.verdict is not HammerVerdict.ERROR and settings.throughput:
            report("throughput")
            _measure_throughput(
                run, sample, build, settings, base_config, force_gil_off, environment, workdir
            )
    report("done")
    return run


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
    outcome = _run_child(
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
    abnormal = _abnormal_end(outcome)
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
