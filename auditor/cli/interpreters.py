"""`ftaudit interpreters`: list the Pythons found and what each one is."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from ..collectors.interpreters.discovery import find_interpreters
from ..model.serialize import to_dict
from .common import EXIT_OK


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser("interpreters", help=summary)
    parser.add_argument(
        "--python",
        action="append",
        default=[],
        metavar="PATH",
        help="also describe this interpreter (repeatable)",
    )
    parser.add_argument("--format", "-f", choices=["terminal", "json"], default="terminal")
    parser.set_defaults(handler=run)


def run(args) -> int:
    interpreters, problems = find_interpreters(args.python)
    if args.format == "json":
        print(
            json.dumps(
                {"interpreters": [to_dict(info) for info in interpreters], "problems": problems}, indent=2
            )
        )
        return EXIT_OK
    table = Table(title="Python interpreters")
    for column in ("version", "free-threaded", "ABI", "TSan", "found via", "executable"):
        table.add_column(column, overflow="fold")
    for info in interpreters:
        table.add_row(
            info.version,
            "yes" if info.free_threaded else "no",
            info.abi_tag,
            "yes" if info.tsan else "",
            info.found_via,
            info.executable,
        )
    console = Console()
    console.print(table)
    if not any(info.free_threaded for info in interpreters):
        console.print("[yellow]No free-threaded interpreter found: `ftaudit provision` builds one.[/]")
    for problem in problems:
        console.print(f"[red]could not describe[/] {problem}")
    return EXIT_OK
