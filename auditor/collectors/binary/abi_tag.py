"""The ABI an extension module was built for, read from its file name, and whether a target loads it.

CPython's importer looks for extension modules by suffix, in the order of
``_PyImport_DynLoadFiletab`` (Python/dynload_shlib.c, 3.13): ``.<SOABI>.so``, then
``.abi3.so``, then a bare ``.so``. On the free-threaded build the SOABI is
``cpython-313t-<triplet>`` and the list still contains ``.abi3.so`` (3.13.5 keeps it
unconditionally), so the importer *finds* a stable-ABI binary. It cannot work, though:
the stable ABI is the GIL build's object layout (``ob_refcnt`` first, 16-byte header),
the free-threaded header is 32 bytes (``ob_tid``, ``ob_ref_local``, ``ob_ref_shared``),
and ``Python.h`` refuses ``Py_LIMITED_API`` together with ``Py_GIL_DISABLED``
(gh-111506). So an ``abi3`` file on ``3.13t`` / ``3.14t`` counts as "cannot load":
installers never pick such wheels for free-threaded targets either (PEP 703; the
free-threaded stable ABI ``abi3t`` of PEP 803 is for later releases).

3.15 changes the list (PEP 803, Python/dynload_shlib.c): a free-threaded 3.15 importer
tries ``.<SOABI>.so``, ``.abi3t.so`` and ``.so`` and no longer ``.abi3.so``; a GIL 3.15
one tries ``.abi3t.so`` as well, since abi3t 3.15 is compatible with abi3 3.15. So an
``abi3t`` binary loads on every 3.15+ build and on no 3.13 or 3.14 one, which never look
for that suffix. It is compiled with ``Py_LIMITED_API`` >= 3.15, so its slot ids are the
3.15 ones.

A bare ``foo.so`` is tried by every CPython; its file name says nothing about the ABI,
so :func:`abi_from_imported_symbols` decides from what the binary imports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .target import Target

# ".cpython-313t-x86_64-linux-gnu.so", ".cpython-311-darwin.so", ".cpython-313td-..." (debug)
_CPYTHON_SUFFIX = re.compile(
    r"\.cpython-(?P<major>\d)(?P<minor>\d+)(?P<flags>[a-z]*)(?:-(?P<platform>[A-Za-z0-9_.-]+?))?\.so$"
)
_ABI3_SUFFIX = re.compile(r"\.abi3\.so$")
_ABI3T_SUFFIX = re.compile(r"\.abi3t\.so$")
ABI3T_FIRST_RELEASE = (3, 15)
# Windows names (PC/config.c ``_PyImport_DynLoadFiletab``): "foo.cp313t-win_amd64.pyd"
# first, then a bare "foo.pyd" (what stable-ABI modules are called there: the DLL they
# link, python3.dll or python3t.dll, says which stable ABI). Never loadable by a Linux CPython.
_WINDOWS_SUFFIX = re.compile(
    r"(?:\.cp(?P<major>\d)(?P<minor>\d+)(?P<flags>t?)-(?P<platform>[A-Za-z0-9_]+))?\.pyd$"
)
# The CPython runtime DLL a Windows module links (PCbuild: python3XY[t].dll, and the
# stable-ABI forwarders python3.dll / python3t.dll).
_PYTHON_DLL = re.compile(r"^python(?P<major>3)(?P<minor>\d*)(?P<flags>t?)(?:_d)?\.dll$", re.IGNORECASE)


@dataclass(frozen=True)
class AbiTag:
    """What a file name tells about the ABI of an extension module."""

    tag: str  # "cp313t", "cp313", "abi3", "abi3t", "unknown" (bare .so), "windows"
    free_threaded: bool | None  # None: the name does not say
    suffix: str  # the matched suffix, stripped to get the module name
    platform: str | None = None  # "x86_64-linux-gnu"
    debug: bool = False
    # The CPython release whose headers built it: (3, 15) for cp315t, the first possible
    # one for abi3t; None when the name does not say (bare .so, abi3).
    release: tuple[int, int] | None = None

    @property
    def interpreter_abi(self) -> str:
        """The ABI as CPython names it: ``cp314t`` for a ``.cp314t-win_amd64.pyd`` too."""
        if self.tag == "windows" and self.release is not None:
            return f"cp{self.release[0]}{self.release[1]}{'t' if self.free_threaded else ''}"
        return self.tag


def module_name_from_filename(filename: str) -> str:
    """``foo.cpython-313t-x86_64-linux-gnu.so`` -> ``foo`` (the part PyInit_<name> uses)."""
    return filename.split(".", 1)[0]


def parse_abi_tag(filename: str) -> AbiTag:
    """Read the ABI tag from an extension module's file name."""
    match = _CPYTHON_SUFFIX.search(filename)
    if match:
        flags = match["flags"]
        return AbiTag(
            tag=f"cp{match['major']}{match['minor']}{'t' if 't' in flags else ''}",
            free_threaded="t" in flags,
            suffix=match.group(0),
            platform=match["platform"],
            debug="d" in flags,
            release=(int(match["major"]), int(match["minor"])),
        )
    match = _ABI3T_SUFFIX.search(filename)
    if match:
        # PEP 803: the stable ABI of the free-threaded build (loads on GIL 3.15+ too).
        return AbiTag(tag="abi3t", free_threaded=True, suffix=match.group(0), release=ABI3T_FIRST_RELEASE)
    match = _ABI3_SUFFIX.search(filename)
    if match:
        # The limited API is refused by free-threaded headers, so abi3 is a GIL build.
        return AbiTag(tag="abi3", free_threaded=False, suffix=match.group(0))
    match = _WINDOWS_SUFFIX.search(filename)
    if match:
        if match["major"] is None:
            return AbiTag(tag="windows", free_threaded=None, suffix=match.group(0))
        return AbiTag(
            tag="windows",
            free_threaded=bool(match["flags"]),
            suffix=match.group(0),
            platform=match["platform"],
            release=(int(match["major"]), int(match["minor"])),
        )
    if filename.endswith(".so"):
        return AbiTag(tag="unknown", free_threaded=None, suffix=".so")
    return AbiTag(tag="unknown", free_threaded=None, suffix="")


