"""Router calls: one INTERNAL span per call, one CLIENT span per attempt, usage counted once."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
from collections.abc import Iterator, Sequence
from typing import Any

import litellm
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from packaging.version import Version

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, USER_MESSAGES, attributes
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc

LITELLM = Version(importlib.metadata.version("litellm"))
ANTHROPIC_INPUT = (
    fp.ANTHROPIC_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
)


def deployment(provider: FakeProvider, group: str, model: str, deployment_id: str) -> dict[str, Any]:
    api_base = provider.base_url if model.startswith("anthropic/") else provider.openai_base
    return {
        "model_name": group,
        "litellm_params": {"model": model, "api_base": api_base, "api_key": API_KEY},
        "model_info": {"id": deployment_id},
    }


@pytest.fixture
def router(provider: FakeProvider) -> litellm.Router:
    # Built before instrument(): the Router's methods are patched on the class.
    return litellm.Router(
        model_list=[
            deployment(provider, "fast", "openai/gpt-4o-mini-error-429", "fast-1"),
            deployment(provider, "capable", "anthropic/claude-sonnet-4-5", "capable-1"),
            deployment(provider, "pair", "openai/gpt-4o-error-500", "pair-bad"),
            deployment(provider, "pair", "openai/gpt-4o", "pair-good"),
            deployment(provider, "doomed", "openai/gpt-4o-error-429", "doomed-1"),
            deployment(provider, "embed", "openai/text-embedding-3-small", "embed-1"),
            deployment(provider, "chat", "openai/gpt-4o", "chat-1"),
        ],
        fallbacks=[{"fast": ["capable"]}],
        num_retries=1,
        retry_after=0,
    )


@pytest.fixture
def instrumented(
    router: litellm.Router, tracer_provider: TracerProvider, metric_reader: InMemoryMetricReader
) -> Iterator[None]:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider, meter_provider=MeterProvider([metric_reader]))
    yield
    instrumentor.uninstrument()


def tree(spans: Sequence[ReadableSpan]) -> list[tuple[str, str, str | None]]:
    """(name, kind, parent name) for every span, in end order."""
    names = {s.context.span_id: s.name for s in spans}
    return [(s.name, s.kind.name, names.get(s.parent.span_id) if s.parent else None) for s in spans]


def usage_sum(spans: Sequence[ReadableSpan], name: str = sc.GEN_AI_USAGE_INPUT_TOKENS) -> int:
    return sum(int(attributes(s).get(name, 0)) for s in spans)


def successful_requests(provider: FakeProvider) -> list[str]:
    return [str(r.body.get("model")) for r in provider.requests if "error" not in str(r.body.get("model"))]


def attempt_view(span: ReadableSpan) -> dict[str, Any]:
    attrs = attributes(span)
    keys = (
        sc.LITELLM_ROUTER_ATTEMPT,
        sc.LITELLM_ROUTER_MODEL_GROUP,
        sc.LITELLM_ROUTER_DEPLOYMENT_ID,
        sc.LITELLM_ROUTER_FALLBACK_DEPTH,
        sc.GEN_AI_REQUEST_MODEL,
        sc.GEN_AI_PROVIDER_NAME,
        sc.ERROR_TYPE,
    )
    return {k: attrs[k] for k in keys if k in attrs}


FALLBACK_ATTEMPTS = [
    {
        sc.LITELLM_ROUTER_ATTEMPT: 1,
        sc.LITELLM_ROUTER_MODEL_GROUP: "fast",
        sc.LITELLM_ROUTER_DEPLOYMENT_ID: "fast-1",
        sc.LITELLM_ROUTER_FALLBACK_DEPTH: 0,
        sc.GEN_AI_REQUEST_MODEL: "openai/gpt-4o-mini-error-429",
        sc.GEN_AI_PROVIDER_NAME: "openai",
        sc.ERROR_TYPE: "litellm.exceptions.RateLimitError",
    },
    {
        sc.LITELLM_ROUTER_ATTEMPT: 2,
        sc.LITELLM_ROUTER_MODEL_GROUP: "fast",
        sc.LITELLM_ROUTER_DEPLOYMENT_ID: "fast-1",
        sc.LITELLM_ROUTER_FALLBACK_DEPTH: 0,
        sc.GEN_AI_REQUEST_MODEL: "openai/gpt-4o-mini-error-429",
        sc.GEN_AI_PROVIDER_NAME: "openai",
        sc.ERROR_TYPE: "litellm.exceptions.RateLimitError",
    },
    {
        sc.LITELLM_ROUTER_ATTEMPT: 3,
        sc.LITELLM_ROUTER_MODEL_GROUP: "capable",
        sc.LITELLM_ROUTER_DEPLOYMENT_ID: "capable-1",
        sc.LITELLM_ROUTER_FALLBACK_DEPTH: 1,
        sc.GEN_AI_REQUEST_MODEL: "anthropic/claude-sonnet-4-5",
        sc.GEN_AI_PROVIDER_NAME: "anthropic",
    },
]


def assert_fallback_trace(spans: Sequence[ReadableSpan], provider: FakeProvider, parent: str) -> None:
    attempt = "chat openai/gpt-4o-mini-error-429"
    assert tree(spans) == [
        (attempt, "CLIENT", "router chat fast"),
        (attempt, "CLIENT", "router chat fast"),
        ("chat anthropic/claude-sonnet-4-5", "CLIENT", "router chat fast"),
        ("router chat fast", "INTERNAL", parent),
        (parent, "INTERNAL", None),
    ]
    attempts = [s for s in spans if s.kind is SpanKind.CLIENT]
    assert [attempt_view(s) for s in attempts] == FALLBACK_ATTEMPTS
    router_span = spans[3]
    assert attributes(router_span) == {
        sc.LITELLM_ROUTER_MODEL_GROUP: "fast",
        sc.LITELLM_ROUTER_ATTEMPTS: 3,
        sc.LITELLM_ROUTER_FALLBACKS: 1,
        sc.LITELLM_ROUTER_FINAL_MODEL_GROUP: "capable",
    }
    assert router_span.status.status_code is StatusCode.UNSET
    winner = attributes(attempts[2])
    assert winner[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    assert winner[sc.GEN_AI_USAGE_COST] > 0
    assert winner[sc.LITELLM_PREPROCESSING_DURATION_MS] > 0
    assert attributes(attempts[0])[sc.HTTP_RESPONSE_STATUS_CODE] == 429
    # Usage is counted once: the sum over the trace equals what the provider served.
    assert successful_requests(provider) == ["claude-sonnet-4-5"]
    assert usage_sum(spans) == ANTHROPIC_INPUT
    assert usage_sum(spans, sc.GEN_AI_USAGE_OUTPUT_TOKENS) == fp.ANTHROPIC_OUTPUT_TOKENS


@pytest.mark.usefixtures("instrumented")
async def test_fallback_after_retries_draws_one_span_per_attempt(
    router: litellm.Router,
    provider: FakeProvider,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    with tracer_provider.get_tracer("app").start_as_current_span("handle-request"):
        response = await router.acompletion(model="fast", messages=USER_MESSAGES, max_tokens=64)

    assert response.choices[0].message.content
    assert_fallback_trace(span_exporter.get_finished_spans(), provider, "handle-request")


@pytest.mark.usefixtures("instrumented")
async def test_sync_router_call_inside_running_event_loop_keeps_parents(
    router: litellm.Router,
    provider: FakeProvider,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    # LiteLLM runs this in a worker thread with a fresh context because a loop is running.
    with tracer_provider.get_tracer("app").start_as_current_span("sync-in-loop"):
        router.completion(model="fast", messages=USER_MESSAGES, max_tokens=64)

    assert_fallback_trace(span_exporter.get_finished_spans(), provider, "sync-in-loop")


@pytest.mark.usefixtures("instrumented")
def test_sync_router_call_without_event_loop(
    router: litellm.Router,
    provider: FakeProvider,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    with tracer_provider.get_tracer("app").start_as_current_span("plain-sync"):
        router.completion(model="fast", messages=USER_MESSAGES, max_tokens=64)

    assert_fallback_trace(span_exporter.get_finished_spans(), provider, "plain-sync")


@pytest.mark.usefixtures("instrumented")
async def test_group_with_two_deployments_retries_on_the_other(
    router: litellm.Router, provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    # Routing within a group picks at random (the retry may even pick the failing deployment
    # again); repeat until the failing deployment went first and the retry went to the other.
    for _ in range(30):
        span_exporter.clear()
        provider.reset()
        with contextlib.suppress(litellm.InternalServerError):
            await router.acompletion(model="pair", messages=USER_MESSAGES)
        ids = [attributes(s).get(sc.LITELLM_ROUTER_DEPLOYMENT_ID) for s in span_exporter.get_finished_spans()]
        if ids[:2] == ["pair-bad", "pair-good"]:
            break
    spans = span_exporter.get_finished_spans()
    assert tree(spans) == [
        ("chat openai/gpt-4o-error-500", "CLIENT", "router chat pair"),
        ("chat openai/gpt-4o", "CLIENT", "router chat pair"),
        ("router chat pair", "INTERNAL", None),
    ]
    assert [attributes(s)[sc.LITELLM_ROUTER_DEPLOYMENT_ID] for s in spans[:2]] == ["pair-bad", "pair-good"]
    assert [attributes(s)[sc.LITELLM_ROUTER_ATTEMPT] for s in spans[:2]] == [1, 2]
    assert attributes(spans[0])[sc.HTTP_RESPONSE_STATUS_CODE] == 500
    assert attributes(spans[2])[sc.LITELLM_ROUTER_FALLBACKS] == 0
    assert usage_sum(spans) == fp.CHAT_PROMPT_TOKENS


@pytest.mark.usefixtures("instrumented")
async def test_all_attempts_failing_marks_the_router_span(
    router: litellm.Router, span_exporter: InMemorySpanExporter
) -> None:
    with pytest.raises(litellm.RateLimitError):
        await router.acompletion(model="doomed", messages=USER_MESSAGES)

    spans = span_exporter.get_finished_spans()
    router_span = spans[-1]
    assert router_span.name == "router chat doomed"
    assert router_span.status.status_code is StatusCode.ERROR
    attrs = attributes(router_span)
    assert attrs[sc.ERROR_TYPE] == "litellm.exceptions.RateLimitError"
    assert attrs[sc.LITELLM_ROUTER_ATTEMPTS] == len(spans) - 1 == 2
    assert all(s.status.status_code is StatusCode.ERROR for s in spans)
    assert usage_sum(spans) == 0


@pytest.mark.usefixtures("instrumented")
async def test_streaming_through_the_router_ends_the_router_span_with_the_stream(
    router: litellm.Router, provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    stream = await router.acompletion(model="fast", messages=USER_MESSAGES, max_tokens=64, stream=True)
    assert isinstance(stream, litellm.CustomStreamWrapper)
    assert not any(s.name == "router chat fast" for s in span_exporter.get_finished_spans())
    text = "".join([c.choices[0].delta.content or "" async for c in stream if c.choices])

    assert text == fp.RESPONSE_TEXT
    spans = span_exporter.get_finished_spans()
    assert tree(spans)[-2:] == [
        ("chat anthropic/claude-sonnet-4-5", "CLIENT", "router chat fast"),
        ("router chat fast", "INTERNAL", None),
    ]
    assert attributes(spans[-1])[sc.LITELLM_STREAM_COMPLETED] is True
    assert attributes(spans[-2])[sc.LITELLM_STREAM_COMPLETED] is True
    assert usage_sum(spans) == ANTHROPIC_INPUT


@pytest.mark.usefixtures("instrumented")
async def test_router_embedding(router: litellm.Router, span_exporter: InMemorySpanExporter) -> None:
    await router.aembedding(model="embed", input=["a", "b"])
    router.embedding(model="embed", input=["a"])

    assert tree(span_exporter.get_finished_spans()) == [
        ("embeddings openai/text-embedding-3-small", "CLIENT", "router embeddings embed"),
        ("router embeddings embed", "INTERNAL", None),
        ("embeddings openai/text-embedding-3-small", "CLIENT", "router embeddings embed"),
        ("router embeddings embed", "INTERNAL", None),
    ]


@pytest.mark.usefixtures("instrumented")
async def test_positional_arguments_name_the_router_span(
    router: litellm.Router, span_exporter: InMemorySpanExporter
) -> None:
    # The 1.110 core's endpoints take *args: the model group is still read from them.
    await router.acompletion("chat", USER_MESSAGES)
    router.completion("chat", USER_MESSAGES)

    assert (
        tree(span_exporter.get_finished_spans())
        == [
            ("chat openai/gpt-4o", "CLIENT", "router chat chat"),
            ("router chat chat", "INTERNAL", None),
        ]
        * 2
    )


def test_router_built_after_instrument(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        late = litellm.Router(model_list=[deployment(provider, "late", "openai/gpt-4o", "late-1")])
        late.completion(model="late", messages=USER_MESSAGES)
    finally:
        instrumentor.uninstrument()

    spans = span_exporter.get_finished_spans()
    assert tree(spans) == [
        ("chat openai/gpt-4o", "CLIENT", "router chat late"),
        ("router chat late", "INTERNAL", None),
    ]
    assert attempt_view(spans[0])[sc.LITELLM_ROUTER_DEPLOYMENT_ID] == "late-1"


@pytest.mark.skipif(
    Version("1.110") > LITELLM,
    reason="Routers up to 1.109 bind aresponses per instance: their attempts get no router span",
)
@pytest.mark.usefixtures("instrumented")
async def test_router_responses_on_the_rust_core(
    router: litellm.Router, span_exporter: InMemorySpanExporter
) -> None:
    response = await router.aresponses(model="chat", input="Say hello")

    assert response.output
    spans = span_exporter.get_finished_spans()
    assert tree(spans) == [
        ("chat openai/gpt-4o", "CLIENT", "router chat chat"),
        ("router chat chat", "INTERNAL", None),
    ]
    assert attempt_view(spans[0]) == {
        sc.LITELLM_ROUTER_ATTEMPT: 1,
        sc.LITELLM_ROUTER_MODEL_GROUP: "chat",
        sc.LITELLM_ROUTER_DEPLOYMENT_ID: "chat-1",
        sc.LITELLM_ROUTER_FALLBACK_DEPTH: 0,
        sc.GEN_AI_REQUEST_MODEL: "openai/gpt-4o",
        sc.GEN_AI_PROVIDER_NAME: "openai",
    }
    assert usage_sum(spans) == fp.RESPONSES_INPUT_TOKENS
    assert attributes(spans[1])[sc.LITELLM_ROUTER_FINAL_MODEL_GROUP] == "chat"


@pytest.mark.usefixtures("instrumented")
async def test_only_attempts_record_metrics(
    router: litellm.Router, metric_reader: InMemoryMetricReader
) -> None:
    await router.acompletion(model="fast", messages=USER_MESSAGES, max_tokens=64)

    data = metric_reader.get_metrics_data()
    assert data is not None
    metrics = {m.name: m for rm in data.resource_metrics for sm in rm.scope_metrics for m in sm.metrics}
    durations = [
        p
        for p in metrics[sc.GEN_AI_CLIENT_OPERATION_DURATION].data.data_points
        if isinstance(p, HistogramDataPoint)
    ]
    assert sum(p.count for p in durations) == 3  # three attempts, no router data point
    tokens = {
        (p.attributes or {})[sc.GEN_AI_TOKEN_TYPE]: p.sum
        for p in metrics[sc.GEN_AI_CLIENT_TOKEN_USAGE].data.data_points
        if isinstance(p, HistogramDataPoint)
    }
    assert tokens == {"input": ANTHROPIC_INPUT, "output": fp.ANTHROPIC_OUTPUT_TOKENS}


@pytest.mark.usefixtures("instrument")
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_sdk_fallbacks_orchestrate_and_attempts_carry_usage(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    kwargs = {
        "model": "openai/gpt-4o-mini-error-429",
        "messages": USER_MESSAGES,
        "api_base": provider.openai_base,
        "api_key": API_KEY,
        "fallbacks": ["openai/gpt-4o"],
        "max_retries": 0,
    }
    if is_async:
        await litellm.acompletion(**kwargs)
    else:
        litellm.completion(**kwargs)

    spans = span_exporter.get_finished_spans()
    assert tree(spans) == [
        ("chat openai/gpt-4o-mini-error-429", "CLIENT", "fallbacks chat openai/gpt-4o-mini-error-429"),
        ("chat openai/gpt-4o", "CLIENT", "fallbacks chat openai/gpt-4o-mini-error-429"),
        ("fallbacks chat openai/gpt-4o-mini-error-429", "INTERNAL", None),
    ]
    assert [attributes(s)[sc.LITELLM_ROUTER_FALLBACK_DEPTH] for s in spans[:2]] == [0, 1]
    orchestrator = attributes(spans[2])
    assert not any(k.startswith("gen_ai.usage") for k in orchestrator)
    assert orchestrator[sc.LITELLM_ROUTER_FINAL_MODEL_GROUP] == "openai/gpt-4o"
    assert (
        usage_sum(spans)
        == fp.CHAT_PROMPT_TOKENS * len(successful_requests(provider))
        == fp.CHAT_PROMPT_TOKENS
    )


@pytest.mark.usefixtures("instrument")
def test_sdk_num_retries_counts_usage_once(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    # LiteLLM retries below its public API (main.completion), so the retries share one span;
    # only the response that arrived carries usage.
    litellm.completion(
        model="openai/gpt-4o-slow",
        messages=USER_MESSAGES,
        api_base=provider.openai_base,
        api_key=API_KEY,
        num_retries=2,
    )
    spans = span_exporter.get_finished_spans()
    assert len(spans) == 1
    assert usage_sum(spans) == fp.CHAT_PROMPT_TOKENS * len(successful_requests(provider))


async def test_concurrent_router_calls_keep_their_attempts_apart(
    router: litellm.Router, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        await asyncio.gather(*(router.acompletion(model="fast", messages=USER_MESSAGES) for _ in range(5)))
    finally:
        instrumentor.uninstrument()
    spans = span_exporter.get_finished_spans()
    routers = [s for s in spans if s.kind is SpanKind.INTERNAL]
    assert len(routers) == 5
    for router_span in routers:
        children = [s for s in spans if s.parent and s.parent.span_id == router_span.context.span_id]
        assert [attributes(s)[sc.LITELLM_ROUTER_ATTEMPT] for s in children] == [1, 2, 3]
        assert attributes(router_span)[sc.LITELLM_ROUTER_ATTEMPTS] == 3
