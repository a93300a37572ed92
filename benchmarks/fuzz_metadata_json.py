"""Fuzz the readers of untrusted documents: METADATA, RECORD, WHEEL and report JSON.

Each round takes a real document, mutates it (flipped and inserted bytes, truncation,
NUL and non-UTF-8 bytes, stray quotes and commas, huge lines, deep bracket nesting,
NaN / Infinity / null / wrong types in JSON), feeds it to the same reader the scan or
``ftaudit report`` uses, and counts an *escape* whenever anything but the reader's
documented answer comes out (an exception from the metadata readers; anything but
``ReportInputError`` from the report loader, or an exception from the reporters given
a document the loader accepted).

    python benchmarks/fuzz_metadata_json.py --seconds 60
    python benchmarks/fuzz_metadata_json.py --iterations 400 --seed 7   # what the test runs

Prints inputs tried, escapes (with the first few inputs that escaped) and the slowest
input per reader. Exits 1 when something escaped.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.collectors.environment.metadata import read_core_metadata, read_wheel_tags  # noqa: E402
from auditor.collectors.environment.record import read_record  # noqa: E402
from auditor.pipelines.report import ReportInputError, load_report  # noqa: E402

METADATA_SEED = b"""Metadata-Version: 2.1
Name: sample-package
Version: 1.2.3
Summary: a package to mutate
Classifier: Programming Language :: Python :: Free Threading :: 3 - Stable
Classifier: Programming Language :: Python :: 3.13
Requires-Dist: numpy>=1.26

