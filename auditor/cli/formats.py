"""`ftaudit formats`: list the output formats."""

from __future__ import annotations

from .common import EXIT_OK


def register(subparsers) -> None:
    parser = subparsers.add_parser("formats", help="list output formats")
    parser.set_defaults(handler=run)


def run(args) -> int:
    from ..reporters import available_reporters

    for name, reporter in available_reporters().items():
        print(f"{name:10} {reporter.file_extension:8} {reporter.description}")
    return EXIT_OK
