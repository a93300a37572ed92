"""Runs inside the probed interpreter (3.13t, or any CPython >= 3.8): stdlib only.

argv: module name, file path ("" when unknown), JSON list of site folders, mode.

* mode "import": what a user's ``import a.b.c`` does. The parent package is imported
  first and the GIL state is taken in between, so an effect of the parent's own imports
  can be told apart from the module's.
* mode "create": loads only this module's file through ``ExtensionFileLoader`` and runs
  its ``PyInit_*`` (``module_from_spec``) without the parent packages and without its
  exec slots. CPython checks the GIL declaration right there (``_PyImport_CheckGILForModule``
  runs when the module object is created), so this isolates the module's own effect
  when a sibling imported alongside it has already turned the GIL on.

Prints one line: ``FTAUDIT-PROBE-RESULT <json>``.
"""

import json
import site
import sys
import warnings

MARKER = "FTAUDIT-PROBE-RESULT "


def _gil_enabled():
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())  # before 3.13 every build has the GIL


def _add_site_folders(folders):
    known = list(sys.path)
    for folder in folders:
        site.addsitedir(folder)  # also runs the folder's .pth files, as the real environment does
    # The scanned folders come first, ahead of the interpreter's own site-packages.
    added = [entry for entry in sys.path if entry not in known]
    sys.path[:] = added + known


def _import(module_name, result):
    import importlib

    parent = module_name.rpartition(".")[0]
    if parent:
        importlib.import_module(parent)
        result["gil_after_parent"] = _gil_enabled()
        result["loaded_by_parent"] = module_name in sys.modules
    importlib.import_module(module_name)


def _create(module_name, file_path, result):
    import importlib.machinery
    import importlib.util

    loader = importlib.machinery.ExtensionFileLoader(module_name, file_path)
    spec = importlib.util.spec_from_file_location(module_name, file_path, loader=loader)
    importlib.util.module_from_spec(spec)
    result["gil_after_create"] = _gil_enabled()


def main():
    module_name, file_path, folders, mode = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
    _add_site_folders(folders)
    result = {"gil_before": _gil_enabled(), "mode": mode}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if mode == "create":
                _create(module_name, file_path, result)
            else:
                _import(module_name, result)
            result["status"] = "imported"
        # SystemExit raised by a module's init is an import failure too.
        except BaseException as error:  # noqa: BLE001
            result["status"] = "import-error"
            result["error"] = f"{type(error).__name__}: {error}"
    result["gil_after"] = _gil_enabled()
    result["warnings"] = [f"{item.category.__name__}: {item.message}" for item in caught]
    sys.stdout.write(MARKER + json.dumps(result) + "\n")
    sys.stdout.flush()


main()
