"""Locks as real C libraries spell them, and what a lock of the file's own cannot cover.

Libraries wrap their mutexes in functions named for what they do (``ares_thread_mutex_lock``,
``uv_mutex_lock``, ``Curl_share_lock``): code between such a call and its unlock is locked.
libc's static buffers and cursors are another matter: one per process, so a lock of this
file keeps out only this file's callers.
"""

from __future__ import annotations

import pytest

from auditor.engine.source_checks import check_bytes


def _findings(code: str):
    outcome = check_bytes("demo.c", code.encode(), "c")
    assert outcome.problem is None, outcome.problem
    return [(finding.location.line, finding.rule, finding.message) for finding in outcome.findings]


_COUNTER = (
    "static int hits;\n"
    "static lib_mutex_t *guard;\n"
    "void count(void) {\n"
    "    {lock}\n"
    "    hits++;\n"
    "    {unlock}\n"
    "}\n"
)


@pytest.mark.parametrize(
    ("lock", "unlock"),
    [
        ("ares_thread_mutex_lock(guard);", "ares_thread_mutex_unlock(guard);"),
        ("uv_mutex_lock(&guard);", "uv_mutex_unlock(&guard);"),
        ("sqlite3_mutex_enter(guard);", "sqlite3_mutex_leave(guard);"),
        ("Curl_share_lock(guard, 1, 2);", "Curl_share_unlock(guard, 1);"),
    ],
)
def test_a_librarys_own_lock_functions_protect_what_they_enclose(lock, unlock):
    code = _COUNTER.replace("{lock}", lock).replace("{unlock}", unlock)
    assert not [finding for finding in _findings(code) if finding[0] == 5]


@pytest.mark.parametrize("call", ["PyThread_allocate_lock();", "is_lock(guard);", "lib_free_lock(guard);"])
def test_making_freeing_or_testing_a_lock_is_not_taking_it(call):
    code = _COUNTER.replace("{lock}", call).replace("{unlock}", "")
    assert any(line == 5 and rule == "FTC001" for line, rule, _ in _findings(code))


def test_localtime_under_the_files_own_lock_is_still_reported():
    code = (
        "#include <time.h>\n"  # 1
        "static mutex_t log_mutex;\n"  # 2
        "void stamp(char *out) {\n"  # 3
        "    mutex_lock(&log_mutex);\n"  # 4
        "    time_t t = time(NULL);\n"  # 5
        "    struct tm *lt = localtime(&t);\n"  # 6
        '    strftime(out, 16, "%H:%M:%S", lt);\n'  # 7
        "    mutex_unlock(&log_mutex);\n"  # 8
        "}\n"
    )
    findings = {line: message for line, rule, message in _findings(code) if rule == "FTC005"}
    assert 6 in findings and 7 in findings
    assert "lock held here does not help" in findings[6]


def test_strtok_under_the_files_own_lock_is_still_reported():
    code = (
        "#include <string.h>\n"
        "static mutex_t parse_mutex;\n"
        "int words(char *text) {\n"
        "    int n = 0;\n"
        "    mutex_lock(&parse_mutex);\n"
        '    for (char *w = strtok(text, " "); w; w = strtok(NULL, " ")) n++;\n'
        "    mutex_unlock(&parse_mutex);\n"
        "    return n;\n"
        "}\n"
    )
    messages = [message for _, rule, message in _findings(code) if rule == "FTC005"]
    assert messages and all("lock held here does not help" in message for message in messages)
