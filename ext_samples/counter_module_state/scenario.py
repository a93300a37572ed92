"""Every thread adds 1, ITERATIONS times, with the one-call API."""

THREADS = 8
ITERATIONS = 20_000


def setup(mod):
    mod.set(0)


def work(mod, state, thread_index, iterations):
    add = mod.add
    for _ in range(iterations):
        add(1)


def check(mod, state, threads, iterations):
    expected = threads * iterations
    counted = mod.get()
    assert counted == expected, f"lost {expected - counted} of {expected} additions"
