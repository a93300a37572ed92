"""A release's dependencies (``Requires-Dist``) without installing it.

In order of cost:

1. PEP 658: the index serves the wheel's METADATA file at ``<file url>.metadata``
   (PyPI does so for every wheel), a few kilobytes.
2. Download one wheel and read ``*.dist-info/METADATA`` from the zip; only the METADATA
   text is kept in the cache, never the wheel.
3. An sdist's ``PKG-INFO``, trusted only when it is Metadata-Version 2.2 or later and
   does not list ``Requires-Dist`` as ``Dynamic`` (PEP 643); anything else would need a
   build, which this audit never runs.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import zipfile
from dataclasses import dataclass, field

from packaging.metadata import parse_email
from packaging.version import InvalidVersion, Version

from .client import IndexClient, IndexFetchError
from .project_page import IndexFile


class MetadataUnavailable(Exception):
    """The release's dependencies cannot be known without building it."""


@dataclass
class ReleaseMetadata:
    requires_dist: list[str]
    requires_python: str | None
    source: str  # "pep658", "wheel", "sdist"
    notes: list[str] = field(default_factory=list)


def _parse(text: bytes, source: str, origin: str) -> ReleaseMetadata:
    raw, unparsed = parse_email(text)
    notes = [f"{origin}: could not parse metadata field {key!r}" for key in unparsed if key != "description"]
    return ReleaseMetadata(
        requires_dist=list(raw.get("requires_dist", [])),
        requires_python=raw.get("requires_python"),
        source=source,
        notes=notes,
    )


def _metadata_from_wheel(wheel_bytes: bytes, filename: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(wheel_bytes)) as archive:
            # The .dist-info folder sits at the top level (PEP 427); pick METADATA there.
            candidates = [
                name
                for name in archive.namelist()
                if name.count("/") == 1 and name.endswith(".dist-info/METADATA")
            ]
            if len(candidates) != 1:
                raise MetadataUnavailable(
                    f"{filename}: expected one .dist-info/METADATA, found {len(candidates)}"
                )
            return archive.read(candidates[0])
    except (zipfile.BadZipFile, OSError, KeyError) as problem:
        raise MetadataUnavailable(f"{filename}: not a readable wheel ({problem})") from problem


def _metadata_from_sdist(sdist_bytes: bytes, filename: str) -> bytes:
    try:
        if filename.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(sdist_bytes)) as archive:
                names = [
                    name for name in archive.namelist() if name.count("/") == 1 and name.endswith("/PKG-INFO")
                ]
                if names:
                    return archive.read(names[0])
        else:
            with tarfile.open(fileobj=io.BytesIO(sdist_bytes), mode="r:*") as archive:
                for member in archive.getmembers():
                    if member.isfile() and member.name.count("/") == 1 and member.name.endswith("/PKG-INFO"):
                        extracted = archive.extractfile(member)
                        if extracted is not None:
                            return extracted.read()
    except (tarfile.TarError, zipfile.BadZipFile, OSError, EOFError) as problem:
        raise MetadataUnavailable(f"{filename}: not a readable sdist ({problem})") from problem
    raise MetadataUnavailable(f"{filename}: the sdist has no top-level PKG-INFO")


def _sdist_metadata_is_static(text: bytes) -> bool:
    raw, _ = parse_email(text)
    try:
        version = Version(raw.get("metadata_version", "1.0"))
    except InvalidVersion:
        return False
    dynamic = {field_name.lower() for field_name in raw.get("dynamic", [])}
    # PEP 643: from Metadata-Version 2.2, a field not marked Dynamic in an sdist is
    # exactly what the built wheel will say.
    return version >= Version("2.2") and "requires-dist" not in dynamic


def hash_problem(body: bytes, expected: dict[str, str], what: str) -> str | None:
    """A message when ``body`` does not match the index's digest (sha256 preferred)."""
    for algorithm in ("sha256", "sha384", "sha512"):
        if algorithm in expected:
            actual = hashlib.new(algorithm, body).hexdigest()
            if actual != expected[algorithm].lower():
                claimed = expected[algorithm][:16]
                return f"{what}: {algorithm} is {actual[:16]}..., the index says {claimed}...; not used"
            return None
    return None


def _preferred_wheels(files: list[IndexFile]) -> list[IndexFile]:
    wheels = [file for file in files if file.is_wheel]
    # Files with PEP 658 metadata first: they cost one small request.
    return sorted(wheels, key=lambda file: (not file.has_core_metadata, file.filename))


def release_metadata(client: IndexClient, files: list[IndexFile]) -> ReleaseMetadata:
    """The dependencies of the release whose files are ``files``.

    Raises :class:`MetadataUnavailable` (with every reason tried) when no file tells.
    """
    reasons: list[str] = []
    for wheel in _preferred_wheels(files):
        if wheel.has_core_metadata:
            try:
                response = client.fetch(wheel.url + ".metadata", immutable=True)
                mismatch = hash_problem(response.body, wheel.metadata_hashes, wheel.filename + ".metadata")
                if mismatch is None:
                    return _parse(response.body, "pep658", wheel.filename + ".metadata")
                reasons.append(mismatch)
            except IndexFetchError as problem:
                reasons.append(str(problem))
        derived_key = wheel.url + "#ftaudit-METADATA"
        cached = client.load_derived(derived_key)
        if cached is not None:
            return _parse(cached, "wheel", wheel.filename)
        try:
            response = client.fetch(wheel.url, store=False)
            mismatch = hash_problem(response.body, wheel.hashes, wheel.filename)
            if mismatch:
                raise MetadataUnavailable(mismatch)
            text = _metadata_from_wheel(response.body, wheel.filename)
        except (IndexFetchError, MetadataUnavailable) as problem:
            reasons.append(str(problem))
            continue
        client.store_derived(derived_key, text)
        return _parse(text, "wheel", wheel.filename)
    for sdist in (file for file in files if not file.is_wheel):
        derived_key = sdist.url + "#ftaudit-PKG-INFO"
        text = client.load_derived(derived_key)
        if text is None:
            try:
                response = client.fetch(sdist.url, store=False)
                mismatch = hash_problem(response.body, sdist.hashes, sdist.filename)
                if mismatch:
                    raise MetadataUnavailable(mismatch)
                text = _metadata_from_sdist(response.body, sdist.filename)
            except (IndexFetchError, MetadataUnavailable) as problem:
                reasons.append(str(problem))
                continue
            client.store_derived(derived_key, text)
        metadata = _parse(text, "sdist", sdist.filename)
        if _sdist_metadata_is_static(text):
            return metadata
        reasons.append(
            f"{sdist.filename}: PKG-INFO is older than Metadata-Version 2.2 or marks Requires-Dist"
            " as Dynamic, so only a build would tell the dependencies"
        )
    if not files:
        reasons.append("the release has no files on the index")
    raise MetadataUnavailable("; ".join(reasons))
