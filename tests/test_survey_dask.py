"""The survey on a real Dask LocalCluster (three worker processes on 127.0.0.1), with one
worker killed with SIGKILL while wheels are still being read: every wheel must still be
judged exactly once, the result must equal the local pool's, and a re-run submits nothing.

The index answers every request after a 0.4 s delay (FixtureIndex's simulated round trip),
so the 38 wheel downloads spread over several seconds and the kill lands while the killed
worker holds tasks (checked, not assumed).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal

import distributed  # setup installs ftaudit[dask]: missing, this module fails rather than skips
import pytest
from _index_server import FixtureIndex
from _survey_helpers import REAL_PROJECTS, built_releases, comparable, survey_index

from auditor.pipelines.survey import LocalPoolEngine, ProjectEntry, ResultStore, run_survey
from auditor.pipelines.survey.engines.dask_cluster import DaskEngine
from auditor.pipelines.survey.work import WheelTask, judge_wheel

pytestmark = pytest.mark.timeout(600)
PROJECTS = [*REAL_PROJECTS, "coreproj", "sdistproj", "pureproj"]
EXPECTED_WHEELS = 2 * len(REAL_PROJECTS) + 2


def entries() -> list[ProjectEntry]:
    return [ProjectEntry(name, rank) for rank, name in enumerate(PROJECTS, start=1)]


@pytest.fixture(scope="module")
def slow_index(tmp_path_factory):
    with survey_index(tmp_path_factory.mktemp("wheels"), latency_seconds=0.4) as server:
        yield server


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=3, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def local_result(slow_index, tmp_path_factory):
    folder = tmp_path_factory.mktemp("local")
    with LocalPoolEngine(2) as engine:
        return run_survey(entries(), index_url=slow_index.url, engine=engine, store=None, cache_dir=folder)


def test_a_worker_killed_mid_run_costs_nothing(client, slow_index, local_result, tmp_path):
    store = tmp_path / "store.jsonl"
    killed: dict[str, object] = {}

    def kill_one_worker(progress) -> None:
        if killed or progress.wheels_done < 3:
            return
        busy = {address: keys for address, keys in client.processing().items() if keys}
        pids = client.run(os.getpid)
        victim = next(iter(busy))
        killed.update(address=victim, pid=pids[victim], holding=len(busy[victim]), done=progress.wheels_done)
        os.kill(pids[victim], signal.SIGKILL)

    engine = DaskEngine(client=client, retries=2)
    result = run_survey(
        entries(),
        index_url=slow_index.url,
        engine=engine,
        store=store,
        cache_dir=tmp_path,
        progress=kill_one_worker,
    )
    # The kill happened mid-run, on a worker that was holding tasks at that moment.
    assert killed and killed["holding"] >= 1 and killed["done"] < EXPECTED_WHEELS, killed
    assert killed["pid"] not in client.run(os.getpid).values()
    assert not result.partial, [project.errors for project in result.projects if project.errors]
    assert engine.tasks_submitted == EXPECTED_WHEELS
    assert result.stats.wheels_judged == EXPECTED_WHEELS and result.stats.wheels_failed == 0
    # Judged once: one store line per wheel, no key twice, even for the tasks that were re-run.
    keys = [json.loads(line)["key"] for line in store.read_text().splitlines()]
    assert len(keys) == len(set(keys)) == EXPECTED_WHEELS
    # Read on the workers (several of them), not in this process.
    workers = {
        status.latest.wheel.worker
        for project in result.projects
        for status in project.targets
        if status.latest and status.latest.wheel
    }
    assert len(workers) >= 2 and all(not name.endswith(f":{os.getpid()}") for name in workers)
    assert result.stats.engine == "dask"
    assert comparable(result) == comparable(local_result)

    rerun_engine = DaskEngine(client=client)
    again = run_survey(
        entries(), index_url=slow_index.url, engine=rerun_engine, store=store, cache_dir=tmp_path
    )
    assert rerun_engine.tasks_submitted == 0 and again.stats.tasks_submitted == 0
    assert again.stats.wheels_from_store == EXPECTED_WHEELS
    assert comparable(again) == comparable(local_result)
    assert len(ResultStore(store)) == EXPECTED_WHEELS


def test_the_same_wheel_submitted_twice_is_one_task(client, slow_index, tmp_path):
    """Keys come from the wheel (URL, sha256, target, analyser), not from the call, so a
    second client asking for the same wheel while it runs does not start a second download."""
    files = slow_index.projects["markupsafe"]
    served = next(each for each in files if "cp314t" in each.filename)
    task = WheelTask(
        project="markupsafe",
        version=served.release.version,
        target="3.14t",
        filename=served.filename,
        url=slow_index.url.rsplit("/simple", 1)[0] + f"/files/{served.filename}",
        sha256=hashlib.sha256(served.path.read_bytes()).hexdigest(),
    )
    before = slow_index.count(served.filename)
    engine = DaskEngine(client=client)
    outcomes = list(engine.judge([task, task]))
    assert engine.tasks_submitted == 1 and len(outcomes) == 1
    assert slow_index.count(served.filename) == before + 1
    verdict = outcomes[0].verdict
    assert (
        verdict is not None
        and verdict.verdict == "ready"
        and verdict.modules[0].module == "markupsafe._speedups"
    )
    # The same function in this process gives the same verdict, but for who read it and how fast.
    here = judge_wheel(task)
    timing = {"worker": "", "download_seconds": 0.0, "analysis_seconds": 0.0}
    assert dataclasses.replace(here, **timing) == dataclasses.replace(verdict, **timing)
    assert here.worker != verdict.worker


SECRET = "tok-survey-5e4d3c"


def test_workers_authenticate_to_a_private_index_and_nothing_stores_the_token(client, tmp_path):
    # The planner reads pages with the token in the index URL; the wheels are downloaded
    # by Dask workers in other processes, which must send the same credentials.
    releases = [release for release in built_releases() if release.project == "coreproj"]
    with FixtureIndex(releases, tmp_path / "files", basic_auth=("ci", SECRET)) as private:
        url = private.url.replace("http://", f"http://ci:{SECRET}@")
        store = tmp_path / "store.jsonl"
        result = run_survey(
            [ProjectEntry("coreproj", 1)],
            index_url=url,
            targets=["3.13t"],
            engine=DaskEngine(client=client),
            store=store,
            cache_dir=tmp_path / "cache",
        )
    (project,) = result.projects
    (target,) = project.targets
    assert target.latest is not None and target.latest.wheel is not None, project.errors
    assert target.latest.wheel.download_error is None
    assert target.latest.wheel.verdict == "ready", target.latest.wheel
    document = json.dumps(dataclasses.asdict(result))
    assert SECRET not in document and SECRET not in store.read_text()
