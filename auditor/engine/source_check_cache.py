"""A content-hash cache of per-file results (SQLite, one file, safe across processes).

Key: the SHA-256 of the file's bytes, its language, and the *rule-set version* - a hash
of the source of every module that decides findings (the analysis code and the rule
modules). Editing a rule therefore invalidates exactly what it could change, with no
version number to remember to bump. Values are the findings of every rule for that
content, stored without the file's path, so the same file under another name (or
another checkout) is a hit too.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from functools import lru_cache
from pathlib import Path

from ..model.finding import Finding
from ..model.serialize import from_dict, to_dict
from .source_checks import FileOutcome

DEFAULT_CACHE_DIR = Path.home() / ".cache" / "ftaudit" / "source-cache"


@lru_cache(maxsize=1)
def ruleset_version() -> str:
    package_root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    sources = sorted(
        [
            *package_root.joinpath("collectors", "source").rglob("*.py"),
            package_root / "engine" / "source_checks.py",
            package_root / "engine" / "source_check_cache.py",
            *package_root.joinpath("rules", "c_source").glob("*.py"),
            *package_root.joinpath("rules", "python_source").glob("*.py"),
            package_root / "model" / "finding.py",
        ]
    )
    for source in sources:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


class SourceCache:
    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "results.sqlite3"
        self.connection = sqlite3.connect(self.path, timeout=30)
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.connection.execute(
            "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
        self.version = ruleset_version()

    def _key(self, content_key: str) -> str:
        return f"{content_key}:{self.version}"

    def get_many(self, content_keys: list[str]) -> dict[str, FileOutcome]:
        found: dict[str, FileOutcome] = {}
        keys = {self._key(key): key for key in content_keys}
        ordered = list(keys)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            placeholders = ",".join("?" * len(chunk))
            rows = self.connection.execute(
                f"SELECT key, value FROM results WHERE key IN ({placeholders})", chunk
            ).fetchall()
            for key, value in rows:
                try:
                    found[keys[key]] = _decode(value)
                except (ValueError, TypeError, KeyError):
                    continue  # a damaged entry is a miss, not an error
        return found

    def put_many(self, outcomes: dict[str, FileOutcome]) -> None:
        rows = [
            (self._key(key), _encode(outcome))
            for key, outcome in outcomes.items()
            if outcome.problem is None or "syntax error" in outcome.problem
        ]
        with self.connection:
            self.connection.executemany("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)", rows)

    def close(self) -> None:
        self.connection.close()


def _encode(outcome: FileOutcome) -> str:
    findings = []
    for finding in outcome.findings:
        data = to_dict(finding)
        if data.get("location"):
            data["location"]["path"] = ""
        findings.append(data)
    return json.dumps(
        {
            "findings": findings,
            "problem": outcome.problem,
            "skipped": outcome.skipped,
            "full_parse": outcome.full_parse,
        }
    )


def _decode(value: str) -> FileOutcome:
    data = json.loads(value)
    return FileOutcome(
        findings=[from_dict(Finding, item) for item in data["findings"]],
        problem=data.get("problem"),
        skipped=data.get("skipped"),
        full_parse=bool(data.get("full_parse")),
    )
