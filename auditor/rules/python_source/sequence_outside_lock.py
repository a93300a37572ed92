"""FTP013: a sequence on locked state that the lock does not cover from start to end."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule

_KINDS = ("split-lock", "escaping-view", "published-then-mutated")


@register
class SequenceOutsideLock(PythonSourceRule):
    """A lock taken around each step of a sequence, but not around the whole, leaves the
    sequence as open to other threads as no lock at all.

    Three shapes, each seen in real fixes:

    * read under the lock, write under it again: ``with lock: items = [... for x in
      state]``, work, then ``with lock: state[:] = items``. Between the two blocks another
      thread changes ``state``, and the second block overwrites that change with a value
      computed from the old one;
    * a live view handed out of the lock: ``with self.lock: return self._data.keys()``.
      The lock is released on return; the caller iterates the view while other threads
      insert and evict, and gets "changed size during iteration";
    * copy-on-write done halfway: ``handlers = self.handlers.copy()``, ``self.handlers =
      handlers`` to publish it, then ``handlers.pop(k)`` again (later, or on the next turn
      of a loop). Readers that iterate the published dict without the lock, which is
      what copy-on-write promised them, see it change.

    The code's own lock (or its copy) is the evidence that other threads use the state;
    each finding names both statements.
    """

    code = "FTP013"
    name = "sequence-outside-lock"
    severity = Severity.WARNING
    summary = "a read-then-write, a returned view or a published copy that escapes the lock meant to cover it"
    fix = (
        "Hold the lock across the whole sequence (one `with lock:` block for the read and the write); "
        "return a copy made under the lock (`list(self._data)`); finish changing a copy before "
        "publishing it, "
        "and make a fresh copy for each later change."
    )
    references = ["https://py-free-threading.github.io/porting/"]
    invalid = [
        Example(
            "import threading\n\n_lock = threading.Lock()\n_rules = []\n\n"
            "def disable(prefix):\n    with _lock:\n"
            "        kept = [rule for rule in _rules if not rule.startswith(prefix)]\n"
            "    kept.sort()\n    with _lock:\n        _rules[:] = kept\n",
            language="python",
            note="another thread's rule added between the two blocks is dropped",
        ),
        Example(
            "import threading\n\nclass Recent:\n    def __init__(self):\n"
            "        self.lock = threading.RLock()\n"
            "        self._container = {}\n\n    def __setitem__(self, key, value):\n"
            "        with self.lock:\n"
            "            self._container[key] = value\n\n    def keys(self):\n        with self.lock:\n"
            "            return self._container.keys()\n",
            language="python",
            note="the caller iterates a live view after the lock is released",
        ),
        Example(
            "import threading\n\nclass Core:\n    def __init__(self):\n        self.lock = threading.Lock()\n"
            "        self.handlers = {}\n\n    def remove(self, ids):\n        with self.lock:\n"
            "            handlers = self.handlers.copy()\n            for handler_id in ids:\n"
            "                handlers.pop(handler_id)\n                self.handlers = handlers\n",
            language="python",
            note="published on the first turn, popped again on the second",
        ),
    ]
    valid = [
        Example(
            "import threading\n\n_lock = threading.Lock()\n_rules = []\n\n"
            "def disable(prefix):\n    with _lock:\n"
            "        kept = [rule for rule in _rules if not rule.startswith(prefix)]\n"
            "        kept.sort()\n        _rules[:] = kept\n",
            language="python",
            note="one block holds the lock from the read to the write",
        ),
        Example(
            "import threading\n\nclass Recent:\n    def __init__(self):\n"
            "        self.lock = threading.RLock()\n"
            "        self._container = {}\n\n    def keys(self):\n        with self.lock:\n"
            "            return list(self._container.keys())\n",
            language="python",
            note="a copy made under the lock",
        ),
        Example(
            "import threading\n\nclass Core:\n    def __init__(self):\n        self.lock = threading.Lock()\n"
            "        self.handlers = {}\n\n    def remove(self, ids):\n        with self.lock:\n"
            "            for handler_id in ids:\n                handlers = self.handlers.copy()\n"
            "                handlers.pop(handler_id)\n                self.handlers = handlers\n",
            language="python",
            note="a fresh copy for each change, published once finished",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events:
            if event.kind in _KINDS:
                yield cls.finding(f"{event.function}() {event.detail}: {event.evidence}", event.location)
