"""Every public LiteLLM function that can send a request to a model provider, and every Router
endpoint, read from the installed LiteLLM itself: what the canary (tests/test_canary.py) holds
`targets.find` against, so that a surface LiteLLM adds is either traced or named here with the
reason it is not.

The sources, each read from 1.79.0, 1.90.7, 1.106.12, 1.108.14, 1.109.3 and 1.110.2:

- `litellm.types.utils.CallTypes`, LiteLLM's own list of call types; a value names
  `litellm.<value>` or a function of that name in a subpackage (`litellm.google_genai`, …);
- the functions LiteLLM's logging decorator `litellm.utils.client` wraps, told by the wrapper's
  code object, one of the code constants of `client` itself;
- from 1.106 the dispatch modules (`litellm/<surface>/dispatch.py`, their `__all__`) and the
  routes of the Rust dispatch catalog (`litellm.rust_bridge.catalog.Route`);
- public functions that call one of the above through a name (`completion_with_retries`,
  `batch_completion`, the MCP client's `call_openai_tool`): one level only;
- the Router: the methods of the class that serves its endpoints (`Router`, 1.109's
  `PythonCore`, 1.110's `RustCore`) named like a LiteLLM call, the endpoints `__init__` builds
  per instance with `factory_function`, and on 1.110 the endpoints the core serves by name
  (`litellm.router_rust.invoke.endpoints.endpoint_names()`).

Nothing here runs at instrument() time, patches anything or touches OpenTelemetry, and nothing
raises on a LiteLLM it does not know: a missing module or shape yields fewer names.
"""

from __future__ import annotations

import ast
import contextlib
import dis
import importlib
import importlib.util
import inspect
import os
import sys
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from types import CodeType, FunctionType, MappingProxyType, ModuleType
from typing import Any, Final

ROUTER: Final = "Router"  # the prefix of a Router endpoint's public name: "Router.acompletion"


@dataclass(frozen=True, slots=True)
class Entry:
    """One public function, or one Router endpoint, and where the catalog found it."""

    name: str  # "litellm.completion", "litellm.google_genai.generate_content", "Router.aocr"
    sources: tuple[str, ...]  # "CallTypes.completion", "@client", "litellm.ocr.dispatch.__all__", …
    # Every dotted path the function is bound at (the public name, the module defining it, a
    # dispatch module's `_PYTHON_*` global …), to match a target's label against.
    aliases: frozenset[str] = frozenset()
    # The function objects of the entry: the public one and those it wraps (`__wrapped__`).
    functions: tuple[Any, ...] = ()
    # For a Router endpoint built per instance (up to 1.109): the `__name__` of the LiteLLM
    # function it routes, and whether `factory_function` hands it to the Router's
    # `_ageneric_api_call_with_fallbacks` (not the moderation, search and vector-store paths).
    routes: str | None = None
    generic: bool = False


@dataclass(frozen=True, slots=True)
class Catalog:
    functions: tuple[Entry, ...]
    router_endpoints: tuple[Entry, ...]
    # CallTypes values that name no function the catalog could find (`create_video`,
    # `pass_through_endpoint`): shown in the canary's table, not failed on.
    unresolved: tuple[str, ...] = ()
    router_class: str | None = None  # the dotted name of the class serving the Router's endpoints
    # Modules that would have been read but failed to import (1.90+: `litellm.a2a_protocol`
    # without the `a2a` package): their calls are not in the catalog.
    not_imported: tuple[str, ...] = ()
    failure: str | None = None  # why the derivation stopped, if it did: a bug here, shown by the canary

    @property
    def entries(self) -> tuple[Entry, ...]:
        return (*self.functions, *self.router_endpoints)


# Subpackages of `litellm` that hold no public call: the proxy server (its routes call the public
# functions; importing it starts its own setup), the provider adapters the public functions call,
# type definitions, logging integrations, and LiteLLM's internals, whose Router and Rust parts
# are read on their own below.
_NOT_SCANNED: Final = frozenset(
    {
        "proxy",
        "llms",
        "types",
        "integrations",
        "litellm_core_utils",
        "rust_bridge",
        "router_rust",
        "router_strategy",
        "router_utils",
        "caching",
        "secret_managers",
    }
)
# The modules of a subpackage that define or re-export its public calls.
_SURFACE_MODULES: Final = ("main", "dispatch")
_DEPTH: Final = 10  # how far `__wrapped__` chains are followed
_RUST_ROUTE: Final = "rust_bridge.catalog.Route"

# The names a Router generation's endpoint class and its helpers are read from, newest first.
_ROUTER_CLASSES: Final = (
    ("router_rust.core", "RustCore"),  # 1.110
    ("router_python_core", "PythonCore"),  # 1.109
    ("router", "Router"),  # 1.79 … 1.108
)
_FACTORY: Final = "factory_function"
_GENERIC_METHOD: Final = "_ageneric_api_call_with_fallbacks"
_DYNAMIC_ENDPOINTS: Final = ("router_rust.invoke.endpoints", "endpoint_names")  # 1.110


def derive(litellm: Any) -> Catalog:
    """The catalog of the given `litellm` module; never raises."""
    try:
        return _derive(litellm)
    except Exception as error:  # an unknown LiteLLM yields an empty catalog, with the reason
        return Catalog((), (), failure=f"{type(error).__name__}: {error}")


