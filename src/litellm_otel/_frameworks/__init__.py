"""Agent frameworks that call LiteLLM and record its usage on their own spans.

Such a framework's span around a LiteLLM call (Google ADK's `generate_content`) carries the same
tokens as litellm-otel's CLIENT span under it, so the trace-wide sum of `gen_ai.usage.*` counts
them twice. By default the framework's record of a call litellm-otel traced is kept free of usage;
`instrument(deduplicate_framework_usage=False)` or
OTEL_INSTRUMENTATION_LITELLM_DEDUPLICATE_FRAMEWORK_USAGE=false leaves the framework untouched
(read by `config.deduplicate_framework_usage`).

One adapter module per framework holds all that is known of its insides (`adk`); `patching`
applies them lazily, when the framework's modules are imported, and knows no framework.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from litellm_otel._frameworks import adk
from litellm_otel._frameworks.patching import Framework, Installed, Served, Shared

__all__ = ["FRAMEWORKS", "Installed", "install"]

FRAMEWORKS: Final[tuple[Framework, ...]] = (adk.FRAMEWORK,)


def install(enabled: bool, litellm_patched: Callable[[], bool], metrics: bool) -> Installed | None:
    """Patch the frameworks as they are imported, unless the switch is off (then None)."""
    return Installed(FRAMEWORKS, Shared(Served(), litellm_patched, metrics)) if enabled else None
