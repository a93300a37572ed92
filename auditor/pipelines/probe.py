"""``auditor.probe``: the static scan with the runtime import probe on top (a pipeline:
it composes :mod:`auditor.pipelines.scan` and the collector :mod:`auditor.collectors.import_probe`)."""

from __future__ import annotations

from pathlib import Path

from .scan import scan


def probe(
    python: str | Path,
    paths: list[Path] | None = None,
    target: str = "3.13t",
    *,
    timeout: float = 30,
    jobs: int | None = None,
    progress=None,
):
    """The library side of ``ftaudit probe``: scan ``python``'s environment (or ``paths``)
    and import every loadable extension module with ``python``, one process each.

    Returns the :class:`~auditor.model.environment.ScanResult` with ``runtime_gil`` and
    ``agrees_with_runtime`` filled (see :func:`auditor.scan`).
    """
    return scan(
        python=None if paths else python,
        paths=paths,
        target=target,
        probe=True,
        probe_python=python,
        jobs=jobs,
        progress=progress,
        probe_timeout=timeout,
    )
