"""Where the wheels of a survey are judged: the engine interface.

An engine takes :class:`~auditor.pipelines.survey.work.WheelTask` s and yields one :class:`Outcome`
per task, in the order they finish: the :class:`~auditor.model.survey.WheelVerdict` that
:func:`~auditor.pipelines.survey.work.judge_wheel` returned, or why the engine could not get one (a
worker lost more often than the retries allow, a broken pool). Every engine runs the same
function, so engines differ in speed, never in verdicts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import ClassVar

from ....model.survey import WheelVerdict
from ..work import WheelTask


class EngineError(Exception):
    """The engine cannot run at all (no scheduler at that address, Dask not installed)."""


@dataclass(frozen=True)
class Outcome:
    task: WheelTask
    verdict: WheelVerdict | None
    failure: str | None = None  # set when verdict is None


class SurveyEngine(ABC):
    name: ClassVar[str]

    def __init__(self) -> None:
        # How many tasks were handed to workers: a re-run of a finished survey hands none.
        self.tasks_submitted = 0

    @property
    @abstractmethod
    def workers(self) -> int:
        """How many processes judge wheels at once."""

    @abstractmethod
    def judge(self, tasks: Iterable[WheelTask]) -> Iterator[Outcome]:
        """One outcome per task, yielded as each finishes."""

    @abstractmethod
    def close(self) -> None:
        """Release workers and connections; the engine is not used again."""

    def __enter__(self) -> SurveyEngine:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
