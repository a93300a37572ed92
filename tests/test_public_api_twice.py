"""Every public function, called twice in one process and in two orders, gives the same answer.

The first bug a new user met was the second call: ``auditor.scan`` was replaced by the
submodule of the same name as soon as anything imported it. A name can also break in
subtler ways (state kept in a module, a cache that answers differently the second time,
an import that only one order performs first), so each name of ``auditor.__all__`` is
called in a fresh interpreter, once in one order and once in the reverse, always looked
up as ``auditor.<name>``, with cheap real inputs: a compiled fixture extension, the
source fixtures, a shipped hammer sample, the provisioned free-threaded interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from _extension_builds import build_fixture

import auditor

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]
ROOT = Path(__file__).resolve().parents[1]
FREE_THREADED = Path.home() / ".cache" / "ftaudit" / "pythons" / "3.13t" / "bin" / "python3"
needs_free_threaded = pytest.mark.skipif(not FREE_THREADED.exists(), reason="no provisioned 3.13t")

# Runs in a fresh interpreter, so the first call of each name sees a clean import state.
# Prints, for each of the two passes, every name's result with what may differ between
# two honest runs left out (timings, cache hits, the number of hammer trials in a budget).
_CHILD = r"""
import json, sys
from pathlib import Path

import auditor
from auditor.model.serialize import to_dict

request = json.loads(sys.argv[1])
ft = request["free_threaded"]
work = Path(request["work"])
site = Path(request["site"])
VARYING = {"created", "duration_seconds", "extensions_from_cache", "seconds", "trials"}
CACHE_NOTES = {"build reused from the cache"}


def stable(value):
    if isinstance(value, dict):
        return {key: stable(item) for key, item in value.items() if key not in VARYING}
    if isinstance(value, list):
        return [stable(item) for item in value if not (isinstance(item, str) and item in CACHE_NOTES)]
    return value


def api(name):
    return getattr(auditor, name)  # looked up every time: a submodule must not replace it


def scan(state):
    state["scan"] = api("scan")(paths=[site], use_cache=False)
    return state["scan"]


def build_report(state):
    state["report"] = api("build_report")(scan(state) if "scan" not in state else state["scan"])
    return state["report"]


CALLS = {
    "scan": scan,
    "probe": lambda state: api("probe")(ft, paths=[site], timeout=60),
    "hammer": lambda state: api("hammer")(
        [request["sample"]], python=ft, baseline_python=None, budget=0.5, throughput=False
    ),
    "scan_source": lambda state: api("scan_source")([Path(request["sources"])], use_cache=False, jobs=1),
    "build_report": build_report,
    "check": lambda state: api("check")(state.get("report") or build_report(state)),
    "gate": lambda state: api("gate")(
        python=ft, policy_file=work / "project" / "pyproject.toml", imports=["json"]
    ),
    "resolve_tree": lambda state: api("resolve_tree")(
        work / "requirements.txt", offline=True, cache_dir=work / "index-cache"
    ),
    "diff_reports": lambda state: api("diff_reports")(
        state.get("report") or build_report(state), api("build_report")()
    ),
    "audit": lambda state: api("audit")(
        work / "project", python=ft, targets=["3.13t"], hammer_samples=False, offline=True,
        cache_dir=work / "index-cache",
    ),
    "find_interpreters": lambda state: api("find_interpreters")([ft]),
    "provision": lambda state: api("provision")(log=lambda *args, **kwargs: None),
}
missing = sorted(set(auditor.__all__) - {"__version__"} - set(CALLS))
if missing:
    raise SystemExit(f"no call written for the public name(s) {missing}")

passes = []
for order in (request["order"], list(reversed(request["order"]))):
    state, answers = {}, {}
    for name in order:
        answers[name] = stable(json.loads(json.dumps(to_dict(CALLS[name](state)), default=str)))
    passes.append(answers)
print(json.dumps({"passes": passes}))
"""


def _public_functions() -> list[str]:
    return [name for name in auditor.__all__ if name != "__version__"]


@needs_free_threaded
@pytest.mark.parametrize("first_order", ["as-listed", "reversed"])
def test_every_public_function_twice_in_two_orders(tmp_path, first_order):
    site = build_fixture("mp_slot_not_used", FREE_THREADED).site
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "1"\ndependencies = ["numpy==2.1.0"]\n', encoding="utf-8"
    )
    (tmp_path / "requirements.txt").write_text("numpy==2.1.0\n", encoding="utf-8")
    names = _public_functions()
    request = {
        "order": names if first_order == "as-listed" else names[::-1],
        "free_threaded": str(FREE_THREADED),
        "work": str(tmp_path),
        "site": str(site),
        "sample": str(ROOT / "ext_samples" / "static_counter_atomic"),
        "sources": str(ROOT / "fixtures" / "sources"),
    }
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(request)],
        capture_output=True,
        text=True,
        timeout=560,
        cwd=tmp_path,
        env=environment,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    first, second = json.loads(completed.stdout.splitlines()[-1])["passes"]
    assert sorted(first) == sorted(second) == sorted(names)
    for name in names:
        assert first[name] == second[name], f"auditor.{name} answered differently the second time"
