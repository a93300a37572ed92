"""Faithful JSON dumps of the result model, and loading them back.

The JSON form is the interface between commands (``scan --format json`` feeds
``report`` and ``diff``), so loading must rebuild the same dataclasses. Both directions
are driven by the dataclasses' type hints rather than hand-written per class, so a field
added to the model is serialised without touching this file.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
import types
import typing
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def to_dict(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        dumped = {f.name: to_dict(getattr(value, f.name)) for f in dataclasses.fields(value)}
        # Derived keys a class chooses to publish for consumers (never read back).
        extras = getattr(value, "json_extras", None)
        if extras is not None:
            dumped.update(to_dict(extras()))
        return dumped
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [to_dict(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_dict(item) for key, item in value.items()}
    return value


def dumps(value: Any, indent: int | None = 2) -> str:
    return json.dumps(to_dict(value), indent=indent, sort_keys=False)


# Resolving type hints is the expensive part of loading: a warm scan rebuilds hundreds
# of cached analyses, and resolving them per object was 80 % of its run time.
@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    module = sys.modules[cls.__module__]
    return typing.get_type_hints(cls, globalns=vars(module))


def from_dict(cls: type[T], data: Any, *, strict: bool = False) -> T:
    """Rebuild ``cls`` from :func:`to_dict` output; unknown keys are ignored (forward
    compatibility within a schema major version).

    ``strict`` is for documents from outside (``report`` and ``diff`` inputs): every
    value must have its field's type (a null ``name``, ``Infinity`` as a version or a
    list where a string belongs raise :class:`ValueError` naming the field), so a
    hostile document is refused at the door instead of crashing a reporter later. The
    scan cache reads our own output and skips the checks.
    """
    if strict:
        return _convert_strict(cls, data, cls.__name__)
    return _convert(cls, data)


def _convert(annotation: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        candidates = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        last_error: Exception | None = None
        for candidate in candidates:
            try:
                return _convert(candidate, data)
            except (TypeError, ValueError, KeyError) as error:
                last_error = error
        raise ValueError(f"cannot read {data!r} as {annotation}: {last_error}")
    if origin in (list, tuple):
        (item_type, *_) = typing.get_args(annotation) or (Any,)
        return [_convert(item_type, item) for item in data]
    if origin is dict:
        _, value_type = typing.get_args(annotation) or (Any, Any)
        return {key: _convert(value_type, item) for key, item in data.items()}
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation(data)
    if dataclasses.is_dataclass(annotation):
        if not isinstance(data, dict):
            raise TypeError(f"expected an object for {annotation.__name__}, got {type(data).__name__}")
        hints = _hints(annotation)
        kwargs = {}
        for f in dataclasses.fields(annotation):
            if f.name in data and f.init:
                kwargs[f.name] = _convert(hints[f.name], data[f.name])
        return annotation(**kwargs)
    if annotation is float and isinstance(data, int):
        return float(data)
    return data


_PLAIN_TYPES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def _describe(data: Any) -> str:
    if data is None:
        return "null"
    return {str: "a string", bool: "a boolean", int: "a number", float: "a number", list: "a list"}.get(
        type(data), "an object"
    )


def _convert_strict(annotation: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(annotation)
    if annotation is Any or annotation is object:
        return data
    if origin in (typing.Union, types.UnionType):
        return _convert_union(annotation, data, where)
    if data is None:
        raise ValueError(f"{where}: null is not allowed here")
    if origin in (list, tuple):
        if not isinstance(data, list):
            raise ValueError(f"{where}: expected a list, found {_describe(data)}")
        (item_type, *_) = typing.get_args(annotation) or (Any,)
        return [_convert_strict(item_type, item, f"{where}[{index}]") for index, item in enumerate(data)]
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected an object, found {_describe(data)}")
        _, value_type = typing.get_args(annotation) or (Any, Any)
        return {key: _convert_strict(value_type, item, f"{where}.{key}") for key, item in data.items()}
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        try:
            return annotation(data)
        except (ValueError, TypeError):
            allowed = ", ".join(repr(member.value) for member in annotation)
            raise ValueError(f"{where}: {data!r} is not one of {allowed}") from None
    if dataclasses.is_dataclass(annotation):
        return _convert_dataclass(annotation, data, where)
    if annotation in _PLAIN_TYPES:
        return _convert_plain(annotation, data, where)
    return data


def _convert_union(annotation: Any, data: Any, where: str) -> Any:
    arguments = typing.get_args(annotation)
    if data is None:
        if type(None) in arguments:
            return None
        raise ValueError(f"{where}: null is not allowed here")
    problems = []
    for candidate in (argument for argument in arguments if argument is not type(None)):
        try:
            return _convert_strict(candidate, data, where)
        except ValueError as error:
            problems.append(str(error))
    raise ValueError(
        problems[0] if len(problems) == 1 else f"{where}: {_describe(data)} fits no allowed type"
    )


def _convert_dataclass(annotation: Any, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object, found {_describe(data)}")
    hints = _hints(annotation)
    kwargs = {}
    for f in dataclasses.fields(annotation):
        if f.name in data and f.init:
            kwargs[f.name] = _convert_strict(hints[f.name], data[f.name], f"{where}.{f.name}")
    try:
        return annotation(**kwargs)
    except TypeError as error:  # a required field is missing
        raise ValueError(f"{where}: {error}") from None


def _convert_plain(annotation: type, data: Any, where: str) -> Any:
    # bool is an int in Python, and JSON's true must not pass for a count.
    fits = isinstance(data, annotation) and not (annotation is not bool and isinstance(data, bool))
    if annotation is float and isinstance(data, int) and not isinstance(data, bool):
        return float(data)
    if not fits:
        raise ValueError(f"{where}: expected {_PLAIN_TYPES[annotation]}, found {_describe(data)}")
    return data
