"""Google's Interactions API (`litellm.interactions.create` / `acreate`, LiteLLM 1.90 on): a CLIENT
span per interaction, streamed or not, sync and async, over real HTTP against the fake provider's
Gemini wire (`POST /v1beta/interactions`)."""

from __future__ import annotations

from typing import Any

import litellm
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from packaging.version import Version

import fake_provider as fp
from fake_provider import FakeProvider
from fake_provider.wires import gemini
from helpers import API_KEY, LITELLM_VERSION, assert_subset, attributes, chat_price, only_span
from litellm_otel import semconv as sc
from litellm_otel.interactions import InteractionsStream, output_text

pytestmark = pytest.mark.usefixtures("instrument")

HAS_INTERACTIONS = pytest.mark.skipif(
    Version("1.90") > LITELLM_VERSION, reason="LiteLLM has no litellm.interactions before 1.90"
)

ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
MODEL = "gemini/gemini-2.5-flash"
TRUTH = gemini.INTERACTIONS_TRUTH


async def create(provider: FakeProvider, is_async: bool, **kwargs: Any) -> Any:
    # LiteLLM appends `/v1beta/interactions` to api_base itself (1.90.7 … 1.110.2): the wire's
    # base, not generateContent's `…/v1beta`.
    kwargs = {"model": MODEL, "input": "Say hello", "api_base": provider.base_for("gemini"), **kwargs}
    if is_async:
        return await litellm.interactions.acreate(api_key=API_KEY, **kwargs)
    return litellm.interactions.create(api_key=API_KEY, **kwargs)


def usage(streamed: bool = False) -> dict[str, Any]:
    expected: dict[str, Any] = {
        sc.GEN_AI_OPERATION_NAME: "chat",
        sc.GEN_AI_PROVIDER_NAME: "gcp.gemini",
        sc.GEN_AI_REQUEST_MODEL: MODEL,
        sc.SERVER_ADDRESS: "127.0.0.1",
        sc.GEN_AI_RESPONSE_ID: TRUTH.response_id,
        sc.GEN_AI_RESPONSE_MODEL: "gemini-2.5-flash",  # the model asked for, without `gemini/`
        sc.LITELLM_INTERACTION_STATUS: "completed",
        sc.GEN_AI_USAGE_INPUT_TOKENS: TRUTH.input_tokens,
        sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: TRUTH.cache_read,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: TRUTH.output_tokens,
        sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: TRUTH.reasoning,
        sc.GEN_AI_USAGE_TOTAL_TOKENS: TRUTH.input_tokens + TRUTH.output_tokens,
    }
    if streamed:
        expected.update({sc.GEN_AI_REQUEST_STREAM: True, sc.LITELLM_STREAM_COMPLETED: True})
    return expected


@HAS_INTERACTIONS
@ASYNC
async def test_an_interaction_is_a_chat_span_with_gemini_usage_and_litellms_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    result = await create(
        provider, is_async, generation_config={"temperature": 0.2, "max_output_tokens": 256}
    )

    assert result.id == TRUTH.response_id
    assert provider.requests[-1].path == "/gemini/v1beta/interactions"
    span = only_span(span_exporter)
    assert (span.name, span.kind) == (f"chat {MODEL}", SpanKind.CLIENT)
    got = attributes(span)
    assert_subset(got, {**usage(), sc.GEN_AI_REQUEST_TEMPERATURE: 0.2, sc.GEN_AI_REQUEST_MAX_TOKENS: 256})
    # LiteLLM's own figure, its chat price of the counts; 1.90's is 0.0 (it reads the Interactions
    # API's usage from 1.106 on): then its price of the counts on the span, the same.
    litellm_cost = result._hidden_params["response_cost"]
    assert litellm_cost == (0.0 if Version("1.106") > LITELLM_VERSION else got[sc.GEN_AI_USAGE_COST])
    assert got[sc.GEN_AI_USAGE_COST] == pytest.approx(chat_price(MODEL, TRUTH))
    assert "Say hello" not in str(got)  # content: off by default


