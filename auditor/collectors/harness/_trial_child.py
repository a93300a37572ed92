"""The child side of the harness: run by the TARGET interpreter, standard library only.

Invoked as ``python -X faulthandler ... _trial_child.py CONFIG.json``. It loads the built
sample and ``scenario.py``, then either runs trials (``mode = "trials"``) or measures
throughput (``mode = "throughput"``). Every event is one JSON line appended to the
results file and flushed at once, so the parent knows how far a child got even when it
is killed by a signal or by the hang watchdog. Nothing here is imported by the auditor.
"""

from __future__ import annotations

import faulthandler
import importlib
import importlib.util
import json
import os
import signal
import sys
import threading
import time
import traceback
import types

# Running a file puts its folder first on sys.path; the harness's own modules must not
# shadow a sample's imports (a sample may well have a module called "sample").
_HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == _HERE:
    del sys.path[0]


class Reporter:
    def __init__(self, path: str) -> None:
        self._file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - lives as long as the child

    def event(self, **fields) -> None:
        self._file.write(json.dumps(fields) + "\n")
        self._file.flush()


def _load_module_from(path: str, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_sample_module(load: dict) -> object:
    """What the scenario gets as ``mod``."""
    route = load["route"]
    sys.path.insert(0, load["directory"])
    if route == "capi":
        return importlib.import_module(load["module"])
    if route == "cffi":
        compiled = importlib.import_module(load["module"])
        return types.SimpleNamespace(ffi=compiled.ffi, lib=compiled.lib)
    if route == "cffi-ctypes":
        shim = _load_module_from(os.path.join(_HERE, "_ctypes_ffi.py"), "_ftaudit_ctypes_ffi")
        with open(load["description"], encoding="utf-8") as file:
            description = json.load(file)
        ffi, lib = shim.open_library(load["library"], description)
        return types.SimpleNamespace(ffi=ffi, lib=lib)
    raise SystemExit(f"unknown build route {route!r}")


def _describe(error: BaseException) -> tuple[str, str, str]:
    kind = "wrong-result" if isinstance(error, AssertionError) else "exception"
    message = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    detail = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return kind, message, detail


def run_threads(scenario, mod, state, threads: int, iterations: int) -> BaseException | None:
    """Release ``threads`` threads together on a barrier; return the first error raised."""
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def body(index: int) -> None:
        try:
            barrier.wait()
            scenario.work(mod, state, index, iterations)
        except BaseException as error:  # noqa: BLE001 - every error is a finding
            errors.append(error)

    workers = [
        threading.Thread(target=body, args=(index,), name=f"hammer-{index}") for index in range(threads)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        return errors[0]
    return None


def one_trial(scenario, mod, threads: int, iterations: int) -> tuple[str, BaseException] | None:
    try:
        state = scenario.setup(mod)
    except BaseException as error:  # noqa: BLE001
        return "setup", error
    error = run_threads(scenario, mod, state, threads, iterations)
    if error is not None:
        return "work", error
    try:
        scenario.check(mod, state, threads, iterations)
    except BaseException as error:  # noqa: BLE001
        return "check", error
    return None


def sequential_trial(
    scenario, mod, threads: int, iterations: int, reporter: Reporter
) -> tuple[str, BaseException] | None:
    """A trial whose threads run one at a time (each in its own thread, as in a real one)."""
    try:
        state = scenario.setup(mod)
    except BaseException as error:  # noqa: BLE001
        return "setup", error
    for index in range(threads):
        errors: list[BaseException] = []

        def body(index: int = index, errors: list[BaseException] = errors) -> None:
            try:
                scenario.work(mod, state, index, iterations)
            except BaseException as error:  # noqa: BLE001
                errors.append(error)

        worker = threading.Thread(target=body, name=f"sequential-{index}")
        worker.start()
        worker.join()
        # Progress for the parent's hang watchdog: each thread gets its own timeout.
        reporter.event(event="sanity-progress", thread=index)
        if errors:
            return "work", errors[0]
    try:
        scenario.check(mod, state, threads, iterations)
    except BaseException as error:  # noqa: BLE001
        return "check", error
    return None


def run_trials(config: dict, reporter: Reporter, scenario, mod) -> None:
    threads, iterations = config["threads"], config["iterations"]
    if config.get("sanity"):
        reporter.event(event="sanity-start")
        # A race needs two threads running at once. The same trial with the threads run
        # one after another cannot race; if it fails, the scenario or the code is wrong
        # in itself, and calling that a race would be a false alarm.
        failed = sequential_trial(scenario, mod, threads, iterations, reporter)
        if failed is not None:
            stage, error = failed
            kind, message, detail = _describe(error)
            reporter.event(event="sanity", ok=False, stage=stage, kind=kind, message=message, detail=detail)
            return
        reporter.event(event="sanity", ok=True)
    if config.get("switch_interval") and _gil_enabled():
        # With the GIL, a thread switch can only happen between bytecodes (or where C code
        # releases the GIL); switching far more often than the default 5 ms shows races
        # in Python-level read-modify-write sequences quickly, and cannot split a C call
        # that holds the GIL throughout (what the GIL really protects).
        sys.setswitchinterval(config["switch_interval"])
    started = time.monotonic()
    trial = config["first_trial"]
    while True:
        reporter.event(event="trial-start", trial=trial)
        failed = one_trial(scenario, mod, threads, iterations)
        if failed is not None:
            stage, error = failed
            kind, message, detail = _describe(error)
            reporter.event(
                event="trial", trial=trial, ok=False, stage=stage, kind=kind, message=message, detail=detail
            )
            return
        reporter.event(event="trial", trial=trial, ok=True)
        trial += 1
        if (
            trial - config["first_trial"] >= config["max_trials"]
            or time.monotonic() - started >= config["time_slice"]
        ):
            return


def measure_throughput(config: dict, reporter: Reporter, scenario, mod) -> None:
    """Time a fixed amount of work: the trial's THREADS work() calls of ITERATIONS each.

    Done twice, each repeated on a fresh ``setup()`` state for the measuring budget (at
    least ``MIN_REPETITIONS`` times) and timed from the release of the threads to the last
    join: by THREADS threads at once, then one call after another on a single thread.
    Both do the same calls, so their ratio is the speedup threads give and cannot exceed
    the number of cores for CPU work. The old loop (call ``work`` in chunks until a
    deadline, on one state) counted calls that did nothing once the state said "done": a
    sample whose writers loop until the readers finish scored 1.3 billion calls/s on 2
    cores. Errors are counted, not raised: a racy sample is still measured.
    """
    threads, iterations = config["threads"], config["iterations"]
    budget = config["throughput_seconds"]
    together: float | None = None
    for measured_threads in (threads, 1):
        best: float | None = None
        repetitions = errors = 0
        started = time.perf_counter()
        while repetitions < MIN_REPETITIONS or (
            time.perf_counter() - started < budget and repetitions < MAX_REPETITIONS
        ):
            try:
                state = scenario.setup(mod)
            except BaseException as error:  # noqa: BLE001
                reporter.event(
                    event="throughput-error", threads=measured_threads, message=_describe(error)[1]
                )
                return
            if measured_threads == 1:
                # Run one after another, a scenario whose threads wait for each other never
                # finishes; with no CPU in parallel the work takes at most ~threads times
                # as long as together, so far longer than that means it is stuck.
                limit = max(SEQUENTIAL_FLOOR_SECONDS, 4 * threads * (together or 0.0))
                timed = _timed_one_after_another(scenario, mod, state, threads, iterations, limit)
                if timed is None:
                    reporter.event(event="throughput-sequential-timeout", threads=1, limit=limit)
                    return
                seconds, failed = timed
            else:
                seconds, failed = _timed_together(scenario, mod, state, threads, iterations)
            errors += failed
            repetitions += 1
            best = seconds if best is None else min(best, seconds)
            # Progress for the parent's watchdog: each repetition counts as one step.
            reporter.event(event="throughput-progress", threads=measured_threads, repetition=repetitions)
        calls = threads * iterations
        if measured_threads != 1:
            together = best
        reporter.event(
            event="throughput",
            threads=measured_threads,
            calls=calls,
            seconds=best,
            repetitions=repetitions,
            calls_per_second=calls / best if best else 0.0,
            errors=errors,
        )


# At least this many timings of each kind, the best one kept (the least disturbed by
# other processes); at most MAX_REPETITIONS within the budget.
MIN_REPETITIONS = 3
MAX_REPETITIONS = 50
SEQUENTIAL_FLOOR_SECONDS = 2.0


def _timed_together(scenario, mod, state, threads: int, iterations: int) -> tuple[float, int]:
    """Seconds from releasing ``threads`` threads (each one work() call) to the last join."""
    # The clock starts in the barrier's action, which runs before any thread is let go:
    # read after barrier.wait() in this thread, it could start after the workers had already
    # run (on 2 cores the scheduler may not come back here first), and 120,000 calls then
    # "took" 85 microseconds.
    started: list[float] = []
    barrier = threading.Barrier(threads + 1, action=lambda: started.append(time.perf_counter()))
    failed = [0]

    def body(index: int) -> None:
        barrier.wait()
        try:
            scenario.work(mod, state, index, iterations)
        except Exception:  # noqa: BLE001 - counted: a racy sample is still measured
            failed[0] += 1

    workers = [threading.Thread(target=body, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    for worker in workers:
        worker.join()
    return time.perf_counter() - started[0], failed[0]


def _timed_one_after_another(
    scenario, mod, state, threads: int, iterations: int, limit: float
) -> tuple[float, int] | None:
    """The same work() calls, thread index by thread index, on one worker thread; None
    when they do not finish within ``limit`` seconds (the worker is left behind: the
    child ends with os._exit)."""
    failed = [0]
    elapsed = [0.0]

    def body() -> None:
        start = time.perf_counter()
        for index in range(threads):
            try:
                scenario.work(mod, state, index, iterations)
            except Exception:  # noqa: BLE001
                failed[0] += 1
        elapsed[0] = time.perf_counter() - start

    worker = threading.Thread(target=body, name="throughput-one-thread", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        return None
    return elapsed[0], failed[0]


def _gil_enabled() -> bool:
    check = getattr(sys, "_is_gil_enabled", None)
    return True if check is None else bool(check())


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as file:
        config = json.load(file)
    # The parent's hang watchdog sends SIGUSR1 to get every thread's stack; faulthandler
    # writes it from the signal handler, so it works while all threads are blocked.
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    reporter = Reporter(config["results"])
    sys.path.insert(0, config["sample_dir"])
    free_threaded = hasattr(sys, "_is_gil_enabled")
    gil_before = _gil_enabled()
    try:
        mod = load_sample_module(config["load"])
    except BaseException as error:  # noqa: BLE001
        _, message, detail = _describe(error)
        reporter.event(event="error", stage="import", message=message, detail=detail)
        return 0
    gil_after = _gil_enabled()
    reporter.event(
        event="loaded",
        gil_enabled=gil_after,
        free_threaded=free_threaded,
        gil_reenabled=bool(free_threaded and not gil_before and gil_after),
    )
    if free_threaded and not gil_before and gil_after and config.get("stop_if_gil_reenabled"):
        # The extension did not declare Py_mod_gil = Py_MOD_GIL_NOT_USED, so CPython 3.13t
        # turned the GIL back on (Python/import.c): this would not be a free-threaded run.
        return 0
    try:
        scenario = _load_module_from(config["scenario"], "scenario")
    except BaseException as error:  # noqa: BLE001
        _, message, detail = _describe(error)
        reporter.event(event="error", stage="scenario", message=message, detail=detail)
        return 0
    if config["mode"] == "throughput":
        measure_throughput(config, reporter, scenario, mod)
    else:
        run_trials(config, reporter, scenario, mod)
    reporter.event(event="done")
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter finalisation: a sample's leaked threads or broken module state
    # must not turn a finished run into a hang or a crash at exit.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
