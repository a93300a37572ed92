"""A small cffi-like ``ffi`` / ``lib`` pair over ctypes, for interpreters cffi refuses.

cffi (through 2.x) refuses free-threaded CPython 3.13, but a cffi sample's C code is
plain C. The harness compiles it as an ordinary shared library and this module (run in
the child, standard library only) reaches it through ctypes. The signatures are NOT
guessed: the auditor parses the sample's ``cdef`` with cffi's own parser on the host
and hands over a JSON description (functions, structs, typedefs, constants, globals).

Supported: ``lib.function(...)``, ``lib.CONSTANT``, global variables; ``ffi.new``,
``ffi.string``, ``ffi.cast``, ``ffi.buffer``, ``ffi.unpack``, ``ffi.from_buffer``,
``ffi.addressof``, ``ffi.gc``, ``ffi.errno``, ``ffi.sizeof``, ``ffi.NULL``,
``ffi.typeof``; attribute access through struct pointers. Not callbacks. Type strings
are C type names with ``*`` and one ``[N]``/``[]``. Like cffi, calls through ctypes'
``CDLL`` release the GIL on GIL builds.
"""

from __future__ import annotations

import ctypes
import re
import weakref

_PRIMITIVES = {
    "char": ctypes.c_char,
    "signed char": ctypes.c_byte,
    "unsigned char": ctypes.c_ubyte,
    "short": ctypes.c_short,
    "unsigned short": ctypes.c_ushort,
    "int": ctypes.c_int,
    "unsigned int": ctypes.c_uint,
    "long": ctypes.c_long,
    "unsigned long": ctypes.c_ulong,
    "long long": ctypes.c_longlong,
    "unsigned long long": ctypes.c_ulonglong,
    "float": ctypes.c_float,
    "double": ctypes.c_double,
    "long double": ctypes.c_longdouble,
    "_Bool": ctypes.c_bool,
    "bool": ctypes.c_bool,
    "size_t": ctypes.c_size_t,
    "ssize_t": ctypes.c_ssize_t,
    "int8_t": ctypes.c_int8,
    "uint8_t": ctypes.c_uint8,
    "int16_t": ctypes.c_int16,
    "uint16_t": ctypes.c_uint16,
    "int32_t": ctypes.c_int32,
    "uint32_t": ctypes.c_uint32,
    "int64_t": ctypes.c_int64,
    "uint64_t": ctypes.c_uint64,
    "intptr_t": ctypes.c_ssize_t,
    "uintptr_t": ctypes.c_size_t,
    "ptrdiff_t": ctypes.c_ssize_t,
    "wchar_t": ctypes.c_wchar,
}
_ARRAY = re.compile(r"^(?P<base>.*?)\s*\[\s*(?P<length>\d*)\s*\]$")


class UnsupportedDeclaration(TypeError):
    pass


class _Types:
    """Turns the JSON type descriptions into ctypes types (structs built once, by name)."""

    def __init__(self, description: dict) -> None:
        self.description = description
        self.structs: dict[str, type] = {}
        self._struct_pointers: dict[type, type] = {}
        self.typedefs = description.get("typedefs", {})
        for name, struct in description.get("structs", {}).items():
            base = ctypes.Union if struct.get("union") else ctypes.Structure
            self.structs[name] = type(name.replace(" ", "_"), (base,), {})
        for name, struct in description.get("structs", {}).items():
            if struct.get("fields") is not None:
                self.structs[name]._fields_ = [(field, self.ctype(kind)) for field, kind in struct["fields"]]

    def pointer_to(self, target):
        """POINTER(target), with cffi's attribute access through struct pointers (p.x)."""
        if target is None:
            return ctypes.c_void_p
        if not (isinstance(target, type) and issubclass(target, (ctypes.Structure, ctypes.Union))):
            return ctypes.POINTER(target)
        cached = self._struct_pointers.get(target)
        if cached is None:
            cached = type(
                f"{target.__name__}_pointer",
                (ctypes.POINTER(target),),
                {"_type_": target, "__getattr__": _forward_getattr, "__setattr__": _forward_setattr},
            )
            self._struct_pointers[target] = cached
        return cached

    def ctype(self, kind: dict):
        tag = kind["kind"]
        if tag == "void":
            return None
        if tag == "primitive":
            if kind["name"] not in _PRIMITIVES:
                raise UnsupportedDeclaration(f"primitive type {kind['name']!r} has no ctypes equivalent here")
            return _PRIMITIVES[kind["name"]]
        if tag == "enum":
            return ctypes.c_int
        if tag == "struct":
            return self.structs[kind["name"]]
        if tag == "pointer":
            return self.pointer_to(self.ctype(kind["to"]))
        if tag == "array":
            item = self.ctype(kind["of"])
            return ctypes.POINTER(item) if kind.get("length") is None else item * kind["length"]
        if tag == "function":
            result = self.ctype(kind["result"])
            return ctypes.CFUNCTYPE(result, *(self.ctype(arg) for arg in kind["args"]))
        raise UnsupportedDeclaration(f"type {kind!r} is not supported by the ctypes route")

    def parse(self, text: str):
        """A C type string as cffi accepts it, e.g. "char[]", "struct node *", "point_t[4]"."""
        text = " ".join(text.replace("const ", "").split())
        length: int | None | str = "none"
        match = _ARRAY.match(text)
        if match:
            text = match.group("base")
            length = int(match.group("length")) if match.group("length") else None
        pointer_depth = text.count("*")
        base_name = text.replace("*", "").strip()
        if base_name == "void":
            base = None
        elif base_name in _PRIMITIVES:
            base = _PRIMITIVES[base_name]
        elif base_name in self.structs:
            base = self.structs[base_name]
        elif base_name in self.typedefs:
            base = self.ctype(self.typedefs[base_name])
        else:
            raise UnsupportedDeclaration(f"unknown type {base_name!r} (not in the cdef)")
        for _ in range(pointer_depth):
            base = self.pointer_to(base)
        return base, length


