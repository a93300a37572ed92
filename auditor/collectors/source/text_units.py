"""Cython and Rust sources read at the token level, with comments and strings masked.

Header *directives* (Cython's ``# cython:`` comments, PyO3's ``#[pymodule(...)]``
attribute) are read at the token level: comments and string literals are blanked out
first so a directive spelled inside a docstring or a commented-out block is never taken
for a real one. Rules over Cython *code* parse the module with Cython's own parser
(:mod:`auditor.collectors.source.cython_analysis`), once per file, through this unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model.finding import Location


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    """Replace matches by spaces, keeping newlines so offsets and line numbers hold."""
    return pattern.sub(lambda match: re.sub(r"[^\n]", " ", match.group(0)), text)


# Rust: line and block comments, raw strings r#"..."#, normal strings, char literals.
_RUST_NOISE = re.compile(r'//[^\n]*|/\*.*?\*/|r(#*)".*?"\1|b?"(?:\\.|[^"\\])*"', re.DOTALL)
# Python-like (Cython): strings first so a '#' inside a string is not a comment.
_CYTHON_STRINGS = re.compile(
    r'[rRbBuUfF]{0,2}("""|\'\'\')(?:\\.|(?!\1).)*?\1|[rRbBuUfF]{0,2}("|\')(?:\\.|(?!\2)[^\n\\])*\2', re.DOTALL
)


@dataclass
class TokenizedSource:
    path: str
    text: str
    language: str  # "cython" or "rust"
    lines: list[str] = field(default_factory=list)
    code: str = ""  # the text with comments and strings blanked (Rust) / strings blanked (Cython)
    # Set by the Cython rules when Cython's parser rejects the file (a per-file problem).
    problem: str | None = None
    cython_analysis: object = None  # parsed once by auditor.collectors.source.cython_analysis

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines()
        if self.language == "rust":
            self.code = _mask(self.text, _RUST_NOISE)
        else:
            self.code = _mask(self.text, _CYTHON_STRINGS)

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def location(self, offset: int, length: int = 0) -> Location:
        line = self.line_of(offset)
        line_start = self.text.rfind("\n", 0, offset) + 1
        return Location(
            path=self.path,
            line=line,
            column=offset - line_start + 1,
            snippet=self.lines[line - 1].strip() if line <= len(self.lines) else "",
        )

    def header_comments(self) -> list[tuple[int, str]]:
        """Cython's directive comments: the ``#`` lines before the first statement."""
        comments = []
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                comments.append((number, stripped))
                continue
            break
        return comments
