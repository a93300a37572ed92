"""Results of the static scan (and the runtime probe) of an installed environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from .finding import Finding
from .interpreter import InterpreterInfo


class GilDeclaration(str, Enum):
    """What an extension module's binary says about the GIL.

    ``USED`` covers both "declared Py_MOD_GIL_USED" and "never declared": CPython treats
    a missing ``Py_mod_gil`` slot as ``Py_MOD_GIL_USED`` (Objects/moduleobject.c), so both
    re-enable the GIL at import. ``ExtensionModule.gil_declared_by`` tells them apart.
    """

    NOT_USED = "not-used"
    USED = "used"
    UNKNOWN = "unknown"


class GilDeclaredBy(str, Enum):
    SLOT = "slot"  # a Py_mod_gil entry in a PyModuleDef_Slot array
    SET_GIL_CALL = "set-gil-call"  # PyUnstable_Module_SetGIL(module, value)
    # cffi's _cffi_backend creates the module and declares Py_MOD_GIL_NOT_USED for it
    # (cffi 2.0+ on a free-threaded interpreter): true only with such a cffi installed.
    CFFI_BACKEND = "cffi-backend"
    NEVER = "never"  # no declaration at all: the default, GIL used
    NOT_APPLICABLE = "not-applicable"  # GIL-only build: the slot cannot matter
    UNDETERMINED = "undetermined"


class RuntimeGil(str, Enum):
    """What the probe saw after importing the module alone in a fresh interpreter."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    IMPORT_ERROR = "import-error"
    CRASH = "crash"
    TIMEOUT = "timeout"


class Verdict(str, Enum):
    READY = "ready"  # loads on the target and every extension declares Py_MOD_GIL_NOT_USED
    GIL_FALLBACK = "gil-fallback"  # loads, but importing it re-enables the GIL
    NEEDS_BUILD = "needs-build"  # ships no binary the target can load
    PURE = "pure"  # no extension modules
    UNKNOWN = "unknown"  # a binary could not be read or decided


@dataclass
class RiskySymbol:
    """An imported C-API or libc function that is unsafe or fragile without the GIL."""

    name: str
    rule: str
    replacement: str


@dataclass
class ExtensionModule:
    path: str  # relative to its site-packages folder, POSIX separators
    module: str  # dotted import name
    abi: str  # "cp313t", "cp313", "abi3", "cp311", "unknown" (from the file name)
    abi_free_threaded: bool | None  # built for a free-threaded ABI (None: cannot tell)
    loadable_on_target: bool | None
    gil: GilDeclaration = GilDeclaration.UNKNOWN
    gil_declared_by: GilDeclaredBy = GilDeclaredBy.UNDETERMINED
    gil_evidence: str = ""
    # "multi-phase" | "single-phase" | "export-hook" | "unknown"; "none": a readable shared
    # library exporting neither PyInit_<name> nor PyModExport_<name> (loaded with ctypes or
    # cffi, never imported), which the verdicts leave out.
    init_style: str = "unknown"
    generator: str | None = None  # hand-written, Cython, pybind11, nanobind, PyO3, f2py, mypyc, cffi
    risky_symbols: list[RiskySymbol] = field(default_factory=list)
    runtime_gil: RuntimeGil | None = None
    runtime_warning: str | None = None
    runtime_detail: str | None = None
    # True when the static verdict predicts what the probe saw; None when not probed.
    agrees_with_runtime: bool | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class Distribution:
    name: str
    version: str
    site_packages: str
    metadata_path: str  # the .dist-info / .egg-info folder
    extensions: list[ExtensionModule] = field(default_factory=list)
    free_threading_classifier: str | None = None  # "Programming Language :: Python :: Free Threading :: ..."
    wheel_tags: list[str] = field(default_factory=list)  # from WHEEL, as installed
    python_files: list[str] = field(default_factory=list)  # relative paths, for source checks
    verdict: Verdict = Verdict.UNKNOWN
    reason: str = ""
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Where the listing came from: "dist-info", "egg-info", or "unowned" for the
    # pseudo-distribution holding extension modules that no RECORD lists.
    metadata_kind: str = "dist-info"
    installer: str | None = None  # INSTALLER ("pip", "uv", ...)
    top_level: list[str] = field(default_factory=list)  # top_level.txt, when present
    # Shared libraries that are not Python modules (no PyInit_<name>, or vendored under
    # *.libs/): loaded through ctypes/cffi or by the extensions. Not judged, but named.
    native_libraries: list[str] = field(default_factory=list)
    # Builds of a module for other interpreters, beside the file the target imports (pymongo
    # ships one per CPython): the target never opens them. Not judged, but named.
    other_interpreter_files: list[str] = field(default_factory=list)


@dataclass
class ScanResult:
    target: str  # "3.13t"
    site_packages: list[str]
    distributions: list[Distribution] = field(default_factory=list)
    # Why this target: given, or the default (the interpreter's own free-threaded release,
    # else the newest one known); and a note when it is judged from the binaries alone.
    target_reason: str = ""
    target_note: str = ""
    interpreter: InterpreterInfo | None = None
    # Items that could not be read at all (not tied to one distribution), as messages.
    errors: list[str] = field(default_factory=list)
    partial: bool = False  # some requested work was not done; errors say what
    probed_with: str | None = None  # the interpreter the probe used, if any
    duration_seconds: float = 0.0
    extensions_from_cache: int = 0  # extension analyses reused from the scan cache
