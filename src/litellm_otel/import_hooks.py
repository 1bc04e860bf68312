"""Patching a library when it is first imported: a post-import hook that runs once, never breaks
the application's import, and can be disarmed (wrapt's hooks cannot be unregistered)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import ModuleType
from typing import Final

from wrapt import register_post_import_hook

_logger: Final = logging.getLogger(__name__)


class OnImport:
    """Runs `apply(module)` once, when `name` is first imported (at once if it already is),
    unless `cancel()` came first."""

    __slots__ = ("apply",)

    def __init__(self, apply: Callable[[ModuleType], None]) -> None:
        self.apply: Callable[[ModuleType], None] | None = apply

    def __call__(self, module: ModuleType) -> None:
        apply, self.apply = self.apply, None
        if apply is None:
            return
        try:
            apply(module)
        except Exception:  # it runs inside the application's import: never break that
            _logger.warning("litellm-otel: could not instrument %s", module.__name__, exc_info=True)

    def cancel(self) -> None:
        self.apply = None

    def register(self, name: str) -> OnImport:
        register_post_import_hook(self, name)
        return self
