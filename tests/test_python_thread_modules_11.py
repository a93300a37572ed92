"""A module that starts threads as the evidence for its classes' sharing (FTP008), and
where that evidence stops: a class bound to an event loop, a Thread subclass whose
run() keeps a field to itself, a module that only makes a lock."""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes


def _ftp008_lines(code: str) -> list[int]:
    outcome = check_bytes("module.py", code.encode(), "python")
    assert outcome.problem is None, outcome.problem
    return sorted(finding.location.line for finding in outcome.findings if finding.rule == "FTP008")


# requests' HTTPDigestAuth: one auth object on a session used by many threads.
DIGEST = """\
import threading


class Digest:
    def __init__(self):
        self.last_nonce = ""
        self.nonce_count = 0

    def header(self, nonce):
        if nonce == self.last_nonce:
            self.nonce_count += 1
        else:
            self.nonce_count = 1
        self.last_nonce = nonce


def serve(auth, handle):
    threading.Thread(target=handle, args=(auth,)).start()
"""


def test_a_module_that_starts_threads_is_evidence_for_a_class_with_no_account_of_its_own():
    outcome = check_bytes("module.py", DIGEST.encode(), "python")
    messages = [f.message for f in outcome.findings if f.rule == "FTP008"]
    assert 11 in _ftp008_lines(DIGEST)  # nonce_count += 1
    assert any("this module starts threads (`threading.Thread(...)`, line 18)" in m for m in messages)


def test_a_module_that_only_makes_a_lock_is_no_evidence():
    code = DIGEST.replace(
        "def serve(auth, handle):\n    threading.Thread(target=handle, args=(auth,)).start()\n",
        "_lock = threading.Lock()\n",
    )
    assert _ftp008_lines(code) == []


def test_a_class_that_keeps_an_event_loop_is_tied_to_its_thread():
    code = DIGEST.replace(
        '        self.last_nonce = ""\n', '        self._loop = None\n        self.last_nonce = ""\n'
    )
    assert _ftp008_lines(code) == []


# cheroot's WorkerThread: statistics that run() alone updates are the worker's own.
WORKER = """\
import threading


class Worker(threading.Thread):
    def __init__(self, server):
        threading.Thread.__init__(self)
        self.server = server
        self.ready = False
        self.work_time = 0

    def run(self):
        self.ready = True
        while True:
            self.work_time += 1
            if not self.ready:
                return

    def stop(self):
        if self.ready:
            self.ready = False
"""


def test_a_thread_subclass_shares_only_the_fields_run_and_the_other_methods_both_use():
    lines = _ftp008_lines(WORKER)
    assert 19 in lines and 20 in lines  # ready: run() and stop() both use it
    assert 14 not in lines  # work_time: run() alone
