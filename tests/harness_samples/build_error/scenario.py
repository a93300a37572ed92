THREADS = 2
ITERATIONS = 1


def setup(mod):
    return None


def work(mod, state, thread_index, iterations):
    pass


def check(mod, state, threads, iterations):
    pass
