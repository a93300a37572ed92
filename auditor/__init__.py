"""ftaudit: a thread-safety auditor for free-threaded CPython (PEP 703).

The library API; the ``ftaudit`` command is a thin layer over these functions:

* :func:`scan` - static audit of an installed environment (nothing imported)
* :func:`probe` - import each extension module in its own free-threaded subprocess
* :func:`hammer` - compile sample extensions and stress them from many threads
* :func:`scan_source` - source rules over C/C++/Cython/Python files
* :func:`audit` - the main job on a project: dependencies per target, environment, sources, samples
* :func:`gate` - everything ``ftaudit check`` does: policy, scan, interpreter guard, baseline
* :func:`check` - the gate's decision alone, for a report you already have
* :func:`build_report`, :func:`resolve_tree`, :func:`diff_reports`
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> "module:attribute". Imported lazily so `import auditor` stays cheap
# and a user who only scans never pays for the harness or libcst.
_PUBLIC_API = {
    "scan": "auditor.pipelines.scan:scan",
    "probe": "auditor.pipelines.probe:probe",
    "hammer": "auditor.pipelines.hammer:hammer",
    "scan_source": "auditor.pipelines.source_scan:scan_source",
    "build_report": "auditor.pipelines.report:build_report",
    "check": "auditor.engine.gate:check",
    "gate": "auditor.pipelines.check:gate",
    "resolve_tree": "auditor.pipelines.dependency_tree:resolve_tree",
    "diff_reports": "auditor.pipelines.diff:diff_reports",
    "audit": "auditor.pipelines.project_audit:audit_project",
    "find_interpreters": "auditor.collectors.interpreters.discovery:find_interpreters",
    "provision": "auditor.collectors.interpreters.provision:provision",
}

__all__ = ["__version__", *_PUBLIC_API]


def __getattr__(name: str) -> Any:
    target = _PUBLIC_API.get(name)
    if target is None:
        raise AttributeError(f"module 'auditor' has no attribute {name!r}")
    module_name, attribute = target.split(":")
    return getattr(importlib.import_module(module_name), attribute)