Long description.
"""
RECORD_SEED = b"""sample/__init__.py,sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU,0
sample/_speedups.cpython-313t-x86_64-linux-gnu.so,sha256=abc,1234
sample-1.2.3.dist-info/METADATA,,
"../../../bin/tool",,
"""
WHEEL_SEED = b"""Wheel-Version: 1.0
Generator: setuptools (75.0.0)
Root-Is-Purelib: false
Tag: cp313-cp313t-manylinux_2_17_x86_64
"""
REPORT_SEED = {
    "distributions": [
        {
            "name": "sample",
            "version": "1.0",
            "site_packages": "/site",
            "metadata_path": "/site/sample-1.0.dist-info",
            "verdict": "gil-fallback",
            "reason": "1 of 1 extension modules never declare Py_mod_gil: sample._speedups",
            "extensions": [
                {
                    "path": "sample/_speedups.so",
                    "module": "sample._speedups",
                    "abi": "cp313t",
                    "abi_free_threaded": True,
                    "loadable_on_target": True,
                    "errors": [],
                }
            ],
            "findings": [
                {
                    "rule": "FTB001",
                    "message": "never declares Py_mod_gil",
                    "severity": "warning",
                    "location": {"path": "sample/_speedups.so", "line": 3, "column": 1},
                    "evidence": ["PyModuleDef_Init without a Py_mod_gil slot"],
                }
            ],
        }
    ],
    "site_packages": ["/site"],
    "target": "3.13t",
    "errors": [],
    "partial": False,
}
_TOKENS = [
    b"\x00",
    b"\xff\xfe",
    b"\xed\xb2\x80",
    b"\r",
    b"\n",
    b"\n\t",
    b'"',
    b",",
    b":",
    b"\x1b[2J",
    b"../",
    b"/etc/passwd",
    b"=" * 200,
    b"A" * 70000,
    b"Name:",
    b"Version:",
    b"Tag:",
]
_JSON_REPLACEMENTS = [
    None,
    float("inf"),
    float("nan"),
    -1,
    10**400,
    True,
    "",
    "\x1b]0;title\x07",
    "\udcff",
    [],
    {},
    [[[[[[[[]]]]]]]],
]


def mutate_bytes(seed: bytes, chooser: random.Random) -> bytes:
    data = bytearray(seed)
    for _ in range(chooser.randint(1, 4)):
        action = chooser.randrange(6)
        position = chooser.randint(0, len(data))
        if action == 0 and data:  # flip a byte
            index = chooser.randrange(len(data))
            data[index] = chooser.randrange(256)
        elif action == 1:
            data[position:position] = chooser.choice(_TOKENS)
        elif action == 2:
            del data[position:]
        elif action == 3 and data:  # duplicate a slice
            end = min(len(data), position + chooser.randint(1, 64))
            data[position:position] = data[position:end] * chooser.randint(2, 50)
        elif action == 4:
            depth = chooser.choice([10, 300, 5000, 100000])
            data[position:position] = b"[" * depth + b"]" * chooser.choice([0, depth])
        else:
            data[position:position] = bytes(chooser.randrange(256) for _ in range(chooser.randint(1, 16)))
    return bytes(data)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


_HOSTILE_STRINGS = [
    "\x1b]0;title\x07\x1b[2J",
    "caf\udce9",
    "\ud800",
    "[bold red]markup[/]",
    "<script>alert(1)</script>",
    "| a | b |\n|---|",
    "\x00",
    "\u202egnp.exe",
    "",
    "ready",
]


def _value_at(document, path):
    for key in path:
        document = document[key]
    return document


def mutate_json(chooser: random.Random) -> bytes:
    document = json.loads(json.dumps(REPORT_SEED))
    if chooser.random() < 0.3:  # text-level damage
        return mutate_bytes(json.dumps(document).encode(), chooser)
    well_typed = chooser.random() < 0.5  # hostile text in string fields: reaches the reporters
    for _ in range(chooser.randint(1, 3)):
        paths = [p for p in _paths(document) if p]
        if well_typed:
            paths = [p for p in paths if isinstance(_value_at(document, p), str)]
        path = chooser.choice(paths)
        holder = document
        for key in path[:-1]:
            holder = holder[key]
        if well_typed:
            holder[path[-1]] = chooser.choice(_HOSTILE_STRINGS) * chooser.choice([1, 1, 3, 5000])
            continue
        replacement = copy.deepcopy(chooser.choice(_JSON_REPLACEMENTS))  # never one object twice
        if chooser.random() < 0.1:
            replacement = {"deep": json.loads("[" * 200 + "]" * 200)}
        holder[path[-1]] = replacement
    return json.dumps(document, allow_nan=True, ensure_ascii=chooser.random() < 0.5).encode(
        "utf-8", "surrogatepass"
    )


def _read_metadata(folder: Path, data: bytes) -> None:
    (folder / "METADATA").write_bytes(data)
    read_core_metadata(folder / "METADATA")


def _read_wheel(folder: Path, data: bytes) -> None:
    (folder / "WHEEL").write_bytes(data)
    read_wheel_tags(folder / "WHEEL", [])


def _read_record(folder: Path, data: bytes) -> None:
    (folder / "RECORD").write_bytes(data)
    read_record(folder)


def _read_report(folder: Path, data: bytes) -> bool:
    from auditor.reporters import get_reporter
    from auditor.shared.display_text import encodable

    (folder / "report.json").write_bytes(data)
    try:
        report = load_report(folder / "report.json")
    except ReportInputError:
        return False  # the documented answer to a bad document
    # What `ftaudit report` then does with it: render, and write as UTF-8.
    for name in ("markdown", "terminal", "html"):
        encodable(get_reporter(name).render(report)).encode("utf-8")
    return True


READERS = {
    "METADATA": (lambda chooser: mutate_bytes(METADATA_SEED, chooser), _read_metadata),
    "WHEEL": (lambda chooser: mutate_bytes(WHEEL_SEED, chooser), _read_wheel),
    "RECORD": (lambda chooser: mutate_bytes(RECORD_SEED, chooser), _read_record),
    "report JSON": (mutate_json, _read_report),
}


def fuzz(iterations: int | None, seconds: float | None, seed: int) -> dict:
    chooser = random.Random(seed)
    tried = 0
    reports_tried = reports_rendered = 0  # report JSON the loader accepted goes through the reporters
    escapes: list[tuple[str, bytes, str]] = []
    slowest: dict[str, tuple[float, bytes]] = {}
    deadline = time.monotonic() + seconds if seconds else None
    with tempfile.TemporaryDirectory(prefix="ftaudit-fuzz-") as work:
        folder = Path(work) / "sample-1.2.3.dist-info"
        folder.mkdir()
        while True:
            if iterations is not None and tried >= iterations:
                break
            if deadline is not None and time.monotonic() > deadline:
                break
            name = list(READERS)[tried % len(READERS)]
            mutate, read = READERS[name]
            data = mutate(chooser)
            started = time.perf_counter()
            try:
                rendered = read(folder, data)
                if name == "report JSON":
                    reports_tried += 1
                    reports_rendered += bool(rendered)
            except Exception:  # noqa: BLE001 - what the fuzzer is looking for
                escapes.append((name, data, traceback.format_exc(limit=3)))
            elapsed = time.perf_counter() - started
            if elapsed > slowest.get(name, (0.0, b""))[0]:
                slowest[name] = (elapsed, data)
            tried += 1
    return {
        "tried": tried,
        "reports": (reports_tried, reports_rendered),
        "escapes": escapes,
        "slowest": slowest,
    }


def _preview(data: bytes) -> str:
    shown = repr(data[:80])
    return shown + (f" ... ({len(data)} bytes)" if len(data) > 80 else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=None)
    parser.add_argument("--seconds", type=float, default=None, help="default: 30 s when no --iterations")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    seconds = args.seconds if args.seconds is not None or args.iterations is not None else 30.0
    started = time.perf_counter()
    outcome = fuzz(args.iterations, seconds, args.seed)
    print(f"inputs tried: {outcome['tried']} in {time.perf_counter() - started:.1f} s (seed {args.seed})")
    reports_tried, reports_rendered = outcome["reports"]
    print(f"report JSON accepted and rendered by 3 reporters: {reports_rendered} of {reports_tried}")
    print(f"escapes: {len(outcome['escapes'])}")
    for name, data, trace in outcome["escapes"][:5]:
        print(f"  {name}: {_preview(data)}\n    {trace.strip().splitlines()[-1]}")
    for name, (elapsed, data) in outcome["slowest"].items():
        print(f"slowest {name}: {elapsed * 1000:.1f} ms for {_preview(data)}")
    return 1 if outcome["escapes"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
