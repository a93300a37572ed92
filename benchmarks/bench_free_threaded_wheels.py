"""Static scan of the cp314t and cp315t wheels of 50+ popular releases, cold and warm.

Downloads (once, into ~/.cache/ftaudit/bench-wheels) the newest release's manylinux
x86_64 cp314t and cp315t (and abi3t) wheels of each project below, unpacks each ABI into
its own site-packages folder, and prints for each: distributions, extension modules, the
verdicts, cold time (empty analysis cache) and warm time (second run), and how many
modules get the same GIL verdict from both wheels of their release (the issue's measure
of a right reading: a release declares the same thing in both).

    .venv/bin/python benchmarks/bench_free_threaded_wheels.py
"""

from __future__ import annotations

import collections
import concurrent.futures
import json
import os
import shutil
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

from auditor.pipelines.scan import scan

PROJECTS = """numpy scipy pandas pillow scikit-learn matplotlib pyarrow lxml pydantic-core aiohttp markupsafe
msgpack pyyaml regex kiwisolver contourpy rpds-py jiter cffi charset-normalizer multidict yarl propcache
ujson greenlet sqlalchemy shapely pyzmq tornado wrapt coverage rapidfuzz xxhash pywavelets statsmodels
simplejson bitarray cytoolz uvloop httptools websockets pymongo sentencepiece pyopencl mlx llvmlite mypy
pycurl setproctitle time-machine cbor2 ormsgpack cryptography""".split()
JSON_API = os.environ.get("FTAUDIT_WHEEL_JSON_API", "https://pypi.org/pypi")
CACHE = Path(os.environ.get("FTAUDIT_CACHE", Path.home() / ".cache" / "ftaudit")) / "bench-wheels"


def _abi_of(filename: str) -> str | None:
    if not filename.endswith(".whl") or "x86_64" not in filename or "manylinux" not in filename:
        return None
    abi = filename[:-4].split("-")[-2]
    return abi if abi in ("cp314t", "cp315t") or "abi3t" in abi else None


def _download(project: str) -> list[Path]:
    page = f"{JSON_API}/{project}/json"
    with urllib.request.urlopen(page, timeout=60) as response:
        data = json.load(response)
    chosen: dict[str, dict] = {}
    for file in data["urls"]:
        abi = _abi_of(file["filename"])
        if abi and (abi not in chosen or len(file["filename"]) < len(chosen[abi]["filename"])):
            chosen[abi] = file
    paths = []
    for file in chosen.values():
        destination = CACHE / file["filename"]
        if not destination.exists():
            partial = destination.with_suffix(".part")
            urllib.request.urlretrieve(urllib.parse.urljoin(page, file["url"]), partial)
            partial.replace(destination)
        paths.append(destination)
    return paths


def _timed_scan(site: Path, target: str, cache_dir: Path) -> tuple[float, object]:
    started = time.perf_counter()
    result = scan(paths=[site], target=target, cache_dir=cache_dir)
    return time.perf_counter() - started, result


def main() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        wheels = [path for paths in pool.map(_download, PROJECTS) for path in paths]
    work = Path(tempfile.mkdtemp(prefix="ftaudit-bench-ft-"))
    try:
        sites = {"3.14t": work / "cp314t", "3.15t": work / "cp315t"}
        for wheel in wheels:
            target = "3.14t" if "cp314t" in wheel.name else "3.15t"
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(sites[target])
        declarations: dict[str, dict[str, str]] = {}
        for target, site in sites.items():
            cache_dir = work / f"cache-{target}"
            cold, result = _timed_scan(site, target, cache_dir)
            warm, _ = _timed_scan(site, target, cache_dir)
            modules = [m for d in result.distributions for m in d.extensions]
            declarations[target] = {m.module: m.gil.value for m in modules}
            verdicts = collections.Counter(d.verdict.value for d in result.distributions)
            gil = collections.Counter(m.gil.value for m in modules)
            print(
                f"{target}: {len(result.distributions)} distributions, {len(modules)} extension modules;"
                f" cold {cold:.2f} s ({len(modules) / cold:.0f} modules/s), warm {warm:.2f} s"
            )
            print(f"  verdicts {dict(verdicts)}; module GIL declarations {dict(gil)}")
        both = set(declarations["3.14t"]) & set(declarations["3.15t"])
        same = sum(declarations["3.14t"][name] == declarations["3.15t"][name] for name in both)
        print(f"same declaration in the cp314t and cp315t wheel of a release: {same} of {len(both)} modules")
        for name in sorted(both):
            if declarations["3.14t"][name] != declarations["3.15t"][name]:
                print(f"  differs: {name}: {declarations['3.14t'][name]} vs {declarations['3.15t'][name]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
