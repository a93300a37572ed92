"""Text-level preparation of C/C++ sources, before and beside the tree-sitter parse.

tree-sitter does not run the preprocessor, so a few things are settled on the text:
statement macros written without a semicolon are masked to braces of the same length,
and brace depth tells a namespace-scope declaration from a class member whatever the
parse made of an export macro.
"""

from __future__ import annotations

import re

# Include/ceval.h: Py_BEGIN_ALLOW_THREADS expands to `{ PyThreadState *_save; ...` and
# Py_END_ALLOW_THREADS to `...; }`, written without a semicolon, which tree-sitter
# cannot know. Blanking them to a brace of the same length keeps the block structure.
_STATEMENT_MACROS = re.compile(
    rb"^([ \t]*)(Py_BEGIN_ALLOW_THREADS|Py_END_ALLOW_THREADS|Py_BLOCK_THREADS|Py_UNBLOCK_THREADS)([ \t]*;?)",
    re.MULTILINE,
)


def mask_statement_macros(source: bytes) -> bytes:
    if b"_THREADS" not in source:
        return source

    def replace(match: re.Match[bytes]) -> bytes:
        name = match.group(2)
        brace = (
            b"{" if name == b"Py_BEGIN_ALLOW_THREADS" else b"}" if name == b"Py_END_ALLOW_THREADS" else b" "
        )
        return match.group(1) + brace + b" " * (len(name) + len(match.group(3)) - 1)

    return _STATEMENT_MACROS.sub(replace, source)


_BRACE_NOISE = re.compile(
    r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|^[ \t]*#[^\n]*", re.DOTALL | re.MULTILINE
)
# (string literals are blanked before this runs, so `extern "C"` reads as `extern`)
_NAMESPACE_OPENER = re.compile(r"(?:\bnamespace\b[\w\s:]*|\bextern\s*)$")


def brace_scopes(text: str) -> tuple[list[int], list[bool]]:
    """Offsets where the brace depth changes, and whether each stretch is namespace scope."""
    masked = _BRACE_NOISE.sub(lambda match: " " * len(match.group(0)), text)
    offsets: list[int] = [0]
    namespace_scope: list[bool] = [True]
    stack: list[bool] = []  # True for namespace / extern "C" braces
    last_boundary = 0
    for match in re.finditer(r"[{};]", masked):
        char = match.group(0)
        position = match.start()
        if char == "{":
            stack.append(bool(_NAMESPACE_OPENER.search(masked[last_boundary:position].strip())))
        elif char == "}" and stack:
            if (position == 0 or masked[position - 1] == "\n") and not stack[-1]:
                # A closing brace in column 0 ends a top-level function or class, even
                # when #if/#else arms opened it twice (`void f(int a) {` / `void f(void) {`).
                while stack and not stack[-1]:
                    stack.pop()
            else:
                stack.pop()
        last_boundary = position + 1
        if char != ";":
            offsets.append(position + 1)
            namespace_scope.append(all(stack))
    return offsets, namespace_scope


_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.DOTALL)
_RELEASED_PAIRS = (
    (re.compile(r"\bPy_BEGIN_ALLOW_THREADS\b"), re.compile(r"\bPy_END_ALLOW_THREADS\b"), "allow-threads"),
    (re.compile(r"\bPyEval_SaveThread\s*\("), re.compile(r"\bPyEval_RestoreThread\s*\("), "allow-threads"),
    (re.compile(r"\bPyGILState_Ensure\s*\("), re.compile(r"\bPyGILState_Release\s*\("), "gilstate"),
)


def released_regions(source: bytes, start: int, end: int) -> list[tuple[int, int, str]]:
    """Byte ranges of ``source[start:end]`` where the thread runs without an attached thread state.

    ``Py_BEGIN_ALLOW_THREADS`` .. ``Py_END_ALLOW_THREADS`` (Include/ceval.h) detaches;
    ``PyGILState_Ensure`` .. ``PyGILState_Release`` (Include/pystate.h) used to *be* the
    lock that made static state safe, and in the free-threaded build it no longer
    excludes other threads.
    """
    text = _COMMENT.sub(lambda match: " " * len(match.group(0)), source[start:end].decode("latin-1"))
    regions = []
    for begin, finish, kind in _RELEASED_PAIRS:
        for match in begin.finditer(text):
            closing = finish.search(text, match.end())
            stop = closing.start() if closing else len(text)
            regions.append((start + match.end(), start + stop, kind))
    return regions


_DEFINE = re.compile(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)", re.MULTILINE)


def macro_names(text: str) -> set[str]:
    """Names this file ``#define``s: ``#define am (GEN->gen_param[0])`` makes ``am = x`` a
    write through a macro, not to an undeclared global."""
    return set(_DEFINE.findall(text))


# Conditional directives, continuation lines included: `#if`, `#ifdef`, `#elif`, `#else`, `#endif`.
_CONDITIONAL_DIRECTIVE = re.compile(
    rb"^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b(?:[^\n]*\\\n)*[^\n]*",
    re.MULTILINE,
)


