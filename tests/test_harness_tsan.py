"""ThreadSanitizer mode on the TSan-instrumented free-threaded interpreter.

scripts/setup.sh provisions that interpreter (`ftaudit provision --tsan`, about 9 minutes
once); a missing one fails these tests rather than skipping them.
"""

from __future__ import annotations

import pytest
from _harness_helpers import EXT_SAMPLES, hammered, tsan_python

from auditor.collectors.harness.tsan import parse_tsan_reports
from auditor.model.harness import FailureKind, HammerVerdict

pytestmark = [pytest.mark.tsan, pytest.mark.slow, pytest.mark.timeout(300)]


@pytest.fixture(autouse=True)
def _needs_tsan_interpreter() -> None:
    if tsan_python() is None:
        pytest.fail(
            "the ThreadSanitizer free-threaded interpreter is not provisioned (`ftaudit provision --tsan`)"
        )


def test_a_racy_counter_gives_a_tsan_finding_at_its_source_line() -> None:
    result = hammered(EXT_SAMPLES / "static_counter", baseline=False, tsan=True, iterations=2000, budget=4.0)
    assert result.verdict is HammerVerdict.RACE
    tsan_failures = [
        failure for failure in result.target.failure_examples if failure.kind is FailureKind.TSAN
    ]
    assert tsan_failures
    (report,) = parse_tsan_reports(tsan_failures[0].detail)
    assert report.kind == "data race"
    assert len(report.accesses) >= 2  # both sides of the race, each with a stack
    (finding,) = [finding for finding in result.findings if finding.rule == "FTR006"]
    source = (EXT_SAMPLES / "static_counter" / "static_counter.c").read_text().splitlines()
    assert finding.location.path.endswith("static_counter.c")
    assert "calls++" in source[finding.location.line - 1]
    assert finding.location.symbol == "increment"
    assert any("Previous" in evidence for evidence in finding.evidence)


def test_the_atomic_twin_gives_no_report_with_cpythons_suppressions() -> None:
    result = hammered(
        EXT_SAMPLES / "static_counter_atomic", baseline=False, tsan=True, iterations=2000, budget=4.0
    )
    assert result.verdict is HammerVerdict.NO_RACE_OBSERVED, result.target.failure_examples
    assert result.trials >= 1
    assert result.findings == []
    assert not any("suppressions" in error for error in result.errors)


def test_a_strong_reference_sample_is_clean_under_tsan() -> None:
    # PyList_GetItemRef and a PyMutex: CPython's own internal races are suppressed by its list,
    # the sample's code has none.
    result = hammered(
        EXT_SAMPLES / "borrowed_item_ref", baseline=False, tsan=True, iterations=500, budget=4.0
    )
    assert result.verdict is HammerVerdict.NO_RACE_OBSERVED, result.target.failure_examples


def test_frames_from_a_build_made_in_another_checkout_still_belong_to_the_sample() -> None:
    # Builds are cached by content: debug info can name the checkout that built them.
    from auditor.collectors.harness.sample import load_sample
    from auditor.collectors.harness.tsan import TsanFrame, sample_frame, sample_source_of

    sample = load_sample(EXT_SAMPLES / "static_counter")
    elsewhere = TsanFrame("increment", "/elsewhere/ext_samples/static_counter/static_counter.c", 12, None)
    cpython = TsanFrame("list_append", "/build/cpython/Objects/listobject.c", 40, None)
    assert sample_frame(elsewhere, sample)
    assert sample_source_of(elsewhere, sample) == str(EXT_SAMPLES / "static_counter" / "static_counter.c")
    assert not sample_frame(cpython, sample)
