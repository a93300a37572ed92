"""`ftaudit formats`: list the output formats."""

from __future__ import annotations

from ..reporters import available_reporters
from .common import EXIT_OK


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser("formats", help=summary)
    parser.set_defaults(handler=run)


def run(args) -> int:
    for name, reporter in available_reporters().items():
        print(f"{name:10} {reporter.file_extension:8} {reporter.description}")
    return EXIT_OK
