"""Half the threads move the range, the other half read it; end - start must stay WIDTH."""

THREADS = 8
ITERATIONS = 50_000
WIDTH = 10


def setup(mod):
    mod.set_start(0)


def work(mod, state, thread_index, iterations):
    if thread_index % 2 == 0:
        set_start = mod.set_start
        base = thread_index * 10_000_000
        for step in range(iterations):
            set_start(base + step)
    else:
        get = mod.get
        for _ in range(iterations):
            start, end = get()
            assert end - start == WIDTH, f"torn read: start={start} end={end}"


def check(mod, state, threads, iterations):
    start, end = mod.get()
    assert end - start == WIDTH, f"torn final state: start={start} end={end}"
