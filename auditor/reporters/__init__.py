"""Reporters: one module per output format behind :mod:`.interface`."""

from __future__ import annotations

from .interface import (
    Reporter,
    available_reporters,
    get_reporter,
    register_reporter,
    reporter_for_filename,
    write_report_files,
)

__all__ = [
    "Reporter",
    "available_reporters",
    "get_reporter",
    "register_reporter",
    "reporter_for_filename",
    "write_report_files",
]
