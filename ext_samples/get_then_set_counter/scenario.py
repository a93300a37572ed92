"""Every thread adds 1, ITERATIONS times, the way the API invites it: set(get() + 1)."""

THREADS = 8
ITERATIONS = 20_000


def setup(mod):
    mod.set(0)


def work(mod, state, thread_index, iterations):
    get, set_ = mod.get, mod.set
    for _ in range(iterations):
        set_(get() + 1)


def check(mod, state, threads, iterations):
    expected = threads * iterations
    counted = mod.get()
    assert counted == expected, f"lost {expected - counted} of {expected} additions"
