"""Reading extension binaries without importing them.

:func:`read_extension` is the one entry point the scan uses: file name -> ABI tag and
loadability (:mod:`.abi_tag`), the binary (ELF, Mach-O or PE behind one interface:
:mod:`.image`, :mod:`.formats`) -> imported symbols, generator, GIL declaration
(:mod:`.generators`, :mod:`.gil_declaration`), risky imports (:mod:`.risky_symbols`), and
whatever else the rules need (:mod:`.facts`). Findings are not made here: the FTB rules
(:mod:`auditor.rules.binary`) judge these facts, run by :mod:`auditor.engine.binary_checks`.
"""

from __future__ import annotations

import hashlib
import sysconfig
from pathlib import Path, PurePosixPath

from ... import __version__
from ...model.environment import ExtensionModule, GilDeclaration, GilDeclaredBy, RiskySymbol
from .abi_tag import (
    AbiTag,
    TargetPlatform,
    abi_from_imported_symbols,
    abi_from_python_dll,
    loadability,
    module_name_from_filename,
    parse_abi_tag,
)
from .cpython_slots import export_hook_name
from .elf import ElfReadError
from .facts import BinaryFacts
from .formats import open_image
from .generators import recognise_generator
from .gil_declaration import init_function_name, null_init_evidence, read_gil_declaration
from .image import BinaryImage, BinaryReadError
from .macho import MachOImage
from .risky_symbols import risky_imports
from .target import Target

__all__ = [
    "BinaryReadError",
    "ElfReadError",
    "BinaryFacts",
    "analyser_fingerprint",
    "dotted_module_name",
    "read_extension",
]


def analyser_fingerprint() -> str:
    """A hash of the binary analyser's source: caches of its answers are keyed by it, so a
    changed reader (a new release's slot ids) or a changed rule never serves an old verdict."""
    package_root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256(__version__.encode())
    sources = [
        *sorted((package_root / "collectors" / "binary").rglob("*.py")),
        *sorted((package_root / "rules" / "binary").rglob("*.py")),
        package_root / "engine" / "binary_checks.py",
    ]
    for source in sources:
        if source.is_file():
            digest.update(source.relative_to(package_root).as_posix().encode())
            digest.update(source.read_bytes())
    return digest.hexdigest()[:20]