def abi_from_python_dll(libraries: list[str]) -> AbiTag | None:
    """The ABI a Windows module was built for, from the CPython DLL it imports from.

    ``python314t.dll``: the free-threaded 3.14 runtime (its ``Py_GIL_DISABLED`` build is
    the only one with the ``t`` name); ``python314.dll``: the GIL one; ``python3.dll``:
    the stable ABI (abi3, a GIL ABI); ``python3t.dll``: abi3t (PEP 803, 3.15+).
    """
    for library in libraries:
        match = _PYTHON_DLL.match(library.rsplit("/", 1)[-1].rsplit("\\", 1)[-1])
        if not match:
            continue
        free_threaded = bool(match["flags"])
        if not match["minor"]:
            if free_threaded:
                return AbiTag("abi3t", True, library, release=ABI3T_FIRST_RELEASE)
            return AbiTag("abi3", False, library)
        release = (int(match["major"]), int(match["minor"]))
        return AbiTag("windows", free_threaded, library, release=release)
    return None


@dataclass(frozen=True)
class TargetPlatform:
    """The platform a scan judges loadability for, from a wheel platform tag.

    ``system`` is the loader's system ("linux", "darwin", "windows"); ``machine`` the CPU
    ("x86_64", "aarch64"), None when any will do (``universal2``).
    """

    tag: str
    system: str
    machine: str | None

    @classmethod
    def parse(cls, tag: str) -> TargetPlatform:
        text = tag.strip()
        machine_names = {"x86_64": "x86_64", "amd64": "x86_64", "arm64": "aarch64", "aarch64": "aarch64"}
        if text.startswith("macosx_"):
            if text.endswith(("_universal2", "_universal")):
                return cls(text, "darwin", None)
            for arch, machine in machine_names.items():
                if text.endswith("_" + arch):
                    return cls(text, "darwin", machine)
        elif text in ("win_amd64", "win_arm64"):
            return cls(text, "windows", machine_names[text[4:]])
        elif text.startswith(("manylinux", "musllinux", "linux_")):
            for arch in ("x86_64", "aarch64"):
                if text.endswith("_" + arch):
                    return cls(text, "linux", arch)
        raise ValueError(
            f"platform {tag!r} is not a 64-bit wheel platform tag ftaudit reads (e.g. manylinux_2_28_x86_64, "
            "macosx_11_0_arm64, macosx_10_15_universal2, win_amd64, win_arm64)"
        )


_SYSTEM_NAMES = {"linux": "Linux (ELF)", "darwin": "macOS (Mach-O)", "windows": "Windows (PE)"}


@dataclass(frozen=True)
class Loadability:
    loadable: bool | None  # None: cannot tell from what we know
    reason: str


