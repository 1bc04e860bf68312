"""Assert helpers shared by the tests."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterable, Mapping
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from packaging.version import Version

from fake_provider import FakeProvider
from fake_provider.wires import Truth

USER_MESSAGES = [{"role": "user", "content": "Say hello"}]
API_KEY = "sk-test-4f1d9c2e7b"
LITELLM_VERSION = Version(importlib.metadata.version("litellm"))
# LiteLLM's public functions litellm-otel traces, on every supported release.
ENTRY_POINTS = (
    "completion",
    "acompletion",
    "text_completion",
    "atext_completion",
    "embedding",
    "aembedding",
    "responses",
    "aresponses",
    "image_generation",
    "aimage_generation",
    "rerank",
    "arerank",
)


def openai_args(provider: FakeProvider, model: str = "openai/gpt-4o-mini", **extra: Any) -> dict[str, Any]:
    """The arguments of an OpenAI-style call to the fake provider."""
    return {
        "model": model,
        "messages": USER_MESSAGES,
        "api_base": provider.openai_base,
        "api_key": API_KEY,
        **extra,
    }


def anthropic_args(
    provider: FakeProvider, model: str = "anthropic/claude-sonnet-4-5", **extra: Any
) -> dict[str, Any]:
    """The arguments of an Anthropic-style call (cache reads, cache writes, a thinking block)."""
    return {
        "model": model,
        "messages": USER_MESSAGES,
        "api_base": provider.base_url,
        "api_key": API_KEY,
        "max_tokens": 512,
        **extra,
    }


def only_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    spans = exporter.get_finished_spans()
    assert len(spans) == 1, [s.name for s in spans]
    return spans[0]


def attributes(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def assert_subset(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> None:
    mismatched = {k: (actual.get(k, "<absent>"), v) for k, v in expected.items() if actual.get(k) != v}
    assert not mismatched, f"attribute (actual, expected): {mismatched}"


def assert_absent(actual: Mapping[str, Any], names: Iterable[str]) -> None:
    present = [name for name in names if name in actual]
    assert not present, f"unexpected attributes: {present}"


def telemetry_text(spans: Iterable[ReadableSpan]) -> str:
    """Everything a span exports, as one string, for scanning for leaked secrets."""
    parts: list[str] = []
    for span in spans:
        parts.append(span.name)
        parts.append(repr(dict(span.attributes or {})))
        parts.append(repr(span.status.description))
        for event in span.events:
            parts.append(event.name)
            parts.append(repr(dict(event.attributes or {})))
    return "\n".join(parts)


def chat_price(model: str, truth: Truth) -> float:
    """LiteLLM's price of a reply's counts through chat (cached tokens at the cache-read rate,
    reasoning at the output rate): what a surface reporting the same counts must cost."""
    import litellm  # here: importing this module must not import LiteLLM

    result = litellm.ModelResponse(
        model=model.split("/", 1)[-1],
        usage=litellm.Usage(
            prompt_tokens=truth.input_tokens,
            completion_tokens=truth.output_tokens,
            total_tokens=truth.input_tokens + truth.output_tokens,
            prompt_tokens_details={"cached_tokens": truth.cache_read},
            completion_tokens_details={"reasoning_tokens": truth.reasoning},
        ),
    )
    return float(litellm.completion_cost(completion_response=result, model=model))
