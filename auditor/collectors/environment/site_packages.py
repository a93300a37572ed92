"""List the distributions of site-packages folders and the extension modules each owns.

Nothing here imports or runs the installed code: metadata files are parsed and the
folder tree is walked. Every problem (a broken METADATA or RECORD, a dangling symlink,
a symlink loop, an unreadable folder) becomes a message on the distribution or the
listing, and the walk goes on.

Ownership of an extension module comes from its distribution's file list (RECORD, or
installed-files.txt for egg-info). When a distribution has no usable list, files under
its ``top_level.txt`` names are given to it. Extension modules that nobody claims go to
one "unowned" pseudo-distribution per folder, so they are still analysed and reported.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ...model.environment import Distribution
from .exports import exports_module_init
from .metadata import read_core_metadata, read_first_line, read_lines, read_wheel_tags
from .names import extension_module_name, looks_like_extension_file, normalize_name
from .record import FileList, read_installed_files, read_record

UNOWNED_NAME = "(unowned files)"
# Folders never worth walking for modules: byte-code caches and metadata folders.
_SKIPPED_FOLDER_SUFFIXES = (".dist-info", ".egg-info")
_SKIPPED_FOLDER_NAMES = {"__pycache__"}


@dataclass
class ExtensionFile:
    relative_path: str  # relative to its site-packages folder, POSIX separators
    module: str  # dotted import name
    absolute_path: Path
    problem: str | None = None  # why it cannot be analysed (missing, a folder, a dangling link)


@dataclass
class DistributionListing:
    distribution: Distribution
    extension_files: list[ExtensionFile] = field(default_factory=list)
    # Something could not be read (METADATA, RECORD, WHEEL...): the listing may miss
    # facts. Notes (a stale second dist-info, attribution by top_level.txt) do not count.
    incomplete: bool = False


@dataclass
class EnvironmentListing:
    site_packages: list[Path]
    distributions: list[DistributionListing] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    partial: bool = False

    @property
    def extension_count(self) -> int:
        return sum(len(listing.extension_files) for listing in self.distributions)


def _file_problem(path: Path, listed_by: str) -> str | None:
    """Why ``path`` cannot be read as an extension module binary, or None."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return f"{path}: dangling symbolic link (its target {os.readlink(path)!r} does not exist)"
        return f"{path}: listed in {listed_by} but not present"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"{path}: symbolic link loop"
        return f"{path}: cannot be examined ({error.strerror or error})"
    if stat.S_ISDIR(status.st_mode):
        return f"{path}: is a directory, not an extension module file"
    if not stat.S_ISREG(status.st_mode):
        return f"{path}: not a regular file"
    return None


def _metadata_folders(folder: Path, errors: list[str]) -> tuple[list[Path], list[Path]]:
    dist_infos: list[Path] = []
    egg_infos: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".dist-info"):
                    dist_infos.append(Path(entry.path))
                elif entry.name.endswith(".egg-info"):
                    egg_infos.append(Path(entry.path))
    except OSError as error:
        errors.append(f"{folder}: cannot list the folder ({error.strerror or error})")
    return sorted(dist_infos), sorted(egg_infos)


def _name_from_folder(metadata_folder: Path) -> tuple[str, str]:
    """Name and version from "name-version.dist-info" (used when METADATA is broken)."""
    stem = metadata_folder.name.rsplit(".", 1)[0]
    name, _, version = stem.partition("-")
    return name, version.split("-")[0]


