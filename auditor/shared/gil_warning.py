"""The RuntimeWarning a free-threaded CPython emits when an import turns the GIL back on.

Its text (Python/import.c, ``_PyImport_CheckGILForModule``, 3.13 and later)::

    The global interpreter lock (GIL) has been enabled to load module 'X', which has
    not declared that it can run safely without the GIL. To override this behavior and
    keep the GIL disabled (at your own risk), run with PYTHON_GIL=0 or -Xgil=0.

The probe, the interpreter guard and the scan's probe merge read the module name from it.
"""

from __future__ import annotations

import re

_MARKER = "(GIL) has been enabled"
# From "to load module" on, as the scan's probe merge always matched it: a fragment of the
# warning that starts there still names its module, and no other CPython warning says it.
_MODULE = re.compile(r"to load module '([^']+)'")


def is_gil_warning(text: str) -> bool:
    """Whether ``text`` is (or contains) CPython's GIL re-enabled warning."""
    return _MARKER in text


def gil_warnings(texts: list[str]) -> list[str]:
    """The GIL re-enabled warnings among ``texts``, in order."""
    return [text for text in texts if is_gil_warning(text)]


def modules_named(text: str) -> list[str]:
    """Every module a warning text names as the one that enabled the GIL, in order."""
    return _MODULE.findall(text)


def module_named(text: str) -> str | None:
    """The first module ``text`` names as the one that enabled the GIL, if any."""
    named = modules_named(text)
    return named[0] if named else None