def _host_platform() -> str | None:
    """The platform triplet of the host's extension suffix (e.g. ``x86_64-linux-gnu``)."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ""
    return parse_abi_tag("x" + suffix).platform


_HOST_PLATFORM = _host_platform()


def dotted_module_name(path: Path, site_packages: Path) -> tuple[str, str]:
    """(path relative to site-packages with POSIX separators, dotted import name)."""
    try:
        relative = PurePosixPath(Path(path).relative_to(site_packages).as_posix())
    except ValueError:
        relative = PurePosixPath(Path(path).name)
    leaf = module_name_from_filename(relative.name)
    return relative.as_posix(), ".".join([*relative.parent.parts, leaf]) if relative.parent.parts else leaf


def read_extension(
    path: Path,
    site_packages: Path,
    target: str = "3.13t",
    *,
    platform: str | None = None,
) -> BinaryFacts:
    """Read one extension module for ``target``; never raises for bad input.

    ``platform`` is a wheel platform tag (``macosx_11_0_arm64``, ``win_amd64``,
    ``manylinux_2_28_x86_64``): loadability is judged for CPython there. Without it, for
    this host's CPython, which imports no macOS or Windows binary; their declarations are
    read and reported either way.

    Problems with the file (not a binary, truncated, unreadable, a symlink loop, no init
    function) go into ``ExtensionModule.errors`` and leave ``gil`` at ``unknown``. The
    findings that follow from the facts are the FTB rules' (:mod:`auditor.engine.binary_checks`).
    """
    path = Path(path)
    relative, dotted = dotted_module_name(path, Path(site_packages))
    abi = parse_abi_tag(path.name)
    extension = ExtensionModule(
        path=relative,
        module=dotted,
        abi=abi.interpreter_abi,
        abi_free_threaded=abi.free_threaded,
        loadable_on_target=None,
    )
    facts = BinaryFacts(extension)
    try:
        facts.target = Target.parse(target)
        parsed_platform = TargetPlatform.parse(platform) if platform else None
    except ValueError as error:
        facts.target = None
        extension.errors.append(str(error))
        return facts

    architecture = parsed_platform.machine if parsed_platform and parsed_platform.system == "darwin" else None
    try:
        image = open_image(path, architecture=architecture)
    except BinaryReadError as error:
        extension.errors.append(str(error).replace(str(path), relative, 1))
        extension.loadable_on_target = (
            loadability(abi, facts.target, host_platform=_HOST_PLATFORM, platform=parsed_platform).loadable
            if abi.tag != "unknown"
            else None
        )
        return facts
    try:
        with image:
            _read_binary(image, facts, abi, parsed_platform)
    except Exception as error:  # noqa: BLE001 - a mangled binary must not stop a scan of hundreds
        extension.errors.append(f"{relative}: could not be read completely ({type(error).__name__}: {error})")
        extension.gil = GilDeclaration.UNKNOWN
        extension.gil_declared_by = GilDeclaredBy.UNDETERMINED
    return facts


def _read_binary(
    image: BinaryImage, facts: BinaryFacts, abi: AbiTag, platform: TargetPlatform | None
) -> None:
    extension, target = facts.extension, facts.target
    leaf = extension.module.rsplit(".", 1)[-1]
    facts.init_function = init_function_name(leaf)
    facts.export_hook = export_hook_name(leaf)

    def exports(name: str) -> bool:
        return image.may_have_dynamic_symbol(name) and name in image.symbols

    facts.exports_module_init = exports(facts.init_function) or exports(facts.export_hook)
    if not facts.exports_module_init:
        # A bundled shared library (numpy.libs/libopenblas...), not an extension module:
        # nothing to declare, and its imports are not a module's.
        extension.errors.append(
            f"{extension.path}: exports no {facts.init_function} (nor a PEP 793 {facts.export_hook}): not an "
            f"extension module named {leaf!r} (a bundled shared library, or a renamed file?)"
        )
        extension.loadable_on_target = None
        extension.init_style = "none"  # what the scan and wheel inspection leave unjudged
        return
    null_init = None if exports(facts.export_hook) else null_init_evidence(image, facts.init_function)
    if null_init is not None:
        # pycryptodome's Windows _raw_*.pyd: a PyInit that returns NULL, for the linker only.
        facts.init_returns_null = True
        extension.gil_evidence = null_init
        extension.loadable_on_target = None
        extension.init_style = "none"
        return
    if image.file_format == "PE":
        abi = _abi_of_windows_module(image, abi, extension)
    imported = image.imported_symbols
    symbol_free_threaded, symbol_reason = abi_from_imported_symbols(imported)
    generator = facts.generator = recognise_generator(image)
    extension.generator = generator.name
    # The name's ABI unless the imports say otherwise; the init code may still tell (below).
    assumed = symbol_free_threaded if symbol_free_threaded is not None else extension.abi_free_threaded
    # The importer that reads the declaration: the target's, or, for a binary only a newer
    # release loads (cp315t judged for 3.14t), that release's: the declaration is the binary's.
    importer = abi.release if abi.release and abi.release > target.release else target.release
    releases = {"header_release": abi.release, "importer_release": importer}
    reading = read_gil_declaration(image, leaf, assumed, generator, **releases)
    binary_free_threaded, binary_reason = symbol_free_threaded, symbol_reason
    if binary_free_threaded is None and reading.def_layout_free_threaded is not None:
        binary_free_threaded, binary_reason = reading.def_layout_free_threaded, reading.def_layout_evidence
    if extension.abi_free_threaded is None:
        extension.abi_free_threaded = binary_free_threaded
    elif binary_free_threaded is not None and binary_free_threaded != extension.abi_free_threaded:
        # A renamed file: the name promises one ABI, the code was compiled for the other.
        extension.errors.append(f"the file name says {abi.tag} but {binary_reason}")
        extension.abi_free_threaded = binary_free_threaded
        reading = read_gil_declaration(image, leaf, binary_free_threaded, generator, **releases)
    verdict = loadability(
        abi,
        target,
        symbol_abi_free_threaded=binary_free_threaded,
        host_platform=_HOST_PLATFORM,
        platform=platform,
        binary_system=image.operating_system,
        binary_machines=tuple(getattr(image, "architectures", None) or (image.machine,)),
    )
    if verdict.loadable and extension.errors:
        verdict = type(verdict)(False, f"{verdict.reason}, but its code is built for the other ABI")
    extension.loadable_on_target = verdict.loadable
    facts.loadability = verdict

    if len(getattr(image, "architectures", ())) > 1 and (platform is None or platform.machine is None):
        reading = _agree_across_slices(image, reading, leaf, extension, generator, releases)
    extension.gil = reading.gil
    extension.gil_declared_by = reading.declared_by
    extension.gil_evidence = reading.evidence
    extension.init_style = reading.init_style
    facts.gil_reading = reading

    facts.risky_imports = risky_imports(imported)
    for risky in facts.risky_imports:
        extension.risky_symbols.append(RiskySymbol(risky.name, risky.rule, risky.replacement))


def _abi_of_windows_module(image: BinaryImage, abi: AbiTag, extension: ExtensionModule) -> AbiTag:
    """A Windows module's ABI is the CPython DLL it links: a bare ``.pyd`` (stable ABI) says
    nothing, and a renamed file says the wrong thing."""
    linked = abi_from_python_dll(image.imported_libraries)
    if linked is None:
        return abi
    if (
        abi.tag == "windows"
        and abi.release is not None
        and ((abi.release, abi.free_threaded) != (linked.release, linked.free_threaded))
    ):
        extension.errors.append(f"the file name says {abi.interpreter_abi} but it links {linked.suffix}")
    extension.abi = linked.interpreter_abi
    extension.abi_free_threaded = linked.free_threaded
    return AbiTag(linked.tag, linked.free_threaded, abi.suffix, abi.platform, release=linked.release)


def _agree_across_slices(image, reading, leaf: str, extension: ExtensionModule, generator, releases):
    """A universal binary runs whichever slice the Mac's CPU picks: every slice must agree."""
    others = [machine for machine in image.architectures if machine != image.machine]
    for machine in others:
        try:
            with MachOImage(image.path, architecture=machine) as other:
                assumed = extension.abi_free_threaded
                other_reading = read_gil_declaration(other, leaf, assumed, generator, **releases)
        except BinaryReadError as error:
            extension.errors.append(f"{extension.path}: its {machine} slice could not be read ({error})")
            continue
        if other_reading.gil != reading.gil:
            return type(reading)(
                GilDeclaration.UNKNOWN,
                GilDeclaredBy.UNDETERMINED,
                f"the {image.machine} slice reads {reading.gil.value} ({reading.evidence}) but the "
                f"{machine} slice reads {other_reading.gil.value} ({other_reading.evidence})",
                reading.init_style,
            )
    return reading
