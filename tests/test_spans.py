"""Every wrapped LiteLLM function, sync and async, over real HTTP against the fake provider."""

from __future__ import annotations

import re
import traceback

import litellm
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import (
    API_KEY,
    anthropic_args,
    assert_absent,
    assert_subset,
    attributes,
    only_span,
    openai_args,
)
from litellm_otel import semconv as sc

pytestmark = pytest.mark.usefixtures("instrument")

CACHE_AND_REASONING = (
    sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
    sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
    sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
)


def openai_chat_kwargs(provider: FakeProvider, model: str = "openai/fake-gpt") -> dict[str, object]:
    return openai_args(provider, model)


def server(provider: FakeProvider) -> dict[str, object]:
    return {sc.SERVER_ADDRESS: "127.0.0.1", sc.SERVER_PORT: int(provider.base_url.rsplit(":", 1)[1])}


def test_chat_completion_span_carries_request_and_response_attributes(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    response = litellm.completion(
        **openai_chat_kwargs(provider),
        temperature=0.3,
        top_p=0.9,
        max_completion_tokens=200,
        stop=["END"],
        seed=7,
        frequency_penalty=0.5,
        presence_penalty=0.25,
        n=2,
        response_format={"type": "json_object"},
    )

    span = only_span(span_exporter)
    assert span.name == "chat openai/fake-gpt"
    assert span.kind is SpanKind.CLIENT
    assert span.status.status_code is StatusCode.UNSET
    attrs = attributes(span)
    assert_subset(
        attrs,
        {
            sc.GEN_AI_OPERATION_NAME: "chat",
            sc.GEN_AI_PROVIDER_NAME: "openai",
            sc.GEN_AI_REQUEST_MODEL: "openai/fake-gpt",
            **server(provider),
            sc.GEN_AI_REQUEST_TEMPERATURE: 0.3,
            sc.GEN_AI_REQUEST_TOP_P: 0.9,
            sc.GEN_AI_REQUEST_MAX_TOKENS: 200,
            sc.GEN_AI_REQUEST_STOP_SEQUENCES: ("END",),
            sc.GEN_AI_REQUEST_SEED: 7,
            sc.GEN_AI_REQUEST_FREQUENCY_PENALTY: 0.5,
            sc.GEN_AI_REQUEST_PRESENCE_PENALTY: 0.25,
            sc.GEN_AI_REQUEST_CHOICE_COUNT: 2,
            sc.GEN_AI_OUTPUT_TYPE: "json",
            sc.GEN_AI_RESPONSE_ID: response.id,
            sc.GEN_AI_RESPONSE_MODEL: "fake-gpt" + fp.MODEL_SUFFIX,
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop", "stop"),
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.CHAT_PROMPT_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.CHAT_COMPLETION_TOKENS,
            sc.GEN_AI_USAGE_TOTAL_TOKENS: fp.CHAT_TOTAL_TOKENS,
            sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.CHAT_CACHED_TOKENS,
            sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: fp.CHAT_REASONING_TOKENS,
        },
    )
    assert response.id.startswith("chatcmpl-fake-")
    # Not reported by the provider, so not made up; the legacy attribute is never emitted.
    assert_absent(
        attrs, [sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, "gen_ai.system", sc.GEN_AI_REQUEST_STREAM]
    )
    # fake-gpt has no price in LiteLLM's map: the cost is absent, not 0.
    assert_absent(attrs, [sc.GEN_AI_USAGE_COST])


def test_anthropic_input_tokens_include_cache_reads_and_writes(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    response = litellm.completion(**anthropic_args(provider))

    attrs = attributes(only_span(span_exporter))
    assert_subset(
        attrs,
        {
            sc.GEN_AI_OPERATION_NAME: "chat",
            sc.GEN_AI_PROVIDER_NAME: "anthropic",
            sc.GEN_AI_REQUEST_MODEL: "anthropic/claude-sonnet-4-5",
            sc.GEN_AI_REQUEST_MAX_TOKENS: 512,
            **server(provider),
            sc.GEN_AI_RESPONSE_ID: response.id,
            sc.GEN_AI_RESPONSE_MODEL: "claude-sonnet-4-5" + fp.MODEL_SUFFIX,
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop",),
            # Anthropic's input_tokens (34) excludes the cache; the GenAI total includes it.
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.ANTHROPIC_INPUT_TOKENS
            + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
            + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.ANTHROPIC_OUTPUT_TOKENS,
            sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
            sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
        },
    )
    # LiteLLM counts the thinking block's tokens as reasoning tokens, within output tokens.
    reasoning = attrs[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]
    assert 0 < reasoning <= fp.ANTHROPIC_OUTPUT_TOKENS
    assert reasoning == response.usage.completion_tokens_details.reasoning_tokens
    # A priced model: the cost is LiteLLM's own figure, in USD.
    cost = attrs[sc.GEN_AI_USAGE_COST]
    assert isinstance(cost, float)
    assert cost > 0
    assert cost == pytest.approx(response._hidden_params["response_cost"])


def test_reported_zero_cache_is_recorded(provider: FakeProvider, span_exporter: InMemorySpanExporter) -> None:
    litellm.completion(**openai_chat_kwargs(provider, "openai/fake-zero-cache"))

    attrs = attributes(only_span(span_exporter))
    assert attrs[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == 0


async def test_acompletion_yields_one_span(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    # litellm.acompletion runs litellm.main.completion in an executor; only one span may result.
    response = await litellm.acompletion(**anthropic_args(provider))

    span = only_span(span_exporter)
    assert span.name == "chat anthropic/claude-sonnet-4-5"
    assert attributes(span)[sc.GEN_AI_RESPONSE_ID] == response.id
    assert attributes(span)[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS


async def test_completion_with_acompletion_flag_ends_one_span(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    # LiteLLM only supports completion(acompletion=True) from inside acompletion, which passes
    # its logging object along; called directly it fails (seen on 1.106) or returns a coroutine.
    # Either way the caller sees what LiteLLM does, and exactly one span ends.
    try:
        pending = litellm.completion(**openai_chat_kwargs(provider), acompletion=True)
    except litellm.APIConnectionError:
        span = only_span(span_exporter)
        assert attributes(span)[sc.ERROR_TYPE] == "litellm.exceptions.APIConnectionError"
        return
    assert span_exporter.get_finished_spans() == ()  # the request has not been awaited yet
    response = await pending
    assert attributes(only_span(span_exporter))[sc.GEN_AI_RESPONSE_ID] == response.id


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_text_completion(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    kwargs = {
        "model": "text-completion-openai/fake-instruct",
        "prompt": "Say hello",
        "api_base": provider.openai_base,
        "api_key": API_KEY,
        "max_tokens": 7,
    }
    response = await litellm.atext_completion(**kwargs) if is_async else litellm.text_completion(**kwargs)

    span = only_span(span_exporter)
    assert span.name == "text_completion text-completion-openai/fake-instruct"
    assert_subset(
        attributes(span),
        {
            sc.GEN_AI_OPERATION_NAME: "text_completion",
            sc.GEN_AI_PROVIDER_NAME: "openai",
            sc.GEN_AI_REQUEST_MAX_TOKENS: 7,
            sc.GEN_AI_RESPONSE_ID: response.id,
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("length",),
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.TEXT_PROMPT_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.TEXT_COMPLETION_TOKENS,
            sc.GEN_AI_USAGE_TOTAL_TOKENS: fp.TEXT_TOTAL_TOKENS,
            **server(provider),
        },
    )


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_embedding(provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool) -> None:
    kwargs = {
        "model": "openai/text-embedding-3-small",
        "input": ["one", "two"],
        "api_base": provider.openai_base,
        "api_key": API_KEY,
        "dimensions": 4,
        "encoding_format": "float",
    }
    response = await litellm.aembedding(**kwargs) if is_async else litellm.embedding(**kwargs)

    span = only_span(span_exporter)
    assert span.name == "embeddings openai/text-embedding-3-small"
    attrs = attributes(span)
    assert_subset(
        attrs,
        {
            sc.GEN_AI_OPERATION_NAME: "embeddings",
            sc.GEN_AI_PROVIDER_NAME: "openai",
            sc.GEN_AI_REQUEST_ENCODING_FORMATS: ("float",),
            sc.GEN_AI_EMBEDDINGS_DIMENSION_COUNT: 4,
            sc.GEN_AI_RESPONSE_MODEL: "text-embedding-3-small" + fp.MODEL_SUFFIX,
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.EMBEDDING_PROMPT_TOKENS,
            **server(provider),
        },
    )
    assert len(response.data) == 2
    # Embeddings have no output tokens; LiteLLM's completion_tokens=0 there is not reported.
    assert_absent(attrs, [sc.GEN_AI_USAGE_OUTPUT_TOKENS, *CACHE_AND_REASONING])


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_responses(provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool) -> None:
    kwargs = {
        "model": "openai/fake-gpt",
        "input": "Say hello",
        "api_base": provider.openai_base,
        "api_key": API_KEY,
        "max_output_tokens": 300,
        "temperature": 0.2,
    }
    response = await litellm.aresponses(**kwargs) if is_async else litellm.responses(**kwargs)

    span = only_span(span_exporter)
    assert span.name == "chat openai/fake-gpt"
    assert_subset(
        attributes(span),
        {
            sc.GEN_AI_OPERATION_NAME: "chat",
            sc.GEN_AI_PROVIDER_NAME: "openai",
            sc.GEN_AI_REQUEST_MAX_TOKENS: 300,
            sc.GEN_AI_REQUEST_TEMPERATURE: 0.2,
            sc.GEN_AI_RESPONSE_MODEL: "fake-gpt" + fp.MODEL_SUFFIX,
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop",),
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.RESPONSES_INPUT_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.RESPONSES_OUTPUT_TOKENS,
            sc.GEN_AI_USAGE_TOTAL_TOKENS: fp.RESPONSES_TOTAL_TOKENS,
            sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.RESPONSES_CACHED_TOKENS,
            sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: fp.RESPONSES_REASONING_TOKENS,
            **server(provider),
        },
    )
    # The provider's id, which LiteLLM wraps in an id of its own (`response.id`).
    provider_id = attributes(span)[sc.GEN_AI_RESPONSE_ID]
    assert isinstance(provider_id, str) and provider_id.startswith("resp_fake_")
    assert response.id != provider_id


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_image_generation(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    kwargs = {
        "model": "openai/fake-image",
        "prompt": "a lighthouse",
        "api_base": provider.openai_base,
        "api_key": API_KEY,
    }
    response = await litellm.aimage_generation(**kwargs) if is_async else litellm.image_generation(**kwargs)

    span = only_span(span_exporter)
    assert span.name == "generate_content openai/fake-image"
    assert response.data
    assert_subset(
        attributes(span),
        {
            sc.GEN_AI_OPERATION_NAME: "generate_content",
            sc.GEN_AI_PROVIDER_NAME: "openai",
            sc.GEN_AI_REQUEST_MODEL: "openai/fake-image",
            **server(provider),
        },
    )
    assert [r.path for r in provider.requests] == ["/v1/images/generations"]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_rerank(provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool) -> None:
    kwargs = {
        "model": "cohere/fake-rerank",
        "query": "lighthouse",
        "documents": ["a lighthouse", "a harbour"],
        "api_base": provider.base_url + "/v1/rerank",
        "api_key": API_KEY,
    }
    response = await litellm.arerank(**kwargs) if is_async else litellm.rerank(**kwargs)

    span = only_span(span_exporter)
    assert span.name == "rerank cohere/fake-rerank"
    assert_subset(
        attributes(span),
        {
            sc.GEN_AI_OPERATION_NAME: "rerank",
            sc.GEN_AI_PROVIDER_NAME: "cohere",
            sc.GEN_AI_RESPONSE_ID: response.id,
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.RERANK_INPUT_TOKENS,
            **server(provider),
        },
    )


@pytest.mark.parametrize(
    ("scenario", "exception", "status"),
    [
        ("error-429", litellm.RateLimitError, 429),
        ("error-500", litellm.InternalServerError, 500),
        ("error-401", litellm.AuthenticationError, 401),
        ("error-400", litellm.BadRequestError, 400),
    ],
)
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_provider_error_is_recorded_and_reraised(
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    scenario: str,
    exception: type[Exception],
    status: int,
    is_async: bool,
) -> None:
    kwargs = {**openai_chat_kwargs(provider, f"openai/fake-{scenario}"), "max_retries": 0}
    with pytest.raises(exception) as raised:
        if is_async:
            await litellm.acompletion(**kwargs)
        else:
            litellm.completion(**kwargs)

    span = only_span(span_exporter)
    assert span.status.status_code is StatusCode.ERROR
    attrs = attributes(span)
    assert_subset(
        attrs,
        {
            sc.ERROR_TYPE: f"litellm.exceptions.{exception.__name__}",
            sc.HTTP_RESPONSE_STATUS_CODE: status,
            sc.GEN_AI_PROVIDER_NAME: "openai",
        },
    )
    assert_absent(attrs, [sc.GEN_AI_USAGE_INPUT_TOKENS, sc.GEN_AI_USAGE_COST])
    [event] = span.events
    assert event.name == "exception"
    assert event.attributes is not None
    assert str(event.attributes["exception.type"]).endswith(exception.__name__)
    assert getattr(raised.value, "status_code", None) == status
    # Python's own traceback text, as it stood when the call failed (the caller's frames are
    # added later, as the exception rises), without the `^^^` marker lines.
    recorded = str(event.attributes["exception.stacktrace"]).splitlines()
    printed = "".join(traceback.format_exception(raised.value)).splitlines()
    assert recorded[-1] == printed[-1] == f"litellm.exceptions.{exception.__name__}: {raised.value}"
    assert not [line for line in recorded if _MARKERS.match(line)]
    assert _in_order(recorded, printed)
    assert sum("File " in line for line in recorded) >= 5  # LiteLLM's frames, not just ours


_MARKERS = re.compile(r"^ *[\^~]+ *$")


def _in_order(lines: list[str], within: list[str]) -> bool:
    """Whether `lines` appear in `within` in the same order."""
    rest = iter(within)
    return all(line in rest for line in lines)


def test_anthropic_error_is_recorded(provider: FakeProvider, span_exporter: InMemorySpanExporter) -> None:
    with pytest.raises(litellm.RateLimitError):
        litellm.completion(**anthropic_args(provider, "anthropic/claude-error-429"), max_retries=0)

    attrs = attributes(only_span(span_exporter))
    assert_subset(
        attrs,
        {
            sc.ERROR_TYPE: "litellm.exceptions.RateLimitError",
            sc.HTTP_RESPONSE_STATUS_CODE: 429,
            sc.GEN_AI_PROVIDER_NAME: "anthropic",
        },
    )


def test_response_without_usage_gives_fewer_attributes(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    response = litellm.completion(**openai_chat_kwargs(provider, "openai/fake-no-usage"))

    attrs = attributes(only_span(span_exporter))
    assert attrs[sc.GEN_AI_RESPONSE_ID] == response.id
    assert_absent(attrs, CACHE_AND_REASONING)


def test_unknown_provider_passes_through(provider: FakeProvider, span_exporter: InMemorySpanExporter) -> None:
    litellm.completion(**openai_chat_kwargs(provider, "hosted_vllm/fake-local"))

    attrs = attributes(only_span(span_exporter))
    assert_subset(attrs, {sc.GEN_AI_PROVIDER_NAME: "hosted_vllm", **server(provider)})
