"""Which rule codes count: ruff's ``select`` / ``ignore`` by code or code prefix.

Written once, here, for the gate's policy (``[tool.ftaudit] select/ignore``) and for
``ftaudit scan-source --select/--ignore``: an entry is a whole code (``FTC001``) or a
prefix of one (``FTC``, ``FTP00``), compared without regard to case.
"""

from __future__ import annotations

from collections.abc import Iterable


def rule_selected(code: str, select: Iterable[str] | None = (), ignore: Iterable[str] | None = ()) -> bool:
    """True when a ``select`` entry is a prefix of ``code`` (or ``select`` is empty) and no
    ``ignore`` entry is: ignore wins, as in ruff, without looking for the longer match."""
    code = code.upper()
    if any(code.startswith(prefix.upper()) for prefix in ignore or ()):
        return False
    chosen = [prefix.upper() for prefix in select or ()]
    return not chosen or any(code.startswith(prefix) for prefix in chosen)
