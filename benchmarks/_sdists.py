"""The numpy, scipy and pandas source distributions the noise figures are measured on.

Issue 14 bounds the source rules' findings per 1,000 lines on large real code: CPython's
``Modules/`` and these three sdists. They are pinned by sha256 (the releases current when
the figure was first taken), downloaded once into ``~/.cache/ftaudit/sdists`` through
PyPI's JSON API, and unpacked next to the archive. Nothing here is imported by the tests.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import urllib.parse
import urllib.request
from pathlib import Path

CACHE = Path.home() / ".cache" / "ftaudit" / "sdists"

# (project, version, sha256 of the sdist)
PINNED = [
    ("numpy", "2.5.5", "5cddc243c75114ba845f01b1f87aca1572dbf7b6c2d88636ed3e1d2bccd7f1bf"),
    ("scipy", "1.18.1", "52c4b7422442aba924d03ad4019852b08a92e64ea187b933135687bfe2747307"),
    ("pandas", "3.1.1", "05fed3e3b7c99b226f160e29d7d6cb7ef39638c758cbfe42b3f24ba34f04b859"),
]


def _download(project: str, version: str, sha256: str) -> Path:
    usual = CACHE / f"{project}-{version}.tar.gz"
    if usual.is_file() and hashlib.sha256(usual.read_bytes()).hexdigest() == sha256:
        return usual
    # The project page lists every release; the per-version page (/pypi/<p>/<v>/json) has
    # been seen answering 404 for a release the project page lists.
    page_url = f"https://pypi.org/pypi/{project}/json"
    with urllib.request.urlopen(page_url, timeout=60) as response:
        page = json.load(response)
    (sdist,) = [file for file in page["releases"].get(version, []) if file["packagetype"] == "sdist"]
    archive = CACHE / sdist["filename"]
    if archive.is_file() and hashlib.sha256(archive.read_bytes()).hexdigest() == sha256:
        return archive
    # The JSON API may give a URL relative to the page (a mirror in front of PyPI does).
    with urllib.request.urlopen(urllib.parse.urljoin(page_url, sdist["url"]), timeout=600) as response:
        data = response.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise RuntimeError(f"{sdist['filename']}: sha256 differs from the pinned one")
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(archive)
    return archive


def pinned_sdist_trees() -> list[Path]:
    """Each pinned sdist unpacked (downloaded first when missing); returns the folders."""
    trees = []
    for project, version, sha256 in PINNED:
        tree = CACHE / f"{project}-{version}"
        if not tree.is_dir():
            archive = _download(project, version, sha256)
            with tarfile.open(archive) as opened:
                opened.extractall(CACHE, filter="data")
        trees.append(tree)
    return trees


if __name__ == "__main__":
    for folder in pinned_sdist_trees():
        print(folder)
