"""Agent frameworks that call LiteLLM and record its usage on their own spans.

Such a framework's span around a LiteLLM call (Google ADK's `generate_content`) carries the same
tokens as litellm-otel's CLIENT span under it, so the trace-wide sum of `gen_ai.usage.*` counts
them twice. By default the framework's record of a call litellm-otel traced is kept free of usage;
`instrument(deduplicate_framework_usage=False)` or
OTEL_INSTRUMENTATION_LITELLM_DEDUPLICATE_FRAMEWORK_USAGE=false leaves the framework untouched.

One adapter module per framework holds all that is known of its insides (`adk`); `patching`
applies them lazily, when the framework's modules are imported, and knows no framework.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Final

from litellm_otel._frameworks import adk
from litellm_otel._frameworks.patching import Framework, Installed, Served, Shared

__all__ = ["DEDUPLICATE_ENV", "FRAMEWORKS", "Installed", "deduplicate_framework_usage", "install"]

_logger: Final = logging.getLogger(__name__)

DEDUPLICATE_ENV: Final = "OTEL_INSTRUMENTATION_LITELLM_DEDUPLICATE_FRAMEWORK_USAGE"
FRAMEWORKS: Final[tuple[Framework, ...]] = (adk.FRAMEWORK,)

_TRUE: Final = frozenset(("true", "1", "yes", "on"))
_FALSE: Final = frozenset(("false", "0", "no", "off"))
_warned: set[str] = set()


def deduplicate_framework_usage(override: object = None) -> bool:
    """The switch: the `instrument()` keyword if given (a bool), else the variable; on unless
    it says false. An unknown value warns once and leaves it on."""
    if isinstance(override, bool):
        return override
    value = os.environ.get(DEDUPLICATE_ENV, "").strip().lower()
    if not value or value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value not in _warned:
        _warned.add(value)
        _logger.warning("litellm-otel: %s=%r is neither true nor false; left on.", DEDUPLICATE_ENV, value)
    return True


def install(override: object, litellm_patched: Callable[[], bool], metrics: bool) -> Installed | None:
    """Patch the frameworks as they are imported, unless the switch is off (then None)."""
    if not deduplicate_framework_usage(override):
        return None
    return Installed(FRAMEWORKS, Shared(Served(), litellm_patched, metrics))
