import time

THREADS = 8
ITERATIONS = 5


def setup(mod):
    return None


def work(mod, state, thread_index, iterations):
    for _ in range(iterations):
        assert mod.answer() == 42
        time.sleep(0.004)


def check(mod, state, threads, iterations):
    pass
