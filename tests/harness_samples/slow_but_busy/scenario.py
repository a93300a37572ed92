import time

THREADS = 2
ITERATIONS = 1
BUSY_SECONDS = 2.5


def setup(mod):
    return None


def work(mod, state, thread_index, iterations):
    deadline = time.perf_counter() + BUSY_SECONDS
    spins = 0
    while time.perf_counter() < deadline:
        spins += 1
    assert mod.answer() == 42


def check(mod, state, threads, iterations):
    pass
