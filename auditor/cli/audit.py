"""`ftaudit audit`: the main job on defaults (scan this environment, hammer the samples,
write the report). Exit codes: 0 done; 1 a shipped/given sample showed a race it was
not expected to have, or the environment has GIL fallbacks with --strict; 3 partial."""

from __future__ import annotations

from pathlib import Path

from ..binary.abi_tag import KNOWN_FREE_THREADED_TARGETS
from .common import EXIT_FAILED, EXIT_OK, EXIT_PARTIAL


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "audit", help="scan this environment, hammer the shipped samples, write the readiness report"
    )
    parser.add_argument("--python", default=None, help="audit this interpreter's environment")
    parser.add_argument("--path", action="append", type=Path, default=None, metavar="SITE_PACKAGES")
    parser.add_argument(
        "--target",
        default=None,
        choices=list(KNOWN_FREE_THREADED_TARGETS),
        help="free-threaded target (default: the scanned interpreter's own release if free-threaded,"
        " else 3.15t)",
    )
    parser.add_argument("--probe", action="store_true", help="also import each extension in a subprocess")
    parser.add_argument(
        "--samples",
        action="append",
        type=Path,
        default=None,
        help="sample folder(s) to hammer (default: the shipped ext_samples/)",
    )
    parser.add_argument("--no-hammer", action="store_true", help="skip the dynamic harness")
    parser.add_argument("--budget", type=float, default=None, help="seconds per sample and interpreter")
    parser.add_argument("--source", action="store_true", help="also run the Python source rules")
    parser.add_argument("--output-dir", "-d", type=Path, default=Path("."))
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when distributions fall back to the GIL"
    )
    parser.set_defaults(handler=run)


def run(args) -> int:
    from rich.console import Console

    from ..audit import audit
    from ..model.environment import Verdict
    from ..reporters import get_reporter
    from .hammer import hammer_progress

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
        outcome = audit(
            python=args.python,
            paths=args.path,
            target=args.target,
            probe=args.probe,
            samples=args.samples,
            hammer_samples=not args.no_hammer,
            budget=args.budget,
            source_checks=args.source,
            output_dir=args.output_dir,
            hammer_progress=on_hammer_progress,
        )
    finally:
        display.stop()
    print(get_reporter("terminal").render(outcome.report) if _has("terminal") else "", end="")
    for path in outcome.written:
        console.print(f"wrote {path}")
    for problem in outcome.problems:
        console.print(f"[yellow]partial:[/] {problem}")
    report = outcome.report
    unexpected = [sample for sample in report.hammer or [] if sample.matches_expectation is False]
    fallbacks = (
        [d for d in report.scan.distributions if d.verdict == Verdict.GIL_FALLBACK] if report.scan else []
    )
    if unexpected or (args.strict and fallbacks):
        return EXIT_FAILED
    if outcome.problems or (report.scan and report.scan.partial):
        return EXIT_PARTIAL
    return EXIT_OK


def _has(format_name: str) -> bool:
    from ..reporters import available_reporters

    return format_name in available_reporters()
