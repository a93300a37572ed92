"""A client for a simple repository index (PyPI or a mirror), over urllib.

It asks for the PEP 691 JSON form first and accepts PEP 503 HTML (the ``Accept`` header
PEP 691 recommends), parsing whichever the server answered by its Content-Type. Every
response goes through :class:`~auditor.collectors.tree.index.cache.HttpCache`; with
``offline=True`` nothing touches the network and a URL missing from the cache is an
error that names it.
"""

from __future__ import annotations

import base64
import netrc
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from packaging.utils import canonicalize_name

from .... import __version__
from .cache import CachedEntry, HttpCache, max_age_from
from .project_page import JSON_CONTENT_TYPE, ProjectPage, ProjectPageError, parse_project_page

DEFAULT_INDEX_URL = "https://pypi.org/simple"
# PEP 691: prefer JSON, take the versioned HTML form, and plain HTML as a last resort.
PROJECT_PAGE_ACCEPT = f"{JSON_CONTENT_TYPE}, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"


class IndexFetchError(Exception):
    """A URL could not be fetched; the message says which and why."""


class ProjectNotFound(IndexFetchError):
    pass


class NotInCache(IndexFetchError):
    """``--offline`` and the URL was never fetched before."""


@dataclass
class Response:
    url: str
    body: bytes
    content_type: str
    from_cache: bool
    stale: bool = False


