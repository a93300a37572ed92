"""Every thread adds 1, ITERATIONS times; the total must be THREADS * ITERATIONS."""

THREADS = 8
ITERATIONS = 20_000


def setup(mod):
    mod.lib.counter_reset()


def work(mod, state, thread_index, iterations):
    add = mod.lib.counter_add
    for _ in range(iterations):
        add(1)


def check(mod, state, threads, iterations):
    expected = threads * iterations
    total = mod.lib.counter_total()
    assert total == expected, f"lost {expected - total} of {expected} additions"