class CtypesFFI:
    NULL = None

    def __init__(self, types: _Types) -> None:
        self._types = types

    def new(self, ctype: str, init=None):
        base, length = self._types.parse(ctype)
        if length == "none":
            if not (isinstance(base, type) and issubclass(base, ctypes._Pointer)):
                raise TypeError(f"ffi.new({ctype!r}): expected a pointer or array type, like cffi")
            target = base._type_()
            if init is not None:
                if isinstance(target, (ctypes.Structure, ctypes.Union)):
                    names = [field[0] for field in target._fields_]
                    values = init.items() if isinstance(init, dict) else zip(names, init, strict=False)
                    for name, value in values:
                        setattr(target, name, value)
                else:
                    target.value = init
            return base(target)
        if base is ctypes.c_char and isinstance(init, bytes):
            size = len(init) + 1 if length is None else length
            return ctypes.create_string_buffer(init, size)
        if length is None:
            if isinstance(init, int):
                length, init = init, None
            elif init is not None:
                init = list(init)
                length = len(init)
            else:
                raise TypeError(f"ffi.new({ctype!r}) needs a length or initializer")
        array = (base * length)()
        for index, value in enumerate(init or ()):
            array[index] = value
        return array

    def string(self, cdata, maxlen: int = -1) -> bytes:
        if cdata is None:
            raise RuntimeError("cannot use string() on a NULL pointer")
        if isinstance(cdata, bytes):
            return cdata
        if isinstance(cdata, ctypes.Array) and cdata._type_ is ctypes.c_char:
            return cdata.value if maxlen < 0 else cdata.value[:maxlen]  # .value stops at the NUL
        text = ctypes.cast(cdata, ctypes.c_char_p).value
        if text is None:
            raise RuntimeError("cannot use string() on a NULL pointer")
        return text if maxlen < 0 else text[:maxlen]

    def cast(self, ctype: str, value):
        base, length = self._types.parse(ctype)
        if length != "none":
            raise TypeError("ffi.cast to an array type is not supported")
        if base is not None and issubclass(base, ctypes._SimpleCData) and base is not ctypes.c_void_p:
            if isinstance(value, int):
                return base(value).value
            return base(ctypes.cast(value, ctypes.c_void_p).value or 0).value
        return ctypes.cast(value, base if base is not None else ctypes.c_void_p)

    def buffer(self, cdata, size: int | None = None) -> memoryview:
        if size is None:
            size = ctypes.sizeof(cdata) if isinstance(cdata, ctypes.Array) else ctypes.sizeof(cdata._type_)
        address = ctypes.cast(cdata, ctypes.c_void_p).value
        return memoryview((ctypes.c_char * size).from_address(address)).cast("B")

    def unpack(self, cdata, length: int):
        """The first ``length`` items behind a pointer or array (bytes for char)."""
        if isinstance(cdata, ctypes.Array) and cdata._type_ is ctypes.c_char:
            return bytes(cdata)[:length]
        if isinstance(cdata, ctypes._Pointer) and cdata._type_ is ctypes.c_char:
            return ctypes.string_at(ctypes.cast(cdata, ctypes.c_void_p).value, length)
        return [cdata[index] for index in range(length)]

    def from_buffer(self, *args):
        """A ``char[]`` over a writable Python buffer (bytearray, array, memoryview)."""
        python_buffer = args[-1]
        size = memoryview(python_buffer).nbytes
        return (ctypes.c_char * size).from_buffer(python_buffer)

    def addressof(self, cdata, *fields):
        if fields:
            raise UnsupportedDeclaration("ffi.addressof(cdata, field) is not supported by the ctypes route")
        if isinstance(cdata, ctypes._Pointer):
            return cdata
        return self._types.pointer_to(type(cdata))(cdata)

    def gc(self, cdata, destructor, size: int = 0):
        """Call ``destructor(cdata)`` when the returned object is collected, as cffi does."""
        if destructor is None:
            return cdata
        address = ctypes.cast(cdata, ctypes.c_void_p).value
        owner = (
            ctypes.cast(ctypes.c_void_p(address), type(cdata))
            if isinstance(cdata, ctypes._Pointer)
            else cdata
        )
        weakref.finalize(owner, destructor, ctypes.cast(ctypes.c_void_p(address), type(owner)))
        return owner

    @property
    def errno(self) -> int:
        return ctypes.get_errno()

    @errno.setter
    def errno(self, value: int) -> None:
        ctypes.set_errno(value)

    def sizeof(self, ctype_or_cdata) -> int:
        if isinstance(ctype_or_cdata, str):
            base, length = self._types.parse(ctype_or_cdata)
            if length not in ("none", None):
                return ctypes.sizeof(base) * length
            return ctypes.sizeof(base)
        return ctypes.sizeof(ctype_or_cdata)

    def typeof(self, ctype: str):
        return self._types.parse(ctype)[0]


