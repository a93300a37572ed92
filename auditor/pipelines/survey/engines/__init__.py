"""Engines that judge a survey's wheels: a local process pool (the default) and Dask."""

from __future__ import annotations

from .interface import EngineError, Outcome, SurveyEngine
from .local_pool import LocalPoolEngine

__all__ = ["EngineError", "LocalPoolEngine", "Outcome", "SurveyEngine"]
