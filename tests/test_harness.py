"""The harness's own paths: the sample contract, builds and their cache, crashes, hangs,
compiler errors, one-thread failures, a GIL re-enabled by import, the cffi routes,
throughput, and the CLI. Everything runs real compilers and real interpreters."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from _harness_helpers import EXT_SAMPLES, REPO, TEST_SAMPLES, free_threaded_python, gil_python, hammered

from auditor.collectors.harness import classify
from auditor.collectors.harness.build import build_sample
from auditor.collectors.harness.sample import SampleError, find_sample_folders, load_sample
from auditor.model.harness import FailureKind, HammerVerdict

# --- the sample contract --------------------------------------------------------------

GOOD_SCENARIO = """
THREADS = 4
ITERATIONS = 10
def setup(mod):
    return None
def work(mod, state, thread_index, iterations):
    pass
def check(mod, state, threads, iterations):
    pass
"""


def _write_sample(
    folder: Path, toml: str, scenario: str = GOOD_SCENARIO, sources: dict | None = None
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sample.toml").write_text(textwrap.dedent(toml))
    (folder / "scenario.py").write_text(textwrap.dedent(scenario))
    for name, text in (sources if sources is not None else {"m.c": "int x;\n"}).items():
        (folder / name).write_text(text)
    return folder


def test_a_valid_sample_loads_with_its_scenario_defaults(tmp_path: Path) -> None:
    folder = _write_sample(
        tmp_path / "s",
        'name = "s"\nkind = "capi"\nmodule = "m"\nsources = ["m.c"]\n'
        'expect = "safe"\ndescription = "teaches"\n',
    )
    sample = load_sample(folder)
    assert (sample.name, sample.kind, sample.module, sample.expect) == ("s", "capi", "m", "safe")
    assert (sample.default_threads, sample.default_iterations) == (4, 10)
    assert sample.description == "teaches"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('kind = "capi"\nmodule = "m"\nsources = ["m.c"]\n', "missing required key(s): name"),
        ('name = "s"\nkind = "rust"\nsources = ["m.c"]\n', "unknown kind 'rust'"),
        (
            'name = "s"\nkind = "capi"\nmodule = "m"\nsources = ["m.c"]\nexpect = "maybe"\n',
            "unknown expect 'maybe'",
        ),
        ('name = "s"\nkind = "capi"\nmodule = "m"\nsources = ["gone.c"]\n', "source 'gone.c' not found"),
        ('name = "s"\nkind = "capi"\nsources = ["m.c"]\n', "a capi sample needs `module`"),
        ('name = "s"\nkind = "cffi"\nsources = ["m.c"]\n', "a cffi sample needs `cdef`"),
        ('name = "s"\nkind = "capi"\nmodule = "m"\nsources = "m.c\n', "not valid TOML"),
    ],
)
def test_a_bad_sample_toml_says_what_is_wrong(tmp_path: Path, toml: str, message: str) -> None:
    folder = _write_sample(tmp_path / "s", toml)
    with pytest.raises(SampleError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_sample(folder)


@pytest.mark.parametrize(
    ("scenario", "message"),
    [
        (
            "THREADS = 2\ndef setup(mod): pass\ndef check(mod, state, threads, iterations): pass\n",
            "missing function `work(mod, state, thread_index, iterations)`",
        ),
        (
            GOOD_SCENARIO.replace("def work(mod, state, thread_index, iterations)", "def work(mod, state)"),
            "`work` takes 2 positional parameters, the contract says 4",
        ),
        (GOOD_SCENARIO.replace("THREADS = 4", "THREADS = 0"), "THREADS must be a positive integer"),
        ("def setup(mod:\n", "syntax error"),
    ],
)
def test_a_bad_scenario_is_reported_without_running_it(tmp_path: Path, scenario: str, message: str) -> None:
    folder = _write_sample(
        tmp_path / "s",
        'name = "s"\nkind = "capi"\nmodule = "m"\nsources = ["m.c"]\n',
        scenario=scenario + "\nraise SystemExit('scenario.py was executed')\n",
    )
    with pytest.raises(SampleError, match=message.replace("(", r"\(").replace(")", r"\)").replace("`", ".")):
        load_sample(folder)


def test_a_folder_of_samples_is_searched_and_an_empty_one_is_an_error(tmp_path: Path) -> None:
    assert len(find_sample_folders(EXT_SAMPLES)) >= 12
    assert find_sample_folders(EXT_SAMPLES / "static_counter") == [EXT_SAMPLES / "static_counter"]
    with pytest.raises(SampleError, match="no sample.toml"):
        find_sample_folders(tmp_path)


def test_classification_table() -> None:
    race, none = HammerVerdict.RACE, HammerVerdict.NO_RACE_OBSERVED
    assert classify(race, none) == "race-without-gil"
    assert classify(race, race) == "race"
    assert classify(none, none) == "safe"
    assert classify(none, None) == "safe"
    assert classify(race, None) is None
    assert classify(HammerVerdict.BUILD_ERROR, none) is None
    assert classify(race, HammerVerdict.BUILD_ERROR) is None


# --- builds ----------------------------------------------------------------------------


@pytest.mark.timeout(300)
def test_builds_use_the_target_headers_and_suffix_and_are_cached(tmp_path: Path) -> None:
    sample = load_sample(EXT_SAMPLES / "static_counter")
    free_threaded = build_sample(sample, free_threaded_python(), cache_dir=tmp_path)
    assert free_threaded.ok, free_threaded.log
    assert "include/python3.13t" in free_threaded.log
    assert list(free_threaded.directory.glob("static_counter.cpython-313t-*.so"))
    gil = build_sample(sample, gil_python(), cache_dir=tmp_path)
    assert list(gil.directory.glob("static_counter.cpython-313-*.so"))
    assert gil.directory != free_threaded.directory
    again = build_sample(sample, free_threaded_python(), cache_dir=tmp_path)
    assert again.cached and again.directory == free_threaded.directory
    # A changed source is a new build.
    copy = tmp_path / "copy"
    shutil.copytree(EXT_SAMPLES / "static_counter", copy)
    (copy / "static_counter.c").write_text((copy / "static_counter.c").read_text() + "\n/* changed */\n")
    changed = build_sample(load_sample(copy), free_threaded_python(), cache_dir=tmp_path)
    assert changed.ok and not changed.cached and changed.directory != free_threaded.directory


@pytest.mark.timeout(120)
def test_a_compiler_error_is_shown_in_full_and_is_not_a_race() -> None:
    result = hammered(TEST_SAMPLES / "build_error", baseline=False, budget=2.0)
    assert result.verdict is HammerVerdict.BUILD_ERROR
    assert "undeclared_identifier_for_the_test" in result.target.build_log
    assert "broken.c:6" in result.target.build_log
    assert any("build failed" in error for error in result.errors)
    assert result.findings == []


# --- runner paths ----------------------------------------------------------------------


@pytest.mark.timeout(120)
def test_a_crash_is_recorded_with_the_signal_and_the_faulthandler_traceback() -> None:
    result = hammered(TEST_SAMPLES / "crash_on_second_thread", baseline=False, budget=3.0, trial_timeout=2.0)
    assert result.verdict is HammerVerdict.RACE
    crash = result.target.failure_examples[0]
    assert crash.kind is FailureKind.CRASH
    assert "SIGSEGV" in crash.message
    assert "Fatal Python error: Segmentation fault" in crash.detail
    assert "crash_on_second_thread/scenario.py" in crash.detail
    (finding,) = result.findings
    assert finding.rule == "FTR004"
    assert finding.location.path.endswith("scenario.py") and finding.location.line == 10


@pytest.mark.timeout(120)
def test_a_deadlock_is_a_hang_with_every_threads_stack() -> None:
    result = hammered(TEST_SAMPLES / "lock_order_deadlock", baseline=False, budget=3.0, trial_timeout=2.0)
    assert result.verdict is HammerVerdict.RACE
    hang = result.target.failure_examples[0]
    assert hang.kind is FailureKind.HANG
    assert hang.detail.count("lock_order_deadlock/scenario.py") >= 2  # both blocked threads
    assert [finding.rule for finding in result.findings] == ["FTR005"]


@pytest.mark.timeout(120)
def test_a_scenario_failing_with_one_thread_is_an_error_not_a_race() -> None:
    result = hammered(TEST_SAMPLES / "fails_single_threaded", baseline=False, budget=2.0)
    assert result.verdict is HammerVerdict.ERROR
    assert result.findings == []
    assert any("fails with its threads run one after another" in error for error in result.errors)


@pytest.mark.timeout(120)
def test_a_module_without_py_mod_gil_is_run_free_threaded_and_said_so() -> None:
    result = hammered(TEST_SAMPLES / "no_gil_slot", baseline=False, budget=2.0)
    assert result.verdict is HammerVerdict.NO_RACE_OBSERVED
    assert any(note.startswith("GIL RE-ENABLED") for note in result.target.notes)
    assert [finding.rule for finding in result.findings] == ["FTR007"]


@pytest.mark.timeout(180)
def test_the_same_cffi_scenario_passes_through_real_cffi_and_the_ctypes_route() -> None:
    result = hammered(TEST_SAMPLES / "cffi_shim_features", budget=1.0)
    assert (result.target.build_route, result.baseline.build_route) == ("cffi-ctypes", "cffi")
    assert result.verdict is HammerVerdict.NO_RACE_OBSERVED, result.target.failure_examples
    assert result.baseline_verdict is HammerVerdict.NO_RACE_OBSERVED, result.baseline.failure_examples


@pytest.mark.timeout(180)
def test_throughput_times_the_same_work_on_one_and_n_threads_on_both_interpreters() -> None:
    result = hammered(EXT_SAMPLES / "torn_pair_mutex", budget=1.0, throughput=True)
    sample = load_sample(EXT_SAMPLES / "torn_pair_mutex")
    for run in (result.target, result.baseline):
        by_threads = {measure.threads: measure for measure in run.throughput}
        assert set(by_threads) == {1, sample.default_threads}
        for measure in by_threads.values():
            # One unit for both: THREADS work() calls of ITERATIONS each.
            assert measure.calls == sample.default_threads * sample.default_iterations
            assert measure.repetitions >= 3 and measure.seconds > 0
            assert measure.calls_per_second == pytest.approx(measure.calls / measure.seconds)
        assert run.throughput_problem is None
        assert run.speedup == pytest.approx(by_threads[1].seconds / by_threads[8].seconds, abs=0.01)
        assert 0 < run.speedup <= run.cores


@pytest.mark.timeout(180)
def test_writers_that_loop_until_the_readers_finish_get_no_speedup_and_no_inflated_rate() -> None:
    # The held-out sample scored 530,000 calls/s alone and 1.3 billion with 6
    # threads on 2 cores: the old loop counted calls made after the readers had finished.
    result = hammered(TEST_SAMPLES / "writers_loop_until_readers_finish", budget=1.0, throughput=True)
    for run in (result.target, result.baseline):
        assert run.speedup is None
        assert "wait for each other" in run.throughput_problem
        (together,) = run.throughput  # no one-thread figure: it cannot finish alone
        assert together.threads == 6 and together.calls == 6 * 20_000
        # A Python loop calling a C function does well under 50 million calls/s per core.
        assert together.calls_per_second < 50e6 * run.cores, together


@pytest.mark.timeout(180)
def test_a_speedup_above_the_core_count_is_a_measurement_problem_not_a_figure() -> None:
    # Sleeping threads overlap on any number of cores: 8 of them finish ~8x sooner.
    result = hammered(TEST_SAMPLES / "sleepers", budget=0.5, throughput=True)
    run = result.target
    assert run.cores < 8, "this test needs fewer than 8 cores to be meaningful"
    assert run.speedup is None
    assert run.throughput_problem.startswith("measurement problem"), run.throughput_problem
    assert {point.threads for point in run.throughput} == {1, 8}


def test_judge_speedup_bounds_the_ratio_by_cores_and_threads() -> None:
    from auditor.collectors.harness.runner import judge_speedup
    from auditor.model.harness import Throughput

    points = [Throughput(1, 1e6, seconds=1.0, calls=10), Throughput(4, 1.9e6, seconds=0.52, calls=10)]
    assert judge_speedup(points, 4, cores=2) == (1.92, None)
    speedup, problem = judge_speedup(points, 4, cores=1)
    assert speedup is None and "1 core allow" in problem
    two_threads = [Throughput(1, 1e6, seconds=1.0, calls=10), Throughput(2, 3e6, seconds=0.33, calls=10)]
    speedup, problem = judge_speedup(two_threads, 2, cores=16)
    assert speedup is None and "2 threads allow" in problem
    assert judge_speedup(points[1:], 4, cores=2) == (None, None)


# --- CLI -------------------------------------------------------------------------------


def _ftaudit(*args: str, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        check=False,
    )


@pytest.mark.timeout(300)
def test_cli_json_has_the_documented_fields_and_exit_1_on_a_race(tmp_path: Path) -> None:
    output = tmp_path / "hammer.json"
    completed = _ftaudit(
        "hammer",
        str(EXT_SAMPLES / "static_counter"),
        str(EXT_SAMPLES / "static_counter_atomic"),
        "--budget",
        "2",
        "--no-throughput",
        "--python",
        free_threaded_python(),
        "--baseline-python",
        gil_python(),
        "--format",
        "json",
        "--output",
        str(output),
    )
    assert completed.returncode == 1, completed.stderr
    document = json.loads(output.read_text())
    by_name = {sample["name"]: sample for sample in document["hammer"]}
    racy, safe = by_name["static_counter"], by_name["static_counter_atomic"]
    for sample in (racy, safe):
        assert {"name", "verdict", "failures", "trials", "baseline_verdict"} <= set(sample)
    assert (racy["verdict"], racy["baseline_verdict"], racy["classification"]) == (
        "race",
        "no-race-observed",
        "race-without-gil",
    )
    assert racy["failures"] >= 1 and racy["trials"] >= 1
    assert (safe["verdict"], safe["failures"]) == ("no-race-observed", 0)
    assert "static_counter" in completed.stderr  # the live progress went to stderr


@pytest.mark.timeout(120)
def test_cli_exit_codes_for_bad_input() -> None:
    assert _ftaudit("hammer", "/nonexistent/sample").returncode == 2
    build_error = _ftaudit(
        "hammer", str(TEST_SAMPLES / "build_error"), "--no-baseline", "--budget", "1", "--format", "json"
    )
    assert build_error.returncode == 3
    assert (
        "undeclared_identifier_for_the_test" in build_error.stderr
    )  # the compiler's words, whatever the format
    assert json.loads(build_error.stdout)["hammer"][0]["verdict"] == "build-error"
    completed = _ftaudit(
        "hammer", str(EXT_SAMPLES / "static_counter"), "--python", sys.executable, "--tsan", "--no-baseline"
    )
    assert completed.returncode == 2 and "ThreadSanitizer" in completed.stderr


@pytest.mark.timeout(180)
def test_a_cpp_extension_is_built_with_the_cpp_compiler_and_linked_by_it() -> None:
    result = hammered(TEST_SAMPLES / "cpp_atomic_counter", budget=1.0)
    assert result.verdict is HammerVerdict.NO_RACE_OBSERVED, result.errors
    assert result.baseline_verdict is HammerVerdict.NO_RACE_OBSERVED
    compile_line = next(line for line in result.target.build_log.splitlines() if "counter.cpp" in line)
    assert compile_line.startswith("$ g++") or "++" in compile_line.split()[1]
    assert "-std=c++17" in compile_line


@pytest.mark.timeout(120)
def test_the_callers_python_gil_setting_does_not_reach_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.pipelines.hammer import hammer

    # PYTHON_GIL=1 would turn the GIL on in the free-threaded child and hide the race.
    monkeypatch.setenv("PYTHON_GIL", "1")
    (result,) = hammer(
        [EXT_SAMPLES / "static_counter"],
        python=free_threaded_python(),
        baseline_python=None,
        budget=10.0,
        throughput=False,
    )
    assert result.verdict is HammerVerdict.RACE


@pytest.mark.timeout(120)
def test_threads_that_wait_for_each_other_skip_the_sequential_check_and_still_run() -> None:
    result = hammered(
        TEST_SAMPLES / "threads_wait_for_each_other", baseline=False, budget=2.0, trial_timeout=2.0
    )
    assert result.verdict is HammerVerdict.NO_RACE_OBSERVED, result.target.failure_examples
    assert result.trials >= 1  # the concurrent trials still ran, though the check took the budget
    assert any("sequential check was skipped" in note for note in result.target.notes)


@pytest.mark.timeout(120)
def test_a_trial_that_computes_past_the_timeout_is_not_a_hang() -> None:
    # Each trial computes for 2.5 s against a 1 s trial timeout: the child's CPU time keeps
    # growing, so the watchdog waits instead of calling a slow safe sample a deadlock.
    result = hammered(TEST_SAMPLES / "slow_but_busy", baseline=False, budget=1.0, trial_timeout=1.0)
    assert result.verdict is HammerVerdict.NO_RACE_OBSERVED, result.target.failure_examples
    assert result.trials >= 1 and result.findings == []


@pytest.mark.timeout(120)
def test_a_bad_sample_is_reported_and_the_others_still_run(tmp_path: Path) -> None:
    from auditor.pipelines.hammer import hammer

    broken = _write_sample(tmp_path / "broken", 'name = "broken"\nkind = "capi"\nsources = ["m.c"]\n')
    results = hammer(
        [broken, TEST_SAMPLES / "no_gil_slot", tmp_path / "missing"],
        python=free_threaded_python(),
        baseline_python=None,
        budget=0.5,
        throughput=False,
    )
    assert [result.verdict for result in results] == [
        HammerVerdict.ERROR,
        HammerVerdict.NO_RACE_OBSERVED,
        HammerVerdict.ERROR,
    ]
    assert "a capi sample needs `module`" in results[0].errors[0]
    assert "not a sample folder" in results[2].errors[0]


@pytest.mark.timeout(120)
def test_a_sequential_check_that_cannot_finish_is_abandoned_quickly() -> None:
    import time

    started = time.monotonic()
    result = hammered(TEST_SAMPLES / "readers_spin_until_writers_finish", baseline=False, budget=1.0)
    elapsed = time.monotonic() - started
    assert result.verdict is HammerVerdict.NO_RACE_OBSERVED, result.target.failure_examples
    assert any("sequential check was skipped" in note for note in result.target.notes)
    assert result.trials >= 1
    # The reader spins forever when run alone; the check gives up after a few seconds
    # instead of the busy-trial allowance (a minute with the default trial timeout).
    assert elapsed < 20, elapsed


def test_a_race_seen_only_with_the_gil_still_becomes_a_finding() -> None:
    from auditor.engine.runtime_checks import runtime_findings as _findings
    from auditor.model.harness import InterpreterRun, TrialFailure

    sample = load_sample(EXT_SAMPLES / "get_then_set_counter")
    scenario = sample.scenario_path
    target = InterpreterRun(
        python="t",
        label="CPython 3.13.5t",
        free_threaded=True,
        build_route="capi",
        verdict=HammerVerdict.NO_RACE_OBSERVED,
        trials=40,
    )
    baseline = InterpreterRun(
        python="b",
        label="CPython 3.13.5",
        free_threaded=False,
        build_route="capi",
        verdict=HammerVerdict.RACE,
        trials=3,
        failures=1,
        failure_examples=[
            TrialFailure(
                FailureKind.WRONG_RESULT,
                "AssertionError: lost 3",
                3,
                0.5,
                f'  File "{scenario}", line 20, in check\nAssertionError: lost 3\n',
            )
        ],
    )
    (finding,) = _findings(sample, target, baseline, classify(target.verdict, baseline.verdict))
    assert finding.rule == "FTR002"
    assert "GIL build only" in finding.message
    assert (finding.location.path, finding.location.line) == (str(scenario), 20)
