"""Every thread records ITERATIONS quotes of 1 ms; no count and no millisecond may be lost."""

THREADS = 4
ITERATIONS = 50_000


def setup(mod):
    mod.reset()
    return None


def work(mod, state, thread_index, iterations):
    record = mod.record
    for _ in range(iterations):
        record(0.001)


def check(mod, state, threads, iterations):
    requests, total_seconds = mod.snapshot()
    expected = threads * iterations
    assert requests == expected, f"lost {expected - requests} of {expected} requests"
    # Sums of 0.001 in any order stay within this of the exact total.
    assert abs(total_seconds - expected * 0.001) < 1e-6 * expected, f"latency total {total_seconds}"
