"""The worker pool the scans use for untrusted input: a worker that crashes or hangs costs
its one item, and every other item is still answered (real processes, real signals)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from auditor.shared.isolated_pool import run_isolated

pytestmark = pytest.mark.timeout(120)


def square_or_misbehave(item: int) -> int:
    if item == 4:
        os.kill(os.getpid(), signal.SIGSEGV)
    if item == 7:
        time.sleep(60)
    return item * item


def _run(items, **options):
    answers: dict[int, int] = {}
    failures: dict[int, object] = {}
    run_isolated(
        square_or_misbehave,
        items,
        on_answer=answers.__setitem__,
        on_failure=failures.__setitem__,
        **options,
    )
    return answers, failures


@pytest.mark.parametrize("workers, chunk_size", [(1, 1), (2, 3), (3, 5)])
def test_a_crash_and_a_hang_cost_one_item_each(workers, chunk_size):
    items = list(range(12))
    answers, failures = _run(items, workers=workers, chunk_size=chunk_size, item_timeout=2.0)
    assert answers == {item: item * item for item in items if item not in (4, 7)}
    assert sorted(failures) == [4, 7]
    assert failures[4].signal_name == "SIGSEGV" and "SIGSEGV" in failures[4].reason
    assert failures[7].timed_out and "longer than 2 s" in failures[7].reason


def test_no_items_starts_no_worker():
    assert _run([], workers=2) == ({}, {})


def test_without_a_timeout_every_good_item_is_answered_in_any_chunking():
    items = [item for item in range(30) if item != 7]
    answers, failures = _run(items, workers=2, chunk_size=4)
    assert failures.keys() == {4}
    assert len(answers) == len(items) - 1