def _read_distribution(site_packages: Path, metadata_folder: Path) -> tuple[Distribution, FileList, bool]:
    errors: list[str] = []
    is_dist_info = metadata_folder.name.endswith(".dist-info")
    folder_name, folder_version = _name_from_folder(metadata_folder)
    if is_dist_info:
        core = read_core_metadata(metadata_folder / "METADATA")
    elif metadata_folder.is_dir():
        core = read_core_metadata(metadata_folder / "PKG-INFO")
    else:  # a single-file .egg-info is itself PKG-INFO (distutils' install_egg_info)
        core = read_core_metadata(metadata_folder)
    errors.extend(core.errors)
    distribution = Distribution(
        name=core.name or folder_name,
        version=core.version or folder_version,
        site_packages=str(site_packages),
        metadata_path=str(metadata_folder),
        free_threading_classifier=core.free_threading_classifier,
        metadata_kind="dist-info" if is_dist_info else "egg-info",
    )
    if metadata_folder.is_dir():
        distribution.installer = read_first_line(metadata_folder / "INSTALLER", "INSTALLER", errors)
        distribution.top_level = read_lines(metadata_folder / "top_level.txt", "top_level.txt", errors)
    if is_dist_info:
        distribution.wheel_tags = read_wheel_tags(metadata_folder / "WHEEL", errors)
        file_list = read_record(metadata_folder)
    elif metadata_folder.is_dir():
        file_list = read_installed_files(metadata_folder)
    else:
        file_list = FileList(found=False)
    errors.extend(file_list.errors)
    incomplete = bool(errors)
    if not is_dist_info and not file_list.found:
        errors.append(
            f"{metadata_folder.name}: no list of installed files; files found under its"
            " top-level names are attributed to it"
        )
    distribution.errors = errors
    return distribution, file_list, incomplete


@dataclass
class _WalkedFiles:
    extension_paths: list[str] = field(default_factory=list)
    python_paths: list[str] = field(default_factory=list)
    incomplete: bool = False  # some folder or entry could not be listed