async def collect(stream: Any, is_async: bool) -> list[Any]:
    if is_async:
        return [event async for event in stream]
    return list(stream)


@HAS_INTERACTIONS
@ASYNC
async def test_a_streamed_interaction_keeps_litellms_events_and_reads_the_completed_one(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    stream = await create(provider, is_async, stream=True)
    assert span_exporter.get_finished_spans() == ()  # open until the stream ends
    events = await collect(stream, is_async)

    assert [e.event_type for e in events][-1] == "interaction.completed"
    assert "".join(e.delta["text"] for e in events if e.event_type == "step.delta") == fp.RESPONSE_TEXT
    span = only_span(span_exporter)
    assert span.name == f"chat {MODEL}"
    got = attributes(span)
    assert_subset(got, usage(streamed=True))
    # No figure on a stream: LiteLLM's price of the counts the last event reported.
    assert got[sc.GEN_AI_USAGE_COST] == pytest.approx(chat_price(MODEL, TRUTH))
    assert got[sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] > 0


@HAS_INTERACTIONS
@ASYNC
async def test_a_failed_interaction_fails_its_span_with_litellms_exception(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    with pytest.raises(litellm.exceptions.InternalServerError, match="Simulated error") as raised:
        await create(provider, is_async, model="gemini/error-500")

    span = only_span(span_exporter)
    assert span.status.status_code is StatusCode.ERROR
    got = attributes(span)
    assert got[sc.ERROR_TYPE] == "litellm.exceptions.InternalServerError"
    assert got[sc.HTTP_RESPONSE_STATUS_CODE] == 500
    assert [event.name for event in span.events] == ["exception"]
    assert got[sc.ERROR_TYPE].endswith(type(raised.value).__qualname__)  # the one the caller got


@HAS_INTERACTIONS
async def test_an_agent_interaction_is_an_invoke_agent_span(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    agent = "deep-research-pro-preview-12-2025"
    await create(provider, True, model=None, agent=agent)

    assert provider.requests[-1].body["agent"] == agent
    span = only_span(span_exporter)
    assert (span.name, span.kind) == (f"invoke_agent {agent}", SpanKind.CLIENT)
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: "invoke_agent",
            sc.GEN_AI_AGENT_NAME: agent,
            sc.GEN_AI_PROVIDER_NAME: "gcp.gemini",  # LiteLLM's route for an agent
            sc.GEN_AI_USAGE_INPUT_TOKENS: TRUTH.input_tokens,
        },
    )
    assert sc.GEN_AI_REQUEST_MODEL not in got


def test_the_earlier_api_revisions_events_give_the_same_attributes() -> None:
    # LiteLLM 1.90.7 asks for revision 2026-05-07 under `litellm.use_legacy_interactions_schema`:
    # interaction.start / content.delta / interaction.complete, and `outputs` for `steps`.
    state = InteractionsStream(capture_content=True)
    for event in (
        {
            "event_type": "interaction.start",
            "interaction": {"id": "i1", "model": "m", "status": "in_progress"},
        },
        {"event_type": "content.delta", "index": 0, "delta": {"type": "text", "text": "Hel"}},
        {"event_type": "content.delta", "index": 0, "delta": {"type": "text", "text": "lo"}},
        {
            "event_type": "interaction.complete",
            "interaction": {
                "id": "i1",
                "status": "completed",
                "usage": {"total_input_tokens": 10, "total_output_tokens": 2, "total_reasoning_tokens": 3},
            },
        },
    ):
        state.add(event)

    assert state.attributes() == {
        sc.GEN_AI_RESPONSE_ID: "i1",
        sc.GEN_AI_RESPONSE_MODEL: "m",
        sc.LITELLM_INTERACTION_STATUS: "completed",
        sc.GEN_AI_USAGE_INPUT_TOKENS: 10,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: 5,
        sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: 3,
    }
    assert state.output_text() == "Hello"
    assert output_text({"outputs": [{"type": "text", "text": "Hi"}]}) == "Hi"
    assert (
        output_text({"steps": [{"type": "user_input", "content": [{"type": "text", "text": "Q"}]}]}) is None
    )
