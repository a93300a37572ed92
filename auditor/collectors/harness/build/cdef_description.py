"""Turn a cffi ``cdef`` into a JSON description, using cffi's own parser.

This runs on the host Python (where cffi works) for the ``cffi-ctypes`` route: the
child interpreter (free-threaded 3.13, which cffi refuses) gets the functions, structs,
typedefs, constants and global variables that cffi itself read from the declarations,
so the ctypes signatures come from the same text a cffi build would use.
"""

from __future__ import annotations

from typing import Any


class CdefError(Exception):
    pass


def _type(model: Any, kind: Any) -> dict:
    if isinstance(kind, model.VoidType):
        return {"kind": "void"}
    if isinstance(kind, model.PrimitiveType):
        return {"kind": "primitive", "name": kind.name}
    if isinstance(kind, model.UnknownIntegerType):
        return {"kind": "primitive", "name": kind.name}
    if isinstance(kind, model.EnumType):
        return {"kind": "enum", "name": kind.name}
    if isinstance(kind, (model.StructType, model.UnionType)):
        return {"kind": "struct", "name": _struct_name(model, kind)}
    if isinstance(kind, model.PointerType):
        return {"kind": "pointer", "to": _type(model, kind.totype)}
    if isinstance(kind, model.ArrayType):
        length = kind.length if isinstance(kind.length, int) else None
        return {"kind": "array", "of": _type(model, kind.item), "length": length}
    if isinstance(kind, (model.RawFunctionType, model.FunctionPtrType)):
        return {
            "kind": "function",
            "result": _type(model, kind.result),
            "args": [_type(model, arg) for arg in kind.args],
            "ellipsis": bool(kind.ellipsis),
        }
    raise CdefError(f"the ctypes route cannot represent the C type {kind}")


def _struct_name(model: Any, kind: Any) -> str:
    # Anonymous structs behind a typedef are named "$point_t" by cffi; the typedef's
    # name is what scenarios write, so use it.
    if kind.name.startswith("$"):
        return kind.forcename or kind.name.lstrip("$")
    prefix = "union" if isinstance(kind, model.UnionType) else "struct"
    return f"{prefix} {kind.name}"


def describe_cdef(cdef: str) -> dict:
    """Functions, structs, typedefs, constants and variables declared by ``cdef``."""
    try:
        import cffi
        from cffi import model
    except ImportError as error:
        raise CdefError(
            "the cffi-ctypes route needs cffi on the auditor's own Python (pip install cffi)"
        ) from error
    ffi = cffi.FFI()
    try:
        ffi.cdef(cdef)
    except Exception as error:  # cffi raises CDefError, FFIError, pycparser errors
        raise CdefError(f"cffi could not parse the cdef: {error}") from error
    description: dict[str, dict] = {
        "functions": {},
        "structs": {},
        "typedefs": {},
        "constants": {},
        "variables": {},
    }
    for key, (kind, _quals) in ffi._parser._declarations.items():
        category, _, name = key.partition(" ")
        if category == "function":
            description["functions"][name] = _type(model, kind)
        elif category in ("struct", "union", "anonymous"):
            if isinstance(kind, (model.StructType, model.UnionType)):
                fields = None
                if kind.fldnames is not None:
                    if any(bits >= 0 for bits in kind.fldbitsize):
                        raise CdefError(f"{name}: bit fields are not supported by the ctypes route")
                    fields = [
                        [field, _type(model, field_type)]
                        for field, field_type in zip(kind.fldnames, kind.fldtypes, strict=True)
                    ]
                description["structs"][_struct_name(model, kind)] = {
                    "fields": fields,
                    "union": isinstance(kind, model.UnionType),
                }
        elif category == "typedef":
            description["typedefs"][name] = _type(model, kind)
        elif category == "macro":
            description["constants"][name] = kind
        elif category == "constant":
            description["constants"][name] = None
        elif category == "variable":
            description["variables"][name] = _type(model, kind)
        elif category == "enum":
            for enumerator, value in zip(kind.enumerators, kind.enumvalues, strict=True):
                description["constants"][enumerator] = value
    return description
