"""Which of several files of one module the target's importer picks.

A wheel or a site-packages folder may hold more than one binary for the same module:
pymongo 4.15.1's ``cp313t`` wheels ship ``_cbson.cpython-39-…so`` up to
``_cbson.cpython-313-…so`` beside ``_cbson.cpython-313t-…so``. CPython's path finder
(``FileFinder.find_spec``, Lib/importlib/_bootstrap_external.py) tries the extension
suffixes in the order of ``importlib.machinery.EXTENSION_SUFFIXES`` and loads the first
file that exists; if that one fails to load, the import fails, no later suffix is tried.
So only that file decides what importing the module does; the others are never opened
by the target.

The suffix lists (``_PyImport_DynLoadFiletab``, Python/dynload_shlib.c and PC/config.c):

* POSIX, 3.13 and 3.14: ``.<SOABI>.so``, ``.abi3.so``, ``.so``. Measured on 3.13.5t:
  ``['.cpython-313t-x86_64-linux-gnu.so', '.abi3.so', '.so']``; the free-threaded build
  finds an ``abi3`` file but cannot load it (see :mod:`.abi_tag`).
* POSIX, 3.15 (PEP 803): ``.<SOABI>.so``, ``.abi3t.so``, then ``.abi3.so`` on the GIL
  build only, then ``.so``.
* Windows: ``.cp313t-win_amd64.pyd``, then a bare ``.pyd``.
"""

from __future__ import annotations

from collections.abc import Iterable

from .abi_tag import ABI3T_FIRST_RELEASE, parse_abi_tag
from .target import Target


def import_rank(filename: str, target: Target) -> int | None:
    """Where ``filename``'s suffix comes in ``target``'s extension suffix list (0 is tried
    first), or None when the target's importer never looks for that suffix (a build for
    another interpreter)."""
    abi = parse_abi_tag(filename)
    if abi.tag.startswith("cp") or (abi.tag == "windows" and abi.release is not None):
        return 0 if abi.interpreter_abi == target.abi else None
    if abi.tag == "abi3t":
        return 1 if target.release >= ABI3T_FIRST_RELEASE else None
    if abi.tag == "abi3":
        return None if target.free_threaded and target.release >= ABI3T_FIRST_RELEASE else 2
    if abi.suffix in (".so", ".pyd"):
        return 3  # a bare name: every CPython of that platform tries it last
    return None


def _module_key(path: str) -> tuple[str, str]:
    folder, _, filename = path.replace("\\", "/").rpartition("/")
    return folder, filename.split(".", 1)[0]


def split_by_import_choice(paths: Iterable[str], target: Target) -> tuple[list[str], list[str]]:
    """``paths`` (relative, "/"-separated) split into the files to judge for ``target`` and
    the files it never imports because it picks another file of the same module.

    A module with a file the target's importer finds is judged by that file alone; a module
    with no such file (only other interpreters' builds) keeps all its files, so each still
    says why it cannot load. Order is kept.
    """
    paths = list(paths)
    chosen: dict[tuple[str, str], tuple[int, str]] = {}
    for path in paths:
        rank = import_rank(path.rsplit("/", 1)[-1], target)
        if rank is None:
            continue
        key = _module_key(path)
        if key not in chosen or rank < chosen[key][0]:
            chosen[key] = (rank, path)
    judged: list[str] = []
    left_out: list[str] = []
    for path in paths:
        picked = chosen.get(_module_key(path))
        (judged if picked is None or picked[1] == path else left_out).append(path)
    return judged, left_out


def other_interpreters_note(left_out: list[str] | tuple[str, ...]) -> str:
    """The note that names the files left out because the target imports another build."""
    count = len(left_out)
    return (
        f"{count} file{'' if count == 1 else 's'} for other interpreters not judged: the target imports"
        f" its own build of the same module ({left_out[0]}{', …' if count > 1 else ''})"
    )
