"""What we know about one Python interpreter, as reported by the interpreter itself."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class InterpreterInfo:
    executable: str
    version: str  # "3.13.5"
    implementation: str  # "cpython"
    free_threaded: bool  # Py_GIL_DISABLED in sysconfig
    abi_tag: str  # "cp313t", "cp313"
    soabi: str  # "cpython-313t-x86_64-linux-gnu"
    ext_suffix: str  # ".cpython-313t-x86_64-linux-gnu.so"
    tsan: bool  # built --with-thread-sanitizer
    found_via: str  # "PATH", "pyenv", "uv", "cache", "--python", "running"
    platlib: str | None = None  # the interpreter's own site-packages
    include_dir: str | None = None
    cffi_supported: bool | None = None  # can `import cffi` / build with cffi there

    @property
    def label(self) -> str:
        flavour = "t" if self.free_threaded else ""
        sanitizer = " (TSan)" if self.tsan else ""
        return f"CPython {self.version}{flavour}{sanitizer}"


@dataclass
class InterpreterFacts:
    """What the target interpreter said about itself, in a subprocess."""

    executable: str
    version: str | None = None
    free_threaded: bool | None = None  # None: could not ask
    py_gil_disabled: object = None  # sysconfig's Py_GIL_DISABLED, as reported
    gil_enabled_at_start: bool | None = None
    gil_enabled_after_import: bool | None = None
    imported: list[str] = field(default_factory=list)
    import_errors: dict[str, str] = field(default_factory=dict)
    enabled_by: list[str] = field(default_factory=list)  # modules named by the GIL RuntimeWarning
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # why the guard could not finish
    project_file: str | None = None  # where FTE001/FTE002 findings point (pyproject.toml)
