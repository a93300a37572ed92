# Runs INSIDE the interpreter being guarded (`python -I`, any CPython >= 3.8): stdlib only.
# What the interpreter is comes from the describe child of auditor.collectors.interpreters,
# run in this same process so that one start answers both questions; this script adds
# only what the guard asks besides: the GIL state before and after importing the
# project's modules, and the GIL RuntimeWarnings those imports raised.
import contextlib
import importlib
import io
import json
import runpy
import sys
import sysconfig
import warnings

request = json.loads(sys.argv[1])
described = io.StringIO()
with contextlib.redirect_stdout(described):
    runpy.run_path(request["describe_child"], run_name="__describe__")
answer = json.loads(described.getvalue().strip().splitlines()[-1])
for folder in reversed(request["paths"]):
    sys.path.insert(0, folder)
# sys._is_gil_enabled is new in 3.13; without it the GIL is always on.
is_gil_enabled = getattr(sys, "_is_gil_enabled", None)


def gil():
    return True if is_gil_enabled is None else bool(is_gil_enabled())


answer.update(
    {
        # The raw value, for the FTE001 evidence (None on a release that predates it).
        "py_gil_disabled": sysconfig.get_config_var("Py_GIL_DISABLED"),
        "gil_at_start": gil(),
        "imported": [],
        "import_errors": {},
        "warnings": [],
        "enabled_after": [],
    }
)
for name in request["modules"]:
    before = gil()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            importlib.import_module(name)
            answer["imported"].append(name)
        except BaseException as error:
            answer["import_errors"][name] = type(error).__name__ + ": " + str(error)
    answer["warnings"] += [str(w.message) for w in caught if "GIL" in str(w.message)]
    if gil() and not before:
        answer["enabled_after"].append(name)
answer["gil_after"] = gil()
sys.stdout.write("\n" + request["marker"] + json.dumps(answer) + "\n")
