"""Per-module analysis time per binary format, and agreement with the Linux reading.

Downloads (once, into ~/.cache/ftaudit/bench-wheels) the newest release's cp314t and
cp315t wheels of the projects below for manylinux x86_64, macOS arm64, macOS x86_64
(or universal2), Windows amd64 and Windows arm64 (wheels over --max-mb are skipped),
unpacks each, runs :func:`auditor.engine.binary_checks.analyse_extension` on every module for the
wheel's own platform, and prints per format and platform: modules, mean / median / max
milliseconds per module, and how many get the same GIL verdict as the Linux wheel of the
same release and ABI (a declaration is the same source on every platform), with every
disagreement and, separately, any module called `used` whose Linux twin is `not-used`.

    .venv/bin/python benchmarks/bench_binary_formats.py [--max-mb 40] [--projects a,b]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

from auditor.engine.binary_checks import analyse_extension
from auditor.model.environment import GilDeclaration

PROJECTS = """numpy scipy pandas pillow scikit-learn matplotlib lxml pydantic-core aiohttp markupsafe
msgpack pyyaml regex kiwisolver contourpy rpds-py jiter cffi charset-normalizer multidict yarl propcache
ujson greenlet sqlalchemy shapely pyzmq tornado wrapt coverage rapidfuzz xxhash pywavelets statsmodels
simplejson bitarray cytoolz uvloop httptools websockets pymongo sentencepiece pyopencl mlx mypy
pycurl setproctitle time-machine cbor2 ormsgpack cryptography""".split()
JSON_API = os.environ.get("FTAUDIT_WHEEL_JSON_API", "https://pypi.org/pypi")
CACHE = Path(os.environ.get("FTAUDIT_CACHE", Path.home() / ".cache" / "ftaudit")) / "bench-wheels"
# platform family -> (predicate on the wheel's platform tag, the tag analyse_extension judges for)
PLATFORMS = {
    "linux-x86_64": (lambda tag: "manylinux" in tag and tag.endswith("x86_64"), None),
    "macos-arm64": (lambda tag: tag.startswith("macosx") and tag.endswith("arm64"), "macosx_11_0_arm64"),
    "macos-x86_64": (
        lambda tag: tag.startswith("macosx") and tag.endswith(("x86_64", "universal2")),
        "macosx_10_15_x86_64",
    ),
    "windows-amd64": (lambda tag: tag == "win_amd64", "win_amd64"),
    "windows-arm64": (lambda tag: tag == "win_arm64", "win_arm64"),
}


def _choose(files: list[dict], max_bytes: int) -> dict[tuple[str, str], dict]:
    chosen: dict[tuple[str, str], dict] = {}
    for file in files:
        name = file["filename"]
        if not name.endswith(".whl") or file.get("size", 0) > max_bytes:
            continue
        abi, tags = name[:-4].split("-")[-2:]
        abi = "abi3t" if "abi3t" in abi else abi
        if abi not in ("cp314t", "cp315t", "abi3t"):
            continue
        for family, (matches, _tag) in PLATFORMS.items():
            if any(matches(tag) for tag in tags.split(".")):
                key = (family, abi)
                # The thin x86_64 wheel over universal2, else the smallest.
                if key not in chosen or file["size"] < chosen[key]["size"]:
                    chosen[key] = file
    return chosen


def _download(project: str, max_bytes: int) -> dict[tuple[str, str], Path]:
    page = f"{JSON_API}/{project}/json"
    with urllib.request.urlopen(page, timeout=60) as response:
        data = json.load(response)
    paths = {}
    for key, file in _choose(data["urls"], max_bytes).items():
        destination = CACHE / file["filename"]
        if not destination.exists():
            partial = destination.with_suffix(".part")
            urllib.request.urlretrieve(urllib.parse.urljoin(page, file["url"]), partial)
            partial.replace(destination)
        paths[key] = destination
    return paths


def _analyse(wheel: Path, target: str, platform: str | None) -> list[tuple[str, object, float, str]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="ftaudit-bench-") as scratch:
        site = Path(scratch)
        with zipfile.ZipFile(wheel) as archive:
            archive.extractall(site)
        for path in sorted([*site.rglob("*.so"), *site.rglob("*.pyd")]):
            started = time.perf_counter()
            extension, _findings = analyse_extension(path, site, target, platform=platform)
            elapsed = time.perf_counter() - started
            if any("exports no PyInit" in error for error in extension.errors):
                continue  # a bundled library, not a module
            head = path.read_bytes()[:4]
            file_format = (
                "Mach-O" if head[:2] in (b"\xcf\xfa", b"\xca\xfe") else "PE" if head[:2] == b"MZ" else "ELF"
            )
            rows.append((extension.module, extension, elapsed, file_format))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-mb", type=float, default=40)
    parser.add_argument("--projects", default="")
    options = parser.parse_args()
    projects = options.projects.split(",") if options.projects else PROJECTS
    CACHE.mkdir(parents=True, exist_ok=True)
    times: dict[str, list[float]] = collections.defaultdict(list)
    agreement: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    disagreements: list[str] = []
    for project in projects:
        try:
            wheels = _download(project, int(options.max_mb * 2**20))
        except OSError as problem:
            print(f"{project}: not downloaded ({problem})")
            continue
        for abi in ("cp314t", "cp315t", "abi3t"):
            target = "3.14t" if abi == "cp314t" else "3.15t"
            linux_wheel = wheels.get(("linux-x86_64", abi))
            if linux_wheel is None:
                continue
            linux = {}
            for name, module, elapsed, file_format in _analyse(linux_wheel, target, None):
                linux[name] = module
                times[file_format].append(elapsed)
            for family, (_matches, platform) in PLATFORMS.items():
                wheel = wheels.get((family, abi))
                if wheel is None or family.startswith("linux"):
                    continue
                for name, module, elapsed, file_format in _analyse(wheel, target, platform):
                    times[file_format].append(elapsed)
                    counts = agreement[f"{family} {abi}"]
                    counts["modules"] += 1
                    twin = linux.get(name)
                    if twin is None:
                        counts["no Linux twin"] += 1
                        continue
                    if twin.gil == module.gil:
                        counts["same"] += 1
                        continue
                    counts["different"] += 1
                    wrong_way = module.gil == GilDeclaration.USED and twin.gil == GilDeclaration.NOT_USED
                    counts["used where Linux is not-used"] += wrong_way
                    disagreements.append(
                        f"{'!! ' if wrong_way else ''}{family} {abi} {project} {name}: "
                        f"Linux {twin.gil.value}, here {module.gil.value} "
                        f"({module.gil_evidence[:160]}) {module.errors[:1]}"
                    )
    print("\nper-module analysis time by format (ms)")
    for file_format, values in sorted(times.items()):
        values_ms = [1000 * value for value in values]
        print(
            f"  {file_format:7} {len(values):5} modules  mean {statistics.mean(values_ms):7.1f}  "
            f"median {statistics.median(values_ms):7.1f}  max {max(values_ms):8.1f}"
        )
    print("\nagreement with the Linux wheel of the same release and ABI")
    for key, counts in sorted(agreement.items()):
        print(f"  {key:24} " + ", ".join(f"{what}: {count}" for what, count in counts.items()))
    for line in disagreements:
        print("  " + line)


if __name__ == "__main__":
    main()
