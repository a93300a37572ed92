"""The ``ftaudit`` command: argument parsing only.

Each subcommand is one module in this package exposing ``register(subparsers)``; the
module adds its parser and sets ``handler`` to a function taking the parsed arguments
and returning an exit code. The work itself is done by library functions in
:mod:`auditor`, so everything the CLI does can be done from Python.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import signal
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from .. import __version__
from .common import EXIT_CODES_HELP, EXIT_INTERNAL, EXIT_USAGE

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


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException, so no ``except Exception`` keeps the run going,
    while every ``with`` and ``finally`` on the way out still runs: the temporary
    folders of extracted archives and wheels are removed (a CI job that times out sends
    SIGTERM, and the default action would leave gigabytes behind in /tmp)."""


def _raise_terminated(signal_number: int, frame: object) -> None:
    raise Terminated


def _save_traceback(command: str | None) -> Path | None:
    """Write the current exception's traceback where the user can attach it to a report."""
    from ..collectors.interpreters.provision import default_cache_dir

    text = f"ftaudit {__version__}, command {command!r}, argv {sys.argv!r}\n\n{traceback.format_exc()}"
    for folder in (default_cache_dir() / "crashes", Path(tempfile.gettempdir())):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            descriptor, name = tempfile.mkstemp(prefix="ftaudit-crash-", suffix=".txt", dir=folder)
            with os.fdopen(descriptor, "w", encoding="utf-8", errors="backslashreplace") as stream:
                stream.write(text)
            return Path(name)
        except OSError:
            continue
    return None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("ftaudit: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("ftaudit: terminated (SIGTERM); temporary files removed", file=sys.stderr)
        return 128 + signal.SIGTERM
    except Exception as problem:  # noqa: BLE001 - the last line of defence: exit 4, never 1
        # An uncaught exception would exit 1, which CI reads as "the gate failed";
        # docs/exit-codes.md promises 4 for a bug in ftaudit.
        saved = _save_traceback(getattr(args, "command", None))
        where = f"; the traceback is saved in {saved}" if saved else ""
        print(
            f"ftaudit: internal error ({type(problem).__name__}: {problem}): this is a bug in ftaudit,"
            f" please report it{where}",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
