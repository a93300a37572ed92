"""How right the wheel reader is on wheels the tests never saw, against independent truth.

benchmarks/wheel_truth.json pins ~100 real wheels (by sha256) of releases that neither
tests/data/free_threaded_wheels.json nor the benchmark project lists use at that version,
across cp313t, cp314t, cp315t, abi3t and ordinary cp313 / abi3 wheels, for manylinux
x86_64 and aarch64, musllinux, macOS and Windows. Each module carries a truth and where
it came from:

* ``runtime``: the wheel (cp313t, Linux x86-64) was unpacked with pip and the module was
  loaded alone in a fresh free-threaded 3.13t process (PYTHON_GIL unset): its GIL
  declaration is whether CPython re-enabled the GIL while creating it (the RuntimeWarning
  "The global interpreter lock (GIL) has been enabled to load module ..." and
  ``sys._is_gil_enabled()``). ``--establish-runtime`` re-measures it.
* ``same-release``: the module of the same release's cp313t Linux wheel, measured at
  runtime (a declaration is the same source on every ABI and platform).
* ``source``: the release's sdist (the declaration named in the evidence).
* ``abi``: a GIL-only wheel (cp313, abi3) cannot load on a free-threaded interpreter.

A module's truth is ``not-used``, ``used``, ``not-loadable`` or ``not-a-module`` (a library
with no export hook, loaded with ctypes or cffi: it cannot touch the GIL). Outcomes:
``agree``; ``disagree``; ``reader-unknown`` (ftaudit could not decide); ``missed`` (a
module the wheel ships, found by its PyInit_/PyModExport_ name, that ftaudit did not
read); ``unknown`` (no truth). The per-wheel table compares the verdict ftaudit's
:func:`summarise_extensions` gives with the one the module truths imply.

The default run downloads the wheels once into ~/.cache/ftaudit/truth-wheels, reads each
with :func:`auditor.collectors.tree.wheel_inspection.read_wheel_extensions` exactly as
``tree --inspect-wheels`` and ``survey`` do, and prints agreement per ABI and per
platform, then every disagreement, reader error and slow read (> 2 s a wheel).
``--pinned`` reads another batch in the same format: benchmarks/wheel_truth_2.json is a
second, held-out batch (other releases again) built after the reader was fixed on the
first one's disagreements.

    .venv/bin/python benchmarks/wheel_truth_audit.py [--json out.json] [--pinned other.json]
    .venv/bin/python benchmarks/wheel_truth_audit.py --establish-runtime \\
        --python ~/.cache/ftaudit/pythons/3.13t/bin/python3
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

from auditor.collectors.binary.target import make_target
from auditor.collectors.tree.wheel_inspection import read_wheel_extensions, summarise_extensions
from auditor.model.environment import GilDeclaration

PINNED = Path(__file__).with_name("wheel_truth.json")
CACHE = Path(os.environ.get("FTAUDIT_CACHE", Path.home() / ".cache" / "ftaudit")) / "truth-wheels"
SLOW_SECONDS = 2.0
PROBE_TIMEOUT = 30
# The target each ABI is read for: the interpreter a user would install that wheel into.
TARGET_OF_ABI = {"cp313t": "3.13t", "cp314t": "3.14t", "cp315t": "3.15t", "abi3t": "3.15t"}
# GIL-only wheels are read for the free-threaded interpreter of the same release.
TARGET_OF_GIL_ABI = {"cp313": "3.13t", "abi3": "3.14t"}
# A wheel platform family -> the platform tag the reader is told the wheel is for.
PLATFORM_TAG = {
    "lx": "manylinux_2_28_x86_64",
    "la": "manylinux_2_28_aarch64",
    "mx": "musllinux_1_2_x86_64",
    "ma": "musllinux_1_2_aarch64",
    "mac-arm": "macosx_11_0_arm64",
    "mac-x86": "macosx_10_15_x86_64",
    "win": "win_amd64",
}

# Run in the free-threaded interpreter, one process per module: load the extension from its
# file under its dotted name without importing its package first (so a sibling module cannot
# be the one that re-enabled the GIL), and report whether creating it re-enabled the GIL.
# CPython decides when the module object is created (_imp.create_dynamic), before exec, so
# an exec that fails for a missing dependency does not hide the answer.
_PROBE = r"""
import importlib.util, json, sys, warnings
name, path = sys.argv[1], sys.argv[2]
result = {"gil_before": sys._is_gil_enabled(), "warning": None, "created": False}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        result["created"] = True
    except BaseException as problem:
        result["error"] = f"{type(problem).__name__}: {problem}"[:300]
    result["gil_after_create"] = sys._is_gil_enabled()
    if result["created"]:
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
            result["exec"] = "ok"
        except BaseException as problem:
            result["exec"] = f"{type(problem).__name__}: {problem}"[:300]
    for warning in caught:
        text = str(warning.message)
        if "global interpreter lock" in text and f"'{name}'" in text:
            result["warning"] = text[:200]
