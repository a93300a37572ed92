"""All threads ask for squares at once, right after the table was forgotten."""

THREADS = 8
ITERATIONS = 200


def setup(mod):
    mod.reset()


def work(mod, state, thread_index, iterations):
    for n in range(iterations):
        key = (n * 7 + thread_index * 131) % 2000
        try:
            value = mod.square(key)
        except KeyError as error:
            raise AssertionError(f"lookup of {key} failed: {error}") from None
        assert value == key * key, f"square({key}) returned {value}"


def check(mod, state, threads, iterations):
    pass
