"""A longer fuzz run of the binary readers than the test suite's.

    python benchmarks/fuzz_binary_readers.py [--minutes 3] [--seed 1] [--hang-seconds 10] [--keep DIR]

Damages copies of real extensions compiled by the tests (``tests/_extension_builds.py``:
hand-written C and C++, GNU and SysV hash tables, a non-ASCII module) with
``tests/_elf_mutations.mutate`` and runs :func:`auditor.engine.binary_checks.analyse_extension` on each,
in this process (where a scan runs it). Prints how many inputs were tried, how many
raised out of ``analyse_extension`` (escapes), how many hung past ``--hang-seconds``
(interrupted with SIGALRM), how many fell through to the last-resort handler instead of
a message of the reader's own, the commonest messages, and the slowest inputs with the
seed that makes each again. ``--keep`` writes every escape, hang and the slowest input
there for a closer look.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))
sys.path.insert(0, str(REPOSITORY / "tests"))

import _elf_mutations as mutations  # noqa: E402 - after the path set-up above
from _extension_builds import (  # noqa: E402
    FIXTURES,
    BuiltExtension,
    build_extension,
    build_fixture,
    build_snippet,
    free_threaded_python,
)

from auditor.engine.binary_checks import analyse_extension  # noqa: E402
from auditor.model.environment import ExtensionModule, GilDeclaration  # noqa: E402

_NON_ASCII_SOURCE = r"""
#include <Python.h>
static PyModuleDef_Slot slots[] = {{Py_mod_gil, Py_MOD_GIL_NOT_USED}, {0, NULL}};
static struct PyModuleDef definition = {PyModuleDef_HEAD_INIT, "caf\xc3\xa9", NULL, 0, NULL, slots};
PyMODINIT_FUNC PyInitU_caf_dma(void) { return PyModuleDef_Init(&definition); }
"""


class _Hang(Exception):
    pass


def _corpus(python: Path) -> list[BuiltExtension]:
    corpus = [
        build_fixture(name, python)
        for name in ("mp_slot_not_used", "sp_setgil_used", "cpp_mp_dynamic_slots", "risky_calls")
    ]
    for module in ("mp_slot_used", "sp_setgil_not_used"):
        corpus.append(
            build_extension(
                [FIXTURES / f"{module}.c"], module, python, extra_flags=("-Wl,--hash-style=sysv",)
            )
        )
    corpus.append(
        build_extension(
            [FIXTURES / "mp_no_slot.c"], "mp_no_slot", python, extra_flags=("-Wl,--hash-style=both",)
        )
    )
    corpus.append(build_snippet(_NON_ASCII_SOURCE, "café", python))
    return corpus


def _on_alarm(_signal, _frame) -> None:
    raise _Hang


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=3.0, help="how long to run (default 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--hang-seconds", type=int, default=10, help="an input running longer is a hang")
    parser.add_argument("--keep", type=Path, help="folder to write escapes, hangs and the slowest input to")
    args = parser.parse_args()
    python = free_threaded_python()
    if python is None:
        print("no free-threaded 3.13 to compile the corpus against: run `ftaudit provision`", file=sys.stderr)
        return 2
    corpus = _corpus(python)
    originals = {built.path: built.path.read_bytes() for built in corpus}
    print(f"corpus: {', '.join(f'{built.module} ({len(originals[built.path])} B)' for built in corpus)}")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGALRM, _on_alarm)
    scratch = Path(tempfile.mkdtemp(prefix="ftaudit-fuzz-"))
    rng = random.Random(args.seed)
    deadline = time.monotonic() + args.minutes * 60
    tally = _Tally()
    while time.monotonic() < deadline:
        built = corpus[rng.randrange(len(corpus))]
        input_number = tally.tried
        description, data = mutations.mutate(originals[built.path], rng)
        tally.tried += 1
        label = f"#{input_number} ({built.module}, seed {args.seed}): {description}"
        path = scratch / built.path.name
        path.write_bytes(data)
        started = time.perf_counter()
        signal.alarm(args.hang_seconds)
        try:
            extension, _findings = analyse_extension(path, scratch, "3.13t")
        except _Hang:
            tally.hangs.append(label)
            _keep(args.keep, f"hang-{input_number}", built, data)
            continue
        except BaseException as error:  # noqa: BLE001 - counting what escapes is the point
            signal.alarm(0)
            tally.escapes.append(f"{label}: {type(error).__name__}: {error}")
            traceback.print_exc()
            _keep(args.keep, f"escape-{input_number}", built, data)
            if isinstance(error, KeyboardInterrupt):
                break
            continue
        finally:
            signal.alarm(0)
        elapsed = time.perf_counter() - started
        tally.slowest = sorted([*tally.slowest, (elapsed, label, data, built.path.name)], reverse=True)[:5]
        tally.count(extension, label)
    tally.print_summary(args)
    if tally.slowest and args.keep:
        _elapsed, _label, data, name = tally.slowest[0]
        (args.keep / f"slowest-{name}").write_bytes(data)
    return 1 if tally.escapes or tally.hangs or tally.unknown_broken else 0


@dataclass
class _Tally:
    """What the run saw, for the summary and the exit status."""

    tried: int = 0
    escapes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    last_resort: Counter[str] = field(default_factory=Counter)
    messages: Counter[str] = field(default_factory=Counter)
    verdicts: Counter[str] = field(default_factory=Counter)
    unknown_broken: int = 0  # a damage message but a verdict other than unknown
    slowest: list[tuple[float, str, bytes, str]] = field(default_factory=list)

    def count(self, extension: ExtensionModule, label: str) -> None:
        self.verdicts[extension.gil.value] += 1
        damage = [error for error in extension.errors if not error.startswith("the file name says")]
        for error in damage:
            text = error.split(": ", 1)[-1]
            if "could not be read completely" in error or "MemoryError" in error:
                self.last_resort[text[:120]] += 1
            self.messages[" ".join(text.split()[:6])] += 1
        if damage and extension.gil != GilDeclaration.UNKNOWN:
            self.unknown_broken += 1
            print(f"not unknown despite damage: {label}: {extension.gil.value} {damage}")

    def print_summary(self, args: argparse.Namespace) -> None:
        print(f"inputs tried: {self.tried} in {args.minutes:g} min (seed {args.seed})")
        print(f"escapes: {len(self.escapes)}")
        for line in self.escapes[:10]:
            print(f"  {line}")
        print(f"hangs (> {args.hang_seconds} s): {len(self.hangs)}")
        for line in self.hangs[:10]:
            print(f"  {line}")
        print(f"last-resort handler instead of a reader's message: {sum(self.last_resort.values())}")
        for text, count in self.last_resort.most_common(10):
            print(f"  {count:6d}  {text}")
        print(f"damage message with a verdict other than unknown: {self.unknown_broken}")
        print(f"verdicts: {dict(self.verdicts)}")
        print("commonest messages:")
        for text, count in self.messages.most_common(12):
            print(f"  {count:6d}  {text}")
        print("slowest inputs:")
        for elapsed, label, _data, _name in self.slowest:
            print(f"  {elapsed * 1000:8.1f} ms  {label}")


def _keep(folder: Path | None, prefix: str, built: BuiltExtension, data: bytes) -> None:
    if folder is not None:
        (folder / f"{prefix}-{built.path.name}").write_bytes(data)


if __name__ == "__main__":
    raise SystemExit(main())
