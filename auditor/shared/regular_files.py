"""Reading a file that may not be what its name says, without hanging or filling memory.

Scanned trees are untrusted: METADATA can be a FIFO (``open()`` blocks until a writer
appears, i.e. forever), ``top_level.txt`` a symbolic link to ``/dev/zero`` (``stat``
says 0 bytes, ``read()`` never ends). So every reader here opens with ``O_NONBLOCK``
(a FIFO opens at once instead of waiting for a writer), then asks ``fstat`` about the
*opened* descriptor (no race with a swap after a ``stat``), refuses anything but a
regular file, and reads at most ``limit + 1`` bytes whatever the size claims.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# O_NOCTTY: opening a terminal device must not make it ours.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_CHUNK = 1024 * 1024


class NotRegularFileError(OSError):
    """The path names a FIFO, a device, a socket or a folder: no file contents to read."""


class FileTooLargeError(OSError):
    """The file holds more bytes than the caller's limit (the message says both)."""


def kind_of(mode: int) -> str:
    """What a non-regular ``st_mode`` is, for messages a user can act on."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes.

    Raises :class:`NotRegularFileError`, :class:`FileTooLargeError` or the ``OSError``
    of the open (``FileNotFoundError``…); never blocks on a FIFO or a device.
    """
    descriptor = os.open(os.fspath(path), _OPEN_FLAGS)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(f"{path}: is {kind_of(mode)}, not a regular file")
        # Back to blocking reads: O_NONBLOCK only mattered for the open, and a regular
        # file on a slow network file system should be read, not reported as EAGAIN.
        os.set_blocking(descriptor, True)
        chunks: list[bytes] = []
        remaining = limit + 1  # one byte past the limit tells "too large" from "exactly full"
        while remaining > 0:
            chunk = os.read(descriptor, min(_CHUNK, remaining))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise FileTooLargeError(f"{path}: more than {limit} bytes, over the limit for this kind of file")
    return data


def regular_file_problem(path: Path) -> str | None:
    """Why ``path`` (links followed) is not a regular file, or None when it is one."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"cannot be examined ({error.strerror or error})"
    if stat.S_ISREG(mode):
        return None
    return f"is {kind_of(mode)}, not a regular file; not read"
