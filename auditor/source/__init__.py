"""Source checks: C/C++ (tree-sitter), Cython and PyO3 (token level), Python (LibCST).

:func:`scan_source` is the entry point; the rules themselves live in
:mod:`auditor.rules.c_source` (FTC) and :mod:`auditor.rules.python_source` (FTP).
"""

from __future__ import annotations

from .scanner import SourceScanError, scan_source

__all__ = ["SourceScanError", "scan_source"]
