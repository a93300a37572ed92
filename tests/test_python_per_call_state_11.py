"""FTP015 on the shapes of real code: prometheus' decorator timers, an OpenTelemetry
engine tracer whose bound methods are SQLAlchemy listeners, a ContextDecorator, and the
shapes beside them that keep the state per call."""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes


def _lines(code: str) -> list[int]:
    outcome = check_bytes("module.py", code.encode(), "python")
    assert outcome.problem is None, outcome.problem
    return sorted(finding.location.line for finding in outcome.findings if finding.rule == "FTP015")


TIMER = """\
from timeit import default_timer


class _HistogramTimer(object):
    def __init__(self, histogram):
        self._histogram = histogram

    def __enter__(self):
        self._start = default_timer()

    def __exit__(self, typ, value, traceback):
        self._histogram.observe(max(default_timer() - self._start, 0))

    def __call__(self, f):
        def wrapped(func, *args, **kwargs):
            with self:
                return func(*args, **kwargs)
        return decorate(f, wrapped)
"""


def test_a_decorator_that_enters_itself_shares_what_enter_hands_to_exit():
    assert _lines(TIMER) == [9, 12]


def test_without_the_decorator_each_with_statement_has_its_own_object():
    code = TIMER.split("    def __call__")[0]
    assert _lines(code) == []


def test_a_field_the_hook_reads_before_it_writes_is_an_update_not_a_hand_off():
    code = TIMER.replace("self._start = default_timer()", "self._start = self._start + default_timer()")
    assert _lines(code) == []


TRACER = """\
from sqlalchemy.event import listen


class EngineTracer:
    def __init__(self, tracer, engine):
        self.tracer = tracer
        self.current_span = None
        listen(engine, "before_cursor_execute", self._before_cur_exec)
        listen(engine, "after_cursor_execute", self._after_cur_exec)

    def _before_cur_exec(self, conn, cursor, statement, *args):
        self.current_span = self.tracer.start_span(statement)
        if self.current_span.is_recording():
            self.current_span.set_attribute("db.statement", statement)

    def _after_cur_exec(self, conn, cursor, statement, *args):
        if self.current_span is None:
            return
        self.current_span.end()
"""


def test_callbacks_registered_on_an_engine_hand_state_to_each_other_through_the_object():
    outcome = check_bytes("module.py", TRACER.encode(), "python")
    found = {f.location.line: f.message for f in outcome.findings if f.rule == "FTP015"}
    assert sorted(found) == [12, 13, 14, 17, 19]
    assert "listen" in found[12] and "_after_cur_exec()" in found[12]


def test_one_registered_callback_alone_hands_nothing_on():
    code = TRACER.replace('        listen(engine, "after_cursor_execute", self._after_cur_exec)\n', "")
    assert _lines(code) == []


def test_a_context_decorator_enters_one_instance_for_every_call():
    code = (
        "import contextlib\nimport time\n\n\nclass timed(contextlib.ContextDecorator):\n"
        "    def __enter__(self):\n        self.start = time.monotonic()\n        return self\n\n"
        "    def __exit__(self, *exc):\n        print(time.monotonic() - self.start)\n"
    )
    assert _lines(code) == [7, 11]
    recreated = code + "\n    def _recreate_cm(self):\n        return type(self)()\n"
    assert _lines(recreated) == []
