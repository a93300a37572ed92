"""FTC012: libc database iteration (utmp, passwd, group, mount table) from parallel code."""

from __future__ import annotations

from ...model.finding import Severity
from ..registry import Example, register
from . import CSourceRule

# Each family keeps one cursor per process inside libc (POSIX XSH getutxent, getpwent,
# getgrent; glibc getmntent shares the FILE* position). The value names the family's
# rewind/close calls, used to describe the racing sequence.
FAMILIES = {
    "utmpx": ("setutxent", "getutxent", "endutxent", "getutxid", "getutxline", "pututxline"),
    "utmp": ("setutent", "getutent", "endutent", "getutid", "getutline", "pututline", "utmpname"),
    "passwd": ("setpwent", "getpwent", "endpwent", "fgetpwent"),
    "group": ("setgrent", "getgrent", "endgrent", "fgetgrent"),
    "shadow": ("setspent", "getspent", "endspent"),
    "mount table": ("getmntent", "getmntinfo"),
    "hosts": ("sethostent", "gethostent", "endhostent"),
    "services": ("setservent", "getservent", "endservent"),
    "protocols": ("setprotoent", "getprotoent", "endprotoent"),
    "networks": ("setnetent", "getnetent", "endnetent"),
    "fstab": ("setfsent", "getfsent", "endfsent", "getfsfile", "getfsspec"),
    "login shells": ("setusershell", "getusershell", "endusershell"),
    "netgroups": ("setnetgrent", "getnetgrent", "endnetgrent"),
    "mail aliases": ("setaliasent", "getaliasent", "endaliasent"),
    "rpc programs": ("setrpcent", "getrpcent", "endrpcent"),
}
_FAMILY_OF = {name: family for family, names in FAMILIES.items() for name in names}


@register
class LibcIterationState(CSourceRule):
    """``setutxent()`` / ``getutxent()`` / ``endutxent()`` walk a cursor libc keeps in one static.

    The same holds for ``getpwent``, ``getgrent``, ``getmntent`` and the other ``*ent``
    families: the position, and the record the call returns, live in process-wide libc
    state. Two threads iterating at once skip or repeat records, and one thread's
    ``endutxent()`` closes the file under the other. With the GIL the whole loop ran as
    one critical region; free-threaded Python runs it in parallel.
    """

    code = "FTC012"
    name = "libc-iteration-state"
    severity = Severity.WARNING
    summary = "libc database iteration (*ent family) without a lock around the whole loop"
    fix = (
        "Hold one static PyMutex (or pthread mutex) from the set*ent() call to the end*ent() call, "
        "or use the reentrant form where there is one (getpwent_r, getgrent_r, getmntent_r, getutxent_r)."
    )
    references = ["https://pubs.opengroup.org/onlinepubs/9799919799/functions/getutxent.html"]
    invalid = [
        Example(
            "#include <utmpx.h>\nstatic PyObject *boot_time(PyObject *self, PyObject *args) {\n"
            "    struct utmpx *ut; double t = 0;\n    setutxent();\n"
            "    while ((ut = getutxent()) != NULL) {\n"
            "        if (ut->ut_type == BOOT_TIME) t = ut->ut_tv.tv_sec;\n    }\n"
            "    endutxent();\n    return PyFloat_FromDouble(t);\n}\n"
        ),
        Example(
            "#include <mntent.h>\nstatic PyObject *mounts(PyObject *self, PyObject *args) {\n"
            '    FILE *file = setmntent("/etc/mtab", "r");\n    struct mntent *entry;\n'
            "    long n = 0;\n    while ((entry = getmntent(file))) n++;\n    endmntent(file);\n"
            "    return PyLong_FromLong(n);\n}\n",
            note="getmntent returns a pointer into a static struct",
        ),
    ]
    valid = [
        Example(
            "#include <utmpx.h>\nstatic PyMutex utmp_lock;\n"
            "static PyObject *users(PyObject *self, PyObject *args) {\n"
            "    struct utmpx *ut; long n = 0;\n    PyMutex_Lock(&utmp_lock);\n    setutxent();\n"
            "    while ((ut = getutxent()) != NULL) n++;\n    endutxent();\n"
            "    PyMutex_Unlock(&utmp_lock);\n    return PyLong_FromLong(n);\n}\n"
        ),
        Example(
            "#include <mntent.h>\nstatic PyObject *mounts(PyObject *self, PyObject *args) {\n"
            '    FILE *file = setmntent("/etc/mtab", "r");\n    struct mntent entry; char buf[4096];\n'
            "    long n = 0;\n    while (getmntent_r(file, &entry, buf, sizeof buf)) n++;\n"
            "    endmntent(file);\n    return PyLong_FromLong(n);\n}\n",
            note="the reentrant form with a caller-owned record",
        ),
    ]

    @classmethod
    def check(cls, unit):
        defined_here = {function.name for function in unit.functions}
        for call, name, function in unit.calls(_FAMILY_OF):
            if name in defined_here or function is None:
                continue
            if unit.runs_at_import(call, function) or unit.is_protected(call, function):
                continue
            if unit.in_gil_only_branch(call):
                continue
            family = _FAMILY_OF[name]
            rewind, step = FAMILIES[family][0], FAMILIES[family][1]
            # Name the other call of the pair: for the rewind itself, the racing step is the getter.
            other = step if name == rewind else rewind
            yield cls.finding(
                f"{name}() in {function.name}() uses libc's one process-wide {family} cursor with no lock: "
                f"another thread's {other}()/{name}() moves or closes it between this thread's calls, "
                "so records are skipped, repeated or read after the file is closed",
                unit.location(call),
            )
