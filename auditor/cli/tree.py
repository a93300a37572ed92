"""`ftaudit tree`: judge a dependency file's packages against a package index, before install."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..collectors.binary.abi_tag import KNOWN_FREE_THREADED_TARGETS, NEWEST_FREE_THREADED_TARGET
from ..collectors.tree import TargetError, TreeInputError
from ..collectors.tree.index.configuration import project_index_settings
from ..engine.outcome import tree_outcome
from ..model.report import AuditReport
from ..pipelines.dependency_tree import resolve_tree_targets
from .common import EXIT_USAGE, add_output_options, emit, error, finish

EPILOG = """exit codes for `tree`:
  0  every package has a wheel the target installs (ready, or pure Python)
  1  at least one package would have to be built from source for the target
  2  the file could not be read, or an unknown --target / --platform
  3  partial: some packages could not be judged (index unreachable, not cached with
     --offline, a line that could not be parsed) and none of the others needs a build;
     the output says which. As for every command (docs/exit-codes.md), a definite
     failure (1) outranks a partial result (3)

With several targets (--target 3.13t,3.14t,3.15t) every one is judged and shown in its
own column; the exit code is the first target's.

Pinned (==) and locked versions are judged by their own files; unpinned ones by the
release pip would pick (newest satisfying every specifier, no backtracking).
"""


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "tree",
        help=summary,
        description="Resolve a dependency file and ask a package index (PEP 691 JSON or PEP 503"
        " HTML) whether the releases that would be installed ship wheels for the target."
        " Pinned and locked versions are judged by their own files.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", type=Path, help="requirements*.txt, pyproject.toml, pylock.toml (pylock.NAME.toml) or uv.lock"
    )
    parser.add_argument(
        "--target",
        default=NEWEST_FREE_THREADED_TARGET,
        help=f"the interpreter(s) to judge for, comma-separated: {', '.join(KNOWN_FREE_THREADED_TARGETS)}"
        f" (t: free-threaded; default {NEWEST_FREE_THREADED_TARGET}). With several, each gets a column"
        " and the exit code is the first one's",
    )
    parser.add_argument(
        "--index-url",
        default=None,
        help="simple index URL (default: the one the file names, else https://pypi.org/simple)",
    )
    parser.add_argument(
        "--platform",
        action="append",
        default=None,
        metavar="TAG",
        help="wheel platform tag of the machine, e.g. manylinux_2_28_x86_64, macosx_11_0_arm64,"
        " win_amd64 (repeatable; default: any manylinux/musllinux x86_64)",
    )
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="NAME",
        help="include an optional-dependencies extra or a dependency group (repeatable)",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="use only the on-disk cache; what is not cached is reported and the result is partial",
    )
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="index cache folder (default: ~/.cache/ftaudit/index-cache)",
    )
    parser.add_argument(
        "--inspect-wheels",
        action="store_true",
        help="download each ready package's target wheel (Linux/ELF) and read whether its extensions"
        " declare Py_mod_gil = Py_MOD_GIL_NOT_USED; nothing is installed or imported",
    )
    parser.add_argument(
        "--max-wheel-mb",
        type=float,
        default=100.0,
        help="with --inspect-wheels: skip wheels larger than this (default: 100)",
    )
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per HTTP request (default: 30)")
    add_output_options(parser, default_format="terminal")
    parser.set_defaults(handler=run)


def run(args) -> int:
    try:
        trees = resolve_tree_targets(
            args.file,
            args.target.split(","),
            index_url=args.index_url,
            platform=args.platform,
            extras=args.extra,
            offline=args.offline,
            cache_dir=args.cache_dir,
            timeout_seconds=args.timeout,
            inspect_wheels=args.inspect_wheels,
            max_wheel_bytes=int(args.max_wheel_mb * 2**20),
            # Without --index-url, the indexes pip or uv would install this project from.
            index_settings=project_index_settings(Path(args.file).resolve().parent),
        )
    except (TreeInputError, TargetError) as problem:
        error(str(problem))
        return EXIT_USAGE
    tree = trees[0]  # the first target asked is the one the exit code answers for
    report = AuditReport.create(
        target=tree.target,
        tree=tree,
        tree_targets=trees if len(trees) > 1 else None,
    )
    if not emit(args, report):
        return EXIT_USAGE
    return finish(tree_outcome(tree))