class IndexClient:
    def __init__(
        self,
        index_url: str = DEFAULT_INDEX_URL,
        *,
        cache: HttpCache | None = None,
        offline: bool = False,
        timeout_seconds: float = 30.0,
    ) -> None:
        # Credentials in the URL (https://user:token@host/simple, as pip accepts) are
        # taken out: sent as HTTP Basic auth to that host only, and never written into
        # cache keys, error messages or reports.
        parts = urlsplit(index_url)
        self._authorization: tuple[str, str] | None = None
        if parts.username is not None or parts.password is not None:
            user = unquote(parts.username or "")
            password = unquote(parts.password or "")
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            host = parts.hostname or ""
            self._authorization = (host, f"Basic {token}")
            netloc = host + (f":{parts.port}" if parts.port else "")
            index_url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
        self.index_url = index_url.rstrip("/") + "/"
        self.cache = cache if cache is not None else HttpCache()
        self.offline = offline
        self.timeout_seconds = timeout_seconds
        self.network_requests = 0  # for benchmarks and tests: how often the network was used
        self._pages: dict[str, ProjectPage | IndexFetchError] = {}
        self._lock = threading.Lock()

    def project_url(self, name: str) -> str:
        # PEP 503: the project URL is the normalised name followed by a slash.
        return f"{self.index_url}{canonicalize_name(name)}/"

    def project_page(self, name: str) -> ProjectPage:
        """The project's file list; raises :class:`IndexFetchError` (or a subclass)."""
        project = canonicalize_name(name)
        with self._lock:
            known = self._pages.get(project)
        if isinstance(known, IndexFetchError):
            raise known
        if known is not None:
            return known
        url = self.project_url(project)
        try:
            response = self.fetch(url, accept=PROJECT_PAGE_ACCEPT)
            try:
                page = parse_project_page(project, response.url, response.body, response.content_type)
            except ProjectPageError as problem:
                raise IndexFetchError(str(problem)) from problem
        except IndexFetchError as problem:
            # Remembered for this run: one project asked about twice is not fetched twice.
            with self._lock:
                self._pages[project] = problem
            raise
        page.from_cache = response.from_cache
        page.stale = response.stale
        with self._lock:
            self._pages[project] = page
        return page

    def stale_pages(self) -> list[str]:
        """Projects whose page came from the cache past its freshness (only offline)."""
        with self._lock:
            return sorted(
                name for name, page in self._pages.items() if isinstance(page, ProjectPage) and page.stale
            )

    def fetch(
        self,
        url: str,
        *,
        accept: str = "*/*",
        immutable: bool = False,
        store: bool = True,
        max_bytes: int | None = None,
    ) -> Response:
        """GET ``url`` through the cache; ``store=False`` for big files read once (wheels),
        ``max_bytes`` to refuse a body larger than that (checked while reading)."""
        cached = self.cache.get(url) if store else None
        if cached is not None and (self.offline or cached.is_fresh(self.cache.ttl_seconds)):
            stale = self.offline and not cached.is_fresh(self.cache.ttl_seconds)
            return Response(url, cached.body, cached.content_type, from_cache=True, stale=stale)
        if self.offline:
            if not store:
                raise NotInCache(f"{url} would have to be downloaded, and --offline forbids it")
            raise NotInCache(
                f"{url} is not in the cache ({self.cache.directory}); run once without --offline to fill it"
            )
        request = urllib.request.Request(
            _file_index_page(url),
            headers={
                "Accept": accept,
                "User-Agent": f"ftaudit/{__version__} (+dependency tree audit)",
            },
        )
        authorization = self._authorization_for(urlsplit(url).hostname or "")
        if authorization is not None:
            # Unredirected: urllib copies ordinary headers onto a redirect, which would hand
            # the token to whatever host the index redirects to.
            request.add_unredirected_header("Authorization", authorization)
        if cached is not None:
            if cached.etag:
                request.add_header("If-None-Match", cached.etag)
            if cached.last_modified:
                request.add_header("If-Modified-Since", cached.last_modified)
        with self._lock:
            self.network_requests += 1
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as answer:
                body = self._read_body(url, answer, max_bytes)
                headers = answer.headers
                final_url = answer.geturl()
        except urllib.error.HTTPError as problem:
            if problem.code == 304 and cached is not None:
                self.cache.refresh(cached, max_age_from(problem.headers.get("Cache-Control")))
                return Response(url, cached.body, cached.content_type, from_cache=True)
            if problem.code in (401, 403):
                raise IndexFetchError(
                    f"{url}: HTTP {problem.code} {problem.reason} (does the index need"
                    " credentials? put them in the index URL as https://USER:TOKEN@host/... or in ~/.netrc)"
                ) from problem
            if problem.code == 404:
                raise ProjectNotFound(f"{url}: not found on the index (HTTP 404)") from problem
            raise IndexFetchError(f"{url}: HTTP {problem.code} {problem.reason}") from problem
        except (urllib.error.URLError, TimeoutError, ConnectionError) as problem:
            reason = getattr(problem, "reason", problem)
            if isinstance(reason, FileNotFoundError):
                # A file: mirror without that project's folder is a 404, not an outage.
                raise ProjectNotFound(f"{url}: not found on the index (no such folder)") from problem
            raise IndexFetchError(f"{url}: cannot reach the index ({reason})") from problem
        content_type = headers.get("Content-Type", "")
        if not store:
            return Response(final_url, body, content_type, from_cache=False)
        self.cache.put(
            CachedEntry(
                url=url,
                stored_at=time.time(),
                content_type=content_type,
                etag=headers.get("ETag"),
                last_modified=headers.get("Last-Modified"),
                max_age=max_age_from(headers.get("Cache-Control")),
                immutable=immutable,
                body=body,
            )
        )
        return Response(final_url, body, content_type, from_cache=False)

    def _authorization_for(self, host: str) -> str | None:
        """Credentials from the index URL for its own host, else from netrc for ``host``
        (as pip does: a machine entry of ``~/.netrc``, or of the file ``NETRC`` names)."""
        if not host:
            return None
        if self._authorization is not None and host == self._authorization[0]:
            return self._authorization[1]
        entry = _netrc_entry(host)
        if entry is None:
            return None
        login, _, password = entry
        token = base64.b64encode(f"{login or ''}:{password or ''}".encode()).decode("ascii")
        return f"Basic {token}"

    @staticmethod
    def _read_body(url: str, answer, max_bytes: int | None) -> bytes:
        if max_bytes is None:
            return answer.read()
        too_big = f"{url}: larger than {max_bytes / 2**20:.0f} MiB; not downloaded"
        declared = answer.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise IndexFetchError(too_big)
        chunks: list[bytes] = []
        total = 0
        while chunk := answer.read(1 << 20):
            total += len(chunk)
            if total > max_bytes:
                raise IndexFetchError(too_big)
            chunks.append(chunk)
        return b"".join(chunks)

    def store_derived(self, key: str, body: bytes) -> None:
        """Cache something computed from an immutable file (a wheel's METADATA)."""
        self.cache.put(CachedEntry(url=key, stored_at=time.time(), immutable=True, body=body))

    def load_derived(self, key: str) -> bytes | None:
        entry = self.cache.get(key)
        return entry.body if entry is not None else None