def _derive(litellm: Any) -> Catalog:
    if not isinstance(litellm, ModuleType):
        return Catalog((), ())
    modules, not_imported = _scanned_modules(litellm)
    index = _Index(litellm, modules)
    unresolved = _from_call_types(litellm, index)
    _from_client_decorator(litellm, index)
    _from_dispatch_modules(modules, index)
    _from_rust_routes(litellm, index)
    _from_callers(litellm, modules, index)
    functions = index.entries()
    router_class, router_endpoints = _router_endpoints(litellm, functions)
    return Catalog(functions, router_endpoints, tuple(unresolved), router_class, not_imported)


# --- where to look ---------------------------------------------------------------------------


def _scanned_modules(litellm: ModuleType) -> tuple[tuple[ModuleType, ...], tuple[str, ...]]:
    """`litellm`, `litellm.main` and each subpackage's package, `main` and `dispatch` modules (and
    those one level deeper: `litellm.interactions.agents.main`), imported; and the names of
    those that failed to import."""
    found: dict[str, ModuleType] = {litellm.__name__: litellm}
    failed: list[str] = []
    own = [f"{litellm.__name__}.main"] if any(_has_module(p, "main") for p in _paths(litellm)) else []
    for name in (*own, *_subpackage_modules(litellm)):
        module = _import(name)
        if module is not None:
            found.setdefault(module.__name__, module)
        else:
            failed.append(name)
    return tuple(found.values()), tuple(failed)


def _subpackage_modules(litellm: ModuleType) -> Iterator[str]:
    for root in _paths(litellm):
        for package, directory in _directories(root):
            # `router*`: the Router's modules, read on their own below.
            if package in _NOT_SCANNED or package.startswith(("_", "router")):
                continue
            yield from _package_modules(f"{litellm.__name__}.{package}", directory)
            for inner, inner_directory in _directories(directory):
                if _has_module(inner_directory, "main"):
                    yield f"{litellm.__name__}.{package}.{inner}.main"


def _package_modules(dotted: str, directory: str) -> Iterator[str]:
    if _has_module(directory, "__init__"):
        yield dotted
    for module in _SURFACE_MODULES:
        if _has_module(directory, module):
            yield f"{dotted}.{module}"


def _has_module(directory: str, name: str) -> bool:
    return os.path.isfile(os.path.join(directory, f"{name}.py"))


def _scanned_package(package: str, module: str) -> bool:
    parts = module.split(".")
    return parts[0] == package and (len(parts) < 2 or parts[1] not in _NOT_SCANNED)


def _paths(module: ModuleType) -> tuple[str, ...]:
    path = _safe_getattr(module, "__path__")
    try:
        return tuple(p for p in path if isinstance(p, str)) if path is not None else ()
    except TypeError:
        return ()


def _directories(root: str) -> Iterator[tuple[str, str]]:
    try:
        with os.scandir(root) as listing:
            entries = sorted((entry.name, entry.path) for entry in listing if entry.is_dir())
    except OSError:
        return
    yield from ((name, path) for name, path in entries if name.isidentifier())


def _import(name: str) -> ModuleType | None:
    module = sys.modules.get(name)
    if isinstance(module, ModuleType):
        return module
    try:
        return importlib.import_module(name)
    except Exception:  # a module needing an optional dependency (a2a_protocol on 1.106+)
        return None
    except SystemExit:
        return None


# --- the functions ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Group:
    """The functions that are one public call: a dispatch function, the @client wrapper it wraps,
    the function that wraps; keyed by the innermost."""

    functions: dict[int, Any] = field(default_factory=dict)
    sources: dict[str, None] = field(default_factory=dict)


class _Index:
    """Where each function of the scanned modules is bound, and the groups found so far."""

    def __init__(self, litellm: ModuleType, modules: tuple[ModuleType, ...]) -> None:
        self.litellm = litellm
        self.bindings: dict[int, list[str]] = {}
        self.by_name: dict[str, list[Any]] = {}
        self.objects: dict[int, Any] = {}
        self.groups: dict[int, _Group] = {}
        self.homes: list[ModuleType] = []  # the modules read for their functions' `__module__`
        scanned = {module.__name__: module for module in modules}
        for module in modules:
            self._bind_module(module)
        # And the modules those functions are defined in, which a package's `__init__` re-exports
        # from (`litellm.experimental_mcp_client.tools`, whose `call_mcp_tool` it does not).
        homes = {str(getattr(f, "__module__", "")) for f in self.objects.values()} - set(scanned)
        for name in sorted(homes):
            home = sys.modules.get(name)
            if isinstance(home, ModuleType) and _scanned_package(litellm.__name__, name):
                self._bind_module(home)
                self.homes.append(home)

    def _bind_module(self, module: ModuleType) -> None:
        for attribute, value in _items(module):
            if inspect.isfunction(value):
                self._bind(f"{module.__name__}.{attribute}", attribute, value)

    def _bind(self, path: str, attribute: str, value: Any) -> None:
        paths = self.bindings.setdefault(id(value), [])
        if path not in paths:
            paths.append(path)
            self.by_name.setdefault(attribute, []).append(value)
        self.objects[id(value)] = value

    def add(self, function: Any, source: str) -> None:
        chain = _wrapped_chain(function)
        key = id(chain[-1])
        group = self.groups.setdefault(key, _Group())
        for member in chain:
            group.functions.setdefault(id(member), member)
            self.objects[id(member)] = member
        group.sources.setdefault(source, None)
        # A function bound on `litellm` only lazily (1.90+: `litellm.__getattr__`) is bound there too.
        name = getattr(function, "__name__", None)
        if isinstance(name, str) and _attribute(self.litellm, name) is function:
            self._bind(f"{self.litellm.__name__}.{name}", name, function)

    def group_of(self, function: Any) -> _Group | None:
        return self.groups.get(id(_wrapped_chain(function)[-1]))

    def named(self, name: str) -> list[Any]:
        return self.by_name.get(name, [])

    def entries(self) -> tuple[Entry, ...]:
        entries = []
        for group in self.groups.values():
            aliases = [path for member in group.functions for path in self.bindings.get(member, ())]
            name = _public_name(aliases) or _defined_at(next(iter(group.functions.values())))
            entries.append(
                Entry(
                    name,
                    tuple(group.sources),
                    frozenset(aliases) | {name},
                    tuple(group.functions.values()),
                )
            )
        return tuple(sorted(_merged(entries), key=lambda entry: entry.name))


