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
import signal
import sys
import tempfile
import threading
import traceback
from pathlib import Path

from .. import __version__
from ..collectors.interpreters.provision import default_cache_dir
from .common import EXIT_CODES_HELP, EXIT_INTERNAL, EXIT_USAGE

# Every subcommand: its name, the module that registers it, and the line `ftaudit --help`
# shows for it, in the order a user meets them. The summary lives here so that the
# listing needs no subcommand module: each imports the library it calls.
_SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "interpreters": ("interpreters", "list Python interpreters (PATH, pyenv, uv, ftaudit's cache, --python)"),
    "provision": ("provision", "build a free-threaded CPython 3.13 from Debian's source package (cached)"),
    "scan": ("scan", "judge every installed distribution for a free-threaded target, without importing it"),
    "probe": ("probe", "import each extension module of a free-threaded environment in its own subprocess"),
    "hammer": ("hammer", "compile sample extensions and stress them from many threads (the dynamic harness)"),
    "scan-source": (
        "scan_source",
        "check C/C++/Cython/Rust/Python sources (folders, files, sdists) for thread-safety risks",
    ),
    "rules": ("rules", "list the rules, or explain one (ftaudit rules CODE)"),
    "fix": ("fix", "show (and with --apply, write) mechanical fixes for source findings"),
    "report": ("report", "write the migration report (HTML, Markdown, ...) from results or a fresh scan"),
    "check": ("check", "CI gate: scan, guard the interpreter, apply the [tool.ftaudit] policy, exit 0/1/3"),
    "tree": (
        "tree",
        "check which releases in a requirements / pyproject / pylock / uv.lock file ship"
        " free-threaded wheels (asks the package index; installs nothing)",
    ),
    "diff": ("diff", "compare two audit JSON documents; optionally fail on a regression"),
    "survey": (
        "survey",
        "survey many projects' free-threaded wheels: what their binaries declare about the GIL"
        " (local process pool or Dask)",
    ),
    "audit": ("audit", "audit the project here (dependencies per target, environment, sources, own samples)"),
    "formats": ("formats", "list output formats"),
}


def _subcommand_modules() -> list[str]:
    return [module for module, _ in _SUBCOMMANDS.values()]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with ``command``, only that subcommand's module is imported and
    the others are listed by name and summary (enough for ``ftaudit --help``)."""
    parser = argparse.ArgumentParser(
        prog="ftaudit",
        description="Thread-safety auditor for free-threaded CPython (PEP 703).",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ftaudit {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, summary) in _SUBCOMMANDS.items():
        if command is None or name == command:
            # deferred: each subcommand imports the pipelines it runs (0.26 s for all); load the one asked for
            module = importlib.import_module(f"{__name__}.{module_name}")
            module.register(subparsers, summary)
        else:
            subparsers.add_parser(name, help=summary)
    return parser


def _command_in(argv: list[str]) -> str:
    """The subcommand named on the command line ("" for none): the top-level parser has
    only --help and --version, so it is the first word that is not an option."""
    return next((word for word in argv if not word.startswith("-")), "")


class Terminated(BaseException):
    """SIGTERM arrived. A BaseException, so no ``except Exception`` keeps the run going,
    while every ``with`` and ``finally`` on the way out still runs: the temporary
    folders of extracted archives and wheels are removed (a CI job that times out sends
    SIGTERM, and the default action would leave gigabytes behind in /tmp)."""


def _raise_terminated(signal_number: int, frame: object) -> None:
    raise Terminated


def _save_traceback(command: str | None) -> Path | None:
    """Write the current exception's traceback where the user can attach it to a report."""
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
    parser = build_parser(_command_in(sys.argv[1:] if argv is None else argv))
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
