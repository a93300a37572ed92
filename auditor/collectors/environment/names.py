"""Names: distribution names (PEP 503) and extension-module file names."""

from __future__ import annotations

import re
from dataclasses import dataclass

# PEP 503: runs of "-", "_" and "." are one separator, and case does not matter.
_SEPARATOR_RUN = re.compile(r"[-_.]+")

# An importable extension module file: an identifier, an optional tag without dots
# ("cpython-313t-x86_64-linux-gnu", "abi3", "cp313t-win_amd64"), then ".so" or ".pyd".
# The tags are the ones importlib.machinery.EXTENSION_SUFFIXES lists on each platform.
# Shared libraries bundled beside extensions (numpy.libs/libopenblas-…so.0, names with
# "-" or versioned ".so.1") do not match, which is right: they are not modules.
# The name part is any Python identifier, not only ASCII: PEP 3131 allows "café" as a
# module name and PEP 489 gives such modules a "PyInitU_" entry point (see
# init_function_name), so a non-ASCII binary is a module like any other.
_EXTENSION_FILE = re.compile(r"^(?P<name>[^\W\d]\w*)(?:\.(?P<tag>[^./]+))?\.(?P<suffix>so|pyd)$")


def normalize_name(name: str) -> str:
    """The PEP 503 normal form used to compare distribution names."""
    return _SEPARATOR_RUN.sub("-", name).lower()


@dataclass(frozen=True)
class ExtensionFileName:
    module: str  # dotted import name, e.g. "numpy._core._multiarray_umath"
    tag: str | None  # the tag between the module name and the suffix, if any
    suffix: str  # "so" or "pyd"


def extension_module_name(relative_path: str) -> ExtensionFileName | None:
    """The module an extension file would be imported as, or None when the file cannot
    be an importable module (a bundled shared library, a folder name with a dash…).

    ``relative_path`` is relative to the site-packages folder, with "/" separators.
    """
    *folders, filename = relative_path.split("/")
    match = _EXTENSION_FILE.match(filename)
    if match is None:
        return None
    if not match.group("name").isidentifier() or not all(folder.isidentifier() for folder in folders):
        return None
    module = ".".join([*folders, match.group("name")])
    return ExtensionFileName(module=module, tag=match.group("tag"), suffix=match.group("suffix"))


def looks_like_extension_file(filename: str) -> bool:
    """Cheap test on a bare file name: ends like a binary module would."""
    return filename.endswith(".so") or filename.endswith(".pyd")
