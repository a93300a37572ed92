"""Compiler flags shared by the builders."""

from __future__ import annotations

# -O2 -g as setuptools builds extensions: the code races as it would in a real wheel,
# and the debug info names file:line in crash and TSan reports.
OPTIMISED = ["-O2", "-g"]
# ThreadSanitizer: -O1 keeps stacks readable without hiding the racy accesses (clang and
# gcc documentation both recommend -O1 or -O2 with -g); -fno-omit-frame-pointer gives
# TSan whole stacks cheaply.
THREAD_SANITIZER = ["-fsanitize=thread", "-O1", "-g", "-fno-omit-frame-pointer"]


def compile_flags(tsan: bool) -> list[str]:
    return list(THREAD_SANITIZER if tsan else OPTIMISED)


def link_flags(tsan: bool) -> list[str]:
    return ["-fsanitize=thread"] if tsan else []
