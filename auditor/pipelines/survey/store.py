"""The resumable result store: an append-only JSON-lines file of wheel verdicts.

One line per judged wheel, ``{"key": ..., "verdict": {...}}``, keyed by
:meth:`~auditor.pipelines.survey.work.WheelTask.store_key` (wheel sha256, target, analyser
fingerprint). A line is appended and flushed as soon as a verdict streams back, so a
survey killed at any moment keeps everything finished before it; a re-run loads the file
and submits only the keys that are missing. Append-only because it is the one write that
survives a crash: the worst case is a torn last line, which loading skips (and the wheel is
judged again). A key seen twice (two runs racing on one file) keeps its first verdict.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

from ...model.serialize import from_dict, to_dict
from ...model.survey import WheelVerdict


class StoreError(Exception):
    """The store file cannot be read or written; the message names it."""


class ResultStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._verdicts: dict[str, WheelVerdict] = {}
        self.damaged_lines = 0  # torn or foreign lines skipped while loading
        self._tail_checked = False
        self._load()

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as problem:
            raise StoreError(f"cannot read the survey store {self.path}: {problem}") from problem
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                key = record["key"]
                verdict = from_dict(WheelVerdict, record["verdict"])
            except (ValueError, KeyError, TypeError):
                self.damaged_lines += 1
                continue
            if isinstance(key, str):
                self._verdicts.setdefault(key, verdict)

    def __contains__(self, key: str) -> bool:
        return key in self._verdicts

    def __len__(self) -> int:
        return len(self._verdicts)

    def get(self, key: str) -> WheelVerdict | None:
        return self._verdicts.get(key)

    def keys(self) -> Iterator[str]:
        return iter(self._verdicts)

    def add(self, key: str, verdict: WheelVerdict) -> None:
        """Append one verdict (kept in memory too); a key already stored is not written again."""
        if key in self._verdicts:
            return
        line = json.dumps({"key": key, "verdict": to_dict(verdict)}, separators=(",", ":")) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # A torn last line from a crash would glue onto this one: start on a fresh line.
            needs_newline = not self._tail_checked and not self._ends_in_newline()
            self._tail_checked = True
            with self.path.open("a", encoding="utf-8") as stream:
                stream.write(("\n" if needs_newline else "") + line)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as problem:
            raise StoreError(f"cannot append to the survey store {self.path}: {problem}") from problem
        self._verdicts[key] = verdict

    def _ends_in_newline(self) -> bool:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return True
        with self.path.open("rb") as stream:
            stream.seek(-1, os.SEEK_END)
            return stream.read(1) == b"\n"
