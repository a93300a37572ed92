"""`ftaudit survey`: which projects really run free-threaded, read from their wheels' binaries.

  ftaudit survey PROJECTS.txt [--top N] [-o survey.json] [--html tracker.html]
  ftaudit survey diff OLD.json NEW.json [--fail-on-regression]
  ftaudit survey html SURVEY.json --html tracker.html

The work is :func:`auditor.pipelines.survey.run_survey`; this module parses arguments and prints.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from ..collectors.binary.abi_tag import KNOWN_FREE_THREADED_TARGETS
from ..collectors.tree import TargetError
from ..collectors.tree.index.client import DEFAULT_INDEX_URL
from ..engine.outcome import regression_outcome, survey_outcome
from ..model.serialize import dumps, to_dict
from ..pipelines.survey import (
    EngineError,
    LocalPoolEngine,
    ResultStore,
    StoreError,
    SurveyInputError,
    diff_surveys,
    load_survey,
    read_project_list,
    run_survey,
)
from ..pipelines.survey.compare import render_survey_diff
from ..reporters.survey_html import render_survey_html
from .common import EXIT_OK, EXIT_USAGE, error, finish

DEFAULT_STORE = Path("~/.cache/ftaudit/survey/results.jsonl").expanduser()

EPILOG = f"""modes:
  PROJECTS          a text file (one name per line, optional download count after it) or a
                    JSON downloads ranking ({{"rows": [{{"project": ..., "download_count": ...}}]}})
  diff OLD NEW      what changed between two survey JSON documents
  html SURVEY       write the tracker page (--html) for an existing survey document

