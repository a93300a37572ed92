"""How fast `ftaudit survey` reads wheels: the local process pool versus a Dask LocalCluster.

Serves the real free-threaded wheels the tests use (38 judgements, ~111 MB, from
tests/data/free_threaded_wheels.json plus two compiled here) through the tests' local
index on 127.0.0.1, and surveys them cold (no result store) with each engine:

    .venv/bin/python benchmarks/bench_survey.py [--workers 2] [--repeat 2] [--latency-ms 0]

Prints wheels/s and MB/s per engine (cluster start-up timed apart), the per-wheel cost
split (download versus analysis, measured on the workers), and from that cost model an
estimate of the cluster needed to survey the top 8,000 projects. Downloads over loopback
cost almost nothing, so the estimate takes the network from --bandwidth-mb-s and
--rtt-ms (per worker); change them to the link the cluster will have.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _survey_helpers import REAL_PROJECTS, survey_index

from auditor.pipelines.survey import LocalPoolEngine, ProjectEntry, run_survey

PROJECTS = [*REAL_PROJECTS, "coreproj", "sdistproj", "pureproj"]


def survey_once(index_url: str, engine, cache: Path):
    entries = [ProjectEntry(name, rank) for rank, name in enumerate(PROJECTS, start=1)]
    started = time.perf_counter()
    result = run_survey(entries, index_url=index_url, engine=engine, store=None, cache_dir=cache)
    return result, time.perf_counter() - started


def wheels_of(result):
    seen = {}
    for project in result.projects:
        for status in project.targets:
            for release in (status.latest, status.first_ready):
                if release and release.wheel:
                    seen[(release.wheel.sha256, release.wheel.target)] = release.wheel
    return list(seen.values())


def report(label: str, runs: list[tuple[object, float]]) -> None:
    best_result, best_seconds = min(runs, key=lambda pair: pair[1])
    megabytes = best_result.stats.bytes_downloaded / 2**20
    wheels = best_result.stats.wheels_judged
    print(
        f"{label:<28} {wheels} wheels, {megabytes:.0f} MB in {best_seconds:5.2f} s (best of {len(runs)}):"
        f" {wheels / best_seconds:5.1f} wheels/s, {megabytes / best_seconds:5.1f} MB/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="simulated round trip of the local index"
    )
    parser.add_argument("--projects", type=int, default=8000, help="projects in the estimate")
    parser.add_argument(
        "--bandwidth-mb-s", type=float, default=20.0, help="estimate: download MB/s per worker"
    )
    parser.add_argument("--rtt-ms", type=float, default=50.0, help="estimate: round trip per download")
    parser.add_argument("--hours", type=float, default=1.0, help="estimate: wanted wall time")
    args = parser.parse_args()

    import distributed

    from auditor.pipelines.survey.engines.dask_cluster import DaskEngine

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        with survey_index(folder / "wheels", latency_seconds=args.latency_ms / 1000) as index:
            survey_once(index.url, LocalPoolEngine(1), folder / "warm-up")  # page cache, compiled fixtures
            # One pool for every repeat, as one cluster serves every Dask repeat: best-of then
            # compares warm workers with warm workers (start-up is printed apart for both).
            local_engine = LocalPoolEngine(args.workers)
            local_runs = [survey_once(index.url, local_engine, folder / "local-0")]
            local_start_up = local_runs[0][1]
            for attempt in range(1, args.repeat + 1):
                local_runs.append(survey_once(index.url, local_engine, folder / f"local-{attempt}"))
            local_engine.close()
            started = time.perf_counter()
            cluster = distributed.LocalCluster(
                n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None,
            )  # fmt: skip
            client = distributed.Client(cluster)
            start_up = time.perf_counter() - started
            dask_runs = []
            for attempt in range(args.repeat + 1):
                dask_runs.append(
                    survey_once(index.url, DaskEngine(client=client), folder / f"dask-{attempt}")
                )
            client.close()
            cluster.close()

    print(f"survey of {len(PROJECTS)} projects x 3 targets on {args.workers} worker process(es), cold store")
    report(f"local pool ({args.workers} processes)", local_runs[1:])
    report(f"Dask LocalCluster ({args.workers} workers)", dask_runs[1:])
    print(
        f"first run, cold workers: local pool {local_start_up:.2f} s (pool start included);"
        f" Dask {dask_runs[0][1]:.2f} s + {start_up:.1f} s cluster start-up"
    )

    wheels = wheels_of(min(dask_runs, key=lambda pair: pair[1])[0])
    sizes = [wheel.size_bytes / 2**20 for wheel in wheels]
    download = [wheel.download_seconds for wheel in wheels]
    analysis = [wheel.analysis_seconds for wheel in wheels]
    mean_size = statistics.mean(sizes)
    analysis_per_mb = sum(analysis) / sum(sizes)
    print("\nper-wheel cost, measured on the workers:")
    median_size = statistics.median(sizes)
    print(f"  size          mean {mean_size:5.2f} MB, median {median_size:5.2f} MB, max {max(sizes):.1f} MB")
    print(f"  download      mean {statistics.mean(download) * 1000:6.1f} ms over loopback")
    mean_analysis, median_analysis = statistics.mean(analysis), statistics.median(analysis)
    print(
        f"  analysis      mean {mean_analysis * 1000:6.1f} ms, median {median_analysis * 1000:.1f} ms,"
        f" {analysis_per_mb * 1000:.1f} ms/MB (unzip + ELF + disassembly)"
    )
    network = args.rtt_ms / 1000 + mean_size / args.bandwidth_mb_s
    per_wheel = network + mean_analysis
    print(
        f"  model         {network * 1000:.0f} ms download ({args.bandwidth_mb_s:g} MB/s,"
        f" {args.rtt_ms:g} ms RTT)"
        f" + {mean_analysis * 1000:.0f} ms analysis = {per_wheel * 1000:.0f} ms per wheel per worker"
    )
    print(
        f"\nestimate for the top {args.projects:,} projects, 3 targets, newest + first free-threaded release:"
    )
    # Only projects with compiled code ship target wheels; the share is an input, not a measurement.
    for share in (0.1, 0.3, 1.0):
        count = int(args.projects * share * 3 * 2)
        worker_hours = count * per_wheel / 3600
        workers = max(1, math.ceil(worker_hours / args.hours))
        gigabytes = count * mean_size / 1024
        print(
            f"  {share:>4.0%} ship compiled wheels: <= {count:>6,} wheels, {gigabytes:6.1f} GB,"
            f" {worker_hours:5.1f} worker-hours -> {workers} worker(s) for {args.hours:g} h"
        )
    print("  (upper bounds: a first free-threaded release that is also the newest is read once)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
