"""Every thread formats its own points into its own buffer."""

THREADS = 8
ITERATIONS = 5_000


def setup(mod):
    return None


def work(mod, state, thread_index, iterations):
    ffi, lib = mod.ffi, mod.lib
    buffer = ffi.new("char[]", 64)
    for step in range(iterations):
        lib.format_point_r(buffer, 64, thread_index, step)
        text = ffi.string(buffer)
        expected = f"({thread_index}, {step})".encode()
        assert text == expected, f"format_point_r({thread_index}, {step}) read back {text!r}"


def check(mod, state, threads, iterations):
    pass