def _merged(entries: Iterable[Entry]) -> Iterator[Entry]:
    """Groups that end up under one public name are one entry."""
    by_name: dict[str, Entry] = {}
    for entry in entries:
        seen = by_name.get(entry.name)
        if seen is None:
            by_name[entry.name] = entry
            continue
        by_name[entry.name] = Entry(
            entry.name,
            tuple(dict.fromkeys((*seen.sources, *entry.sources))),
            seen.aliases | entry.aliases,
            (*seen.functions, *entry.functions),
        )
    yield from by_name.values()


def _public_name(paths: Iterable[str]) -> str | None:
    """The path a user would call it by: on `litellm` itself if it is there, else the shortest
    path whose modules are all public."""
    public = [p for p in paths if not any(part.startswith("_") for part in p.split(".")[:-1])]
    if not public:
        return None
    return min(public, key=lambda p: (p.count("."), p.rsplit(".", 1)[-1].startswith("_"), len(p), p))


def _defined_at(function: Any) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__qualname__', '?')}"


def _wrapped_chain(function: Any) -> list[Any]:
    chain = [function]
    for _ in range(_DEPTH):
        inner = _safe_getattr(chain[-1], "__wrapped__")
        if inner is None or not callable(inner) or any(inner is f for f in chain):
            break
        chain.append(inner)
    return chain


def _from_call_types(litellm: ModuleType, index: _Index) -> list[str]:
    """CallTypes values resolved to `litellm.<value>`, else to a scanned module's function of
    that name; the values that name none."""
    call_types = _attribute(_import(f"{litellm.__name__}.types.utils"), "CallTypes")
    unresolved: list[str] = []
    for member_name, value in _enum_values(call_types):
        function = _attribute(litellm, value)
        if not inspect.isfunction(function):
            candidates = [f for f in index.named(value) if inspect.isfunction(f)]
            function = candidates[0] if candidates else None
        if function is None:
            unresolved.append(value)
            continue
        index.add(function, f"CallTypes.{member_name}")
    return unresolved


def _enum_values(enum_class: Any) -> Iterator[tuple[str, str]]:
    members = _safe_getattr(enum_class, "__members__")
    if not isinstance(members, Mapping):
        return
    for member_name, member in list(members.items()):
        value = _safe_getattr(member, "value")
        if isinstance(member_name, str) and isinstance(value, str) and value.isidentifier():
            yield member_name, value


def client_codes(litellm: Any) -> frozenset[CodeType]:
    """The code objects of the wrappers `litellm.utils.client` returns (`wrapper`,
    `wrapper_async`): nested functions' code is a constant of the decorator's own code."""
    client = _attribute(_import(f"{getattr(litellm, '__name__', 'litellm')}.utils"), "client")
    code = _safe_getattr(client, "__code__")
    if not isinstance(code, CodeType):
        return frozenset()
    return frozenset(c for c in code.co_consts if isinstance(c, CodeType))


def _from_client_decorator(litellm: ModuleType, index: _Index) -> None:
    codes = client_codes(litellm)
    if not codes:
        return
    for key, function in list(index.objects.items()):
        if _safe_getattr(function, "__code__") in codes and key in index.bindings:
            index.add(function, "@client")


def _from_dispatch_modules(modules: Iterable[ModuleType], index: _Index) -> None:
    """From 1.106: the public functions of `litellm/<surface>/dispatch.py`, as its `__all__` names them."""
    for module in modules:
        if not module.__name__.endswith(".dispatch"):
            continue
        exported = _safe_getattr(module, "__all__")
        if not isinstance(exported, (list, tuple)):
            continue
        for name in exported:
            function = _attribute(module, name) if isinstance(name, str) else None
            if inspect.isfunction(function):
                index.add(function, f"{module.__name__}.__all__")


def _from_rust_routes(litellm: ModuleType, index: _Index) -> None:
    """From 1.106: the routes of the Rust dispatch catalog; a route names a dispatch package
    (`chat_completions`) or the public function and its async twin (`transcription`)."""
    routes = _attribute(_import(f"{litellm.__name__}.rust_bridge.catalog"), "Route")
    for member_name, route in _enum_values(routes):
        source = f"{_RUST_ROUTE}.{member_name}"
        dispatch = sys.modules.get(f"{litellm.__name__}.{route}.dispatch")
        exported = _safe_getattr(dispatch, "__all__") if dispatch is not None else None
        names = [n for n in exported if isinstance(n, str)] if isinstance(exported, (list, tuple)) else []
        for name in names or (route, f"a{route}"):
            function = _attribute(dispatch, name) if names else _attribute(litellm, name)
            if inspect.isfunction(function):
                index.add(function, source)


