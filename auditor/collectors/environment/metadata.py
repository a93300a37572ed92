"""Reading the metadata files of an installed distribution, without importing it.

Formats: core metadata (METADATA / PKG-INFO) is an RFC 822 style header block, read
with :mod:`email.parser` as the core-metadata specification says; WHEEL is the same
format; INSTALLER and top_level.txt are plain text.
"""

from __future__ import annotations

import email.parser
import email.policy
from dataclasses import dataclass, field
from pathlib import Path

from ...shared.regular_files import FileTooLargeError, NotRegularFileError, read_regular_file

# The trove classifiers that declare free-threading support, e.g.
# "Programming Language :: Python :: Free Threading :: 3 - Stable"; the levels are
# 1 - Unstable, 2 - Beta, 3 - Stable and 4 - Resilient.
FREE_THREADING_CLASSIFIER_PREFIX = "Programming Language :: Python :: Free Threading"
# Metadata files larger than this are not real metadata; refuse rather than load them.
MAX_METADATA_BYTES = 16 * 1024 * 1024


@dataclass
class CoreMetadata:
    name: str | None = None
    version: str | None = None
    classifiers: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def free_threading_classifier(self) -> str | None:
        """The most specific free-threading classifier (with a level), if any."""
        matching = [c for c in self.classifiers if c.startswith(FREE_THREADING_CLASSIFIER_PREFIX)]
        if not matching:
            return None
        return max(matching, key=len)


def _read_text(path: Path, what: str, errors: list[str]) -> str | None:
    # A FIFO or a link to a device where a metadata file should be must neither hang
    # the scan nor be read without end: see auditor.shared.regular_files.
    try:
        return read_regular_file(path, MAX_METADATA_BYTES).decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except NotRegularFileError as error:
        errors.append(f"{what} {error}; not read")
    except FileTooLargeError:
        errors.append(f"{what} {path}: over {MAX_METADATA_BYTES} bytes is too large to be metadata; not read")
    except OSError as error:
        errors.append(f"{what} {path}: cannot be read ({error.strerror or error})")
    return None


def read_core_metadata(metadata_file: Path) -> CoreMetadata:
    """Parse METADATA or PKG-INFO; problems go to ``errors``, never raised."""
    result = CoreMetadata()
    text = _read_text(metadata_file, "metadata", result.errors)
    if text is None:
        if not result.errors:
            result.errors.append(f"{metadata_file.name} is missing from {metadata_file.parent}")
        return result
    # compat32 keeps header values as plain strings (the default policy would try to
    # parse them as email addresses and dates).
    message = email.parser.HeaderParser(policy=email.policy.compat32).parsestr(text)
    if message.defects:
        result.errors.append(
            f"{metadata_file}: malformed header block ({message.defects[0].__class__.__name__})"
        )
    name = message.get("Name")
    version = message.get("Version")
    result.name = name.strip() if isinstance(name, str) and name.strip() else None
    result.version = version.strip() if isinstance(version, str) and version.strip() else None
    if result.name is None:
        result.errors.append(f"{metadata_file}: no Name field")
    if result.version is None:
        result.errors.append(f"{metadata_file}: no Version field")
    result.classifiers = [str(value).strip() for value in message.get_all("Classifier") or []]
    return result


def read_wheel_tags(wheel_file: Path, errors: list[str]) -> list[str]:
    """The ``Tag`` lines of WHEEL (the tags of the wheel that was installed)."""
    text = _read_text(wheel_file, "WHEEL", errors)
    if text is None:
        return []
    message = email.parser.HeaderParser(policy=email.policy.compat32).parsestr(text)
    return [str(tag).strip() for tag in message.get_all("Tag") or [] if str(tag).strip()]


def read_first_line(path: Path, what: str, errors: list[str]) -> str | None:
    text = _read_text(path, what, errors)
    if text is None:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else None


def read_lines(path: Path, what: str, errors: list[str]) -> list[str]:
    text = _read_text(path, what, errors)
    if text is None:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]