engines:
  default           a process pool on this machine (--workers, default: one per core)
  --dask            a Dask LocalCluster of --workers processes on 127.0.0.1
  --scheduler ADDR  an existing Dask cluster (tcp://host:8786); workers need ftaudit[dask]

Verdicts are appended to --store as they arrive (default {DEFAULT_STORE}), keyed by the
wheel's sha256, the target and the analyser's fingerprint: an interrupted survey resumes,
and a finished one re-run reads nothing again.

exit codes for `survey`:
  0  every project was judged
  2  bad arguments, an unreadable project list or survey, no Dask, no scheduler there
  3  partial: some projects or wheels could not be read (each is named in the output);
     a re-run retries only those
exit codes for `survey diff`: 0 compared; 1 with --fail-on-regression and a regression; 2 unreadable input
"""


def register(subparsers, summary: str) -> None:
    parser = subparsers.add_parser(
        "survey",
        help=summary,
        description="For each project, judge the newest release and the first release with"
        " free-threaded wheels, for each target: the wheel, and every extension module's declared"
        " GIL state, generator, ABI and risky imports, read from the binary. Nothing is installed"
        " or imported.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "arguments", nargs="+", metavar="PROJECTS | diff OLD NEW | html SURVEY", help="see modes below"
    )
    parser.add_argument("--top", type=int, default=None, metavar="N", help="only the first N projects")
    parser.add_argument(
        "--target",
        default=",".join(KNOWN_FREE_THREADED_TARGETS),
        help=f"targets, comma-separated (default: {','.join(KNOWN_FREE_THREADED_TARGETS)})",
    )
    parser.add_argument(
        "--index-url", default=None, help="simple index URL (default: https://pypi.org/simple)"
    )
    parser.add_argument(
        "--platform",
        action="append",
        default=None,
        metavar="TAG",
        help="Linux wheel platform tag (repeatable; default: any manylinux/musllinux x86_64)",
    )
    engine = parser.add_mutually_exclusive_group()
    engine.add_argument("--dask", action="store_true", help="run on a local Dask cluster (ftaudit[dask])")
    engine.add_argument("--scheduler", default=None, metavar="ADDRESS", help="run on this Dask scheduler")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (local pool / --dask)")
    parser.add_argument(
        "--retries", type=int, default=3, help="Dask: re-runs of a task that failed (default 3)"
    )
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE, help="the resumable result store")
    parser.add_argument("--no-store", action="store_true", help="judge every wheel again, store nothing")
    parser.add_argument("--cache-dir", type=Path, default=None, help="index page cache folder")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per HTTP request (default 60)")
    parser.add_argument("--max-wheel-mb", type=float, default=100.0, help="skip larger wheels (default 100)")
    parser.add_argument(
        "--output", "-o", type=Path, default=None, help="write the JSON here (default: stdout)"
    )
    parser.add_argument("--html", type=Path, default=None, help="write the HTML tracker page here")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress lines on standard error")
    parser.add_argument(
        "--format",
        "-f",
        choices=["terminal", "markdown", "json"],
        default="terminal",
        help="diff: output format",
    )
    parser.add_argument(
        "--fail-on-regression", action="store_true", help="diff: exit 1 when a project became less ready"
    )
    parser.set_defaults(handler=run)


def _write(path: Path | None, text: str) -> bool:
    if path is None:
        sys.stdout.write(text)
        return True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as problem:
        error(f"cannot write {path}: {problem.strerror or problem}")
        return False
    print(f"wrote {path}", file=sys.stderr)
    return True


def run(args: argparse.Namespace) -> int:
    mode, rest = args.arguments[0], args.arguments[1:]
    if mode == "diff":
        if len(rest) != 2:
            error("survey diff takes two survey documents: ftaudit survey diff OLD.json NEW.json")
            return EXIT_USAGE
        return _diff(args, Path(rest[0]), Path(rest[1]))
    if mode == "html":
        if len(rest) != 1 or args.html is None:
            error("survey html takes one survey document and --html PAGE.html")
            return EXIT_USAGE
        return _html(args, Path(rest[0]))
    if rest:
        error(f"one project list expected, got {len(args.arguments)} arguments ({' '.join(args.arguments)})")
        return EXIT_USAGE
    return _survey(args, Path(mode))


def _diff(args: argparse.Namespace, old_path: Path, new_path: Path) -> int:
    try:
        old, new = load_survey(old_path), load_survey(new_path)
    except SurveyInputError as problem:
        error(str(problem))
        return EXIT_USAGE
    diff = diff_surveys(old, new)
    if args.format == "json":
        document = to_dict(diff)
        document["regressions"] = [change.describe() for change in diff.regressions]
        document["improvements"] = [change.describe() for change in diff.improvements]
        text = json.dumps(document, indent=2) + "\n"
    else:
        text = render_survey_diff(diff, markdown=args.format == "markdown")
    if not _write(args.output, text):
        return EXIT_USAGE
    return finish(regression_outcome(diff.regressions, args.fail_on_regression, since=str(old_path)))


def _html(args: argparse.Namespace, survey_path: Path) -> int:
    try:
        result = load_survey(survey_path)
    except SurveyInputError as problem:
        error(str(problem))
        return EXIT_USAGE
    return EXIT_OK if _write(args.html, render_survey_html(result)) else EXIT_USAGE


def _engine(args: argparse.Namespace):
    if args.dask or args.scheduler:
        # deferred: importing the Dask engine imports distributed (about 150 ms), an optional extra
        from ..pipelines.survey.engines.dask_cluster import DaskEngine

        return DaskEngine(args.scheduler, workers=args.workers, retries=args.retries)
    return LocalPoolEngine(args.workers)


def _survey(args: argparse.Namespace, projects_path: Path) -> int:
    if args.top is not None and args.top < 1:
        error("--top must be at least 1")
        return EXIT_USAGE
    try:
        projects = read_project_list(projects_path, top=args.top)
        store = None if args.no_store else ResultStore(args.store)
    except (SurveyInputError, StoreError) as problem:
        error(str(problem))
        return EXIT_USAGE
    last_print = [0.0]

    def progress(report) -> None:
        now = time.monotonic()
        if args.quiet or now - last_print[0] < 2.0:
            return
        last_print[0] = now
        print(f"survey: {report.line()}", file=sys.stderr, flush=True)

    try:
        engine = _engine(args)
    except EngineError as problem:
        error(str(problem))
        return EXIT_USAGE
    try:
        with engine:
            result = run_survey(
                projects.projects,
                index_url=args.index_url or DEFAULT_INDEX_URL,
                targets=[name.strip() for name in args.target.split(",") if name.strip()],
                platforms=args.platform,
                engine=engine,
                store=store,
                cache_dir=args.cache_dir,
                timeout_seconds=args.timeout,
                max_wheel_bytes=int(args.max_wheel_mb * 2**20),
                progress=progress,
                input_problems=projects.problems,
            )
    except TargetError as problem:
        error(str(problem))
        return EXIT_USAGE
    except StoreError as problem:
        error(f"{problem}; the verdicts judged so far are in the store")
        return EXIT_USAGE
    _print_summary(result)
    if not _write(args.output, dumps(result) + "\n"):
        return EXIT_USAGE
    if args.html is not None and not _write(args.html, render_survey_html(result)):
        return EXIT_USAGE
    return finish(survey_outcome(result.partial))


def _print_summary(result) -> None:
    stats = result.stats
    lines = [
        f"survey: {stats.projects} projects, {stats.wheels} wheels ({stats.wheels_from_store} from the store,"
        f" {stats.wheels_judged} read on {stats.workers} {stats.engine} worker(s),"
        f" {stats.wheels_failed} failed) in {stats.duration_seconds:.1f} s"
    ]
    for target in result.targets:
        statuses = [project.target(target) for project in result.projects]
        latest = [status.latest.status for status in statuses if status and status.latest]
        has_wheel = sum(status in ("ready", "gil-fallback") for status in latest)
        lines.append(
            f"  {target}: {has_wheel} ship a wheel, {latest.count('ready')} really free-threaded,"
            f" {latest.count('gil-fallback')} re-enable the GIL"
        )
    troubled = [project for project in result.projects if project.errors]
    for project in troubled[:10]:
        lines.append(f"  ! {project.name}: {project.errors[0]}")
    if len(troubled) > 10:
        lines.append(f"  ! ... and {len(troubled) - 10} more projects with problems (see the JSON)")
    lines.extend(f"  ! {problem}" for problem in result.errors[:10])
    if result.partial:
        lines.append("  partial: what is named above was not judged; a re-run retries only that")
    print("\n".join(lines), file=sys.stderr)
