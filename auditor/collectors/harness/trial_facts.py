"""What hammering one sample showed: the facts the FTR rules judge.

The harness runs the trials and classifies the outcome; it makes no finding. Each rule
in :mod:`auditor.rules.runtime` reads these facts (the runs on the free-threaded target
and the GIL baseline, the classification) and says what it flags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...model.finding import Location
from ...model.harness import FailureKind, HammerVerdict, InterpreterRun, TrialFailure
from .sample import Sample
from .tsan import TsanFrame, TsanReport, parse_tsan_reports, reports_touching, sample_frame, sample_source_of

_SCENARIO_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')
# The note the runner leaves when importing the sample turned the GIL back on.
GIL_REENABLED_NOTE = "GIL RE-ENABLED"


@dataclass
class TrialFacts:
    sample: Sample
    target: InterpreterRun | None  # the free-threaded run (None: nothing could run)
    baseline: InterpreterRun | None  # the GIL build's run, when one was asked and found
    classification: str | None  # "race-without-gil", "race", "safe" or None (see harness.classify)

    @property
    def target_failures(self) -> list[TrialFailure]:
        """The failures of the target's trials, when its verdict is a race."""
        if self.target is None or self.target.verdict is not HammerVerdict.RACE:
            return []
        return self.target.failure_examples

    def failures_of(self, *kinds: FailureKind) -> list[TrialFailure]:
        return [failure for failure in self.target_failures if failure.kind in kinds]

    @property
    def gil_reenabled_on_import(self) -> bool:
        return self.target is not None and any(
            note.startswith(GIL_REENABLED_NOTE) for note in self.target.notes
        )

    @property
    def sample_location(self) -> Location:
        return Location(path=str(self.sample.sources[0]))

    def location_from_traceback(self, detail: str) -> Location:
        """The innermost frame of the sample's own files in a (faulthandler) traceback."""
        candidates = [
            (match["file"], int(match["line"]))
            for match in _SCENARIO_FRAME.finditer(detail)
            if Path(match["file"]).resolve().parent == self.sample.path
        ]
        if candidates:
            # faulthandler prints most recent call first, Python tracebacks last.
            file, line = candidates[0] if "most recent call first" in detail else candidates[-1]
            return Location(path=file, line=line)
        return self.sample_location

    def tsan_reports(self) -> list[TsanReport]:
        """The ThreadSanitizer reports of the target's failures with a frame in the sample's code."""
        return [
            report
            for failure in self.failures_of(FailureKind.TSAN)
            for report in reports_touching(parse_tsan_reports(failure.detail), self.sample)
        ]

    def own_frames(self, report: TsanReport) -> list[TsanFrame]:
        """The frames of ``report`` that lie in the sample's own sources, in report order."""
        return [
            frame for access in report.accesses for frame in access.frames if sample_frame(frame, self.sample)
        ]

    def source_of(self, frame: TsanFrame) -> str:
        return sample_source_of(frame, self.sample) or str(frame.file)
