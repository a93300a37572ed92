"""Compile a ``capi`` sample into an extension module for the target interpreter."""

from __future__ import annotations

from pathlib import Path

from ..sample import SOURCE_SUFFIXES_CPP, Sample
from .flags import compile_flags, link_flags
from .toolchain import CommandLog, Toolchain


def compile_objects(
    sample: Sample, toolchain: Toolchain, output: Path, log: CommandLog, *, tsan: bool, python_headers: bool
) -> list[Path]:
    objects: list[Path] = []
    for index, source in enumerate(sample.sources):
        is_cpp = source.suffix in SOURCE_SUFFIXES_CPP
        compiler = list(toolchain.cxx_compiler if is_cpp else toolchain.c_compiler)
        obj = output / f"{index}-{source.stem}.o"
        command = [*compiler, *toolchain.shared_flags, *compile_flags(tsan), "-Wall"]
        if python_headers:
            command += ["-I", toolchain.include_dir]
        command += ["-I", str(sample.path), *sample.extra_compile_args, "-c", str(source), "-o", str(obj)]
        if not log.run(command, cwd=sample.path):
            return []
        objects.append(obj)
    return objects


def build_capi(sample: Sample, toolchain: Toolchain, output: Path, *, tsan: bool) -> tuple[bool, str, dict]:
    log = CommandLog()
    objects = compile_objects(sample, toolchain, output, log, tsan=tsan, python_headers=True)
    if not objects:
        return False, log.text, {}
    linker = list(toolchain.cxx_compiler if sample.is_cpp else toolchain.c_compiler)
    # The file name must end in the target's EXT_SUFFIX (".cpython-313t-x86_64-linux-gnu.so"):
    # a 3.13t interpreter does not look for cpython-313 files and vice versa (PEP 3149).
    library = output / f"{sample.module}{toolchain.ext_suffix}"
    command = [
        *linker,
        "-shared",
        *link_flags(tsan),
        *(str(obj) for obj in objects),
        "-o",
        str(library),
        *sample.extra_link_args,
    ]
    if not log.run(command, cwd=sample.path):
        return False, log.text, {}
    return True, log.text, {"route": "capi", "module": sample.module, "directory": str(output)}
