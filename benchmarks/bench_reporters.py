"""Render a large audit with every reporter and print the time each takes.

The report is built from the realistic samples the reporter tests use, with the scan's
distributions replicated to ``--distributions`` (default 2,400: a large monorepo's
environment), so the figures show what a big CI job pays for each output format.

    .venv/bin/python benchmarks/bench_reporters.py [--distributions N]
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _report_samples import full_report  # noqa: E402

from auditor.reporters import available_reporters  # noqa: E402


def large_report(distribution_count: int):
    report = full_report()
    template = report.scan.distributions
    distributions = []
    for index in range(distribution_count):
        distribution = copy.deepcopy(template[index % len(template)])
        distribution.name = f"{distribution.name}-{index}"
        for finding in distribution.findings:
            finding.distribution = distribution.name
        distributions.append(distribution)
    report.scan.distributions = distributions
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distributions", type=int, default=2400)
    args = parser.parse_args()
    report = large_report(args.distributions)
    findings = len(report.all_findings())
    print(f"report: {args.distributions} distributions, {findings} findings")
    for name, reporter_class in available_reporters().items():
        reporter = reporter_class()
        started = time.perf_counter()
        text = reporter.render(report)
        elapsed = time.perf_counter() - started
        print(
            f"{name:10} {elapsed:7.2f} s  {len(text) / 1e6:6.2f} MB  "
            f"{args.distributions / elapsed:9.0f} distributions/s"
        )


if __name__ == "__main__":
    main()
