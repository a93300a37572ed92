"""The scan's cache of binary analyses: one sqlite row per analysed extension module.

A row is keyed on the file's identity (real path, device, inode, size, mtime_ns,
ctime_ns), the target and a fingerprint of the analyser's own source
(:func:`auditor.collectors.binary.analyser_fingerprint`), so an upgraded ftaudit never
reuses a stale answer. sqlite's locking makes it safe for several scans at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path

from ..collectors.interpreters.provision import default_cache_dir as ftaudit_cache_dir

CACHE_KEEP_DAYS = 30

# One analysed binary as the workers return it: the ExtensionModule and its findings as
# plain dicts (what is pickled from a worker and stored as JSON here).
AnalysisAnswer = tuple[dict, list[dict]]


def default_cache_dir() -> Path:
    return ftaudit_cache_dir() / "scan-cache"


class AnalysisCache:
    """sqlite3: one row per analysed binary; safe across processes (sqlite locking).

    Rows not used for :data:`CACHE_KEEP_DAYS` are dropped when new ones are written, so
    the cache follows the environments scanned instead of growing forever.
    """

    def __init__(self, folder: Path | None, fingerprint: str, target: str):
        self.connection: sqlite3.Connection | None = None
        self.fingerprint = fingerprint
        self.target = target
        self.problem: str | None = None
        self.used_keys: list[str] = []
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.connection = sqlite3.connect(folder / "analyses.sqlite3", timeout=30)
            self.connection.execute("PRAGMA journal_mode=WAL")
            self.connection.execute(
                "CREATE TABLE IF NOT EXISTS analyses"
                " (key TEXT PRIMARY KEY, extension TEXT, findings TEXT, used INTEGER)"
            )
        except (OSError, sqlite3.Error) as error:
            self.problem = f"scan cache {folder} unusable ({error}); every binary was analysed afresh"
            self.connection = None

    def key(self, path: Path, site_packages: str) -> str | None:
        try:
            status = os.stat(path)
        except OSError:
            return None
        # ctime too: it changes on every rewrite, even one that restores mtime and size.
        # site_packages too: findings carry paths relative to it.
        identity = [
            self.fingerprint,
            self.target,
            site_packages,
            os.path.realpath(path),
            status.st_dev,
            status.st_ino,
            status.st_size,
            status.st_mtime_ns,
            status.st_ctime_ns,
        ]
        return hashlib.sha256(json.dumps(identity).encode()).hexdigest()

    def get(self, key: str | None) -> AnalysisAnswer | None:
        if self.connection is None or key is None:
            return None
        try:
            row = self.connection.execute(
                "SELECT extension, findings FROM analyses WHERE key = ?", (key,)
            ).fetchone()
            answer = (json.loads(row[0]), json.loads(row[1])) if row else None
        except (sqlite3.Error, ValueError):
            return None  # a damaged row is analysed again
        if answer is not None:
            self.used_keys.append(key)
        return answer

    def put_many(self, rows: list[tuple[str, dict, list[dict]]]) -> None:
        if self.connection is None:
            return
        now = int(time.time())
        try:
            with self.connection:
                self.connection.executemany(
                    "INSERT OR REPLACE INTO analyses (key, extension, findings, used) VALUES (?, ?, ?, ?)",
                    [
                        (key, json.dumps(extension), json.dumps(findings), now)
                        for key, extension, findings in rows
                    ],
                )
                self.connection.executemany(
                    "UPDATE analyses SET used = ? WHERE key = ?", [(now, key) for key in self.used_keys]
                )
                if rows:
                    self.connection.execute(
                        "DELETE FROM analyses WHERE used < ?", (now - CACHE_KEEP_DAYS * 86400,)
                    )
        except sqlite3.Error as error:
            self.problem = f"scan cache could not be written ({error})"

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
