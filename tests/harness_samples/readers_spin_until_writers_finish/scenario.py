import threading

THREADS = 4
ITERATIONS = 100


def setup(mod):
    return {"writers_done": 0, "lock": threading.Lock()}


def work(mod, state, thread_index, iterations):
    writers = (THREADS + 1) // 2
    if thread_index % 2 == 0:
        for _ in range(iterations):
            assert mod.answer() == 42
        with state["lock"]:
            state["writers_done"] += 1
    else:
        while state["writers_done"] < writers:  # spins (busy) until all writers are done
            assert mod.answer() == 42


def check(mod, state, threads, iterations):
    assert state["writers_done"] == (THREADS + 1) // 2
