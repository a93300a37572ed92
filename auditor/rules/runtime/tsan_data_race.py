from __future__ import annotations

from ...model.finding import Location, Severity
from ..registry import Example, register
from . import RuntimeRule


@register
class TsanDataRace(RuntimeRule):
    """ThreadSanitizer saw two threads access the same memory, at least one writing,
    with no happens-before order between them, in the sample's own code. A data race is
    undefined behaviour in C11 whether or not a wrong result was observed in a given
    run: the next compiler or CPU may turn it into one.
    """

    code = "FTR006"
    name = "tsan-data-race"
    severity = Severity.ERROR
    summary = "ThreadSanitizer reported a data race in the sample's code"
    fix = "order the two accesses: a mutex around both, or C11 atomics (<stdatomic.h>) for the variable"
    invalid = [Example("ext_samples/static_counter", language="sample", note="with --tsan")]
    valid = [Example("ext_samples/static_counter_atomic", language="sample", note="with --tsan")]

    @classmethod
    def check(cls, trial):
        seen: set[tuple] = set()
        for report in trial.tsan_reports():
            own = trial.own_frames(report)
            # One finding per set of the sample's lines: the same race is reported once per pair
            # of threads that hit it.
            key = tuple(sorted({(frame.file, frame.line) for frame in own}))
            if key in seen:
                continue
            seen.add(key)
            frame = own[0]
            evidence = [
                access.description + ":\n" + "\n".join(f"  {each}" for each in access.frames[:8])
                for access in report.accesses
            ]
            if report.location:
                evidence.append(f"Location is {report.location}")
            yield cls.finding(
                f"ThreadSanitizer: {report.kind} in {frame.function} ({report.summary})",
                Location(path=trial.source_of(frame), line=frame.line, symbol=frame.function),
                evidence=evidence,
                module=trial.sample.name,
            )
