"""`ftaudit probe`: import every extension module of a free-threaded environment, each in
its own fresh subprocess, and set what the runtime did beside the static verdict.

Exit codes:
  0  the static verdict agrees with the runtime for every module that imported
  1  the static verdict disagrees with the runtime for at least one module
  2  the interpreter could not be used (not found, not free-threaded) or bad arguments
  3  the probe ran but is partial (unreadable items; see "errors" in the output)
Import errors, crashes and timeouts of a module are recorded for it (runtime_gil:
import-error / crash / timeout) and do not count as disagreements. A module the static
scan could not decide (gil: unknown) counts as one: the scan failed to predict it.
"""

from __future__ import annotations

import argparse

from ..collectors.interpreters.discovery import InterpreterError, describe_interpreter
from ..engine.outcome import probe_outcome
from ..pipelines.scan import scan
from .common import EXIT_USAGE, add_output_options, error, finish
from .scan import add_environment_options, run_scan, write_report


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "probe",
        help=summary,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--python",
        required=True,
        metavar="FREE_THREADED_PY",
        help="the free-threaded interpreter whose environment is probed (and that imports)",
    )
    add_environment_options(parser)
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        metavar="S",
        help="seconds allowed for one module's import (default: 30)",
    )
    add_output_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        interpreter = describe_interpreter(args.python, "--python")
    except InterpreterError as problem:
        error(str(problem))
        return EXIT_USAGE
    if not interpreter.free_threaded:
        error(
            f"{interpreter.executable} is {interpreter.label}, not free-threaded: the probe needs a"
            " free-threaded interpreter (`ftaudit interpreters` lists them)"
        )
        return EXIT_USAGE
    result = run_scan(
        args,
        lambda progress: scan(
            python=args.python,
            paths=args.path or None,
            target=args.target,
            probe=True,
            probe_python=args.python,
            jobs=args.jobs,
            cache_dir=args.cache_dir,
            progress=progress,
            use_cache=not args.no_cache,
            probe_timeout=args.timeout,
        ),
    )
    if result is None:
        return EXIT_USAGE
    if not write_report(args, result):
        return EXIT_USAGE
    return finish(probe_outcome(result))
