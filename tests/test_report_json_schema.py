"""docs/json-schema.md describes every field and enum value of the result model.

The fields are found by walking the dataclasses from AuditReport down, so a field added
anywhere in auditor/model/ fails this test until the page describes it.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from enum import Enum
from pathlib import Path

import auditor.model as model
from auditor.model.serialize import _hints

DOC = Path(__file__).resolve().parent.parent / "docs" / "json-schema.md"


def _reachable(root: type) -> tuple[list[type], list[type[Enum]]]:
    classes: list[type] = []
    enums: list[type[Enum]] = []
    pending = [root]
    while pending:
        cls = pending.pop()
        if cls in classes:
            continue
        classes.append(cls)
        for hint in _hints(cls).values():
            stack = [hint]
            while stack:
                current = stack.pop()
                stack.extend(typing.get_args(current))
                if dataclasses.is_dataclass(current):
                    pending.append(current)
                elif isinstance(current, type) and issubclass(current, Enum) and current not in enums:
                    enums.append(current)
    return classes, enums


def _sections(text: str) -> dict[str, str]:
    """'## ScanResult (`scan`)' -> its text up to the next heading."""
    parts = re.split(r"^#{2,3} ", text, flags=re.MULTILINE)
    return {part.split()[0]: part for part in parts[1:]}


def test_every_model_dataclass_is_reachable_from_the_report():
    classes, _ = _reachable(model.AuditReport)
    exported = {obj for obj in vars(model).values() if dataclasses.is_dataclass(obj)}
    assert exported <= set(classes)


def test_every_field_of_every_dataclass_is_described_in_its_section():
    sections = _sections(DOC.read_text(encoding="utf-8"))
    classes, _ = _reachable(model.AuditReport)
    missing = []
    for cls in classes:
        section = sections.get(cls.__name__)
        if section is None:
            missing.append(f"no section for {cls.__name__}")
            continue
        for field in dataclasses.fields(cls):
            if not re.search(rf"^\| `{field.name}` \|", section, flags=re.MULTILINE):
                missing.append(f"{cls.__name__}.{field.name}")
    assert not missing, "docs/json-schema.md does not describe: " + ", ".join(missing)


def test_every_enum_value_is_listed():
    text = DOC.read_text(encoding="utf-8")
    _, enums = _reachable(model.AuditReport)
    assert enums
    table = {line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| ")}
    for enum in enums:
        row = table.get(enum.__name__)
        assert row is not None, f"no row for {enum.__name__}"
        for member in enum:
            assert f"`{member.value}`" in row, f"{enum.__name__}.{member.name}"


def test_the_documented_schema_version_is_the_current_one():
    assert f"currently `{model.SCHEMA_VERSION}`" in DOC.read_text(encoding="utf-8")
