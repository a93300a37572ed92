"""The reporter plug-in interface: one module per output format.

A reporter turns an :class:`~auditor.model.AuditReport` into text (or bytes for binary
formats). Adding a format is one new module that subclasses :class:`Reporter` and is
decorated with :func:`register_reporter`; nothing else changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from pathlib import Path
from typing import ClassVar

from ..model.report import AuditReport

# What `ftaudit audit` writes: the readiness report for people (HTML, Markdown) and for
# machines (JSON), under fixed names so a CI job can pick them up.
AUDIT_REPORT_FILES = (
    ("html", "ftaudit-report.html"),
    ("markdown", "ftaudit-report.md"),
    ("json", "ftaudit-report.json"),
)


class Reporter(ABC):
    name: ClassVar[str]  # the --format value
    file_extension: ClassVar[str]  # used to pick a format from an output file name
    description: ClassVar[str]

    @abstractmethod
    def render(self, report: AuditReport) -> str:
        """Return the whole document."""


_REPORTERS: dict[str, type[Reporter]] = {}
_loaded = False


def register_reporter(reporter: type[Reporter]) -> type[Reporter]:
    if reporter.name in _REPORTERS and _REPORTERS[reporter.name] is not reporter:
        raise ValueError(f"two reporters are called {reporter.name!r}")
    _REPORTERS[reporter.name] = reporter
    return reporter


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    package = importlib.import_module(__package__)
    for module_info in pkgutil.iter_modules(package.__path__):
        if module_info.name != "interface":
            importlib.import_module(f"{__package__}.{module_info.name}")


def available_reporters() -> dict[str, type[Reporter]]:
    _load_all()
    return dict(sorted(_REPORTERS.items()))


def get_reporter(name: str) -> Reporter:
    reporters = available_reporters()
    if name not in reporters:
        raise KeyError(f"unknown format {name!r}; choose from: {', '.join(reporters)}")
    return reporters[name]()


def reporter_for_filename(filename: str, default: str) -> Reporter:
    """Pick the reporter whose extension matches ``filename`` (``.md`` → markdown)."""
    for reporter in available_reporters().values():
        if filename.endswith(reporter.file_extension):
            return reporter()
    return get_reporter(default)


def write_report_files(report: AuditReport, output_dir: Path) -> list[Path]:
    """Write ``report`` as every file of :data:`AUDIT_REPORT_FILES` into ``output_dir``
    (created when missing); returns the paths written, in that order."""
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for format_name, file_name in AUDIT_REPORT_FILES:
        destination = output_dir / file_name
        destination.write_text(get_reporter(format_name).render(report), encoding="utf-8")
        written.append(destination)
    return written
