"""One project's page of a simple repository index, in either of its two forms.

* PEP 691 JSON (``application/vnd.pypi.simple.v1+json``): ``files`` entries with
  ``filename``, ``url``, ``hashes``, ``requires-python``, ``yanked`` and the PEP 714
  ``core-metadata`` key (older servers: PEP 691's ``dist-info-metadata``).
* PEP 503 HTML: one ``<a>`` per file; PEP 503/592/658/714 put ``data-requires-python``,
  ``data-yanked``, ``data-core-metadata`` (older: ``data-dist-info-metadata``) on it.

Both become the same :class:`ProjectPage`, so the rest of the tree audit never knows
which form the server spoke.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_CONTENT_TYPES = ("application/vnd.pypi.simple.v1+html", "text/html")


class ProjectPageError(ValueError):
    """A project page that could not be read."""


@dataclass
class IndexFile:
    filename: str
    url: str  # absolute, without the hash fragment
    version: Version | None
    is_wheel: bool
    requires_python: str | None = None
    yanked: bool = False
    yanked_reason: str | None = None
    # PEP 658: the server offers the file's core metadata at ``url + ".metadata"``.
    has_core_metadata: bool = False
    hashes: dict[str, str] = field(default_factory=dict)
    metadata_hashes: dict[str, str] = field(default_factory=dict)  # of the PEP 658 file
    # Parsed once with the page: a big project has thousands of wheels, judged many times.
    tags: frozenset | None = field(default=None, repr=False, compare=False)


@dataclass
class ProjectPage:
    name: str  # normalised (PEP 503)
    url: str
    files: list[IndexFile]
    form: str  # "json" or "html"
    # PEP 700's ``versions`` key when the server sends it; otherwise derived from files.
    declared_versions: list[Version] = field(default_factory=list)
    from_cache: bool = False
    stale: bool = False  # served from the cache past its freshness (offline)
    problems: list[str] = field(default_factory=list)  # files that could not be understood

    # Built on first use, after parsing: numpy's page has ~4,000 files and every release
    # is looked up several times (resolving, judging, first_ready_version).
    _files_by_version: dict[Version, list[IndexFile]] | None = field(default=None, repr=False, compare=False)

    def _index(self) -> dict[Version, list[IndexFile]]:
        if self._files_by_version is None:
            grouped: dict[Version, list[IndexFile]] = {}
            for file in self.files:
                if file.version is not None:
                    grouped.setdefault(file.version, []).append(file)
            self._files_by_version = grouped
        return self._files_by_version

    def versions(self) -> list[Version]:
        found = set(self._index())
        found.update(self.declared_versions)
        return sorted(found)

    def files_for(self, version: Version) -> list[IndexFile]:
        return list(self._index().get(version, []))


@functools.lru_cache(maxsize=4096)
def parse_wheel_name(filename: str) -> tuple[str, Version, frozenset]:
    """``packaging.utils.parse_wheel_filename`` (name, version, tags); pages keep the
    tags on each :class:`IndexFile`, this small cache serves lock-file names."""
    name, version, _build, tags = parse_wheel_filename(filename)
    return name, version, tags


def _file_version(project: str, filename: str) -> tuple[Version | None, frozenset | None, str | None]:
    """(version, wheel tags or None for an sdist, problem) from a distribution file name."""
    tags = None
    try:
        if filename.endswith(".whl"):
            name, version, tags = parse_wheel_name(filename)
        elif filename.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(filename)
        else:
            # .egg, .exe, .tar.bz2 and other legacy formats pip no longer installs.
            return None, None, None
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion) as problem:
        return None, None, f"{filename}: not a valid distribution file name ({problem})"
    if canonicalize_name(name) != project:
        return None, None, f"{filename}: belongs to {name!r}, not {project!r}"
    return version, tags, None


def _yanked(value: object) -> tuple[bool, str | None]:
    # PEP 592: false, true, or a string giving the reason (which means yanked).
    if isinstance(value, str):
        return True, value or None
    return bool(value), None


def _metadata_flag(value: object) -> tuple[bool, dict[str, str]]:
    # PEP 691/714 JSON: false, true, or a dict of hashes of the metadata file.
    if isinstance(value, dict):
        return True, {str(key): str(digest) for key, digest in value.items()}
    return bool(value), {}


def _metadata_attribute(value: str | None) -> tuple[bool, dict[str, str]]:
    # PEP 658/714 HTML: "true", or "<hashname>=<hashvalue>"; absent or "false" means none.
    if value is None or value.strip().lower() == "false":
        return False, {}
    algorithm, separator, digest = value.partition("=")
    return True, ({algorithm.strip(): digest.strip()} if separator else {})


def parse_json_page(project: str, url: str, body: bytes) -> ProjectPage:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise ProjectPageError(f"{url}: not valid JSON ({problem})") from problem
    if not isinstance(document, dict) or not isinstance(document.get("files"), list):
        raise ProjectPageError(f"{url}: a PEP 691 project page needs a 'files' list")
    api_version = str(document.get("meta", {}).get("api-version", "1.0"))
    if not api_version.startswith("1."):
        raise ProjectPageError(f"{url}: simple API version {api_version} is not supported (1.x is)")
    page = ProjectPage(name=project, url=url, files=[], form="json")
    for entry in document["files"]:
        if not isinstance(entry, dict) or "filename" not in entry or "url" not in entry:
            page.problems.append(f"{url}: a file entry without 'filename' and 'url'")
            continue
        filename = str(entry["filename"])
        version, tags, problem = _file_version(project, filename)
        if problem:
            page.problems.append(problem)
        if version is None:
            continue
        yanked, reason = _yanked(entry.get("yanked", False))
        has_metadata, metadata_hashes = _metadata_flag(
            entry.get("core-metadata", entry.get("dist-info-metadata", False))
        )
        page.files.append(
            IndexFile(
                filename=filename,
                url=urldefrag(urljoin(url, str(entry["url"])))[0],
                version=version,
                is_wheel=tags is not None,
                tags=tags,
                requires_python=entry.get("requires-python") or None,
                yanked=yanked,
                yanked_reason=reason,
                has_core_metadata=has_metadata,
                hashes=dict(entry.get("hashes") or {}),
                metadata_hashes=metadata_hashes,
            )
        )
    for text in document.get("versions", []) or []:
        try:
            page.declared_versions.append(Version(str(text)))
        except InvalidVersion:
            page.problems.append(f"{url}: version {text!r} is not a valid PEP 440 version")
    return page


class _AnchorCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: list[tuple[dict[str, str | None], str]] = []
        self.base_href: str | None = None
        self._current: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base" and self.base_href is None:
            self.base_href = dict(attrs).get("href")
        elif tag == "a":
            self._current = dict(attrs)
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._current is not None:
            self.anchors.append((self._current, "".join(self._text).strip()))
            self._current = None


def parse_html_page(project: str, url: str, body: bytes) -> ProjectPage:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as problem:
        raise ProjectPageError(f"{url}: the HTML page is not UTF-8 ({problem})") from problem
    collector = _AnchorCollector()
    collector.feed(text)
    base = urljoin(url, collector.base_href) if collector.base_href else url
    page = ProjectPage(name=project, url=url, files=[], form="html")
    for attributes, anchor_text in collector.anchors:
        href = attributes.get("href")
        if not href:
            continue
        absolute, fragment = urldefrag(urljoin(base, href))
        # PEP 503: the file name is the last path segment of the URL (the link text
        # usually repeats it, but only the URL is normative).
        filename = unquote(absolute.rsplit("/", 1)[-1]) or anchor_text
        version, tags, problem = _file_version(project, filename)
        if problem:
            page.problems.append(problem)
        if version is None:
            continue
        hashes: dict[str, str] = {}
        if "=" in fragment:
            algorithm, _, digest = fragment.partition("=")
            hashes[algorithm] = digest
        yanked = "data-yanked" in attributes
        if "data-core-metadata" in attributes:
            has_metadata, metadata_hashes = _metadata_attribute(attributes["data-core-metadata"] or "true")
        elif "data-dist-info-metadata" in attributes:
            has_metadata, metadata_hashes = _metadata_attribute(
                attributes["data-dist-info-metadata"] or "true"
            )
        else:
            has_metadata, metadata_hashes = False, {}
        page.files.append(
            IndexFile(
                filename=filename,
                url=absolute,
                version=version,
                is_wheel=tags is not None,
                tags=tags,
                # The HTML parser has already turned &gt;= back into >= (PEP 503 requires
                # the attribute to be escaped).
                requires_python=attributes.get("data-requires-python") or None,
                yanked=yanked,
                yanked_reason=(attributes.get("data-yanked") or None) if yanked else None,
                has_core_metadata=has_metadata,
                hashes=hashes,
                metadata_hashes=metadata_hashes,
            )
        )
    return page


def parse_project_page(project: str, url: str, body: bytes, content_type: str) -> ProjectPage:
    """Parse a project page by its Content-Type (what PEP 691 says clients must do)."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == JSON_CONTENT_TYPE or media_type == "application/json":
        return parse_json_page(project, url, body)
    if media_type in HTML_CONTENT_TYPES or not media_type:
        return parse_html_page(project, url, body)
    raise ProjectPageError(f"{url}: unexpected Content-Type {content_type!r} for a simple index page")
