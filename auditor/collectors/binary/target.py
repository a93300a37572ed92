"""The interpreter ftaudit judges for: its release, its ABI, its wheel tags and marker environment.

A target is written like ``3.13t`` (free-threaded CPython 3.13) or ``3.14t``; a plain
``3.13`` means the GIL build. One class serves the binary reader (which asks only for
the release and the ABI: :meth:`Target.parse`) and the dependency tree (which also needs
the wheel tags pip would accept there: :func:`make_target`); the tags are computed on
first use, so a binary read never pays for them. Platforms are wheel platform tags
(``manylinux_2_28_x86_64``, ``macosx_11_0_arm64``, ``win_amd64``); by default any
manylinux or musllinux x86_64 wheel counts, which is what a Linux CI runner can install.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packaging.tags import Tag

# The newest glibc we assume the machine has when expanding a manylinux tag: a
# manylinux_2_X wheel runs on any glibc >= 2.X (PEP 600), so a target tag of
# manylinux_2_39 accepts every older manylinux wheel.
_DEFAULT_GLIBC_MINOR = 39
_DEFAULT_MUSL_MINOR = 2
# PEP 600's legacy aliases: manylinux1 = glibc 2.5, manylinux2010 = 2.12, manylinux2014 = 2.17.
_LEGACY_MANYLINUX = {5: "manylinux1", 12: "manylinux2010", 17: "manylinux2014"}
_TARGET_PATTERN = re.compile(r"^(?P<major>3)\.(?P<minor>\d{1,2})(?P<threaded>t?)$")


class TargetError(ValueError):
    """A target or platform that cannot be understood."""


def expand_platform(platform: str) -> list[str]:
    """All platform tags a machine with ``platform`` accepts, most specific first."""
    manylinux = re.fullmatch(r"manylinux_(\d+)_(\d+)_(\w+)", platform)
    if manylinux:
        major, newest_minor, arch = int(manylinux[1]), int(manylinux[2]), manylinux[3]
        tags: list[str] = []
        for minor in range(newest_minor, -1, -1):
            tags.append(f"manylinux_{major}_{minor}_{arch}")
            if major == 2 and minor in _LEGACY_MANYLINUX:
                tags.append(f"{_LEGACY_MANYLINUX[minor]}_{arch}")
        return tags
    legacy = re.fullmatch(r"(manylinux1|manylinux2010|manylinux2014)_(\w+)", platform)
    if legacy:
        minor = {value: key for key, value in _LEGACY_MANYLINUX.items()}[legacy[1]]
        return expand_platform(f"manylinux_2_{minor}_{legacy[2]}")
    musllinux = re.fullmatch(r"musllinux_(\d+)_(\d+)_(\w+)", platform)
    if musllinux:
        major, newest_minor, arch = int(musllinux[1]), int(musllinux[2]), musllinux[3]
        return [f"musllinux_{major}_{minor}_{arch}" for minor in range(newest_minor, -1, -1)]
    mac = re.fullmatch(r"macosx_(\d+)_(\d+)_(\w+)", platform)
    if mac:
        # The binary reader runs on a bare stdlib (tests/test_binary_elf.py); only tag
        # expansion, which the dependency tree needs, asks for packaging.
        from packaging.tags import mac_platforms

        return list(mac_platforms((int(mac[1]), int(mac[2])), mac[3]))
    if re.fullmatch(r"(win32|win_amd64|win_arm64|linux_\w+)", platform):
        return [platform]
    raise TargetError(
        f"unknown platform tag {platform!r}; use a wheel platform tag such as "
        "manylinux_2_28_x86_64, musllinux_1_2_aarch64, macosx_11_0_arm64 or win_amd64"
    )


def default_platforms() -> list[str]:
    return expand_platform(f"manylinux_2_{_DEFAULT_GLIBC_MINOR}_x86_64") + expand_platform(
        f"musllinux_1_{_DEFAULT_MUSL_MINOR}_x86_64"
    )


# What a Linux x86_64 CI runner installs; computed once, every parsed target shares it.
DEFAULT_PLATFORMS = tuple(default_platforms())


def _marker_environment(python_version: tuple[int, int], platform: str) -> dict[str, str]:
    """PEP 508 environment markers for the target, as pip would compute them there."""
    if platform.startswith("macosx"):
        sys_platform, system, os_name = "darwin", "Darwin", "posix"
        machine = platform.rsplit("_", 1)[-1]
        machine = {"universal2": "arm64", "intel": "x86_64"}.get(machine, machine)
    elif platform.startswith("win"):
        sys_platform, system, os_name = "win32", "Windows", "nt"
        machine = {"win32": "x86", "win_amd64": "AMD64", "win_arm64": "ARM64"}[platform]
    else:
        sys_platform, system, os_name = "linux", "Linux", "posix"
        machine = re.sub(r"^(manylinux_\d+_\d+|musllinux_\d+_\d+|manylinux\d+|linux)_", "", platform)
    version = f"{python_version[0]}.{python_version[1]}"
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{version}.0",
        "os_name": os_name,
        "platform_machine": machine,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": system,
        "platform_version": "",
        "python_full_version": f"{version}.0",
        "python_version": version,
        "sys_platform": sys_platform,
    }


@dataclass(frozen=True)
class Target:
    """What to judge binaries and wheels against.

    ``binary_tags`` are the tags of wheels holding extension modules built for this exact
    ABI (``cp313-cp313t-<platform>``); ``generic_tags`` are those of wheels without a
    Python ABI (``py3-none-any``, ``cp313-none-<platform>``), which install anywhere but
    say nothing about thread-safety.
    """

    name: str  # "3.13t"
    python_version: tuple[int, int]
    free_threaded: bool
    platforms: tuple[str, ...] = DEFAULT_PLATFORMS

    @classmethod
    def parse(cls, text: str) -> Target:
        """``3.13t`` -> the free-threaded 3.13 target on the default platforms."""
        match = _TARGET_PATTERN.match(text.strip())
        if not match:
            raise TargetError(
                f"unknown target {text!r}; use a version like 3.13t, 3.14t or 3.15t (t: free-threaded)"
            )
        python_version = (int(match["major"]), int(match["minor"]))
        free_threaded = bool(match["threaded"])
        if free_threaded and python_version < (3, 13):
            raise TargetError(f"free-threaded builds exist from CPython 3.13 on (PEP 703); got {text!r}")
        name = f"{python_version[0]}.{python_version[1]}{'t' if free_threaded else ''}"
        return cls(name, python_version, free_threaded)

    @property
    def major(self) -> int:
        return self.python_version[0]

    @property
    def minor(self) -> int:
        return self.python_version[1]

    @property
    def release(self) -> tuple[int, int]:
        return self.python_version

    @property
    def abi(self) -> str:
        return f"cp{self.python_version[0]}{self.python_version[1]}{'t' if self.free_threaded else ''}"

    @property
    def abi_tag(self) -> str:
        return self.abi

    def __str__(self) -> str:
        return self.name

    @cached_property
    def binary_tags(self) -> frozenset[Tag]:
        return self._tags[0]

    @cached_property
    def generic_tags(self) -> frozenset[Tag]:
        return self._tags[1]

    @property
    def all_tags(self) -> frozenset[Tag]:
        return self.binary_tags | self.generic_tags

    @cached_property
    def marker_environment(self) -> dict[str, str]:
        return _marker_environment(self.python_version, self.platforms[0])

    @cached_property
    def _tags(self) -> tuple[frozenset[Tag], frozenset[Tag]]:
        # Deferred for the same reason as mac_platforms above.
        from packaging.tags import compatible_tags, cpython_tags

        binary: set[Tag] = set()
        generic: set[Tag] = set()
        for tag in cpython_tags(self.python_version, abis=[self.abi], platforms=self.platforms):
            # The stable ABI (abi3) is not available on free-threaded builds: Py_LIMITED_API
            # and Py_GIL_DISABLED cannot be combined in 3.13/3.14 (Include/Python.h errors
            # out), so pip never installs an abi3 wheel there. Its free-threaded successor,
            # abi3t (PEP 803), starts with CPython 3.15; packaging already emits abi3t tags
            # for every free-threaded version, so keep them only where they load.
            if tag.abi == "abi3t" and self.python_version < (3, 15):
                continue
            (generic if tag.abi == "none" else binary).add(tag)
        interpreter = f"cp{self.python_version[0]}{self.python_version[1]}"
        generic.update(
            compatible_tags(self.python_version, interpreter=interpreter, platforms=self.platforms)
        )
        return frozenset(binary), frozenset(generic)


def make_target(name: str = "3.13t", platforms: list[str] | tuple[str, ...] | None = None) -> Target:
    """Build a :class:`Target` from ``3.13t`` style text and optional platform tags."""
    parsed = Target.parse(name)
    expanded: list[str] = []
    for platform in platforms or []:
        expanded.extend(tag for tag in expand_platform(platform) if tag not in expanded)
    if not expanded:
        return parsed
    return Target(parsed.name, parsed.python_version, parsed.free_threaded, tuple(expanded))
