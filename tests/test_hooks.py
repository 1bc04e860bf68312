"""The extension points: allow-listed metadata on spans and metrics, request and response hooks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import litellm
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Span

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, USER_MESSAGES, attributes, only_span, openai_args, telemetry_text
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc

METADATA = {"tenant_id": "acme", "user_id": 42, "internal_note": "do-not-copy-77", "nested": {"a": 1}}


def chat(provider: FakeProvider, **extra: Any) -> Any:
    return litellm.completion(**openai_args(provider, metadata=dict(METADATA), **extra))


def test_allow_listed_metadata_reaches_spans_and_metrics_and_nothing_else(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    reader = InMemoryMetricReader()
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=tracer_provider,
        meter_provider=MeterProvider([reader]),
        metadata_attributes=["tenant_id", "user_id", "nested"],
    )
    try:
        chat(provider)
    finally:
        instrumentor.uninstrument()

    attrs = attributes(only_span(span_exporter))
    assert attrs["litellm.metadata.tenant_id"] == "acme"
    assert attrs["litellm.metadata.user_id"] == 42
    assert "litellm.metadata.nested" not in attrs  # not a scalar: not copied
    assert "do-not-copy-77" not in telemetry_text(span_exporter.get_finished_spans())
    data = reader.get_metrics_data()
    assert data is not None
    points = [
        p
        for rm in data.resource_metrics
        for sm in rm.scope_metrics
        for m in sm.metrics
        if m.name == sc.GEN_AI_USAGE_COST
        for p in m.data.data_points
        if isinstance(p, HistogramDataPoint)
    ]
    assert len(points) == 1
    assert (points[0].attributes or {})["litellm.metadata.tenant_id"] == "acme"
    assert "do-not-copy-77" not in repr(data)


def test_without_an_allow_list_no_metadata_is_copied(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    chat(provider)
    attrs = attributes(only_span(span_exporter))
    assert not any(key.startswith("litellm.metadata.") for key in attrs)


def test_hooks_see_the_span_the_call_and_the_result(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    seen: list[tuple[str, Any]] = []

    def request_hook(span: Span, kwargs: Mapping[str, Any]) -> None:
        seen.append(("request", kwargs["model"]))
        span.set_attribute("app.request_seen", True)

    def response_hook(span: Span, kwargs: Mapping[str, Any], result: Any) -> None:
        seen.append(("response", result))
        span.set_attribute("app.response_id", result.id)

    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=tracer_provider, request_hook=request_hook, response_hook=response_hook
    )
    try:
        response = chat(provider)
    finally:
        instrumentor.uninstrument()

    assert seen == [("request", "openai/gpt-4o-mini"), ("response", response)]
    attrs = attributes(only_span(span_exporter))
    assert attrs["app.request_seen"] is True
    assert attrs["app.response_id"] == response.id


@pytest.mark.parametrize("stream", [False, True], ids=["call", "stream"])
def test_response_hook_reads_and_overrides_our_attributes(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter, stream: bool
) -> None:
    read: dict[str, Any] = {}

    def response_hook(span: Span, kwargs: Mapping[str, Any], result: Any) -> None:
        readable = cast(ReadableSpan, span)
        read.update(readable.attributes or {})
        span.set_attribute(sc.GEN_AI_USAGE_COST, 0.0)  # e.g. a negotiated price list

    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider, response_hook=response_hook)
    try:
        extra: dict[str, Any] = {"stream": True, "stream_options": {"include_usage": True}} if stream else {}
        result = chat(provider, **extra)
        if stream:
            for _ in result:
                pass
    finally:
        instrumentor.uninstrument()

    # The hook ran after our attributes were set and before the span ended...
    assert read[sc.GEN_AI_USAGE_INPUT_TOKENS] == fp.CHAT_PROMPT_TOKENS
    assert read[sc.GEN_AI_USAGE_COST] > 0
    # ... and what it set is what was exported.
    attrs = attributes(only_span(span_exporter))
    assert attrs[sc.GEN_AI_USAGE_COST] == 0.0
    assert attrs[sc.GEN_AI_USAGE_INPUT_TOKENS] == fp.CHAT_PROMPT_TOKENS


def test_raising_hooks_never_break_the_call(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("hook bug")

    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider, request_hook=broken, response_hook=broken)
    try:
        response = chat(provider)
        chunks = list(chat(provider, stream=True))
    finally:
        instrumentor.uninstrument()
    assert response.choices[0].message.content
    assert chunks
    assert len(span_exporter.get_finished_spans()) == 2


@pytest.mark.usefixtures("provider")
def test_router_attempts_carry_the_callers_metadata(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    router = litellm.Router(
        model_list=[
            {
                "model_name": "group",
                "litellm_params": {
                    "model": "openai/gpt-4o-mini",
                    "api_base": provider.openai_base,
                    "api_key": API_KEY,
                },
            }
        ]
    )
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider, metadata_attributes=["tenant_id"])
    try:
        router.completion(model="group", messages=USER_MESSAGES, metadata={"tenant_id": "acme"})
    finally:
        instrumentor.uninstrument()
    spans = span_exporter.get_finished_spans()
    assert [attributes(s).get("litellm.metadata.tenant_id") for s in spans] == ["acme", "acme"]
