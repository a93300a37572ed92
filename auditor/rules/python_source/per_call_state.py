"""FTP015: one call's state kept on an object that every call passes through."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import PythonSourceRule


@register
class PerCallStateOnSharedObject(PythonSourceRule):
    """A field that carries one call's value from one hook to its partner is overwritten
    by every other call that passes through the same object at the same time.

    A timer that is a decorator and a context manager at once (``__call__`` wraps the
    function in ``with self:``) is one object for every call of the function it
    decorates: ``__enter__`` stores ``self._start`` and ``__exit__`` reads it back, so
    two threads in the function at once record one thread's start twice and lose the
    other. The same holds for an object whose bound methods are registered as event
    callbacks (``listen(engine, "before_cursor_execute", self._before)``): ``_before()``
    sets ``self.current_span`` for the statement being run, and ``_after()`` on another
    thread's statement ends the wrong span. The finding sits on the write, on each read
    back after it in the same hook, and on each read in a partner hook.

    Not reported: fields set only in ``__init__``, updates in place (``self.n += 1``,
    which other rules cover), and hooks that read a field before they set it.
    """

    code = "FTP015"
    name = "per-call-state-on-shared-object"
    severity = Severity.WARNING
    summary = "one call's state stored on an object that every call of a function or an event passes through"
    fix = (
        "Keep the per-call value where the call is: a local in the wrapper, a value returned by __enter__ "
        "(a fresh object per `with`), contextvars, or a dict keyed by the call (the cursor, the context); "
        "for a decorator, create the context manager per call."
    )
    references = ["https://docs.python.org/3/library/contextvars.html"]
    invalid = [
        Example(
            "import time\n\nclass Timer:\n    def __init__(self, histogram):\n"
            "        self._histogram = histogram\n\n    def __enter__(self):\n"
            "        self._start = time.perf_counter()\n\n    def __exit__(self, *exc):\n"
            "        self._histogram.observe(time.perf_counter() - self._start)\n\n"
            "    def __call__(self, f):\n        def wrapped(*args, **kwargs):\n            with self:\n"
            "                return f(*args, **kwargs)\n        return wrapped\n",
            language="python",
            note="every call of the decorated function enters the one Timer",
        ),
        Example(
            "from sqlalchemy.event import listen\n\nclass EngineTracer:\n"
            "    def __init__(self, tracer, engine):\n        self.tracer = tracer\n"
            "        self.current_span = None\n"
            "        listen(engine, 'before_cursor_execute', self._before)\n"
            "        listen(engine, 'after_cursor_execute', self._after)\n\n"
            "    def _before(self, conn, cursor, statement, *args):\n"
            "        self.current_span = self.tracer.start_span(statement)\n\n"
            "    def _after(self, conn, cursor, statement, *args):\n"
            "        if self.current_span is None:\n            return\n        self.current_span.end()\n",
            language="python",
            note="the engine calls both callbacks for every statement, on whichever thread runs it",
        ),
        Example(
            "import contextlib\nimport time\n\nclass timed(contextlib.ContextDecorator):\n"
            "    def __enter__(self):\n        self.start = time.monotonic()\n        return self\n\n"
            "    def __exit__(self, *exc):\n        print(time.monotonic() - self.start)\n",
            language="python",
            note="ContextDecorator's __call__ enters the same instance for every call",
        ),
    ]
    valid = [
        Example(
            "import time\n\nclass Timer:\n    def __init__(self, histogram):\n"
            "        self._histogram = histogram\n\n    def __call__(self, f):\n"
            "        def wrapped(*args, **kwargs):\n            start = time.perf_counter()\n"
            "            try:\n                return f(*args, **kwargs)\n            finally:\n"
            "                self._histogram.observe(time.perf_counter() - start)\n        return wrapped\n",
            language="python",
            note="the start time is a local of each call",
        ),
        Example(
            "import time\n\nclass Timer:\n    def __init__(self, histogram):\n"
            "        self._histogram = histogram\n\n    def __enter__(self):\n"
            "        self._start = time.perf_counter()\n        return self\n\n"
            "    def __exit__(self, *exc):\n"
            "        self._histogram.observe(time.perf_counter() - self._start)\n",
            language="python",
            note="a plain context manager: each `with Timer(h):` makes its own object",
        ),
        Example(
            "from sqlalchemy.event import listen\n\nclass EngineTracer:\n"
            "    def __init__(self, tracer, engine):\n        self.tracer = tracer\n"
            "        listen(engine, 'before_cursor_execute', self._before)\n"
            "        listen(engine, 'after_cursor_execute', self._after)\n\n"
            "    def _before(self, conn, cursor, statement, *args):\n"
            "        conn.info['span'] = self.tracer.start_span(statement)\n\n"
            "    def _after(self, conn, cursor, statement, *args):\n"
            "        conn.info.pop('span').end()\n",
            language="python",
            note="the span is kept on the connection of the call, not on the shared tracer",
        ),
    ]

    @classmethod
    def check(cls, analysis):
        for event in analysis.events_of("per-call-state"):
            class_name = event.name.split(".")[0]
            yield cls.finding(
                f"{event.function}() {event.detail}; every call shares the {class_name} instance "
                f"({event.evidence})",
                event.location,
            )
