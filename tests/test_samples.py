"""Every shipped sample reproduces its `expect` on this machine, on real interpreters.

Racy samples must be caught with the right GIL / no-GIL classification; safe ones must
never be reported as racy. (The runtime rules' examples are run by tests/test_rule_examples.py.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _harness_helpers import REPO, TEST_BUDGET_SECONDS, all_ext_samples, hammered

from auditor.collectors.harness.sample import load_sample
from auditor.model.harness import HammerVerdict

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


def test_at_least_twelve_samples_with_racy_and_safe_twins() -> None:
    samples = [load_sample(path) for path in all_ext_samples()]
    assert len(samples) >= 12
    expectations = {sample.expect for sample in samples}
    assert expectations == {"race-without-gil", "race", "safe"}
    assert {sample.kind for sample in samples} == {"capi", "cffi"}
    for sample in samples:
        assert sample.description, f"{sample.name} does not say what it teaches"
    racy = [sample for sample in samples if sample.expect != "safe"]
    safe = [sample for sample in samples if sample.expect == "safe"]
    assert len(safe) >= len(racy)


@pytest.mark.parametrize("sample_dir", all_ext_samples(), ids=lambda path: path.name)
def test_sample_reproduces_its_expectation(sample_dir: Path) -> None:
    sample = load_sample(sample_dir)
    result = hammered(sample_dir)
    assert not [error for error in result.errors if "build failed" in error], result.target.build_log
    details = [failure.detail for failure in (result.target.failure_examples if result.target else [])]
    if sample.expect == "safe":
        assert result.verdict is HammerVerdict.NO_RACE_OBSERVED, details
        assert result.baseline_verdict is HammerVerdict.NO_RACE_OBSERVED
        assert result.classification == "safe"
        assert result.trials > 1
        assert result.findings == []
    else:
        assert result.verdict is HammerVerdict.RACE, f"no race in {result.trials} trials"
        assert result.target.first_failure_seconds is not None
        assert result.target.first_failure_seconds < TEST_BUDGET_SECONDS
        assert result.classification == sample.expect, (
            result.baseline_verdict,
            result.baseline.failure_examples,
        )
        assert result.findings, "an observed race must become a finding"
    assert result.matches_expectation is True


def test_cffi_routes_real_cffi_with_the_gil_and_ctypes_on_313t() -> None:
    result = hammered(REPO / "ext_samples" / "cffi_static_buffer")
    assert result.target.build_route == "cffi-ctypes"  # cffi refuses free-threaded 3.13
    assert result.baseline.build_route == "cffi"
    assert "harness-venvs" in result.baseline.python  # cffi lives in a build venv, not the interpreter
