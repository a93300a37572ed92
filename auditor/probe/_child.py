"""Runs inside the probed interpreter (3.13t or any CPython >= 3.8): stdlib only.

Loads ONE extension module from its file, as the import system would, and reports the
GIL state. It goes through ``spec_from_file_location`` + ``ExtensionFileLoader`` rather
than ``import a.b.c`` so that the parent packages' ``__init__`` files (which may import
other extension modules) do not run first; whatever the module itself imports still
runs, as it would in real use. Output: one line ``FTAUDIT-PROBE-RESULT <json>``.
"""

import json
import site
import sys
import warnings

MARKER = "FTAUDIT-PROBE-RESULT "


def _gil_enabled():
    probe = getattr(sys, "_is_gil_enabled", None)
    return True if probe is None else bool(probe())  # before 3.13 every build has the GIL


def main():
    module_name, file_path, search_path = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    known = list(sys.path)
    for folder in search_path:
        site.addsitedir(folder)  # also runs the folder's .pth files, as the real environment does
    # The scanned folders come first, ahead of the interpreter's own site-packages.
    added = [entry for entry in sys.path if entry not in known]
    sys.path[:] = added + known
    result = {"gil_before": _gil_enabled(), "gil_after_create": None}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if file_path:
                import importlib.machinery
                import importlib.util

                loader = importlib.machinery.ExtensionFileLoader(module_name, file_path)
                spec = importlib.util.spec_from_file_location(module_name, file_path, loader=loader)
                module = importlib.util.module_from_spec(spec)  # runs PyInit_*; the GIL check happens here
                result["gil_after_create"] = _gil_enabled()
                sys.modules[module_name] = module
                spec.loader.exec_module(module)  # Py_mod_exec slots
            else:
                import importlib

                importlib.import_module(module_name)
            result["status"] = "imported"
        except BaseException as error:  # SystemExit from a module's init is an import failure too
            result["status"] = "import-error"
            result["error"] = "%s: %s" % (type(error).__name__, error)
    result["gil_after"] = _gil_enabled()
    result["warnings"] = ["%s: %s" % (item.category.__name__, item.message) for item in caught]
    sys.stdout.write(MARKER + json.dumps(result) + "\n")
    sys.stdout.flush()


main()
