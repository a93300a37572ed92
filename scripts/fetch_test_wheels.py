"""Download the real wheels the tests read (tests/data/free_threaded_wheels.json) into the cache.

Run by scripts/setup.sh; idempotent: a wheel already in the cache with the pinned sha256
is not fetched again, and a download whose digest differs is refused (never used). The
index is asked through its JSON API (PEP 691's sibling on PyPI) for the file's address,
so a mirror that rewrites file URLs works too.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import urllib.parse
import urllib.request
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
MANIFEST = REPOSITORY / "tests" / "data" / "free_threaded_wheels.json"
JSON_API = os.environ.get("FTAUDIT_WHEEL_JSON_API", "https://pypi.org/pypi")


def cache_folder() -> Path:
    base = Path(os.environ.get("FTAUDIT_CACHE", Path.home() / ".cache" / "ftaudit"))
    return base / "wheels"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_url(project: str, version: str, filename: str) -> str:
    # The project page, not /<project>/<version>/json: not every mirror serves the latter.
    page = f"{JSON_API}/{project}/json"
    with urllib.request.urlopen(page, timeout=60) as response:
        project_data = json.load(response)
    for file in project_data.get("releases", {}).get(version, []):
        if file["filename"] == filename:
            return urllib.parse.urljoin(page, file["url"])
    raise LookupError(f"{filename} is not a file of {project} {version} on {JSON_API}")


def fetch(entry: dict, folder: Path) -> str:
    destination = folder / entry["filename"]
    if destination.exists() and sha256_of(destination) == entry["sha256"]:
        return "cached"
    partial = destination.with_suffix(".part")
    url = file_url(entry["project"], entry["version"], entry["filename"])
    with urllib.request.urlopen(url, timeout=300) as response, partial.open("wb") as stream:
        while block := response.read(1 << 20):
            stream.write(block)
    digest = sha256_of(partial)
    if digest != entry["sha256"]:
        partial.unlink()
        raise ValueError(f"{entry['filename']}: sha256 {digest} is not the pinned {entry['sha256']}")
    partial.replace(destination)
    return "downloaded"


def main() -> int:
    folder = cache_folder()
    folder.mkdir(parents=True, exist_ok=True)
    failures = 0
    counts = {"cached": 0, "downloaded": 0}
    manifest = json.loads(MANIFEST.read_text())
    # "wheels": paired free-threaded releases; "reader_regression_wheels": wheels the
    # ground-truth audit found read wrongly, each asserted by tests/test_binary_unseen_wheels.py.
    for entry in [*manifest["wheels"], *manifest.get("reader_regression_wheels", [])]:
        try:
            counts[fetch(entry, folder)] += 1
        except (OSError, ValueError, LookupError) as problem:
            failures += 1
            print(f"fetch_test_wheels: {entry['filename']}: {problem}", file=sys.stderr)
    print(
        f"fetch_test_wheels: {counts['downloaded']} downloaded, {counts['cached']} cached, {failures} failed"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
