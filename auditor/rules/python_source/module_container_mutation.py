"""FTP001: a module-level mutable container mutated inside a function."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class ModuleContainerMutation(PythonSourceRule):
    """A list, dict or set bound at module level is one object shared by every thread.

    Each single ``dict``/``list`` operation is atomic in free-threaded CPython, but the
    code around it rarely is: ``counts[key] += 1`` is a read and a write that another
    thread can interleave (lost updates), a registry filled while another thread
    iterates it raises ``RuntimeError: dictionary changed size during iteration``, and
    two related containers updated one after the other are seen half-updated. A name a
    function binds with ``global _table; _table = [0] * n`` is module-level too: once
    rebound, other threads read it while the function is still filling it in. Under the
    GIL these windows were rare enough to go unnoticed; without it they are routine.

    Not reported: mutation inside ``with lock:`` (or between ``acquire()`` and
    ``release()``), module-level code, ``main()`` and private helpers that only module
    level code calls (they run once, at import), and names a function binds locally.
    """

    code = "FTP001"
    name = "module-container-mutation"
    severity = Severity.WARNING
    summary = "module-level mutable container mutated inside a function without a lock"
    fix = (
        "Guard every access with one module-level threading.Lock, keep the state per thread "
        "(threading.local) or per object, or build it once at import time and never mutate it."
    )
    references = [
        "https://py-free-threading.github.io/porting/",
        "https://docs.python.org/3/howto/free-threading-python.html",
    ]
    invalid = [
        Example(
            "class override_settings:\n    def __enter__(self):\n        from .settings import _overrides\n\n"
            "        self._saved = _overrides.copy()\n        _overrides.clear()\n\n"
            "    def __exit__(self, *exc):\n        from .settings import _overrides\n\n"
            "        _overrides.clear()\n        _overrides.update(self._saved)\n",
            language="python",
            note="another module's private dict, imported in the method and swapped out and back",
        ),
        Example(
            "_handlers = []\n\ndef add_handler(handler):\n    _handlers.append(handler)\n", language="python"
        ),
        Example(
            "from collections import defaultdict\n\nhits = defaultdict(int)\n\n"
            "def record(path):\n    hits[path] += 1\n",
            language="python",
        ),
        Example("_registry = {}\n\ndef forget(name):\n    del _registry[name]\n", language="python"),
        Example(
            "_pool = {}\n\ndef give_back(size, buffer, pool=_pool):\n"
            "    pool.setdefault(size, []).append(buffer)\n",
            language="python",
            note="a parameter defaulting to the module-level dict is that dict; its lists are shared too",
        ),
        Example(
            "def _build():\n    global _factor\n    _factor = [0] * 1000\n    for i in range(2, 1000):\n"
            "        if _factor[i] == 0:\n            _factor[i] = i\n\n"
            "def factor(n):\n    if '_factor' not in globals():\n        _build()\n    return _factor[n]\n",
            language="python",
            note="the table is published by the global rebinding, then filled while others read it",
        ),
        Example(
            "_handlers = {}\n\ndef register(name, handler):\n    table = _handlers\n"
            "    table.setdefault(name, []).append(handler)\n"
            "    table[name] = sorted(table[name], key=id)\n\n"
            "def reset():\n    _handlers.clear()\n",
            language="python",
            note="a local alias is the module's dict: changes through it change the shared one",
        ),
    ]
    valid = [
        Example(
            "import threading\n\n_settings_lock = threading.Lock()\n\n\nclass override_settings:\n"
            "    def __enter__(self):\n        from .settings import _overrides\n\n"
            "        with _settings_lock:\n            self._saved = _overrides.copy()\n"
            "            _overrides.clear()\n",
            language="python",
            note="the swap under a lock",
        ),
        Example(
            "_handlers = {}\n\ndef preview(name, handler):\n    table = dict(_handlers)\n"
            "    table[name] = handler\n    return table\n",
            language="python",
            note="a copy, not an alias: the change stays local",
        ),
        Example(
            "import threading\n\n_lock = threading.Lock()\n_handlers = []\n\n"
            "def add_handler(handler):\n    with _lock:\n        _handlers.append(handler)\n",
            language="python",
        ),
        Example(
            "def collect(items):\n    seen = []\n    for item in items:\n        seen.append(item)\n"
            "    return seen\n",
            language="python",
            note="a local list",
        ),
        Example(
            "_table = {}\n\ndef _fill():\n    _table['a'] = 1\n\n_fill()\n",
            language="python",
            note="a private helper only called at import time",
        ),
        Example(
            "_handlers = []\n_handlers.append(print)\n", language="python", note="module level runs once"
        ),
        Example(
            "_interned = {}\n\ndef intern(name):\n    return _interned.setdefault(name, name)\n",
            language="python",
            note="dict.setdefault inserts atomically",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("container-mutation"):
            how = {
                "subscript": f"{event.name}[...] {'+=' if event.compound else '='}",
                "del": f"del {event.name}[...]",
            }.get(event.detail, f"{event.name}.{event.detail}()")
            if event.detail.startswith("element "):
                # `_cache[k].append(v)`: the list inside the shared dict is shared too.
                how = f"{event.detail.split()[1]}() on an element of {event.name}"
            if event.evidence:
                how = f"{how}, {event.evidence}"  # `d = _cache; d[k] = v`: which local it went through
            risk = (
                "a read-modify-write that loses updates when threads interleave"
                if event.compound
                else "other threads may read or iterate it at the same time"
            )
            yield cls.finding(
                f"module-level container `{event.name}` is mutated in {event.function}() ({how}) "
                f"without a lock: {risk}",
                event.location,
            )
