"""FTP009: a process-wide setting changed from a function (warnings filters, cwd, locale, environ)."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class ProcessWideSetting(PythonSourceRule):
    """Some settings exist once per process, whatever thread changes them.

    ``with warnings.catch_warnings(): warnings.simplefilter("error")`` looks local but
    is not: ``catch_warnings`` saves the process's one filter list and puts it back on
    exit, so while one thread is inside, every other thread's warnings become errors,
    and the restore can throw away a filter another thread installed meanwhile (Python
    3.14 adds ``context_aware_warnings`` for this; 3.13 has nothing). ``os.chdir``,
    ``os.umask``, ``locale.setlocale``, ``socket.setdefaulttimeout`` and writes to
    ``os.environ`` change what every other thread's file names, sockets, number
    formatting and subprocesses see, in the middle of their work. So do
    ``threading.setprofile``/``settrace`` (the hooks every thread started afterwards
    runs with) and ``setattr``/``delattr`` on another module's class
    (``setattr(threading.Thread, "_name", ...)``): a tracer that installs them on
    ``__enter__`` and removes them on ``__exit__`` undoes another thread's tracer.

    Not reported: module-level code, ``main()`` and helpers only import-time code
    calls, and calls made with a lock held (which serialises the callers that take it).
    """

    code = "FTP009"
    name = "process-wide-setting"
    severity = Severity.WARNING
    summary = (
        "process-wide setting (warnings filters, cwd, umask, locale, environ, thread hooks, another "
        "module's class) changed in a function"
    )
    fix = (
        "Pass the setting explicitly instead (a `cwd=` or `env=` argument, an errors= flag, a check of the "
        "value instead of a warning filter); if it must be global, set it once at start-up."
    )
    references = [
        "https://py-free-threading.github.io/porting/",
        "https://docs.python.org/3/library/warnings.html#warnings.catch_warnings",
    ]
    invalid = [
        Example(
            "import warnings\n\nimport numpy as np\n\ndef as_float_matrix(a):\n"
            "    with warnings.catch_warnings():\n        warnings.simplefilter('error')\n"
            "        return np.atleast_2d(a).astype(float)\n",
            language="python",
            note="both statements are reported: the save/restore and the filter",
        ),
        Example(
            "import os\n\ndef build(directory):\n    os.chdir(directory)\n    return os.listdir('.')\n",
            language="python",
        ),
        Example(
            "import threading\n\nclass Tracker:\n    def __enter__(self):\n"
            "        setattr(threading.Thread, '_name', NameInterceptor())\n"
            "        threading.setprofile(start_thread_trace)\n        return self\n\n"
            "    def __exit__(self, *exc):\n        threading.setprofile(None)\n"
            "        delattr(threading.Thread, '_name')\n",
            language="python",
            note="another module's class and the hooks of every new thread",
        ),
    ]
    valid = [
        Example(
            "import warnings\n\nwarnings.simplefilter('default')\n",
            language="python",
            note="module level runs once, at import",
        ),
        Example(
            "import os\n\ndef build(directory):\n    return os.listdir(directory)\n",
            language="python",
        ),
        Example(
            "import threading\n\n_tracker_lock = threading.Lock()\n\nclass Tracker:\n"
            "    def __enter__(self):\n        with _tracker_lock:\n"
            "            threading.setprofile(start_thread_trace)\n        return self\n",
            language="python",
            note="every tracker takes one module-level lock around the swap",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("process-setting"):
            plural = event.name.endswith("s")
            verb, pronoun = ("are", "them") if plural else ("is", "it")
            yield cls.finding(
                f"{event.function}() {event.detail}: {event.name} {verb} one per process, so this changes "
                f"{pronoun} for every thread running at the same time",
                event.location,
            )
