"""Names the C/C++ facts are built from: locks, atomics, thread-local storage, and the calls
and methods that write the variable they are handed.

Kept apart from the parsing so that a rule (or a reader) can see the whole vocabulary at
once, and so that adding a lock primitive or a libc writer is a one-line change here.
"""

from __future__ import annotations

import re

# Qualifiers and type names that make a static safe to share or that *are* the lock.
# Also the portability macros projects define for these (_Py_thread_local, NPY_TLS, ...).
THREAD_LOCAL_TOKENS = re.compile(
    r"\b(_Thread_local|thread_local|__thread|\w*_thread_local|\w*THREAD_LOCAL|[A-Z_]*_TLS|TLS)\b"
    r"|__declspec\s*\(\s*thread"
)
# In a declaration's specifiers (before the name), an upper-case macro that speaks of
# threads can only be the project's spelling of thread-local storage (json-c's
# SPEC___THREAD, HB_THREAD_LOCAL-style names that the token list above does not cover).
THREAD_SPECIFIER_MACRO = re.compile(r"\b[A-Z][A-Z0-9_]*THREAD(?:_[A-Z0-9_]*)?\b")
SYNCHRONISED_TYPE = re.compile(
    r"\b(_Atomic|atomic\w*|std::atomic\w*|PyMutex|PyOnceFlag|_PyOnceFlag|std::mutex|std::recursive_mutex|"
    r"std::shared_mutex|std::once_flag|pthread_mutex_t|pthread_once_t|pthread_rwlock_t|mtx_t|once_flag|"
    r"PyThread_type_lock|CRITICAL_SECTION|SRWLOCK|INIT_ONCE|std::condition_variable)\b"
)
# Calls that acquire / release mutual exclusion. Counting them before a node in its
# function is how the rules decide that a write is protected; RAII guards have no
# release call and protect to the end of their scope (approximated by the function).
ACQUIRE = re.compile(
    r"\b(PyMutex_Lock|PyMutex_LockFlags|Py_BEGIN_CRITICAL_SECTION2?|Py_BEGIN_CRITICAL_SECTION_MUT|"
    r"pthread_mutex_lock|pthread_rwlock_wrlock|pthread_rwlock_rdlock|PyThread_acquire_lock(?:_timed)?|"
    r"EnterCriticalSection|AcquireSRWLockExclusive|mtx_lock|_PyMutex_Lock|PyEval_AcquireLock|"
    r"(?:std::)?(?:lock_guard|unique_lock|scoped_lock|shared_lock)\b|nb::ft_lock_guard|"
    r"nb::ft_object_guard|py::scoped_critical_section|(?:absl::)?MutexLock|(?:absl::)?WriterMutexLock)|"
    r"\.\s*lock\s*\(\s*\)|->\s*lock\s*\(\s*\)"
    # A project's own lock macros: ENTER_HASHLIB(self), ACQUIRE_LOCK(self), HEAD_LOCK(runtime).
    r"|\b(?!RELEASE_|UN)(?:ENTER_[A-Z0-9_]+|[A-Z0-9_]*_LOCK(?:_[A-Z0-9_]+)?|LOCK_[A-Z0-9_]+|ACQUIRE_[A-Z0-9_]+)\s*\("
    # A library's own lock functions, named for what they do: ares_thread_mutex_lock(e->mutex),
    # uv_mutex_lock(&l), Curl_share_lock(data, ...), sqlite3_mutex_enter(m), g_rw_lock_writer_lock.
    # (Making, freeing or testing a lock is not taking it: PyThread_allocate_lock.)
    r"|\b(?!(?:\w*_)?(?:alloc|allocate|free|new|init|create|destroy|release|is|has|held|type|get)_(?:mutex_)?lock\b)"
    r"[A-Za-z]\w*_(?:mutex_lock|mutex_enter|lock|rdlock|wrlock|reader_lock|writer_lock)\s*\("
    # A project's own RAII guard: `LockGuard lck(mut_);`, `ScopedLock hold(&mutex);`.
    r"|\b[A-Z]\w*(?:Lock|Guard)\w*(?:<[^<>;()]*>)?\s+\w+\s*[({]\s*&?\s*[\w.>-]*(?:mut|lock)\w*\s*[)}]"
)
RELEASE = re.compile(
    r"\b(PyMutex_Unlock|Py_END_CRITICAL_SECTION\w*|pthread_mutex_unlock|pthread_rwlock_unlock|"
    r"PyThread_release_lock|LeaveCriticalSection|ReleaseSRWLockExclusive|mtx_unlock|_PyMutex_Unlock|"
    r"PyEval_ReleaseLock)\b|\.\s*unlock\s*\(\s*\)|->\s*unlock\s*\(\s*\)"
    # A project's own release macros: LEAVE_HASHLIB(self), RELEASE_GLOBAL_LOCK(), HEAD_UNLOCK(runtime).
    r"|\b(?:LEAVE_[A-Z0-9_]+|RELEASE_(?:[A-Z0-9_]*_)?LOCK\w*|[A-Z0-9_]*_UNLOCK|UNLOCK_[A-Z0-9_]+)\s*\("
    r"|\b[A-Za-z]\w*_(?:mutex_unlock|mutex_leave|unlock|reader_unlock|writer_unlock)\s*\("
)
# C++ container methods that change the container (a static std::vector grown from
# two threads corrupts it).
CPP_MUTATORS = {
    "push_back",
    "emplace_back",
    "push_front",
    "emplace_front",
    "pop_back",
    "pop_front",
    "insert",
    "emplace",
    "erase",
    "clear",
    "resize",
    "reserve",
    "assign",
    "swap",
    "insert_or_assign",
    "try_emplace",
    "append",
    "merge",
    "extract",
    "reset",
    "release",
}
# Writes through these macros replace the variable's value (Include/refcount.h).
SETREF_MACROS = {"Py_SETREF", "Py_XSETREF"}
# libc calls whose first argument is the destination they fill: on a static buffer,
# two threads write the same bytes (and whoever returned a pointer to it sees both).
BUFFER_WRITERS = {
    "strcpy",
    "strncpy",
    "strcat",
    "strncat",
    "sprintf",
    "snprintf",
    "vsprintf",
    "vsnprintf",
    "memcpy",
    "memmove",
    "memset",
    "strftime",
    "fgets",
    "PyOS_snprintf",
    "PyOS_vsnprintf",
    "strlcpy",
    "strlcat",
}
# Calls that store through a pointer argument: `sysctlbyname(name, &static_buf, &len, ...)`
# fills a static that every thread shares. The value says which arguments are written:
# "all" for every `&x`, or the indices. setjmp fills the jmp_buf it is given (an array,
# so passed without `&`).
OUT_PARAMETER_WRITERS: dict[str, object] = {
    "sysctl": "all",
    "sysctlbyname": "all",
    "sysctlnametomib": "all",
    "getsockopt": "all",
    "ioctl": "all",
    "stat": "all",
    "fstat": "all",
    "lstat": "all",
    "uname": "all",
    "gettimeofday": "all",
    "clock_gettime": "all",
    "getrusage": "all",
    "sscanf": "all",
    "PyArg_ParseTuple": "all",
    "PyArg_ParseTupleAndKeywords": "all",
    "PyArg_UnpackTuple": "all",
    "statvfs": "all",
    "fstatvfs": "all",
    "sysinfo": "all",
    "getrlimit": "all",
    "times": "all",
    "time": "all",
    "localtime_r": (1,),
    "gmtime_r": (1,),
    "getsockname": "all",
    "getpeername": "all",
    "getaddrinfo": (3,),
    "getcwd": (0,),
    "gethostname": (0,),
    "readlink": (1,),
    "read": (1,),
    "fread": (0,),
    "recv": (1,),
    "pipe": (0,),
    # Windows: the out-structure is the (only) pointer argument.
    "QueryPerformanceFrequency": "all",
    "QueryPerformanceCounter": "all",
    "GetSystemInfo": "all",
    "GetNativeSystemInfo": "all",
    "GetVersionExW": "all",
    "GetVersionExA": "all",
    "GetSystemTimes": "all",
    "GlobalMemoryStatusEx": "all",
    "NtQuerySystemInformation": "all",
    "setjmp": (0,),
    "sigsetjmp": (0,),
    "_setjmp": (0,),
}


def is_input_argument(callee: str, variable) -> bool:
    """``PyArg_ParseTuple(args, "O!", &Imaging_Type, &obj)``: the address of a type object is
    what ``O!`` checks against, an input, not a destination."""
    if not callee.startswith("PyArg_"):
        return False
    return "PyTypeObject" in variable.declaration_text or variable.name.endswith("Type")
