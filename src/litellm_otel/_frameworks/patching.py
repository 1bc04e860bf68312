"""Patching agent frameworks lazily, with no framework knowledge: a framework's attributes are
wrapped when the module holding them is first imported (or at once if it already is), and
restored by `uninstall()`. The adapters (one module per framework) say what to wrap and how."""

from __future__ import annotations

import importlib.metadata
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from types import ModuleType
from typing import Any, Final

from opentelemetry.instrumentation.utils import is_instrumentation_enabled, unwrap
from wrapt import wrap_function_wrapper

from litellm_otel.import_hooks import OnImport

_logger: Final = logging.getLogger(__name__)

Wrapper = Callable[[Callable[..., Any], Any, tuple[Any, ...], dict[str, Any]], Any]


class Served:
    """The usage objects a framework read from LiteLLM responses that litellm-otel traced: their
    counts are on litellm-otel's CLIENT spans already. Held by identity and weakly (a
    framework's usage objects may be unhashable, e.g. pydantic models): an entry goes when its
    object does."""

    __slots__ = ("_refs",)

    def __init__(self) -> None:
        self._refs: dict[int, weakref.ref[Any]] = {}

    def add(self, usage: object) -> None:
        key = id(usage)
        refs = self._refs

        def forget(ref: weakref.ref[Any]) -> None:
            if refs.get(key) is ref:
                del refs[key]

        refs[key] = weakref.ref(usage, forget)

    def __contains__(self, usage: object) -> bool:
        ref = self._refs.get(id(usage))
        return ref is not None and ref() is usage

    def __len__(self) -> int:
        return len(self._refs)


@dataclass(frozen=True, slots=True)
class Shared:
    """What the adapters' wrappers are handed at `instrument()`."""

    served: Served
    litellm_patched: Callable[[], bool]  # whether litellm-otel has wrapped LiteLLM's functions
    metrics: bool  # whether litellm-otel records metrics (its own gen_ai.client.token.usage)

    def tracing_litellm(self) -> bool:
        """Whether a LiteLLM call made in the current context gets litellm-otel's CLIENT span."""
        return self.litellm_patched() and is_instrumentation_enabled()


@dataclass(frozen=True, slots=True)
class Patch:
    """One attribute of a framework to wrap: `module` is imported first; `owner` is the dotted
    path from it to the object holding `name` ("" for the module itself)."""

    module: str
    owner: str
    name: str
    wrapper: Wrapper
    loss: str  # what happens without it, for the warning when the installed release lacks it

    @property
    def label(self) -> str:
        return ".".join(part for part in (self.module, self.owner, self.name) if part)


@dataclass(frozen=True, slots=True)
class Framework:
    """An adapter: the distribution it was read from and the patches it makes."""

    distribution: str
    patches: Callable[[Shared], tuple[Patch, ...]]


class Installed:
    """The patches of every framework, applied as their modules are imported; `uninstall()`
    restores what was wrapped and cancels what was waiting."""

    def __init__(self, frameworks: tuple[Framework, ...], shared: Shared) -> None:
        self._hooks: list[OnImport] = []
        self._wrapped: list[tuple[Any, str]] = []
        for framework in frameworks:
            for patch in framework.patches(shared):
                self._hooks.append(OnImport(self._applier(framework, patch)).register(patch.module))

    @property
    def wrapped(self) -> tuple[str, ...]:
        """The dotted names wrapped so far, for diagnostics and tests."""
        return tuple(f"{getattr(owner, '__name__', owner)}.{name}" for owner, name in self._wrapped)

    def _applier(self, framework: Framework, patch: Patch) -> Callable[[ModuleType], None]:
        def apply(module: ModuleType) -> None:
            try:
                owner = reduce(getattr, patch.owner.split("."), module) if patch.owner else module
                getattr(owner, patch.name)
            except AttributeError:
                _logger.warning(
                    "litellm-otel: the installed %s %s has no %s; %s.",
                    framework.distribution,
                    _version(framework.distribution),
                    patch.label,
                    patch.loss,
                )
                return
            wrap_function_wrapper(owner, patch.name, patch.wrapper)
            self._wrapped.append((owner, patch.name))

        return apply

    def uninstall(self) -> None:
        for hook in self._hooks:
            hook.cancel()
        self._hooks.clear()
        for owner, name in reversed(self._wrapped):
            unwrap(owner, name)
        self._wrapped.clear()


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "(version unknown)"
