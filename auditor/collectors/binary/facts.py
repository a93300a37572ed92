"""What reading one extension binary established: the facts the FTB rules judge.

The reader (:func:`auditor.collectors.binary.read_extension`) fills these and decides
nothing about findings; each rule in :mod:`auditor.rules.binary` reads the facts it
needs. A field stays None when the reading stopped before it (the file could not be
opened, it is not an extension module, its code could not be followed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model.environment import ExtensionModule
from .abi_tag import Loadability
from .generators import GeneratorInfo
from .gil_declaration import GilReading
from .risky_symbols import RiskyFunction
from .target import Target


@dataclass
class BinaryFacts:
    extension: ExtensionModule
    # What the module is judged for; None when the target text could not be parsed.
    target: Target | None = None
    # Whether the target imports the opened binary, and why (None: the binary was not opened
    # or is not an extension module).
    loadability: Loadability | None = None
    generator: GeneratorInfo | None = None
    # The Py_mod_gil reading, with its evidence (None: not reached).
    gil_reading: GilReading | None = None
    init_function: str = ""  # PyInit_<name>
    # Whether the opened binary exports PyInit_<name> or PyModExport_<name>: False for a
    # shared library that parses but has neither (one loaded with ctypes or cffi's dlopen,
    # such as pycryptodome's _raw_*.abi3.so); None when the file could not be read that far.
    exports_module_init: bool | None = None
    # The init it exports returns NULL on its only path, calling nothing (pycryptodome's
    # Windows _raw_*.pyd, whose PyInit__<name> exists for the MSVC linker): no module either.
    init_returns_null: bool = False
    export_hook: str = ""  # the PEP 793 PyModExport_<name>
    # Imported functions that are unsafe once the GIL no longer serialises threads.
    risky_imports: list[RiskyFunction] = field(default_factory=list)

    @property
    def is_plain_library(self) -> bool:
        """A readable shared library that CPython cannot import as a module (no init export):
        it never goes through the import system, so it cannot re-enable the GIL. An init
        that only returns NULL makes no module either (:attr:`init_returns_null`)."""
        return self.exports_module_init is False or self.init_returns_null

    @property
    def init_symbol(self) -> str:
        """The exported function that creates the module: the hook when the module uses one."""
        if self.gil_reading is not None and self.gil_reading.init_style == "export-hook":
            return self.export_hook
        return self.init_function

    @property
    def target_reads_the_declaration(self) -> bool:
        """A declaration matters only where the target reads it: a free-threaded target
        that loads the file."""
        return bool(
            self.target is not None
            and self.target.free_threaded
            and self.extension.loadable_on_target is not False
        )


def native_libraries_note(native_libraries: list[str] | tuple[str, ...]) -> str:
    """The note that names shared libraries read but not judged (``scan`` and wheel inspection)."""
    count = len(native_libraries)
    return (
        f"{count} shared librar{'y' if count == 1 else 'ies'} without a module init, loaded with "
        f"ctypes/cffi or by the modules: not judged ({native_libraries[0]}{', …' if count > 1 else ''})"
    )
