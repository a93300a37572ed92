"""What every subcommand shares: exit codes, output selection, the console."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from ..engine.exit_codes import EXIT_FAILED, EXIT_INTERNAL, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from ..engine.outcome import Outcome
from ..reporters import available_reporters, get_reporter, reporter_for_filename
from ..shared.display_text import encodable

__all__ = ["EXIT_FAILED", "EXIT_INTERNAL", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE"]

EXIT_CODES_HELP = """exit codes:
  0  ran; nothing to fail on
  1  the gate failed (policy violation, race observed, regression)
  2  usage error, or input that could not be read at all
  3  ran, but the result is partial (some items could not be processed)
  4  internal error (a bug in ftaudit; the message names the file with the traceback)
see docs/exit-codes.md, and docs/limits.md for the limits on input
"""


def known_format(name: str) -> str:
    """argparse type for --format: a typo is refused before any scanning or hammering."""
    if name not in available_reporters():
        raise argparse.ArgumentTypeError(
            f"unknown format {name!r}; choose from: {', '.join(available_reporters())}"
        )
    return name


def add_output_options(parser: argparse.ArgumentParser, default_format: str = "terminal") -> None:
    parser.add_argument(
        "--format",
        "-f",
        default=None,
        type=known_format,
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


def emit(args: argparse.Namespace, report) -> bool:
    """Render ``report`` (an AuditReport) with the chosen reporter and write it.

    Returns False, after saying why, when the format is unknown or the output file
    cannot be written; the caller then exits with EXIT_USAGE.
    """
    try:
        if args.format:
            reporter = get_reporter(args.format)
        elif args.output:
            reporter = reporter_for_filename(str(args.output), args.default_format)
        else:
            reporter = get_reporter(args.default_format)
    except KeyError as problem:
        error(str(problem.args[0]) if problem.args else str(problem))
        return False
    # A name from a non-UTF-8 folder holds lone surrogates (PEP 383) that no UTF-8
    # writer accepts; they are written as visible escapes instead.
    text = encodable(reporter.render(report))
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as problem:
            error(f"cannot write {args.output}: {problem.strerror or problem}")
            return False
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return True


def stderr_console() -> Console:
    return Console(stderr=True)


def error(message: str) -> None:
    print(f"ftaudit: {message}", file=sys.stderr)


def finish(outcome: Outcome) -> int:
    """Say why the command failed (the engine decided), and give its exit code."""
    for reason in outcome.reasons:
        error(reason)
    return outcome.exit_code
