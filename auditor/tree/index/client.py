"""A client for a simple repository index (PyPI or a mirror), over urllib.

It asks for the PEP 691 JSON form first and accepts PEP 503 HTML (the ``Accept`` header
PEP 691 recommends), parsing whichever the server answered by its Content-Type. Every
response goes through :class:`~auditor.tree.index.cache.HttpCache`; with
``offline=True`` nothing touches the network and a URL missing from the cache is an
error that names it.
"""

from __future__ import annotations

import base64
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from packaging.utils import canonicalize_name

from ... import __version__
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
            url,
            headers={
                "Accept": accept,
                "User-Agent": f"ftaudit/{__version__} (+dependency tree audit)",
            },
        )
        if self._authorization is not None and urlsplit(url).hostname == self._authorization[0]:
            # Unredirected: urllib copies ordinary headers onto a redirect, which would hand
            # the token to whatever host the index redirects to.
            request.add_unredirected_header("Authorization", self._authorization[1])
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
                    " credentials? put them in --index-url as https://USER:TOKEN@host/...)"
                ) from problem
            if problem.code == 404:
                raise ProjectNotFound(f"{url}: not found on the index (HTTP 404)") from problem
            raise IndexFetchError(f"{url}: HTTP {problem.code} {problem.reason}") from problem
        except (urllib.error.URLError, TimeoutError, ConnectionError) as problem:
            reason = getattr(problem, "reason", problem)
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
