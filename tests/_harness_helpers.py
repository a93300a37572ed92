"""Shared by the harness tests: the interpreters, and hammer results cached per session.

Hammering a sample is the expensive step (seconds per interpreter), and several tests
look at the same result from different sides (verdict, findings, JSON, rule examples),
so each (sample, settings) pair is run once per test session. Builds are cached on disk
by the harness itself (content + interpreter), so a second session does not compile.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from auditor.collectors.interpreters.discovery import default_free_threaded, default_gil_baseline

REPO = Path(__file__).resolve().parent.parent
EXT_SAMPLES = REPO / "ext_samples"
TEST_SAMPLES = REPO / "tests" / "harness_samples"
# Seconds of trials per interpreter. Racy samples stop at their first failure (well
# under a second here, even with other test suites running); a safe sample and the GIL
# side of a race-without-gil sample use the whole budget.
TEST_BUDGET_SECONDS = 6.0


@functools.cache
def free_threaded_python() -> str:
    info = default_free_threaded()
    if info is None:
        pytest.fail("no free-threaded interpreter: scripts/setup.sh provisions it (`ftaudit provision`)")
    return info.executable


@functools.cache
def gil_python() -> str:
    info = default_gil_baseline("3.13")
    if info is None:
        pytest.fail("no GIL CPython 3.13 for the baseline: scripts/setup.sh provisions it")
    return info.executable


@functools.cache
def tsan_python() -> str | None:
    info = default_free_threaded(tsan=True)
    return info.executable if info else None


def all_ext_samples() -> list[Path]:
    return sorted(path.parent for path in EXT_SAMPLES.glob("*/sample.toml"))


@functools.cache
def hammered(
    sample_dir: Path,
    baseline: bool = True,
    budget: float = TEST_BUDGET_SECONDS,
    throughput: bool = False,
    tsan: bool = False,
    iterations: int | None = None,
    trial_timeout: float | None = None,
):
    """The SampleResult of one sample (run once per session for each settings tuple)."""
    from auditor.pipelines.hammer import hammer

    target = tsan_python() if tsan else free_threaded_python()
    (result,) = hammer(
        [sample_dir],
        python=target,
        baseline_python=gil_python() if baseline else None,
        budget=budget,
        throughput=throughput,
        tsan=tsan,
        iterations=iterations,
        trial_timeout=trial_timeout,
    )
    return result
