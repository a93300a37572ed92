"""Setting aside the files of a module the target never imports because it picks another.

An environment may hold one build of a module per interpreter side by side (pymongo's
wheels ship ``_cbson.cpython-39-…so`` to ``_cbson.cpython-313t-…so``); the target's
importer loads only the first file its suffix list finds
(:mod:`auditor.collectors.binary.import_order`), so only that one is judged. The others
move to the distribution's ``other_interpreter_files``, named in the verdict's reason.
"""

from __future__ import annotations

from ..binary.import_order import split_by_import_choice
from ..binary.target import Target
from .site_packages import EnvironmentListing


def set_aside_other_interpreter_files(listing: EnvironmentListing, target: Target | str) -> None:
    """Keep, per module, only the file ``target`` imports when it imports one; the rest of
    that module's files go to ``other_interpreter_files``. Modules without such a file keep
    every file (each says why it cannot load)."""
    if isinstance(target, str):
        target = Target.parse(target)
    by_folder: dict[str, list] = {}
    for item in listing.distributions:
        by_folder.setdefault(item.distribution.site_packages, []).append(item)
    for items in by_folder.values():
        # One module's builds may be claimed by different RECORDs; the importer sees one folder.
        owner = {id(file): item for item in items for file in item.extension_files}
        files = {file.relative_path: file for item in items for file in item.extension_files}
        _, left_out = split_by_import_choice(files, target)
        for path in left_out:
            file = files[path]
            item = owner[id(file)]
            item.extension_files.remove(file)
            item.distribution.other_interpreter_files.append(path)
