THREADS = 2
ITERATIONS = 1


def setup(mod):
    return None


def work(mod, state, thread_index, iterations):
    mod.transfer(thread_index)


def check(mod, state, threads, iterations):
    pass
