"""Recall and precision of the source rules on real files at the parent of a race fix.

The corpus (tests/corpus/manifest.json) was labelled from the upstream diffs before any
rule ran; the floors below are the figures measured when they were last raised, so a
change that loses a real race the rules used to find fails here.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))

from scoring import load_manifest, score_corpus  # noqa: E402

# (recall, precision) floors per language group over the whole corpus, as measured. The second
# batch (16 files labelled in source-rules-3, held out from the rules until it was scored) took
# them down from 0.72/1.00 (C) and 0.97/0.93 (Python); FTC018 raised C recall again. The third
# (session3-c, session3-python: 24 files, scored before any rule saw them) measured C 72%/86%
# and Python+Cython 14%/75% on its own, which leaves Python at 0.43/0.91 over all files: the
# floors follow the larger, honest corpus, and issue 14 is open until they reach 0.90/0.80.
# py-rules-4 (shared-instance evidence, reads of rebound globals, process-wide settings,
# check-then-use on module containers; Cython module instances, lazy cdef fields,
# KeyError inserts) took Python+Cython to 126/151 = 83% at 128/142 = 90% over all files
# (session3-python alone: 67% / 93%).
# Session 4 (c-rules-4) worked the C misses by kind (check halves of check-then-acts, argument
# objects bent for one call, shared-container check-then-act, C++ shared-class members) and
# took C from 87/123 = 71% / 87% to 110/123 = 89% / 95% over all files (session3-c alone:
# 72%/86% -> 100%/100%, tuned on, so no longer a held-out figure); CPython Modules/ stayed near
# 1.1 findings per 1,000 lines.
# Then two more held-out batches, labelled while those rounds ran and scored on their result:
# session4 (25 files) C 39/86 = 45% / 93%, Python 17/63 = 27% / 78%; session5 (26 files) C
# 0/33 = 0%, Python 6/48 = 12% / 75%. The tuning did not carry over to code written another way
# (per-instance state in C types, C++ binding headers, Cython utility code), and over all
# files that leaves the floors below; they are what the rules do today, not the target.
# py-rules-5 then worked the session4-python misses (snapshots and double reads
# on shared instances, client/pool classes, helpers handed a container, sys.modules
# iteration, globally bound tables, module-instance check-then-use, class-kept singletons;
# Cython flags, buffer exports, pointers into module buffers, weak-container iteration) took
# session4-python to 56/63 = 89% at 92% (tuned on, so no longer held out).
# On session5-python, which no round saw, py-rules-5 took recall from 6/48 = 12% to 16/48 = 33%
# (precision 78%): what generalises is well short of what the tuned batches show.
# c-rules-5 worked the session4-c misses (zope.interface, mypyc lib-rt, multidict, bitarray,
# mmh3, simplejson): it
# added FTC025 (fields of objects the file shows are shared: read-modify-write, torn reads,
# a size snapshot acted on later), FTC026 (an instance container as per-call scratch), FTC027
# (attribute setter swaps), FTC028 (find-then-mutate of a caller's list), FTC029 (a list's size
# checked, then fixed items read unchecked) and objects cast from PyObject * parameters for
# FTC017: session4-c 79/86 = 92% / 99%, all C files 189/209 = 90% / 97% (tuned on session4-c,
# so no longer a held-out figure); CPython Modules/ C went from 1.06 to 1.08 findings per
# 1,000 lines.
# session5-c, which no round saw (nanobind, pybind11 and protobuf C++, Cython's utility C),
# still scores 0/33 after c-rules-5: C++ binding internals are a kind the rules do not read yet.
# Session 6: judging a random 40 of CPython Modules/ findings (27 real, 7 benign, 6 false)
# removed false alarms of FTC017 (helpers that lock), FTC003 (tables built once and only
# read; lists a helper only makes) and FTC002 (system queries); FTP008 learnt two containers
# of a shared instance changed in turn and `key in self` check-then-act (session5-python
# 16/48 -> 23/48, so that batch is now tuned on too). A sixth held-out batch (27 files,
# 21 new projects), labelled while that ran and scored once on the result: session6-c
# 33/82 = 40% / 100%, session6-python 17/63 = 27% / 100%. Over all files that gives the
# floors below: still far from the 90% the issue asks on unseen code.
# Session 7: the C rules learnt module state behind a file's own getter and free lists pushed
# from tp_dealloc, an unlocked test acted on under a lock (FTC030), setter methods and
# Py_XSETREF swaps, C++ singletons filled on first use (FTC031), module attributes set after a
# miss and the read of a static libc result; py-rules-7 added class-state check-then-act
# (FTP011) and locked state used unlocked (FTP012). session6 went to C 63/82 and Python 44/63
# (now tuned on). A seventh held-out batch (28 files, 19 new projects), labelled blind while
# that ran and scored once on the result: session7-c 30/72 = 42% / 91%, session7-python
# 33/66 = 50% / 72%. Then more C (busy-flag test-and-set, lazy fills through a pointer to
# the field) and py-rules-8 on the session7-python misses (46/66 at 98%, now tuned on), and an
# eighth held-out batch (24 files, 15 new projects), scored once on the result: session8-c
# 27/47 = 57% / 100%, session8-python 14/53 = 26% / 80%. Over all files that gives the floors
# below. The tenth held-out batch (session10: 51 files, 29 new projects) scored once before
# tuning: C 60/134 = 45% / 73%, Python 9/99 = 9% / 62%; the floors follow it down.
# Session 11's held-out batch (42 files, 29 new projects) scored once before tuning:
# C 42/130 = 32% / 67%, Python 30/117 = 26% / 90% (one dnspython file dropped: Python 2).
FLOORS = {"c": (0.61, 0.88), "python": (0.58, 0.87)}


def test_corpus_is_labelled_real_code():
    entries = load_manifest()
    assert 45 <= len(entries) <= 400
    for entry in entries:
        assert entry["labels"], entry["file"]
        assert len(entry["parent"]) == 40 and len(entry["fixing_commit"]) == 40
        lines = (Path(__file__).resolve().parent / "corpus" / entry["file"]).read_text().splitlines()
        assert all(1 <= label["line"] <= len(lines) for label in entry["labels"])
        assert entry["group"] in FLOORS, entry["file"]


def test_corpus_recall_and_precision_hold():
    scores = score_corpus()
    for group, (recall_floor, precision_floor) in FLOORS.items():
        score = scores[group]
        print(
            f"{group}: recall {score.found}/{score.labels} = {score.recall:.0%}, "
            f"precision {score.true_findings}/{score.judged_findings} = {score.precision:.0%}"
        )
        assert score.recall >= recall_floor, score.missed
        assert score.precision >= precision_floor, score.false_alarms
