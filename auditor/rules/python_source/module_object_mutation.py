"""FTP006: attributes of a module-level object rebound inside a function."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class ModuleObjectMutation(PythonSourceRule):
    """A module-level object (``_stats = Stats()``, ``config = SimpleNamespace()``) is shared.

    Its attributes are module globals under another name: ``_stats.calls += 1`` is a
    read-modify-write that loses increments when threads interleave, and a function
    that sets several attributes in turn (``_config.host = ...; _config.port = ...``)
    lets other threads read a half-updated configuration. Not reported: thread-locals
    (``threading.local()``), locks, containers (FTP001), objects built by type factories
    (``namedtuple``, ``TypeVar``, ``Enum``...), and writes under a lock.

    Functions are module-level objects too: ``func.__code__ = compiled.__code__`` or
    ``func.__globals__.update(...)`` (a lazily compiled decorator swapping in its real
    body on first call) rewrites a function while other threads call it, and two
    first calls compile and swap twice.
    """

    code = "FTP006"
    name = "module-object-mutation"
    severity = Severity.WARNING
    summary = "attribute of a module-level object rebound inside a function without a lock"
    fix = (
        "Guard the object's updates with one threading.Lock (and read it under the same lock), make it "
        "immutable and swap it whole, or keep the state per thread with threading.local()."
    )
    references = ["https://py-free-threading.github.io/porting/"]
    invalid = [
        Example(
            "def _lazy_compile(func):\n    real = compile_wrapper(func)\n    func.__code__ = real.__code__\n"
            "    func.__globals__.update(real.__globals__)\n    return func\n",
            language="python",
            note="a function object rewritten on its first call",
        ),
        Example(
            "import types\n\n_stats = types.SimpleNamespace(calls=0)\n\ndef record():\n"
            "    _stats.calls += 1\n",
            language="python",
        ),
        Example(
            "class Settings:\n    debug = False\n\nsettings = Settings()\n\ndef enable_debug():\n"
            "    settings.debug = True\n",
            language="python",
        ),
    ]
    valid = [
        Example(
            "import threading\n\n_context = threading.local()\n\ndef enter(name):\n"
            "    _context.name = name\n",
            language="python",
            note="per-thread state",
        ),
        Example(
            "import threading\nimport types\n\n_lock = threading.Lock()\n"
            "_stats = types.SimpleNamespace(calls=0)\n\n"
            "def record():\n    with _lock:\n        _stats.calls += 1\n",
            language="python",
        ),
        Example(
            "import threading\n\nclass _RunningLoop(threading.local):\n    loop = None\n\n"
            "_running = _RunningLoop()\n\ndef set_loop(loop):\n    _running.loop = loop\n",
            language="python",
            note="an instance of a threading.local subclass",
        ),
        Example(
            "import types\n\n_stats = types.SimpleNamespace(calls=0)\n\ndef read():\n"
            "    return _stats.calls\n",
            language="python",
            note="reading is not writing",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("function-object"):
            yield cls.finding(
                f"{event.function}() {event.detail} without a lock: a function object is shared by every "
                "thread that calls it, and another thread can run or call it while it is being rewritten",
                event.location,
            )
        for event in analysis.events_of("object-mutation"):
            if event.compound:
                message = (
                    f"`{event.name}` (an attribute of a module-level object) is read, modified and "
                    f"stored in {event.function}() without a lock; concurrent calls lose updates"
                )
            else:
                message = (
                    f"`{event.name}` (an attribute of a module-level object) is set in "
                    f"{event.function}() without a lock; other threads see it change under them"
                )
            yield cls.finding(message, event.location)
