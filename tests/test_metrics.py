"""GenAI client metrics read back through InMemoryMetricReader, with exact values."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import litellm
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import SpanKind

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, USER_MESSAGES, anthropic_args
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc
from litellm_otel.metrics import DURATION_BUCKETS, TOKEN_BUCKETS


@pytest.fixture
def instrumented(tracer_provider: TracerProvider, metric_reader: InMemoryMetricReader) -> Iterator[None]:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider, meter_provider=MeterProvider([metric_reader]))
    yield
    instrumentor.uninstrument()


def points(reader: InMemoryMetricReader, name: str) -> list[HistogramDataPoint]:
    data = reader.get_metrics_data()
    found: list[HistogramDataPoint] = []
    for resource_metrics in data.resource_metrics if data else []:
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                if metric.name == name:
                    found.extend(p for p in metric.data.data_points if isinstance(p, HistogramDataPoint))
    return found


def by_token_type(reader: InMemoryMetricReader) -> dict[str, HistogramDataPoint]:
    return {
        str((p.attributes or {})[sc.GEN_AI_TOKEN_TYPE]): p
        for p in points(reader, sc.GEN_AI_CLIENT_TOKEN_USAGE)
    }


def anthropic_call(provider: FakeProvider, **extra: Any) -> Any:
    return litellm.completion(**anthropic_args(provider, **extra))


@pytest.mark.usefixtures("instrumented")
def test_plain_call_records_duration_tokens_and_cost(
    provider: FakeProvider, metric_reader: InMemoryMetricReader
) -> None:
    response = anthropic_call(provider)
    anthropic_call(provider)

    [duration] = points(metric_reader, sc.GEN_AI_CLIENT_OPERATION_DURATION)
    expected_attributes = {
        sc.GEN_AI_OPERATION_NAME: "chat",
        sc.GEN_AI_PROVIDER_NAME: "anthropic",
        sc.GEN_AI_REQUEST_MODEL: "anthropic/claude-sonnet-4-5",
        sc.GEN_AI_RESPONSE_MODEL: "claude-sonnet-4-5" + fp.MODEL_SUFFIX,
        sc.SERVER_ADDRESS: "127.0.0.1",
        sc.SERVER_PORT: int(provider.base_url.rsplit(":", 1)[1]),
    }
    assert dict(duration.attributes or {}) == expected_attributes
    assert duration.count == 2
    assert tuple(duration.explicit_bounds) == DURATION_BUCKETS
    assert DURATION_BUCKETS[0] == 0.01
    assert DURATION_BUCKETS[-1] == pytest.approx(81.92)

    tokens = by_token_type(metric_reader)
    input_tokens = (
        fp.ANTHROPIC_INPUT_TOKENS
        + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
        + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
    )
    assert tokens["input"].sum == 2 * input_tokens
    assert tokens["output"].sum == 2 * fp.ANTHROPIC_OUTPUT_TOKENS
    assert tokens["input"].count == 2
    assert tuple(tokens["input"].explicit_bounds) == TOKEN_BUCKETS
    assert TOKEN_BUCKETS[-1] == 67108864
    assert dict(tokens["output"].attributes or {}) == {**expected_attributes, sc.GEN_AI_TOKEN_TYPE: "output"}

    [cost] = points(metric_reader, sc.GEN_AI_USAGE_COST)
    assert cost.sum == pytest.approx(2 * response._hidden_params["response_cost"])
    assert points(metric_reader, sc.GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK) == []


@pytest.mark.usefixtures("instrumented")
def test_error_records_duration_with_error_type_and_no_tokens(
    provider: FakeProvider, metric_reader: InMemoryMetricReader
) -> None:
    with pytest.raises(litellm.RateLimitError):
        litellm.completion(
            model="openai/gpt-4o-error-429",
            messages=USER_MESSAGES,
            api_base=provider.openai_base,
            api_key=API_KEY,
            max_retries=0,
        )

    [duration] = points(metric_reader, sc.GEN_AI_CLIENT_OPERATION_DURATION)
    assert duration.attributes is not None
    assert duration.attributes[sc.ERROR_TYPE] == "litellm.exceptions.RateLimitError"
    assert duration.attributes[sc.GEN_AI_PROVIDER_NAME] == "openai"
    assert points(metric_reader, sc.GEN_AI_CLIENT_TOKEN_USAGE) == []
    assert points(metric_reader, sc.GEN_AI_USAGE_COST) == []


@pytest.mark.usefixtures("instrumented")
async def test_stream_records_time_to_first_chunk_and_per_chunk(
    provider: FakeProvider, metric_reader: InMemoryMetricReader
) -> None:
    stream = await litellm.acompletion(
        model="openai/gpt-4o-mini",
        messages=USER_MESSAGES,
        api_base=provider.openai_base,
        api_key=API_KEY,
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = [chunk async for chunk in stream]

    [first] = points(metric_reader, sc.GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK)
    assert first.count == 1
    [per_chunk] = points(metric_reader, sc.GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK)
    assert per_chunk.count == 1  # one point per stream: the mean time between its chunks
    assert len(chunks) > 2
    assert 0 <= per_chunk.sum <= first.sum + per_chunk.sum
    tokens = by_token_type(metric_reader)
    assert tokens["input"].sum == fp.CHAT_PROMPT_TOKENS
    assert tokens["output"].sum == fp.CHAT_COMPLETION_TOKENS
    [duration] = points(metric_reader, sc.GEN_AI_CLIENT_OPERATION_DURATION)
    assert duration.sum >= first.sum


def test_metrics_are_recorded_when_spans_are_sampled_out(
    provider: FakeProvider, metric_reader: InMemoryMetricReader
) -> None:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=TracerProvider(sampler=ALWAYS_OFF), meter_provider=MeterProvider([metric_reader])
    )
    try:
        anthropic_call(provider)
    finally:
        instrumentor.uninstrument()
    assert by_token_type(metric_reader)["output"].sum == fp.ANTHROPIC_OUTPUT_TOKENS


@pytest.mark.usefixtures("instrumented")
def test_embedding_records_input_tokens_only(
    provider: FakeProvider, metric_reader: InMemoryMetricReader
) -> None:
    litellm.embedding(
        model="openai/text-embedding-3-small", input=["a"], api_base=provider.openai_base, api_key=API_KEY
    )

    tokens = by_token_type(metric_reader)
    assert set(tokens) == {"input"}
    assert tokens["input"].sum == fp.EMBEDDING_PROMPT_TOKENS
    assert tokens["input"].attributes is not None
    assert tokens["input"].attributes[sc.GEN_AI_OPERATION_NAME] == "embeddings"


@pytest.mark.usefixtures("instrumented")
def test_exemplars_point_at_the_calls_own_span(
    provider: FakeProvider,
    metric_reader: InMemoryMetricReader,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    with tracer_provider.get_tracer("app").start_as_current_span("handle-request"):
        anthropic_call(provider)

    client = next(s for s in span_exporter.get_finished_spans() if s.kind is SpanKind.CLIENT)
    assert client.context is not None
    data = metric_reader.get_metrics_data()  # a collection hands the exemplars over once
    exemplars = {
        metric.name: {(e.trace_id, e.span_id) for point in metric.data.data_points for e in point.exemplars}
        for resource_metrics in (data.resource_metrics if data else [])
        for scope_metrics in resource_metrics.scope_metrics
        for metric in scope_metrics.metrics
    }
    ours = {(client.context.trace_id, client.context.span_id)}
    assert exemplars[sc.GEN_AI_CLIENT_OPERATION_DURATION] == ours
    assert exemplars[sc.GEN_AI_CLIENT_TOKEN_USAGE] == ours
    assert exemplars[sc.GEN_AI_USAGE_COST] == ours
