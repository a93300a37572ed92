"""One child interpreter running a sample's trials, watched from the parent.

The parent reads the child's events as they come (one JSON line each), and stops it in
two ways: a child that makes no progress for the trial timeout and uses almost no CPU is
deadlocked (every thread's stack is dumped first), and a child still busy after
``SLOW_TRIAL_FACTOR`` trial timeouts is too slow. Split from :mod:`.runner`, which decides
what each child's result means for the run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ...model.harness import FailureKind
from ...shared.process_exit import signal_name
from .tsan import TsanReport

CHILD_SCRIPT = Path(__file__).with_name("_trial_child.py")
# Time allowed, beyond the trial timeout, for a child to start and import the sample
# before its first event (a TSan interpreter starts ~10x slower).
STARTUP_GRACE_SECONDS = 15.0
_POLL_SECONDS = 0.02
# In the sequential check, a thread that has not finished alone after this long (or the
# trial timeout, if shorter) ends the check: it waits or spins for other threads.
SEQUENTIAL_THREAD_SECONDS = 3.0
# Hang detection: after trial_timeout without progress the child's CPU time is probed
# every IDLE_PROBE_SECONDS; below BUSY_CPU_FRACTION of one core it is idle (deadlocked).
IDLE_PROBE_SECONDS = 1.0
BUSY_CPU_FRACTION = 0.05
# A busy child is given this many trial timeouts before it is stopped as too slow.
SLOW_TRIAL_FACTOR = 6
DUMP_WAIT_SECONDS = 1.0


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as file:
            fields = file.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


@dataclass
class ChildOutcome:
    events: list[dict]
    returncode: int | None
    stderr: str
    stdout: str
    # "", "hang" (idle: deadlock), "slow" (busy past the limit), "sequential-timeout"
    killed_by_watchdog: str
    seconds: float
    tsan_reports: list[TsanReport] = field(default_factory=list)


def run_child(
    python: str,
    config: dict,
    *,
    force_gil_off: bool,
    environment: dict[str, str],
    watchdog_seconds: float,
    workdir: Path,
) -> ChildOutcome:
    results = workdir / "events.jsonl"
    results.write_text("")
    config = dict(config, results=str(results))
    config_path = workdir / "config.json"
    config_path.write_text(json.dumps(config))
    command = [python, "-E", "-s", "-X", "faulthandler"]
    if force_gil_off:
        # Keep the GIL off even though the sample's module did not declare
        # Py_MOD_GIL_NOT_USED (PEP 703: -X gil=0 overrides the per-module request).
        command += ["-X", "gil=0"]
    command += [str(CHILD_SCRIPT), str(config_path)]
    started = time.monotonic()
    verdict_of_watchdog = ""
    with open(workdir / "stdout", "w+b") as stdout, open(workdir / "stderr", "w+b") as stderr:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            env=environment,
            cwd=str(workdir),
            start_new_session=True,
        )
        last_progress = started
        seen_size = 0
        in_sequential_check = False
        cpu_mark, cpu_mark_time = _cpu_seconds(process.pid), started
        while process.poll() is None:
            time.sleep(_POLL_SECONDS)
            size = results.stat().st_size
            now = time.monotonic()
            if size != seen_size:
                seen_size, last_progress = size, now
                in_sequential_check = _last_event(results) in ("sanity-start", "sanity-progress")
                continue
            if in_sequential_check and now - last_progress > min(watchdog_seconds, SEQUENTIAL_THREAD_SECONDS):
                # The sequential check is only a guard against false alarms: a thread that
                # cannot finish alone (it waits, or spins, for another thread) just means
                # the check does not apply. It is abandoned quickly, never waited out.
                verdict_of_watchdog = "sequential-timeout"
                _kill_group(process)
                break
            # Before the first event the child is still starting and importing the sample.
            limit = watchdog_seconds + (0.0 if seen_size else STARTUP_GRACE_SECONDS)
            if now - last_progress <= limit or now - cpu_mark_time < IDLE_PROBE_SECONDS:
                continue
            # No trial finished for a while. A deadlocked process sleeps (its CPU time
            # stops growing); a slow but correct one keeps computing. Only the first is a
            # hang: calling a merely slow safe sample a race would be a false alarm.
            cpu_now = _cpu_seconds(process.pid)
            busy = cpu_now - cpu_mark >= BUSY_CPU_FRACTION * (now - cpu_mark_time)
            cpu_mark, cpu_mark_time = cpu_now, now
            if busy and now - last_progress <= limit * SLOW_TRIAL_FACTOR:
                continue
            verdict_of_watchdog = "slow" if busy else "hang"
            # faulthandler.register(SIGUSR1) in the child dumps every thread's stack from
            # the signal handler, which works even when all threads are blocked.
            try:
                os.kill(process.pid, signal.SIGUSR1)
                process.wait(timeout=DUMP_WAIT_SECONDS)
            except subprocess.TimeoutExpired:
                pass
            except ProcessLookupError:
                pass
            _kill_group(process)
            break
        stdout.seek(0)
        stderr.seek(0)
        out_text = stdout.read().decode(errors="replace")
        err_text = stderr.read().decode(errors="replace")
    events = []
    for line in results.read_text(errors="replace").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a kill
    return ChildOutcome(
        events=events,
        returncode=process.returncode,
        stderr=err_text,
        stdout=out_text,
        killed_by_watchdog=verdict_of_watchdog,
        seconds=time.monotonic() - started,
    )


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _last_event(results: Path) -> str:
    """The name of the last complete event a child wrote (its file is small)."""
    try:
        lines = results.read_text(errors="replace").splitlines()
        return json.loads(lines[-1]).get("event", "") if lines else ""
    except (OSError, ValueError):
        return ""


def abnormal_end(outcome: ChildOutcome) -> tuple[FailureKind, str] | None:
    """A child that did not report "done": why."""
    if any(event["event"] == "done" for event in outcome.events):
        return None
    if any(event["event"] in ("trial", "sanity") and not event.get("ok", True) for event in outcome.events):
        return None
    if any(event["event"] == "error" for event in outcome.events):
        return None
    if (
        any(event["event"] == "loaded" and event.get("gil_reenabled") for event in outcome.events)
        and outcome.returncode == 0
    ):
        return None
    if outcome.killed_by_watchdog in ("slow", "sequential-timeout"):
        return None
    if outcome.killed_by_watchdog == "hang":
        return FailureKind.HANG, (
            "the trial stopped making progress with every thread blocked (deadlock); "
            "every thread's stack below"
        )
    if outcome.returncode is not None and outcome.returncode < 0:
        return FailureKind.CRASH, f"the interpreter died from {signal_name(outcome.returncode)}"
    fatal = next(
        (line for line in outcome.stderr.splitlines() if line.startswith("Fatal Python error")), None
    )
    if fatal:
        return FailureKind.CRASH, fatal
    return (
        FailureKind.CRASH,
        f"the interpreter exited with status {outcome.returncode} in the middle of a trial",
    )