def _platform_loadability(
    abi: AbiTag,
    platform: TargetPlatform | None,
    host_platform: str | None,
    binary_system: str | None,
    binary_machines: tuple[str, ...],
) -> tuple[Loadability | None, AbiTag]:
    """A refusal when the file cannot load where it is judged (None: go on), and the ABI
    tag to judge on (a Windows ``.pyd``'s release comes from the DLL it imports)."""
    if platform is not None:
        mismatch = _platform_mismatch(abi, platform, binary_system, binary_machines)
        if mismatch:
            return Loadability(False, mismatch), abi
        if abi.tag == "windows":
            if abi.release is None:
                return Loadability(
                    None, "bare .pyd name: its ABI could not be told from the CPython DLL it imports"
                ), abi
            abi = AbiTag(abi.interpreter_abi, abi.free_threaded, abi.suffix, release=abi.release)
    else:
        if abi.tag == "windows" or binary_system == "windows":
            return Loadability(False, "a Windows .pyd binary; CPython on Linux only imports .so files"), abi
        if binary_system == "darwin":
            return Loadability(False, "a macOS (Mach-O) binary; CPython on Linux imports ELF files only"), abi
        if abi.platform and host_platform and abi.platform != host_platform:
            return Loadability(False, f"built for platform {abi.platform}, not {host_platform}"), abi
    return None, abi


def _stable_abi_loadability(abi: AbiTag, target: Target) -> Loadability:
    """abi3t (PEP 803) and abi3 (PEP 384): which releases and builds import them."""
    if abi.tag == "abi3t":
        if target.release < ABI3T_FIRST_RELEASE:
            return Loadability(
                False,
                f"abi3t (PEP 803) starts with CPython 3.15; the {target} importer does not look for"
                " .abi3t.so",
            )
        return Loadability(
            True, f"abi3t (PEP 803) binaries load on every CPython 3.15+ build, {target} included"
        )
    # abi3 (PEP 384)
    if target.free_threaded and target.release >= ABI3T_FIRST_RELEASE:
        return Loadability(
            False,
            f"abi3 is the GIL stable ABI; the free-threaded {target} importer does not even look for "
            ".abi3.so (PEP 803: free-threaded builds load abi3t)",
        )
    if target.free_threaded:
        return Loadability(
            False,
            f"abi3 (stable ABI) is the GIL ABI; the free-threaded {target} "
            "does not support the limited API (gh-111506, PEP 703)",
        )
    return Loadability(
        True, f"abi3 binaries load on every GIL CPython since their minimum version (assumed <= {target})"
    )


def loadability(
    abi: AbiTag,
    target: Target | str,
    *,
    symbol_abi_free_threaded: bool | None = None,
    host_platform: str | None = None,
    platform: TargetPlatform | None = None,
    binary_system: str | None = None,
    binary_machines: tuple[str, ...] = (),
) -> Loadability:
    """Whether ``target`` can import a module with this ABI tag, and why.

    ``symbol_abi_free_threaded`` is what the binary's imports say (see
    :func:`abi_from_imported_symbols`); it decides bare ``.so`` files. Without
    ``platform`` the question is whether this host's CPython (``host_platform``, Linux)
    imports it; with one, whether CPython on that platform does: a Windows folder judged
    for ``win_amd64`` is read as Windows would read it. ``binary_system`` and
    ``binary_machines`` are what the file's format and header say (``"darwin"``,
    ``("x86_64", "aarch64")`` for a universal binary).
    """
    if isinstance(target, str):
        target = Target.parse(target)
    refusal, abi = _platform_loadability(abi, platform, host_platform, binary_system, binary_machines)
    if refusal is not None:
        return refusal
    if abi.tag in ("abi3t", "abi3"):
        return _stable_abi_loadability(abi, target)
    if abi.tag.startswith("cp"):
        if abi.tag == target.abi_tag:
            return Loadability(True, f"built for {abi.tag}, the target's ABI")
        return Loadability(
            False,
            f"built for {abi.tag}; {target} imports only .cpython-"
            f"{target.major}{target.minor}{'t' if target.free_threaded else ''}-*.so "
            "besides abi3 and bare .so names",
        )
    # Bare ".so": every CPython's importer tries it; the ABI must come from the binary.
    if symbol_abi_free_threaded is None:
        return Loadability(
            None, "bare .so name: any CPython imports it, its ABI could not be told from its imported symbols"
        )
    if symbol_abi_free_threaded == target.free_threaded:
        kind = "free-threaded" if target.free_threaded else "GIL"
        return Loadability(True, f"bare .so name whose imported symbols show the {kind} ABI")
    built = "free-threaded" if symbol_abi_free_threaded else "GIL"
    return Loadability(False, f"bare .so name whose imported symbols show the {built} ABI, not {target}'s")


