"""What every subcommand shares: exit codes, output selection, the console."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK = 0  # the command ran and found nothing it is asked to fail on
EXIT_FAILED = 1  # the gate failed: a policy violation, a race observed, a regression
EXIT_USAGE = 2  # bad arguments or input that stopped the command from running
EXIT_PARTIAL = 3  # the command ran but some items could not be processed (see the output)
EXIT_INTERNAL = 4  # a bug in ftaudit itself

EXIT_CODES_HELP = """exit codes:
  0  ran; nothing to fail on
  1  the gate failed (policy violation, race observed, regression)
  2  usage error, or input that could not be read at all
  3  ran, but the result is partial (some items could not be processed)
  4  internal error
"""


def add_output_options(parser: argparse.ArgumentParser, default_format: str = "terminal") -> None:
    parser.add_argument(
        "--format",
        "-f",
        default=None,
        help=f"output format (default: {default_format}, or from the --output name); see `ftaudit formats`",
    )
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        default=None,
        help="write the output to this file instead of standard output",
    )
    parser.set_defaults(default_format=default_format)


def emit(args: argparse.Namespace, report) -> None:
    """Render ``report`` (an AuditReport) with the chosen reporter and write it."""
    from ..reporters import get_reporter, reporter_for_filename

    if args.format:
        reporter = get_reporter(args.format)
    elif args.output:
        reporter = reporter_for_filename(str(args.output), args.default_format)
    else:
        reporter = get_reporter(args.default_format)
    text = reporter.render(report)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def error(message: str) -> None:
    print(f"ftaudit: {message}", file=sys.stderr)


def reject_unknown_format(args: argparse.Namespace) -> bool:
    """Say so and return True when ``--format`` names no reporter.

    Checked before any scanning or hammering starts: a typo must not cost a whole run.
    """
    from ..reporters import available_reporters

    if args.format and args.format not in available_reporters():
        error(f"unknown format {args.format!r}; choose from: {', '.join(available_reporters())}")
        return True
    return False
