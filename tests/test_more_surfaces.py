"""More of LiteLLM's APIs, each one CLIENT span with its usage and cost, sync and async, over real
HTTP against the fake provider: video edits and extensions (video_generation spans), the Responses
API's retries and compaction, Decisions (OpenAI's format and System One's) and extraction (chat
spans: a model's pass over an input, billed by its tokens)."""

from __future__ import annotations

from typing import Any

import litellm
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import fake_provider as fp
from fake_provider import FakeProvider
from fake_provider.wires import cloudflare
from helpers import API_KEY, LITELLM_VERSION, assert_absent, assert_subset, attributes, only_span
from litellm_otel import semconv as sc

pytestmark = pytest.mark.usefixtures("instrument")

ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
DECISION_MODEL = "openai/gpt-6-luna"  # OpenAI's decision model; LiteLLM prices it from 1.106
QUESTIONS = [
    {"type": "predicate", "name": "refund", "instructions": "Does the customer ask for a refund?"},
    {
        "type": "choice",
        "name": "team",
        "instructions": "Which team should answer?",
        "choices": [{"value": "billing"}, {"value": "technical"}, {"value": "sales"}],
    },
]
TICKET = "I was charged twice for the same subscription renewal."


async def call(is_async: bool, name: str, **kwargs: Any) -> Any:
    """``litellm.<name>(**kwargs)``, or ``await litellm.a<name>(**kwargs)``; skipped on a release
    without it."""
    function_name = f"a{name}" if is_async else name
    function = getattr(litellm, function_name, None)
    if function is None:
        pytest.skip(f"LiteLLM {LITELLM_VERSION} has no litellm.{function_name}")
    return await function(**kwargs) if is_async else function(**kwargs)


def cost_matches_litellms(span_attributes: dict[str, Any], result: object) -> None:
    """The span's cost is LiteLLM's own figure on the result; none where LiteLLM set none."""
    hidden = getattr(result, "_hidden_params", None) or {}
    litellm_cost = hidden.get("response_cost")
    if litellm_cost is None:
        assert_absent(span_attributes, [sc.GEN_AI_USAGE_COST])
    else:
        assert span_attributes[sc.GEN_AI_USAGE_COST] == pytest.approx(litellm_cost)


def client_span(exporter: InMemorySpanExporter) -> ReadableSpan:
    span = only_span(exporter)
    assert span.kind is SpanKind.CLIENT
    return span


# --------------------------------------------------------------------------- video edits, extensions


@pytest.fixture
def source_video(provider: FakeProvider, span_exporter: InMemorySpanExporter) -> str:
    """The id LiteLLM gave a finished 8-second sora-2 video: what a caller edits or extends."""
    if not hasattr(litellm, "video_edit"):
        pytest.skip(f"LiteLLM {LITELLM_VERSION} has no litellm.video_edit")
    video = litellm.video_generation(
        prompt="A cat on a piano",
        model="openai/sora-2",
        seconds="8",
        api_base=provider.openai_base,
        api_key=API_KEY,
    )
    span_exporter.clear()
    provider.requests.clear()
    return str(video.id)


@ASYNC
async def test_a_video_edit_is_a_video_generation_span_with_the_new_jobs_id_and_seconds(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, source_video: str, is_async: bool
) -> None:
    video = await call(
        is_async,
        "video_edit",
        video_id=source_video,
        prompt="Make the piano red",
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert provider.requests[0].path == "/v1/videos/edits"
    span = client_span(span_exporter)
    assert span.name == sc.OP_VIDEO_GENERATION  # an edit names no model: the video it edits does
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: sc.OP_VIDEO_GENERATION,
            sc.GEN_AI_OUTPUT_TYPE: "video",
            sc.GEN_AI_RESPONSE_MODEL: "sora-2" + fp.MODEL_SUFFIX,
            sc.LITELLM_VIDEO_STATUS: "queued",
            sc.LITELLM_USAGE_VIDEO_SECONDS: 8.0,  # an edit is as long as its source
        },
    )
    assert str(got[sc.GEN_AI_RESPONSE_ID]).startswith("video_fake_")
    assert video.model == got[sc.GEN_AI_RESPONSE_MODEL]
    cost_matches_litellms(got, video)


