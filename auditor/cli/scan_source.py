"""`ftaudit scan-source`: check C/C++/Cython/Rust/Python sources against the FTC/FTP rules.

  ftaudit scan-source src/ --format json
  ftaudit scan-source dist/mypkg-1.0.tar.gz --select FTC --ignore FTC005
  ftaudit scan-source . --write-baseline .ftaudit-baseline.json   # accept what is there today
  ftaudit scan-source . --baseline .ftaudit-baseline.json         # fail only on new findings

Inline suppressions: `# ftaudit: ignore[FTP001]` (Python, Cython) or
`// ftaudit: ignore[FTC001]` / `/* ftaudit: ignore[FTC001] */` (C, C++, Rust), on the
line or the line above. Suppressed and baselined findings are kept in the output
(marked suppressed) and never fail the command.

Exit codes:
  0  no unsuppressed, non-baselined finding at or above --fail-on (default: warning)
  1  at least one such finding
  2  bad arguments, an unreadable baseline, or an input path that does not exist
  3  no failing finding, but some files could not be checked (see `problems` in the output)
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from ..engine.baseline import write_baseline
from ..engine.outcome import SOURCE_FAIL_LEVELS, source_outcome
from ..model.report import AuditReport
from ..pipelines.source_scan import SourceScanError, scan_source
from .common import EXIT_USAGE, add_output_options, emit, error, finish


def _codes(value: str) -> set[str]:
    return {code.strip().upper() for code in value.split(",") if code.strip()}


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "scan-source",
        help=summary,
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a folder, a source file or an sdist (.tar.gz / .zip)",
    )
    add_output_options(parser)
    parser.add_argument(
        "--select",
        type=_codes,
        default=None,
        metavar="CODES",
        help="only these rules: comma-separated codes or prefixes (FTC, FTP003)",
    )
    parser.add_argument(
        "--ignore",
        type=_codes,
        default=None,
        metavar="CODES",
        help="skip these rules: comma-separated codes or prefixes",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        metavar="FILE",
        help="accepted findings (from --write-baseline): reported as suppressed",
    )
    parser.add_argument(
        "--write-baseline",
        type=Path,
        default=None,
        metavar="FILE",
        help="write every unsuppressed finding to FILE as accepted, then exit 0",
    )
    parser.add_argument(
        "--fail-on",
        choices=SOURCE_FAIL_LEVELS,
        default="warning",
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    parser.add_argument(
        "--jobs", "-j", type=int, default=None, metavar="N", help="worker processes (default: one per CPU)"
    )
    parser.add_argument(
        "--include-tests",
        action="store_true",
        help="also read test code inside folders and sdists (tests/, test_*.py, _test*.c); "
        "left out by default",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="result cache folder (default: ~/.cache/ftaudit/source-cache)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    missing = [path for path in args.paths if not path.exists()]
    for path in missing:
        error(f"{path}: no such file or folder")
    try:
        result = scan_source(
            list(args.paths),
            rules=args.select,
            ignore=args.ignore,
            baseline=args.baseline,
            cache_dir=args.cache_dir,
            jobs=args.jobs,
            use_cache=not args.no_cache,
            include_tests=args.include_tests,
        )
    except SourceScanError as problem:
        error(str(problem))
        return EXIT_USAGE
    if args.write_baseline:
        count = write_baseline(args.write_baseline, result.findings)
        print(f"wrote {count} accepted finding(s) to {args.write_baseline}", file=sys.stderr)
    report = AuditReport.create(source=result)
    if not emit(args, report):
        return EXIT_USAGE
    if missing:
        return EXIT_USAGE
    return finish(source_outcome(result, args.fail_on, wrote_baseline=bool(args.write_baseline)))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