def _platform_mismatch(
    abi: AbiTag, platform: TargetPlatform, binary_system: str | None, binary_machines: tuple[str, ...]
) -> str | None:
    if binary_system and binary_system != platform.system:
        return (
            f"a {_SYSTEM_NAMES.get(binary_system, binary_system)} binary; CPython on {platform.tag} "
            f"imports {_SYSTEM_NAMES[platform.system]} ones"
        )
    if abi.tag == "windows" and platform.system != "windows":
        return f"a Windows .pyd binary; CPython on {platform.tag} does not import .pyd files"
    if platform.machine and binary_machines and platform.machine not in binary_machines:
        return f"built for {', '.join(binary_machines)}, not for the {platform.machine} of {platform.tag}"
    name_platform = abi.platform or ""
    if platform.system == "linux" and name_platform and not name_platform.startswith(platform.machine or ""):
        return f"built for platform {name_platform}, not {platform.tag}"
    if platform.system == "darwin" and name_platform and name_platform != "darwin":
        return f"named for platform {name_platform}, not macOS"
    if platform.system == "windows" and name_platform:
        wanted = {"x86_64": "win_amd64", "aarch64": "win_arm64"}.get(platform.machine or "", "")
        if name_platform != wanted:
            return f"named for {name_platform}, not {platform.tag}"
    return None


# Symbols only a free-threaded build's inline Py_DECREF / Py_INCREF reference
# (Include/object.h, 3.13, under Py_GIL_DISABLED): the local/shared refcount split.
FREE_THREADED_ONLY_SYMBOLS = frozenset(
    {
        "_Py_MergeZeroLocalRefcount",
        "_Py_DecRefShared",
        "_Py_DecRefSharedDebug",
    }
)
# The GIL build's inline Py_DECREF calls _Py_Dealloc when ob_refcnt reaches zero; the
# free-threaded one never does (it goes through _Py_MergeZeroLocalRefcount).
GIL_ONLY_SYMBOLS = frozenset({"_Py_Dealloc"})


def abi_from_imported_symbols(imported: set[str] | frozenset[str]) -> tuple[bool | None, str]:
    """Decide free-threaded vs GIL ABI from the undefined dynamic symbols, with the reason."""
    free_threaded_hits = sorted(imported & FREE_THREADED_ONLY_SYMBOLS)
    gil_hits = sorted(imported & GIL_ONLY_SYMBOLS)
    if free_threaded_hits:
        # A GIL libpython does not export these at all, so a GIL binary cannot import them.
        return True, f"imports {', '.join(free_threaded_hits)} (free-threaded Py_DECREF, Include/object.h)"
    if gil_hits:
        return False, "imports _Py_Dealloc (the GIL build's inline Py_DECREF, Include/object.h)"
    if imported & {"_Py_DecRef", "Py_DecRef", "_Py_IncRef", "Py_IncRef"}:
        return None, "uses only out-of-line Py_IncRef/Py_DecRef (limited API style): ABI not visible"
    return None, "no refcounting symbols imported"


# The free-threaded releases whose loading rules and slot ids ftaudit knows
# (:mod:`.cpython_slots`). Only 3.13t can be built on this project's machines, so the
# probe and the harness run there; 3.14t and 3.15t are judged from the binaries alone.
KNOWN_FREE_THREADED_TARGETS = ("3.13t", "3.14t", "3.15t")
NEWEST_FREE_THREADED_TARGET = KNOWN_FREE_THREADED_TARGETS[-1]
RUNTIME_CHECKED_TARGETS = frozenset({"3.13t"})


def default_target(version: str | None, free_threaded: bool | None, label: str = "") -> tuple[str, str]:
    """The target to judge for when none is given, and the sentence that says why.

    A free-threaded interpreter is judged for its own release; anything else for the
    newest free-threaded release ftaudit knows, which is what a team moving today targets.
    """
    if version and free_threaded:
        major, minor = version.split(".")[:2]
        own = f"{major}.{minor}t"
        if own in KNOWN_FREE_THREADED_TARGETS:
            return own, f"{own}: the scanned interpreter's own release"
    why = (
        f"the scanned interpreter, {label or 'CPython ' + version}, is not a free-threaded one"
        if version
        else "no interpreter was scanned, only site-packages folders"
    )
    return NEWEST_FREE_THREADED_TARGET, (
        f"{NEWEST_FREE_THREADED_TARGET}: the newest free-threaded release ftaudit knows ({why})"
    )


def static_only_note(target: str) -> str:
    """Said wherever a target is judged without an interpreter of that release to run."""
    if target in RUNTIME_CHECKED_TARGETS or not target.endswith("t"):
        return ""
    return (
        f"{target} is judged statically, from the binaries: no {target} interpreter can be built on "
        "this machine, so the import probe and the harness run on 3.13t"
    )