def blank_conditional_directives(source: bytes) -> bytes:
    """The file with every ``#if``/``#else``/``#endif`` line blanked and all arms kept.

    Arms that interleave with C syntax (libuv's ``# if defined(__linux__)`` around the
    ``if`` of an ``if``/``else`` whose ``else`` sits in another arm) make tree-sitter give
    up on the rest of the file. Read with every arm's code in place, such a function
    usually parses: the arms are alternatives for the same statements, and the races the
    rules look for are in every arm alike. Offsets and lines stay as in the file.
    """
    return _CONDITIONAL_DIRECTIVE.sub(lambda match: re.sub(rb"[^\n]", b" ", match.group(0)), source)


# `#if defined(__GNUC__)\n  if (__builtin_expect(!x, 0)) {\n#else\n  if (!x) {\n#endif`: two
# one-line arms that each open the same block. tree-sitter sees two `{` and one `}`, and
# the function is lost.
_TWIN_OPENINGS = re.compile(
    rb"^[ \t]*#[ \t]*if(?:n?def)?\b[^\n]*\n([^\n#]*\{[ \t]*)\n[ \t]*#[ \t]*else\b[^\n]*\n"
    rb"([^\n#]*\{[ \t]*)\n[ \t]*#[ \t]*endif\b[^\n]*",
    re.MULTILINE,
)


def blank_twin_openings(source: bytes) -> bytes:
    """The file with the first arm of each pair of twin block openings blanked (see
    ``_TWIN_OPENINGS``), with its directives, so one opening is left for the one close.
    Offsets and lines stay as in the file; the ``#else`` arm's opening is what is read."""
    if b"#" not in source:
        return source

    def keep_else_arm(match: re.Match) -> bytes:
        kept_start, kept_end = match.start(2) - match.start(0), match.end(2) - match.start(0)
        whole = match.group(0)
        blank = re.sub(rb"[^\n]", b" ", whole)
        return blank[:kept_start] + whole[kept_start:kept_end] + blank[kept_end:]

    return _TWIN_OPENINGS.sub(keep_else_arm, source)


_PLATFORM_MACRO = re.compile(
    r"\b(?:__APPLE__|__MACH__|__linux__|__linux|_WIN32|_WIN64|__CYGWIN__|__FreeBSD__|__OpenBSD__|"
    r"__NetBSD__|__DragonFly__|__sun|__sun__|_AIX|__MVS__|__ANDROID__|__EMSCRIPTEN__|__wasi__|__hpux)\b"
)
_DIRECTIVE_LINE = re.compile(r"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b([^\n]*)", re.MULTILINE)


def platform_only_ranges(text: str) -> list[tuple[int, int]]:
    """Offsets of ``#if``/``#elif`` arms that only some operating systems compile
    (``#if defined(__APPLE__)``): a lock taken in one guards nothing on the others."""
    ranges: list[tuple[int, int]] = []
    stack: list[int | None] = []  # start of the open platform-only arm, per nesting level
    for match in _DIRECTIVE_LINE.finditer(text):
        keyword, condition = match.group(1), match.group(2)
        if keyword in ("elif", "else", "endif") and stack:
            start = stack.pop()
            if start is not None:
                ranges.append((start, match.start()))
        if keyword == "endif":
            continue
        is_platform = keyword != "else" and _PLATFORM_MACRO.search(condition) is not None
        stack.append(match.end() if is_platform else None)
    return ranges


def conditional_arms(text: str) -> list[tuple[int, int, list[tuple[str, bool]]]]:
    """Every ``#if`` arm of the file as (start, end, [(condition line, in an else arm)]),
    the chain's own conditions innermost first, as the tree's preprocessor nodes would give
    them: an ``#elif B`` arm is ``#if B`` inside the ``#else`` of the ``#if`` before it.
    Used when the file had to be read with its directives blanked."""
    arms: list[tuple[int, int, list[tuple[str, bool]]]] = []
    stack: list[dict] = []
    for match in _DIRECTIVE_LINE.finditer(text):
        keyword, rest = match.group(1), match.group(2).strip()
        if keyword in ("if", "ifdef", "ifndef"):
            stack.append({"conditions": [f"#{keyword} {rest}"], "start": match.end(), "in_else": False})
            continue
        if not stack:
            continue  # an unbalanced directive: nothing to close
        frame = stack[-1]
        conditions = frame["conditions"]
        chain = [(conditions[-1], frame["in_else"])] + [
            (condition, True) for condition in reversed(conditions[:-1])
        ]
        arms.append((frame["start"], match.start(), chain))
        if keyword == "elif":
            conditions.append(f"#if {rest}")
            frame.update(start=match.end(), in_else=False)
        elif keyword == "else":
            frame.update(start=match.end(), in_else=True)
        else:
            stack.pop()
    return arms
