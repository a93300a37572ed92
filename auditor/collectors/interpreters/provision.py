"""Build a free-threaded CPython 3.13 from Debian's source package into a cache.

No free-threaded interpreter can be downloaded on the machines this project runs on,
but Debian's ``python3.13`` source package (suite *trixie*) can be fetched through apt.
We unpack the pristine upstream tarball it carries (not Debian's patched tree: we want
upstream behaviour) and run ``./configure --disable-gil``. The build is idempotent: a
finished prefix holds a marker file and is reused as it is.

The ThreadSanitizer variant (``--with-thread-sanitizer``) also keeps CPython's own
suppression list, ``Tools/tsan/suppressions_free_threading.txt``, beside the prefix, so
the harness can silence races that live inside CPython and report only the sample's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

DEBIAN_SUITE = "trixie"
SOURCE_PACKAGE = "python3.13"
# The deb-src entry we add; apt needs it only to find the source package.
APT_SOURCES_FILE = Path("/etc/apt/sources.list.d/ftaudit-trixie-src.sources")
APT_SOURCES_TEXT = f"""Types: deb-src
URIs: http://deb.debian.org/debian
Suites: {DEBIAN_SUITE}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
"""
# Build dependencies of CPython that matter to us: _ctypes (libffi) carries the cffi
# fallback route on 3.13t, ssl lets pip install wheels into the built interpreter.
BUILD_PACKAGES = [
    "build-essential",
    "dpkg-dev",
    "libffi-dev",
    "libssl-dev",
    "zlib1g-dev",
    "libbz2-dev",
    "liblzma-dev",
    "libsqlite3-dev",
    "libreadline-dev",
    "uuid-dev",
    "libncurses-dev",
    "pkg-config",
]
FINISHED_MARKER = ".ftaudit-provisioned"
TSAN_SUPPRESSIONS_NAME = "tsan-suppressions.txt"


def default_cache_dir() -> Path:
    """Where built interpreters live; ``FTAUDIT_CACHE`` overrides it."""
    configured = os.environ.get("FTAUDIT_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "ftaudit"


# The variants we build. "gil" is the same CPython release with the GIL, the harness's
# baseline: comparing against the very same version isolates the GIL's effect.
VARIANTS = {
    "free-threaded": {"directory": "3.13t", "configure": ["--disable-gil"], "executable": "python3.13t"},
    "free-threaded-tsan": {
        "directory": "3.13t-tsan",
        "configure": ["--disable-gil", "--with-thread-sanitizer"],
        "executable": "python3.13t",
    },
    "gil": {"directory": "3.13", "configure": [], "executable": "python3.13"},
}


@dataclass(frozen=True)
class ProvisionedInterpreter:
    prefix: Path
    tsan: bool
    free_threaded: bool = True

    @property
    def executable(self) -> Path:
        return self.prefix / "bin" / ("python3.13t" if self.free_threaded else "python3.13")

    @property
    def tsan_suppressions(self) -> Path | None:
        path = self.prefix / TSAN_SUPPRESSIONS_NAME
        return path if path.exists() else None

    @property
    def is_finished(self) -> bool:
        return (self.prefix / FINISHED_MARKER).exists() and self.executable.exists()


def _variant_name(tsan: bool, gil: bool) -> str:
    if gil:
        return "gil"
    return "free-threaded-tsan" if tsan else "free-threaded"


def provisioned_prefix(tsan: bool, cache_dir: Path | None = None, gil: bool = False) -> Path:
    cache = cache_dir or default_cache_dir()
    return cache / "pythons" / VARIANTS[_variant_name(tsan, gil)]["directory"]


def _interpreter(tsan: bool, cache_dir: Path | None, gil: bool) -> ProvisionedInterpreter:
    return ProvisionedInterpreter(provisioned_prefix(tsan, cache_dir, gil), tsan and not gil, not gil)


def find_provisioned(
    tsan: bool = False, cache_dir: Path | None = None, gil: bool = False
) -> ProvisionedInterpreter | None:
    interpreter = _interpreter(tsan, cache_dir, gil)
    return interpreter if interpreter.is_finished else None


def all_provisioned(cache_dir: Path | None = None) -> list[ProvisionedInterpreter]:
    found = [
        find_provisioned(False, cache_dir),
        find_provisioned(True, cache_dir),
        find_provisioned(False, cache_dir, gil=True),
    ]
    return [interpreter for interpreter in found if interpreter]


class ProvisionError(RuntimeError):
    pass


def _run(command: list[str], cwd: Path | None = None, log=None, env=None) -> None:
    if log:
        log(f"$ {' '.join(command)}")
    completed = subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if completed.returncode != 0:
        tail = "\n".join(completed.stdout.splitlines()[-40:])
        raise ProvisionError(f"command failed ({completed.returncode}): {' '.join(command)}\n{tail}")


def _ensure_apt_source(log) -> None:
    if APT_SOURCES_FILE.exists() and APT_SOURCES_FILE.read_text() == APT_SOURCES_TEXT:
        return
    if os.geteuid() != 0:
        raise ProvisionError(
            f"adding the Debian {DEBIAN_SUITE} deb-src entry needs root; "
            f"write {APT_SOURCES_FILE} with:\n{APT_SOURCES_TEXT}"
        )
    APT_SOURCES_FILE.write_text(APT_SOURCES_TEXT)
    _run(["apt-get", "update", "-qq"], log=log)


def ensure_build_packages(log=None) -> None:
    missing = []
    for package in BUILD_PACKAGES:
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        if "install ok installed" not in status.stdout:
            missing.append(package)
    if not missing:
        return
    if os.geteuid() != 0:
        raise ProvisionError(f"missing build packages (install them as root): {' '.join(missing)}")
    _run(["apt-get", "update", "-qq"], log=log)
    _run(["apt-get", "install", "-y", "-qq", *missing], log=log)


def _orig_tarballs(folder: Path) -> list[Path]:
    # The glob also matches the detached signature (``.orig.tar.xz.asc``).
    return sorted(p for p in folder.glob("python3.13_*.orig.tar.*") if p.suffix != ".asc")


def _download_source(cache: Path, log) -> Path:
    """Return the upstream tarball of Debian's python3.13 source package."""
    download_dir = cache / "sources"
    download_dir.mkdir(parents=True, exist_ok=True)
    tarballs = _orig_tarballs(download_dir)
    if not tarballs:
        _ensure_apt_source(log)
        _run(
            ["apt-get", "source", "--download-only", f"{SOURCE_PACKAGE}/{DEBIAN_SUITE}"],
            cwd=download_dir,
            log=log,
        )
        tarballs = _orig_tarballs(download_dir)
    if not tarballs:
        raise ProvisionError(f"apt-get source left no python3.13 orig tarball in {download_dir}")
    return tarballs[-1]


