"""Every thread formats its own points and checks it reads back its own text."""

THREADS = 8
ITERATIONS = 5_000


def setup(mod):
    return None


def work(mod, state, thread_index, iterations):
    ffi, lib = mod.ffi, mod.lib
    for step in range(iterations):
        text = ffi.string(lib.format_point(thread_index, step))
        expected = f"({thread_index}, {step})".encode()
        assert text == expected, f"format_point({thread_index}, {step}) read back {text!r}"


def check(mod, state, threads, iterations):
    pass
