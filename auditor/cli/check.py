"""`ftaudit check`: the CI gate.

  ftaudit check --python "$(command -v python3.13t)" --format sarif > ftaudit.sarif

Scans the environment (or reads --input JSON documents), checks the interpreter itself
(FTE001: not a free-threaded build; FTE002: the GIL is enabled after importing the
project's own modules, found from pyproject.toml, or those given with --import), applies
the [tool.ftaudit] policy of pyproject.toml and the baseline, writes the report in the
chosen format and exits with a code CI can act on. Without a [tool.ftaudit] table,
distributions that fall back to the GIL or cannot load on the target fail the check,
as do error findings. The reasons are printed on standard error.

Exit codes (docs/exit-codes.md):
  0  passed
  1  the gate failed (a policy violation; the reasons are on standard error)
  2  bad arguments, an unreadable policy, baseline or input, or no environment to scan
  3  passed, but the result is partial (some items could not be processed)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..pipelines.check import CheckError, gate
from .common import EXIT_USAGE, add_output_options, emit, error


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "check",
        help=summary,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--python",
        default=None,
        metavar="PY",
        help="the target interpreter and its environment (default: the one running ftaudit)",
    )
    parser.add_argument(
        "--path",
        action="append",
        type=Path,
        default=[],
        metavar="SITE_PACKAGES",
        help="scan this site-packages folder (repeatable) instead of an interpreter's",
    )
    parser.add_argument(
        "--input",
        action="append",
        type=Path,
        default=[],
        metavar="REPORT.json",
        help="check these JSON results instead of scanning (repeatable; merged in order)",
    )
    parser.add_argument(
        "--policy",
        type=Path,
        default=None,
        metavar="PYPROJECT",
        help="read [tool.ftaudit] from this file (default: ./pyproject.toml when present)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="FILE",
        help="accepted findings (overrides the policy's `baseline`)",
    )
    parser.add_argument(
        "--write-baseline",
        type=Path,
        default=None,
        metavar="FILE",
        help="accept every current finding (the gate's FTE findings too): write them to FILE and exit 0;"
        " point `baseline` in [tool.ftaudit] at it so that only new findings fail",
    )
    parser.add_argument(
        "--target",
        default=None,
        help="target interpreter, e.g. 3.15t (default: the policy's, else the scanned interpreter's own"
        " free-threaded release, else 3.15t)",
    )
    parser.add_argument(
        "--probe",
        action="store_true",
        help="also import each extension in a free-threaded subprocess (finds FTE005)",
    )
    parser.add_argument(
        "--import",
        dest="imports",
        action="append",
        default=None,
        metavar="MODULE",
        help="modules to import when checking that the GIL stays disabled (repeatable;"
        " default: the project's own top-level packages)",
    )
    parser.add_argument(
        "--no-interpreter-guard",
        action="store_true",
        help="do not run the interpreter (FTE001/FTE002 are not checked)",
    )
    add_output_options(parser, default_format="terminal")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        run = gate(
            python=args.python,
            paths=args.path,
            inputs=args.input,
            policy_file=args.policy,
            baseline_file=args.baseline,
            target=args.target,
            probe=args.probe,
            imports=args.imports,
            guard=not args.no_interpreter_guard,
            write_baseline_to=args.write_baseline,
        )
    except CheckError as problem:
        error(str(problem))
        return EXIT_USAGE
    if run.baseline_written is not None:
        print(
            f"ftaudit check: wrote {run.baseline_written} accepted finding(s) to {args.write_baseline}",
            file=sys.stderr,
        )
        return run.exit_code
    if not emit(args, run.report):
        return EXIT_USAGE
    for note in run.result.notes:
        print(f"ftaudit check: note: {note}", file=sys.stderr)
    for failure in run.result.failures:
        print(f"ftaudit check: FAIL {failure.reason}", file=sys.stderr)
    if run.interpreter_unchecked:
        print(
            "ftaudit check: note: the interpreter was not checked (give --python to check it)",
            file=sys.stderr,
        )
    print(f"ftaudit check: {run.result.summary()}", file=sys.stderr)
    return run.exit_code
