"""`ftaudit diff OLD.json NEW.json`: what changed between two audits.

Lists new GIL fallbacks, distributions that became ready or blocked, version changes,
new and fixed findings (matched by fingerprint, so moved code is not "new") and new
races. With --fail-on-regression the exit code fails the job only when the
environment got less ready, so CI can adopt ftaudit on a project that is not ready yet.

Exit codes:
  0  compared (no regression, or --fail-on-regression not given)
  1  --fail-on-regression and something regressed
  2  an input could not be read
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..engine.outcome import regression_outcome
from ..model.serialize import to_dict
from ..pipelines.diff import diff_reports
from ..pipelines.report import ReportInputError, load_report
from ..reporters.diff_text import render_diff
from ..shared.display_text import encodable, printable
from .common import EXIT_USAGE, error, finish


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "diff",
        help=summary,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("old", type=Path, metavar="OLD.json")
    parser.add_argument("new", type=Path, metavar="NEW.json")
    parser.add_argument(
        "--fail-on-regression",
        action="store_true",
        help="exit 1 when the new audit is less ready than the old one",
    )
    parser.add_argument("--format", "-f", choices=["terminal", "markdown", "json"], default="terminal")
    parser.add_argument("--output", "-o", type=Path, default=None, help="write to this file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        old, new = load_report(args.old), load_report(args.new)
    except ReportInputError as problem:
        error(str(problem))
        return EXIT_USAGE
    diff = diff_reports(old, new)
    if args.format == "json":
        document = to_dict(diff)
        document["regressions"] = diff.regressions
        document["has_regression"] = diff.has_regression
        text = json.dumps(document, indent=2) + "\n"
    else:
        text = render_diff(diff, markdown=args.format == "markdown")
    text = printable(text) if args.format == "terminal" and not args.output else encodable(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return finish(regression_outcome(diff.regressions, args.fail_on_regression, since=str(args.old)))
