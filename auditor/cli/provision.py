"""`ftaudit provision`: build a free-threaded CPython 3.13 into the cache."""

from __future__ import annotations

from pathlib import Path

from ..collectors.interpreters.provision import ProvisionError, provision
from .common import EXIT_OK, EXIT_USAGE, error


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser("provision", help=summary)
    parser.add_argument("--tsan", action="store_true", help="build the ThreadSanitizer variant")
    parser.add_argument(
        "--gil-baseline",
        action="store_true",
        help="build the same release with the GIL (the harness's baseline)",
    )
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.set_defaults(handler=run)


def run(args) -> int:
    try:
        interpreter = provision(tsan=args.tsan, cache_dir=args.cache_dir, gil=args.gil_baseline)
    except ProvisionError as problem:
        error(str(problem))
        return EXIT_USAGE
    print(interpreter.executable)
    return EXIT_OK
