"""`ftaudit hammer`: compile thread-hammer samples and stress them from many threads.

A sample is a folder with sample.toml and scenario.py (the contract is in
ext_samples/README.md). Each sample is built for the free-threaded interpreter and run
in fresh subprocesses: threads released together by a barrier run work(), then check()
verifies the result. Trials repeat until the first failure or until --budget seconds.
The same is done on a GIL build (the baseline) to tell a race the GIL used to hide
("race-without-gil", a migration risk) from one that exists with the GIL too ("race").

Exit codes:
  0  no race observed in any sample (on the free-threaded target)
  1  a race (wrong result, exception, crash, hang or TSan report) was observed
  2  bad arguments, or no usable interpreter
  3  ran, but some samples could not be built or run on the target or the baseline
     (build-error / error; the reasons are in each sample's "errors")
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .. import hammer
from ..collectors.harness import AUTO, HarnessError
from ..engine.outcome import hammer_outcome
from ..model.harness import HammerVerdict
from ..model.report import AuditReport
from .common import EXIT_USAGE, add_output_options, emit, error, finish, stderr_console


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "hammer",
        help=summary,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="a sample folder, or a folder of sample folders"
    )
    parser.add_argument(
        "--python",
        metavar="PY",
        help="the free-threaded interpreter to hammer on (default: the provisioned 3.13t; "
        "with --tsan the ThreadSanitizer build)",
    )
    baseline = parser.add_mutually_exclusive_group()
    baseline.add_argument(
        "--baseline-python",
        metavar="PY",
        help="the GIL interpreter to compare with (default: a GIL build of the same version)",
    )
    baseline.add_argument(
        "--no-baseline", action="store_true", help="do not run a GIL baseline (races are then not classified)"
    )
    parser.add_argument(
        "--threads", type=_positive_int, metavar="N", help="threads per trial (default: THREADS)"
    )
    parser.add_argument(
        "--iterations",
        type=_positive_int,
        metavar="N",
        help="iterations per thread per trial (default: the scenario's ITERATIONS)",
    )
    parser.add_argument(
        "--budget",
        type=_positive_float,
        metavar="S",
        help="seconds of trials per sample per interpreter (default: 10); a racy sample stops "
        "at its first failure",
    )
    parser.add_argument(
        "--trial-timeout",
        type=_positive_float,
        metavar="S",
        help="seconds a trial may go without finishing before the hang check (default: 10, 60 with --tsan)",
    )
    parser.add_argument(
        "--tsan",
        action="store_true",
        help="compile with -fsanitize=thread and run on the ThreadSanitizer free-threaded build; "
        "TSan reports in the sample's code become FTR006 findings",
    )
    parser.add_argument("--no-throughput", action="store_true", help="skip the calls-per-second measurement")
    add_output_options(parser)
    parser.set_defaults(handler=run)


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def hammer_progress(console):
    """A rich display of every sample x interpreter run, and the callback that feeds it."""
    progress_display = Progress(
        TextColumn("[bold]{task.fields[sample]}[/]"),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tasks: dict[tuple[str, str], int] = {}

    def on_progress(update) -> None:
        key = (update.sample, update.interpreter)
        if key not in tasks:
            tasks[key] = progress_display.add_task(
                update.interpreter, total=update.budget or 1, sample=update.sample, status=""
            )
        task = tasks[key]
        status = {
            "build": "building",
            "build-error": "[red]build failed[/]",
            "throughput": "measuring throughput",
            "done": "done",
        }.get(update.phase, "hammering")
        status += f"  trials {update.trials}"
        if update.failures:
            status += f"  [red]failures {update.failures}[/]"
        finished = update.phase in ("done", "build-error")
        completed = update.budget if finished else min(update.elapsed, update.budget)
        progress_display.update(task, completed=completed, status=status)

    return progress_display, on_progress


def run(args: argparse.Namespace) -> int:
    for path in args.paths:
        if not path.exists():
            error(f"{path}: no such file or folder")
            return EXIT_USAGE
    baseline = None if args.no_baseline else (args.baseline_python or AUTO)
    console = stderr_console()
    progress_display, on_progress = hammer_progress(console)

    started = time.time()
    try:
        with progress_display:
            results = hammer(
                args.paths,
                python=args.python,
                baseline_python=baseline,
                threads=args.threads,
                iterations=args.iterations,
                budget=args.budget,
                tsan=args.tsan,
                progress=on_progress,
                trial_timeout=args.trial_timeout,
                throughput=not args.no_throughput,
            )
    except HarnessError as problem:
        error(str(problem))
        return EXIT_USAGE
    # Compiler output goes to stderr in full whatever the --format: it is what the user
    # needs to fix the sample (also kept in each run's build_log in the JSON).
    for result in results:
        for run in (result.target, result.baseline):
            if run is not None and run.verdict is HammerVerdict.BUILD_ERROR:
                console.rule(f"[red]build failed: {result.name} on {run.label}[/]")
                console.print(run.build_log, markup=False, highlight=False, soft_wrap=True)
    report = AuditReport.create(started=started, hammer=results)
    if not emit(args, report):
        return EXIT_USAGE
    return finish(hammer_outcome(results))
