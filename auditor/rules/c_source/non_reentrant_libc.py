"""FTC005: non-reentrant C library calls."""

from __future__ import annotations

import re

from ...collectors.source.c_preprocessor import in_reentrant_fallback
from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

# POSIX marks these "not thread-safe" (XSH 2.9.1) or they return static buffers; the
# value is the reentrant replacement.
REPLACEMENTS = {
    "strtok": "strtok_r",
    "localtime": "localtime_r",
    "gmtime": "gmtime_r",
    "ctime": "ctime_r",
    "asctime": "asctime_r",
    "rand": "rand_r or a per-thread generator",
    "srand": "a per-thread generator",
    "random": "random_r / a per-thread generator",
    "drand48": "erand48 with per-thread state",
    "lrand48": "nrand48 with per-thread state",
    "mrand48": "jrand48 with per-thread state",
    "strerror": "strerror_r",
    "readdir": "readdir_r or one DIR* per thread",
    "gethostbyname": "getaddrinfo",
    "gethostbyaddr": "getnameinfo",
    "getservbyname": "getaddrinfo",
    "getpwnam": "getpwnam_r",
    "getpwuid": "getpwuid_r",
    "getgrnam": "getgrnam_r",
    "getgrgid": "getgrgid_r",
    "getlogin": "getlogin_r",
    "ttyname": "ttyname_r",
    "tmpnam": "mkstemp",
    "tempnam": "mkstemp",
    "inet_ntoa": "inet_ntop",
    "ecvt": "snprintf",
    "fcvt": "snprintf",
    "gcvt": "snprintf",
    "strsignal": "sigdescr_np / a static table",
    "setenv": "pass the value explicitly (no safe variant)",
    "putenv": "pass the value explicitly (no safe variant)",
    "unsetenv": "pass the value explicitly",
    "getenv": "read it once during module initialisation",
    "setlocale": "uselocale / newlocale",
    "localeconv": "nl_langinfo_l",
    "mbtowc": "mbrtowc",
    "wctomb": "wcrtomb",
    "mblen": "mbrlen",
    "crypt": "crypt_r",
    "getdate": "getdate_r",
    "ptsname": "ptsname_r",
    "lgamma": "lgamma_r",
    "getopt": "parse arguments without global state",
    "dirname": "a copy and your own parser",
    "basename": "a copy and your own parser",
}
# Why each family is unsafe, when "one static buffer" is not the reason: the message
# names the shared thing a maintainer has to reason about.
_SHARED_STATE = {
    **dict.fromkeys(
        ("getenv", "setenv", "putenv", "unsetenv"),
        "the environment is one per process: a setenv()/putenv() on another thread (os.environ "
        "writes do it) can move or free the strings getenv() returned",
    ),
    **dict.fromkeys(
        ("setlocale", "localeconv"),
        "the locale is one per process: setlocale() on any thread changes it for all, and can "
        "free the strings localeconv() returned",
    ),
    **dict.fromkeys(
        ("rand", "srand", "random", "drand48", "lrand48", "mrand48"),
        "the generator state is one per process: concurrent calls corrupt it or repeat values",
    ),
    "strtok": "it keeps its position in the string in a static variable that every thread shares",
    "getopt": "it keeps its position in optind/optarg, globals every thread shares",
}
_STATIC_BUFFER = (
    "libc keeps its state or result in one static buffer for the whole process, which every thread "
    "calling it shares"
)
# getenv alone is harmless; it races only with setenv/putenv in another thread, which
# the interpreter itself does (os.environ writes). Read once at import time instead.
_INIT_SAFE = {"getenv", "setlocale"}
# Calls whose result points into libc's one static buffer: the race is the read of that
# buffer after the call, while another thread's call rewrites it.
_STATIC_RESULT = {
    "localtime", "gmtime", "ctime", "asctime", "strerror", "getpwnam", "getpwuid", "getgrnam",
    "getgrgid", "gethostbyname", "gethostbyaddr", "getservbyname", "inet_ntoa", "ttyname",
    "getlogin", "ecvt", "fcvt",
}  # fmt: skip
_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_ADVICE_VERBS = {"pass", "read", "parse"}
# POSIX: "readdir() is not required to be thread-safe", but glibc and the BSDs keep its
# buffer in the DIR itself, and streams opened by one call of one function are its own.
_PER_STREAM = {"readdir", "readdir64"}
# After fork() only the calling thread exists in the child: nothing else can race.
_CHILD_FUNCTION = re.compile(r"(?:^|_)child(?:_|$)|after_fork|in_child", re.IGNORECASE)