def _from_callers(litellm: ModuleType, modules: Iterable[ModuleType], index: _Index) -> None:
    """Public functions of the scanned modules that call a function found so far by a name the
    module binds to it, or on `litellm` (`litellm.completion`): one level, not their callers."""
    # Not the callers of a helper only the Rust catalog names (`token_counter`).
    found = {
        id(f): f
        for group in index.groups.values()
        if any(not source.startswith(_RUST_ROUTE) for source in group.sources)
        for f in group.functions.values()
    }
    known: dict[str, list[Any]] = {}
    for function in found.values():
        name = getattr(function, "__name__", None)
        if isinstance(name, str):
            known.setdefault(name, []).append(function)
    # And the functions `litellm` binds lazily (1.90+: `litellm.check_valid_key` is read from
    # `litellm.utils` on first use), which only their home module holds until then.
    readable = [(module, False) for module in modules] + [(module, True) for module in index.homes]
    for module, only_if_on_litellm in readable:
        for attribute, function in _items(module):
            if (
                attribute.startswith("_")
                or not inspect.isfunction(function)
                or id(function) in found
                or index.group_of(function) is not None
                or not str(getattr(function, "__module__", "")).startswith(f"{litellm.__name__}.")
            ):
                continue
            home = sys.modules.get(function.__module__)
            for called in _called(function, known, home, litellm):
                on_litellm = _attribute(litellm, attribute) is function
                if index.group_of(called) is not None and (on_litellm or not only_if_on_litellm):
                    called_as = _public_name(index.bindings.get(id(called), ())) or _display(called)
                    index.add(function, f"calls {called_as}")
                    break


def _called(
    function: FunctionType, known: Mapping[str, list[Any]], home: Any, litellm: ModuleType
) -> Iterator[Any]:
    """The known functions `function` calls by a global name its module binds to one, as an
    attribute of `litellm` (`litellm.completion`, `import litellm` inside the function too), or
    by a name it imports itself (1.90+: `from litellm.responses.dispatch import responses`)."""
    package = str(getattr(home, "__package__", "") or "")
    for owner_name, name in _loaded_names(function.__code__, litellm.__name__):
        candidates = known.get(name, ())
        if not candidates:
            continue
        # Only modules already imported: reading a function must not import what it would.
        owner = home if owner_name is None else sys.modules.get(_absolute(owner_name, package))
        for candidate in candidates:
            if _attribute(owner, name) is candidate:
                yield candidate


# The opcodes that load a name (3.10 … 3.13) and those that read an attribute off it.
_LOADS: Final = frozenset({"LOAD_GLOBAL", "LOAD_NAME", "LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_DEREF"})
_ATTRIBUTE_LOADS: Final = frozenset({"LOAD_ATTR", "LOAD_METHOD"})


def _loaded_names(code: CodeType, package: str) -> Iterator[tuple[str | None, str]]:
    """(where from, name) for each name `code` and the functions nested in it use: a global
    (None: the function's module), an attribute read off `package`'s name (`package`), or a name
    imported from a module (that module's name, with a leading dot per level when relative)."""
    previous: str | None = None
    level = 0
    imported_from: str | None = None
    for instruction in dis.get_instructions(code):
        argument = instruction.argval
        if not isinstance(argument, str):
            level = argument if instruction.opname == "LOAD_CONST" and isinstance(argument, int) else level
            previous = None
            continue
        if instruction.opname == "LOAD_GLOBAL":
            yield None, argument
        elif instruction.opname in _ATTRIBUTE_LOADS and previous == package:
            yield package, argument
        elif instruction.opname == "IMPORT_NAME":
            imported_from = "." * level + argument
        elif instruction.opname == "IMPORT_FROM" and imported_from is not None:
            yield imported_from, argument
        previous = argument if instruction.opname in _LOADS else None
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _loaded_names(constant, package)


def _absolute(module: str, package: str) -> str:
    """`module` made absolute against `package` when it is relative (`.main` in `litellm`)."""
    if not module.startswith("."):
        return module
    try:
        return importlib.util.resolve_name(module, package)
    except (ImportError, ValueError):
        return module


def _display(function: Any) -> str:
    return f"{getattr(function, '__module__', '?')}.{getattr(function, '__name__', '?')}"


# --- the Router --------------------------------------------------------------------------------


def _router_endpoints(
    litellm: ModuleType, functions: tuple[Entry, ...]
) -> tuple[str | None, tuple[Entry, ...]]:
    for module_name, class_name in _ROUTER_CLASSES:
        owner = _attribute(_import(f"{litellm.__name__}.{module_name}"), class_name)
        if isinstance(owner, type):
            where = f"{litellm.__name__}.{module_name}.{class_name}"
            return where, tuple(sorted(_endpoints_of(owner, where, litellm, functions), key=lambda e: e.name))
    return None, ()


def _endpoints_of(
    owner: type, where: str, litellm: ModuleType, functions: tuple[Entry, ...]
) -> Iterator[Entry]:
    call_types = _attribute(_import(f"{litellm.__name__}.types.utils"), "CallTypes")
    call_names = {entry.name.rsplit(".", 1)[-1] for entry in functions}
    call_names |= {value for _, value in _enum_values(call_types)}
    methods = dict(_methods(owner))
    found: dict[str, Entry] = {}

    def add(name: str, source: str, **details: Any) -> None:
        seen = found.get(name)
        sources = tuple(dict.fromkeys((*(seen.sources if seen else ()), source)))
        found[name] = Entry(f"{ROUTER}.{name}", sources, **details)

    for name, method in methods.items():
        if name in call_names:
            add(name, f"{where}.{name} (method)", functions=(method,))
    # Public methods that call an endpoint found so far on `self` (`abatch_completion` calls
    # `self.acompletion` per model): one level.
    endpoints = set(found)
    for name, method in methods.items():
        if name not in found and not name.startswith("_") and _calls_on_self(method, endpoints):
            add(name, f"{where}.{name} (method calling an endpoint)", functions=(method,))
    for endpoint in _factory_endpoints(owner, litellm):
        through = f", through {_GENERIC_METHOD}" if endpoint.generic else ""
        source = (
            f"{where}.{_FACTORY}({endpoint.routes}, call_type={endpoint.call_type!r}) per instance{through}"
        )
        add(endpoint.name, source, routes=endpoint.routes, generic=endpoint.generic)
    module_name, function_name = _DYNAMIC_ENDPOINTS
    served = f"{litellm.__name__}.{module_name}"
    for name in _served_by_name(served, function_name):
        seen = found.get(name)
        add(name, f"{served}.{function_name}()", functions=seen.functions if seen else ())
    yield from found.values()