def _safe_extract(tarball: Path, destination: Path) -> Path:
    with tarfile.open(tarball) as archive:
        archive.extractall(destination, filter="data")
    roots = [p for p in destination.iterdir() if p.is_dir() and (p / "configure").exists()]
    if len(roots) != 1:
        raise ProvisionError(f"{tarball} did not unpack to one CPython source tree")
    return roots[0]


def provision(
    tsan: bool = False, cache_dir: Path | None = None, jobs: int | None = None, log=print, gil: bool = False
) -> ProvisionedInterpreter:
    """Build (or reuse) a free-threaded CPython 3.13 and return where it is.

    ``gil=True`` builds the same release with the GIL instead (the harness baseline).
    """
    cache = cache_dir or default_cache_dir()
    interpreter = _interpreter(tsan, cache, gil)
    if interpreter.is_finished:
        log(f"reusing {interpreter.executable}")
        return interpreter

    ensure_build_packages(log)
    tarball = _download_source(cache, log)
    build_root = cache / "build" / interpreter.prefix.name
    shutil.rmtree(build_root, ignore_errors=True)
    shutil.rmtree(interpreter.prefix, ignore_errors=True)
    build_root.mkdir(parents=True)
    source = _safe_extract(tarball, build_root)

    variant = VARIANTS[_variant_name(tsan, gil)]
    configure = [
        "./configure",
        *variant["configure"],
        f"--prefix={interpreter.prefix}",
        "--with-ensurepip=install",
    ]
    env = dict(os.environ)
    if interpreter.tsan:
        # CPython's tsan build is meant for clang but gcc works; keep frame pointers so
        # reports carry readable stacks.
        env["CFLAGS"] = env.get("CFLAGS", "") + " -fno-omit-frame-pointer"
    _run(configure, cwd=source, log=log, env=env)
    _run(["make", f"-j{jobs or os.cpu_count() or 2}"], cwd=source, log=log, env=env)
    _run(["make", "install"], cwd=source, log=log, env=env)

    suppressions = source / "Tools" / "tsan" / "suppressions_free_threading.txt"
    if suppressions.exists():
        shutil.copy(suppressions, interpreter.prefix / TSAN_SUPPRESSIONS_NAME)
    (interpreter.prefix / FINISHED_MARKER).write_text(tarball.name + "\n")
    shutil.rmtree(build_root, ignore_errors=True)
    log(f"built {interpreter.executable}")
    return interpreter


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsan", action="store_true", help="build the ThreadSanitizer variant")
    parser.add_argument(
        "--gil-baseline",
        action="store_true",
        help="build the same release with the GIL (the harness baseline)",
    )
    parser.add_argument("--cache-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        interpreter = provision(tsan=args.tsan, cache_dir=args.cache_dir, gil=args.gil_baseline)
    except ProvisionError as error:
        print(f"ftaudit provision: {error}", file=sys.stderr)
        return 2
    print(interpreter.executable)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