def _first_use_of_result(unit, call, function) -> tuple[str, int] | None:
    """``tmp = localtime(&t);`` then the first line that reads ``tmp`` for more than a NULL
    test (``strftime(buf, n, fmt, tmp)``), within the function."""
    parent = unit.parent_of(call)
    if parent is None or parent.type not in ("assignment_expression", "init_declarator"):
        return None
    target = parent.child_by_field_name("left") or parent.child_by_field_name("declarator")
    if target is None:
        return None
    pointer = unit.node_text(target).lstrip("*").strip()
    if not re.fullmatch(r"[A-Za-z_]\w*", pointer):
        return None
    after = _COMMENT.sub(
        lambda match: " " * len(match.group(0)),
        unit.source[parent.end_byte : function.body.end_byte].decode("utf-8", "replace"),
    )
    null_test = re.compile(
        rf"(?:\b{pointer}\s*[!=]=\s*(?:NULL|nullptr|0)\b|(?:NULL|nullptr)\s*[!=]=\s*{pointer}\b|!\s*{pointer}\b)"
    )
    for match in re.finditer(rf"(?<![\w.>]){re.escape(pointer)}\b(?!\s*=(?!=))", after):
        window = after[max(0, match.start() - 12) : match.end() + 12]
        if null_test.search(window):
            continue
        return pointer, parent.end_point[0] + 1 + after[: match.start()].count("\n")
    return None


def _own_stream(unit, call, function) -> bool:
    """``readdir(dirp)`` on a ``DIR *`` local to the function (or handed in by its caller)."""
    arguments = unit.call_arguments(call)
    if function is None or len(arguments) != 1 or arguments[0].type != "identifier":
        return False
    return unit.node_text(arguments[0]) in function.locals


def _in_forked_child(unit, function) -> bool:
    return bool(_CHILD_FUNCTION.search(function.name)) and re.search(rb"\b(?:v?fork|fork1)\s*\(", unit.source)


