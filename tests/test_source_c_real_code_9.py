"""C as real libraries write it: their lock functions, platform arms, exported inits,
and containers that are fresh on one path only.

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


def test_a_lock_only_one_platform_takes_guards_nothing_on_the_others():
    code = (
        "#include <pthread.h>\n"  # 1
        "static ssize_t write_all(int fd, const void *buf, size_t len) {\n"  # 2
        "  static int no_pwritev;\n"  # 3
        "#if defined(__APPLE__)\n"  # 4
        "  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;\n"  # 5
        "  pthread_mutex_lock(&lock);\n"  # 6
        "#endif\n"  # 7
        "  ssize_t r = -1;\n"  # 8
        "  if (!no_pwritev && errno == ENOSYS)\n"  # 9
        "    no_pwritev = 1;\n"  # 10
        "#if defined(__APPLE__)\n"  # 11
        "  pthread_mutex_unlock(&lock);\n"  # 12
        "#endif\n"  # 13
        "  return r;\n"  # 14
        "}\n"
    )
    assert 10 in {line for line, rule, _ in _findings(code) if rule in ("FTC001", "FTC002")}


def test_a_function_whose_if_else_is_split_across_preprocessor_arms_is_still_read():
    # libuv's uv__fs_write: the `if` sits in one `# if defined(__linux__)` arm and its
    # `else` in another, which stops tree-sitter for the rest of the file unless the
    # arms are read together.
    middle = (
        "static ssize_t fs_write(req_t *req) {\n"
        "#if defined(__linux__)\n"
        "  static int no_pwritev;\n"
        "#endif\n"
        "  ssize_t r;\n"
        "#if HAVE_PREADV\n"
        "  r = pwritev(req->file, req->bufs, req->nbufs, req->off);\n"
        "#else\n"
        "# if defined(__linux__)\n"
        "  if (no_pwritev) retry:\n"
        "# endif\n"
        "  {\n"
        "    r = pwrite(req->file, req->bufs[0].base, req->bufs[0].len, req->off);\n"
        "  }\n"
        "# if defined(__linux__)\n"
        "  else {\n"
        "    r = pwritev(req->file, req->bufs, req->nbufs, req->off);\n"
        "    if (r == -1 && errno == ENOSYS) {\n"
        "      no_pwritev = 1;\n"
        "      goto retry;\n"
        "    }\n"
        "  }\n"
        "# endif\n"
        "#endif\n"
        "  return r;\n"
        "}\n"
    )
    # Enough ordinary functions after it for the parse error to swallow them.
    tail = "".join(
        f"static int counter_{n};\nint bump_{n}(void) {{\n  counter_{n}++;\n  return counter_{n};\n}}\n"
        for n in range(12)
    )
    code = middle + tail
    findings = _findings(code)
    store = code.splitlines().index("      no_pwritev = 1;") + 1
    assert store in {line for line, rule, _ in findings if rule == "FTC001"}
    bumps = {
        message.split("`")[1] for _, rule, message in findings if rule == "FTC001" and "counter_" in message
    }
    assert bumps == {f"counter_{n}" for n in range(12)}


def test_code_for_the_gil_build_only_stays_quiet_when_the_arms_are_read_together():
    code = (
        "static ssize_t fs_write(req_t *req) {\n"
        "  ssize_t r;\n"
        "# if defined(__linux__)\n"
        "  if (req->off) retry:\n"
        "# endif\n"
        "  { r = 1; }\n"
        "# if defined(__linux__)\n"
        "  else { r = 2; goto retry; }\n"
        "# endif\n"
        "  return r;\n"
        "}\n"
        + "".join(
            f"static int cache_{n};\n#ifndef Py_GIL_DISABLED\nint fill_{n}(void) {{\n  cache_{n} = 1;\n"
            f"  return cache_{n};\n}}\n#endif\n"
            for n in range(12)
        )
        + "static int seen;\nint touch(void) {\n  seen = 1;\n  return 0;\n}\n"
    )
    findings = _findings(code)
    assert any("`seen`" in message for _, _, message in findings)  # the file was read past the split
    assert not [finding for finding in findings if "cache_" in finding[2]]


def test_a_c_librarys_exported_init_runs_whenever_an_application_calls_it():
    library = (
        "static int initialized;\n"
        "int lib_init(void) {\n"
        "    if (initialized != 0)\n        return 1;\n"
        "    pick_best_implementation();\n"
        "    initialized = 1;\n    return 0;\n}\n"
    )
    lines = {line for line, rule, _ in _findings(library) if rule in ("FTC001", "FTC002")}
    assert {3, 6} <= lines
    # In an extension, the same shape is a set-up helper its module's exec calls once.
    extension = "#include <Python.h>\n" + library
    assert not [finding for finding in _findings(extension) if finding[1] in ("FTC001", "FTC002")]


def test_a_dict_made_here_on_one_path_only_is_the_objects_shared_dict_on_the_other():
    code = (
        "#include <Python.h>\n"  # 1
        "typedef struct { PyObject_HEAD PyObject *cache; } FFIObject;\n"  # 2
        "static PyObject *init_once(FFIObject *self, PyObject *tag) {\n"  # 3
        "    PyObject *cache = self->cache, *tup;\n"  # 4
        "    if (cache == NULL) {\n"  # 5
        "        cache = PyDict_New();\n"  # 6
        "        if (cache == NULL)\n            return NULL;\n"  # 7-8
        "        self->cache = cache;\n"  # 9
        "    }\n"  # 10
        "    tup = PyDict_GetItem(cache, tag);\n"  # 11
        "    return Py_XNewRef(tup);\n"
        "}\n"
    )
    assert any(line == 11 and rule == "FTC003" for line, rule, _ in _findings(code))
    fresh = code.replace("PyObject *cache = self->cache, *tup;", "PyObject *cache = NULL, *tup;")
    assert not [finding for finding in _findings(fresh) if finding[1] == "FTC003"]


def test_a_static_buffer_handed_on_right_after_its_fill_is_reported_at_the_hand_off():
    code = (
        "#include <stdio.h>\n"  # 1
        "void escape_char(struct printbuf *pb, int c) {\n"  # 2
        "    static char sbuf[7];\n"  # 3
        '    snprintf(sbuf, sizeof(sbuf), "\\\\u00%02x", c);\n'  # 4
        "    printbuf_append(pb, sbuf, 6);\n"  # 5
        "}\n"
    )
    findings = {line: message for line, rule, message in _findings(code) if rule == "FTC001"}
    assert 4 in findings and 5 in findings and "line 4" in findings[5]


def test_a_projects_thread_local_macro_in_the_specifiers_makes_the_static_per_thread():
    code = (
        "static SPEC___THREAD char *tls_format = NULL;\n"
        "static int max_threads = MAX_THREADS;\n"
        "void set_format(char *f) {\n    tls_format = f;\n    max_threads = 2;\n}\n"
    )
    written = {message.split("`")[1] for _, rule, message in _findings(code) if rule == "FTC001"}
    assert written == {"max_threads"}  # a THREAD macro in the initialiser says nothing


def test_a_page_size_read_from_every_platforms_query_is_the_same_in_every_thread():
    code = (
        "static long page_size;\n"
        "static long pagesize(void) {\n"
        "#ifdef _WIN32\n"
        "    if (!page_size) {\n        SYSTEM_INFO info;\n        GetSystemInfo(&info);\n"
        "        page_size = info.dwPageSize;\n    }\n"
        "#else\n"
        "    if (!page_size) {\n"
        "#ifdef _SC_PAGESIZE\n        page_size = sysconf(_SC_PAGESIZE);\n#else\n"
        "        page_size = getpagesize();\n#endif\n    }\n"
        "#endif\n"
        "    return page_size;\n}\n"
    )
    assert not [finding for finding in _findings(code) if finding[1] == "FTC002"]


def test_readline_hooks_run_under_cpythons_readline_lock():
    code = (
        "#include <Python.h>\n"
        "static char *completed_input_string;\n"
        "static void rlhandler(char *text) {\n    completed_input_string = text;\n}\n"
        "static char *call_readline(FILE *in, FILE *out, const char *prompt) {\n"
        "    rl_callback_handler_install(prompt, rlhandler);\n"
        "    completed_input_string = NULL;\n"
        "    while (completed_input_string == NULL) rl_callback_read_char();\n"
        "    return completed_input_string;\n}\n"
        "static int readline_exec(PyObject *module) {\n"
        "    PyOS_ReadlineFunctionPointer = call_readline;\n    return 0;\n}\n"
    )
    assert not [finding for finding in _findings(code) if "completed_input_string" in finding[2]]
    # The same functions in a file that never installs them are ordinary code.
    elsewhere = code.replace("PyOS_ReadlineFunctionPointer = call_readline;", "")
    assert [finding for finding in _findings(elsewhere) if "completed_input_string" in finding[2]]


def test_a_busy_flag_cleared_after_a_cleanup_label_is_still_a_test_and_set():
    code = (
        "#include <Python.h>\n"  # 1
        "typedef struct { PyObject_HEAD int processing; void *dec; } Decompressor;\n"  # 2
        "static PyObject *process(Decompressor *self, PyObject *data) {\n"  # 3
        "    PyObject *ret = NULL;\n"  # 4
        "    if (self->processing != 0) {\n"  # 5
        '        PyErr_SetString(PyExc_RuntimeError, "concurrent use");\n'  # 6
        "        return NULL;\n    }\n"  # 7-8
        "    self->processing = 1;\n"  # 9
        "    if (decode(self->dec, data) < 0)\n        goto finally;\n"  # 10-11
        "    ret = collect(self->dec);\n"  # 12
        "finally:\n"  # 13
        "    self->processing = 0;\n"  # 14
        "    return ret;\n}\n"
    )
    lines = {line for line, rule, _ in _findings(code) if rule == "FTC020"}
    assert {5, 9, 14} <= lines


def test_static_read_into_a_local_is_the_check_of_the_write_after_it():
    # blosc2_set_nthreads: the previous value is read into a local, compared, then replaced.
    code = (
        "static short g_nthreads;\n"
        "short set_nthreads(short n) {\n"
        "    short previous = g_nthreads;\n"
        "    if (n != previous)\n"
        "        g_nthreads = n;\n"
        "    return previous;\n"
        "}\n"
    )
    found = [(line, rule) for line, rule, message in _findings(code) if rule == "FTC001"]
    assert (3, "FTC001") in found and (5, "FTC001") in found


def test_a_static_initialised_in_its_declaration_is_not_read():
    code = (
        "static int limit = 4;\n"
        "int bump(void) {\n"
        "    static int calls = 0;\n"
        "    calls++;\n"
        "    return calls;\n"
        "}\n"
    )
    lines = [line for line, rule, message in _findings(code) if rule == "FTC001"]
    assert 3 not in lines