class _PointerResult:
    """A function returning a pointer: NULL comes back as ``None`` (== ``ffi.NULL``)."""

    __slots__ = ("raw",)

    def __init__(self, raw) -> None:
        self.raw = raw

    def __call__(self, *args):
        result = self.raw(*args)
        return result if result else None


class CtypesLib:
    def __init__(self, library: ctypes.CDLL, description: dict, types: _Types) -> None:
        object.__setattr__(self, "_library", library)
        object.__setattr__(self, "_description", description)
        object.__setattr__(self, "_types", types)

    def __getattr__(self, name: str):
        description = self._description
        if name in description.get("functions", {}):
            signature = description["functions"][name]
            if signature.get("ellipsis"):
                raise UnsupportedDeclaration(
                    f"{name}: variadic functions are not supported by the ctypes route"
                )
            raw = getattr(self._library, name)
            # Pointer parameters are declared void *: ctypes' c_void_p accepts bytes, arrays and
            # pointers of any type, close to what cffi accepts for a `T *` (bytes for `char *`,
            # a `char[]` from ffi.from_buffer for `unsigned char *`); a typed POINTER would not.
            raw.argtypes = [
                ctypes.c_void_p if kind["kind"] in ("pointer", "array") else self._types.ctype(kind)
                for kind in signature["args"]
            ]
            raw.restype = self._types.ctype(signature["result"])
            function = _PointerResult(raw) if signature["result"]["kind"] == "pointer" else raw
            # Cached as a plain attribute: later lookups never reach __getattr__ again.
            object.__setattr__(self, name, function)
            return function
        if name in description.get("constants", {}):
            value = description["constants"][name]
            if value is None:
                raise UnsupportedDeclaration(
                    f"{name}: a constant whose value only the C compiler knows "
                    "(declare it with #define NAME value in the cdef)"
                )
            return value
        if name in description.get("variables", {}):
            return self._types.ctype(description["variables"][name]).in_dll(self._library, name).value
        raise AttributeError(f"cffi library has no function, constant or global variable named {name!r}")

    def __setattr__(self, name: str, value) -> None:
        if name in self._description.get("variables", {}):
            self._types.ctype(self._description["variables"][name]).in_dll(self._library, name).value = value
            return
        raise AttributeError(f"cannot set {name!r}: not a global variable of the cdef")


def _forward_getattr(pointer, name: str):
    return getattr(pointer.contents, name)


def _forward_setattr(pointer, name: str, value) -> None:
    setattr(pointer.contents, name, value)


def open_library(path: str, description: dict) -> tuple[CtypesFFI, CtypesLib]:
    types = _Types(description)
    library = ctypes.CDLL(path, use_errno=True)
    lib = CtypesLib(library, description, types)
    # Resolve every function now, in one thread, before the scenario's threads start:
    # setting argtypes on a ctypes function while another thread calls it is itself a
    # race inside ctypes on free-threaded 3.13 (seen here as "argument 4: TypeError").
    # Variadic functions stay unresolved and fail with a clear message on first use.
    for name, signature in description.get("functions", {}).items():
        if not signature.get("ellipsis"):
            getattr(lib, name)
    return CtypesFFI(types), lib
