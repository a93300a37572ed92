"""`ftaudit fix`: apply the safe mechanical fixes; show everything as a diff first.

  ftaudit fix src/                 # print the diff of what would change (nothing written)
  ftaudit fix src/ --apply         # write the Python changes
  ftaudit fix src/ --rule FTP003   # only this rule's codemod

Python: LibCST codemods (FTP003: check-then-act lazy initialisation gets a module lock
and double-checked locking). C/C++: suggested patches (FTC003: borrowed-reference call
-> the strong-reference API and the Py_DECREF it needs) are printed for review and are
never applied, with or without --apply.

Exit codes: 0 nothing to change or changes written; 1 changes are available but were
not applied (so CI can fail on them); 2 a path does not exist; 3 some files could not be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engine.outcome import fix_outcome
from ..pipelines.fix import fix_paths
from .common import EXIT_USAGE, error, finish


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "fix",
        help=summary,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--apply", action="store_true", help="write the Python changes (C is never written)")
    parser.add_argument(
        "--rule", action="append", default=None, metavar="CODE", help="only this rule's fix (repeatable)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    missing = [path for path in args.paths if not path.exists()]
    for path in missing:
        error(f"{path}: no such file or folder")
    if missing:
        return EXIT_USAGE
    rules = {code.upper() for code in args.rule} if args.rule else None
    result = fix_paths(list(args.paths), apply=args.apply, rules=rules)
    for diff in result.diffs.values():
        sys.stdout.write(diff)
    if result.suggestions:
        print("# Suggested C changes (review and apply by hand; ftaudit never writes C):")
        for suggestion in result.suggestions:
            sys.stdout.write(suggestion)
    for problem in result.problems:
        error(f"{problem.path}: {problem.message}")
    if result.written:
        print(f"wrote {len(result.written)} file(s)", file=sys.stderr)
    elif result.diffs:
        print(
            f"{len(result.diffs)} file(s) would change; run again with --apply to write them", file=sys.stderr
        )
    else:
        print("nothing to fix automatically", file=sys.stderr)
    return finish(fix_outcome(len(result.diffs), len(result.problems), applied=args.apply))
