"""Load a hammer sample: a folder with ``sample.toml`` and ``scenario.py``.

The contract (issue 3, also written in ``ext_samples/README.md``):

``sample.toml``
    ``name``; ``kind`` = ``"capi"`` (a CPython extension: ``module`` and ``sources``) or
    ``"cffi"`` (plain C library code: ``sources`` and ``cdef``, the declarations in cffi's
    syntax); ``expect`` = ``"race-without-gil"`` | ``"race"`` | ``"safe"`` (optional);
    optional ``description``, ``extra_compile_args``, ``extra_link_args``.
``scenario.py``
    ``THREADS`` and ``ITERATIONS``; ``setup(mod)``, ``work(mod, state, thread_index,
    iterations)``, ``check(mod, state, threads, iterations)``.

``scenario.py`` is user code: it is never imported here. Its names are checked with
:mod:`ast` (a parse, not an import), and it runs only inside the child interpreter.
"""

from __future__ import annotations

import ast
import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_FILE = "sample.toml"
SCENARIO_FILE = "scenario.py"
KINDS = ("capi", "cffi")
EXPECTATIONS = ("race-without-gil", "race", "safe")
SOURCE_SUFFIXES_C = (".c",)
SOURCE_SUFFIXES_CPP = (".cc", ".cpp", ".cxx")
_SCENARIO_FUNCTIONS = {"setup": 1, "work": 4, "check": 4}
_KNOWN_KEYS = {
    "name",
    "kind",
    "module",
    "sources",
    "cdef",
    "expect",
    "description",
    "extra_compile_args",
    "extra_link_args",
    "headers",
    "safe_twin",
}


class SampleError(Exception):
    """A sample folder that does not follow the contract; the message says what to fix."""


@dataclass(frozen=True)
class Sample:
    path: Path  # the sample folder
    name: str
    kind: str  # "capi" | "cffi"
    sources: tuple[Path, ...]
    expect: str | None = None
    module: str | None = None  # capi: the extension module's name (its PyInit_<module>)
    cdef: str | None = None  # cffi: declarations in cffi's syntax
    description: str = ""
    extra_compile_args: tuple[str, ...] = ()
    extra_link_args: tuple[str, ...] = ()
    headers: tuple[Path, ...] = ()  # files the sources include; part of the build's identity
    default_threads: int = 8
    default_iterations: int = 1000
    warnings: tuple[str, ...] = field(default=())
    safe_twin: str | None = None  # the sample that fixes this one (reports compare their throughput)

    @property
    def scenario_path(self) -> Path:
        return self.path / SCENARIO_FILE

    @property
    def is_cpp(self) -> bool:
        return any(source.suffix in SOURCE_SUFFIXES_CPP for source in self.sources)

    def content_hash(self) -> str:
        """Identity of everything a build depends on (not scenario.py: it is not compiled)."""
        digest = hashlib.sha256()
        for part in (
            self.kind,
            self.module or "",
            self.cdef or "",
            "\0".join(self.extra_compile_args),
            "\0".join(self.extra_link_args),
        ):
            digest.update(part.encode())
            digest.update(b"\x1f")
        for file in (*self.sources, *self.headers):
            digest.update(file.name.encode())
            digest.update(file.read_bytes())
        return digest.hexdigest()


def _string_list(data: dict, key: str, where: Path) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = value.split()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SampleError(f"{where}: `{key}` must be a list of strings")
    return tuple(value)


def _scenario_defaults(scenario: Path) -> tuple[int, int, list[str]]:
    """Read THREADS / ITERATIONS and check the functions exist, by parsing only."""
    try:
        tree = ast.parse(scenario.read_text(encoding="utf-8"), filename=str(scenario))
    except SyntaxError as error:
        raise SampleError(f"{scenario}:{error.lineno}: syntax error: {error.msg}") from error
    constants: dict[str, int] = {}
    functions: dict[str, int] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("THREADS", "ITERATIONS"):
                try:
                    value = ast.literal_eval(node.value)
                except ValueError:
                    raise SampleError(f"{scenario}:{node.lineno}: {name} must be a literal integer") from None
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise SampleError(f"{scenario}:{node.lineno}: {name} must be a positive integer")
                constants[name] = value
        elif isinstance(node, ast.FunctionDef):
            functions[node.name] = len(node.args.posonlyargs) + len(node.args.args)
    problems = []
    for name, arity in _SCENARIO_FUNCTIONS.items():
        if name not in functions:
            signature = {
                "setup": "setup(mod)",
                "work": "work(mod, state, thread_index, iterations)",
                "check": "check(mod, state, threads, iterations)",
            }[name]
            problems.append(f"missing function `{signature}`")
        elif functions[name] != arity:
            problems.append(
                f"`{name}` takes {functions[name]} positional parameters, the contract says {arity}"
            )
    if problems:
        raise SampleError(f"{scenario}: " + "; ".join(problems))
    warnings = [
        f"{scenario.name}: no {name}, using {default}"
        for name, default in (("THREADS", 8), ("ITERATIONS", 1000))
        if name not in constants
    ]
    return constants.get("THREADS", 8), constants.get("ITERATIONS", 1000), warnings