@ASYNC
async def test_a_video_extension_bills_the_seconds_it_adds_not_the_stitched_total(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, source_video: str, is_async: bool
) -> None:
    video = await call(
        is_async,
        "video_extension",
        video_id=source_video,
        prompt="The cat bows",
        seconds="4",
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert video.seconds == "12"  # OpenAI answers the stitched total: 8 + 4
    span = client_span(span_exporter)
    assert span.name == sc.OP_VIDEO_GENERATION
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: sc.OP_VIDEO_GENERATION,
            sc.GEN_AI_OUTPUT_TYPE: "video",
            sc.GEN_AI_RESPONSE_MODEL: "sora-2" + fp.MODEL_SUFFIX,
            sc.LITELLM_USAGE_VIDEO_SECONDS: 4.0,
        },
    )
    assert str(got[sc.GEN_AI_RESPONSE_ID]).startswith("video_fake_")
    cost_matches_litellms(got, video)


def test_a_failed_video_edit_fails_its_span(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, source_video: str
) -> None:
    # LiteLLM's exception differs by release (1.90 maps the 500 to an APIConnectionError).
    with pytest.raises(Exception, match="Simulated error") as raised:
        litellm.video_edit(
            video_id=source_video,
            prompt="Make the piano red",
            extra_body={"model": "sora-2-error-500"},  # the fake's scenario; OpenAI's edits take no model
            api_base=provider.openai_base,
            api_key=API_KEY,
        )

    span = client_span(span_exporter)
    assert span.status.status_code is StatusCode.ERROR
    got = attributes(span)
    assert got[sc.ERROR_TYPE] == f"{type(raised.value).__module__}.{type(raised.value).__qualname__}"
    assert got[sc.HTTP_RESPONSE_STATUS_CODE] == 500


# --------------------------------------------------------------------------- Responses API


@ASYNC
async def test_responses_with_retries_is_one_chat_span_with_the_responses_usage_and_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    result = await call(
        is_async,
        "responses_with_retries",
        model="openai/gpt-5-mini",
        input="Say hello",
        api_base=provider.openai_base,
        api_key=API_KEY,
        num_retries=2,
    )

    span = client_span(span_exporter)
    assert span.name == "chat openai/gpt-5-mini"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: sc.OP_CHAT,
            sc.GEN_AI_RESPONSE_MODEL: "gpt-5-mini" + fp.MODEL_SUFFIX,
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.RESPONSES_INPUT_TOKENS,
            sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.RESPONSES_CACHED_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.RESPONSES_OUTPUT_TOKENS,
            sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: fp.RESPONSES_REASONING_TOKENS,
        },
    )
    assert_absent(got, [sc.LITELLM_PROVIDER_REQUESTS])  # one request: nothing retried
    cost_matches_litellms(got, result)


