"""The ``cffi`` route: cffi's API mode, run inside the target interpreter.

cffi must run in the interpreter the module is for (it compiles a CPython extension),
and we do not install anything into that interpreter's own site-packages: each target
gets a build venv under the cache with cffi (and setuptools, which cffi needs to
compile on Python 3.12+) installed once. The same venv's python then runs the trials,
so ``_cffi_backend`` is importable there.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from pathlib import Path

from ...interpreters.provision import default_cache_dir
from ..sample import Sample
from .toolchain import CommandLog, Toolchain, child_environment

VENV_TIMEOUT_SECONDS = 600
_READY = ".ftaudit-ready"

_BUILD_SCRIPT = r"""
import json, sys
import cffi

config = json.loads(sys.argv[1])
ffi = cffi.FFI()
ffi.cdef(config["cdef"])
# The sample's C files are compiled into the module itself, as `#include`s of the
# generated source, so the cdef'd functions are defined where cffi expects them.
ffi.set_source(config["module"], "\n".join('#include "%s"' % path for path in config["sources"]),
               include_dirs=[config["sample_dir"]], extra_compile_args=config["extra_compile_args"],
               extra_link_args=config["extra_link_args"])
print("built", ffi.compile(tmpdir=config["output"], verbose=True))
"""


class BuildVenvError(Exception):
    pass


def build_venv_python(toolchain: Toolchain, cache_dir: Path | None = None) -> Path:
    """A venv of the target interpreter with cffi in it (created once, under a lock)."""
    identity = hashlib.sha256(toolchain.identity().encode()).hexdigest()[:16]
    root = (cache_dir or default_cache_dir()) / "harness-venvs"
    root.mkdir(parents=True, exist_ok=True)
    venv = root / f"{toolchain.version}{'t' if toolchain.free_threaded else ''}-{identity}"
    python = venv / "bin" / "python"
    with open(root / f"{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (venv / _READY).exists() and python.exists():
            return python
        log = CommandLog()
        environment = child_environment()
        steps = [
            [toolchain.interpreter, "-m", "venv", "--clear", str(venv)],
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
                "cffi",
                "setuptools",
            ],
        ]
        for command in steps:
            if not log.run(command, env=environment, timeout=VENV_TIMEOUT_SECONDS):
                raise BuildVenvError(log.text.strip().splitlines()[-1] if log.text.strip() else "failed")
        (venv / _READY).write_text("cffi build venv made by ftaudit\n")
    return python


def build_cffi(
    sample: Sample, toolchain: Toolchain, venv_python: str, output: Path
) -> tuple[bool, str, dict]:
    module = "_ftaudit_cffi_" + "".join(ch if ch.isalnum() else "_" for ch in sample.name)
    config = {
        "cdef": sample.cdef,
        "module": module,
        "sources": [str(source) for source in sample.sources],
        "sample_dir": str(sample.path),
        "output": str(output),
        "extra_compile_args": ["-O2", "-g", *sample.extra_compile_args],
        "extra_link_args": list(sample.extra_link_args),
    }
    log = CommandLog()
    ok = log.run([venv_python, "-c", _BUILD_SCRIPT, json.dumps(config)], cwd=output, env=child_environment())
    if not ok:
        return False, log.text, {}
    built = list(output.glob(f"{module}*.so"))
    if not built:
        log.text += f"cffi reported success but no {module}*.so was written\n"
        return False, log.text, {}
    return True, log.text, {"route": "cffi", "module": module, "directory": str(output)}
