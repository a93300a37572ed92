"""FTP005: iterating a shared container that other functions mutate."""

from __future__ import annotations

from ...collectors.source.python_vocabulary import PROCESS_CONTAINERS
from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule

_MUTATIONS = {"container-mutation", "lazy-init", "class-attr-mutation"}


@register
class SharedContainerIteration(PythonSourceRule):
    """Iterating a shared dict or set while another thread adds to it raises.

    ``for name, handler in _handlers.items():`` in one thread and
    ``_handlers[name] = h`` in another ends in ``RuntimeError: dictionary changed size
    during iteration`` (sets likewise; lists skip or repeat items). Only reported when
    the same module mutates that container from a function, so read-only tables built
    at import time are left alone. A function that iterates its argument counts when
    some call passes it such a container (``walk(_registry)``). ``sys.modules`` needs no
    writer in the module: every import in any thread adds to it, and ``list(sys.modules.
    items())`` copies it one entry at a time, so it fails the same way; ``sys.modules.copy()``
    is one consistent snapshot.
    """

    code = "FTP005"
    name = "shared-container-iteration"
    severity = Severity.WARNING
    summary = "shared container iterated without a lock while other code mutates it"
    fix = "Iterate a snapshot taken under the lock (`with _lock: items = list(_handlers.items())`)."
    references = ["https://docs.python.org/3/howto/free-threading-python.html"]
    invalid = [
        Example(
            "_registry = {}\n\ndef add(name, value):\n    _registry[name] = value\n\n"
            "def dump(table):\n    for name, value in table.items():\n        print(name, value)\n\n"
            "def show():\n    dump(_registry)\n",
            language="python",
            note="the loop in dump() runs over the module dict show() hands it",
        ),
        Example(
            "_workers = {}\n\ndef start(pid, worker):\n    _workers[pid] = worker\n\n"
            "def refresh(alive):\n    known = set(_workers.keys())\n    for pid in known - alive:\n"
            "        _workers.pop(pid, None)\n    return sorted(_workers.items())\n",
            language="python",
            note="two whole reads of a shared dict in one function need not agree",
        ),
        Example(
            "_listeners = {}\n\ndef subscribe(name, callback):\n    _listeners[name] = callback\n\n"
            "def publish(event):\n    for callback in _listeners.values():\n        callback(event)\n",
            language="python",
        ),
        Example(
            "import sys\n\ndef which_module(obj):\n"
            "    for name, module in list(sys.modules.items()):\n"
            "        if getattr(module, 'value', None) is obj:\n            return name\n",
            language="python",
            note="every import, in any thread, adds to sys.modules",
        ),
    ]
    valid = [
        Example(
            "_NAMES = {'a': 1, 'b': 2}\n\ndef names():\n    return [key for key in _NAMES]\n",
            language="python",
            note="never mutated after import",
        ),
        Example(
            "import threading\n_lock = threading.Lock()\n_listeners = {}\n\n"
            "def subscribe(name, callback):\n    with _lock:\n        _listeners[name] = callback\n\n"
            "def publish(event):\n    with _lock:\n        callbacks = list(_listeners.values())\n"
            "    for callback in callbacks:\n        callback(event)\n",
            language="python",
        ),
        Example(
            "import sys\n\ndef which_module(obj):\n    for name, module in sys.modules.copy().items():\n"
            "        if getattr(module, 'value', None) is obj:\n            return name\n",
            language="python",
            note="sys.modules.copy() is one atomic snapshot",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        mutated = {event.name for event in analysis.events if event.kind in _MUTATIONS}
        # A container mutated only under a lock is still mutated: its lock must cover
        # the iteration too. Collect names written anywhere in functions, locked or not.
        mutated |= analysis.locked_mutations
        for event in analysis.events_of("argument-iteration"):
            yield cls.finding(f"{event.function}() {event.detail}", event.location)
        for event in analysis.events_of("snapshot"):
            yield cls.finding(
                f"`{event.name}` is read whole a second time in {event.function}() without a lock while "
                "other code mutates it: the two reads can disagree (an entry added or removed in between)",
                event.location,
            )
        for event in analysis.events_of("iteration"):
            if event.name in PROCESS_CONTAINERS:
                yield cls.finding(
                    f"`{event.name}` is iterated in {event.function}() ({event.detail or 'for'}) without a "
                    f"lock: {PROCESS_CONTAINERS[event.name]}, so the loop can fail with 'dictionary changed "
                    f"size during iteration'; iterate `{event.name}.copy()`, one consistent snapshot",
                    event.location,
                )
                continue
            if event.name not in mutated:
                continue
            yield cls.finding(
                f"`{event.name}` is iterated in {event.function}() without a lock while other code "
                "mutates it",
                event.location,
            )
