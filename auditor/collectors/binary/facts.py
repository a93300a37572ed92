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
    export_hook: str = ""  # the PEP 793 PyModExport_<name>
    # Imported functions that are unsafe once the GIL no longer serialises threads.
    risky_imports: list[RiskyFunction] = field(default_factory=list)

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
