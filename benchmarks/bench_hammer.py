"""How fast the harness finds races, and what it costs per trial.

Prints, for every racy sample in ext_samples/: the time to the first failure on the
free-threaded interpreter over several repetitions (median and max) and the trials it
took; then the harness's own overheads: a build-cache hit, and the cost of one trial
when every trial gets a fresh process versus the default of several trials per process.

    .venv/bin/python benchmarks/bench_hammer.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from auditor.collectors.harness.build import build_sample
from auditor.collectors.harness.build.toolchain import query_toolchain
from auditor.collectors.harness.runner import RunSettings, hammer_interpreter
from auditor.collectors.harness.sample import find_sample_folders, load_sample
from auditor.collectors.interpreters.discovery import default_free_threaded, default_gil_baseline

REPO = Path(__file__).resolve().parent.parent


def time_to_first_failure(repeat: int, python: str, label: str, free_threaded: bool) -> None:
    print(f"time to first failure on {label} ({repeat} runs each, budget 30 s)")
    print(f"  {'sample':28} {'median s':>9} {'max s':>7} {'trials (median)':>16} {'found':>6}")
    for folder in find_sample_folders(REPO / "ext_samples"):
        sample = load_sample(folder)
        if sample.expect == "safe" or (sample.expect == "race-without-gil" and not free_threaded):
            continue
        build = build_sample(sample, python)
        if not build.ok:
            print(f"  {sample.name:28} build failed")
            continue
        seconds, trials, found = [], [], 0
        for _ in range(repeat):
            settings = RunSettings(
                threads=sample.default_threads,
                iterations=sample.default_iterations,
                budget=30.0,
                throughput=False,
            )
            run = hammer_interpreter(
                sample, build, label=label, free_threaded=free_threaded, settings=settings
            )
            if run.first_failure_seconds is not None:
                found += 1
                seconds.append(run.first_failure_seconds)
                trials.append(run.trials)
        if seconds:
            print(
                f"  {sample.name:28} {statistics.median(seconds):9.2f} {max(seconds):7.2f} "
                f"{statistics.median(trials):16.0f} {found:>3}/{repeat}"
            )
        else:
            print(f"  {sample.name:28} {'-':>9} {'-':>7} {'-':>16} {found:>3}/{repeat}")


def overheads(python: str, label: str) -> None:
    sample = load_sample(REPO / "ext_samples" / "static_counter_atomic")
    build_sample(sample, python)  # make sure the cache holds it
    cold, warm = [], []
    for _ in range(10):
        query_toolchain.cache_clear()  # as in a new ftaudit process: ask the interpreter again
        started = time.perf_counter()
        assert build_sample(sample, python).cached
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert build_sample(sample, python).cached
        warm.append(time.perf_counter() - started)
    print(f"overheads on {label}")
    print(
        f"  build-cache hit, first sample of a run (asks the interpreter for its sysconfig): "
        f"median {statistics.median(cold) * 1000:.1f} ms"
    )
    print(f"  build-cache hit, later samples: median {statistics.median(warm) * 1000:.2f} ms")
    build = build_sample(sample, python)
    # A near-empty trial (2 threads, 1 iteration) measures the harness, not the sample.
    for trials_per_process, name in (
        (1, "fresh process per trial"),
        (25, "default (1 and up to 25, alternating)"),
    ):
        settings = RunSettings(
            threads=2, iterations=1, budget=3.0, throughput=False, trials_per_process=trials_per_process
        )
        run = hammer_interpreter(sample, build, label=label, free_threaded=True, settings=settings)
        print(
            f"  {name:34}: {run.trials} trials in {run.seconds:.2f} s = "
            f"{run.seconds / max(run.trials, 1) * 1000:.1f} ms per trial"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    target = default_free_threaded()
    if target is None:
        print("no free-threaded interpreter (ftaudit provision)", file=sys.stderr)
        return 2
    time_to_first_failure(args.repeat, target.executable, target.label, True)
    baseline = default_gil_baseline(target.version)
    if baseline:
        time_to_first_failure(args.repeat, baseline.executable, baseline.label, False)
    overheads(target.executable, target.label)
    return 0


if __name__ == "__main__":
    sys.exit(main())
