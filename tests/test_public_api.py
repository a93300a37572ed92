"""The library API a newcomer calls: every public name is a function or class, and stays one.

A public name that is also a submodule (``auditor.scan`` the function and ``auditor/scan.py``)
is replaced by the module as soon as anything imports that submodule, so the second call
failed with "'module' object is not callable". Each public name must survive the import of
every module of the package, and calling one twice in one process must work.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys

import auditor


def test_no_public_name_is_a_submodule_or_is_hidden_by_one() -> None:
    for module in pkgutil.walk_packages(auditor.__path__, prefix="auditor."):
        if module.name.endswith(("_child", "__main__")):
            continue  # scripts run as programs (in target interpreters, or as `python -m`)
        importlib.import_module(module.name)
    for name in auditor.__all__:
        if name == "__version__":
            continue
        value = getattr(auditor, name)
        assert inspect.isfunction(value) or inspect.isclass(value), (name, value)
        assert f"auditor.{name}" not in sys.modules, f"auditor.{name} is both a public name and a module"


def test_scan_called_twice_in_one_process_works(tmp_path) -> None:
    site = tmp_path / "site-packages"
    site.mkdir()
    first = auditor.scan(paths=[site], use_cache=False)
    importlib.import_module("auditor.pipelines.scan")  # what an internal import does
    second = auditor.scan(paths=[site], use_cache=False)
    assert first.target == second.target == "3.15t"
    assert first.distributions == second.distributions == []
    assert callable(auditor.probe) and inspect.isfunction(auditor.probe)
