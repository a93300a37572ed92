"""The text pre-filter never hides a finding the full LibCST analysis would make.

Checked on real code: the host interpreter's own standard library (a few hundred
modules of varied style) and the fixtures. For every module the pre-filter rejects, the
full analysis must find no event; for every top-level statement it would skip inside a
candidate module, likewise (the analysis is run here over the whole module, without
segment selection, to compare).
"""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

import libcst
import pytest
from _source_helpers import SOURCE_FIXTURES

from auditor.collectors.source.prefilter import python_needs_full_analysis
from auditor.collectors.source.python_analysis import ModuleFacts, PythonModuleAnalysis

pytestmark = pytest.mark.timeout(600)


def _whole_module_events(path: str, text: str):
    analysis = PythonModuleAnalysis.__new__(PythonModuleAnalysis)
    analysis.path, analysis.text, analysis.lines = path, text, text.splitlines()
    analysis.events, analysis.locked_mutations, analysis.segments_parsed = [], set(), 0
    module = libcst.parse_module(text)
    analysis.facts = ModuleFacts.from_libcst(module, text)
    analysis._analyse_module(module, 0)
    analysis._ast_events(ast.parse(text))  # whole-module `ast` analyses never see segments
    analysis._drop_unmutated_iteration()
    return {(event.kind, event.location.line) for event in analysis.events}


def _corpus() -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    modules = sorted(path for path in stdlib.glob("*.py") if path.stat().st_size < 60_000)
    return [*SOURCE_FIXTURES.rglob("*.py"), *modules[::3]]


def test_prefilter_and_segment_selection_hide_nothing():
    corpus = _corpus()
    assert len(corpus) > 50
    rejected = checked = 0
    for path in corpus:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            expected = _whole_module_events(str(path), text)
        except libcst.ParserSyntaxError:
            continue
        checked += 1
        if not python_needs_full_analysis(text):
            rejected += 1
            assert not expected, f"pre-filter rejected {path} which has events {sorted(expected)}"
            continue
        selected = PythonModuleAnalysis(str(path), text)
        assert {(event.kind, event.location.line) for event in selected.events} == expected, path
    assert rejected > checked // 3, "the pre-filter should keep most modules away from LibCST"