print(json.dumps(result))
"""


def _load_pinned(pinned_path: Path) -> dict:
    return json.loads(pinned_path.read_text())


def _wheel_bytes(wheel: dict) -> bytes:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / wheel["filename"]
    if path.exists():
        body = path.read_bytes()
        if hashlib.sha256(body).hexdigest() == wheel["sha256"]:
            return body
    with urllib.request.urlopen(wheel["url"], timeout=120) as response:
        body = response.read()
    if hashlib.sha256(body).hexdigest() != wheel["sha256"]:
        raise RuntimeError(f"{wheel['filename']}: sha256 differs from the pinned one")
    partial = path.with_suffix(".part")
    partial.write_bytes(body)
    partial.replace(path)
    return body


# ---------------------------------------------------------------- runtime truth (3.13t)


def _module_name(relative: Path) -> str:
    parts = list(relative.parts)
    parts[-1] = parts[-1].split(".")[0]
    return ".".join(parts)


def _probe_module(python: Path, sites: list[Path], name: str, path: Path) -> dict:
    environment = {key: value for key, value in os.environ.items() if key != "PYTHON_GIL"}
    environment["PYTHONPATH"] = os.pathsep.join(str(site) for site in sites)
    try:
        completed = subprocess.run(
            [str(python), "-c", _PROBE, name, str(path)],
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
            env=environment,
            cwd=sites[0],
        )
    except subprocess.TimeoutExpired:
        return {"gil": "unknown", "evidence": "runtime: import timed out"}
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        return {
            "gil": "unknown",
            "evidence": f"runtime: exit {completed.returncode} {completed.stderr[-200:]}",
        }
    seen = json.loads(lines[-1])
    if seen["warning"]:
        return {"gil": "used", "evidence": f"runtime 3.13t: {seen['warning']}"}
    if seen["gil_after_create"] and not seen["gil_before"]:
        # Another module it imported while initialising re-enabled the GIL first; CPython
        # then does not ask this one, so its own declaration was not observed.
        return {"gil": "unknown", "evidence": "runtime 3.13t: a module it imported re-enabled the GIL first"}
    if seen["created"]:
        return {
            "gil": "not-used",
            "evidence": "runtime 3.13t: created with no GIL warning, sys._is_gil_enabled() False",
        }
    error = seen.get("error", "")
    if "module export function" in error:
        return {"gil": "not-a-module", "evidence": f"runtime 3.13t: {error}"}
    return {"gil": "unknown", "evidence": f"runtime 3.13t: not created: {error}"}


# A module file tagged for an interpreter other than the 3.13t the truth is measured on.
_FOR_OTHER_INTERPRETER = re.compile(r"\.cpython-(?!313t-)\d+t?-")


def establish_runtime(python: Path, pinned_path: Path = PINNED) -> None:
    """Re-measure the runtime truth of every cp313t Linux x86-64 wheel and store it."""
    pinned = _load_pinned(pinned_path)
    with tempfile.TemporaryDirectory(prefix="ftaudit-truth-") as scratch:
        environment = Path(scratch) / "venv"
        subprocess.run([str(python), "-m", "venv", str(environment)], check=True)
        venv_python = environment / "bin" / "python"
        measured = [
            wheel for wheel in pinned["wheels"] if wheel["abi"] == "cp313t" and wheel["platform"] == "lx"
        ]
        for wheel in measured:
            # The wheel and the pinned wheels a module needs to initialise (shapely.lib imports
            # numpy's C API; mlx.core links the libmlx.so that mlx-cpu puts beside it), in one
            # folder as pip would lay them out in site-packages.
            site = Path(scratch) / wheel["filename"]
            wheels = [wheel["filename"], *wheel.get("runtime_needs", [])]
            for filename in wheels:
                _wheel_bytes(next(pin for pin in pinned["wheels"] if pin["filename"] == filename))
            subprocess.run(
                [str(venv_python), "-m", "pip", "install", "-q", "--no-deps", "--no-compile"]
                + ["--target", str(site)]
                + [str(CACHE / filename) for filename in wheels],
                check=True,
            )
            with zipfile.ZipFile(CACHE / wheel["filename"]) as archive:
                members = [name for name in archive.namelist() if name.endswith(".so")]
            truth = {}
            for member in sorted(members):
                relative = Path(member)
                if relative.parts[0].endswith(".data") or any(
                    part.endswith((".libs", ".dylibs")) for part in relative.parts
                ):
                    continue  # auditwheel's bundled libraries, not modules
                if _FOR_OTHER_INTERPRETER.search(relative.name):
                    # pymongo's cp313t wheels also carry bson/_cbson.cpython-39-...so and the
                    # like: 3.13t never imports those, and each would overwrite the truth of
                    # the cpython-313t file, which has the same dotted name.
                    continue
                found = _probe_module(venv_python, [site], _module_name(relative), site / relative)
                truth[_module_name(relative)] = {"source": "runtime", **found}
            for module, earlier in wheel.get("truth", {}).items():
                # What the sdist showed for a module whose load could not be observed (one that
                # imports a module which re-enables the GIL first) stays.
                if earlier.get("source") == "source" and truth.get(module, {}).get("gil") == "unknown":
                    truth[module] = earlier
            wheel["truth"] = truth
            print(wheel["filename"], {name: value["gil"] for name, value in truth.items()}, flush=True)
    pinned_path.write_text(json.dumps(pinned, indent=1) + "\n")


# ---------------------------------------------------------------- the reader, and the comparison


def _read_with_ftaudit(wheel: dict, body: bytes) -> tuple[list, list[str], float]:
    target = TARGET_OF_ABI.get(wheel["abi"]) or TARGET_OF_GIL_ABI.get(wheel["abi"], "3.13t")
    started = time.perf_counter()
    try:
        extensions, problems = read_wheel_extensions(
            body, wheel["filename"], make_target(target), wheel["project"], PLATFORM_TAG[wheel["platform"]]
        )
    except Exception as crash:  # a crash is a finding, not the end of the audit
        return [], [f"reader raised {type(crash).__name__}: {crash}"], time.perf_counter() - started
    return extensions, problems, time.perf_counter() - started


# An extension module's file name, read independently of ftaudit's own suffix rules.
_MODULE_FILE = re.compile(r"\.(cpython-3\d+t?-[^./]+\.so|abi3t?\.so|cp3\d+t?-win_[a-z0-9]+\.pyd|pyd|so)$")


def _wheel_modules(body: bytes) -> set[str]:
    """The dotted names of the extension modules a wheel ships: every shared object whose
    bytes name its own export hook (``PyInit_<name>``, or PEP 793's ``PyModExport_<name>``),
    found with a plain byte search rather than ftaudit's readers and file-name rules."""
    modules = set()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            parts = name.split("/")
            if not _MODULE_FILE.search(name) or parts[0].endswith(".data"):
                continue
            stem = parts[-1].split(".")[0]
            data = archive.read(name)
            if f"PyInit_{stem}".encode() not in data and f"PyModExport_{stem}".encode() not in data:
                continue  # a bundled or ctypes-loaded library, not a module of that name
            modules.add(".".join([*parts[:-1], stem]))
    return modules


def _truth_with_same_release(pinned: dict, present: dict[str, set[str]]) -> None:
    """Give each wheel the runtime truth of its release's cp313t Linux wheel for every module
    it ships that the source did not already settle: a declaration is one source on every
    ABI and platform."""
    measured = {
        (wheel["project"], wheel["version"]): wheel
        for wheel in pinned["wheels"]
        if wheel["abi"] == "cp313t" and wheel["platform"] == "lx"
    }
    for wheel in pinned["wheels"]:
        twin = measured.get((wheel["project"], wheel["version"]))
        if twin is None or twin is wheel or wheel["abi"] in TARGET_OF_GIL_ABI:
            continue
        truth = wheel.setdefault("truth", {})
        for module, found in twin.get("truth", {}).items():
            if module in present[wheel["filename"]] and module not in truth and found["gil"] != "unknown":
                truth[module] = {
                    "source": "same-release",
                    "gil": found["gil"],
                    "evidence": f"{twin['filename']}: {found['evidence']}",
                }


def _reader_answer(extension) -> str:
    if extension.loadable_on_target is False:
        return "not-loadable"
    return extension.gil.value


def _compare(truth: dict, extension) -> str:
    expected = truth["gil"]
    if expected == "unknown":
        return "unknown"
    if expected == "not-a-module":
        # A library loaded with ctypes or cffi's dlopen (pycryptodome's _raw_*.abi3.so): it
        # never goes through the import system, so it cannot re-enable the GIL. Listing it as
        # a module whose declaration could not be read turns the wheel's verdict to unknown,
        # and listing it as one that needs the GIL (the PyInit_ that returns NULL which
        # pycryptodome's Windows .pyd files carry for the linker) turns it to gil-fallback.
        if extension is None or extension.gil is GilDeclaration.NOT_USED:
            return "agree"
        return "disagree"
    if extension is None:
        return "missed"
    answer = _reader_answer(extension)
    if answer == expected:
        return "agree"
    # The reader saying "cannot tell" is honest but still a miss: a user gets no verdict.
    return "reader-unknown" if answer == "unknown" else "disagree"


def _truth_verdict(truth: dict[str, dict]) -> str:
    """The wheel's verdict the module truths imply, in the words ``survey`` uses."""
    found = {value["gil"] for value in truth.values()} - {"not-a-module"}
    if "used" in found:
        return "gil-fallback"
    if "unknown" in found:
        return "unknown"
    if found == {"not-loadable"}:
        return "needs-build"
    return "ready" if found else "pure"


def _reader_verdict(filename: str, extensions: list, problems: list[str]) -> str:
    if extensions and all(extension.loadable_on_target is False for extension in extensions):
        # summarise_extensions is only ever given wheels the target can install; for a GIL-only
        # wheel it would say gil-fallback, so the loadability answers for it here.
        return "needs-build"
    summary = summarise_extensions(filename, extensions, problems)
    if summary.gil_fallback is None:
        return "unknown"
    if summary.gil_fallback:
        return "gil-fallback"
    return "ready" if summary.extensions else "pure"


def _judge_wheel(wheel: dict, body: bytes, present: set[str]) -> dict:
    """One wheel read by ftaudit and set against its truth: a row per module, and the wheel's."""
    extensions, problems, seconds = _read_with_ftaudit(wheel, body)
    truth = wheel.get("truth", {})
    read = {extension.module: extension for extension in extensions}
    errors = list(problems)
    # Every file's errors, and a note for a module read from more than one file (pymongo's
    # wheels carry a build per CPython): its row compares only the last file read.
    files_of = collections.Counter(extension.module for extension in extensions)
    for extension in extensions:
        errors.extend(f"{extension.module}: {error}" for error in extension.errors)
    errors.extend(f"{module}: read from {count} files" for module, count in files_of.items() if count > 1)
    rows = []
    for module in sorted(set(truth) | set(read) | present):
        extension = read.get(module)
        if module in truth:
            outcome = _compare(truth[module], extension)
        elif wheel["abi"] == "none":
            outcome = "disagree"  # a wheel of support libraries only: no module to report
        else:
            outcome = "unknown"
        rows.append(
            {
                "wheel": wheel["filename"],
                "url": wheel["url"],
                "sha256": wheel["sha256"],
                "module": module,
                "ftaudit": f"{_reader_answer(extension)} by {extension.gil_declared_by.value}"
                if extension
                else "not read",
                "evidence": extension.gil_evidence if extension else "",
                "truth": truth.get(module, {}).get("gil", "none"),
                "truth_evidence": truth.get(module, {}).get("evidence", ""),
                "truth_source": truth.get(module, {}).get("source", ""),
                "outcome": outcome,
            }
        )
    return {
        "rows": rows,
        "errors": errors,
        "seconds": seconds,
        "verdict": _reader_verdict(wheel["filename"], extensions, problems),
        "truth_verdict": _truth_verdict(truth),
    }


def _print_report(pinned: dict, judged: dict[str, dict]) -> list[dict]:
    tallies: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    wheel_tallies: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    disagreements = []
    for wheel in pinned["wheels"]:
        result = judged[wheel["filename"]]
        keys = (f"abi {wheel['abi']}", f"platform {wheel['platform']}", "all")
        for row in result["rows"]:
            for key in keys:
                tallies[key][row["outcome"]] += 1
            if row["outcome"] in ("disagree", "missed", "reader-unknown"):
                disagreements.append(row)
        if result["truth_verdict"] == "unknown":
            wheel_outcome = "unknown"
        else:
            wheel_outcome = "agree" if result["verdict"] == result["truth_verdict"] else "disagree"
        for key in keys:
            wheel_tallies[key][wheel_outcome] += 1
    modules = sum(tallies["all"].values())
    print(f"{len(pinned['wheels'])} wheels, {modules} modules\n\nper module:")
    columns = ("agree", "disagree", "reader-unknown", "missed", "unknown")
    print(f"{'':18}" + "".join(f"{column:>16}" for column in columns))
    for key in sorted(tallies, key=lambda name: (name != "all", name)):
        print(f"{key:18}" + "".join(f"{tallies[key][column]:16}" for column in columns))
    print("\nper wheel (the verdict tree --inspect-wheels and survey give):")
    for key in sorted(wheel_tallies, key=lambda name: (name != "all", name)):
        print(
            f"{key:18}"
            + "".join(f"{wheel_tallies[key][column]:16}" for column in ("agree", "disagree", "unknown"))
        )
    print("\ndisagreements:" if disagreements else "\nno disagreements")
    for row in disagreements:
        print(
            f"  {row['wheel']} {row['module']}: ftaudit {row['ftaudit']} ({row['evidence']}); truth "
            f"{row['truth']} ({row['truth_source']}: {row['truth_evidence']})\n    {row['url']}\n"
            f"    sha256 {row['sha256']}"
        )
    _print_findings(judged)
    return disagreements


def _print_findings(judged: dict[str, dict]) -> None:
    print("\nwheel verdicts that differ:")
    for filename, result in judged.items():
        if result["truth_verdict"] != "unknown" and result["verdict"] != result["truth_verdict"]:
            print(f"  {filename}: ftaudit {result['verdict']}, truth {result['truth_verdict']}")
    print("\nreader errors:")
    for filename, result in judged.items():
        shown = result["errors"][:3]
        for error in shown:
            print(f"  {filename}: {error}")
        if len(result["errors"]) > len(shown):
            print(f"  {filename}: ... {len(result['errors']) - len(shown)} more")
    print(f"\nreads over {SLOW_SECONDS} s:")
    for filename, result in judged.items():
        if result["seconds"] > SLOW_SECONDS:
            print(f"  {filename}: {result['seconds']:.2f} s")
    slowest = max(judged.items(), key=lambda item: item[1]["seconds"])
    print(f"  (slowest: {slowest[0]} {slowest[1]['seconds']:.2f} s)")


def audit(write_json: Path | None, pinned_path: Path = PINNED) -> int:
    pinned = _load_pinned(pinned_path)
    bodies = {wheel["filename"]: _wheel_bytes(wheel) for wheel in pinned["wheels"]}
    present = {filename: _wheel_modules(body) for filename, body in bodies.items()}
    _truth_with_same_release(pinned, present)
    judged = {
        wheel["filename"]: _judge_wheel(wheel, bodies[wheel["filename"]], present[wheel["filename"]])
        for wheel in pinned["wheels"]
    }
    disagreements = _print_report(pinned, judged)
    if write_json:
        rows = [row for result in judged.values() for row in result["rows"]]
        write_json.write_text(json.dumps(rows, indent=1) + "\n")
    return 1 if disagreements else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--establish-runtime", action="store_true", help="re-measure the runtime truth")
    parser.add_argument(
        "--python", type=Path, help="the free-threaded 3.13t interpreter for --establish-runtime"
    )
    parser.add_argument("--json", type=Path, help="also write every module's row here")
    parser.add_argument(
        "--pinned",
        type=Path,
        default=PINNED,
        help="the pinned wheels and their truth (default: the first batch, wheel_truth.json)",
    )
    arguments = parser.parse_args()
    if arguments.establish_runtime:
        if arguments.python is None:
            parser.error("--establish-runtime needs --python")
        establish_runtime(arguments.python, arguments.pinned)
        return
    sys.exit(audit(arguments.json, arguments.pinned))


if __name__ == "__main__":
    main()