def _served_by_name(module_name: str, function_name: str) -> list[str]:
    """1.110: the endpoints `RustCore.__getattr__` serves by name, which the facade's `dir()` lists."""
    names = _call(_attribute(_import(module_name), function_name))
    return sorted(n for n in names if isinstance(n, str)) if isinstance(names, (set, frozenset)) else []


def _methods(owner: type) -> Iterator[tuple[str, Any]]:
    seen: set[str] = set()
    for cls in getattr(owner, "__mro__", (owner,)):
        if not str(getattr(cls, "__module__", "")).startswith("litellm"):
            continue
        for name, value in list(vars(cls).items()):
            if name not in seen and inspect.isfunction(value):
                seen.add(name)
                yield name, value


def _calls_on_self(method: FunctionType, names: set[str]) -> bool:
    return any(name in names for name in _attributes_of(method.__code__, "self"))


def _attributes_of(code: CodeType, owner: str) -> Iterator[str]:
    """The attributes read off the local `owner` in `code` and the functions nested in it."""
    previous: str | None = None
    for instruction in dis.get_instructions(code):
        argument = instruction.argval
        if instruction.opname in _ATTRIBUTE_LOADS and previous == owner and isinstance(argument, str):
            yield argument
        previous = argument if instruction.opname in _LOADS and isinstance(argument, str) else None
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _attributes_of(constant, owner)


@dataclass(frozen=True, slots=True)
class _FactoryEndpoint:
    name: str
    routes: str  # the `__name__` of the function it routes, which the generic method is handed
    call_type: str
    generic: bool  # whether its call type runs through _GENERIC_METHOD


def _factory_endpoints(owner: type, litellm: ModuleType) -> Iterator[_FactoryEndpoint]:
    """`self.<endpoint> = self.factory_function(<function>, call_type=…)` in the class's methods
    (1.79 … 1.109), with the function it routes (`litellm.amoderation`, a name imported in the
    method, or 1.109's `self._host.invoke("amoderation")`, which reads `litellm.<op>` then) and
    whether `factory_function` hands its call type to _GENERIC_METHOD."""
    factory = vars(owner).get(_FACTORY)
    if not inspect.isfunction(factory):
        return
    tree = _parsed(owner)
    if tree is None:
        return
    default = _default(factory, "call_type")
    generic = _generic_call_types(factory, dict(_methods(owner)))
    home = sys.modules.get(str(getattr(owner, "__module__", "")))
    for method in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        imported: dict[str, tuple[str, str]] = {}
        for node in sorted(_statements(method), key=lambda n: (n.lineno, n.col_offset)):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.update({a.asname or a.name: (node.module, a.name) for a in node.names})
                continue
            call = node.value if isinstance(node, ast.Assign) else None
            if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
                continue
            if call.func.attr != _FACTORY or not call.args or not isinstance(node, ast.Assign):
                continue
            call_type = _keyword(call, "call_type", default)
            routes = _routed(call.args[0], imported, home, litellm)
            for target in node.targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    yield _FactoryEndpoint(target.attr, routes, call_type, call_type in generic)


def _statements(method: ast.AST) -> Iterator[ast.stmt]:
    for node in ast.walk(method):
        if isinstance(node, (ast.ImportFrom, ast.Assign)):
            yield node


def _parsed(owner: Any) -> ast.Module | None:
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(owner)))
    except (OSError, TypeError, SyntaxError, ValueError):
        return None


def _default(function: FunctionType, parameter: str) -> str:
    try:
        value = inspect.signature(function).parameters[parameter].default
    except (KeyError, TypeError, ValueError):
        return "?"
    return value if isinstance(value, str) else "?"


def _keyword(call: ast.Call, name: str, default: str) -> str:
    for keyword in call.keywords:
        if (
            keyword.arg == name
            and isinstance(keyword.value, ast.Constant)
            and isinstance(keyword.value.value, str)
        ):
            return keyword.value.value
    return default


def _routed(node: ast.expr, imported: Mapping[str, tuple[str, str]], home: Any, litellm: ModuleType) -> str:
    """The `__name__` of the function an endpoint is built from, else the name it is given by."""
    function: Any = None
    text = "?"
    if isinstance(node, ast.Name):
        text = node.id
        module_name, attribute = imported.get(node.id, ("", node.id))
        function = _attribute(_import(module_name), attribute) if module_name else _attribute(home, attribute)
    elif isinstance(node, ast.Attribute):
        text = node.attr
        function = _attribute(litellm, node.attr)
    elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        op = node.args[0].value
        text = op if isinstance(op, str) else "?"
        function = _attribute(litellm, text)
    name = getattr(function, "__name__", None)
    return name if isinstance(name, str) else text


