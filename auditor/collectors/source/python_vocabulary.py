"""Words of the Python source rules: which constructors make shared mutable state, which
methods mutate it, which make locks or random generators.

Shared by the quick text pre-filter (:mod:`.prefilter`), the LibCST analysis
(:mod:`.python_analysis`) and the Cython reader, so that the three agree on what counts
(one list, not three that drift apart).
"""

from __future__ import annotations

MUTABLE_FACTORIES = {
    "list",
    "dict",
    "set",
    "bytearray",
    "defaultdict",
    "deque",
    "OrderedDict",
    "Counter",
    "ChainMap",
    "WeakValueDictionary",
    "WeakKeyDictionary",
    "WeakSet",
}
MUTATING_METHODS = {
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "update",
    "setdefault",
    "add",
    "discard",
    "popitem",
    "appendleft",
    "extendleft",
    "popleft",
    "rotate",
    "sort",
    "reverse",
    "difference_update",
    "intersection_update",
    "symmetric_difference_update",
    "move_to_end",
    "__setitem__",
    "__delitem__",
}
LOCK_FACTORIES = {"Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "allocate_lock"}
RANDOM_STATE_FACTORIES = {"RandomState", "Random", "default_rng", "Generator"}


# Calls whose result is not a plain shared object: containers and locks have their own
# handling, thread-locals are per thread, and these build types, not state.
_NOT_OBJECT_FACTORIES = (
    MUTABLE_FACTORIES
    | LOCK_FACTORIES
    | {
        "local",
        "namedtuple",
        "NamedTuple",
        "TypeVar",
        "TypeVarTuple",
        "ParamSpec",
        "NewType",
        "TypedDict",
        "make_dataclass",
        "type",
        "Enum",
        "IntEnum",
        "Flag",
        "IntFlag",
        "StrEnum",
        "ContextVar",
        "getLogger",
        "compile",
        "frozenset",
        "tuple",
        "object",
        "Event",
        "Queue",
        "SimpleQueue",
        "LifoQueue",
        "PriorityQueue",
        "count",
        "partial",
        "property",
        "cached_property",
        "staticmethod",
        "classmethod",
        "field",
        "dataclass",
        "get_logger",
        "getenv",
        "environ",
        "Path",
        "PurePath",
        "str",
        "int",
        "float",
        "bool",
        "bytes",
        "len",
        "import_module",
        "__import__",
        "dict_keys",
        "MappingProxyType",
        "attrgetter",
        "itemgetter",
        "methodcaller",
        "struct",
        "Struct",
        "dtype",
        "array",
        "sentinel",
        "Sentinel",
        "_Sentinel",
        "Signature",
        "parse",
        "Version",
    }
)


def is_module_object_factory(factory: str | None) -> bool:
    """A module-level ``name = Factory(...)`` whose attributes are shared mutable state."""
    return (
        bool(factory)
        and factory not in _NOT_OBJECT_FACTORIES
        and not factory.isupper()
        and not factory.lower().endswith("local")
    )  # `from threading import local as _threadlocal`


# Process-wide dicts that the interpreter itself changes from any thread: every import
# adds to sys.modules. Iterating them (or copying them with list()/tuple()/sorted(), which
# iterates one entry at a time) is iteration over shared state even though this module
# never writes them; `sys.modules.copy()` takes one consistent snapshot.
PROCESS_CONTAINERS = {"sys.modules": "every import, in any thread, adds to it"}
COPYING_CALLS = {"list", "tuple", "sorted", "set", "dict", "frozenset"}
