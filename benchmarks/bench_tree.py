"""How fast `ftaudit tree` resolves and judges a ~30-package requirements file.

Runs against the tests' local index server (real wheels, real HTTP on 127.0.0.1), with
an optional simulated round trip per request to resemble a remote index:

    .venv/bin/python benchmarks/bench_tree.py [--packages 30] [--latency-ms 0 50]

Prints seconds and packages/s for a cold cache, a warm cache (pages still fresh), a
cache whose pages must be revalidated (304s), and --offline.

With ``--requirements FILE --index-url URL`` it times a real file against a real index
instead (cold, then warm), e.g. PyPI; never used by the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from _index_server import LINUX, FixtureIndex, Release

from auditor.pipelines.dependency_tree import resolve_tree


def synthetic_world(count: int) -> tuple[list[Release], list[str]]:
    """``count`` top-level projects, each with two releases, a third of them depending on
    the next one, plus pure and sdist-only projects: roughly what a service pins."""
    releases: list[Release] = []
    roots: list[str] = []
    for number in range(count):
        name = f"bench{number:02d}"
        dependency = [f"bench{number + 1:02d}>=1"] if number % 3 == 0 and number + 1 < count else []
        kind = number % 4
        if kind == 0:
            tags = [f"cp313-cp313t-{LINUX}", f"cp312-cp312-{LINUX}"]
        elif kind == 1:
            tags = ["py3-none-any"]
        elif kind == 2:
            tags = [f"cp312-cp312-{LINUX}", f"cp311-abi3-{LINUX}"]
        else:
            tags = []
        releases.append(Release(name, "1.0", [f"cp312-cp312-{LINUX}"], sdist=True, requires_dist=dependency))
        releases.append(Release(name, "1.1", tags, sdist=True, requires_dist=dependency))
        roots.append(name if number % 2 else f"{name}==1.0")
    return releases, roots


def measure(label: str, count: int, run) -> float:
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    judged = len(result.packages)
    assert judged == count, (judged, result.errors)
    print(f"  {label:<28} {seconds:7.3f} s  {judged / seconds:8.1f} packages/s  partial={result.partial}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--packages", type=int, default=30)
    parser.add_argument("--latency-ms", type=float, nargs="+", default=[0.0, 50.0])
    parser.add_argument("--requirements", type=Path, default=None, help="time this file instead")
    parser.add_argument("--index-url", default="https://pypi.org/simple")
    args = parser.parse_args()
    if args.requirements:
        with tempfile.TemporaryDirectory() as scratch:
            cache = Path(scratch) / "cache"
            for label in ("cold cache", "warm cache"):
                started = time.perf_counter()
                result = resolve_tree(args.requirements, index_url=args.index_url, cache_dir=cache)
                seconds = time.perf_counter() - started
                count = len(result.packages)
                print(
                    f"  {label:<12} {seconds:7.2f} s  {count} packages  {count / seconds:7.1f} packages/s"
                    f"  partial={result.partial}"
                )
        return
    releases, roots = synthetic_world(args.packages)
    for latency in args.latency_ms:
        with tempfile.TemporaryDirectory() as scratch:
            scratch_path = Path(scratch)
            requirements = scratch_path / "requirements.txt"
            requirements.write_text("\n".join(roots) + "\n")
            print(f"{args.packages} packages, {latency:g} ms simulated round trip per request")
            for max_age, label in ((600, "fresh"), (0, "revalidated")):
                with FixtureIndex(
                    releases,
                    scratch_path / f"files-{max_age}",
                    max_age=max_age,
                    latency_seconds=latency / 1000,
                ) as index:
                    cache = scratch_path / f"cache-{max_age}"

                    def run(offline: bool = False, index=index, cache=cache, requirements=requirements):
                        return resolve_tree(
                            requirements, index_url=index.url, cache_dir=cache, offline=offline
                        )

                    if max_age:
                        measure("cold cache", args.packages, run)
                        before = len(index.requests)
                        measure("warm cache (pages fresh)", args.packages, run)
                        print(f"  {'':<28} requests on the warm run: {len(index.requests) - before}")
                        measure("--offline", args.packages, lambda: run(True))
                    else:
                        run()
                        before = len(index.requests)
                        measure(f"warm cache ({label}, 304s)", args.packages, run)
                        print(
                            f"  {'':<28} requests on that run: {len(index.requests) - before}"
                            f" ({index.not_modified} answered 304)"
                        )


if __name__ == "__main__":
    main()
