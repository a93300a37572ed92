"""`ftaudit audit`: the main job. Audits the project in the current folder (or
``--project DIR``): its dependency tree for every target, its environment, its sources and
its own harness samples, and writes the report that leads with the decision per target.
``--no-project`` keeps the older job (scan an environment, hammer ext_samples/).
Exit codes: 0 done; 1 a sample showed a race it was not expected to have, or (--strict)
GIL fallbacks / no target ready; 2 bad arguments; 3 partial."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from ..collectors.binary.abi_tag import KNOWN_FREE_THREADED_TARGETS
from ..engine.outcome import environment_audit_outcome, project_audit_outcome
from ..pipelines.project_audit import audit_environment, audit_project
from ..reporters import available_reporters, get_reporter, write_report_files
from .common import EXIT_USAGE, error, finish
from .hammer import hammer_progress


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "audit",
        help=summary,
    )
    parser.add_argument(
        "--project", type=Path, default=None, help="the project folder (default: the current folder)"
    )
    parser.add_argument(
        "--no-project",
        action="store_true",
        help="the older job instead: scan an environment (--python/--path) and hammer ext_samples/",
    )
    parser.add_argument("--index-url", default=None, help="ask this index (default: pip's or uv's setting)")
    parser.add_argument("--offline", action="store_true", help="index pages from the cache only")
    parser.add_argument("--cache-dir", type=Path, default=None, help="index cache folder")
    parser.add_argument("--python", default=None, help="audit this interpreter's environment")
    parser.add_argument("--path", action="append", type=Path, default=None, metavar="SITE_PACKAGES")
    parser.add_argument(
        "--target",
        default=None,
        type=_targets,
        help="free-threaded target(s), comma-separated (project audit default: "
        + ",".join(KNOWN_FREE_THREADED_TARGETS)
        + "; --no-project default: the scanned interpreter's own release if free-threaded, else 3.15t)",
    )
    parser.add_argument("--probe", action="store_true", help="also import each extension in a subprocess")
    parser.add_argument(
        "--samples",
        action="append",
        type=Path,
        default=None,
        help="sample folder(s) to hammer (default: the project's [tool.ftaudit] samples or ftaudit-samples/;"
        " with --no-project the shipped ext_samples/)",
    )
    parser.add_argument("--no-hammer", action="store_true", help="skip the dynamic harness")
    parser.add_argument("--budget", type=float, default=None, help="seconds per sample and interpreter")
    parser.add_argument("--source", action="store_true", help="also run the Python source rules")
    parser.add_argument("--output-dir", "-d", type=Path, default=Path("."))
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when no target is ready (project) or distributions fall back to the GIL (--no-project)",
    )
    parser.set_defaults(handler=run)


def _targets(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in KNOWN_FREE_THREADED_TARGETS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown target {', '.join(unknown) or text!r}; known: {', '.join(KNOWN_FREE_THREADED_TARGETS)}"
        )
    return names


def run(args) -> int:
    if not args.no_project:
        return run_project(args)
    if args.target and len(args.target) > 1:
        error("--no-project judges one target; give one --target")
        return EXIT_USAGE
    args.target = args.target[0] if args.target else None
    return run_environment(args)


def run_project(args) -> int:
    project = (args.project or Path.cwd()).resolve()
    if not project.is_dir():
        error(f"--project {project}: not a folder")
        return EXIT_USAGE
    console = Console(stderr=True)
    display, show_hammer_update = hammer_progress(console)

    def on_hammer_progress(update) -> None:
        if not display.live.is_started:
            display.start()
        show_hammer_update(update)

    def log(line: str) -> None:
        console.print(f"ftaudit audit: {line}", markup=False, highlight=False)

    log(f"project {project}")
    try:
        outcome = audit_project(
            project,
            python=args.python,
            targets=args.target,
            samples=args.samples,
            hammer_samples=not args.no_hammer,
            budget=args.budget,
            index_url=args.index_url,
            offline=args.offline,
            cache_dir=args.cache_dir,
            hammer_progress=on_hammer_progress,
            log=log,
        )
    finally:
        display.stop()
    print(get_reporter("terminal").render(outcome.report), end="")
    report = outcome.report
    for part in report.project.parts:
        if part.status != "done":
            console.print(f"{part.name}: {part.status}: {part.detail}", markup=False, highlight=False)
    for path in write_report_files(report, args.output_dir):
        console.print(f"wrote {path}")
    return finish(project_audit_outcome(report, outcome.problems, strict=args.strict))


def run_environment(args) -> int:
    console = Console(stderr=True)
    display, show_hammer_update = hammer_progress(console)

    def on_hammer_progress(update) -> None:
        # Started on the first update: rich allows one live display at a time, and the
        # scan before it takes a few seconds at most.
        if not display.live.is_started:
            display.start()
        show_hammer_update(update)

    console.print("ftaudit audit: scanning the environment, then hammering the samples")
    try:
        outcome = audit_environment(
            python=args.python,
            paths=args.path,
            target=args.target,
            probe=args.probe,
            samples=args.samples,
            hammer_samples=not args.no_hammer,
            budget=args.budget,
            source_checks=args.source,
            hammer_progress=on_hammer_progress,
        )
    finally:
        display.stop()
    print(get_reporter("terminal").render(outcome.report) if _has("terminal") else "", end="")
    for path in write_report_files(outcome.report, args.output_dir):
        console.print(f"wrote {path}")
    for problem in outcome.problems:
        console.print(f"[yellow]partial:[/] {problem}")
    return finish(environment_audit_outcome(outcome.report, outcome.problems, strict=args.strict))


def _has(format_name: str) -> bool:
    return format_name in available_reporters()
