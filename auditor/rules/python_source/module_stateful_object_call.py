"""FTP007: methods that change a module-level instance, called from functions."""

from __future__ import annotations

from ...collectors.source.python_module_facts import RANDOM_SEEDING
from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class ModuleStatefulObjectCall(PythonSourceRule):
    """One module-level instance whose methods rewrite its attributes is shared state.

    ``_state = _Distribution()`` at module level and ``_state.set_shape(n); return
    _state.sf(x)`` in a public function is a set-then-use on one object that every
    thread calls: another thread's ``set_shape`` lands between the two calls and the
    result is computed for the wrong shape, and a method that fills ``self._cache`` as
    it goes is a check-then-insert on a shared dict. The evidence is in the module: the
    class is defined here and the called method assigns to ``self`` (directly or
    through another method). Seeded generators are the same pair: ``_rng.seed(s)`` (or
    ``np.random.seed(s)``) then a draw gives another thread's numbers when a draw from
    another thread runs in between.

    A getter that builds one instance into a global and returns it (``_get_parser()``)
    hands that object to every thread too; calls on what it returns are reported when
    nothing in the module shows the class's methods to be safe to run at once.

    Not reported: calls at import time, under a lock, on a local instance, methods that
    only read the instance.
    """

    code = "FTP007"
    name = "module-stateful-object-call"
    severity = Severity.WARNING
    summary = "method that changes a module-level instance (or seeds a shared generator) called unlocked"
    fix = (
        "Create the object per call (or per thread with threading.local), guard the call sequence with a "
        "lock, or pass the state as arguments; for random numbers use a local "
        "np.random.default_rng(seed) / random.Random(seed)."
    )
    references = ["https://py-free-threading.github.io/porting/"]
    invalid = [
        Example(
            "import pycparser\n\n_parser = None\n\ndef _get_parser():\n    global _parser\n"
            "    if _parser is None:\n        _parser = pycparser.CParser()\n    return _parser\n\n"
            "def parse(source):\n    return _get_parser().parse(source)\n",
            language="python",
            note="a lazily built singleton of a class from elsewhere, called from every thread",
        ),
        Example(
            "class _Tail:\n    def __init__(self):\n        self.n = 0\n\n    def set_n(self, n):\n"
            "        self.n = n\n\n    def sf(self, x):\n        return x / self.n\n\n_tail = _Tail()\n\n"
            "def pvalue(x, n):\n    _tail.set_n(n)\n    return _tail.sf(x)\n",
            language="python",
        ),
        Example(
            "import numpy as np\n\ndef noisy(values, seed):\n    np.random.seed(seed)\n"
            "    return values + np.random.normal(size=len(values))\n",
            language="python",
            note="seed then draw on numpy's process-wide generator",
        ),
    ]
    valid = [
        Example(
            "class _Tail:\n    def __init__(self, n):\n        self.n = n\n\n    def sf(self, x):\n"
            "        return x / self.n\n\ndef pvalue(x, n):\n    tail = _Tail(n)\n    return tail.sf(x)\n",
            language="python",
            note="an instance per call",
        ),
        Example(
            "class _Table:\n    def __init__(self):\n        self.values = (1, 2)\n\n    def first(self):\n"
            "        return self.values[0]\n\n_table = _Table()\n\ndef first():\n    return _table.first()\n",
            language="python",
            note="the method only reads",
        ),
        Example(
            "import numpy as np\n\ndef noisy(values, seed):\n    rng = np.random.default_rng(seed)\n"
            "    return values + rng.normal(size=len(values))\n",
            language="python",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("stateful-call"):
            yield cls.finding(
                f"{event.function}() calls `{event.name}.{event.detail}()` without a lock: {event.evidence}, "
                "so concurrent calls interleave their updates",
                event.location,
            )
        # One pair per function and generator: the first seed and the first draw after
        # it, each naming the other's line (further draws add nothing to fix).
        random_calls = sorted(analysis.events_of("random-call"), key=lambda event: event.location.line)
        pairs: dict[tuple[str, str], list] = {}
        for event in random_calls:
            key = (event.function, event.name)
            pair = pairs.setdefault(key, [])
            if not pair and event.detail in RANDOM_SEEDING:
                pair.append(event)
            elif len(pair) == 1 and event.detail not in RANDOM_SEEDING:
                pair.append(event)
        for (function, name), pair in pairs.items():
            if len(pair) != 2:
                continue
            seed, draw = pair
            yield cls.finding(
                f"{function}() seeds `{name}` (`{seed.detail}()`) and draws from it on line "
                f"{draw.location.line} without a lock: {seed.evidence}, so another thread's draw can land "
                "in between",
                seed.location,
            )
            yield cls.finding(
                f"{function}() draws from `{name}` (`{draw.detail}()`) after seeding it on line "
                f"{seed.location.line}, without a lock: {draw.evidence}, so the numbers need not follow "
                "from the seed",
                draw.location,
            )
