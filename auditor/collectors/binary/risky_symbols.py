"""Imported functions that are risky once the GIL no longer serialises threads.

Two families, each with the replacement a maintainer should reach for:

* C-API calls returning *borrowed* references into containers that other threads may
  mutate: the container can drop the item between the call and its use. The table
  follows the free-threading C-API porting guide ("Borrowed References",
  Doc/howto/free-threading-extensions.rst, 3.13) and the 3.13 C-API reference.
* libc functions that keep state in static storage (POSIX "not required to be
  thread-safe"; glibc's manual marks them MT-Unsafe ``race:...``), or race with the
  process environment (``env``).

Macros and inline functions (``PyList_GET_ITEM``, ``PyCell_GET``) leave no symbol in the
binary: the source rules (FTC) see those.
"""

from __future__ import annotations

from dataclasses import dataclass

BORROWED_REFERENCE = "borrowed-reference"
NON_REENTRANT_LIBC = "non-reentrant-libc"
# The code each family is reported under, for the one place that keeps it next to the
# facts: the result model's ``RiskySymbol.rule`` (a JSON field; a survey counts by it).
# The rules that judge the families (FTB101, FTB102) declare the family they own, and
# tests/test_rule_examples.py checks that the two agree.
REPORTED_AS = {BORROWED_REFERENCE: "FTB101", NON_REENTRANT_LIBC: "FTB102"}


@dataclass(frozen=True)
class RiskyFunction:
    name: str
    family: str  # BORROWED_REFERENCE or NON_REENTRANT_LIBC
    replacement: str
    reason: str

    @property
    def rule(self) -> str:
        return REPORTED_AS[self.family]


def _borrowed(name: str, replacement: str, reason: str) -> RiskyFunction:
    return RiskyFunction(name, BORROWED_REFERENCE, replacement, reason)


def _libc(name: str, replacement: str, reason: str) -> RiskyFunction:
    return RiskyFunction(name, NON_REENTRANT_LIBC, replacement, reason)


_ITEM_MAY_VANISH = "returns a borrowed reference; another thread can remove the item and free it before use"

