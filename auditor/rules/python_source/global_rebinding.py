"""FTP002: a module global rebound inside a function (``global`` statement)."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class GlobalRebinding(PythonSourceRule):
    """``global x; x += 1`` is a read-modify-write on state every thread shares.

    Rebinding a global from a function makes the module's namespace a piece of mutable
    state. ``counter += 1`` loads, adds and stores in separate steps, so two threads
    lose increments; a setter that rebinds several globals leaves readers seeing a mix
    of old and new values. The GIL hid this because a thread switch rarely fell in the
    window; free-threaded Python runs both threads at once.

    ``globals()["flag"] = value`` is the same rebinding. The reads of such a global are
    the other half of the race, and are reported too, the first in each function and a
    few reads after it (each can see another rebind: ``_last['ex']``, then
    ``_last['argnames']``, taken from two different dicts): a function
    that reads ``_last`` and then rebinds it loses the value another thread stored in
    between, and code that reads a switch set by ``use_solver(...)`` can take the old
    branch and the new one in the same call.

    Check-then-act initialisation (``if _x is None: _x = ...``) is reported by FTP003,
    and reads of a global that only such initialisation sets are not reported;
    rebinding under ``with lock:`` and in ``main()`` / import-time helpers is not
    reported.
    """

    code = "FTP002"
    name = "global-rebinding"
    severity = Severity.WARNING
    summary = "module global rebound inside a function without a lock"
    fix = (
        "Keep the state in an object passed to the code that needs it, or guard the read and the write "
        "with one threading.Lock; for counters use itertools.count() or a lock."
    )
    references = ["https://py-free-threading.github.io/porting/"]
    invalid = [
        Example(
            "_last = {}\n\ndef run(expr, names):\n    global _last\n"
            "    _last = dict(expr=expr, names=names)\n\n"
            "def rerun():\n    expr = _last['expr']\n    names = _last['names']\n    return expr, names\n",
            language="python",
            note="the second read can see the dict another thread's run() put in place after the first",
        ),
        Example("_calls = 0\n\ndef tick():\n    global _calls\n    _calls += 1\n", language="python"),
        Example(
            "_config = None\n\ndef configure(settings):\n    global _config\n    _config = dict(settings)\n",
            language="python",
        ),
        Example(
            "use_fast = True\n\ndef use_solver(**options):\n    if 'fast' in options:\n"
            "        globals()['use_fast'] = options['fast']\n\n"
            "def solve(a):\n    return fast(a) if use_fast else slow(a)\n",
            language="python",
            note="the switch is rebound through globals() and read by solve()",
        ),
        Example(
            "_last = None\n\ndef percent(now):\n    global _last\n    before = _last\n"
            "    _last = now\n    return now - before\n",
            language="python",
            note="read, then rebound: another thread's value in between is lost",
        ),
    ]
    valid = [
        Example(
            "import threading\n\n_lock = threading.Lock()\n_last = {}\n\ndef run(expr, names):\n"
            "    global _last\n    with _lock:\n        _last = dict(expr=expr, names=names)\n\n"
            "def rerun():\n    with _lock:\n        expr = _last['expr']\n        names = _last['names']\n"
            "    return expr, names\n",
            language="python",
            note="both reads and the rebind under one lock",
        ),
        Example(
            "import threading\n_lock = threading.Lock()\n_calls = 0\n\ndef tick():\n    global _calls\n"
            "    with _lock:\n        _calls += 1\n",
            language="python",
        ),
        Example(
            "_calls = 0\n\ndef read():\n    global _calls\n    return _calls\n",
            language="python",
            note="reading a global is not a write",
        ),
        Example(
            "verbose = False\n\ndef main():\n    global verbose\n    verbose = True\n",
            language="python",
            note="a script's main() runs once",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("global-read"):
            rebound = event.check_location.line if event.check_location else 0
            if event.evidence:
                yield cls.finding(
                    f"global `{event.name}` is {event.evidence} in {event.function}() while {event.detail}() "
                    f"rebinds it at run time without a lock (line {rebound}): the two reads can see two "
                    "different objects, and the values taken from them disagree",
                    event.location,
                )
                continue
            yield cls.finding(
                f"global `{event.name}` is read here in {event.function}() while {event.detail}() rebinds it "
                f"at run time without a lock (line {rebound}): the value read can be replaced before it is "
                "used, and two reads in one call can disagree",
                event.location,
            )
        for event in analysis.events_of("global-rebind"):
            if event.compound:
                message = (
                    f"`{event.name}` is read, modified and rebound in {event.function}() without a lock; "
                    "concurrent calls lose updates"
                )
            else:
                message = (
                    f"global `{event.name}` is rebound in {event.function}() without a lock; "
                    "other threads see it change under them"
                )
            yield cls.finding(message, event.location)
