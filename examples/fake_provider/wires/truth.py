"""What a provider wire format is, and what its replies report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fake_provider.wire import JSONObject

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario


@dataclass(frozen=True)
class Truth:
    """What one reply of a provider reported, in litellm-otel's attribute terms.

    ``input_tokens`` includes cache reads and writes and ``output_tokens`` includes reasoning
    (SPEC §2), whatever the provider's own arithmetic; ``None`` is a count the provider's API does
    not report, which must then be absent from the span.
    """

    input_tokens: int
    output_tokens: int
    cache_read: int | None = None
    cache_write: int | None = None
    reasoning: int | None = None
    response_id: str | None = None
    response_model: str | None = None
    finish_reasons: tuple[str, ...] = ("stop",)
    cost: float | None = None  # the provider's own USD figure, when its API reports one


# serve(endpoint, path_after_prefix, body, scenario): answer the request on `endpoint`.
Serve = Callable[["Endpoint", str, JSONObject, "_Scenario"], None]


@dataclass(frozen=True)
class Wire:
    """One provider's wire format: its prefix name, its handler, and what it reports.

    ``truth`` is the non-streamed reply; ``stream_truth`` what a stream reports when it carries
    usage (the same unless the provider's stream frames differ); ``streams_usage_unasked`` is
    whether the provider sends usage on a stream without ``stream_options.include_usage``.
    """

    name: str
    serve: Serve
    truth: Truth
    stream_truth: Truth
    streams_usage_unasked: bool