def _netrc_entry(host: str) -> tuple[str, str, str] | None:
    path = Path(os.environ.get("NETRC") or Path.home() / ".netrc")
    if not path.is_file():
        return None
    try:
        return netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError):
        # Never echo the file: a parse error message quotes the line, token included.
        return None


def _file_index_page(url: str) -> str:
    """A ``file:`` index is a folder tree; like pip, read a project folder's index.html."""
    parts = urlsplit(url)
    if parts.scheme == "file" and Path(unquote(parts.path)).is_dir():
        return url.rstrip("/") + "/index.html"
    return url


class MultiIndexClient:
    """Several indexes asked as one, with the same interface as :class:`IndexClient`.

    ``strategy="merge"`` is pip's: the files of every index that has the project count
    (``--extra-index-url``). ``strategy="first"`` is uv's default: the first index, in
    order, that has the project answers alone. An extra index that cannot be reached is
    recorded in ``problems`` and the others still answer, as pip only warns about it.
    """

    def __init__(self, clients: list[IndexClient], strategy: str = "merge") -> None:
        if not clients:
            raise ValueError("MultiIndexClient needs at least one index")
        self.clients = clients
        self.strategy = strategy
        self.problems: list[str] = []
        self._pages: dict[str, ProjectPage | IndexFetchError] = {}
        self._lock = threading.Lock()

    @property
    def index_url(self) -> str:
        return self.clients[0].index_url

    @property
    def cache(self) -> HttpCache:
        return self.clients[0].cache

    @property
    def offline(self) -> bool:
        return self.clients[0].offline

    @property
    def network_requests(self) -> int:
        return sum(client.network_requests for client in self.clients)

    def project_url(self, name: str) -> str:
        return self.clients[0].project_url(name)

    def project_page(self, name: str) -> ProjectPage:
        project = canonicalize_name(name)
        with self._lock:
            known = self._pages.get(project)
        if isinstance(known, IndexFetchError):
            raise known
        if known is not None:
            return known
        pages: list[ProjectPage] = []
        first_error: IndexFetchError | None = None
        for client in self.clients:
            try:
                pages.append(client.project_page(project))
            except ProjectNotFound as problem:
                first_error = first_error or problem
                continue
            except IndexFetchError as problem:
                first_error = first_error or problem
                with self._lock:
                    self.problems.append(str(problem))
                continue
            if self.strategy == "first":
                break
        if not pages:
            error = first_error or ProjectNotFound(f"{project}: on none of the indexes")
            with self._lock:
                self._pages[project] = error
            raise error
        page = pages[0] if len(pages) == 1 else _merged_page(pages)
        with self._lock:
            self._pages[project] = page
        return page

    def stale_pages(self) -> list[str]:
        return sorted({name for client in self.clients for name in client.stale_pages()})

    def fetch(self, url: str, **options) -> Response:
        # A file is fetched through the index on its host, so that index's credentials
        # (and only those) go with it; files on a CDN host use netrc or nothing.
        wanted = urlsplit(url)
        for client in self.clients:
            index = urlsplit(client.index_url)
            if (index.scheme, index.hostname, index.port) == (wanted.scheme, wanted.hostname, wanted.port):
                return client.fetch(url, **options)
        return self.clients[0].fetch(url, **options)

    def store_derived(self, key: str, body: bytes) -> None:
        self.clients[0].store_derived(key, body)

    def load_derived(self, key: str) -> bytes | None:
        return self.clients[0].load_derived(key)


def _merged_page(pages: list[ProjectPage]) -> ProjectPage:
    """One page with every index's files; a file name seen twice is the first index's."""
    files = []
    seen: set[str] = set()
    for page in pages:
        for file in page.files:
            if file.filename not in seen:
                seen.add(file.filename)
                files.append(file)
    versions = sorted({version for page in pages for version in page.declared_versions})
    merged = ProjectPage(
        name=pages[0].name,
        url=pages[0].url,
        files=files,
        form=pages[0].form,
        declared_versions=versions,
        problems=[problem for page in pages for problem in page.problems],
    )
    merged.from_cache = all(page.from_cache for page in pages)
    merged.stale = any(page.stale for page in pages)
    return merged
