"""A Cython first-use import filling several module names: one finding per racing step.

ndindex's ``_lazy_import()`` tested one global, then set it and seven more; callers ran
``_lazy_import()`` and read the names. The fix made the call the guarded step, so that is
where the finding sits, and the fill's own stores belong to the lazy-init finding.
"""

from __future__ import annotations

from auditor.engine.source_checks import check_bytes

_SOURCE = (
    "# cython: language_level=3\n"  # 1
    "cdef object _ndindex = None\n"  # 2
    "cdef object _Integer = None\n"  # 3
    "cdef object _Slice = None\n"  # 4
    "\n"  # 5
    "cdef void _lazy_import():\n"  # 6
    "    global _ndindex, _Integer, _Slice\n"  # 7
    "    if _ndindex is None:\n"  # 8
    "        from ndindex import ndindex, Integer, Slice\n"  # 9
    "        _ndindex = ndindex\n"  # 10
    "        _Integer = Integer\n"  # 11
    "        _Slice = Slice\n"  # 12
    "\n"  # 13
    "def classify(idx):\n"  # 14
    "    _lazy_import()\n"  # 15
    "    if isinstance(idx, _Integer):\n"  # 16
    "        return 'integer'\n"  # 17
    "    return 'slice' if isinstance(idx, _Slice) else 'other'\n"  # 18
)


def _findings():
    outcome = check_bytes("lazy.pyx", _SOURCE.encode(), "cython")
    assert outcome.problem is None, outcome.problem
    return [(finding.location.line, finding.rule, finding.message) for finding in outcome.findings]


def test_the_call_of_the_first_use_fill_is_reported_once_naming_what_is_read():
    reads = [(line, message) for line, rule, message in _findings() if rule == "FTC014"]
    assert [line for line, _ in reads] == [15]
    message = reads[0][1]
    assert "_lazy_import()" in message and "`_Integer`" in message and "`_Slice`" in message


def test_the_fill_names_the_other_globals_it_sets_instead_of_one_finding_each():
    findings = _findings()
    assert not [line for line, rule, _ in findings if rule == "FTC014" and 10 <= line <= 12]
    store = next(message for line, rule, message in findings if rule == "FTC015" and line == 10)
    assert "`_Integer`" in store and "`_Slice`" in store
    assert any(line == 8 and rule == "FTC015" for line, rule, _ in findings)
