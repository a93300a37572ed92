"""The ``cffi-ctypes`` route: the sample's C as a plain shared library + its cdef as JSON.

Used where cffi refuses the interpreter (free-threaded 3.13). The C is the same code a
cffi build would compile; the declarations are read by cffi's own parser on the host
(:mod:`.cdef_description`); the child reaches the library through ctypes.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..sample import Sample
from .capi import compile_objects
from .cdef_description import CdefError, describe_cdef
from .flags import link_flags
from .toolchain import CommandLog, Toolchain


def build_cffi_ctypes(
    sample: Sample, toolchain: Toolchain, output: Path, *, tsan: bool
) -> tuple[bool, str, dict]:
    log = CommandLog()
    try:
        description = describe_cdef(sample.cdef or "")
    except CdefError as error:
        return False, f"{sample.path / 'sample.toml'}: {error}\n", {}
    objects = compile_objects(sample, toolchain, output, log, tsan=tsan, python_headers=False)
    if not objects:
        return False, log.text, {}
    library = output / f"lib{sample.name.replace('-', '_')}.so"
    command = [
        *toolchain.c_compiler,
        "-shared",
        *link_flags(tsan),
        *(str(obj) for obj in objects),
        "-o",
        str(library),
        *sample.extra_link_args,
    ]
    if not log.run(command, cwd=sample.path):
        return False, log.text, {}
    description_path = output / "cdef.json"
    description_path.write_text(json.dumps(description, indent=1))
    # Functions the cdef declares but the sources do not define (malloc, free...) are
    # looked up by the dynamic linker in the library's dependencies, as for a cffi
    # module; one that exists nowhere fails when the child loads the library.
    return (
        True,
        log.text,
        {
            "route": "cffi-ctypes",
            "library": str(library),
            "description": str(description_path),
            "directory": str(output),
        },
    )
