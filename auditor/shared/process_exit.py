"""How a child process ended, in words a report can show."""

from __future__ import annotations

import signal


def signal_name(exit_code: int | None) -> str | None:
    """``SIGSEGV`` for a process killed by signal 11 (a negative exit code, as
    :mod:`subprocess` and :mod:`multiprocessing` report it); None for a process that exited.

    A signal this platform has no name for is still named by its number.
    """
    if exit_code is None or exit_code >= 0:
        return None
    try:
        return signal.Signals(-exit_code).name
    except ValueError:
        return f"signal {-exit_code}"
