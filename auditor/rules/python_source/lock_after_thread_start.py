"""FTP014: ``__init__`` starts a thread that sees the object before it makes the object's lock."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class LockAfterThreadStart(PythonSourceRule):
    """Construction is single-threaded only until ``__init__`` starts a thread that is
    handed the object.

    ``self.engine = Engine(self)`` (an ``Engine(threading.Thread)`` whose ``__init__``
    calls ``self.start()``) or ``threading.Thread(target=self.run).start()`` publishes
    ``self`` to a running thread. A lock created on a later line of ``__init__`` may not
    exist yet when that thread first calls a method that takes it: the thread fails
    with ``AttributeError``, or runs the section before the lock is there to serialise
    it. The finding names the thread start and the late lock.
    """

    code = "FTP014"
    name = "lock-after-thread-start"
    severity = Severity.WARNING
    summary = "a lock attribute created in __init__ after a thread that uses the object was started"
    fix = "Create every lock (and the state the thread reads) before starting the thread, or start it last."
    references = ["https://docs.python.org/3/library/threading.html#thread-objects"]
    invalid = [
        Example(
            "import threading\n\nclass Engine(threading.Thread):\n    def __init__(self, owner):\n"
            "        threading.Thread.__init__(self, daemon=True)\n        self.owner = owner\n"
            "        self.start()\n\n    def run(self):\n        self.owner.handle()\n\n"
            "class Service:\n    def __init__(self):\n        self.engine = Engine(self)\n"
            "        self._handlers_lock = threading.Lock()\n\n    def handle(self):\n"
            "        with self._handlers_lock:\n            pass\n",
            language="python",
        ),
        Example(
            "import threading\n\nclass Poller:\n    def __init__(self):\n"
            "        self._thread = threading.Thread(target=self._run, daemon=True)\n"
            "        self._thread.start()\n        self._lock = threading.Lock()\n\n"
            "    def _run(self):\n        with self._lock:\n            pass\n",
            language="python",
        ),
    ]
    valid = [
        Example(
            "import threading\n\nclass Engine(threading.Thread):\n    def __init__(self, owner):\n"
            "        threading.Thread.__init__(self, daemon=True)\n        self.owner = owner\n"
            "        self.start()\n\n    def run(self):\n        self.owner.handle()\n\n"
            "class Service:\n    def __init__(self):\n        self._handlers_lock = threading.Lock()\n"
            "        self.engine = Engine(self)\n\n    def handle(self):\n"
            "        with self._handlers_lock:\n            pass\n",
            language="python",
            note="the lock exists before the thread starts",
        ),
        Example(
            "import threading\n\nclass Poller:\n    def __init__(self):\n"
            "        self._thread = threading.Thread(target=self._run, daemon=True)\n"
            "        self._lock = threading.Lock()\n\n    def start(self):\n        self._thread.start()\n\n"
            "    def _run(self):\n        with self._lock:\n            pass\n",
            language="python",
            note="the thread is made in __init__ but started later",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("lock-after-thread-start"):
            yield cls.finding(f"{event.function}() {event.detail}: {event.evidence}", event.location)