@register
class NonReentrantLibcCall(CSourceRule):
    """These libc functions keep their state or result in one static buffer per process.

    ``strtok`` remembers its position in a hidden static; ``localtime`` and ``strerror``
    return pointers into a shared buffer that the next call (from any thread)
    overwrites; ``getenv`` races with ``setenv``. The GIL used to serialise the C code
    calling them; free-threaded Python runs it in parallel.

    A lock of the file's own does not make these calls safe: libc's buffer or cursor is one
    per process, and every other library in the process calls the same function without
    that lock; such calls are reported with that said. Not reported: the ``#else`` fallback
    of a ``HAVE_*_R`` check (the platform has no reentrant variant), ``readdir`` on a
    ``DIR *`` the function holds itself, and code that runs in a forked child (one thread
    only).
    """

    code = "FTC005"
    name = "non-reentrant-libc"
    severity = Severity.WARNING
    summary = "non-reentrant C library function called from code that threads run in parallel"
    fix = "Use the reentrant variant (strtok_r, localtime_r, gmtime_r, strerror_r, getaddrinfo, ...)."
    references = ["https://pubs.opengroup.org/onlinepubs/9799919799/functions/V2_chap02.html#tag_16_09_01"]
    invalid = [
        Example(
            "#include <time.h>\nstatic PyObject *stamp(PyObject *self, PyObject *arg) {\n"
            "    time_t now = time(NULL);\n    struct tm *parts = localtime(&now);\n"
            "    return PyLong_FromLong(parts->tm_hour);\n}\n"
        ),
        Example(
            "#include <string.h>\nstatic int count_words(char *text) {\n"
            '    int n = 0;\n    for (char *w = strtok(text, " "); w; w = strtok(NULL, " ")) n++;\n'
            "    return n;\n}\n"
        ),
    ]
    valid = [
        Example(
            "#include <time.h>\nstatic int hour(void) {\n    time_t now = time(NULL); struct tm parts;\n"
            "    localtime_r(&now, &parts);\n    return parts.tm_hour;\n}\n"
        ),
        Example(
            "#include <stdlib.h>\nstatic int verbose;\nPyMODINIT_FUNC PyInit_demo(void) {\n"
            '    verbose = getenv("DEMO_VERBOSE") != NULL;\n    return PyModule_Create(&demo_module);\n}\n',
            note="read once during module initialisation",
        ),
        Example(
            "#include <pwd.h>\nstatic const char *home(uid_t uid) {\n"
            "    struct passwd *p;\n#ifdef HAVE_GETPWUID_R\n    struct passwd pw; char buf[1024];\n"
            "    getpwuid_r(uid, &pw, buf, sizeof buf, &p);\n#else\n    p = getpwuid(uid);\n#endif\n"
            "    return p ? p->pw_dir : NULL;\n}\n",
            note="the fallback for platforms without getpwuid_r",
        ),
        Example(
            "#include <dirent.h>\nstatic int count(const char *path) {\n    int n = 0;\n"
            "    DIR *dirp = opendir(path);\n    while (dirp && readdir(dirp)) n++;\n"
            "    if (dirp) closedir(dirp);\n    return n;\n}\n",
            note="a directory stream of this call's own",
        ),
    ]

    @classmethod
    def check(cls, unit):
        defined_here = {function.name for function in unit.functions}
        for call, name, function in unit.calls(REPLACEMENTS):
            if name in defined_here:
                continue  # a project function that happens to share the name
            if name in _INIT_SAFE and unit.runs_at_import(call, function):
                continue
            # libc's state is one for the whole process: a lock of this file keeps out only
            # this file's callers, not another library's call of the same function.
            locked = function is not None and unit.is_protected(call, function)
            if unit.in_gil_only_branch(call) or in_reentrant_fallback(unit, call):
                continue  # the `#else` of `#ifdef HAVE_GETPWNAM_R`: platforms without the _r call
            if name in _PER_STREAM and _own_stream(unit, call, function):
                continue
            if function is not None and _in_forked_child(unit, function):
                continue
            replacement = REPLACEMENTS[name]
            # Some replacements are functions (`strtok_r`), others advice ("pass the value
            # explicitly"); "use pass the value explicitly" read as a typo to users.
            advice = replacement if replacement.split()[0] in _ADVICE_VERBS else f"use {replacement}"
            under_lock = (
                f" (the lock held here does not help: every other library in the process calls {name}() "
                "without it)"
                if locked
                else ""
            )
            shared = _SHARED_STATE.get(name, _STATIC_BUFFER)
            yield cls.finding(
                f"{name}() is not thread-safe: {shared}{under_lock}; {advice}",
                unit.location(call),
                fix=f"replace {name}(): {advice}",
            )
            if name in _STATIC_RESULT and function is not None:
                yield from cls._static_result_read(unit, call, name, function, advice)

    @classmethod
    def _static_result_read(cls, unit, call, name, function, advice):
        use = _first_use_of_result(unit, call, function)
        if use is None:
            return
        pointer, line = use
        location = unit.line_location(line)
        yield cls.finding(
            f"`{pointer}` points into {name}()'s static buffer (line {call.start_point[0] + 1}) and is "
            f"read here: a call of {name}() on another thread in between rewrites what it points at; "
            f"{advice}",
            location,
            fix=f"replace {name}(): {advice}",
        )
