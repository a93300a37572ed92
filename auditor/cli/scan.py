"""`ftaudit scan`: static audit of an installed environment (nothing is imported).

Exit codes:
  0  every distribution was read and none has a verdict named by --fail-on
  1  some distribution has a verdict named by --fail-on (e.g. --fail-on gil-fallback,needs-build)
  2  no environment could be read at all (bad --python, no such --path), or bad arguments
  3  the scan ran but is partial: some item could not be read (see "errors" in the output)
When both 1 and 3 apply, 1 wins: the gate's answer matters more than the gap.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..collectors.binary.abi_tag import KNOWN_FREE_THREADED_TARGETS
from ..engine.outcome import scan_outcome
from ..model.environment import ScanResult, Verdict
from ..model.report import AuditReport
from ..pipelines.scan import ScanError, scan
from ..pipelines.source_scan import check_distribution_sources
from .common import EXIT_USAGE, add_output_options, emit, error, finish

TARGETS = list(KNOWN_FREE_THREADED_TARGETS)


def parse_verdicts(text: str) -> set[Verdict]:
    chosen: set[Verdict] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            chosen.add(Verdict(part))
        except ValueError:
            choices = ", ".join(verdict.value for verdict in Verdict)
            raise argparse.ArgumentTypeError(f"unknown verdict {part!r}; choose from {choices}") from None
    return chosen


def add_environment_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--path",
        action="append",
        type=Path,
        default=[],
        metavar="SITE_PACKAGES",
        help="scan this site-packages folder (repeatable) instead of an interpreter's",
    )
    parser.add_argument(
        "--target",
        choices=TARGETS,
        default=None,
        help="the free-threaded interpreter to judge against (default: the scanned interpreter's own"
        " release when it is free-threaded, else the newest one known, 3.15t)",
    )
    parser.add_argument(
        "--platform",
        default=None,
        metavar="TAG",
        help="judge loadability for CPython on this wheel platform (macosx_11_0_arm64, win_amd64, ...):"
        " for a folder of macOS or Windows binaries unpacked from wheels (default: this host's)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help="parallel binary analyses and probes (default: CPU count)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="analyse every binary again instead of reusing ~/.cache/ftaudit/scan-cache",
    )
    parser.add_argument("--cache-dir", type=Path, default=None, help="where analyses are cached")
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar on standard error even when it is not a terminal",
    )


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "scan",
        help=summary,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--python",
        default=None,
        metavar="PY",
        help="scan this interpreter's environment (default: the one running ftaudit)",
    )
    add_environment_options(parser)
    parser.add_argument(
        "--probe",
        action="store_true",
        help="also import each extension module in its own free-threaded subprocess and"
        " compare with the static verdict",
    )
    parser.add_argument(
        "--probe-python",
        default=None,
        metavar="PY",
        help="free-threaded interpreter for --probe (default: the environment's own when"
        " free-threaded, else ftaudit's provisioned 3.13t)",
    )
    parser.add_argument(
        "--probe-timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds allowed for one module's import in the probe (default: 30)",
    )
    parser.add_argument(
        "--fail-on",
        type=parse_verdicts,
        default=set(),
        metavar="VERDICTS",
        help="exit 1 when a distribution has one of these comma-separated verdicts"
        " (ready, gil-fallback, needs-build, pure, unknown)",
    )
    parser.add_argument(
        "--source",
        action="store_true",
        help="also run the Python source rules (FTP) over the .py files the distributions ship",
    )
    add_output_options(parser)
    parser.set_defaults(handler=run)


@contextmanager
def progress_reporter(enabled: bool):
    """A rich progress bar on standard error, as a ``progress(done, total, label)`` callback."""
    if not enabled:
        yield None
        return
    # A bar asked for with --progress is drawn even when stderr is a file or a pipe (CI logs).
    console = Console(stderr=True, force_terminal=True)
    with Progress(
        TextColumn("[bold]analysing[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def update(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        yield update


def scan_report(result: ScanResult, target: str, source=None) -> AuditReport:
    return AuditReport.create(
        target=target,
        scan=result,
        source=source,
    )


def run_scan(args: argparse.Namespace, call: Callable[[Callable | None], ScanResult]) -> ScanResult | None:
    """Run ``call(progress)`` with the progress bar when wanted; None (and a message) on ScanError."""
    show_progress = args.progress or sys.stderr.isatty()
    try:
        with progress_reporter(show_progress) as progress:
            return call(progress)
    except ScanError as problem:
        error(str(problem))
        return None


def write_report(args: argparse.Namespace, result: ScanResult, source=None) -> bool:
    return emit(args, scan_report(result, result.target, source))


def run(args: argparse.Namespace) -> int:
    if args.probe_python and not args.probe:
        args.probe = True
    result = run_scan(
        args,
        lambda progress: scan(
            python=args.python,
            paths=args.path or None,
            target=args.target,
            probe=args.probe,
            probe_python=args.probe_python,
            jobs=args.jobs,
            cache_dir=args.cache_dir,
            progress=progress,
            use_cache=not args.no_cache,
            probe_timeout=args.probe_timeout,
            platform=args.platform,
        ),
    )
    if result is None:
        return EXIT_USAGE
    source = None
    if getattr(args, "source", False):
        source = check_distribution_sources(result, jobs=args.jobs, use_cache=not args.no_cache)
    if not write_report(args, result, source):
        return EXIT_USAGE
    return finish(scan_outcome(result, args.fail_on, source))
