"""How the C analysis time grows with input size (issue 8): print seconds per input.

Each shape doubles twice; a linear analysis roughly doubles its time per step, a
quadratic one quadruples it. Run: PYTHONPATH=. python benchmarks/source_growth.py
"""

from __future__ import annotations

import time

from auditor.engine.source_checks import check_bytes


def nested_braces(count: int) -> bytes:
    return b"static int counter;\nvoid f(void) {\n" + b"{" * count + b"counter++;" + b"}" * count + b"\n}\n"


def functions_with_static_local(count: int) -> bytes:
    return b"".join(b"int f%d(void) { static int calls; calls++; return calls; }\n" % i for i in range(count))


def large_file(megabytes: float) -> bytes:
    block = (
        b"static PyObject *cache;\n"
        b"static PyObject *get_%d(PyObject *self) {\n"
        b"    if (cache == NULL) { cache = PyDict_New(); }\n"
        b"    PyObject *item = PyDict_GetItem(cache, self);\n"
        b"    return item;\n}\n"
    )
    count = int(megabytes * 1024 * 1024 / len(block))
    return b"".join(block.replace(b"%d", str(i).encode()) for i in range(count))


def one_long_function(statements: int) -> bytes:
    return b"static int total;\nvoid f(void) {\n" + b"    total += 1;\n" * statements + b"}\n"


SHAPES = [
    ("nested braces", nested_braces, [5_000, 10_000, 20_000]),
    ("functions with a static local", functions_with_static_local, [5_000, 10_000, 20_000]),
    ("one function, N statements", one_long_function, [10_000, 20_000, 40_000]),
    ("file of MB (limit is 4 MiB)", large_file, [1, 2, 3.9]),
]


def main() -> None:
    for label, make, sizes in SHAPES:
        for size in sizes:
            data = make(size)
            started = time.perf_counter()
            outcome = check_bytes("growth.c", data, "c")
            elapsed = time.perf_counter() - started
            print(
                f"{label:32} {size:>7}  {len(data) / 1e6:6.2f} MB  {elapsed:7.2f} s  "
                f"{len(outcome.findings)} findings {outcome.problem or ''}"
            )


if __name__ == "__main__":
    main()
