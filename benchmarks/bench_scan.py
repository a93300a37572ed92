"""Benchmark `scan` on a real free-threaded environment (numpy, scipy, pandas, pillow and
about 35 more distributions with cp313t wheels; see _environments.py).

Prints, for a cold scan (empty cache) with each worker pool and a warm scan (every
analysis cached): seconds, distributions/s and extension modules/s. With the probe
(default on; --no-probe to skip), also the share of extension modules whose static GIL
verdict agrees with what importing them did, and every disagreement.

Run: ``.venv/bin/python benchmarks/bench_scan.py [--no-probe] [--jobs N]``
The acceptance figures: a whole scan under 10 s, agreement >= 99 %.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _environments import bench_env  # noqa: E402

from auditor.model.environment import RuntimeGil  # noqa: E402
from auditor.pipelines.scan import scan  # noqa: E402


def describe(label: str, seconds: float, result) -> None:
    distributions = len(result.distributions)
    extensions = sum(len(d.extensions) for d in result.distributions)
    print(
        f"{label:<28} {seconds:7.2f} s  {distributions / seconds:8.1f} distributions/s  "
        f"{extensions / seconds:8.1f} extension modules/s  ({distributions} distributions,"
        f" {extensions} extension modules, {result.extensions_from_cache} from cache)"
    )


def timed(**kwargs):
    started = time.perf_counter()
    result = scan(**kwargs)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--no-probe", action="store_true", help="skip the probe run (agreement figures)")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()

    python, record = bench_env(log=lambda message: print(message, file=sys.stderr))
    print(
        f"environment: {python} ({len(record['installed'])} requested packages installed,"
        f" {len(record['failed'])} without a cp313t wheel: {', '.join(record['failed']) or 'none'})"
    )
    with tempfile.TemporaryDirectory() as scratch:
        cache = Path(scratch) / "cache"
        seconds, thread_result = timed(
            python=python, cache_dir=Path(scratch) / "thread-cache", jobs=args.jobs, pool="thread"
        )
        describe("cold scan, thread pool", seconds, thread_result)
        seconds, cold = timed(python=python, cache_dir=cache, jobs=args.jobs, pool="process")
        describe("cold scan, process pool", seconds, cold)
        seconds, warm = timed(python=python, cache_dir=cache, jobs=args.jobs)
        describe("warm scan (cached)", seconds, warm)
        verdicts: dict[str, int] = {}
        for distribution in warm.distributions:
            verdicts[distribution.verdict.value] = verdicts.get(distribution.verdict.value, 0) + 1
        print("verdicts:", ", ".join(f"{name} {count}" for name, count in sorted(verdicts.items())))
        undecided = [
            (d.name, e.module, e.gil_evidence or "; ".join(e.errors))
            for d in warm.distributions
            for e in d.extensions
            if e.gil.value == "unknown"
        ]
        print(f"extension modules with gil=unknown: {len(undecided)}")
        for name, module, why in undecided[:20]:
            print(f"  {name}: {module}: {why[:160]}")
        if args.no_probe:
            return 0
        seconds, probed = timed(python=python, cache_dir=cache, jobs=args.jobs, probe=True)
        describe("warm scan + probe", seconds, probed)
        compared = agreed = 0
        unobserved = 0
        disagreements = []
        for distribution in probed.distributions:
            for extension in distribution.extensions:
                if extension.runtime_gil not in (RuntimeGil.ENABLED, RuntimeGil.DISABLED):
                    if extension.runtime_gil is not None:
                        unobserved += 1
                    continue
                if extension.agrees_with_runtime is None:
                    unobserved += 1
                    continue
                compared += 1
                if extension.agrees_with_runtime:
                    agreed += 1
                else:
                    disagreements.append(
                        (
                            distribution.name,
                            extension.module,
                            extension.gil.value,
                            extension.runtime_gil.value,
                            extension.gil_evidence,
                        )
                    )
        share = 100.0 * agreed / compared if compared else 0.0
        print(
            f"static vs runtime: {agreed} of {compared} extension modules agree ({share:.1f} %);"
            f" {unobserved} not observable (import error, crash, timeout, or GIL enabled by another module)"
        )
        for name, module, static, runtime, evidence in disagreements:
            print(f"  DISAGREE {name}: {module}: static {static}, runtime {runtime} ({evidence[:120]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
