"""Read ThreadSanitizer reports from a child's stderr.

A report (as printed by the TSan runtime of gcc and clang alike) looks like::

    ==================
    WARNING: ThreadSanitizer: data race (pid=4242)
      Write of size 8 at 0x7f0e... by thread T3:
        #0 counter_add /src/counter.c:14 (counter.cpython-313t-x86_64-linux-gnu.so+0x1139)
        #1 cfunction_vectorcall_O Objects/methodobject.c:512 (python3.13t+0x1f3a2c)
      Previous write of size 8 at 0x7f0e... by thread T1:
        #0 counter_add /src/counter.c:14 (counter.cpython-313t-x86_64-linux-gnu.so+0x1139)
      Location is global 'total' of size 8 at 0x7f0e... (counter...so+0x4010)
    SUMMARY: ThreadSanitizer: data race /src/counter.c:14 in counter_add
    ==================

Only reports with a frame in the sample's own sources are kept: races inside CPython
are the interpreter's business (and silenced by its suppression list anyway).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from .sample import Sample

TSAN_SEPARATOR = "=================="
_HEADER = re.compile(r"WARNING: ThreadSanitizer: (?P<kind>[^(]+?)\s*(\(pid=\d+\))?$")
_ACCESS = re.compile(
    r"^\s{2}(?P<what>(Previous )?(atomic )?(Atomic )?(read|write|Read|Write)[^:]*?) of size "
    r"(?P<size>\d+) at (?P<address>0x[0-9a-f]+) by (?P<thread>main thread|thread T\d+)"
    r"(?P<mutexes>[^:]*):$"
)
_FRAME = re.compile(
    r"^\s+#(?P<index>\d+) (?P<function>.+?) (?P<file>[^ ]+?):(?P<line>\d+)(?::(?P<column>\d+))?"
    r" \((?P<module>[^)]*)\)$"
)
_UNKNOWN_FRAME = re.compile(r"^\s+#(?P<index>\d+) (?P<function>.+?) (<null>|\?\?) \((?P<module>[^)]*)\)$")
_LOCATION = re.compile(r"^\s{2}Location is (?P<location>.+)$")
_SUMMARY = re.compile(r"^SUMMARY: ThreadSanitizer: (?P<summary>.+)$")


@dataclass
class TsanFrame:
    function: str
    file: str | None
    line: int | None
    module: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.file else f"({self.module})"
        return f"{self.function} {where}"


@dataclass
class TsanAccess:
    description: str  # "Write of size 4 at 0x... by thread T2"
    frames: list[TsanFrame] = field(default_factory=list)


@dataclass
class TsanReport:
    kind: str  # "data race", "heap-use-after-free", ...
    accesses: list[TsanAccess]
    summary: str
    location: str
    text: str


def parse_tsan_reports(stderr: str) -> list[TsanReport]:
    reports: list[TsanReport] = []
    current: list[str] | None = None
    for line in stderr.splitlines():
        if line.strip() == TSAN_SEPARATOR:
            if current:
                report = _parse_block(current)
                if report:
                    reports.append(report)
            current = []
            continue
        if current is not None:
            current.append(line)
    if current:
        report = _parse_block(current)
        if report:
            reports.append(report)
    return reports


def _parse_block(lines: list[str]) -> TsanReport | None:
    header = next((_HEADER.search(line) for line in lines if "WARNING: ThreadSanitizer:" in line), None)
    if not header:
        return None
    accesses: list[TsanAccess] = []
    summary = location = ""
    current: TsanAccess | None = None
    for line in lines:
        access = _ACCESS.match(line)
        if access:
            current = TsanAccess(line.strip().rstrip(":"))
            accesses.append(current)
            continue
        frame = _FRAME.match(line)
        if frame and current is not None:
            current.frames.append(
                TsanFrame(frame["function"], frame["file"], int(frame["line"]), frame["module"])
            )
            continue
        unknown = _UNKNOWN_FRAME.match(line)
        if unknown and current is not None:
            current.frames.append(TsanFrame(unknown["function"], None, None, unknown["module"]))
            continue
        if line.strip() == "" or not line.startswith("    "):
            current = None
        if _LOCATION.match(line):
            location = _LOCATION.match(line)["location"]
        if _SUMMARY.match(line):
            summary = _SUMMARY.match(line)["summary"]
    return TsanReport(
        kind=header["kind"].strip(),
        accesses=accesses,
        summary=summary or header["kind"],
        location=location,
        text="\n".join(lines).strip(),
    )


def sample_source_of(frame: TsanFrame, sample: Sample) -> str | None:
    """The sample source file (as it is in this checkout) that ``frame`` points into."""
    if not frame.file:
        return None
    sources = {os.path.realpath(path): str(path) for path in (*sample.sources, *sample.headers)}
    for candidate in (frame.file, os.path.join(sample.path, frame.file)):
        # The second: debug info may record the file relative to the compiler's folder.
        if os.path.realpath(candidate) in sources:
            return sources[os.path.realpath(candidate)]
    # Builds are cached by content, not by location: a build made from another checkout
    # of the same sample records that checkout's paths. Match on the path inside the
    # sample folder, on a directory boundary.
    frame_parts = os.path.normpath(frame.file).split(os.sep)
    for source in (*sample.sources, *sample.headers):
        inside = os.path.relpath(os.path.realpath(source), os.path.realpath(sample.path)).split(os.sep)
        if inside[0] != os.pardir and frame_parts[-len(inside) :] == inside:
            return str(source)
    return None


def sample_frame(frame: TsanFrame, sample: Sample) -> bool:
    return sample_source_of(frame, sample) is not None


def reports_touching(reports: list[TsanReport], sample: Sample) -> list[TsanReport]:
    """The reports with at least one frame in the sample's own sources."""
    return [
        report
        for report in reports
        if any(sample_frame(frame, sample) for access in report.accesses for frame in access.frames)
    ]
