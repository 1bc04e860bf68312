"""Moderation (`litellm.moderation` / `amoderation`, the proxy's `/v1/moderations`): pure
builders from its result to span attributes.

The result is OpenAI's moderation object (`{"id", "model", "results": [{"flagged", …}]}`) as
LiteLLM's `ModerationCreateResponse`-like object or dict (1.79 … 1.110.2). A classification
generates nothing: the span carries the response's id and model and whether anything was flagged.
Nothing here touches OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes, identity
from litellm_otel.readers import field, fields

KEPT_FROM_REQUEST: Final[frozenset[str]] = frozenset()  # the result's figures win


def request_attributes(params: Mapping[str, Any]) -> Attributes:
    return {}


def response_attributes(result: object) -> Attributes:
    """Id, model, and `litellm.moderation.flagged`: whether any input was flagged."""
    read = fields(result)
    attributes = identity(read)
    results = read.get("results")
    if isinstance(results, Sequence) and not isinstance(results, str | bytes):
        flags = [field(item, "flagged") for item in results]
        if flags and all(isinstance(flag, bool) for flag in flags):
            attributes[sc.LITELLM_MODERATION_FLAGGED] = any(flags)
    return attributes


def output_text(result: object) -> str | None:
    return None
