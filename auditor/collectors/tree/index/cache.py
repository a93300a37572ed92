"""An on-disk HTTP cache for index pages and distribution metadata.

Each URL is stored as two files named by the SHA-256 of the URL: the body and a small
JSON record (validators, Content-Type, when it was stored and for how long it is
fresh). Project pages change when a release is uploaded, so they are fresh for the
server's ``Cache-Control: max-age`` (or a TTL when the server gives none) and then
revalidated with ``If-None-Match`` / ``If-Modified-Since``. Distribution files and
their ``.metadata`` never change once uploaded (PyPI forbids re-uploading a file name),
so they are stored as immutable.

Writes go through a temporary file and ``os.replace`` so that two ftaudit runs sharing
the cache never read half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

DEFAULT_CACHE_DIR = Path("~/.cache/ftaudit/index-cache").expanduser()
DEFAULT_PAGE_TTL_SECONDS = 600.0


@dataclass
class CachedEntry:
    url: str
    stored_at: float
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    max_age: float | None = None  # seconds; None: use the cache's TTL
    immutable: bool = False
    body: bytes = b""

    def is_fresh(self, ttl_seconds: float, now: float | None = None) -> bool:
        if self.immutable:
            return True
        lifetime = self.max_age if self.max_age is not None else ttl_seconds
        return ((now if now is not None else time.time()) - self.stored_at) < lifetime


def max_age_from(cache_control: str | None) -> float | None:
    """``max-age`` from a Cache-Control header; ``no-cache`` / ``no-store`` mean 0."""
    if not cache_control:
        return None
    directives = cache_control.lower()
    if "no-cache" in directives or "no-store" in directives:
        return 0.0
    match = re.search(r"max-age\s*=\s*(\d+)", directives)
    return float(match[1]) if match else None


class HttpCache:
    def __init__(self, directory: Path | None = None, ttl_seconds: float = DEFAULT_PAGE_TTL_SECONDS) -> None:
        self.directory = Path(directory) if directory is not None else DEFAULT_CACHE_DIR
        self.ttl_seconds = ttl_seconds

    def _paths(self, key: str) -> tuple[Path, Path]:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        folder = self.directory / digest[:2]
        return folder / f"{digest}.json", folder / f"{digest}.body"

    def get(self, key: str) -> CachedEntry | None:
        record_path, body_path = self._paths(key)
        try:
            record = json.loads(record_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (OSError, ValueError):
            # Missing, or damaged by a crash or a full disk: treat as not cached.
            return None
        if record.get("url") != key:
            return None
        record.pop("body", None)
        try:
            return CachedEntry(**record, body=body)
        except TypeError:
            return None

    def put(self, entry: CachedEntry) -> None:
        record_path, body_path = self._paths(entry.url)
        record = asdict(entry)
        record.pop("body")
        try:
            record_path.parent.mkdir(parents=True, exist_ok=True)
            # Body first: a record is only ever visible next to its body.
            self._write_atomically(body_path, entry.body)
            self._write_atomically(record_path, json.dumps(record).encode("utf-8"))
        except OSError:
            # A cache that cannot be written (read-only home, full disk) only costs speed.
            pass

    def refresh(self, entry: CachedEntry, max_age: float | None) -> None:
        """A 304 Not Modified: the stored body is good for another lifetime."""
        entry.stored_at = time.time()
        if max_age is not None:
            entry.max_age = max_age
        self.put(entry)

    @staticmethod
    def _write_atomically(path: Path, data: bytes) -> None:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
