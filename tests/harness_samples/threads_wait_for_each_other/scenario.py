import threading

THREADS = 3
ITERATIONS = 5


def setup(mod):
    return threading.Barrier(THREADS)


def work(mod, state, thread_index, iterations):
    state.wait()  # every thread must arrive: blocks forever when they run one by one
    for _ in range(iterations):
        assert mod.answer() == 42


def check(mod, state, threads, iterations):
    assert mod.answer() == 42
