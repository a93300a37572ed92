"""Making text from scanned trees safe to show and to write.

Names come from the scanned environment: a dist-info folder named in Latin-1 bytes
reaches Python as lone surrogates (PEP 383, ``os.fsdecode``), which no UTF-8 writer
accepts (``UnicodeEncodeError`` in the HTML, Markdown and terminal output), and a
package called ``"\\x1b]0;pwned\\x07"`` would retitle the user's terminal or repaint
their screen. Both are shown as visible escapes instead (``\\xff``, ``\\x1b``).
"""

from __future__ import annotations

import copy as copy_module
import dataclasses
import re
from enum import Enum
from typing import TypeVar

T = TypeVar("T")

# C0 and C1 control characters except tab and newline, DEL, and the bidirectional
# overrides (U+202A-U+202E, U+2066-U+2069) that can make text read in another order.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    # U+DC80..U+DCFF is a raw byte smuggled through surrogateescape: show the byte.
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def encodable(text: str) -> str:
    """``text`` with lone surrogates replaced by visible escapes, so it encodes as UTF-8."""
    return _SURROGATE.sub(_escape_surrogate, text) if _SURROGATE.search(text) else text


def printable(text: str) -> str:
    """``text`` safe for a terminal: encodable, and no control character left in it."""
    return _CONTROL.sub(_escape_control, encodable(text))


def printable_copy(value: T) -> T:
    """A copy of a result-model object (dataclasses, lists, dicts) with every string made
    :func:`printable`; the original is left as it was (the JSON output keeps the truth)."""
    if isinstance(value, Enum) or value is None or isinstance(value, (int, float, bool)):
        return value  # before str: the model's enums are str enums
    if isinstance(value, str):
        return printable(value)  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        copy = copy_module.copy(value)
        for field in dataclasses.fields(value):
            setattr(copy, field.name, printable_copy(getattr(value, field.name)))
        return copy
    if isinstance(value, list):
        return [printable_copy(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return tuple(printable_copy(item) for item in value)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {printable_copy(key): printable_copy(item) for key, item in value.items()}  # type: ignore[return-value]
    return value
