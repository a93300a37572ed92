import threading

THREADS = 6
ITERATIONS = 20_000


def setup(mod):
    return {"readers_done": 0, "lock": threading.Lock()}


def work(mod, state, thread_index, iterations):
    readers = THREADS // 2
    if thread_index % 2 == 1:
        for _ in range(iterations):
            assert mod.answer() == 42
        with state["lock"]:
            state["readers_done"] += 1
    else:
        while state["readers_done"] < readers:  # loops until every reader is done
            assert mod.answer() == 42


def check(mod, state, threads, iterations):
    assert state["readers_done"] == THREADS // 2
