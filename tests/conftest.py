"""Suite-wide guard: the interpreters the tests run against must be there.

scripts/setup.sh provisions all three (free-threaded 3.13, its TSan twin, the GIL
baseline). Tests that need one could skip when it is missing, but a suite that skips
its dynamic half still looks green, so a missing interpreter stops the run at once with
the command that fixes it. Set FTAUDIT_ALLOW_MISSING_INTERPRETERS=1 to run what can run
on a machine that cannot build them.
"""

from __future__ import annotations

import os

import pytest

# Real upstream files kept as source-rule test data (some are named *_test.py): data to
# scan, never tests to collect.
collect_ignore = ["corpus"]


def pytest_sessionstart(session: pytest.Session) -> None:
    if os.environ.get("FTAUDIT_ALLOW_MISSING_INTERPRETERS") == "1":
        return
    from auditor.collectors.interpreters.provision import find_provisioned

    missing = [
        command
        for command, found in (
            ("ftaudit provision", find_provisioned()),
            ("ftaudit provision --tsan", find_provisioned(tsan=True)),
            ("ftaudit provision --gil-baseline", find_provisioned(gil=True)),
        )
        if found is None
    ]
    if missing:
        raise pytest.UsageError(
            "interpreters the suite needs are not provisioned; run scripts/setup.sh or: " + "; ".join(missing)
        )
