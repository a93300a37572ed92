"""`ftaudit report`: the migration report, from JSON results or a fresh scan.

  ftaudit report scan.json probe.json hammer.json tree.json -o report.html
  ftaudit report --python /usr/bin/python3.13t -o report.md
  ftaudit report --python PY --hammer ext_samples/ -o report.html

Inputs are merged in order (a later probe refines an earlier scan). With --python or
--path (or with no input at all) the environment is scanned first. The format follows
the --output name (.html, .md, .sarif, .xml, .json), HTML when the name says nothing,
and a terminal summary on standard output without --output.

Exit codes:
  0  the report was written
  2  an input could not be read, or the environment could not be scanned
  3  the report was written but is partial (it says what is missing)
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import hammer
from ..engine.outcome import report_outcome
from ..pipelines.report import ReportInputError, build_report
from ..pipelines.scan import ScanError, scan
from .common import EXIT_USAGE, add_output_options, emit, error, finish


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "report",
        help=summary,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        metavar="INPUT.json",
        help="JSON documents written by scan / probe / hammer / scan-source / tree",
    )
    parser.add_argument(
        "--python", default=None, metavar="PY", help="scan this interpreter's environment first"
    )
    parser.add_argument(
        "--path",
        action="append",
        type=Path,
        default=[],
        metavar="SITE_PACKAGES",
        help="scan this site-packages folder first (repeatable)",
    )
    parser.add_argument(
        "--probe",
        action="store_true",
        help="with the scan, import each extension in a free-threaded subprocess",
    )
    parser.add_argument(
        "--target",
        default=None,
        help="target interpreter, e.g. 3.15t (default: the scanned interpreter's own free-threaded"
        " release, else 3.15t)",
    )
    parser.add_argument(
        "--hammer",
        action="append",
        type=Path,
        default=[],
        metavar="SAMPLES",
        help="also hammer the samples in this folder (repeatable) and include the results",
    )
    parser.add_argument(
        "--hammer-budget",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds of trials per sample per interpreter (default: the harness's)",
    )
    add_output_options(parser, default_format="terminal")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    sources: list = []
    target = args.target
    if args.python or args.path or (not args.inputs and not args.hammer):
        try:
            sources.append(scan(python=args.python, paths=args.path or None, target=target, probe=args.probe))
        except ScanError as problem:
            error(str(problem))
            return EXIT_USAGE
    sources.extend(args.inputs)
    if args.hammer:
        missing = [str(path) for path in args.hammer if not path.exists()]
        if missing:
            error(f"no such sample folder: {', '.join(missing)}")
            return EXIT_USAGE
        budget = {"budget": args.hammer_budget} if args.hammer_budget is not None else {}
        sources.append(hammer(args.hammer, **budget))
    try:
        report = build_report(*sources, target=args.target)
    except ReportInputError as problem:
        error(str(problem))
        return EXIT_USAGE
    # A file name that names no format gets the report people open: HTML.
    args.default_format = "html" if args.output else "terminal"
    if not emit(args, report):
        return EXIT_USAGE
    return finish(report_outcome(report))