def _generic_call_types(factory: FunctionType, methods: Mapping[str, Any]) -> frozenset[str]:
    """The call types `factory_function` hands to _GENERIC_METHOD: those of each `if call_type
    in (…)` / `== …` branch whose body calls it on `self`, or calls a method that does."""
    tree = _parsed(factory)
    if tree is None:
        return frozenset()
    generic: set[str] = set()
    claimed: set[str] = set()
    # The first branch naming a call type serves it: each returns (`ocr` is in the sync branch
    # and in the async one's tuple on 1.79, and served by the sync one).
    branches = sorted((n for n in ast.walk(tree) if isinstance(n, ast.If)), key=lambda n: n.lineno)
    for node in branches:
        types = _compared_call_types(node.test) - claimed
        claimed |= types
        if types and any(_reaches_generic(name, methods) for name in _self_calls(node.body)):
            generic |= types
    return frozenset(generic)


def _compared_call_types(test: ast.expr) -> set[str]:
    if not (
        isinstance(test, ast.Compare) and isinstance(test.left, ast.Name) and test.left.id == "call_type"
    ):
        return set()
    values: set[str] = set()
    for comparator in test.comparators:
        items = comparator.elts if isinstance(comparator, (ast.Tuple, ast.List, ast.Set)) else [comparator]
        values |= {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
    return values


def _self_calls(body: list[ast.stmt]) -> set[str]:
    return {
        node.func.attr
        for statement in body
        for node in ast.walk(statement)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "self"
    }


def _reaches_generic(name: str, methods: Mapping[str, Any]) -> bool:
    if name == _GENERIC_METHOD:
        return True
    method = methods.get(name)
    return inspect.isfunction(method) and _GENERIC_METHOD in set(_attributes_of(method.__code__, "self"))


# --- small helpers -----------------------------------------------------------------------------


def _items(module: Any) -> list[tuple[str, Any]]:
    try:
        return [(k, v) for k, v in list(vars(module).items()) if isinstance(k, str)]
    except TypeError:
        return []


def _attribute(owner: Any, name: str) -> Any:
    if owner is None:
        return None
    return _safe_getattr(owner, name)


def _safe_getattr(owner: Any, name: str) -> Any:
    try:
        return getattr(owner, name, None)
    except Exception:  # a lazy attribute whose import fails
        return None


def _call(function: Any) -> Any:
    if not callable(function):
        return None
    with contextlib.suppress(Exception):
        return function()
    return None


# --- what is deliberately not traced ----------------------------------------------------------


def _each(reason: str, *names: str) -> dict[str, str]:
    return dict.fromkeys(names, f"not traced, because {reason}")


def _twins(*names: str) -> tuple[str, ...]:
    """x and ax for each name x: a sync function and its async twin."""
    return tuple(f"{prefix}{name}" for name in names for prefix in ("", "a"))


def _on(owner: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{owner}.{name}" for name in names)


def _sdk(*names: str) -> tuple[str, ...]:
    return _on("litellm", *names)


def _router(*names: str) -> tuple[str, ...]:
    return _on(ROUTER, *names)


_ROUTED: Final = "; the Router endpoint only picks the deployment whose credentials it uses"
# Router endpoints whose attempts are traced (each a litellm.<op> call) without a router span: see
# the reason in UNTRACED. Model inference, so the canary's other test allows exactly these.
ATTEMPTS_ONLY_ROUTER_ENDPOINTS: Final = _router(
    "amoderation",
    "asearch",
    "search",
    "ocr",
    "aocr",
    "agenerate_content",
    "generate_content",
    "agenerate_content_stream",
    "generate_content_stream",
    "aimage_edit",
    "avideo_generation",
    "video_generation",
    "avideo_remix",
    "video_remix",
    "avideo_edit",
    "video_edit",
    "avideo_extension",
    "video_extension",
    "acreate_interaction",
    "create_interaction",
    "acompact_responses",
    "adecisions",
    "decisions",
    "asystemone",
    "systemone",
    "aextraction",
    "extraction",
)
_CONTAINER_CALLS: Final = (
    "create_container",
    "list_containers",
    "retrieve_container",
    "delete_container",
    "upload_container_file",
    "list_container_files",
    "retrieve_container_file",
    "retrieve_container_file_content",
    "delete_container_file",
)
_VECTOR_STORE_CALLS: Final = ("create", "retrieve", "list", "update", "delete")
_VECTOR_STORE_FILE_CALLS: Final = ("create", "list", "retrieve", "content", "update", "delete")
_AGENT_CALLS: Final = ("create_agent", "list_agents", "get_agent", "delete_agent", "list_agent_versions")
_EVAL_CALLS: Final = (
    *("create_eval", "list_evals", "get_eval", "update_eval", "delete_eval", "cancel_eval"),
    *("create_run", "list_runs", "get_run", "delete_run", "cancel_run"),
)

# Read from 1.79.0 … 1.110.2 (a release in a reason is the one the surface appears from). Model
# inference is never listed here: tests/test_canary.py refuses it.
UNTRACED: Final[Mapping[str, str]] = MappingProxyType(
    {
        **_each(
            "it uploads, lists, reads or deletes files in the provider's file store (OpenAI /v1/files "
            "and its peers): no model is run",
            *_sdk(*_twins("create_file", "file_retrieve", "file_delete", "file_list", "file_content")),
        ),
        **_each(
            f"it uploads, lists, reads or deletes files in the provider's file store{_ROUTED}",
            *_router("acreate_file", "afile_delete", "afile_content", "afile_list"),
        ),
        **_each(
            "it submits, polls, cancels or lists a batch job: the provider runs the batch's requests "
            "later, outside this process, and reports their usage in the output file, not in this call",
            *_sdk(*_twins("create_batch", "retrieve_batch", "cancel_batch", "list_batches")),
        ),
        **_each(
            f"it submits, polls, cancels or lists a batch job the provider runs later{_ROUTED}",
            *_router("acreate_batch", "aretrieve_batch", "acancel_batch", "alist_batches"),
        ),
        **_each(
            "it manages objects of OpenAI's deprecated Assistants API (assistants, threads, "
            "messages): no model is run",
            *_sdk(
                *_twins("get_assistants", "create_assistants", "create_thread", "get_thread", "get_messages")
            ),
            *_sdk("delete_assistant", "adelete_assistant", "add_message", "a_add_message"),
        ),
        **_each(
            "it runs a thread of OpenAI's deprecated Assistants API (runs.create_and_poll): the model "
            "runs server-side, possibly over several steps and tool calls, and the Run it returns is "
            "no model response; left out with the rest of the Assistants API, a deliberate gap",
            *_sdk(*_twins("run_thread", "run_thread_stream")),
        ),
        **_each(
            f"it manages or runs objects of OpenAI's deprecated Assistants API{_ROUTED}",
            *_router("acreate_assistants", "adelete_assistant", "aget_assistants", "acreate_thread"),
            *_router("aget_thread", "a_add_message", "aget_messages", "arun_thread"),
        ),
        **_each(
            "it creates, cancels, lists or reads fine-tuning jobs: training runs at the provider, "
            "no inference happens in this call",
            *_sdk(*_twins("create_fine_tuning_job", "cancel_fine_tuning_job")),
            *_sdk(*_twins("list_fine_tuning_jobs", "retrieve_fine_tuning_job")),
            *_router("acreate_fine_tuning_job", "acancel_fine_tuning_job"),
            *_router("alist_fine_tuning_jobs", "aretrieve_fine_tuning_job"),
        ),
        **_each(
            "it reads, deletes or cancels a stored response, or lists its input items, by id: "
            "nothing is generated (the response was traced when it was generated)",
            *_sdk(*_twins("get_responses", "delete_responses", "cancel_responses", "list_input_items")),
            *_router("aget_responses", "adelete_responses", "acancel_responses", "alist_input_items"),
        ),
        **_each(
            "up to 1.109 the Router binds it per instance (factory_function over litellm.aresponses, "
            "handed to _ageneric_api_call_with_fallbacks): each attempt is a litellm.aresponses or "
            "litellm.responses call, which is traced, but there is no router span (targets.py)",
            *_router("aresponses", "responses"),
        ),
        **_each(
            "the Router serves it by a path of its own or by name, which nothing marks as a Router "
            "call: up to 1.109 `moderation`, `search` and the sync per-instance endpoints "
            "(_pass_through_moderation_endpoint_factory, _asearch_with_fallbacks, "
            "_generic_api_call_with_fallbacks), on 1.110 every endpoint RustCore serves by name "
            "(`__getattr__`, a fresh closure per read). Each attempt calls litellm.<op> (or its "
            "package's name), which is traced as a CLIENT span; there is no router span over them",
            *ATTEMPTS_ONLY_ROUTER_ENDPOINTS,
        ),
        **_each(
            "it runs litellm.completion once per request on a thread pool and sends nothing itself: "
            "each request is a traced chat span, under the caller's span (the pool it makes carries "
            "the caller's context in; batch_completion_models_all_responses uses the process-wide "
            "class, so its spans have no parent)",
            *_sdk("batch_completion", "batch_completion_models", "batch_completion_models_all_responses"),
        ),
        **_each(
            "it forwards a raw HTTP request to any provider route as it is (pass-through): LiteLLM "
            "knows neither the operation nor the shape of what comes back",
            *_sdk(*_twins("llm_passthrough_route")),
            *_router("allm_passthrough_route"),
        ),
        **_each(
            "it is a realtime session proxied over a websocket between a client and the provider "
            "(the Responses API's from 1.90): long-lived and two-way, no request/response call",
            *_sdk("_arealtime", "_aresponses_websocket"),
            *_router("_arealtime", "_aresponses_websocket"),
        ),
        **_each(
            "it mints an ephemeral client secret or session (1.90+) for a realtime session the client "
            "then opens with the provider itself: the model runs in that session, not in this call",
            *_sdk("acreate_realtime_client_secret", "acreate_realtime_translation_client_secret"),
            *_sdk("acreate_realtime_transcription_session"),
            *_router("acreate_realtime_client_secret", "acreate_realtime_translation_client_secret"),
            *_router("acreate_realtime_transcription_session"),
        ),
        **_each(
            "it sets up a WebRTC realtime call (SDP offer and answer, 1.90+): the audio then flows "
            "between the client and the provider, not through LiteLLM",
            *_sdk("arealtime_calls", "arealtime_translation_calls"),
            *_router("arealtime_calls", "arealtime_translation_calls"),
        ),
        **_each(
            "it creates, lists, reads or deletes a code-interpreter container or a file in one "
            "(1.90+): no model is run",
            *_sdk(*_twins(*_CONTAINER_CALLS[:6])),
            *_on("litellm.containers", *_twins(*_CONTAINER_CALLS[5:])),
            *_on("litellm.containers.endpoint_factory", *_twins("upload_container_file")),
            *_router(*_twins(*_CONTAINER_CALLS)),
        ),
        **_each(
            "it creates, reads, lists, updates or deletes a vector store or a file in one: storage "
            "management, no model is run",
            *_on("litellm.vector_stores", *_twins("create")),
            *_on("litellm.vector_stores.main", *_twins(*_VECTOR_STORE_CALLS[1:])),
            *_sdk(*_twins(*(f"vector_store_file_{name}" for name in _VECTOR_STORE_FILE_CALLS))),
            *_router(*_twins(*(f"vector_store_{name}" for name in _VECTOR_STORE_CALLS))),
            *_router(*_twins(*(f"vector_store_file_{name}" for name in _VECTOR_STORE_FILE_CALLS))),
        ),
        **_each(
            "it searches a vector store: a retrieval over stored chunks that returns them with their "
            "scores, no generated output and no token usage; a query LiteLLM embeds itself goes "
            "through litellm.aembedding, which is traced",
            *_on("litellm.vector_stores", *_twins("search")),
            *_router(*_twins("vector_store_search")),
        ),
        **_each(
            "it manages Anthropic Agent Skills (uploads, lists, reads or deletes skill bundles, "
            "1.90+): no model is run",
            *_sdk(*_twins("create_skill", "list_skills", "get_skill", "delete_skill")),
            *_router("acreate_skill", "alist_skills", "aget_skill", "adelete_skill"),
        ),
        **_each(
            "it manages OpenAI Evals and their runs (1.90+): the model calls an eval run makes happen "
            "at the provider, later, outside this process",
            *_sdk(*_twins(*_EVAL_CALLS)),
        ),
        **_each(
            "it creates or deletes a code sandbox, or runs code in one (E2B and peers, 1.90+): code "
            "execution, no model is run",
            *_sdk(*_twins("create_sandbox", "delete_sandbox", "run_code", "code_interpreter_tool")),
        ),
        **_each(
            "it reads, deletes or cancels a stored interaction by id (1.90+): nothing is generated",
            *_on("litellm.interactions", *_twins("get", "delete", "cancel")),
            *_router(*_twins("get_interaction", "delete_interaction", "cancel_interaction")),
        ),
        **_each(
            "it creates, lists, reads or deletes a managed agent definition (1.90+): no model is run",
            *_sdk(*_twins(*_AGENT_CALLS)),
            *_router(*_twins(*_AGENT_CALLS)),
        ),
        **_each(
            "it polls a video job's status, lists video jobs or downloads a finished video's bytes: "
            "the generation was traced when it was requested (video_generation, video_remix)",
            *_sdk(*_twins("video_status", "video_list", "video_content")),
            *_router(*_twins("video_status", "video_list", "video_content")),
        ),
        **_each(
            "it uploads a video to create a reusable character, or reads one (1.90+): an asset for "
            "later generations, none is generated here",
            *_sdk(*_twins("video_create_character", "video_get_character")),
            *_router(*_twins("video_create_character", "video_get_character")),
        ),
        **_each(
            "it ingests a document into a vector store (upload, chunk, index, 1.90+); the OCR and "
            "embedding requests it makes go through litellm.aocr and litellm.aembedding, traced on "
            "their own",
            *_sdk(*_twins("ingest")),
            *_on("litellm.rag", "rag_ingest", "arag_ingest"),
        ),
        **_each(
            "it is a RAG pipeline (1.90+): a vector-store search, then the answer through "
            "litellm.acompletion or Router.acompletion, which are traced",
            *_sdk(*_twins("query")),
        ),
        **_each(
            "it only returns litellm.acompletion(...) (a thin alias kept for LangChain), whose span "
            "covers the call",
            *_sdk("acreate"),
        ),
        **_each(
            "each attempt is litellm.aadapter_completion, which is traced; the Router adds no span "
            "of its own",
            *_router("aadapter_completion"),
        ),
        **_each(
            "each attempt is litellm.aadapter_generate_content, which turns a generateContent request "
            "into litellm.acompletion (traced); the Router adds no span of its own",
            *_router("aadapter_generate_content"),
        ),
        **_each(
            "it tries the model and then each of its fallbacks through litellm.acompletion, whose span "
            "covers each attempt (SDK-level fallbacks: completion(..., fallbacks=[...]))",
            *_sdk("async_completion_with_fallbacks"),
        ),
        **_each(
            "it reads arguments from litellm.config_path and calls litellm.completion, whose span "
            "covers the call",
            *_sdk("config_completion"),
        ),
        **_each(
            "it tests an API key with a 10-token litellm.completion, whose span covers that request",
            *_sdk("check_valid_key"),
        ),
        **_each(
            "it loops litellm.completion or litellm.acompletion (one traced span per round) with the "
            "caller's own tool function until the model answers (1.106+); it sends nothing itself",
            *_sdk("run_tool_loop", "arun_tool_loop"),
        ),
        **_each(
            "it is the Responses API loop over LiteLLM-proxy MCP tools: each model request goes "
            "through litellm.aresponses (traced); the tools run on the proxy's MCP server manager",
            *_sdk("aresponses_api_with_mcp"),
        ),
        **_each(
            "it fans out over Router.acompletion (one router span and its attempts per model or per "
            "request), sending nothing itself",
            *_router("abatch_completion", "abatch_completion_one_model_multiple_requests"),
            *_router("abatch_completion_fastest_response"),
        ),
        **_each(
            "it waits for the request's priority turn and then calls Router.acompletion, whose router "
            "span covers the call",
            *_router("schedule_acompletion"),
        ),
        **_each(
            "it runs a configured guardrail picked by name (1.110): a guardrail check, no model request",
            *_router("aguardrail"),
        ),
        **_each(
            "it computes the priority fields a request header asks for (1.110): it sends nothing",
            *_router("priority_header_update"),
        ),
        **_each(
            "it counts tokens locally (tiktoken or a Hugging Face tokenizer; the Rust catalog's "
            "token_counter route from 1.106): it sends nothing",
            *_sdk("token_counter"),
        ),
    }
)
