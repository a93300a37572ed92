"""Print the source rules' corpus recall/precision per labelling batch, and their finding density.

Density is findings per 1,000 lines over CPython 3.13's Modules/ (the issue's budget is at
most 2) and over any extra source trees given on the command line; ``--sdists`` adds the
numpy, scipy and pandas sdists pinned in ``_sdists.py`` (downloaded once into the cache).

    PYTHONPATH=. python benchmarks/source_rules_corpus.py [--cpython DIR] [--sdists] [TREE ...]

Without --cpython, the Debian source tarball setup leaves under
~/.cache/ftaudit/sources/ is unpacked to a temporary folder.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "corpus"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sdists import pinned_sdist_trees  # noqa: E402
from scoring import load_manifest, score_corpus  # noqa: E402

from auditor.engine.source_checks import check_bytes, language_for  # noqa: E402
from auditor.pipelines.source_files import is_test_path  # noqa: E402

SOURCES = Path.home() / ".cache" / "ftaudit" / "sources"


def _cpython_modules(workdir: Path) -> Path:
    tarball = next(SOURCES.glob("python3.13_*.orig.tar.xz"))
    with tarfile.open(tarball) as archive:
        members = [member for member in archive.getmembers() if "/Modules/" in member.name]
        archive.extractall(workdir, members=members, filter="data")
    return next(workdir.glob("*/Modules"))


def density(tree: Path) -> None:
    lines = 0
    by_rule: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    test_files = 0
    for path in sorted(tree.rglob("*")):
        language = language_for(path)
        if language is None or not path.is_file():
            continue
        if is_test_path(path.relative_to(tree)):
            test_files += 1  # left out, as scan-source does unless --include-tests
            continue
        data = path.read_bytes()
        lines += data.count(b"\n")
        outcome = check_bytes(str(path), data, language)
        by_rule.update(finding.rule for finding in outcome.findings)
    total = sum(by_rule.values())
    print(
        f"{tree}: {lines} lines, {total} findings, {1000 * total / max(lines, 1):.2f} per 1,000 lines "
        f"({time.perf_counter() - started:.0f} s; {test_files} test files left out)"
    )
    for rule, count in by_rule.most_common():
        print(f"    {rule}: {count}")


def labelling_batches() -> list[str]:
    """Every batch the manifests name, in the order load_manifest reads them.

    Each batch scored alone is the held-out figure for the rules as they stood when it was
    labelled, so a batch added later must show up here without anyone editing this file.
    """
    batches: dict[str, None] = {}
    for entry in load_manifest():
        batches.setdefault(entry.get("added", "original"))
    return list(batches)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cpython", type=Path, help="a CPython Modules/ folder")
    parser.add_argument("--sdists", action="store_true", help="also the pinned numpy, scipy, pandas sdists")
    parser.add_argument("trees", nargs="*", type=Path)
    options = parser.parse_args()
    for batch in (*labelling_batches(), None):
        for group, score in sorted(score_corpus(batch).items()):
            print(
                f"corpus {batch or 'all'} {group}: recall {score.found}/{score.labels} = {score.recall:.0%}, "
                f"precision {score.true_findings}/{score.judged_findings} = {score.precision:.0%}"
            )
    with tempfile.TemporaryDirectory() as workdir:
        density(options.cpython or _cpython_modules(Path(workdir)))
    for tree in [*options.trees, *(pinned_sdist_trees() if options.sdists else [])]:
        density(tree)


if __name__ == "__main__":
    main()
