"""How fast the binary reader gets through a real environment.

    python benchmarks/bench_binary.py SITE_PACKAGES [--target 3.13t] [--jobs N] [--repeat 2]

Analyses every ``*.so`` under the folder with :func:`auditor.engine.binary_checks.analyse_extension`
(bundled libraries without ``PyInit_*`` included, as a scan meets them) and prints
modules/s per pass plus the slowest modules. The first pass reads files from disk (or
the page cache: this script does not drop it); later passes show the CPU cost alone.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.engine.binary_checks import analyse_extension


def _analyse(arguments: tuple[Path, Path, str]) -> tuple[str, float, str, bool]:
    path, site, target = arguments
    started = time.perf_counter()
    extension, _findings = analyse_extension(path, site, target)
    return extension.module, time.perf_counter() - started, extension.gil.value, bool(extension.errors)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("site_packages", type=Path)
    parser.add_argument("--target", default="3.13t")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the same files (default 2)")
    args = parser.parse_args()
    files = sorted(path for path in args.site_packages.rglob("*.so") if path.is_file())
    if not files:
        print(f"no .so files under {args.site_packages}", file=sys.stderr)
        return 2
    work = [(path, args.site_packages, args.target) for path in files]
    print(
        f"{len(files)} shared objects under {args.site_packages}, target {args.target}, "
        f"jobs {args.jobs}, {os.cpu_count()} CPUs"
    )
    for number in range(1, args.repeat + 1):
        started = time.perf_counter()
        if args.jobs > 1:
            with ProcessPoolExecutor(args.jobs) as pool:
                results = list(pool.map(_analyse, work, chunksize=8))
        else:
            results = [_analyse(item) for item in work]
        elapsed = time.perf_counter() - started
        verdicts = Counter(gil for _module, _seconds, gil, _error in results)
        errors = sum(error for *_rest, error in results)
        print(
            f"pass {number}: {elapsed:.2f} s, {len(results) / elapsed:.0f} modules/s, "
            f"median {sorted(r[1] for r in results)[len(results) // 2] * 1000:.1f} ms; "
            f"gil {dict(verdicts)}; {errors} with errors"
        )
    slowest = sorted(results, key=lambda result: result[1], reverse=True)[:5]
    print("slowest: " + ", ".join(f"{module} {seconds * 1000:.0f} ms" for module, seconds, _g, _e in slowest))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