def load_sample(folder: str | Path) -> Sample:
    """Read and validate one sample folder. Raises :class:`SampleError`."""
    folder = Path(folder).resolve()
    toml_path = folder / SAMPLE_FILE
    data = _read_sample_toml(folder, toml_path)
    warnings = [f"{SAMPLE_FILE}: unknown key `{key}` ignored" for key in sorted(set(data) - _KNOWN_KEYS)]
    name, kind, expect = _identity(data, toml_path)
    sources = _sources(data, folder, toml_path)
    module = data.get("module")
    cdef = data.get("cdef")
    _check_loading(kind, module, cdef, sources, toml_path)
    headers = sorted(path.resolve() for pattern in ("*.h", "*.hpp") for path in folder.glob(pattern))
    scenario = folder / SCENARIO_FILE
    if not scenario.is_file():
        raise SampleError(f"{folder}: no {SCENARIO_FILE}")
    threads, iterations, scenario_warnings = _scenario_defaults(scenario)
    safe_twin = data.get("safe_twin")
    if safe_twin is not None and (not isinstance(safe_twin, str) or not safe_twin.strip()):
        raise SampleError(f"{toml_path}: `safe_twin` must be the name of the sample that fixes this one")
    description = data.get("description", "")
    if not description and (folder / "README.md").is_file():
        description = (folder / "README.md").read_text(encoding="utf-8").strip()
    return Sample(
        path=folder,
        name=name,
        kind=kind,
        sources=tuple(sources),
        expect=expect,
        module=module if kind == "capi" else None,
        cdef=cdef if kind == "cffi" else None,
        description=str(description).strip(),
        extra_compile_args=_string_list(data, "extra_compile_args", toml_path),
        extra_link_args=_string_list(data, "extra_link_args", toml_path),
        headers=tuple(headers),
        default_threads=threads,
        default_iterations=iterations,
        warnings=tuple(warnings + scenario_warnings),
        safe_twin=safe_twin,
    )


def _read_sample_toml(folder: Path, toml_path: Path) -> dict:
    if not toml_path.is_file():
        raise SampleError(
            f"{folder}: no {SAMPLE_FILE} (a sample is a folder with {SAMPLE_FILE} and {SCENARIO_FILE})"
        )
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SampleError(f"{toml_path}: not valid TOML: {error}") from error
    missing = [key for key in ("name", "kind", "sources") if key not in data]
    if missing:
        raise SampleError(f"{toml_path}: missing required key(s): {', '.join(missing)}")
    return data


def _identity(data: dict, toml_path: Path) -> tuple[str, str, str | None]:
    """The sample's name, kind and expected verdict, checked."""
    name = data["name"]
    if not isinstance(name, str) or not name.strip():
        raise SampleError(f"{toml_path}: `name` must be a non-empty string")
    kind = data["kind"]
    if kind not in KINDS:
        raise SampleError(f"{toml_path}: unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    expect = data.get("expect")
    if expect is not None and expect not in EXPECTATIONS:
        raise SampleError(f"{toml_path}: unknown expect {expect!r}; use one of: {', '.join(EXPECTATIONS)}")
    return name, kind, expect


def _sources(data: dict, folder: Path, toml_path: Path) -> list[Path]:
    source_names = _string_list(data, "sources", toml_path)
    if not source_names:
        raise SampleError(f"{toml_path}: `sources` is empty")
    sources = []
    for source_name in source_names:
        source = (folder / source_name).resolve()
        if not source.is_file():
            raise SampleError(f"{toml_path}: source {source_name!r} not found in {folder}")
        if source.suffix not in SOURCE_SUFFIXES_C + SOURCE_SUFFIXES_CPP:
            raise SampleError(f"{toml_path}: source {source_name!r} is not C or C++ (.c, .cc, .cpp, .cxx)")
        sources.append(source)
    return sources


def _check_loading(kind: str, module, cdef, sources: list[Path], toml_path: Path) -> None:
    """What each kind needs to be loaded: a capi module's name, a cffi sample's cdef."""
    if kind == "capi":
        if not isinstance(module, str) or not module.isidentifier():
            raise SampleError(
                f"{toml_path}: a capi sample needs `module`, the extension's name "
                "(a Python identifier matching its PyInit_<module>)"
            )
        return
    if not isinstance(cdef, str) or not cdef.strip():
        raise SampleError(f"{toml_path}: a cffi sample needs `cdef`, the C declarations in cffi's syntax")
    if any(source.suffix != ".c" for source in sources):
        raise SampleError(f"{toml_path}: cffi samples are C code; C++ sources are not supported")


def find_sample_folders(path: str | Path) -> list[Path]:
    """``path`` itself if it is a sample, else every sample folder below it (sorted)."""
    path = Path(path)
    if (path / SAMPLE_FILE).is_file():
        return [path]
    if not path.is_dir():
        raise SampleError(f"{path}: not a sample folder or a folder of samples")
    found = sorted(toml.parent for toml in path.rglob(SAMPLE_FILE))
    if not found:
        raise SampleError(f"{path}: no {SAMPLE_FILE} found in it or below it")
    return found
