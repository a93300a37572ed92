"""Every thread describes its own items and checks it got its own text back."""

THREADS = 8
ITERATIONS = 20_000


def setup(mod):
    return None


def work(mod, state, thread_index, iterations):
    describe = mod.describe
    for step in range(iterations):
        n = thread_index * 1_000_000 + step
        text = describe(n)
        expected = f"item #{n} of the catalogue, checksum {n * 7 + 3}"
        assert text == expected, f"describe({n}) returned {text!r}"


def check(mod, state, threads, iterations):
    pass
