"""Every thread bumps every slot of one shared list; no bump may be lost."""

THREADS = 8
ITERATIONS = 20_000
SLOTS = 4
# Above the small-int cache (-5..256): each bumped value is a new object that the next
# store frees, which is what makes the borrowed reference dangerous.
START = 1_000_000


def setup(mod):
    return [START] * SLOTS


def work(mod, state, thread_index, iterations):
    bump = mod.bump
    for step in range(iterations):
        bump(state, (step + thread_index) % SLOTS)


def check(mod, state, threads, iterations):
    total = sum(value - START for value in state)
    expected = threads * iterations
    assert total == expected, f"lost {expected - total} of {expected} bumps (slots: {state})"
