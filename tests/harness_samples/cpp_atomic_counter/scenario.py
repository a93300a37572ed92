"""Every thread counts ITERATIONS calls; the total must be THREADS * ITERATIONS."""

THREADS = 8
ITERATIONS = 10_000


def setup(mod):
    mod.reset()
    return None


def work(mod, state, thread_index, iterations):
    increment = mod.increment
    for _ in range(iterations):
        increment()


def check(mod, state, threads, iterations):
    expected = threads * iterations
    counted = mod.value()
    assert counted == expected, f"lost {expected - counted} of {expected} increments"
