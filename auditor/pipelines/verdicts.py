"""The verdict of one scanned distribution, from what its extension modules' binaries say.

Verdicts, per distribution, first match wins:

``needs-build``
    at least one extension module cannot load on the target (built for another ABI:
    ``cpython-313-…`` or ``abi3`` on ``3.13t``, a Windows ``.pyd``…): the target needs
    a binary that this installation does not have.
``gil-fallback``
    every module loads, but at least one re-enables the GIL at import: it declares
    ``Py_MOD_GIL_USED`` or never declares ``Py_mod_gil`` at all (CPython treats both
    the same, Objects/moduleobject.c). The reason names the modules and which case.
``unknown``
    some module could not be read or decided (truncated or non-ELF file, dangling link,
    a bare ``.so`` whose ABI cannot be told, a slot built by code we cannot follow).
``ready``
    every extension module loads on the target and declares ``Py_MOD_GIL_NOT_USED``.
``pure``
    no extension modules: nothing that could re-enable the GIL (the "Free Threading"
    trove classifier, when present, is shown beside the verdict).
"""

from __future__ import annotations

from ..collectors.binary.facts import native_libraries_note
from ..collectors.binary.import_order import other_interpreters_note
from ..model.environment import Distribution, ExtensionModule, GilDeclaration, GilDeclaredBy, Verdict

# How many module names a reason lists before "…".
NAMES_IN_REASON = 5


def module_names(extensions: list[ExtensionModule]) -> str:
    shown = ", ".join(extension.module for extension in extensions[:NAMES_IN_REASON])
    return shown + (", …" if len(extensions) > NAMES_IN_REASON else "")


def judge_distribution(distribution: Distribution, target_free_threaded: bool = True) -> tuple[Verdict, str]:
    """The verdict and its reason for one distribution (rules in the module docstring)."""
    verdict, reason = _judge_extensions(distribution, target_free_threaded)
    if distribution.extensions and distribution.native_libraries:
        reason += f"; {native_libraries_note(distribution.native_libraries)}"
    if distribution.other_interpreter_files:
        reason += f"; {other_interpreters_note(distribution.other_interpreter_files)}"
    return verdict, reason


def _judge_extensions(distribution: Distribution, target_free_threaded: bool) -> tuple[Verdict, str]:
    extensions = distribution.extensions
    count = len(extensions)
    if count == 0:
        reason = "no extension modules: pure Python"
        if distribution.native_libraries:
            # capstone, for one, ships libcapstone.so and loads it with ctypes: no GIL
            # slot to read, but native code all the same, which the reader should know.
            reason = (
                f"no extension modules; bundles {len(distribution.native_libraries)} native "
                f"librar{'y' if len(distribution.native_libraries) == 1 else 'ies'} loaded without the "
                f"C-API ({distribution.native_libraries[0]}), whose thread safety is not checked"
            )
        if distribution.free_threading_classifier:
            reason += f" (declares {distribution.free_threading_classifier.rsplit('::', 1)[-1].strip()})"
        return Verdict.PURE, reason
    cannot_load = [e for e in extensions if e.loadable_on_target is False]
    if cannot_load:
        abis = sorted({e.abi for e in cannot_load})
        return Verdict.NEEDS_BUILD, (
            f"{len(cannot_load)} of {count} extension modules cannot load on the target"
            f" (built for {', '.join(abis)}): {module_names(cannot_load)}"
        )
    undecided = [
        e
        for e in extensions
        if e.errors
        or e.loadable_on_target is None
        or (target_free_threaded and e.gil is GilDeclaration.UNKNOWN)
    ]
    undecided_ids = {id(e) for e in undecided}
    if target_free_threaded:
        gil_users = [e for e in extensions if e.gil is GilDeclaration.USED and id(e) not in undecided_ids]
        if gil_users:
            never = [e for e in gil_users if e.gil_declared_by is GilDeclaredBy.NEVER]
            declared = [e for e in gil_users if e.gil_declared_by is not GilDeclaredBy.NEVER]
            parts = []
            if never:
                parts.append(
                    f"{len(never)} of {count} extension modules never declare Py_mod_gil:"
                    f" {module_names(never)}"
                )
            if declared:
                parts.append(f"{len(declared)} of {count} declare Py_MOD_GIL_USED: {module_names(declared)}")
            if undecided:
                parts.append(f"{len(undecided)} could not be decided: {module_names(undecided)}")
            return Verdict.GIL_FALLBACK, "; ".join(parts)
    if undecided:
        first_problem = next((e.errors[0] for e in undecided if e.errors), None)
        reason = (
            f"{len(undecided)} of {count} extension modules could not be decided: {module_names(undecided)}"
        )
        if first_problem:
            reason += f" ({first_problem})"
        return Verdict.UNKNOWN, reason
    if not target_free_threaded:
        return Verdict.READY, f"all {count} extension modules load on the target"
    return Verdict.READY, f"all {count} extension modules load on the target and declare Py_MOD_GIL_NOT_USED"
