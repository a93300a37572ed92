"""Which imported functions belong to the C or C++ runtime, and so cannot declare for a module.

An init function that imports neither ``PyModuleDef_Init`` nor ``PyUnstable_Module_SetGIL``
never declares ``Py_mod_gil`` itself, but a call into another shared library's code (a
shared libnanobind, say) may create the module and declare on its behalf. The C and C++
runtimes never do: libstdc++/libc++ (``std::string``'s constructors, ``operator new``,
exception support), the C library, libm, libpthread and the unwinder create no Python
modules. greenlet 3.2.2's ``PyInit__greenlet`` builds a ``std::string`` with
``_ZNSs4_Rep9_S_createEmmRKSaIcE`` (libstdc++'s pre-C++11 string); that call says nothing
about the GIL.

Itanium C++ ABI mangling (used on Linux and macOS): ``_Z`` then a name; ``N...E`` a nested
name, optionally cv-qualified (``NK``: a const method); ``St`` is ``std::`` and ``Sa``,
``Sb``, ``Ss``, ``Si``, ``So``, ``Sd`` the standard abbreviations of allocator,
basic_string, string, istream, ostream and iostream; ``nw``/``na``/``dl``/``da`` are the
operators new and delete. libc++ puts its names in ``std::__1`` (``_ZNSt3__1...``).
"""

from __future__ import annotations

import re

# std:: (and its abbreviations), __gnu_cxx:: and __cxxabiv1:: names, free or nested, and
# the global operators new and delete.
_CXX_RUNTIME = re.compile(
    r"_Z(?:N[rVKO]*)?(?:S[tabsiod]|9__gnu_cxx|10__cxxabiv1)"
    r"|_Z(?:nw|na|dl|da)"
)
# Itanium ABI support (exceptions, guards, thread-local destructors) and the unwinder.
_RUNTIME_PREFIXES = ("__cxa_", "__gxx_", "_Unwind_", "__gcc_", "__libc_", "__stack_chk_")


def is_cxx_runtime_function(name: str) -> bool:
    """Whether ``name`` (an imported symbol) is the C++ runtime's: the standard library, the
    ABI support library or the unwinder. Such a call cannot declare for the module."""
    if name.startswith("_Z"):
        return _CXX_RUNTIME.match(name) is not None
    return name.startswith(_RUNTIME_PREFIXES)
