"""Opening an extension module in whichever format it is: ELF, Mach-O or PE.

The file's first bytes decide, never its name: a renamed file (a macOS build copied into
a Linux tree) is read as what it is, and its ABI tag is then checked against what it is.
"""

from __future__ import annotations

from pathlib import Path

from .elf import ElfImage, ElfReadError
from .image import BinaryImage, BinaryReadError, describe_os_error
from .macho import MachOImage, is_macho
from .pe import PeImage, is_pe

# The system each format's loader belongs to, for messages and platform checks.
FORMAT_SYSTEMS = {"ELF": "linux", "Mach-O": "darwin", "PE": "windows"}


def open_image(path: Path | str, *, architecture: str | None = None) -> BinaryImage:
    """The binary at ``path`` behind :class:`~.image.BinaryImage`; raises :class:`BinaryReadError`.

    ``architecture`` ("aarch64", "x86_64") picks the slice of a universal Mach-O file.
    """
    path = Path(path)
    try:
        with open(path, "rb") as stream:
            head = stream.read(4)
    except OSError as error:
        raise ElfReadError(describe_os_error(path, error)) from None
    if is_macho(head):
        return MachOImage(path, architecture=architecture)
    if is_pe(head):
        return PeImage(path)
    return ElfImage(path)


__all__ = ["FORMAT_SYSTEMS", "BinaryImage", "BinaryReadError", "open_image"]
