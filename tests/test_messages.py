"""The Anthropic Messages API (`litellm.anthropic_messages`, `litellm.anthropic.messages.acreate`,
`Router.aanthropic_messages`): a CLIENT span per provider request, over real HTTP to the fake
provider's `/v1/messages`, streamed (SSE bytes) and not."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import litellm
import pytest
from litellm.integrations.custom_logger import CustomLogger
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from packaging.version import Version

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, LITELLM_VERSION, assert_absent, assert_subset, attributes, only_span
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc

MODEL = "anthropic/claude-sonnet-4-5"
HELLO = [{"role": "user", "content": "Say hello"}]
# Anthropic's input_tokens excludes the cache counts; the span's input is all the input.
INPUT_TOTAL = (
    fp.ANTHROPIC_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
)
USAGE = {
    sc.GEN_AI_USAGE_INPUT_TOKENS: INPUT_TOTAL,
    sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
    sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
    sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.ANTHROPIC_OUTPUT_TOKENS,
    sc.GEN_AI_USAGE_TOTAL_TOKENS: INPUT_TOTAL + fp.ANTHROPIC_OUTPUT_TOKENS,
}
# The rust path of the Messages API (LITELLM_RUST / litellm.rust(True)) ships from 1.110.
HAS_RUST_SWITCH = Version("1.110") <= LITELLM_VERSION


def messages_args(provider: FakeProvider, model: str = MODEL, **extra: Any) -> dict[str, Any]:
    return {
        "model": model,
        "messages": HELLO,
        "max_tokens": 512,
        "api_base": provider.base_url,
        "api_key": API_KEY,
        **extra,
    }


class CostRecorder(CustomLogger):  # type: ignore[misc]
    """What LiteLLM itself priced each successful call at (its logging's `response_cost`)."""

    def __init__(self) -> None:
        super().__init__()
        self.costs: list[float] = []

    async def async_log_success_event(
        self, kwargs: Any, response_obj: Any, start_time: Any, end_time: Any
    ) -> None:
        cost = kwargs.get("response_cost")
        if isinstance(cost, float):
            self.costs.append(cost)


# One recorder for the module: LiteLLM copies a callback into its own per-event lists at the first
# call and keeps one logger per class there, so a second instance would never be called.
_RECORDER = CostRecorder()
_CALLBACK_LISTS = ("callbacks", "success_callback", "_async_success_callback")


@pytest.fixture
def litellm_costs() -> Iterator[CostRecorder]:
    _RECORDER.costs.clear()
    litellm.callbacks = [*litellm.callbacks, _RECORDER]
    yield _RECORDER
    for name in _CALLBACK_LISTS:  # and out of every list LiteLLM copied it into
        setattr(litellm, name, [cb for cb in getattr(litellm, name) if cb is not _RECORDER])


async def until(condition: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)


async def drain(stream: AsyncIterator[Any]) -> list[Any]:
    return [chunk async for chunk in stream]


def sse_events(chunks: list[Any]) -> list[dict[str, Any]]:
    """The events a caller decodes from the SSE bytes it received."""
    body = b"".join(c if isinstance(c, bytes) else str(c).encode() for c in chunks)
    return [json.loads(line[5:]) for line in body.split(b"\n") if line.startswith(b"data:")]


def client_spans(exporter: InMemorySpanExporter) -> list[ReadableSpan]:
    return [s for s in exporter.get_finished_spans() if s.kind is SpanKind.CLIENT]


async def test_a_messages_call_is_one_chat_span_with_its_cache_counts_and_litellms_cost(
    provider: FakeProvider,
    instrument: LiteLLMInstrumentor,
    span_exporter: InMemorySpanExporter,
    litellm_costs: CostRecorder,
) -> None:
    result = await litellm.anthropic_messages(**messages_args(provider, temperature=0.2, top_k=5))

    span = only_span(span_exporter)
    assert span.name == f"chat {MODEL}"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    found = attributes(span)
    assert_subset(
        found,
        {
            sc.GEN_AI_OPERATION_NAME: "chat",
            sc.GEN_AI_PROVIDER_NAME: "anthropic",
            sc.GEN_AI_REQUEST_MODEL: MODEL,
            sc.GEN_AI_REQUEST_MAX_TOKENS: 512,
            sc.GEN_AI_REQUEST_TEMPERATURE: 0.2,
            sc.GEN_AI_REQUEST_TOP_K: 5.0,
            sc.GEN_AI_RESPONSE_ID: result["id"],
            sc.GEN_AI_RESPONSE_MODEL: "claude-sonnet-4-5" + fp.MODEL_SUFFIX,
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop",),
            sc.SERVER_ADDRESS: "127.0.0.1",
            **USAGE,
        },
    )
    # Anthropic reports no reasoning count: none is made up.
    assert_absent(found, [sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, sc.GEN_AI_REQUEST_STREAM])
    # The caller's result is LiteLLM's, untouched.
    assert type(result) is dict
    assert result["usage"]["input_tokens"] == fp.ANTHROPIC_INPUT_TOKENS
    await until(lambda: litellm_costs.costs)
    assert litellm_costs.costs, "LiteLLM priced nothing"
    assert found[sc.GEN_AI_USAGE_COST] == pytest.approx(litellm_costs.costs[-1], rel=1e-9)


async def test_stop_sequences_and_tool_use_stop_reason(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    tools = [{"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"}}]
    await litellm.anthropic_messages(
        **messages_args(provider, stop_sequences=["END"], tools=tools, top_p=0.9)
    )

    found = attributes(only_span(span_exporter))
    assert_subset(
        found,
        {
            sc.GEN_AI_REQUEST_STOP_SEQUENCES: ("END",),
            sc.GEN_AI_REQUEST_TOP_P: 0.9,
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("tool_calls",),
        },
    )
    assert_absent(found, [sc.GEN_AI_TOOL_DEFINITIONS, sc.GEN_AI_INPUT_MESSAGES])  # content is opt-in


async def test_a_streamed_messages_call_keeps_litellms_stream_and_reads_usage_from_its_events(
    provider: FakeProvider,
    instrument: LiteLLMInstrumentor,
    span_exporter: InMemorySpanExporter,
    litellm_costs: CostRecorder,
) -> None:
    stream = await litellm.anthropic_messages(**messages_args(provider, stream=True))
    assert span_exporter.get_finished_spans() == ()  # open while the caller reads
    chunks = await drain(stream)

    assert all(isinstance(chunk, bytes) for chunk in chunks)
    events = sse_events(chunks)
    assert events[0]["type"] == "message_start"
    assert events[-1]["type"] == "message_stop"
    text = "".join(e["delta"].get("text", "") for e in events if e["type"] == "content_block_delta")
    assert text == fp.RESPONSE_TEXT
    span = only_span(span_exporter)
    found = attributes(span)
    assert_subset(
        found,
        {
            sc.GEN_AI_REQUEST_STREAM: True,
            sc.GEN_AI_RESPONSE_ID: events[0]["message"]["id"],
            sc.GEN_AI_RESPONSE_MODEL: "claude-sonnet-4-5" + fp.MODEL_SUFFIX,
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop",),
            sc.LITELLM_STREAM_COMPLETED: True,
            **USAGE,
        },
    )
    ttfc = found[sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK]
    assert isinstance(ttfc, float)
    assert 0 < ttfc <= (span.end_time - span.start_time) / 1e9  # type: ignore[operator]
    await until(lambda: litellm_costs.costs)
    assert found[sc.GEN_AI_USAGE_COST] == pytest.approx(litellm_costs.costs[-1], rel=1e-9)


async def test_the_stream_is_litellms_own_object_to_the_caller(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    instrument.uninstrument()
    bare = await litellm.anthropic_messages(**messages_args(provider, stream=True))
    bare_type = type(bare)
    bare_chunks = await drain(bare)
    instrument.instrument(tracer_provider=TracerProvider())
    traced = await litellm.anthropic_messages(**messages_args(provider, stream=True))
    assert isinstance(traced, bare_type)
    traced_chunks = await drain(traced)
    assert [e["type"] for e in sse_events(traced_chunks)] == [e["type"] for e in sse_events(bare_chunks)]


async def test_a_stream_closed_early_ends_its_span_with_what_arrived(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    stream = await litellm.anthropic_messages(**messages_args(provider, stream=True))
    async for _ in stream:
        break
    await stream.aclose()

    found = attributes(only_span(span_exporter))
    assert found[sc.LITELLM_STREAM_COMPLETED] is False
    # message_start (input and cache counts) is in the first chunk LiteLLM yields.
    assert found[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS


async def test_a_stream_broken_mid_way_fails_its_span(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    args = messages_args(provider, "anthropic/claude-midstream-error", stream=True)
    stream = await litellm.anthropic_messages(**args)
    raised: BaseException | None = None
    try:
        await drain(stream)
    except Exception as exc:
        raised = exc

    span = only_span(span_exporter)
    if raised is None:
        # LiteLLM's Messages stream up to 1.90 ends quietly when the connection breaks (README
        # quirks): the span ends as the caller saw it, with the input counts of message_start.
        assert Version("1.106") > LITELLM_VERSION
        assert span.status.status_code is StatusCode.UNSET
        assert attributes(span)[sc.GEN_AI_USAGE_INPUT_TOKENS] == INPUT_TOTAL
        return
    assert span.status.status_code is StatusCode.ERROR
    error_type = type(raised)
    assert attributes(span)[sc.ERROR_TYPE] == f"{error_type.__module__}.{error_type.__qualname__}"


async def test_an_error_event_in_a_stream_marks_the_span_failed(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    stream = await litellm.anthropic_messages(
        **messages_args(provider, "anthropic/claude-error-event", stream=True)
    )
    events = sse_events(await drain(stream))  # the caller sees the event, nothing raises

    assert events[-1]["type"] == "error"
    span = only_span(span_exporter)
    assert span.status.status_code is StatusCode.ERROR
    assert span.status.description == "Overloaded"
    assert attributes(span)[sc.ERROR_TYPE] == "overloaded_error"
    assert attributes(span)[sc.GEN_AI_USAGE_INPUT_TOKENS] == INPUT_TOTAL


async def test_a_provider_error_fails_the_span_and_reaches_the_caller_unchanged(
    provider: FakeProvider,
    instrument: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrument.uninstrument()
    with pytest.raises(Exception) as bare:
        await litellm.anthropic_messages(**messages_args(provider, "anthropic/claude-error-429"))
    instrument.instrument(tracer_provider=tracer_provider)
    with pytest.raises(Exception) as raised:
        await litellm.anthropic_messages(**messages_args(provider, "anthropic/claude-error-429"))

    # The exception LiteLLM raises without us (its class differs across releases: 1.79 raises its
    # BaseLLMException, later ones RateLimitError), unchanged.
    assert type(raised.value) is type(bare.value)
    span = only_span(span_exporter)
    assert span.status.status_code is StatusCode.ERROR
    error_type = type(raised.value)
    assert_subset(
        attributes(span),
        {
            sc.ERROR_TYPE: f"{error_type.__module__}.{error_type.__qualname__}",
            sc.HTTP_RESPONSE_STATUS_CODE: 429,
        },
    )


async def test_the_anthropic_sdk_shaped_acreate_is_traced_once(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    await litellm.anthropic.messages.acreate(**messages_args(provider))
    await litellm.anthropic.acreate(**messages_args(provider))

    spans = span_exporter.get_finished_spans()
    assert [s.name for s in spans] == [f"chat {MODEL}"] * 2
    for span in spans:
        assert_subset(attributes(span), USAGE)


def test_the_sync_handler_records_litellms_refusal(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    # LiteLLM serves a native Anthropic model's Messages API only asynchronously (1.79 … 1.110.2).
    with pytest.raises(ValueError, match="sync"):
        litellm.anthropic.messages.create(**messages_args(provider))

    span = only_span(span_exporter)
    assert span.status.status_code is StatusCode.ERROR
    assert attributes(span)[sc.ERROR_TYPE] == "ValueError"


async def test_a_bridged_provider_gets_one_client_span_with_its_usage(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    # No native Messages API for openai/: LiteLLM converts the call into acompletion or
    # aresponses, whose own wrappers must not draw a second span.
    args = messages_args(provider, "openai/gpt-4o-mini", api_base=provider.openai_base)
    result = await litellm.anthropic_messages(**args)
    stream = await litellm.anthropic_messages(**args, stream=True)
    await drain(stream)

    spans = span_exporter.get_finished_spans()
    assert [(s.name, s.kind) for s in spans] == [("chat openai/gpt-4o-mini", SpanKind.CLIENT)] * 2
    assert len(provider.requests) == 2
    usage = result["usage"]
    provider_input = usage["input_tokens"] + (usage.get("cache_read_input_tokens") or 0)
    for span in spans:
        found = attributes(span)
        assert found[sc.GEN_AI_PROVIDER_NAME] == "openai"
        assert found[sc.GEN_AI_USAGE_INPUT_TOKENS] == provider_input
        assert found[sc.GEN_AI_USAGE_OUTPUT_TOKENS] == usage["output_tokens"]
        # OpenAI has no cache-write count: a 0 LiteLLM's translation fills in is not reported.
        assert_absent(found, [sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS])
        assert found[sc.GEN_AI_USAGE_COST] > 0
    # The responses the bridge reached (chat or Responses API): input as the provider counted it.
    assert {r.body.get("model") for r in provider.requests} == {"gpt-4o-mini"}
    assert provider_input in (fp.CHAT_PROMPT_TOKENS, fp.RESPONSES_INPUT_TOKENS)


@pytest.mark.skipif(not HAS_RUST_SWITCH, reason="LiteLLM's Rust paths ship from 1.110")
async def test_the_rust_path_is_traced_from_the_public_function(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    litellm.rust(True)
    try:
        await litellm.anthropic_messages(**messages_args(provider))
        await drain(await litellm.anthropic_messages(**messages_args(provider, stream=True)))
    finally:
        litellm.rust(None)

    spans = span_exporter.get_finished_spans()
    assert [s.name for s in spans] == [f"chat {MODEL}"] * 2
    for span in spans:
        assert_subset(attributes(span), USAGE)


@pytest.fixture
def router(provider: FakeProvider) -> litellm.Router:
    def deployment(name: str, model: str) -> dict[str, Any]:
        return {
            "model_name": name,
            "litellm_params": {"model": model, "api_base": provider.base_url, "api_key": API_KEY},
        }

    return litellm.Router(
        model_list=[
            deployment("claude", MODEL),
            deployment("overloaded", "anthropic/claude-error-500"),
        ],
        fallbacks=[{"overloaded": ["claude"]}],
        num_retries=1,
        retry_after=0,
    )


async def test_a_router_messages_call_is_a_router_span_over_its_attempt(
    instrument: LiteLLMInstrumentor, router: litellm.Router, span_exporter: InMemorySpanExporter
) -> None:
    await router.aanthropic_messages(model="claude", messages=HELLO, max_tokens=100)
    stream = await router.aanthropic_messages(model="claude", messages=HELLO, max_tokens=100, stream=True)
    await drain(stream)

    spans = span_exporter.get_finished_spans()
    routers = [s for s in spans if s.kind is SpanKind.INTERNAL]
    attempts = client_spans(span_exporter)
    assert [s.name for s in routers] == ["router chat claude"] * 2
    assert [s.name for s in attempts] == [f"chat {MODEL}"] * 2
    for router_span, attempt in zip(routers, attempts, strict=True):
        assert attempt.parent is not None
        assert attempt.parent.span_id == router_span.context.span_id
        assert_subset(
            attributes(router_span),
            {
                sc.LITELLM_ROUTER_MODEL_GROUP: "claude",
                sc.LITELLM_ROUTER_ATTEMPTS: 1,
                sc.LITELLM_ROUTER_FALLBACKS: 0,
            },
        )
        assert not any(key.startswith("gen_ai.usage") for key in attributes(router_span))
        assert_subset(
            attributes(attempt),
            {sc.LITELLM_ROUTER_MODEL_GROUP: "claude", sc.LITELLM_ROUTER_ATTEMPT: 1, **USAGE},
        )
    assert attributes(routers[1])[sc.LITELLM_STREAM_COMPLETED] is True


async def test_router_retries_and_fallbacks_of_a_messages_call_are_attempts(
    provider: FakeProvider,
    instrument: LiteLLMInstrumentor,
    router: litellm.Router,
    span_exporter: InMemorySpanExporter,
) -> None:
    await router.aanthropic_messages(model="overloaded", messages=HELLO, max_tokens=100)

    (router_span,) = [s for s in span_exporter.get_finished_spans() if s.kind is SpanKind.INTERNAL]
    attempts = client_spans(span_exporter)
    assert len(attempts) == len(provider.requests)  # every provider request is an attempt span
    assert [a.status.status_code for a in attempts[:-1]] == [StatusCode.ERROR] * (len(attempts) - 1)
    assert attempts[-1].status.status_code is StatusCode.UNSET
    assert attributes(attempts[-1])[sc.LITELLM_ROUTER_MODEL_GROUP] == "claude"
    assert_subset(
        attributes(router_span),
        {
            sc.LITELLM_ROUTER_ATTEMPTS: len(attempts),
            sc.LITELLM_ROUTER_FALLBACKS: 1,
            sc.LITELLM_ROUTER_FINAL_MODEL_GROUP: "claude",
        },
    )
    # Usage is counted once: on the attempt that got a response.
    total = sum(
        int(attributes(s).get(sc.GEN_AI_USAGE_INPUT_TOKENS, 0)) for s in span_exporter.get_finished_spans()
    )
    assert total == INPUT_TOTAL


def test_a_router_built_before_instrument_gets_router_spans_from_its_class(
    provider: FakeProvider,
    router: litellm.Router,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        asyncio.run(router.aanthropic_messages(model="claude", messages=HELLO, max_tokens=100))
    finally:
        instrumentor.uninstrument()
    names = [s.name for s in span_exporter.get_finished_spans()]
    assert "router chat claude" in names
    # Up to 1.109 a Router binds `litellm.anthropic_messages` when it is built (per instance):
    # its attempts still go through the traced function. The 1.110 core looks it up per attempt.
    assert names == [f"chat {MODEL}", "router chat claude"]


async def test_metrics_of_a_messages_call(
    provider: FakeProvider, tracer_provider: TracerProvider, metric_reader: InMemoryMetricReader
) -> None:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=tracer_provider, meter_provider=MeterProvider(metric_readers=[metric_reader])
    )
    try:
        await drain(await litellm.anthropic_messages(**messages_args(provider, stream=True)))
    finally:
        instrumentor.uninstrument()

    points: dict[str, list[Any]] = {}
    data = metric_reader.get_metrics_data()
    assert data is not None
    for resource in data.resource_metrics:
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                points[metric.name] = list(metric.data.data_points)
    tokens = {p.attributes[sc.GEN_AI_TOKEN_TYPE]: p.sum for p in points[sc.GEN_AI_CLIENT_TOKEN_USAGE]}
    assert tokens == {"input": INPUT_TOTAL, "output": fp.ANTHROPIC_OUTPUT_TOKENS}
    (duration,) = points[sc.GEN_AI_CLIENT_OPERATION_DURATION]
    assert duration.attributes[sc.GEN_AI_OPERATION_NAME] == "chat"
    assert duration.attributes[sc.GEN_AI_PROVIDER_NAME] == "anthropic"
    assert sc.GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK in points
    assert points[sc.GEN_AI_USAGE_COST][0].sum > 0


async def test_content_is_captured_as_genai_messages_when_opted_in(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider, capture_content="SPAN_ONLY")
    history = [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Weather in Paris?"},
                {"type": "image", "source": {"type": "url", "url": "https://example.com/a.png"}},
            ],
        },
        {
            "role": "assistant",
            "content": [
                {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}}
            ],
        },
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "Sunny"}]},
    ]
    tools = [{"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"}}]
    try:
        await litellm.anthropic_messages(
            **messages_args(provider, messages=history, system="Be brief.", tools=tools)
        )
        await drain(await litellm.anthropic_messages(**messages_args(provider, stream=True)))
    finally:
        instrumentor.uninstrument()

    plain, streamed = (attributes(s) for s in span_exporter.get_finished_spans())
    inputs = json.loads(plain[sc.GEN_AI_INPUT_MESSAGES])
    assert inputs == [
        {
            "role": "user",
            "parts": [
                {"type": "text", "content": "Weather in Paris?"},
                {"type": "uri", "modality": "image", "uri": "https://example.com/a.png"},
            ],
        },
        {
            "role": "assistant",
            "parts": [
                {"type": "tool_call", "id": "toolu_1", "name": "get_weather", "arguments": {"city": "Paris"}}
            ],
        },
        {"role": "user", "parts": [{"type": "tool_call_response", "id": "toolu_1", "response": "Sunny"}]},
    ]
    assert json.loads(plain[sc.GEN_AI_SYSTEM_INSTRUCTIONS]) == [{"type": "text", "content": "Be brief."}]
    assert json.loads(plain[sc.GEN_AI_TOOL_DEFINITIONS]) == [
        {
            "type": "function",
            "name": "get_weather",
            "description": "Weather",
            "parameters": {"type": "object"},
        }
    ]
    (output,) = json.loads(plain[sc.GEN_AI_OUTPUT_MESSAGES])
    assert output["role"] == "assistant"
    assert output["finish_reason"] == "tool_calls"
    assert output["parts"][0] == {"type": "reasoning", "content": fp.THINKING_TEXT}
    assert output["parts"][1]["type"] == "tool_call"
    (streamed_output,) = json.loads(streamed[sc.GEN_AI_OUTPUT_MESSAGES])
    assert streamed_output == {
        "role": "assistant",
        "parts": [
            {"type": "reasoning", "content": fp.THINKING_TEXT},
            {"type": "text", "content": fp.RESPONSE_TEXT},
        ],
        "finish_reason": "stop",
    }


async def test_hooks_and_vocabularies_apply_to_messages_spans(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    seen: list[tuple[str, Any]] = []
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=tracer_provider,
        request_hook=lambda span, kwargs: seen.append(("request", kwargs.get("max_tokens"))),
        response_hook=lambda span, kwargs, result: seen.append(("response", type(result).__name__)),
        vocabularies=["openinference"],
    )
    try:
        await litellm.anthropic_messages(**messages_args(provider))
    finally:
        instrumentor.uninstrument()

    assert seen == [("request", 512), ("response", "dict")]
    assert_subset(
        attributes(only_span(span_exporter)),
        {
            sc.OPENINFERENCE_SPAN_KIND: "LLM",
            sc.LLM_TOKEN_COUNT_PROMPT: INPUT_TOTAL,
            sc.LLM_TOKEN_COUNT_PROMPT_CACHE_READ: fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
        },
    )
