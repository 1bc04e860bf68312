"""Web search (`litellm.search` / `asearch`, the proxy's `/v1/search`): pure builders from its
result to span attributes.

LiteLLM hands back one shape for every search provider (`SearchResponse`, 1.79 … 1.110.2:
`{"object": "search", "results": [{"title", "url", "snippet", …}]}`) and prices a call per
query (`search_provider_cost_per_query`). A search names no model: the span is named after the
search provider (`search_provider`). Nothing here touches OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes
from litellm_otel.readers import fields, text

KEPT_FROM_REQUEST: Final[frozenset[str]] = frozenset()  # the result's figures win


def request_attributes(params: Mapping[str, Any]) -> Attributes:
    """The search provider LiteLLM sends the query to (`search_provider`), as the provider."""
    provider = text(params.get("search_provider"))
    return {sc.GEN_AI_PROVIDER_NAME: provider} if provider is not None else {}


def response_attributes(result: object) -> Attributes:
    """`litellm.search.results`: how many results came back."""
    results = fields(result).get("results")
    if isinstance(results, Sequence) and not isinstance(results, str | bytes):
        return {sc.LITELLM_USAGE_SEARCH_RESULTS: len(results)}
    return {}


def output_text(result: object) -> str | None:
    return None
