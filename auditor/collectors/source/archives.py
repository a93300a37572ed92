"""Safe extraction of sdists (.tar.gz, .tgz, .tar.bz2, .tar.xz, .tar, .zip) for scanning.

Only regular files are written, and only inside the work folder: members with absolute
paths or ``..`` components, symbolic and hard links, devices and FIFOs are refused with a
message each (CVE-2007-4559 is the classic tarfile escape). Sizes are capped so a
decompression bomb cannot fill the disk. Nothing from the archive is ever executed.
"""

from __future__ import annotations

import os
import shutil
import stat
import tarfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ...model.source import FileProblem

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar", ".zip")
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
# Over every archive of one run: three 1 GB sdists must not put 3 GB in the temporary
# folder. The largest real sdist seen (scipy 1.14) expands to 340 MB.
# FTAUDIT_MAX_EXTRACTED_BYTES lowers (or raises) it, for a CI runner with a small /tmp.
MAX_RUN_BYTES = int(os.environ.get("FTAUDIT_MAX_EXTRACTED_BYTES", 1024 * 1024 * 1024))


@dataclass
class ExtractionBudget:
    """What one run may still extract, shared by all its archives."""

    remaining: int = MAX_RUN_BYTES
    exhausted: bool = False


def is_archive(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and name.endswith(ARCHIVE_SUFFIXES)


@dataclass
class ExtractedArchive:
    archive: Path
    folder: Path
    problems: list[FileProblem] = field(default_factory=list)
    files_written: int = 0


def _safe_relative(name: str) -> PurePosixPath | None:
    """The member's path if it stays inside the folder, else None."""
    normalised = name.replace("\\", "/")
    if normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        return None
    parts = [part for part in PurePosixPath(normalised).parts if part not in ("", ".")]
    if not parts or any(part == ".." for part in parts):
        return None
    return PurePosixPath(*parts)


def extract_archive(
    archive: Path, destination: Path, budget: ExtractionBudget | None = None
) -> ExtractedArchive:
    """Extract ``archive`` into ``destination`` (created), refusing unsafe members.

    ``budget`` is the run's allowance over all its archives (:data:`MAX_RUN_BYTES` when
    not given); once it is spent the rest is refused, with one message per archive.
    """
    destination.mkdir(parents=True, exist_ok=True)
    extraction = _Extraction(
        archive=archive,
        root=destination.resolve(),
        budget=budget if budget is not None else ExtractionBudget(),
        result=ExtractedArchive(archive=archive, folder=destination),
    )
    try:
        if archive.name.lower().endswith(".zip"):
            extraction.extract_zip()
        else:
            extraction.extract_tar()
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as error:
        extraction.result.problems.append(FileProblem(str(archive), f"cannot read archive: {error}"))
    return extraction.result


@dataclass
class _Extraction:
    """One archive being extracted: where members may go and how many bytes are left."""

    archive: Path
    root: Path
    budget: ExtractionBudget
    result: ExtractedArchive
    total: int = 0

    def refuse(self, member_name: str, message: str) -> None:
        self.result.problems.append(FileProblem(f"{self.archive}::{member_name}", message))

    def target_for(self, member_name: str) -> Path | None:
        relative = _safe_relative(member_name)
        target = (self.root / relative).resolve() if relative is not None else None
        if target is None or not target.is_relative_to(self.root):
            self.refuse(member_name, "archive member escapes the extraction folder; not extracted")
            return None
        return target

    def within_limits(self, member_name: str, size: int) -> bool:
        if size > MAX_MEMBER_BYTES:
            self.refuse(member_name, f"archive member is {size} bytes, over the {MAX_MEMBER_BYTES} limit")
            return False
        if self.total + size > MAX_TOTAL_BYTES:
            self.refuse(
                member_name,
                f"archive expands past the {MAX_TOTAL_BYTES}-byte limit for one archive;"
                " rest not extracted (docs/limits.md)",
            )
            return False
        if size > self.budget.remaining:
            problems = self.result.problems
            if not self.budget.exhausted or not problems or "one run" not in problems[-1].message:
                self.refuse(
                    member_name,
                    f"the {MAX_RUN_BYTES}-byte extraction limit for one run (all archives together)"
                    " is reached; the rest of this archive was not extracted (docs/limits.md)",
                )
            self.budget.exhausted = True
            return False
        self.total += size
        self.budget.remaining -= size
        return True

    def extract_zip(self) -> None:
        with zipfile.ZipFile(self.archive) as bundle:
            for info in bundle.infolist():
                if info.is_dir():
                    continue
                mode = info.external_attr >> 16
                if stat.S_IFMT(mode) and not stat.S_ISREG(mode):  # no type bits: a plain file
                    self.refuse(info.filename, "archive member is a link or special file; not extracted")
                    continue
                target = self.target_for(info.filename)
                if target is None or not self.within_limits(info.filename, info.file_size):
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with bundle.open(info) as source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink)
                self.result.files_written += 1

    def extract_tar(self) -> None:
        with tarfile.open(self.archive, mode="r:*") as bundle:
            for member in bundle:
                if member.isdir():
                    continue
                if not member.isfile():
                    self.refuse(member.name, "archive member is a link, device or FIFO; not extracted")
                    continue
                target = self.target_for(member.name)
                if target is None or not self.within_limits(member.name, member.size):
                    continue
                source = bundle.extractfile(member)
                if source is None:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with source, open(target, "wb") as sink:
                    shutil.copyfileobj(source, sink)
                self.result.files_written += 1
