"""Measure scan_source cold and warm on a real numpy + scipy + pandas tree.

    .venv/bin/python benchmarks/bench_source.py                  # installs into ~/.cache/ftaudit/bench-env
    .venv/bin/python benchmarks/bench_source.py --site DIR       # an existing site-packages
    .venv/bin/python benchmarks/bench_source.py --jobs 1         # one worker

Prints seconds, files/s and lines/s for a cold scan (empty cache) and a warm one (same
cache), plus how many files the pre-filter let through to the parsers. The issue's
budget on the 2-core reference machine: cold <= 15 s, warm <= 2 s. Figures are printed,
never asserted: timing depends on the machine and on what else it runs (the load
average is printed next to them for that reason).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SITE = Path.home() / ".cache" / "ftaudit" / "bench-env" / "site"
PACKAGES = ["numpy", "scipy", "pandas"]


def ensure_site(site: Path) -> None:
    if all((site / package).is_dir() for package in PACKAGES):
        return
    site.mkdir(parents=True, exist_ok=True)
    print(f"installing {' '.join(PACKAGES)} into {site} ...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(site), *PACKAGES], check=True
    )


def count_lines(paths: list[Path]) -> tuple[int, int]:
    from auditor.engine.source_checks import language_for

    files = lines = 0
    for root in paths:
        for path in root.rglob("*"):
            if language_for(path) and path.is_file():
                files += 1
                with open(path, "rb") as handle:
                    lines += handle.read().count(b"\n")
    return files, lines


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=DEFAULT_SITE)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    ensure_site(args.site)
    from auditor.pipelines.source_scan import scan_source

    paths = [args.site / package for package in PACKAGES]
    files, lines = count_lines(paths)
    print(
        f"tree: {files} source files, {lines:,} lines ({', '.join(PACKAGES)}); "
        f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="ftaudit-bench-cache-") as cache:
        for label in ("cold", "warm"):
            started = time.perf_counter()
            result = scan_source(paths, cache_dir=Path(cache), jobs=args.jobs)
            seconds = time.perf_counter() - started
            print(
                f"{label}: {seconds:6.2f} s  {files / seconds:8.0f} files/s  {lines / seconds:10,.0f} "
                "lines/s  "
                f"parsed {result.files_parsed}, from cache {result.files_from_cache}, "
                f"findings {len(result.findings)}, problems {len(result.problems)}  "
                f"(load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