def _walk_modules(site_packages: Path, owned: set[str], errors: list[str]) -> _WalkedFiles:
    """Every extension-module and .py file under ``site_packages`` not in ``owned``.

    Symbolic links to folders are followed (editable and symlinked installs use them),
    once per real folder, so a link cycle is reported instead of walked forever.
    """
    found = _WalkedFiles()
    visited: set[tuple[int, int]] = set()
    try:
        root_status = os.stat(site_packages)
        visited.add((root_status.st_dev, root_status.st_ino))
    except OSError:
        return found
    pending: list[tuple[str, str]] = [(str(site_packages), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as iterator:
                entries = list(iterator)
        except OSError as error:
            found.incomplete = True
            errors.append(
                f"{folder}: cannot list the folder ({error.strerror or error}); modules in it were"
                " not examined"
            )
            continue
        for entry in entries:
            relative = f"{prefix}{entry.name}"
            try:
                is_folder = entry.is_dir(follow_symlinks=True)
            except OSError as error:
                if not looks_like_extension_file(entry.name):
                    found.incomplete = True
                    errors.append(f"{entry.path}: cannot be examined ({error.strerror or error})")
                    continue
                is_folder = False  # a module-like name: kept, and its problem reported with it
            if is_folder:
                if _to_walk(entry, relative, owned, visited, found, errors):
                    pending.append((entry.path, relative + "/"))
                continue
            if relative in owned:
                continue
            if looks_like_extension_file(entry.name):
                found.extension_paths.append(relative)
            elif entry.name.endswith(".py"):
                found.python_paths.append(relative)
    return found


def _to_walk(
    entry: os.DirEntry,
    relative: str,
    owned: set[str],
    visited: set[tuple[int, int]],
    found: _WalkedFiles,
    errors: list[str],
) -> bool:
    """Whether a folder found on the walk is walked into (once per real folder)."""
    if entry.name in _SKIPPED_FOLDER_NAMES or entry.name.endswith(_SKIPPED_FOLDER_SUFFIXES):
        return False
    if looks_like_extension_file(entry.name) and relative not in owned:
        found.extension_paths.append(relative)  # reported later as "a directory"
        return False
    try:
        status = entry.stat(follow_symlinks=True)
    except OSError as error:
        found.incomplete = True
        errors.append(f"{entry.path}: cannot be examined ({error.strerror or error})")
        return False
    identity = (status.st_dev, status.st_ino)
    if identity in visited:
        if entry.is_symlink():
            errors.append(
                f"{entry.path}: symbolic link back to a folder already walked"
                f" ({os.path.realpath(entry.path)}); not followed"
            )
        return False
    visited.add(identity)
    return True


def read_site_packages(folders: list[Path]) -> EnvironmentListing:
    """List every distribution in ``folders`` with its extension modules and .py files."""
    listing = EnvironmentListing(site_packages=[Path(folder) for folder in folders])
    for folder in listing.site_packages:
        if not folder.is_dir():
            listing.errors.append(f"{folder}: not a folder (no such site-packages)")
            listing.partial = True
            continue
        _read_one_folder(folder, listing)
    listing.distributions.sort(
        key=lambda item: (normalize_name(item.distribution.name), item.distribution.site_packages)
    )
    return listing


def _read_one_folder(folder: Path, listing: EnvironmentListing) -> None:
    errors_before = len(listing.errors)
    dist_infos, egg_infos = _metadata_folders(folder, listing.errors)
    folder_unlisted = len(listing.errors) > errors_before
    owner_of: dict[str, DistributionListing] = {}
    by_top_level: dict[str, DistributionListing] = {}
    folder_listings: list[DistributionListing] = []
    seen_names: dict[str, str] = {}
    for metadata_folder in [*dist_infos, *egg_infos]:
        distribution, file_list, incomplete = _read_distribution(folder, metadata_folder)
        item = DistributionListing(distribution, incomplete=incomplete)
        folder_listings.append(item)
        key = normalize_name(distribution.name)
        if key in seen_names:
            distribution.errors.append(
                f"{metadata_folder.name}: a second metadata folder for {distribution.name}"
                f" (the other is {seen_names[key]}); a stale or interrupted install"
            )
        else:
            seen_names[key] = metadata_folder.name
        _claim_listed_files(item, file_list.files, owner_of, folder, f"{metadata_folder.name}/RECORD")
        if not file_list.files:
            for name in distribution.top_level:
                by_top_level.setdefault(name, item)
    walked = _walk_modules(folder, set(owner_of), listing.errors)
    unowned = DistributionListing(
        Distribution(
            name=UNOWNED_NAME,
            version="",
            site_packages=str(folder),
            metadata_path=str(folder),
            metadata_kind="unowned",
        )
    )
    for relative in sorted(walked.extension_paths):
        claimant = by_top_level.get(relative.split("/", 1)[0])
        _add_extension(claimant or unowned, folder, relative, "the folder")
    for relative in sorted(walked.python_paths):
        claimant = by_top_level.get(relative.split("/", 1)[0])
        if claimant is not None:
            claimant.distribution.python_files.append(relative)
    if unowned.extension_files:
        unowned.distribution.errors.append(_unlisted_message(unowned, folder))
    if unowned.extension_files or unowned.distribution.native_libraries:
        # A stray libhelper-1.2.so is native code in the environment all the same: every
        # binary found must show up in the result, owned or not.
        folder_listings.append(unowned)
    if any(item.incomplete for item in folder_listings) or walked.incomplete or folder_unlisted:
        listing.partial = True
    listing.distributions.extend(folder_listings)


def _claim_listed_files(
    item: DistributionListing,
    files: list[str],
    owner_of: dict[str, DistributionListing],
    folder: Path,
    listed_by: str,
) -> None:
    """The files a distribution's RECORD lists: the first distribution to list one owns it."""
    distribution = item.distribution
    for relative in files:
        if relative.endswith(".py"):
            distribution.python_files.append(relative)
        if relative in owner_of:
            if owner_of[relative] is not item and looks_like_extension_file(relative):
                distribution.errors.append(
                    f"{relative} is also listed by {owner_of[relative].distribution.name};"
                    " attributed to that one"
                )
            continue
        owner_of[relative] = item
        if looks_like_extension_file(relative):
            _add_extension(item, folder, relative, listed_by)


def _unlisted_message(unowned: DistributionListing, folder: Path) -> str:
    names = ", ".join(extension.relative_path for extension in unowned.extension_files[:5])
    more = "" if len(unowned.extension_files) <= 5 else f" and {len(unowned.extension_files) - 5} more"
    return (
        f"{len(unowned.extension_files)} extension module file(s) in {folder} are listed in no RECORD"
        f" (installed by hand or by a tool that keeps no record): {names}{more}"
    )


def _add_extension(item: DistributionListing, site_packages: Path, relative: str, listed_by: str) -> None:
    file_name = extension_module_name(relative)
    if file_name is None:
        # a bundled shared library (lib*.so in *.libs/), not an importable module
        item.distribution.native_libraries.append(relative)
        return
    absolute = site_packages / relative
    problem = _file_problem(absolute, listed_by)
    if problem is None and file_name.tag is None and file_name.suffix == "so":
        if exports_module_init(absolute, file_name.module.rsplit(".", 1)[-1]) is False:
            # a helper shared library (no PyInit_<name>): not importable as a module
            item.distribution.native_libraries.append(relative)
            return
    item.extension_files.append(ExtensionFile(relative, file_name.module, absolute, problem))
