"""Create (once) the free-threaded environments the benchmarks scan.

``bench_env()`` returns a venv of the provisioned free-threaded CPython 3.13 under
``~/.cache/ftaudit/bench-envs/scan-3.13t`` holding numpy, scipy, pandas, pillow and
about 35 other distributions that publish ``cp313t`` wheels. Each package is installed
on its own with ``--only-binary=:all:`` so that one without a free-threaded wheel (or
with none for this platform) is reported and skipped instead of failing the rest or
being compiled from source for minutes. A marker file records what was installed, so
later runs reuse the venv as it is.

Run it directly to (re)create the environment and see what failed:
``.venv/bin/python benchmarks/_environments.py``
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Distributions with compiled code and cp313t wheels on PyPI (as of 2025/2026), plus a
# few pure ones that real environments always carry. Order matters only for the log.
BENCH_PACKAGES = [
    "numpy",
    "scipy",
    "pandas",
    "pillow",
    "pyyaml",
    "markupsafe",
    "msgspec",
    "ujson",
    "orjson",
    "regex",
    "wrapt",
    "charset-normalizer",
    "psutil",
    "lxml",
    "aiohttp",
    "frozenlist",
    "multidict",
    "yarl",
    "propcache",
    "zstandard",
    "cryptography",
    "pydantic",
    "kiwisolver",
    "contourpy",
    "matplotlib",
    "scikit-learn",
    "cython",
    "greenlet",
    "rpds-py",
    "jiter",
    "xxhash",
    "brotli",
    "simplejson",
    "coverage",
    "pyzmq",
    "bcrypt",
    "cffi",
    "mypy",
    "rapidfuzz",
    "bitarray",
    "httptools",
    "uvloop",
    "pyarrow",
    "tornado",
]
MARKER = ".ftaudit-bench-env.json"


def cache_root() -> Path:
    configured = os.environ.get("FTAUDIT_CACHE")
    base = (
        Path(configured)
        if configured
        else Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ftaudit"
    )
    return base / "bench-envs"


def free_threaded_python() -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from auditor.collectors.interpreters.provision import find_provisioned

    provisioned = find_provisioned()
    if provisioned is None:
        raise SystemExit("no provisioned free-threaded CPython: run `ftaudit provision` first")
    return Path(provisioned.executable)


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def bench_env(packages: list[str] | None = None, log=print) -> tuple[Path, dict]:
    """The bench venv's interpreter and the install record ({"installed": [...], "failed": {...}})."""
    packages = list(packages or BENCH_PACKAGES)
    venv = cache_root() / "scan-3.13t"
    marker = venv / MARKER
    if marker.is_file():
        record = json.loads(marker.read_text())
        if record.get("requested") == packages:
            return venv_python(venv), record
    if not venv_python(venv).exists():
        venv.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(free_threaded_python()), "-m", "venv", str(venv)], check=True)
    installed: list[str] = []
    failed: dict[str, str] = {}
    for package in packages:
        completed = subprocess.run(
            [str(venv_python(venv)), "-m", "pip", "install", "--quiet", "--only-binary=:all:", package],
            capture_output=True,
            text=True,
        )
        if completed.returncode == 0:
            installed.append(package)
            log(f"installed {package}")
        else:
            reason = (completed.stderr.strip().splitlines() or ["pip failed"])[-1]
            failed[package] = reason
            log(f"FAILED {package}: {reason}")
    record = {"requested": packages, "installed": installed, "failed": failed}
    marker.write_text(json.dumps(record, indent=2))
    return venv_python(venv), record


if __name__ == "__main__":
    python, record = bench_env()
    print(f"{python}: {len(record['installed'])} installed, {len(record['failed'])} failed")
    for name, reason in record["failed"].items():
        print(f"  {name}: {reason}")
    sys.exit(0)
