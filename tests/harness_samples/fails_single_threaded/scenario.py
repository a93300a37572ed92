THREADS = 4
ITERATIONS = 10


def setup(mod):
    return None


def work(mod, state, thread_index, iterations):
    for _ in range(iterations):
        mod.answer()


def check(mod, state, threads, iterations):
    assert mod.answer() == 42, "the module's answer is wrong with any number of threads"