@ASYNC
async def test_responses_with_retries_is_one_chat_span_showing_its_retries(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    await call(
        is_async,
        "responses_with_retries",
        model="openai/flaky-1",
        input="Say hello",
        api_base=provider.openai_base,
        api_key=API_KEY,
        num_retries=2,
        max_retries=0,  # the OpenAI client's own retries off: the retries are tenacity's
    )

    chat = [s for s in span_exporter.get_finished_spans() if s.name == "chat openai/flaky-1"]
    assert len(chat) == 1
    got = attributes(chat[0])
    assert got[sc.LITELLM_PROVIDER_REQUESTS] == len(provider.requests) == 2
    assert got[sc.GEN_AI_USAGE_INPUT_TOKENS] == fp.RESPONSES_INPUT_TOKENS  # counted once


@ASYNC
async def test_a_compaction_is_a_chat_span_with_the_passes_usage_and_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    result = await call(
        is_async,
        "compact_responses",
        model="openai/gpt-5-mini",
        input=[
            {"role": "user", "content": "Plan a trip to Lisbon"},
            {"role": "assistant", "content": "Three days: Alfama, Belém, Sintra."},
            {"role": "user", "content": "Make it four"},
        ],
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert provider.requests[0].path == "/v1/responses/compact"
    assert result.output[-1].type == "compaction"
    span = client_span(span_exporter)
    assert span.name == "chat openai/gpt-5-mini"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: sc.OP_CHAT,
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.COMPACTION_INPUT_TOKENS,
            sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.COMPACTION_CACHED_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.COMPACTION_OUTPUT_TOKENS,
            sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: fp.COMPACTION_REASONING_TOKENS,
        },
    )
    assert_absent(got, [sc.GEN_AI_RESPONSE_MODEL])  # a compaction names no model
    assert str(got[sc.GEN_AI_RESPONSE_ID]).startswith("resp_fake_")
    cost_matches_litellms(got, result)


# --------------------------------------------------------------------------- Decisions


DECISIONS_USAGE = {
    sc.GEN_AI_USAGE_INPUT_TOKENS: fp.DECISIONS_INPUT_TOKENS,
    sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.DECISIONS_CACHED_TOKENS,
    sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: fp.DECISIONS_CACHE_WRITE_TOKENS,
    sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.DECISIONS_OUTPUT_TOKENS,
}


@ASYNC
async def test_decisions_have_the_decision_models_usage_and_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    result = await call(
        is_async,
        "decisions",
        model=DECISION_MODEL,
        input=TICKET,
        questions=QUESTIONS,
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert [answer.type for answer in result.answers] == ["predicate", "choice"]
    span = client_span(span_exporter)
    assert span.name == f"chat {DECISION_MODEL}"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: sc.OP_CHAT,
            sc.GEN_AI_RESPONSE_MODEL: "gpt-6-luna" + fp.MODEL_SUFFIX,
            **DECISIONS_USAGE,
        },
    )
    cost_matches_litellms(got, result)
    assert TICKET not in str(got)  # the input is content: off by default


@ASYNC
async def test_systemone_has_the_decision_models_usage_and_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    result = await call(
        is_async,
        "systemone",
        model=DECISION_MODEL,
        state=TICKET,
        questions={"refund": {"type": "noul", "instructions": "Does the customer ask for a refund?"}},
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert provider.requests[0].path == "/v1/decisions"  # LiteLLM asks OpenAI in its own format
    assert result.answers["refund"].noul == fp.DECISION_PROBABILITY
    span = client_span(span_exporter)
    assert span.name == f"chat {DECISION_MODEL}"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: sc.OP_CHAT,
            sc.GEN_AI_RESPONSE_MODEL: "gpt-6-luna" + fp.MODEL_SUFFIX,
            **DECISIONS_USAGE,
        },
    )
    cost_matches_litellms(got, result)


# --------------------------------------------------------------------------- extraction


@ASYNC
async def test_extraction_has_the_extraction_models_usage_and_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    state = "Invoice 4471 from Acme, total 129.50 EUR."
    result = await call(
        is_async,
        "extraction",
        model="cloudflare/clairic",
        state=state,
        fields={"vendor": {"type": "text"}, "invoice": {"type": "number"}},
        api_base=provider.base_for("cloudflare") + "/client/v4/accounts/fake-account/ai/run",
        api_key=API_KEY,
    )

    assert result.answers["invoice"].value == 4471
    span = client_span(span_exporter)
    assert span.name == "chat cloudflare/clairic"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: sc.OP_CHAT,
            sc.GEN_AI_USAGE_INPUT_TOKENS: cloudflare.EXTRACTION_INPUT_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: cloudflare.EXTRACTION_OUTPUT_TOKENS,
        },
    )
    cost_matches_litellms(got, result)
    assert state not in str(got)