RISKY_FUNCTIONS: dict[str, RiskyFunction] = {
    function.name: function
    for function in [
        _borrowed("PyDict_GetItem", "PyDict_GetItemRef (3.13)", _ITEM_MAY_VANISH + "; also swallows errors"),
        _borrowed("PyDict_GetItemWithError", "PyDict_GetItemRef (3.13)", _ITEM_MAY_VANISH),
        _borrowed("PyDict_GetItemString", "PyDict_GetItemStringRef (3.13)", _ITEM_MAY_VANISH),
        _borrowed("_PyDict_GetItemStringWithError", "PyDict_GetItemStringRef (3.13)", _ITEM_MAY_VANISH),
        _borrowed("PyDict_SetDefault", "PyDict_SetDefaultRef (3.13)", _ITEM_MAY_VANISH),
        _borrowed(
            "PyDict_Next",
            "iterate inside Py_BEGIN_CRITICAL_SECTION(dict) ... Py_END_CRITICAL_SECTION()",
            "yields borrowed keys and values while another thread may resize or mutate the dict",
        ),
        _borrowed("PyList_GetItem", "PyList_GetItemRef (3.13)", _ITEM_MAY_VANISH),
        _borrowed(
            "PyWeakref_GetObject",
            "PyWeakref_GetRef (3.13)",
            "returns a borrowed reference to an object whose last strong reference another thread can drop",
        ),
        _borrowed(
            "PyImport_AddModule",
            "PyImport_AddModuleRef (3.13)",
            "returns a borrowed reference to a module another thread can remove from sys.modules",
        ),
        _borrowed(
            "PyImport_AddModuleObject",
            "PyImport_AddModuleRef (3.13)",
            "returns a borrowed reference to a module another thread can remove from sys.modules",
        ),
        _borrowed(
            "PySys_GetObject",
            "take a strong reference at once (Py_XNewRef) and re-read instead of caching",
            "returns a borrowed reference to a sys attribute another thread can replace",
        ),
        _borrowed(
            "PyEval_GetGlobals",
            "PyEval_GetFrameGlobals (3.13)",
            "returns a borrowed reference to frame state",
        ),
        _borrowed(
            "PyEval_GetLocals", "PyEval_GetFrameLocals (3.13)", "returns a borrowed reference to frame state"
        ),
        _borrowed(
            "PyEval_GetBuiltins",
            "PyEval_GetFrameBuiltins (3.13)",
            "returns a borrowed reference to frame state",
        ),
        # libc: static buffers and hidden state
        _libc("strtok", "strtok_r", "keeps its scan position in a static variable"),
        _libc("localtime", "localtime_r", "returns a pointer to a static struct tm"),
        _libc("gmtime", "gmtime_r", "returns a pointer to a static struct tm"),
        _libc("ctime", "ctime_r (or strftime with localtime_r)", "returns a static buffer"),
        _libc("asctime", "asctime_r (or strftime)", "returns a static buffer"),
        _libc("rand", "rand_r, or a per-thread generator state", "shares one hidden generator state"),
        _libc("srand", "a per-thread generator state", "reseeds the shared hidden generator state"),
        _libc("random", "random_r with a per-thread buffer", "shares one hidden generator state"),
        _libc("srandom", "srandom_r with a per-thread buffer", "reseeds the shared hidden generator state"),
        _libc("drand48", "erand48 with a per-thread seed buffer", "shares one hidden generator state"),
        _libc("lrand48", "nrand48 with a per-thread seed buffer", "shares one hidden generator state"),
        _libc("mrand48", "jrand48 with a per-thread seed buffer", "shares one hidden generator state"),
        _libc(
            "getenv",
            "read the environment once at import, or guard every setenv/putenv with the same lock",
            "races with setenv/putenv/unsetenv in other threads (glibc: MT-Safe env only without writers)",
        ),
        _libc(
            "setenv",
            "avoid changing the environment after threads start; pass settings explicitly",
            "reallocates environ while other threads may read it (glibc: MT-Unsafe const:env)",
        ),
        _libc(
            "putenv",
            "avoid changing the environment after threads start; pass settings explicitly",
            "modifies environ while other threads may read it (glibc: MT-Unsafe const:env)",
        ),
        _libc(
            "unsetenv",
            "avoid changing the environment after threads start",
            "modifies environ while other threads may read it (glibc: MT-Unsafe const:env)",
        ),
        _libc(
            "clearenv",
            "avoid changing the environment after threads start",
            "frees environ while other threads may read it (glibc: MT-Unsafe const:env)",
        ),
        _libc(
            "strerror",
            "strerror_r",
            "may return a static buffer (glibc: MT-Unsafe race:strerror for unknown codes)",
        ),
        _libc("strsignal", "sigabbrev_np / sigdescr_np", "returns a static buffer for unknown signals"),
        _libc(
            "readdir",
            "one DIR* per thread (readdir is safe on distinct streams; readdir_r is deprecated)",
            "a DIR* stream shared between threads is MT-Unsafe race:dirstream",
        ),
        _libc("gethostbyname", "getaddrinfo", "returns a static struct hostent"),
        _libc("gethostbyname2", "getaddrinfo", "returns a static struct hostent"),
        _libc("gethostbyaddr", "getnameinfo", "returns a static struct hostent"),
        _libc("getservbyname", "getservbyname_r or getaddrinfo", "returns a static struct servent"),
        _libc("inet_ntoa", "inet_ntop", "returns a static buffer"),
        _libc("getpwnam", "getpwnam_r", "returns a static struct passwd"),
        _libc("getpwuid", "getpwuid_r", "returns a static struct passwd"),
        _libc("getgrnam", "getgrnam_r", "returns a static struct group"),
        _libc("getgrgid", "getgrgid_r", "returns a static struct group"),
        _libc("getlogin", "getlogin_r", "returns a static buffer"),
        _libc("ttyname", "ttyname_r", "returns a static buffer"),
        _libc("ptsname", "ptsname_r", "returns a static buffer"),
        _libc("tmpnam", "mkstemp (or tmpfile)", "returns a static buffer (and the name is racy by design)"),
        _libc("tempnam", "mkstemp", "the name is racy by design"),
        _libc("ecvt", "snprintf", "returns a static buffer"),
        _libc("fcvt", "snprintf", "returns a static buffer"),
        _libc("crypt", "crypt_r", "returns a static buffer"),
        _libc(
            "setlocale",
            "uselocale with a per-thread locale from newlocale",
            "changes the process-wide locale under other threads' formatting calls (MT-Unsafe const:locale)",
        ),
        _libc("localeconv", "nl_langinfo_l / localeconv_l with a locale_t", "returns a static struct lconv"),
    ]
}


def risky_imports(imported: set[str] | frozenset[str]) -> list[RiskyFunction]:
    """The risky functions among a binary's undefined symbols, sorted by family then name."""
    found = [RISKY_FUNCTIONS[name] for name in imported if name in RISKY_FUNCTIONS]
    return sorted(found, key=lambda function: (function.family, function.name))
