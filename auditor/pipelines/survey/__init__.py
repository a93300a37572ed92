"""``ftaudit survey``: an ecosystem tracker that reads the binaries, not only the wheel tags.

For each project of a list (or the top N of a downloads ranking), the newest release and
the first release with free-threaded wheels are judged for each target: which wheel is
there, and what every extension module in it declares about the GIL, read from the ELF
binary without installing or importing anything.

Layers, pip-audit style: ``projects`` reads the list, ``plan`` turns an index page into
wheel tasks, ``work.judge_wheel`` is the unit of work, ``engines/`` run it (a local
process pool, or Dask), ``store`` keeps verdicts across runs, ``run.run_survey`` ties them
together and ``compare`` diffs two surveys.
"""

from __future__ import annotations

from .compare import SurveyDiff, diff_surveys, load_survey
from .engines import EngineError, LocalPoolEngine, SurveyEngine
from .projects import ProjectEntry, SurveyInputError, read_project_list
from .run import SurveyProgress, run_survey
from .store import ResultStore, StoreError
from .work import WheelTask, judge_wheel

__all__ = [
    "EngineError",
    "LocalPoolEngine",
    "ProjectEntry",
    "ResultStore",
    "StoreError",
    "SurveyDiff",
    "SurveyEngine",
    "SurveyInputError",
    "SurveyProgress",
    "WheelTask",
    "diff_surveys",
    "judge_wheel",
    "load_survey",
    "read_project_list",
    "run_survey",
]
