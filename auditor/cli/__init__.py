"""The ``ftaudit`` command: argument parsing only.

Each subcommand is one module in this package exposing ``register(subparsers)``; the
module adds its parser and sets ``handler`` to a function taking the parsed arguments
and returning an exit code. The work itself is done by library functions in
:mod:`auditor`, so everything the CLI does can be done from Python.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from .. import __version__
from .common import EXIT_CODES_HELP, EXIT_USAGE

# Listed so `ftaudit --help` shows them in the order a user meets them; modules that
# are not listed are added after these, alphabetically.
_PREFERRED_ORDER = [
    "interpreters",
    "provision",
    "scan",
    "probe",
    "hammer",
    "scan_source",
    "rules",
    "fix",
    "report",
    "check",
    "tree",
    "diff",
    "survey",
]


def _subcommand_modules() -> list[str]:
    names = [info.name for info in pkgutil.iter_modules(__path__) if info.name != "common"]
    ordered = [name for name in _PREFERRED_ORDER if name in names]
    return ordered + sorted(set(names) - set(ordered))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ftaudit",
        description="Thread-safety auditor for free-threaded CPython (PEP 703).",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ftaudit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _subcommand_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("ftaudit: interrupted", file=sys.stderr)
        return 130
